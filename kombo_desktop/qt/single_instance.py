"""One window per user and data location: starting the app again brings that window forward.

Two windows on the same files would share one draft (the window closed last would win,
and both would hold the same unsent form). So the first start takes a lock file in the
config directory (``QLockFile``, which takes over a lock left by a process that died)
and, once its window shows, listens on a local socket named after the lock's path. A
later start that finds the lock held asks the first, through that socket, to bring its
window to the front, and exits; a start that races the first (lock taken, nobody
listening yet) keeps asking for a short while.

The demo has a lock of its own (``lock_path``): it keeps its own draft, so a demo may be
open next to the real window, and a second demo brings the first forward.

Neither side needs the application object: a second start never builds one. QtNetwork is
loaded after the first window shows, on a background thread (``ModuleLoader``); the lock
alone is taken before, which costs a small file write.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QLockFile, QObject, QSysInfo, Qt, QTimer, Slot

from kombo_desktop.core import paths
from kombo_desktop.qt.module_loader import ModuleLoader

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QMainWindow

log = logging.getLogger(__name__)

#: Said by a start that finds the app open already (it then exits).
ALREADY_OPEN_TEXT = "Kombo Desktop is already open."
#: Added when its window came to the front.
BROUGHT_FORWARD_TEXT = "Its window is now in front."
#: Added when the open app answered, but its window did not become the active one (a
#: desktop that keeps other programs from taking the focus may refuse it).
NOT_IN_FRONT_TEXT = "Look for its window among your open windows."
#: Added when the open app did not answer (it may still be starting, or be stuck): a stuck
#: one answers no start, so only closing it lets the app open again.
NOT_BROUGHT_FORWARD_TEXT = (
    "Its window could not be brought to the front: look for it among your open windows. "
    "If it does not respond, close it, then start Kombo Desktop again."
)


def unwritable_config_words(folder: Path, why: str) -> str:
    """What a window opened without its lock tells, the settings folder ``folder`` being
    one that cannot be made or written (``why``): what is not kept, and what may happen."""
    return (
        f"Settings cannot be saved in {folder} ({why}): the window's size and layout will "
        "not be kept, and a second Kombo Desktop window could open and write over this "
        "one's draft."
    )


#: What a second start sends, and what the first answers once its window is in front, or
#: when the desktop did not let it come there.
SHOW_REQUEST = b"show\n"
SHOWN_ANSWER = b"shown\n"
NOT_SHOWN_ANSWER = b"open\n"
#: How long the first start waits for its window to become the active one before it
#: answers that it did not (milliseconds).
_ACTIVE_WAIT_MS = 400
#: A request is one short line; anything longer is not one of ours.
_MAX_REQUEST_BYTES = 64

#: How long a second start keeps asking while the first is still starting (seconds):
#: the first listens once its network code has loaded, a second or two on a slow disk.
ASK_FOR_S = 10.0
#: Between two tries, and how long one try waits to connect and for the answer (ms).
_RETRY_PAUSE_S = 0.2
_CONNECT_MS = 500
_ANSWER_MS = 5000

#: A lock naming no owner this old was left half-written, not being written (ms): a start
#: writes its lock a moment after creating it.
OWNERLESS_LOCK_AGE_MS = 2000

_LOCK_FILE_NAME = "window.lock"
_DEMO_LOCK_FILE_NAME = "demo-window.lock"


def lock_path(*, demo: bool = False) -> Path:
    """The lock of the window (``demo``: of the demo's window) in the config directory."""
    return paths.config_dir() / (_DEMO_LOCK_FILE_NAME if demo else _LOCK_FILE_NAME)


def server_name(lock: Path) -> str:
    """The local socket's name for ``lock``: the same for every start on the same files.

    A hash, as the name becomes a file name in the temporary directory (or a pipe name on
    Windows), which must be short and must not hold the path's own characters.
    """
    import hashlib  # loaded by then with the network code; not worth it at start-up

    digest = hashlib.sha256(str(lock.absolute()).encode("utf-8")).hexdigest()
    return f"kombo-desktop-{digest[:32]}"


def demo_options_not_used(options: list[str]) -> str:
    """What a start of the demo that found it open says of the ``options`` it was given
    (``--port``, ``--latency``): the open demo keeps its own."""
    named = " and ".join(options)
    verb = "was" if len(options) == 1 else "were"
    return (
        f"{named} {verb} not used: the open demo keeps the settings it started with. "
        "Close it, then start the demo again to use them."
    )


@dataclass(frozen=True)
class AlreadyOpen:
    """Another start holds the lock; ``brought_forward``: its window came to the front;
    ``answered``: it answered at all (a stuck or starting one does not)."""

    brought_forward: bool
    answered: bool = True

    def words(self) -> str:
        """What the start that exits says."""
        if self.brought_forward:
            more = BROUGHT_FORWARD_TEXT
        elif self.answered:
            more = NOT_IN_FRONT_TEXT
        else:
            more = NOT_BROUGHT_FORWARD_TEXT
        return f"{ALREADY_OPEN_TEXT} {more}"


class FirstInstance(QObject):
    """This start's window is the one: it holds the lock, and once ``serve`` is called and
    the window shows, brings the window forward whenever the app is started again.

    Without a lock (``lock`` None: the config directory cannot be written) the app runs
    as it did before there was one: nothing is served. ``unlocked_words`` then says why,
    for the window to show, when it is something the person should know.
    """

    def __init__(self, lock: QLockFile | None, *, unlocked_words: str | None = None) -> None:
        super().__init__()
        self._lock = lock
        #: Why this start holds no lock, in words for the window; None when it holds one,
        #: or when there is nothing to tell (the lock is another computer's).
        self.unlocked_words = unlocked_words
        self._window: QMainWindow | None = None
        self._server: QLocalServer | None = None
        self._loader: ModuleLoader | None = None

    @property
    def holds_lock(self) -> bool:
        """True when this start holds the lock (other starts then ask it to show itself)."""
        return self._lock is not None and self._lock.isLocked()

    @property
    def listening(self) -> bool:
        """True once a start of the app again is answered (``serve`` listens by then)."""
        return self._server is not None

    def serve(self, window: QMainWindow) -> None:
        """Bring ``window`` forward when the app is started again.

        QtNetwork loads in the background once the window's own network code has (the
        ``networkReady`` signal of the main window): the window appears first, and the
        first Submit does not wait for it. Then the server listens, on the GUI thread.
        """
        if not self.holds_lock:
            return
        self._window = window
        self._loader = ModuleLoader(("PySide6.QtNetwork",), self, what="the local socket code")
        # Listens once loaded, or at once when it was loaded already (by then a loader
        # has nothing to load and never says "ready").
        self._loader.when_ready(self._listen)
        ready = getattr(window, "networkReady", None)
        network_ready = getattr(window, "network_ready", None)
        if ready is None or (callable(network_ready) and network_ready()):
            # Another kind of window, or its network code is loaded already: no signal
            # of it is to come.
            self._start_loading()
        else:
            ready.connect(self._start_loading, Qt.ConnectionType.SingleShotConnection)

    @Slot()
    def _start_loading(self) -> None:
        if self._loader is not None:
            self._loader.start()

    @Slot()
    def _listen(self) -> None:
        if self._loader is None or self._loader.error is not None:
            log.warning("Starting Kombo Desktop again will not bring this window forward")
            return
        # Loaded by the loader: taken from the module table, not imported here.
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        # Only this user's starts may ask (on Unix the socket file gets owner-only access).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A socket file left by a start that crashed: this start holds the lock, it is ours.
        assert self._lock is not None
        name = server_name(Path(self._lock.fileName()))
        QLocalServer.removeServer(name)
        if not server.listen(name):
            log.warning(
                "Starting Kombo Desktop again will not bring this window forward: %s",
                server.errorString(),
            )
            return
        server.newConnection.connect(self._on_new_connection)
        self._server = server

    @Slot()
    def _on_new_connection(self) -> None:
        server = self._server
        while server is not None and (socket := server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda socket=socket: self._on_request(socket))
            socket.disconnected.connect(socket.deleteLater)
            self._on_request(socket)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            if socket.bytesAvailable() > _MAX_REQUEST_BYTES:
                socket.abort()
            return
        request = socket.readLine(_MAX_REQUEST_BYTES + 1).data()
        if request != SHOW_REQUEST:
            socket.disconnectFromServer()
            return
        self.bring_forward()
        # Answered once the window is the active one, or after a while without: a desktop
        # may refuse a program the focus, and the start must not say it is in front then.
        waited = QElapsedTimer()
        waited.start()

        def answer_when_active() -> None:
            window = self._window
            active = window is not None and window.isActiveWindow()
            if not active and not waited.hasExpired(_ACTIVE_WAIT_MS):
                # Tied to the socket: gone (the start asking gave up), nothing is answered.
                QTimer.singleShot(20, socket, answer_when_active)
                return
            socket.write(SHOWN_ANSWER if active else NOT_SHOWN_ANSWER)
            socket.flush()
            socket.disconnectFromServer()

        answer_when_active()

    def bring_forward(self) -> None:
        """Show the window, out of the taskbar if minimised (a maximised one stays so),
        raised above the others and active."""
        window = self._window
        if window is None:
            return
        state = window.windowState()
        if state & Qt.WindowState.WindowMinimized:
            window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        log.info("Kombo Desktop was started again: its window was brought to the front")

    def release(self) -> None:
        """Stop listening and give the lock up (when the app quits); idempotent."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def claim(lock: Path) -> FirstInstance | AlreadyOpen:
    """Take ``lock``, or when another start holds it, ask that one to show its window.

    A lock left by a process that died is taken over, and so is one that names no process
    (left empty or cut short by a power cut) once it is not being written. When the lock
    cannot be taken for another reason (a read-only config directory), or is held from
    another computer (a home folder on a network drive, whose socket cannot be reached
    from here), this start goes on without it: a window that opens is better than none. A
    lock under another host name is asked through the socket first: the computer's own
    name may have changed (with the network, on a laptop) since its window opened.
    """
    file = _lock_file(lock)
    if file is None:
        why = "the folder cannot be made"
        return FirstInstance(None, unlocked_words=unwritable_config_words(lock.parent, why))
    deadline = time.monotonic() + ASK_FOR_S
    while True:
        if file.tryLock(0):
            return FirstInstance(file)
        if file.error() != QLockFile.LockError.LockFailedError:
            log.warning("Could not take the window lock %s (%s)", lock, file.error().name)
            why = "the folder cannot be written"
            return FirstInstance(None, unlocked_words=unwritable_config_words(lock.parent, why))
        # Asked before the host name is looked at: a lock taken under another name may be
        # this computer's all the same (its name changed with the network), and an answer
        # proves it is.
        answered = ask_to_show(server_name(lock))
        if answered is not None:
            brought_forward = answered == SHOWN_ANSWER
            return AlreadyOpen(brought_forward, answered=brought_forward or bool(answered))
        if not _names_its_owner(file) and _take_over_ownerless(file):
            log.warning("The window lock %s named no owner (left half-written): taken over", lock)
            return FirstInstance(file)
        if _held_by_another_program(file) and _take_over_from_another_program(file):
            log.warning("The window lock %s named a program that is no Kombo Desktop: taken", lock)
            return FirstInstance(file)
        if _held_on_another_computer(file) and not _may_still_be_starting_here(file):
            log.warning("The window lock %s is held on another computer: opening anyway", lock)
            return FirstInstance(None)
        # Nobody listens yet (the first start is still starting) or any more (it is
        # quitting, and the lock is about to be free): try both again.
        if time.monotonic() >= deadline:
            if _held_on_another_computer(file):
                # Its process was one of this computer's by number only: nobody answered.
                log.warning("The window lock %s is held on another computer: opening", lock)
                return FirstInstance(None)
            return AlreadyOpen(brought_forward=False, answered=False)
        time.sleep(_RETRY_PAUSE_S)


def ask_to_show(name: str) -> bytes | None:
    """Ask the start listening as ``name`` to show its window: its answer
    (``SHOWN_ANSWER``, or ``NOT_SHOWN_ANSWER`` when its window did not come to the front),
    ``b""`` when it connected but did not answer in time, ``None`` when nobody listens."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_CONNECT_MS):
        return None
    socket.write(SHOW_REQUEST)
    socket.waitForBytesWritten(_CONNECT_MS)
    # The answer is one line; it may come in pieces, and stays readable after the first
    # start hangs up.
    while not socket.canReadLine() and socket.waitForReadyRead(_ANSWER_MS):
        pass
    answer = socket.readLine(_MAX_REQUEST_BYTES + 1).data() if socket.canReadLine() else b""
    socket.abort()
    return bytes(answer) if answer in (SHOWN_ANSWER, NOT_SHOWN_ANSWER) else b""


def _lock_file(lock: Path) -> QLockFile | None:
    """A ``QLockFile`` at ``lock`` that never goes stale by age (the window holds it for
    hours), only when its process is gone; ``None`` when its folder cannot be made."""
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("Could not make the folder of the window lock %s: %s", lock, exc)
        return None
    file = QLockFile(str(lock))
    file.setStaleLockTime(0)
    return file


def _names_its_owner(file: QLockFile) -> bool:
    """True when the lock names the process that holds it (False: empty or cut short)."""
    pid, _host, _application = file.getLockInfo()
    return bool(pid) and pid > 0


def _take_over_ownerless(file: QLockFile) -> bool:
    """Take a lock that names no owner; True once this start holds it.

    A power cut or a full disk while a start wrote the lock leaves it empty or full of
    zero bytes. With no stale time (``_lock_file``) Qt would keep such a lock forever, so
    the app would never open again: a lock that names nobody is judged by its age alone.
    One a start is writing right now is younger than ``OWNERLESS_LOCK_AGE_MS``; and Qt
    removes a stale lock only if no process has it open and locked, so one that is in use
    is never taken.
    """
    file.setStaleLockTime(OWNERLESS_LOCK_AGE_MS)
    try:
        return file.tryLock(0)
    finally:
        file.setStaleLockTime(0)


def _may_still_be_starting_here(file: QLockFile) -> bool:
    """True when the process the lock names runs on this computer, as far as can be told:
    a start under the computer's earlier name may not listen yet. Where that cannot be
    told (Windows), False: the lock is taken for another computer's once nobody answers."""
    pid, _host, _application = file.getLockInfo()
    return runs_here(pid)


def runs_here(pid: int) -> bool:
    """Whether process ``pid`` runs on this computer, as this user's: False when it ended
    (a zombie too: ended, under an init process that reaps none), is another user's, or
    cannot be told (Windows, where ``os.kill(pid, 0)`` sends Ctrl+C to a console)."""
    if sys.platform == "win32" or pid <= 0:
        return False
    if _PROC.is_dir():
        entry = _PROC / str(pid)
        try:
            if entry.stat().st_uid != os.getuid():
                return False
            # The state follows the command's name in parentheses, which may hold any text.
            state = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state not in (b"Z", b"X")
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except OSError:
        # Gone, or another user's (PermissionError): not a start of this user's app.
        return False
    return True


#: Linux's process table, where a process's state and owner can be read.
_PROC = Path("/proc")


def _held_by_another_program(file: QLockFile) -> bool:
    """True when the process the lock names, on this computer, runs no Kombo Desktop: the
    app that took the lock ended without freeing it (a kill, a crash, a power cut), and
    its number went to another program since, of the same interpreter (which Qt takes for
    the app still open: every start would then wait and give up). Known where the command
    line of a process can be read (Linux); False elsewhere, and when it cannot be read."""
    pid, _host, _application = file.getLockInfo()
    if not pid or pid <= 0 or pid == os.getpid():
        return False
    if _held_on_another_computer(file):
        return False  # another computer's number: no process here tells of it
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return bool(command) and b"kombo" not in command.lower()


def _take_over_from_another_program(file: QLockFile) -> bool:
    """Remove the lock ``file``, left by an app that is gone (``_held_by_another_program``),
    and take it; True once this start holds it. Qt removes it only when no process has it
    open and locked: a start taking it at the same moment, or a live holder whose command
    line names no Kombo Desktop, keeps it."""
    return file.removeStaleLockFile() and file.tryLock(0)


def _held_on_another_computer(file: QLockFile) -> bool:
    # An empty host name when the file cannot be read (it is being written or removed
    # right now): asked again on the next try.
    _pid, host, _application = file.getLockInfo()
    return bool(host) and host != QSysInfo.machineHostName()
