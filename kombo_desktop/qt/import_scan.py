"""A faster answer to the question PySide asks of every module imported after it.

PySide replaces ``__import__`` so that ``from __feature__ import snake_case`` can
switch a module's view of Qt. To know which modules may do that, it reads the whole
source of every newly imported module through ``inspect.getsource`` and searches it
for the word "PySide6". Through ``inspect`` and ``linecache`` that costs 0.3–1.5 ms a
module: over the modules the window needs, some 20–30 ms of the start-up.

``install`` swaps in a check with the same question and the same answer that reads
the file's bytes directly. It falls back to PySide's own check for anything that is
not a plain ``.py`` file, and does nothing on a PySide without that check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"
_CHECK_NAME = "_mod_uses_pyside"
_MARK = "_kombo_reads_bytes"


def uses_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]) -> bool:
    """True when ``module``'s source names PySide6; ``fallback`` decides what is not a file."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return fallback(module)
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return fallback(module)


def installed_check() -> Callable[[ModuleType], bool] | None:
    """The check PySide calls now (ours once ``install`` ran), or None without one."""
    check = getattr(sys.modules.get(_FEATURE_MODULE), _CHECK_NAME, None)
    return check if callable(check) else None


def install() -> bool:
    """Replace PySide's per-import source check with ``uses_pyside``; True if in place."""
    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, _CHECK_NAME, None)
    if feature is None or not callable(original):
        return False
    if getattr(original, _MARK, False):
        return True

    def check(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    setattr(check, _MARK, True)
    check.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(feature, _CHECK_NAME, check)
    return True
