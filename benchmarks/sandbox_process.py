"""A sandbox in a process of its own, for the benchmarks that time the window.

Kombo is a server of its own: a sandbox in the window's process would take turns with it
for Python's interpreter lock, a cost no person sending to Kombo pays.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def sandbox_process(arguments: list[str], ready: str) -> Iterator[str]:
    """Run ``python`` with ``arguments`` (a sandbox that prints ``ready`` then its base
    URL on its first line), the project on its path; yields the base URL, and ends the
    process after."""
    process = subprocess.Popen(
        [sys.executable, "-u", *arguments],  # -u: its lines arrive as printed
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, (str(_ROOT), os.environ.get("PYTHONPATH")))),
        },
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        if not first.startswith(ready):
            raise RuntimeError(f"the sandbox did not start: {first!r}")
        yield first.removeprefix(ready).strip()
    finally:
        process.terminate()
        process.wait(10)
