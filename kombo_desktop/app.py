"""The GUI entry points: ``launch`` builds and shows the main window, ``main`` runs it."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from kombo_desktop.qt.main_window import MainWindow, NetworkWaiter
    from kombo_desktop.qt.single_instance import FirstInstance
    from kombo_desktop.sandbox import Sandbox

# Qt needs its application object alive as long as any window; keep the one we made.
_application: QApplication | None = None


def _parse(argv: list[str]) -> argparse.Namespace:
    """``demo``, ``port`` and ``latency`` from ``argv`` (``None`` for an option not given:
    ``--latency 0`` is given, and an open demo says it was not used); a mistake in it
    (``--port`` without ``--demo`` among them) is said and exits with code 2, as argparse
    does."""
    if not argv:
        # Nothing to parse: skip loading the command line (and the modules it brings).
        return argparse.Namespace(demo=False, port=None, latency=None)
    from kombo_desktop.cli.main import (
        add_demo_arguments,
        command_parser_class,
        window_options_refusal,
    )

    # The command line's parser: argparse quotes what it refuses, and a key typed among
    # the options (``--api-key ks_prod_…``, ``--port ks_prod_…``) must not come back.
    parser_class = command_parser_class(argv)
    parser = parser_class(prog="kombo-desktop-gui", description="Open Kombo Desktop.")
    # Each ``None`` unless given: a --port or --latency without --demo is refused, not
    # dropped without a word while the real window opens.
    add_demo_arguments(parser)
    given = parser.parse_args(argv)
    refusal = window_options_refusal(given)
    if refusal is not None:
        parser.error(refusal)
    return argparse.Namespace(
        demo=bool(given.window_demo), port=given.window_port, latency=given.window_latency
    )


class DemoSandboxError(Exception):
    """The demo's sandbox could not start; the message says why in plain words and names
    the option to change."""


def _demo_invitation(sandbox: Sandbox) -> str:
    """The demo's first words: a candidate of its sandbox to find (its first one)."""
    from kombo_desktop.qt.main_window import DEMO_INVITATION

    candidate = sandbox.candidates[0]
    name = f"{candidate['first_name']} {candidate['last_name']}"
    email = candidate["email_addresses"][0]["email_address"]
    return DEMO_INVITATION.format(name=name, email=email)


def _start_demo_sandbox(args: argparse.Namespace) -> Sandbox:
    """The demo's sandbox, serving on loopback; ``DemoSandboxError`` when it cannot."""
    from kombo_desktop.sandbox import Sandbox

    try:
        # Not given: a free port, and no delay.
        return Sandbox(port=args.port or 0, latency_ms=args.latency or 0).start()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if args.port is None:
            # No port was asked for, and no free one could be opened (too many files
            # open, say): no option of the person's to change.
            raise DemoSandboxError(f"Cannot open the demo's sandbox: {reason}.") from exc
        # A port in use, or one this user may not open: the person picks another.
        raise DemoSandboxError(
            f"Cannot open the demo on port {args.port} (--port): {reason}. Choose another "
            "port, or leave out --port to use a free one."
        ) from exc


def _application_instance(argv: list[str]) -> QApplication:
    global _application
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    _application = QApplication(["kombo-desktop", *argv])
    from kombo_desktop.qt.garbage import collect_on_gui_thread

    # Background threads must never free Qt objects (see the module).
    collect_on_gui_thread(_application)
    return _application


def launch(argv: list[str]) -> QMainWindow:
    """Create or reuse the ``QApplication``, build and show the main window for ``argv``.

    ``argv`` holds the arguments after the program name (``["--demo"]`` included).
    The event loop is not entered, so tests can drive the window. In demo mode a
    sandbox runs in this process on loopback and stops when the window closes; when it
    cannot start, ``DemoSandboxError`` is raised before the window is built.
    """
    from kombo_desktop.qt import import_scan

    # Before the window's modules load: each pays PySide's per-import check.
    import_scan.install()
    args = _parse(argv)
    # Before any window (or the application object): a demo that cannot start is said on
    # the terminal, not by a half-built window.
    if not isinstance(QApplication.instance(), QApplication | None):
        # A QCoreApplication or QGuiApplication of the caller's: no window can be made.
        raise RuntimeError("Kombo Desktop's window needs a QApplication, not another kind")
    sandbox = _start_demo_sandbox(args) if args.demo else None
    try:
        return _launch_window(argv, sandbox)
    except BaseException:
        if sandbox is not None:
            sandbox.stop()  # no window will close to stop it
        raise


def _launch_window(argv: list[str], sandbox: Sandbox | None) -> QMainWindow:
    """``launch``'s window, for the demo with ``sandbox``, shown."""
    app = _application_instance(argv)
    app.setApplicationName("Kombo Desktop")
    app.setApplicationVersion(_version())
    app.setDesktopFileName("kombo-desktop")

    from kombo_desktop.core.logs import hold_log_records
    from kombo_desktop.qt.icons import app_icon
    from kombo_desktop.qt.main_window import DEMO_BANNER_TEXT, MainWindow
    from kombo_desktop.qt.settings import app_settings

    # The log file is set up in the background once the window shows; records wait for it.
    hold_log_records()
    app.setWindowIcon(app_icon())
    # The demo's own settings: trying its Settings menu, resizing it or moving its splitters
    # must not change how real work opens or whether it asks before a production send.
    damaged_settings: list[str] = []
    settings = app_settings(demo=sandbox is not None, on_damaged=damaged_settings.append)
    if sandbox is not None:
        from kombo_desktop.core import paths
        from kombo_desktop.core.drafts import DEMO_DRAFT_FILE_NAME, DraftStore
        from kombo_desktop.qt.connection_bar import ConnectionBar
        from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

        bar = ConnectionBar()
        bar.set_values(
            api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
        )
        # The banner promises that nothing is sent to Kombo: no region can be picked.
        bar.keep_to_sandbox(sandbox.base_url)
        # Its own draft: sandbox IDs typed in a demo must not come back with a real
        # customer's profile, nor a demo overwrite the form of real work.
        demo_draft = DraftStore(paths.data_dir() / DEMO_DRAFT_FILE_NAME)
        window = MainWindow(
            bar, settings=settings, demo_banner=DEMO_BANNER_TEXT, draft_store=demo_draft
        )
        window.closed.connect(sandbox.stop)
        window.demo_sandbox = sandbox
        window.response.set_invitation(_demo_invitation(sandbox))
    else:
        window = _window_with_profiles(settings)
    # Quitting without closing the window (a session ending) still saves the draft.
    app.aboutToQuit.connect(window.shutdown)
    for words in damaged_settings:
        window.show_start_notice(words)
    window.show()
    _set_up_log_file_later()
    return window


#: After the window shows, the log file is set up after this delay (off the GUI thread).
LOG_SETUP_DELAY_MS = 50


def _set_up_log_file_later() -> None:
    """Set up the log file on a background thread shortly after the window shows.

    It needs ``logging.handlers`` (about 20 ms of imports) that the first paint does
    not; what is logged before goes to the file then (``hold_log_records``).
    """
    from kombo_desktop.core import paths

    directory = paths.log_dir()  # now, so that the file is this session's one

    def set_up() -> None:
        from kombo_desktop.core.logs import set_up_log_file

        # No log file is no reason to stop the app: it says so on stderr and goes on.
        set_up_log_file(directory)

    def start() -> None:
        threading.Thread(target=set_up, name="kombo-log-setup", daemon=True).start()

    QTimer.singleShot(LOG_SETUP_DELAY_MS, start)


def _window_with_profiles(settings: QSettings) -> MainWindow:
    """The main window with the profile picker as its connection source."""
    from kombo_desktop.core.profiles import ProfileStore
    from kombo_desktop.core.secrets import KeyStore
    from kombo_desktop.qt.main_window import MainWindow
    from kombo_desktop.qt.profile_picker import ProfilePicker

    store = ProfileStore()
    # A small JSON file, read once before the event loop starts.
    problem = store.load().message
    window: MainWindow | None = None

    def when_network_ready(callback: NetworkWaiter) -> None:
        assert window is not None
        window.when_network_ready(callback)

    picker = ProfilePicker(store, KeyStore(), when_network_ready, settings=settings)
    window = MainWindow(picker, settings=settings)
    if problem:
        window.statusBar().showMessage(problem)
        window.response.show_idle(problem)
    return window


def _version() -> str:
    from kombo_desktop import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """``launch`` plus the event loop; returns the exit code.

    Only here (not in ``launch``, which tests drive) does an uncaught exception get the
    app's hook: logged with keys redacted, shown in the status bar, the window kept. And
    only here is the app one window per user and data location (the demo one more):
    started again, it brings that window to the front, says so and exits with 0.
    """
    from kombo_desktop.qt import import_scan

    # As ``launch`` does, before this start's first module of the app's own is imported.
    import_scan.install()
    from kombo_desktop.qt import single_instance

    arguments = list(sys.argv[1:] if argv is None else argv)
    args = _parse(arguments)
    # Before the demo's sandbox or any window: a second start builds neither.
    claim = single_instance.claim(single_instance.lock_path(demo=args.demo))
    if isinstance(claim, single_instance.AlreadyOpen):
        said = [claim.words()]
        # The open demo's sandbox keeps the port and delay it started with: a person who
        # asked for others must not think they were given them.
        given = (("--port", args.port), ("--latency", args.latency))
        unused = [option for option, value in given if value is not None]
        if unused:
            said.append(single_instance.demo_options_not_used(unused))
        _tell_second_start(said, window_in_front=claim.brought_forward and not unused)
        return 0
    try:
        return _run(arguments, claim)
    finally:
        claim.release()


#: The title of the box that tells a second start's words where there is no terminal.
SECOND_START_TITLE = "Kombo Desktop"


def _tell_second_start(said: list[str], *, window_in_front: bool) -> None:
    """Print what a start that found the app open says, one line each; started without a
    terminal (Windows' ``pythonw``, from the Start menu), show it in a box instead, unless
    the open window came to the front, which says enough.

    Without it such a start showed nothing at all where Windows kept the open window from
    the front, as it often does for another program's window.
    """
    if sys.stdout is not None:
        for words in said:
            print(words)
        return
    if window_in_front:
        return
    from PySide6.QtWidgets import QMessageBox

    _application_instance([])
    QMessageBox.information(None, SECOND_START_TITLE, "\n\n".join(said))


def _run(argv: list[str], instance: FirstInstance) -> int:
    """``launch`` and the event loop of the start that holds the window lock."""
    try:
        window = launch(argv)
    except DemoSandboxError as exc:
        # A mistake in the options, as argparse reports one: its exit code, no window.
        print(exc, file=sys.stderr)
        return 2
    instance.serve(window)
    from kombo_desktop.qt.main_window import MainWindow  # loaded with the window

    if instance.unlocked_words and isinstance(window, MainWindow):
        # Nothing else would say it, and the layout and the draft's safety depend on it.
        window.show_start_notice(instance.unlocked_words)
    from kombo_desktop.core.crash_report import (
        install_exception_hook,
        install_thread_exception_hook,
        where_details_are,
    )

    status_bar = window.statusBar()

    def tell_user(error: BaseException) -> None:
        # Worded where every answer is worded; loaded only if it ever comes to this.
        from kombo_desktop.core.messages import describe_error
        from kombo_desktop.qt.spoken import announce

        # The log file only when there is one: it could not be made, or not yet.
        words = " ".join(filter(None, (describe_error(error).text, where_details_are())))
        status_bar.showMessage(words)
        # Said too: the status bar is away from the focus, and a screen reader does not
        # read it out, so whoever listens would not know that what they did went wrong.
        announce(status_bar, words)

    previous_hook = install_exception_hook(tell_user)
    previous_thread_hook = install_thread_exception_hook()
    app = QApplication.instance()
    assert app is not None
    try:
        with _quit_on_stop_signals(app):
            code: int = app.exec()
    finally:
        sys.excepthook = previous_hook
        threading.excepthook = previous_thread_hook
    if isinstance(window, MainWindow) and window.network_thread_left_running():
        _end_leaving_the_network_thread(code, instance)
    del window
    return code


def _end_leaving_the_network_thread(code: int, instance: FirstInstance) -> None:
    """End the process now, the network thread still stuck in a call: Qt aborts the process
    when it deletes a running thread (a crash report, after seconds more of waiting, the
    window lock held meanwhile). The window has written its draft and settings by now."""
    import logging
    import os

    instance.release()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@contextmanager
def _quit_on_stop_signals(app: QCoreApplication) -> Iterator[None]:
    """While in effect, SIGTERM (a logout, ``systemctl``, ``kill``) and SIGINT (Ctrl+C in
    the terminal) quit ``app`` as its Quit does: the window's ``shutdown`` then saves its
    size, its splitters and the draft, typing of the last moment included.

    Python runs a signal's handler only when it next gets control, which inside Qt's event
    loop may be never (Ctrl+C did nothing, and SIGTERM killed the app at once). So the
    handler itself does nothing: Python writes the signal's number to a pipe that the event
    loop watches, and the loop quits when it reads one there. Not on Windows, where a
    pipe cannot be watched this way; nor off the main thread, where signals cannot be set.
    """
    if sys.platform == "win32" or threading.current_thread() is not threading.main_thread():
        yield
        return
    import os
    import signal

    from PySide6.QtCore import QSocketNotifier

    numbers = (signal.SIGTERM, signal.SIGINT)
    reader, writer = os.pipe()
    os.set_blocking(reader, False)
    os.set_blocking(writer, False)
    previous_handlers = {number: signal.signal(number, _signal_noted) for number in numbers}
    previous_fd = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    notifier = QSocketNotifier(reader, QSocketNotifier.Type.Read)

    def on_signal() -> None:
        try:
            received = os.read(reader, 64)
        except BlockingIOError:
            return
        if any(number in received for number in numbers):
            # exit, not quit: no question (a send on its way) may hold a logout up.
            app.exit(0)

    notifier.activated.connect(on_signal)
    try:
        yield
    finally:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(previous_fd)
        for number, handler in previous_handlers.items():
            # None: a handler not set from Python, which cannot be put back from here.
            if handler is not None:
                signal.signal(number, handler)
        os.close(reader)
        os.close(writer)


def _signal_noted(_number: int, _frame: object) -> None:
    """The Python handler of SIGTERM and SIGINT: the event loop acts on them
    (``_quit_on_stop_signals``); without a Python handler, SIGTERM would kill the app."""
