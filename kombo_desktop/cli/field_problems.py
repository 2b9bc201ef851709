"""How the commands print input that cannot be used: one problem per line, keys masked."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.logs import redact


def print_field_problems(error: InputError, label_of: Callable[[str], str], err: TextIO) -> None:
    """Print each problem of ``error`` as ``label: message``, ``label_of(field)`` naming what
    to change. A message may quote what was typed, and a key may have been typed anywhere:
    every line is masked."""
    for problem in error.errors:
        print(redact(f"{label_of(problem.field)}: {problem.message}"), file=err)
