"""Imports modules on a background thread, after the window shows; ``ready`` comes back.

Importing pydantic and the models, or httpx and the client, takes a few hundred
milliseconds: before the first paint it would hold the window back, on the GUI thread
later it would freeze it. So a daemon thread imports them and ``ready`` then arrives on
the GUI thread. The form's loader brings the models (until then the form shows
"Checking the form…" and keeps what is typed); the main window's brings the network code.

GUI code that needs such modules waits for ``ready`` rather than importing them itself:
an import on the GUI thread of a module a loader is importing would block on the
interpreter's import lock for the rest of that import.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import sys
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

#: What validating the form needs (pydantic comes with it), and what turns a checked form
#: into the exact call the preview shows and Submit sends.
MODEL_MODULES: tuple[str, ...] = ("kombo_desktop.core.models", "kombo_desktop.core.requests")


def is_imported(name: str) -> bool:
    """True when module ``name`` is fully imported (not merely being imported elsewhere)."""
    module = sys.modules.get(name)
    if module is None:
        return False
    # The import system marks a module whose import is still running the same way.
    return not getattr(getattr(module, "__spec__", None), "_initializing", False)


_frozen_stages: set[str] = set()
_frozen_lock = threading.Lock()


def keep_out_of_full_collections(stage: str) -> None:
    """Exempt every object alive now (modules, classes, the window) from full collections.

    A full collection walks every tracked object while holding the interpreter lock:
    after the start-up imports that is 40–50 ms during which the window cannot react.
    What exists at start-up lives as long as the app, so there is nothing to collect.
    Each ``stage`` of the start-up freezes once per process (a second window, or a test
    run making many, must not pin whatever happens to be garbage then).
    """
    with _frozen_lock:
        if stage in _frozen_stages:
            return
        _frozen_stages.add(stage)
    gc.freeze()


class ModuleLoader(QObject):
    """Imports ``modules`` once, on a daemon thread; ``ready`` arrives on the GUI thread.

    ``ready`` is emitted at most once. When the modules were already imported (a second
    window, a test run) the loader is ready from the start and never starts a thread.
    ``optional`` modules are imported too when they exist (what a library loads only on
    first use, in the version installed), and never hold back ``ready``.
    """

    #: Every module is imported, or failed to import (then ``error`` says why).
    ready = Signal()
    # Emitted by the loading thread with the first import error (or None); Qt queues it to
    # this object's (the GUI) thread.
    _finished = Signal(object)

    def __init__(
        self,
        modules: Sequence[str] = MODEL_MODULES,
        parent: QObject | None = None,
        *,
        optional: Sequence[str] = (),
        what: str = "the models",
    ) -> None:
        """``what`` names the modules in the log and in the start-up's stages."""
        super().__init__(parent)
        self._modules = tuple(modules)
        self._optional = tuple(optional)
        self._what = what
        self._ready = all(is_imported(name) for name in self._modules)
        self._started = self._ready
        self._error: Exception | None = None
        self._finished.connect(self._on_finished)

    def is_ready(self) -> bool:
        """True once every module is imported (and ``ready`` was emitted, if it had to be)."""
        return self._ready

    @property
    def error(self) -> Exception | None:
        """Once ready: the first error a module raised on import, else ``None``.

        Users of the modules check it instead of importing them again on the GUI thread.
        """
        return self._error

    def is_started(self) -> bool:
        """True once loading started (or was never needed)."""
        return self._started

    def start(self) -> None:
        """Start importing in the background; does nothing when started or ready already."""
        if self._started:
            return
        self._started = True
        modules, optional, what = self._modules, self._optional, self._what
        finished = self._finished

        def load() -> None:
            keep_out_of_full_collections(f"before {what}")
            error: Exception | None = None
            for name in modules:
                try:
                    importlib.import_module(name)
                except Exception as exc:
                    log.exception("Loading %s (%s) in the background failed", what, name)
                    error = error or exc
            for name in optional:
                with contextlib.suppress(ImportError):
                    importlib.import_module(name)
            keep_out_of_full_collections(f"after {what}")
            # RuntimeError: the application is gone and nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                finished.emit(error)

        threading.Thread(target=load, name="kombo-load-modules", daemon=True).start()

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` on the GUI thread once ready: now if ready, else on ``ready``."""
        if self._ready:
            callback()
        else:
            self.ready.connect(callback)

    @Slot(object)
    def _on_finished(self, error: object) -> None:
        if not self._ready:
            self._error = error if isinstance(error, Exception) else None
            self._ready = True
            self.ready.emit()


_shared: ModuleLoader | None = None


def shared_model_loader() -> ModuleLoader:
    """The loader of ``MODEL_MODULES`` every window and form of this process shares."""
    global _shared
    if _shared is None:
        _shared = ModuleLoader()
    return _shared
