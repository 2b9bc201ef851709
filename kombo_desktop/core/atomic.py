"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime
from pathlib import Path


def write_text_atomic(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    The file is flushed to disk before the rename, so a crash or power loss
    leaves either the previous content or the new one. ``mode`` defaults to
    owner-only, since drafts and profiles are nobody else's business.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def move_aside(path: Path, reason: str = "damaged") -> Path:
    """Rename ``path`` to a new ``NAME.<reason>-<time>`` beside it (``NAME.damaged-…`` by
    default); returns that name.

    Each file set aside gets a name of its own, so an earlier one is never overwritten:
    it may hold what someone wants to recover. Raises ``OSError`` if the rename fails.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{reason}-{stamp}")
    counter = 2
    while backup.exists():
        backup = path.with_name(f"{path.name}.{reason}-{stamp}-{counter}")
        counter += 1
    os.replace(path, backup)
    return backup
