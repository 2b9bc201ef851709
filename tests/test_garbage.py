"""Cyclic garbage is collected on the GUI thread, by a timer, never by whichever thread
allocates (``qt/garbage.py``)."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QObject

from kombo_desktop.qt import garbage


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_the_timer_collects_what_automatic_collection_no_longer_does(qtbot, monkeypatch) -> None:
    owner = QObject()
    monkeypatch.setattr(garbage, "COLLECT_EVERY_MS", 10)
    was_enabled = gc.isenabled()
    try:
        timer = garbage.collect_on_gui_thread(owner)
        assert not gc.isenabled()
        assert timer.isActive()
        gone = weakref.ref(_Cycle())
        assert gone() is not None  # a cycle: only the collector frees it
        # Enough new objects to pass the youngest generation's threshold.
        junk = [_Cycle() for _ in range(gc.get_threshold()[0] + 10)]
        del junk
        qtbot.waitUntil(lambda: gone() is None, timeout=5000)
    finally:
        owner.deleteLater()
        if was_enabled:
            gc.enable()
