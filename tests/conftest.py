"""Shared fixtures: an isolated app home, a real sandbox on loopback, Qt offscreen."""

from __future__ import annotations

import gc
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kombo_desktop.core.connection import Connection
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox

#: What an announcement is recorded as (``_announcements``).
_Entry = TypeVar("_Entry")

if TYPE_CHECKING:
    from PySide6.QtGui import QClipboard

    from kombo_desktop.qt.worker import ApiWorker

# The support modules whose fixtures any test asks for by name. None of them has an
# automatic fixture: it would apply to every test. The window tests' support module is
# not one: loading it loads the window and the network code into every run, so its
# fixtures are below, importing it only when a test uses them.
pytest_plugins = [
    "tests.app_process_support",
    "tests.keyring_support",
    "tests.proxy_support",
    "tests.secret_service_support",
]


@pytest.fixture(autouse=True, scope="session")
def garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """As in the app (``qt/garbage.py``): no automatic collection, which could free a
    window caught in a reference cycle from the sandbox's or the network's thread."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def collect_after_each_test(garbage_collected_on_the_gui_thread: None) -> Iterator[None]:
    """What a test leaves in reference cycles is freed here, on the GUI thread."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config, data and log directories."""
    home = tmp_path / "kombo-home"
    monkeypatch.setenv("KOMBO_DESKTOP_HOME", str(home))
    return home


@pytest.fixture
def real_questions() -> None:
    """The test lets the real question boxes appear and answers each one itself.

    Such a test must close every box it causes (``test_question_boxes`` does, whatever
    the box says): nothing else stands between a forgotten box and a suite that waits.
    """


@pytest.fixture(autouse=True)
def no_unanswered_save_question(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "Save changes …?" or "Remove the API key …?" that no test answers fails the test
    instead of waiting for ever.

    Each question is a modal box: left to itself it would stop the whole suite. Tests
    that expect one answer it (``profiles_support.answer_unsaved``,
    ``profiles_support.answer_remove_key``), or answer the real box themselves (the
    ``real_questions`` fixture).
    """
    if "real_questions" in request.fixturenames:
        return
    from kombo_desktop.qt.profiles_dialog import ProfilesDialog

    def unanswered(_dialog: object, question: str) -> object:
        raise AssertionError(f"nobody answers the question {question!r}")

    def unanswered_removal(_dialog: object, profile: object) -> bool:
        raise AssertionError(f"nobody answers whether to remove the API key of {profile!r}")

    monkeypatch.setattr(ProfilesDialog, "ask_to_save", unanswered)
    monkeypatch.setattr(ProfilesDialog, "confirm_remove_key", unanswered_removal)


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One sandbox for the session; tests reset its knobs through ``fresh_sandbox``."""
    with Sandbox() as server:
        yield server


@pytest.fixture
def fresh_sandbox(sandbox: Sandbox) -> Iterator[Sandbox]:
    """The shared sandbox with no faults, latency, rate limit or recorded requests."""
    sandbox.clear_faults()
    sandbox.set_latency(0)
    sandbox.set_rate_limit(None)
    sandbox.clear_requests()
    yield sandbox
    sandbox.clear_faults()
    sandbox.set_latency(0)
    sandbox.set_rate_limit(None)


@pytest.fixture
def connection(fresh_sandbox: Sandbox) -> Connection:
    """Demo credentials pointed at the sandbox."""
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=fresh_sandbox.base_url
    )


@pytest.fixture
def worker(qapp: Any) -> Iterator[ApiWorker]:
    """The background network worker the GUI shares, shut down after the test."""
    from kombo_desktop.qt.worker import ApiWorker

    api_worker = ApiWorker()
    yield api_worker
    settle(api_worker)
    api_worker.shutdown()


def settle(api_worker: ApiWorker, timeout_s: float = 10.0) -> None:
    """Cancel what is still in flight and let the answers arrive while the worker lives.

    A worker destroyed with a job whose cancel had not come back yet (a test that ends
    during a slow answer) could crash the next test's start, when Qt deleted what was
    left of it.
    """
    from PySide6.QtWidgets import QApplication

    api_worker.cancel_all()
    deadline = time.monotonic() + timeout_s
    while api_worker.busy and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)


@pytest.fixture
def clipboard(qapp: Any) -> Iterator[QClipboard]:
    """The application's clipboard; what it held before the test is put back after it."""
    from PySide6.QtGui import QGuiApplication

    board = QGuiApplication.clipboard()
    saved = board.text()
    yield board
    board.setText(saved)


@pytest.fixture
def window(qtbot: Any, fresh_sandbox: Sandbox) -> Any:
    """The main window, shown, connected to the sandbox with its demo credentials."""
    from tests.main_window_support import build_window  # Qt: only for window tests

    return build_window(qtbot, fresh_sandbox)


@pytest.fixture
def ready_window(qtbot: Any, fresh_sandbox: Sandbox) -> Any:
    """The main window as ``window`` gives it, once its form's checks are loaded (a key
    typed is checked at once from then on)."""
    from tests import main_window_support  # Qt: only for window tests

    return main_window_support.ready_window(qtbot, fresh_sandbox)


@pytest.fixture
def no_early_warm_up(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The network code is not loaded yet, and the window does not start loading it by
    itself during the test.

    This test run has imported the network code already; one module it has never
    imported joins it, so that loading it really happens, on its thread, as at a start.
    """
    from kombo_desktop.qt import main_window  # Qt: only for window tests

    monkeypatch.setattr(main_window, "NETWORK_WARM_UP_DELAY_MS", 3_600_000)
    name = f"network_module_{uuid.uuid4().hex}"
    (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(main_window, "NETWORK_MODULES", (*main_window.NETWORK_MODULES, name))


@pytest.fixture
def broken_network_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The network code cannot be loaded, as in a broken installation (httpx missing)."""
    from kombo_desktop.qt import main_window  # Qt: only for window tests

    name = f"broken_network_module_{uuid.uuid4().hex}"
    (tmp_path / f"{name}.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'httpx'\")\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(main_window, "NETWORK_MODULES", (*main_window.NETWORK_MODULES, name))


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str]]:
    """Every announcement made in the test, with the object it was made for
    (``spoken.announce`` goes through ``QAccessible.updateAccessibility``)."""
    return _announcements(monkeypatch, lambda source, words: (source, words))


@pytest.fixture
def heard_with_focus(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, str, Any]]:
    """Every announcement, as ``heard`` records it, with the widget that had the focus
    as it was made: a screen reader speaks the newly focused field's name first, and
    words said before the focus moved are cut off by it."""
    from PySide6.QtWidgets import QApplication

    return _announcements(
        monkeypatch, lambda source, words: (source, words, QApplication.focusWidget())
    )


def _announcements(
    monkeypatch: pytest.MonkeyPatch, entry: Callable[[Any, str], _Entry]
) -> list[_Entry]:
    """Each announcement made from now on, as ``entry`` of the object it was made for and
    its words, in a list that fills as the test runs."""
    from PySide6.QtGui import QAccessible, QAccessibleEvent

    said: list[_Entry] = []
    real = QAccessible.updateAccessibility

    def record(event: QAccessibleEvent) -> None:
        message = getattr(event, "message", None)
        if callable(message):
            said.append(entry(event.object(), message()))
        real(event)

    monkeypatch.setattr(QAccessible, "updateAccessibility", record)
    return said


@pytest.fixture
def browser() -> Iterator[Any]:
    """Addresses opened from the app (Kombo's log, a link) land here, for http and https
    alike: ``browser.opened`` lists them as text."""
    from PySide6.QtGui import QDesktopServices

    from tests.qt_helpers import OpenedAddresses

    receiver = OpenedAddresses()
    for scheme in ("http", "https"):
        QDesktopServices.setUrlHandler(scheme, receiver, "open")  # type: ignore[arg-type]
    yield receiver
    for scheme in ("http", "https"):
        QDesktopServices.unsetUrlHandler(scheme)
