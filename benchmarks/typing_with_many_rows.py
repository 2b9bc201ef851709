"""Does typing in the Target ID stay fluid with thousands of attribute rows?

A recruiter pastes a large spreadsheet block into the attribute table, then types the
next candidate's ID. Every key typed in a field checks the whole form again and the
request preview follows it: what the attribute table holds must not be read again at each
key when it did not change.

The main window (request preview and draft included) holds a valid form with few rows (the
baseline, ``--baseline-rows``) or many (``--rows``), or a form with as many rows whose
values are all left blank (the keys kept by "Next candidate", the values not typed yet:
every row has a problem, said under the table, on Submit and in the preview), or one whose
values all hold an API key (a config block pasted: only the form's check refuses those rows,
the table marks none of them), then keys are typed at the end of its Target ID (and, with
the valid many rows, at the end of its custom field name prefix: the rows' check must not
run again for a key there either), one every 40 ms, while a 5 ms ``QTimer`` ticks on the GUI
thread: the time each key takes to be handled and the largest gap between two ticks are
recorded (``pacing.py``, as in ``remote_fields_typing.py``). The ticks go on after the last
key until the work it left for later is done (a large body's preview is built, and the draft
saved, off the GUI thread once typing pauses). Both sizes run several rounds, interleaved,
and the medians are compared. Goal: a key with many rows, valid or all at fault either way,
costs at most 2x one with few, and the largest gap stays under 16 ms (one frame at 60 Hz).

``--profile`` also runs the keys typed with many rows (valid, then all at fault each way) under
``cProfile`` and prints what took the most time.

Run with ``QT_QPA_PLATFORM=offscreen`` on a machine without a screen.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import pstats
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# Run as a script, this folder is on the path, not the project's root that holds the app
# and the ``benchmarks`` package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.app_home import throwaway_app_home
from benchmarks.pacing import KEY_INTERVAL_MS, TICK_MS, Typing, median, run_paced, settle, wait_for

if TYPE_CHECKING:
    from kombo_desktop.core.form_state import FormState
    from kombo_desktop.qt.main_window import MainWindow

RATIO_GOAL = 2.0
GAP_GOAL_MS = 16.0
#: Typed at the end of a line input (the Target ID or the prefix): each key changes the request.
KEYS = "AbCdEfGhIj"


def form_with_rows(count: int) -> FormState:
    """A valid form whose attribute table holds ``count`` filled rows, as a pasted block
    of a spreadsheet leaves it."""
    from kombo_desktop.core.form_state import FormState

    return FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GB",
        label="Assessment Result",
        url="https://example.com/results/1",
        prefix="Acme:",
        attributes=tuple((f"Question {n + 1}", f"answer number {n + 1}") for n in range(count)),
    )


def form_with_blank_values(count: int) -> FormState:
    """``form_with_rows(count)`` with every value left blank, as "Next candidate" leaves a
    table whose keys it kept: each row says its value is missing."""
    from dataclasses import replace

    many = form_with_rows(count)
    return replace(many, attributes=tuple((key, "") for key, _value in many.attributes))


def form_with_keys_in_values(count: int) -> FormState:
    """``form_with_rows(count)`` with an API key in every value, as a pasted block of
    settings leaves it: the form's check refuses each row, the table marks none."""
    from dataclasses import replace

    many = form_with_rows(count)
    key = "ks_prod_" + "A" * 32
    return replace(
        many, attributes=tuple((name, f"token {key}") for name, _value in many.attributes)
    )


def _ready_window(state: FormState, window: MainWindow, *, field: str = "target_id") -> None:
    """Show ``state`` in ``window``, let the preview and the draft catch up, and put the
    cursor at the end of the form's line input ``field`` (the Target ID)."""
    window.form.set_state(state)
    wait_for(lambda: not window.preview.is_building(), "the preview")
    if window.drafts.pending:
        window.drafts.save_now()
    wait_for(lambda: not window.drafts.saving, "the draft to be saved")
    settle(100)
    line = getattr(window.form, field)
    line.setFocus()
    line.end(False)


def _keys(window: MainWindow, field: str = "target_id") -> list[Callable[[], None]]:
    from PySide6.QtTest import QTest

    line = getattr(window.form, field)
    return [functools.partial(QTest.keyClicks, line, key) for key in KEYS]


def type_in_field(window: MainWindow, state: FormState, *, field: str = "target_id") -> Typing:
    """Show ``state``, then type ``KEYS`` at the end of the Target ID (or of the form's
    line input ``field``), paced, until the preview shows the last key's request and the
    draft holds it."""
    _ready_window(state, window, field=field)

    def caught_up() -> bool:
        drafts = window.drafts
        return not (window.preview.is_building() or drafts.pending or drafts.saving)

    largest_gap, costs, waited = run_paced(_keys(window, field), caught_up)
    return Typing(largest_gap, statistics.fmean(costs), caught_up_ms=waited)


def profile_typing(window: MainWindow, state: FormState, lines: int) -> None:
    """Type ``KEYS`` into the Target ID with ``state`` shown, under ``cProfile``; print the
    ``lines`` functions that took the most time, their callees included."""
    _ready_window(state, window)
    profiler = cProfile.Profile()
    profiler.enable()
    for key in _keys(window):
        key()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)


def _main_window() -> MainWindow:
    """The app's window, connected with the sandbox's demo key to an address where nothing
    answers: typing never reaches the network."""
    from kombo_desktop.qt.connection_bar import ConnectionBar
    from kombo_desktop.qt.main_window import MainWindow
    from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

    bar = ConnectionBar()
    bar.set_values(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url="http://127.0.0.1:9"
    )
    window = MainWindow(bar)
    window.ask_before_closing_while_sending = False
    window.resize(1100, 800)
    window.show()
    return window


def main(argv: list[str] | None = None) -> int:
    """Measure typing with few and with many rows; print them and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Enough rows that reading them all again costs more than a key itself (about 1.5 ms):
    # with 5,000, such a pass at every key stayed within the 2x goal.
    parser.add_argument("--rows", type=int, default=20000, help="rows in the table (20000)")
    parser.add_argument(
        "--baseline-rows", type=int, default=10, help="rows in the baseline's table (10)"
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each (default 5)")
    parser.add_argument(
        "--profile", action="store_true", help="also profile the keys typed with many rows"
    )
    args = parser.parse_args(argv)

    with throwaway_app_home("many-rows"):
        return _measure(args.rows, args.baseline_rows, args.rounds, profile=args.profile)


def _measure(rows: int, baseline_rows: int, rounds: int, *, profile: bool) -> int:
    from PySide6.QtWidgets import QApplication

    from kombo_desktop.qt.garbage import collect_on_gui_thread
    from kombo_desktop.qt.module_loader import MODEL_MODULES

    app = QApplication.instance() or QApplication(["typing-with-many-rows"])
    assert isinstance(app, QApplication)
    collect_on_gui_thread(app)
    for name in MODEL_MODULES:
        importlib.import_module(name)
    window = _main_window()
    wait_for(lambda: not window.form.is_checking(), "the form's validation")
    few, many = form_with_rows(baseline_rows), form_with_rows(rows)
    at_fault = form_with_blank_values(rows)
    with_keys = form_with_keys_in_values(rows)

    print(
        f"Typing {len(KEYS)} keys at the end of the Target ID: {TICK_MS} ms timer, a key "
        f"every {KEY_INTERVAL_MS} ms, median of {rounds} rounds"
    )
    few_runs: list[Typing] = []
    many_runs: list[Typing] = []
    at_fault_runs: list[Typing] = []
    with_keys_runs: list[Typing] = []
    prefix_runs: list[Typing] = []
    for _ in range(rounds):  # interleaved
        few_runs.append(type_in_field(window, few))
        many_runs.append(type_in_field(window, many))
        at_fault_runs.append(type_in_field(window, at_fault))
        with_keys_runs.append(type_in_field(window, with_keys))
        prefix_runs.append(type_in_field(window, many, field="prefix"))
    base = median(few_runs)
    _print_result(f"{baseline_rows} rows", base, "(baseline)")
    met = True
    for name, runs in (
        (f"{rows} rows", many_runs),
        (f"{rows} blank", at_fault_runs),
        (f"{rows} keys", with_keys_runs),
        (f"{rows} prefix", prefix_runs),
    ):
        result = median(runs)
        ratio = result.mean_key_ms / base.mean_key_ms
        _print_result(name, result, f"({ratio:.1f}x the baseline's key)")
        met = met and ratio <= RATIO_GOAL and result.largest_gap_ms < GAP_GOAL_MS
    print(f"      ({rows} blank: {rows} rows, every value left blank)")
    print(f"      ({rows} keys: {rows} rows, every value holding an API key)")
    print(f"      ({rows} prefix: {rows} rows, the keys typed in the prefix)")
    print(
        f"  goal: a key at most {RATIO_GOAL:.0f}x the baseline's, the largest gap under "
        f"{GAP_GOAL_MS:.0f} ms: {'met' if met else 'MISSED'}"
    )
    if profile:
        profile_typing(window, many, 25)
        profile_typing(window, at_fault, 25)
        profile_typing(window, with_keys, 25)
    window.close()  # stops the network thread, as quitting the app does
    return 0


def _print_result(name: str, result: Typing, note: str) -> None:
    print(
        f"    {name + ':':12} largest gap {result.largest_gap_ms:7.1f} ms, "
        f"{result.mean_key_ms:7.2f} ms a key {note}".rstrip()
    )


if __name__ == "__main__":
    sys.exit(main())
