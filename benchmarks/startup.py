"""Start-up cost of the main window against a bare PySide6 window, in the same run.

Each run starts a fresh Python process that builds a window, lets Qt process the
events that show it, prints a marker and exits. Wall time is measured by this
parent from just before the process starts to the marker; peak memory is the
child's ``ru_maxrss`` at the marker. The app's child then also reports when its
form is ready to check and send (no goal; typing works from the first paint).
Children run from compiled bytecode, as an installed app does.
Both kinds of child run several times, interleaved, and the
medians are compared. Goal: the app at most 1.5x the time and 1.6x the memory.

``--instructions`` also counts the GUI thread's instructions (valgrind), which machine
load does not change; ``--breakdown`` counts what each part of the start-up adds to the
bare window: Qt's enum namespace, the other Qt classes the window uses, the standard and
third-party modules, the app's own modules, and building and showing the window.

Run with ``QT_QPA_PLATFORM=offscreen`` on a machine without a screen.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MARKER = "KOMBO-WINDOW-SHOWN"
#: Printed by the app's child once its form can check and send (the models loaded).
READY_MARKER = "KOMBO-FORM-READY"
#: Set in a child's environment when its instructions are counted: the count then ends
#: at the marker, leaving out shutting down.
COUNTING_VARIABLE = "KOMBO_BENCH_COUNTING"
# Each child reports its own peak memory at the marker: what it holds by then.
_PEAK_PRELUDE = """
import resource
def _peak_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
_STOP_IF_COUNTING = f"""
import os
if os.environ.get({COUNTING_VARIABLE!r}):
    os._exit(0)
"""
TIME_GOAL = 1.5
MEMORY_GOAL = 1.6

_BARE_CHILD = f"""
{_PEAK_PRELUDE}
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(["bare"])
window = QMainWindow()
window.setWindowTitle("bare")
window.show()
app.processEvents()
print({MARKER!r}, _peak_kib(), flush=True)
{_STOP_IF_COUNTING}
"""

# The same kinds of widgets as the app's window with none of its code: what Qt alone
# costs for such a screen (its enum namespace, the style, building and painting widgets).
_QT_FORM_CHILD = f"""
{_PEAK_PRELUDE}
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFormLayout, QLabel, QLineEdit, QMainWindow, QPlainTextEdit,
    QPushButton, QSplitter, QTableView, QToolBar, QVBoxLayout, QWidget,
)
app = QApplication(["form"])
window = QMainWindow()
toolbar = QToolBar()
toolbar.addWidget(QComboBox())
toolbar.addWidget(QLabel("Development"))
window.addToolBar(toolbar)
form = QWidget()
layout = QFormLayout(form)
layout.addRow("Target", QComboBox())
for name in ("Target ID", "Label", "Result URL", "Prefix"):
    layout.addRow(name, QLineEdit())
table = QTableView()
table.setModel(QStandardItemModel(0, 2))
layout.addRow(table)
buttons = QWidget()
row = QVBoxLayout(buttons)
for name in ("Submit", "Cancel", "Next candidate"):
    row.addWidget(QPushButton(name))
layout.addRow(buttons)
answer = QWidget()
right = QVBoxLayout(answer)
right.addWidget(QPlainTextEdit())
right.addWidget(QLabel("Ready"), alignment=Qt.AlignmentFlag.AlignTop)
right.addWidget(QPlainTextEdit())
splitter = QSplitter(Qt.Orientation.Horizontal)
splitter.addWidget(form)
splitter.addWidget(answer)
window.setCentralWidget(splitter)
window.statusBar().showMessage("Ready")
window.resize(1100, 720)
window.show()
app.processEvents()
print({MARKER!r}, _peak_kib(), flush=True)
{_STOP_IF_COUNTING}
"""

_APP_CHILD = f"""
{_PEAK_PRELUDE}
from PySide6.QtWidgets import QApplication
from kombo_desktop.app import launch
window = launch([])
QApplication.processEvents()
print({MARKER!r}, _peak_kib(), flush=True)
{_STOP_IF_COUNTING}
# Typing works from the first paint; checking and sending once the models are in.
loader = window.form.model_loader
if not loader.is_ready():
    from PySide6.QtCore import QEventLoop
    waiting = QEventLoop()
    loader.ready.connect(waiting.quit)
    waiting.exec()
print({READY_MARKER!r}, flush=True)
window.close()  # stops the network thread, as quitting the app does
"""


#: Printed by the census child: what its process holds once the app's window shows.
CENSUS_MARKER = "KOMBO-LOADED"
_QT_MODULES = ("QtCore", "QtGui", "QtWidgets")

# Which modules are loaded and which Qt classes PySide has created (it creates a class at
# first use) by the time the window shows: the breakdown's stages are built from them.
_CENSUS_CHILD = f"""
import sys
import threading
# Only what the GUI thread imports: the app loads its models on another thread meanwhile.
loaded = list(sys.modules)
gui_thread = threading.get_ident()
def note_import(event, args):
    if event == "import" and threading.get_ident() == gui_thread:
        loaded.append(args[0])
sys.addaudithook(note_import)
from PySide6.QtWidgets import QApplication
from kombo_desktop.app import launch
window = launch([])
QApplication.processEvents()
classes = [
    f"{{module}}.{{name}}"
    for module in {_QT_MODULES!r}
    for name, value in vars(sys.modules["PySide6." + module]).items()
    if isinstance(value, type) and not name.startswith("_")
]
modules = [name for name in dict.fromkeys(loaded) if name in sys.modules]
print({CENSUS_MARKER!r}, " ".join(modules), "|", " ".join(classes), flush=True)
import os
os._exit(0)
"""


def _bare_child_with(preamble: str) -> str:
    """The bare window's child, with ``preamble`` run before its window is built."""
    return preamble + _BARE_CHILD


@dataclass(frozen=True)
class Sample:
    """One child process: seconds to the marker, peak resident memory by then in KiB.

    ``ready_seconds``: to the form being ready to check and send (the app's child only).
    """

    seconds: float
    max_rss_kib: int
    ready_seconds: float | None = None


def run_child(code: str, env: dict[str, str]) -> Sample:
    """Start ``python -c code``, wait for the marker and for the exit; measure both."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    seconds = ready_seconds = None
    peak_kib = 0
    for line in child.stdout:
        word, _, rest = line.strip().partition(" ")
        if word == MARKER:
            seconds = time.perf_counter() - started
            peak_kib = int(rest)
        elif word == READY_MARKER:
            ready_seconds = time.perf_counter() - started
    child.stdout.close()
    _pid, status, _usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if seconds is None or child.returncode != 0:
        raise RuntimeError(f"child failed (exit {child.returncode}) before showing its window")
    return Sample(seconds, peak_kib, ready_seconds)


def count_instructions(code: str, env: dict[str, str]) -> int:
    """Instructions the child's GUI thread executes up to the marker (valgrind, callgrind).

    Unlike wall time, the count does not depend on what else the machine is doing, so
    it shows changes that the timing noise of a shared machine hides. Only the GUI
    thread counts: the app's background loading starts on timers, and under valgrind's
    slowdown those fire before the marker, in amounts that vary from run to run.
    """
    counting_env = {**env, COUNTING_VARIABLE: "1", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory(prefix="kombo-callgrind-") as directory:
        out = Path(directory) / "callgrind.out"
        result = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--separate-threads=yes",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                code,
            ],
            env=counting_env,
            capture_output=True,
            text=True,
            check=False,
        )
        main_thread = out.with_name(out.name + "-01")
        text = main_thread.read_text() if main_thread.is_file() else ""
    match = re.search(r"^totals:\s*(\d+)", text, re.MULTILINE)
    if result.returncode != 0 or match is None:
        raise RuntimeError(f"valgrind failed (exit {result.returncode}): {result.stderr[-500:]}")
    return int(match.group(1))


def instruction_counts(env: dict[str, str]) -> tuple[int, int, int]:
    """Bare window, plain Qt form and app, each counted once (a count repeats exactly)."""
    return (
        count_instructions(_BARE_CHILD, env),
        count_instructions(_QT_FORM_CHILD, env),
        count_instructions(_APP_CHILD, env),
    )


def print_instruction_ratios(bare: int, qt_form: int, app: int) -> None:
    """Print the counts and their ratios to the bare window."""
    print("GUI-thread instructions to the window shown (valgrind; machine load has no effect)")
    print(f"  bare PySide6 QMainWindow: {bare / 1e6:7.0f} M")
    print(f"  plain Qt form:            {qt_form / 1e6:7.0f} M  {qt_form / bare:.2f}x bare")
    print(f"  Kombo Desktop:            {app / 1e6:7.0f} M  {app / bare:.2f}x bare")


@dataclass(frozen=True)
class Census:
    """What the app's process holds when its window shows: module names in import order,
    and the Qt classes PySide has created by then, as ``QtWidgets.QLabel``."""

    modules: tuple[str, ...]
    qt_classes: tuple[str, ...]


def take_census(env: dict[str, str]) -> Census:
    """Start the app once and read what it loaded before its window showed."""
    result = subprocess.run(
        [sys.executable, "-c", _CENSUS_CHILD],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        word, _, rest = line.partition(" ")
        if word == CENSUS_MARKER:
            modules, _, classes = rest.partition("|")
            return Census(tuple(modules.split()), tuple(classes.split()))
    raise RuntimeError(f"census child failed (exit {result.returncode})")


def breakdown_stages(census: Census) -> list[tuple[str, str]]:
    """Children that each add one part of the app's start-up to the bare window.

    Each stage holds the ones before it, so the differences between their counts say
    what each part costs: Qt's enum namespace, the other Qt classes the window uses,
    the standard and third-party modules, the app's own modules (imported, nothing
    built), and finally building and showing the window (the app itself).
    """
    qt_namespace = "from PySide6.QtCore import Qt\nQt.AlignmentFlag\n"
    qt_classes = qt_namespace + "".join(
        f"from PySide6.{module} import {name}\n"
        for module, _, name in (entry.partition(".") for entry in census.qt_classes)
    )
    own = {"__main__", "kombo_desktop"}

    def imports(names: list[str]) -> str:
        # Some names in sys.modules are not importable on their own (a failed optional
        # import leaves its parent behind): the count takes what loads.
        return "".join(f"try:\n    import {n}\nexcept ImportError:\n    pass\n" for n in names)

    libraries = [m for m in census.modules if m.split(".")[0] not in own]
    app_modules = [m for m in census.modules if m.split(".")[0] == "kombo_desktop"]
    # The app swaps in its cheaper check that PySide makes of every module imported
    # after it (``import_scan``) before it imports anything else; so do the stages.
    faster_imports = "from kombo_desktop.qt import import_scan\nimport_scan.install()\n"
    with_libraries = qt_classes + faster_imports + imports(libraries)
    return [
        ("bare PySide6 QMainWindow", _BARE_CHILD),
        ("+ Qt's enum namespace (Qt.*)", _bare_child_with(qt_namespace)),
        ("+ the other Qt classes the window uses", _bare_child_with(qt_classes)),
        ("+ standard and third-party modules", _bare_child_with(with_libraries)),
        (
            "+ the app's own modules, imported",
            _bare_child_with(with_libraries + imports(app_modules)),
        ),
        ("+ building and showing the window", _APP_CHILD),
    ]


def count_breakdown(env: dict[str, str]) -> list[tuple[str, int]]:
    """Each stage of the breakdown with its count of instructions."""
    return [
        (label, count_instructions(code, env)) for label, code in breakdown_stages(take_census(env))
    ]


def print_breakdown(stages: list[tuple[str, int]]) -> None:
    """Print what each part of the start-up adds to the bare window."""
    bare = stages[0][1]
    print("Where the app's start-up instructions go (GUI thread; each line adds a part)")
    previous = 0
    for label, count in stages:
        added = f"+{(count - previous) / 1e6:5.0f} M" if previous else f"{count / 1e6:6.0f} M"
        print(f"  {label:40} {added}  ({count / 1e6:5.0f} M, {count / bare:.2f}x bare)")
        previous = count
    print(f"  the time goal, as instructions ({TIME_GOAL}x bare): {TIME_GOAL * bare / 1e6:.0f} M")


def child_environment(home: Path) -> dict[str, str]:
    """The environment of every child: offscreen unless told otherwise, a private app home."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["KOMBO_DESKTOP_HOME"] = str(home)
    # An installed app runs from compiled bytecode (pip compiles it at install time); a
    # private cache, filled by the warm-up runs, keeps the compiler out of the measurement
    # even where the environment says not to write bytecode. Both children share it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "bytecode")
    project_root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (project_root, env.get("PYTHONPATH")) if p)
    return env


def main(argv: list[str] | None = None) -> int:
    """Measure, print the medians and the ratios against the goals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each child (default 7)")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions with valgrind (slow; steady where timing is noisy)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also count, with valgrind, what each part of the start-up adds (slow)",
    )
    args = parser.parse_args(argv)
    for option in ("instructions", "breakdown"):
        if getattr(args, option) and shutil.which("valgrind") is None:
            parser.error(f"--{option} needs valgrind on PATH")

    with tempfile.TemporaryDirectory(prefix="kombo-startup-") as home:
        env = child_environment(Path(home))
        # Warm the disk and bytecode caches for both kinds alike.
        run_child(_APP_CHILD, env)
        run_child(_BARE_CHILD, env)
        run_child(_QT_FORM_CHILD, env)
        bare: list[Sample] = []
        qt_form: list[Sample] = []
        app: list[Sample] = []
        for _ in range(args.runs):
            bare.append(run_child(_BARE_CHILD, env))
            qt_form.append(run_child(_QT_FORM_CHILD, env))
            app.append(run_child(_APP_CHILD, env))
        counts = instruction_counts(env) if args.instructions else None
        breakdown = count_breakdown(env) if args.breakdown else None

    bare_s = statistics.median(s.seconds for s in bare)
    app_s = statistics.median(s.seconds for s in app)
    bare_mib = statistics.median(s.max_rss_kib for s in bare) / 1024
    app_mib = statistics.median(s.max_rss_kib for s in app) / 1024
    time_ratio = app_s / bare_s
    memory_ratio = app_mib / bare_mib
    print(f"Start-up to the main window shown, median of {args.runs} runs each")
    print(f"  bare PySide6 QMainWindow: {bare_s * 1000:7.0f} ms  {bare_mib:6.1f} MiB peak")
    print(f"  Kombo Desktop:            {app_s * 1000:7.0f} ms  {app_mib:6.1f} MiB peak")
    time_verdict = "met" if time_ratio <= TIME_GOAL else "MISSED"
    memory_verdict = "met" if memory_ratio <= MEMORY_GOAL else "MISSED"
    print(f"  time ratio:   {time_ratio:.2f}x (goal at most {TIME_GOAL}x: {time_verdict})")
    print(f"  memory ratio: {memory_ratio:.2f}x (goal at most {MEMORY_GOAL}x: {memory_verdict})")
    ready_times = [s.ready_seconds for s in app]
    if None in ready_times:
        raise RuntimeError("an app child never reported its form ready")
    ready_s = statistics.median(t for t in ready_times if t is not None)
    print(f"  form ready to check and send: {ready_s * 1000:5.0f} ms (typing works from the")
    print("  first paint; the models load in the background after it)")
    form_s = statistics.median(s.seconds for s in qt_form)
    form_mib = statistics.median(s.max_rss_kib for s in qt_form) / 1024
    print("Reference: the same kinds of widgets in plain Qt, none of the app's code")
    print(f"  plain Qt form:            {form_s * 1000:7.0f} ms  {form_mib:6.1f} MiB peak")
    print(f"  its ratios to bare: {form_s / bare_s:.2f}x time, {form_mib / bare_mib:.2f}x memory")
    print(f"  the app against it: {app_s / form_s:.2f}x time, {app_mib / form_mib:.2f}x memory")
    if counts is not None:
        print_instruction_ratios(*counts)
    if breakdown is not None:
        print_breakdown(breakdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
