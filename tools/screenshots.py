"""Write screenshots of the main window's states (PNG) for the README.

    python tools/screenshots.py docs/screenshots

Runs offscreen against the in-process sandbox, in a throw-away app home, so the
pictures show demo data only and never touch the user's drafts or settings.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

WIDTH, HEIGHT = 1280, 820


def main(argv: list[str] | None = None) -> int:
    """Render each state and save ``NAME.png`` into the given directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="where to write the PNG files")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["KOMBO_DESKTOP_HOME"] = tempfile.mkdtemp(prefix="kombo-screenshots-")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    from PySide6.QtCore import QEventLoop, QTimer

    from kombo_desktop.app import launch
    from kombo_desktop.core.form_state import FormState
    from kombo_desktop.core.models import TargetKind
    from kombo_desktop.qt.main_window import MainWindow
    from kombo_desktop.sandbox import Fault, Sandbox

    directory: Path = args.directory
    directory.mkdir(parents=True, exist_ok=True)
    window = launch(["--demo"])
    assert isinstance(window, MainWindow)
    sandbox = window.demo_sandbox
    assert isinstance(sandbox, Sandbox)
    window.resize(WIDTH, HEIGHT)
    window.splitter.setSizes([700, 580])

    def settle(ms: int = 200) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(name: str) -> None:
        settle()
        path = directory / f"{name}.png"
        if not window.grab().save(str(path), "PNG"):
            raise RuntimeError(f"could not write {path}")
        print(f"wrote {path}")

    def send_and_wait() -> None:
        loop = QEventLoop()
        window.requestFinished.connect(loop.quit)
        window.submit()
        loop.exec()
        window.requestFinished.disconnect(loop.quit)

    candidate = sandbox.candidates[0]
    filled = FormState(
        target_kind=TargetKind.CANDIDATE,
        target_id=str(candidate["id"]),
        label="Coding assessment: backend track",
        url="https://assessments.example.com/results/5Bt9kQ2",
        prefix="Acme:",
        attributes=(("Score", "92%"), ("Percentile", "97th"), ("Time", "1:42h")),
    )
    with_warnings = FormState(
        target_kind=TargetKind.CANDIDATE,
        target_id=str(candidate["id"]),
        label="Coding assessment, backend track, second attempt with extended time limit",
        url="https://assessments.example.com/results/5Bt9kQ3",
        prefix="Acme Assessments Inc.:",
        attributes=(("Score", "92%"), ("Time", "1:42h")),
    )

    def show_filled() -> None:
        window.form.set_state(filled)

    def send_with_warnings() -> None:
        window.form.set_state(with_warnings)
        send_and_wait()

    def send_into_an_error() -> None:
        sandbox.inject_fault(
            Fault.kombo_error(
                "INTEGRATION.PERMISSION_MISSING",
                403,
                message="The integration lacks the scope to add result links.",
                title="Permission missing",
            ),
            times=1,
        )
        window.form.set_state(filled)
        send_and_wait()

    steps: list[tuple[str, Callable[[], None]]] = [
        ("empty-form", lambda: None),
        ("filled-form", show_filled),
        ("success-with-warnings", send_with_warnings),
        ("error", send_into_an_error),
    ]
    settle(600)  # the network code loads shortly after the window appears
    for name, prepare in steps:
        prepare()
        shoot(name)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
