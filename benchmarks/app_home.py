"""A home of its own for the app's files while a benchmark runs its window."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def throwaway_app_home(name: str) -> Iterator[None]:
    """Qt's offscreen platform unless another is named, and the app's files (drafts,
    settings, the log) in a temporary folder named after ``name``, removed after: what
    the window wrote there is of no further use."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix=f"kombo-{name}-")
    os.environ["KOMBO_DESKTOP_HOME"] = home
    try:
        yield
    finally:
        shutil.rmtree(home, ignore_errors=True)
