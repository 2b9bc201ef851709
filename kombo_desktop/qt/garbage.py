"""Python's cyclic garbage is collected on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate at the
moment its threshold is passed: the network thread, a keyring read, the log set-up. A
Qt object freed there (a closed dialog caught in a reference cycle) is destroyed off
the GUI thread, and Qt crashes. So automatic collection is off, and a timer on the GUI
thread collects the generations that are due, as the collector itself would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

__all__ = ["COLLECT_EVERY_MS", "collect_on_gui_thread"]

#: How often the GUI thread looks whether a collection is due.
COLLECT_EVERY_MS = 1000


def collect_due_generations() -> None:
    """Collect the generations whose thresholds are passed, youngest first."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            return
        gc.collect(generation)


def collect_on_gui_thread(owner: QObject) -> QTimer:
    """Turn automatic collection off; collect from a timer owned by ``owner`` instead.

    Call it on the GUI thread. Returns the timer (it stops with ``owner``).
    """
    gc.disable()
    timer = QTimer(owner)
    timer.setInterval(COLLECT_EVERY_MS)
    timer.timeout.connect(collect_due_generations)
    timer.start()
    return timer
