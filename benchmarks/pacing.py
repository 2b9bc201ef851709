"""Keys typed at a person's pace while a timer ticks on the GUI thread: what the typing
benchmarks share (``remote_fields_typing.py``, ``typing_with_many_rows.py``).

A ``TICK_MS`` timer ticks while actions (keys, a paste) run one every ``KEY_INTERVAL_MS``:
the largest gap between two ticks is how long the window froze at worst, and the time
each action took is what it cost the GUI thread. Qt is imported when first used.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

TICK_MS = 5
KEY_INTERVAL_MS = 40


@dataclass(frozen=True)
class Typing:
    """What the keys typed (and a paste before them) cost on the GUI thread."""

    largest_gap_ms: float
    mean_key_ms: float
    #: The paste before the keys (0 when there was none).
    paste_ms: float = 0.0
    #: From the last key until the work it left for later was done (0 when it left none).
    caught_up_ms: float = 0.0


def median(runs: list[Typing]) -> Typing:
    """The median of each of ``runs``' figures."""
    return Typing(
        largest_gap_ms=statistics.median(r.largest_gap_ms for r in runs),
        mean_key_ms=statistics.median(r.mean_key_ms for r in runs),
        paste_ms=statistics.median(r.paste_ms for r in runs),
        caught_up_ms=statistics.median(r.caught_up_ms for r in runs),
    )


def nothing_left() -> bool:
    """For ``run_paced``: the actions leave no work for later."""
    return True


def run_paced(
    actions: list[Callable[[], None]], caught_up: Callable[[], bool] = nothing_left
) -> tuple[float, list[float], float]:
    """Run ``actions`` one every ``KEY_INTERVAL_MS`` while a ``TICK_MS`` timer ticks.

    After the last action the ticks go on until ``caught_up()`` (work left for later, as
    a background build, is done), then for one more interval. Returns the largest gap
    between two ticks, how long each action took, and how long catching up took.
    """
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    clock = QElapsedTimer()
    largest = [0.0]
    last = [0.0]
    ended = [0.0, 0.0]  # the last action's end, and when all was caught up
    costs: list[float] = []
    pending = list(actions)
    loop = QEventLoop()

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        largest[0] = max(largest[0], now - last[0])
        last[0] = now

    def next_action() -> None:
        if not pending:
            if not caught_up():
                return  # the pacer keeps asking
            pacer.stop()
            ended[1] = clock.nsecsElapsed() / 1e6
            # A last interval, so that work a key leaves for later is measured too.
            QTimer.singleShot(KEY_INTERVAL_MS, loop.quit)
            return
        started = time.perf_counter()
        pending.pop(0)()
        costs.append((time.perf_counter() - started) * 1000)
        ended[0] = clock.nsecsElapsed() / 1e6

    ticker = QTimer()
    ticker.setInterval(TICK_MS)
    ticker.timeout.connect(tick)
    pacer = QTimer()
    pacer.setInterval(KEY_INTERVAL_MS)
    pacer.timeout.connect(next_action)
    clock.start()
    ticker.start()
    pacer.start()
    loop.exec()
    ticker.stop()
    # Asked once per interval: what it reports is exact to within KEY_INTERVAL_MS.
    waited = ended[1] - ended[0] - KEY_INTERVAL_MS
    return largest[0], costs, max(0.0, waited)


def settle(ms: int = 300) -> None:
    """Let the event loop run for ``ms``: pending layout and painting happen here."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 120.0) -> None:
    """Run the event loop until ``condition()``; ``RuntimeError`` naming ``what`` if it
    does not come within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        settle(20)
