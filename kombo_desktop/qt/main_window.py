"""The window a recruiter lives in: connection on top, the form left, the answer right.

Every request goes through the one ``ApiWorker``; the GUI thread never waits on the
network. While a request is in flight Submit is off, Cancel and Esc are on. The form
is saved as a draft while typing and never cleared by a failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property, partial
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop import __version__
from kombo_desktop.core.connection import Connection, Environment
from kombo_desktop.core.form_state import (
    FormState,
    SentLink,
    TypedSinceSent,
    find_sent_link,
    sent_fingerprint,
    with_sent_link,
)
from kombo_desktop.core.sentences import as_sentence, counted, listed
from kombo_desktop.qt.connection_source import (
    ChoosesProfiles,
    ConnectionSource,
    ReadsKeysAgain,
    as_connection_source,
    integration_of,
)
from kombo_desktop.qt.draft_keeper import DraftKeeper
from kombo_desktop.qt.module_loader import ModuleLoader
from kombo_desktop.qt.request_preview import RequestPreview
from kombo_desktop.qt.response_panel import ResponsePanel
from kombo_desktop.qt.result_link_form import CHECKING_TEXT, FIELD_NAMES, ResultLinkForm
from kombo_desktop.qt.settings import (
    FIND_DIALOG_SIZE,
    SCREEN_MARGIN,
    ProductionConfirmation,
    app_settings,
    geometry_is_usable,
    restore_dialog_size,
    save_dialog_size,
)
from kombo_desktop.qt.spoken import announce, show_text
from kombo_desktop.qt.status_bar import MessageRoom, ShortenedLabel

if TYPE_CHECKING:
    # The network stack (httpx, asyncio) loads with the first request, not at start-up;
    # the models (pydantic) load in the background right after the window shows.
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QMessageBox

    from kombo_desktop.core.client import ApiOutcome, KomboClient, Timeouts
    from kombo_desktop.core.drafts import DraftStore
    from kombo_desktop.core.models import ResultLinkRequest, Target
    from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
    from kombo_desktop.qt.worker import ApiWorker, Job

log = logging.getLogger(__name__)

WINDOW_TITLE = "Kombo Desktop"
#: The demo's title: next to the real window, the taskbar and window switcher show titles only.
DEMO_WINDOW_TITLE = "Kombo Desktop (demo)"
DEMO_BANNER_TEXT = "Demo: sandbox on this computer, nothing is sent to Kombo"
#: The longest closing waits, with the window shown, to learn whether the last typing was
#: saved (and to ask if it was not).
DRAFT_SETTLE_WAIT_MS = 2000
#: The idle panel's words while no profile is saved: the first step is one.
FIRST_PROFILE_INVITATION = (
    "Nothing sent yet. Start with Manage profiles… in the toolbar: add your customer's "
    "profile (its integration ID and API key from Kombo), then fill in the form and press "
    "Submit (Ctrl+Enter). To see how it works first, Help > Try the demo."
)
#: The demo's idle words: a candidate of the sandbox to find, "{name}" and "{email}".
DEMO_INVITATION = (
    "Nothing sent yet. Try it: press Find… and search {email} to pick {name}, then fill in "
    "the label and result URL and press Submit (Ctrl+Enter)."
)

#: If a cancelled request does not report back within this time, the window stops waiting.
CANCEL_GRACE_MS = 3000
#: A submitted request goes to the network thread this long after its "Sending…" frame
#: was asked for: on the event loop's next turn, once that frame is painted.
AFTER_FRAME_MS = 1
#: After the window first shows, the network code loads in the background after this delay
#: (and after the models, see ``ResultLinkForm``), so that the window appears first and the
#: first Submit does not wait for imports.
NETWORK_WARM_UP_DELAY_MS = 300
#: What requests need, loaded in the background before the first one (the client brings
#: httpx and asyncio; the answers' wording comes with it).
NETWORK_MODULES = ("kombo_desktop.core.client", "kombo_desktop.core.messages")
#: What httpx loads only when the first request connects; importing them in the warm-up
#: keeps that first request from stalling the GUI thread on the interpreter lock.
LAZY_NETWORK_MODULES = (
    "httpcore._backends.auto",
    "httpcore._backends.anyio",
    "anyio._backends._asyncio",
    "anyio.streams.tls",
    "anyio.to_thread",
)
#: After the connection changes, its HTTP client is prepared once typing pauses this long.
CLIENT_PREPARE_DELAY_MS = 800

_DEMO_BANNER_STYLE = (
    "QLabel { background: #fff4c2; color: #3d3000; padding: 6px;"
    " border-bottom: 1px solid #e0c560; font-weight: 600; }"
)

_GEOMETRY = "main_window/geometry"
_STATE = "main_window/state"
_SPLITTER = "main_window/splitter"
_SIDE_SPLITTER = "main_window/side_splitter"
# The first start's size (less ``SCREEN_MARGIN`` on a smaller screen).
_FIRST_START_SIZE = QSize(1180, 760)


#: Called once the network code is loaded, with the worker; with ``None`` if it cannot be.
NetworkWaiter = Callable[["ApiWorker | None"], object]


#: Said before sending again what was added ("{when}": " on 28 Nov at 14:32" when it was
#: in an earlier session).
ALREADY_ADDED_TEXT = (
    "This result link was already added to this {kind}{when}. Sending it again adds a second one."
)
ALREADY_ADDED_DETAIL = "To send one to the next candidate, press Next candidate first."
#: The detail when the form was cleared for the next candidate since: the same row pasted
#: again, or an ID left from the last one, would add a second link to the same person.
CHECK_TARGET_DETAIL = "Check the Target ID: it may still be the last candidate's."
MAY_BE_ADDED_DETAIL = "If you can, check the candidate in the ATS first."
#: The idle panel when the form restored from the draft is one that was sent.
RESTORED_ADDED_TEXT = (
    "Restored from your last session. This result link was already sent to this {kind} on {when}."
)
RESTORED_MAY_BE_ADDED_TEXT = (
    "Restored from your last session. This result link was sent to this {kind} on {when}, "
    "and Kombo may already have added it."
)
#: The idle panel once the form is cleared for the next candidate.
READY_FOR_NEXT_TEXT = "Ready for the next candidate."
#: Said when "Undo Next candidate" brought the form back.
NEXT_CANDIDATE_UNDONE_TEXT = "The form is back as it was before Next candidate."
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def sent_on(moment: datetime) -> str:
    """``moment`` as a recruiter reads it, in local time: "28 Nov at 14:32" (the year too
    when it is not this year). English month names whatever the system's language, as
    the rest of the window's words."""
    local = moment.astimezone()
    year = f" {local.year}" if local.year != datetime.now().astimezone().year else ""
    return f"{local.day} {_MONTHS[local.month - 1]}{year} at {local:%H:%M}"


def kept_for_next_words(typed: TypedSinceSent) -> str:
    """What "Next candidate" kept because it was typed after the send, in words: "Kept what
    you typed after sending: the Target ID and 2 attribute values."; "" when nothing was."""
    kept = [f"the {FIELD_NAMES[name]}" for name in ("target_id", "url") if getattr(typed, name)]
    if typed.attribute_rows:
        kept.append(counted(len(typed.attribute_rows), "attribute value"))
    return f"Kept what you typed after sending: {listed(kept)}." if kept else ""


class _BeforeNext(NamedTuple):
    """What the window knew of a form "Next candidate" cleared, for its undo."""

    form_as_sent: FormState | None
    cleared_for_next: bool
    restored_form: bool
    #: The connection then: undone with another, the form would go to another customer.
    connection: Connection | None


@dataclass(frozen=True)
class SentRequest:
    """What was sent last, exactly, so that Retry sends the same thing.

    Two are equal when the connection is the same and the form sends the very same body
    (``same_result_link``): that is what Retry and the question before sending a link
    twice compare.
    """

    connection: Connection
    target: Target
    request: ResultLinkRequest
    #: The id of the profile chosen when it was sent (``None`` without profiles): the
    #: profile whose key it goes with, even once that profile is deleted and another is
    #: chosen. Not part of equality: see ``MainWindow._sent_with_chosen_profile``.
    profile_id: str | None = field(default=None, compare=False)

    def __eq__(self, other: object) -> bool:
        # Not the models' ``==``: to it a remote field corrected from true to 1, or keys
        # put in another order, are no change, and Retry would send what was corrected.
        if not isinstance(other, SentRequest):
            return NotImplemented
        from kombo_desktop.core.requests import same_result_link  # loaded: a request exists

        return self.connection == other.connection and same_result_link(
            (self.target, self.request), (other.target, other.request)
        )

    @cached_property
    def fingerprint(self) -> str:
        """Which link went where, as the draft remembers it (the API key left out)."""
        return sent_fingerprint(
            self.connection.base_url, self.connection.integration_id, self.target, self.request
        )


#: A link's fingerprint as it went out, and the whole record before it was added.
_RecordBefore = tuple[str, "tuple[SentLink, ...]"]

#: Said when the form restored from the draft was filled in with a profile since deleted:
#: the profile chosen now may be another customer's.
RESTORED_FOR_GONE_PROFILE_TEXT = (
    "Restored the form from the last session. It was typed for a profile that no longer "
    "exists: choose the right profile before sending."
)
#: Asked when a form typed for a deleted profile is sent with the profile chosen now.
FORM_FOR_GONE_PROFILE_QUESTION = (
    "This form was typed for a profile that no longer exists. Send it with the profile "
    "chosen now? If that is another customer, the link goes to their ATS."
)
#: Said when the profile the form was typed for is deleted while it is open.
FORM_FOR_GONE_PROFILE_TEXT = (
    "The form was typed for a profile that no longer exists: choose the right profile "
    "before sending."
)


class MainWindow(QMainWindow):
    """Toolbar with the connection source, the form and the response side by side."""

    #: The window closed (after the draft was written and the worker stopped).
    closed = Signal()
    #: A request was handed to the network thread (after its "Sending…" frame).
    requestStarted = Signal()
    #: A request finished, whatever the outcome (tests and benchmarks wait on it).
    requestFinished = Signal()
    #: The network code is loaded and the worker runs: a Submit starts without delay.
    networkReady = Signal()

    def __init__(
        self,
        connection_source: QWidget,
        *,
        worker: ApiWorker | None = None,
        timeouts: Timeouts | None = None,
        draft_store: DraftStore | None = None,
        settings: QSettings | None = None,
        demo_banner: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``connection_source`` is a ``ConnectionBar`` or a ``ProfilePicker``.

        The window uses ``worker`` (or makes one with ``timeouts`` when first needed) for
        every request and shuts it down when it closes. ``settings`` defaults to
        ``app_settings()``.
        """
        super().__init__(parent)
        self.setWindowTitle(WINDOW_TITLE)
        self.setObjectName("mainWindow")
        self._source_widget = connection_source
        self._source: ConnectionSource = as_connection_source(connection_source)
        # Only a source that can say so tells a key read again from another customer; the
        # bar cannot (see ``_connection_undecided``).
        self._reads_keys_again: ReadsKeysAgain | None = (
            connection_source if isinstance(connection_source, ReadsKeysAgain) else None
        )
        self._worker: ApiWorker | None = worker
        if worker is not None and worker.parent() is None:
            # Given without an owner, it lives (and is stopped) with this window, not for
            # as long as the caller happens to keep a reference.
            worker.setParent(self)
        self._timeouts = timeouts
        # The warm-up timer is set once, at the first show; one load runs at a time.
        self._warm_up_scheduled = worker is not None
        self._network_loading = worker is not None
        self._network_waiters: list[NetworkWaiter] = []
        self._network_error: Exception | None = None
        # Pure-Python modules only (httpx, asyncio, the client): Qt objects stay on the
        # GUI thread. An import that fails there is kept (``ModuleLoader.error``) and said
        # to whoever waits; it is not tried again on the GUI thread.
        self._network_code = ModuleLoader(
            NETWORK_MODULES, self, optional=LAZY_NETWORK_MODULES, what="the network code"
        )
        self._prepared: Connection | None = None
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(CLIENT_PREPARE_DELAY_MS)
        self._prepare_timer.timeout.connect(self._prepare_client)
        if settings is None:
            settings = app_settings()
        self._settings = settings
        # The one owner of the production question's setting, on this window's settings.
        self._production_confirmation = ProductionConfirmation(settings, self)
        self._job: Job | None = None
        # A Submit not yet handed to the network thread: it goes out once its "Sending…"
        # frame is painted, or once the network code is loaded.
        self._pending_send: SentRequest | None = None
        # An answer shown but for its rest (a frame later): its request is not said finished.
        self._answer_pending = False
        # The question open before a send: a production key, a form for a deleted profile.
        self._before_send_box: QMessageBox | None = None
        self._send_again_box: QMessageBox | None = None
        self._close_box: QMessageBox | None = None
        self._lookup_waiting = False
        # Find… while it is open: it follows the connection (see ``_on_connection_changed``).
        self._lookup: CandidateLookupDialog | None = None
        # The integration (base URL, ID) the target shown as picked in Find… was found in.
        self._picked_in: tuple[str, str] | None = None
        self._last_sent: SentRequest | None = None
        # The form as the last send went out, until "Next candidate": the form stays
        # editable while a link is on its way, and what was typed for the next candidate
        # meanwhile is not what that press clears. After a restart: the form restored from
        # the draft, once found sent in an earlier session.
        self._form_as_sent: FormState | None = None
        # The last links added (or that may have been), in this session or, through the
        # draft, an earlier one: sending one of them again asks first, even after other
        # sends (a typo in the ID, then the right one again) and after "Next candidate"
        # (the last candidate's row pasted again).
        self._sent_links: tuple[SentLink, ...] = ()
        # True from "Next candidate" to the next send: a link sent again then is more
        # likely a row pasted twice than a retry (``CHECK_TARGET_DETAIL``).
        self._cleared_for_next = False
        # The fingerprint of the link on its way, and the whole record as it was before
        # that link was added to it: with a full record, adding it pushed the oldest link
        # out, which must come back when the answer says nothing was added.
        self._record_before_send: _RecordBefore | None = None
        # "Still waiting for the answer", while the status bar shows it: it must not
        # outlive the answer (``_said_finished``).
        self._still_sending_text = ""
        # What the status bar said of the last answer: shown again if "still waiting"
        # covered it in the frame before that answer was said finished.
        self._after_send_words: tuple[str, int] | None = None
        # What the window knew of the form "Next candidate" cleared, while it can be undone.
        self._before_next: _BeforeNext | None = None
        # Links sent before this moment were sent in an earlier session: said with a date.
        self._session_started = datetime.now(timezone.utc)
        # While the form restored from the draft has not been sent in this session, the
        # idle panel says whether it was sent before; what it says now.
        self._restored_form = False
        # The form as restored, and the link found for it (with the connection and the
        # record it was looked up in): the form edited back to it needs no new digest.
        self._restored_state: FormState | None = None
        self._restored_found: tuple[Connection, tuple[SentLink, ...], SentLink | None] | None = None
        self._idle_text = ""
        self._close_confirmed = False
        # What the person must know from the start (``show_start_notice``).
        self._start_notices: list[str] = []
        # "Close anyway" answered to losing a form whose draft cannot be saved.
        self._form_loss_confirmed = False
        # The status bar's words for the last save that failed (cleared once one works).
        self._draft_failure_said = ""
        #: Ask before closing while a request is in flight (tests and scripts turn it off).
        self.ask_before_closing_while_sending = True
        #: The in-process demo sandbox, if any: kept alive as long as the window.
        self.demo_sandbox: object | None = None
        self._has_closed = False
        self._cancel_timer = QTimer(self)
        self._cancel_timer.setSingleShot(True)
        self._cancel_timer.setInterval(CANCEL_GRACE_MS)
        self._cancel_timer.timeout.connect(self._give_up_waiting)

        # The toolbar first: the tab chain follows the order widgets join the window, and a
        # keyboard or screen-reader user meets the window top to bottom, the connection
        # before the form.
        toolbar = QToolBar("Connection", self)
        toolbar.setObjectName("connectionToolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(connection_source)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        self.form = ResultLinkForm(self)
        self.preview = RequestPreview(self)
        self.response = ResponsePanel(self)

        self.side_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.side_splitter.setObjectName("sideSplitter")
        self.side_splitter.addWidget(self.preview)
        self.side_splitter.addWidget(self.response)
        self.side_splitter.setStretchFactor(0, 2)
        self.side_splitter.setStretchFactor(1, 3)
        self.side_splitter.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.form)
        self.splitter.addWidget(self.side_splitter)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.demo_banner = QLabel(self)
        self.demo_banner.setAccessibleName("Demo banner")
        self.demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.demo_banner.setWordWrap(True)
        self.demo_banner.setVisible(False)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._build_menus()
        if demo_banner:
            self.set_demo_banner(demo_banner)
        # The window opens ready to fill the form, though the tab chain starts above it.
        self.form.target_type.setFocus(Qt.FocusReason.OtherFocusReason)

        # The status bar's messages take the room they need: the connection summary beside
        # them gives up its own, its end cut (all of it if need be). A cut sentence
        # ("Copied a curl command; it reads the key from $KOMB") says less than the
        # summary, which the toolbar shows in full anyway.
        status = self.statusBar()
        MessageRoom(status)
        self._connection_label = ShortenedLabel(self)
        self._connection_label.setAccessibleName("Connection status")
        self._draft_label = QLabel(self)
        self._draft_label.setAccessibleName("Draft status")
        status.addPermanentWidget(self._connection_label, 1)
        status.addPermanentWidget(self._draft_label)

        self.drafts = DraftKeeper(draft_store, self._draft_state, self)
        self.drafts.loaded.connect(self._on_draft_loaded)
        self.drafts.saved.connect(self._on_draft_saved)
        self.drafts.saveFailed.connect(self._on_draft_failed)
        self.drafts.setAside.connect(self._on_newer_draft_set_aside)
        self.drafts.damagedSetAside.connect(self._on_damaged_draft_set_aside)
        # The draft pairs the form with the chosen profile (the picker's; the demo's bar
        # has none), and the next start chooses that profile again.
        self._profiles: ChoosesProfiles | None = (
            connection_source if isinstance(connection_source, ChoosesProfiles) else None
        )
        # The profile id the last state taken for the draft carried.
        self._draft_profile_id: str | None = None
        # While a form restored for a deleted profile is shown with the profile chosen
        # then: (the deleted profile's id, the chosen one's).
        self._gone_draft_profile: tuple[str, str | None] | None = None
        # The deleted profile (the picker's ``deleted_choice``) the window has spoken of.
        self._deleted_choice_told: str | None = None
        if self._profiles is not None:
            self._source.connectionChanged.connect(self._on_profile_maybe_chosen)
            # Its Manage profiles refuses an export's file name holding a key the form
            # refuses, whatever its shape.
            self._profiles.refuse_in_exports(self.form.held_keys)

        self.form.changed.connect(self.drafts.schedule)
        self.form.changed.connect(self._refresh_preview)
        self.form.changed.connect(self._offer_retry_if_unchanged)
        self.form.checked.connect(self._refresh_preview)
        # On each edit as well: the words must not lag behind what the form shows.
        self.form.changed.connect(self._say_whether_restored_form_was_sent)
        self.form.checked.connect(self._say_whether_restored_form_was_sent)
        self.form.submitRequested.connect(self.submit)
        self.form.submitBlocked.connect(self._on_submit_blocked)
        self.form.cancelRequested.connect(self.cancel)
        self.form.nextCandidateRequested.connect(self.next_candidate)
        self.form.nextCandidateUndone.connect(self._on_next_candidate_undone)
        self.form.findRequested.connect(self.open_lookup)
        self.response.retryRequested.connect(self.retry)
        self._source.connectionChanged.connect(self._on_connection_changed)
        self._source.connectionChanged.connect(self._say_whether_restored_form_was_sent)

        self._restore_layout()
        self._on_connection_changed()
        self.drafts.load()

    # ---- building -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        # Some platforms define no Quit key (Windows, a desktop without a theme): Ctrl+Q
        # works everywhere, next to what the platform has.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        ctrl_q = QKeySequence("Ctrl+Q")
        quit_action.setShortcuts(quit_keys if ctrl_q in quit_keys else [*quit_keys, ctrl_q])
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        settings_menu = self.menuBar().addMenu("&Settings")
        self.confirm_production_action = QAction("Ask before sending with a &production key", self)
        self.confirm_production_action.setCheckable(True)
        confirmation = self._production_confirmation
        self.confirm_production_action.setChecked(confirmation.enabled())
        self.confirm_production_action.toggled.connect(confirmation.set_enabled)
        # "Don't ask again" in the question writes through the same owner: the tick follows.
        confirmation.changed.connect(self.confirm_production_action.setChecked)
        confirmation.notKept.connect(self._tell_setting_not_kept)
        settings_menu.addAction(self.confirm_production_action)
        help_menu = self.menuBar().addMenu("&Help")
        # Without a customer's credentials, the demo is the way to see what the app does.
        self.try_demo_action = QAction("Try the &demo", self)
        self.try_demo_action.setStatusTip(DEMO_BANNER_TEXT)
        self.try_demo_action.triggered.connect(self.open_demo)
        help_menu.addAction(self.try_demo_action)
        about_action = QAction("&About Kombo Desktop", self)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    @Slot()
    def open_demo(self) -> None:
        """Start the demo in a process and window of its own (``demo_launcher``); the
        status bar says it is opening, or that it could not be started."""
        from kombo_desktop.qt.demo_launcher import start_demo

        start_demo(self, self._tell)

    def set_demo_banner(self, text: str | None) -> None:
        """Show (or hide, with ``None``) the banner saying requests stay on this computer."""
        if text and not self.demo_banner.styleSheet():
            # Styled when first shown: a style sheet costs start-up time even when hidden.
            self.demo_banner.setStyleSheet(_DEMO_BANNER_STYLE)
        self.demo_banner.setText(text or "")
        self.demo_banner.setAccessibleDescription(text or "")
        self.demo_banner.setVisible(bool(text))
        self.setWindowTitle(DEMO_WINDOW_TITLE if text else WINDOW_TITLE)
        # The demo itself has nothing to open.
        self.try_demo_action.setVisible(not text)

    def network_thread_left_running(self) -> bool:
        """True when closing could not stop the network thread (stuck in a call)."""
        return self._worker is not None and self._worker.thread_left_running()

    @property
    def worker(self) -> ApiWorker:
        """The one worker every request of this window goes through.

        Made on first use, so that start-up loads no network code; shut down on close.
        Before the network code is loaded, this loads it on the calling thread: GUI code
        goes through ``when_network_ready`` instead.
        """
        if self._worker is None:
            from kombo_desktop.qt.worker import ApiWorker

            self._worker = ApiWorker(self, timeouts=self._timeouts)
            self.networkReady.emit()
        return self._worker

    def network_ready(self) -> bool:
        """True once the worker exists (a Submit then starts without loading anything)."""
        return self._worker is not None

    def when_network_ready(self, callback: NetworkWaiter) -> None:
        """Call ``callback(worker)`` on the GUI thread once the network code is loaded.

        Now, if it is. Otherwise the background load starts at once (if it has not yet)
        and the call follows it: the GUI thread never imports the network code itself,
        nor waits on an import another thread is running. Every action that needs the
        network (Submit, Find…, Manage profiles) comes through here. If the code cannot
        be loaded (a broken installation), ``callback(None)``: the window has said so, and
        the caller only stops waiting.
        """
        if self._worker is not None:
            callback(self._worker)
            return
        if self._has_closed:
            return
        self._network_waiters.append(callback)
        if self._network_error is not None:
            self._on_network_loaded()  # it failed before: answer now, importing nothing
        else:
            self._warm_up_network()

    def showEvent(self, event: QShowEvent) -> None:
        """On the first show, schedule loading the network code in the background."""
        super().showEvent(event)
        if not self._warm_up_scheduled:
            self._warm_up_scheduled = True
            QTimer.singleShot(NETWORK_WARM_UP_DELAY_MS, self, self._warm_up_network)

    @Slot()
    def _warm_up_network(self) -> None:
        if self._network_loading or self._worker is not None or self._has_closed:
            return
        self._network_loading = True
        # The client imports the models: one background import of them at a time, so
        # wait for the form's loader rather than race it.
        loader = self.form.model_loader
        loader.start()
        loader.when_ready(self._load_network_code)

    @Slot()
    def _load_network_code(self) -> None:
        if not self._has_closed:
            self._network_code.start()
            self._network_code.when_ready(self._on_network_loaded)

    @Slot()
    def _on_network_loaded(self) -> None:
        if self._has_closed:
            return
        waiters, self._network_waiters = self._network_waiters, []
        worker: ApiWorker | None = None
        # A failed background import is not tried again here: that would be on the GUI
        # thread. The loader has logged it; whatever waits stops waiting and says so.
        self._network_error = self._network_code.error
        if self._network_error is None:
            try:
                worker = self.worker  # starts the network thread: the imports are done
            except Exception as exc:
                log.exception("The network worker could not be started")
                self._network_error = exc
        for callback in waiters:
            try:
                callback(worker)
            except Exception:
                # One waiter failing (say, a dialog that cannot be built) must not leave
                # the others waiting for ever; the person hears of it, as of any fault.
                log.exception("An action waiting for the network code failed")
                from kombo_desktop.core.crash_report import where_details_are

                self.statusBar().showMessage(
                    f"Something unexpected went wrong. {where_details_are()}".rstrip(), 15000
                )
        if worker is None:
            # After the waiters: ending a waiting Submit clears the status bar.
            from kombo_desktop.core.crash_report import where_details_are

            self.statusBar().showMessage(
                f"Kombo Desktop could not load its network code. {where_details_are()}".rstrip(),
                15000,
            )
        else:
            self._prepare_client()
        # What the first answer needs, made ready on the turns after this one: later, it
        # would fall on that answer's frame. A Submit that waited for the network code
        # went out just now (its waiter above): made ready while it waits for its answer,
        # not on the turn that sent it.
        QTimer.singleShot(0, self.response.load_answer_classes)

    @Slot()
    def _prepare_client(self) -> None:
        """Set up the HTTP client of the current connection before the first Submit.

        Nothing is sent: the worker only builds the client (TLS settings, connection pool)
        on its own thread, so that the first request does not pay for it.
        """
        if self._has_closed or self._worker is None:
            return
        connection = self._source.current_connection()
        if connection is None or connection == self._prepared:
            return
        self._prepared = connection

        async def prepare(_client: KomboClient, _report: Callable[[str], None]) -> None:
            return None

        self._worker.submit(connection, prepare)

    @property
    def connection_source(self) -> QWidget:
        """The widget that picks the connection (bar or profile picker)."""
        return self._source_widget

    # ---- sending --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a request is in flight (or waits for its frame or the network code,
        or its answer is not yet shown whole): until it is said finished."""
        return self._job is not None or self._pending_send is not None or self._answer_pending

    @Slot()
    def submit(self) -> None:
        """Send the form's request, unless one is in flight or the form cannot be sent."""
        if self.busy:
            self._say_still_sending()
            return
        connection = self._source.current_connection()
        if connection is None:
            self._say_connection_blocks()
            return
        request = self.form.current_request()
        if request is None:
            self.form.request_submit()  # shows every problem at its field
            return
        target, body = request
        sent = SentRequest(connection, target, body, self._chosen_profile_id())
        if self._form_profile_gone():
            # The profile chosen now may be the picker's own choice, another customer's:
            # sent without a word, the link would go to that customer's ATS.
            self._ask_to_send_with_chosen_profile(sent)
            return
        self._submit_checked(sent)

    def _submit_checked(self, sent: SentRequest) -> None:
        """Send ``sent``, the form's request with the profile chosen for it, unless Kombo
        asked to wait; asking first before a send again or with a production key."""
        if self._told_to_wait(sent):
            return
        if self._send_again_question(sent) is not None:
            # What was just sent, to the same place: a Retry by another name, asked as
            # Retry asks, and not the production question on top of it (this very
            # request already went to this very connection).
            self._send_again(sent)
            return
        if self._source.environment() is not Environment.PRODUCTION:
            self._send(sent)
            return
        if self._before_send_box is not None:
            return  # already asking

        def send_if_still_idle() -> None:
            # The window stays live behind the question: what it asked about must be what
            # it still shows (``_send_if_still_as_asked``), not only that nothing is sending.
            if not self.busy:
                self._send_if_still_as_asked(sent, "Not sent")

        from kombo_desktop.qt.production_guard import ask_production_send

        box = ask_production_send(
            self,
            self._source.describe(),
            send_if_still_idle,
            setting=self._production_confirmation,
        )
        if box is not None:
            self._before_send_box = box
            box.finished.connect(self._forget_before_send_box)

    @Slot()
    def _forget_before_send_box(self) -> None:
        self._before_send_box = None

    def _ask_to_send_with_chosen_profile(self, sent: SentRequest) -> None:
        """Ask before sending a form typed for a deleted profile with the profile chosen
        now; a yes pairs the form with it, then sends as Submit does."""
        if self._before_send_box is not None:
            return  # already asking
        from PySide6.QtWidgets import QMessageBox

        from kombo_desktop.qt.questions import build_question, open_question

        box, send = build_question(
            self,
            name="goneProfileConfirmation",
            icon=QMessageBox.Icon.Warning,
            title="Send with the profile chosen now?",
            text=FORM_FOR_GONE_PROFILE_QUESTION,
            detail=f"It would be sent with {self._source.describe()}.",
            go="Send",
        )

        def decided(confirmed: bool) -> None:
            if not confirmed or self.busy:
                return
            if self._changed_since_asked(sent) is not None:
                self._send_if_still_as_asked(sent, "Not sent")
                return
            self._gone_draft_profile = None  # the person chose it for the form
            self._on_profile_maybe_chosen()
            self._before_send_box = None  # answered: a production question may follow
            self._submit_checked(sent)

        self._before_send_box = box
        box.finished.connect(self._forget_before_send_box)
        open_question(box, send, decided)

    def _send(self, sent: SentRequest) -> None:
        self._last_sent = sent
        # Every way here has checked that the form holds this very request (Retry is
        # offered only while it does).
        self._form_as_sent = self.form.state()
        self._cleared_for_next = False
        self._restored_form = False  # from now on the panel speaks of this send
        # The window shows "Sending…" first and hands the job over last: once the network
        # thread wakes it competes for the interpreter, and the GUI's work is done by then.
        # Retry, hidden by "Sending…", hands its focus on: kept like Submit's.
        with self.form.focus_keeper.going_off():
            self.form.set_busy(True)
            # In words (the request itself is in the preview): short, as they are laid out
            # anew with the panel on the frame that matters most for looking responsive.
            kind, target_id = sent.target.kind.value, sent.target.id
            self.response.show_sending(f"Adding the result link to {kind} {target_id}.")
        self.statusBar().showMessage("Sending…")
        self._pending_send = sent
        if self._worker is None:
            # The network code is still loading (its end is an event of its own, after
            # this frame), or could not load: said at once.
            self.when_network_ready(self._start_pending_send)
            return
        # Handed over once "Sending…" is painted: the network thread, once it has the job,
        # takes turns with the GUI thread for the interpreter, and that frame would come
        # late. A timer fires after the events already posted (the paint among them);
        # a zero timer would not, being a posted call itself.
        QTimer.singleShot(
            AFTER_FRAME_MS, self, partial(self.when_network_ready, self._start_pending_send)
        )

    def _start_pending_send(self, worker: ApiWorker | None) -> None:
        sent, self._pending_send = self._pending_send, None
        if sent is None:
            return  # cancelled (or the window closed) before it was handed over
        if worker is None:
            with self._ending_request():
                # Named, as every answer is: the form may hold another candidate by now.
                self.response.show_error(
                    self._network_error or RuntimeError("no network code"), sent.target
                )
            return
        target, request = sent.target, sent.request
        from kombo_desktop.qt.response_panel import RateLimitWaits

        # The panel says each rate-limit wait and counts it down rather than show its
        # first length throughout.
        waits = RateLimitWaits(
            self.response.show_progress, self.response.count_down_progress, self.response
        )

        async def add_link(client: KomboClient, report: Callable[[str], None]) -> ApiOutcome:
            on_rate_limit = waits.reporter(report)
            return await client.add_result_link(target, request, on_rate_limit=on_rate_limit)

        def connect_answers(job: Job) -> None:
            waits.follow(job)
            job.succeeded.connect(self._on_succeeded)
            job.failed.connect(self._on_failed)
            job.cancelled.connect(self._on_cancelled)

        try:
            job = worker.submit(sent.connection, add_link, before_start=connect_answers)
        except Exception as exc:
            # Nothing went out: end the wait and say why, rather than stay "Sending…".
            log.exception("The request could not be started")
            with self._ending_request():
                self.response.show_error(exc, sent.target)
            return
        self._job = job
        # Recorded as it goes out, as "may have been added": a window closed (or a crash)
        # before the answer must not forget it. The answer settles it (``_settle_record``).
        fingerprint = sent.fingerprint
        self._record_before_send = (fingerprint, self._sent_links)
        self._remember_sent(sent, confirmed=False)
        self.requestStarted.emit()

    @Slot()
    def cancel(self) -> None:
        """Abort the request in flight; the answer may still have been applied."""
        if self._pending_send is not None:
            # Nothing went out yet: the request is dropped before it starts, and said so
            # without the network code (it may still be loading on another thread).
            self._pending_send = None
            with self._ending_request():
                self.response.show_cancelled_before_sending()
                self.statusBar().showMessage("Cancelled before sending.", 5000)
            return
        if self._job is None:
            return
        self.response.show_progress("Cancelling…")
        self._job.cancel()
        self._cancel_timer.start()

    @Slot()
    def retry(self) -> None:
        """Send the last request again; asks first when the first one may have been applied.

        Only to the connection it went to, and only while the toolbar shows that one: no
        connection (a key still being read, none saved, no profile) or another one sends
        nothing, whether Retry was still on screen or not. Checked again when "Send
        again?" is answered (``_send_if_still_as_asked``): the window is live behind it.
        """
        if self.busy or self._last_sent is None:
            return
        connection = self._source.current_connection()
        if connection is None:
            self._say_connection_blocks("Not sent again")
            return
        if connection != self._last_sent.connection or not self._sent_with_chosen_profile(
            self._last_sent
        ):
            # Another profile with the very same connection is still another profile:
            # while the one it went with is deleted, the form is not yet the chosen one's.
            self._tell(
                "Not sent again: the connection changed after that request. Submit sends the "
                "form to the connection shown now.",
                8000,
            )
            return
        if self._told_to_wait(self._last_sent):
            return
        self._send_again(self._last_sent)

    def _told_to_wait(self, sent: SentRequest) -> bool:
        """True (and said) while Kombo's named wait for what was sent last is not over:
        sending it again sooner would only be refused again."""
        if sent != self._last_sent or self.response.retry_wait_left_s() <= 0:
            return False
        until = self.response.retry_wait_until
        self._tell(f"Not sent: Kombo asked to wait until {until}.", 8000)
        return True

    def _send_again_question(self, sent: SentRequest) -> tuple[str, str] | None:
        """What to ask (text, detail) before sending ``sent``: ``None`` when it cannot add
        a second link, because nothing like it was added (or may have been) among the last
        links sent (``MAX_SENT_LINKS``), in this session or the one the draft comes from.
        """
        link = find_sent_link(self._sent_links, sent.fingerprint)
        if link is None:
            return None
        # Within a session the person has just seen the answer; after a restart, the
        # date tells this link from one sent to the same candidate long ago.
        day = sent_on(link.sent_at) if link.sent_at < self._session_started else ""
        if link.confirmed:
            text = ALREADY_ADDED_TEXT.format(
                kind=sent.target.kind.value, when=f" on {day}" if day else ""
            )
            return text, CHECK_TARGET_DETAIL if self._cleared_for_next else ALREADY_ADDED_DETAIL
        # The one wording of this warning; a network module, not loaded at start-up.
        from kombo_desktop.core.messages import may_be_added_warning

        text = may_be_added_warning(f" when it was sent on {day}" if day else "", sent.target)
        return text, MAY_BE_ADDED_DETAIL

    def _remember_sent(self, sent: SentRequest, *, confirmed: bool) -> None:
        """Note that ``sent`` was added (or may have been), in memory and in the draft."""
        link = SentLink(sent.fingerprint, datetime.now(timezone.utc), confirmed)
        self._sent_links = with_sent_link(self._sent_links, link)
        if self._sent_with_chosen_profile(sent):
            # Sent with the profile chosen now, the form goes with it, whoever it was typed
            # for. Not when it went with a profile deleted since (its answer came after the
            # deletion): the one chosen now may be the picker's own choice, another
            # customer's, and the form still goes with the deleted one.
            self._gone_draft_profile = None
        # Now, not after a pause in typing: a crash right after must not forget it.
        self.drafts.save_now()

    def _settle_record(self) -> None:
        """After a failure or a cancel: keep the link recorded as it went out if the answer
        leaves open whether Kombo added it; otherwise the record is as before the send.

        As before, plus the links that arrived meanwhile (a draft read late): with a full
        record, the send pushed out its oldest link, which was added all the same.
        """
        before, self._record_before_send = self._record_before_send, None
        answer = self.response.message()
        if answer is not None and answer.may_have_been_applied:
            # Recorded as "may have been added" when it went out: nothing to change.
            if before is None and self._last_sent is not None:
                self._remember_sent(self._last_sent, confirmed=False)
        elif before is not None:
            fingerprint, earlier = before
            # The record from before, with what arrived meanwhile (a draft read late) added
            # as the draft merge adds it; this send's entry is left out: nothing was added.
            links = earlier
            for link in self._sent_links:
                if link.fingerprint != fingerprint:
                    links = with_sent_link(links, link)
            self._sent_links = links
            self.drafts.save_now()

    def _draft_state(self) -> FormState:
        """What the draft keeps: the form, what was sent from it, and whose profile."""
        self._draft_profile_id = self._profile_for_draft()
        # The key in use, typed into a field (refused there), goes no further: API keys
        # live in the keyring and in memory, never in a file. (Keys of Kombo's own shapes
        # are taken out as the file is written, ``core.drafts``.)
        form = self.form.state().without_held_keys(self.form.held_keys())
        return replace(form, sent=self._sent_links, profile_id=self._draft_profile_id)

    def _chosen_profile_id(self) -> str | None:
        """The id of the profile chosen in the toolbar; ``None`` without one (or profiles)."""
        chosen = self._profiles.current_profile() if self._profiles is not None else None
        return chosen.id if chosen is not None else None

    def _sent_with_chosen_profile(self, sent: SentRequest) -> bool:
        """True when ``sent`` went with the profile chosen now (both none without profiles)."""
        return sent.profile_id == self._chosen_profile_id()

    def _form_profile_gone(self) -> bool:
        """True while the form goes with a deleted profile (see ``_profile_for_draft``)."""
        self._profile_for_draft()  # follows the choice made (or the deletion seen) since
        return self._gone_draft_profile is not None

    def _show_after_send(self, text: str, timeout_ms: int) -> None:
        """Show ``text`` (what became of a send) in the status bar. While the form goes with
        a deleted profile, the words saying so follow it, until another message: the answer
        must not hide that the right profile is to be chosen before the next send."""
        if self._form_profile_gone():
            self._after_send_words = (f"{text} {FORM_FOR_GONE_PROFILE_TEXT}", 0)
        else:
            self._after_send_words = (text, timeout_ms)
        self.statusBar().showMessage(*self._after_send_words)

    def _say_again_if_form_profile_gone(self) -> None:
        # After the answer, announced by the panel: said once more, as the status bar
        # went on saying it, so that a success is not heard as all being well.
        if self._form_profile_gone():
            announce(self.statusBar(), FORM_FOR_GONE_PROFILE_TEXT)

    def _profile_for_draft(self) -> str | None:
        """The id of the profile the form goes with: the chosen one. While a form restored
        for a deleted profile is shown with the profile chosen then, the deleted one; so
        while a form whose profile was deleted is shown with the profile the picker chose
        on its own (``_follow_deleted_choice``); and while none is chosen (the one in use
        was deleted, say), the one it went with. The next start then says that profile is
        gone, instead of pairing the form silently with another customer's. A link sent
        with the deleted profile does not change that (``_remember_sent``)."""
        chosen_id = self._chosen_profile_id()
        self._follow_deleted_choice(chosen_id)
        if self._gone_draft_profile is not None:
            gone_id, chosen_then = self._gone_draft_profile
            if chosen_id == chosen_then:
                return gone_id
            self._gone_draft_profile = None  # a profile was chosen for the form since
        return chosen_id if chosen_id is not None else self._draft_profile_id

    def _follow_deleted_choice(self, chosen_id: str | None) -> None:
        """When the chosen profile was deleted with a form typed for it: say so at once,
        and keep the form with the deleted profile while the profile chosen is the
        picker's own choice, not the person's (the only one left, chosen for them)."""
        # The demo's bar has no profiles, so none deleted.
        deleted = self._profiles.deleted_choice() if self._profiles is not None else None
        gone = self._gone_draft_profile
        if deleted is None:
            told = self._deleted_choice_told is not None
            if told and self.statusBar().currentMessage() == FORM_FOR_GONE_PROFILE_TEXT:
                # A profile was chosen for the form since, or the deleted one is back (a
                # damaged profiles file mended): no longer true.
                self.statusBar().clearMessage()
            self._deleted_choice_told = None
            return
        if gone is not None and gone[0] == deleted:
            self._gone_draft_profile = (deleted, chosen_id)  # still none of the person's
            return
        if deleted == self._deleted_choice_told:
            return
        self._deleted_choice_told = deleted
        if self.form.state().is_empty():
            return  # nothing was typed for it
        self._gone_draft_profile = (deleted, chosen_id)
        # Until another message: the profile chosen now may be another customer's.
        self._tell(FORM_FOR_GONE_PROFILE_TEXT, 0)

    @Slot()
    def _on_profile_maybe_chosen(self) -> None:
        # Another profile for the form is a change of the draft, saved as typing is. An
        # empty form goes with no one (nor may it go over a draft still on its way).
        if self._profile_for_draft() != self._draft_profile_id and not self.form.state().is_empty():
            self.drafts.schedule()

    def _choose_profile_of_draft(self, profile_id: str | None) -> bool:
        """Choose the profile the restored form was typed for; False when it is gone.

        True without one to choose (demo mode, or a draft from before profiles were kept):
        the form then restores as it always did.
        """
        if self._profiles is None or profile_id is None:
            return True
        self._profiles.select_profile(profile_id)
        chosen = self._profiles.current_profile()
        if chosen is not None and chosen.id == profile_id:
            return True
        self._gone_draft_profile = (profile_id, chosen.id if chosen is not None else None)
        return False

    def _offer_next_if_sent(self) -> None:
        # After a failure the form may still hold a link that was added (or may have
        # been) before: "Send again?" then points to Next candidate, so it must be there.
        if self._form_sent_link() is not None:
            self.form.offer_next_candidate()

    def _form_sent_link(self) -> SentLink | None:
        """The link the form would send, to the current connection, if it was sent."""
        if not self._sent_links:
            # Nothing to find: no fingerprint is made (the whole body hashed, a few
            # milliseconds a key with a large remote-fields JSON, encoded once for all).
            return None
        connection = self._source.current_connection()
        request = self.form.current_request()
        if connection is None or request is None:
            return None
        return find_sent_link(self._sent_links, SentRequest(connection, *request).fingerprint)

    @Slot()
    def _say_whether_restored_form_was_sent(self) -> None:
        # Until something is sent in this session, the idle panel tells a form restored
        # from the draft that was sent already from one that was not (the form may still
        # be checked, the connection read from the keyring, the form edited).
        if not self._restored_form:
            return
        link = self._restored_form_sent_link()
        text = ""
        if link is not None:
            self.form.offer_next_candidate()  # the way on that the words below point to
            # The form as restored is what went out: what is typed into it from now on is
            # the next candidate's, kept by that button as after a send in this session.
            # Found only while the form still equals it, so no later edit is taken for it.
            self._form_as_sent = self._restored_state
            template = RESTORED_ADDED_TEXT if link.confirmed else RESTORED_MAY_BE_ADDED_TEXT
            kind = self.form.target_kind().value
            text = template.format(kind=kind, when=sent_on(link.sent_at))
        if text != self._idle_text:
            self._idle_text = text
            self.response.show_idle(text)
            if text:
                # Words away from the focus, as an answer's are: said, or never heard.
                announce(self.response, text)

    def _restored_form_sent_link(self) -> SentLink | None:
        """The link the form restored from the draft would send, if it was sent; ``None``
        while the form is edited into another one."""
        if not self._sent_links:
            return None  # nothing to find, and the form is not even read
        if self.form.state() != self._restored_state:
            # Another link: said without a digest of the whole body at each key, which
            # with a large remote-fields JSON made typing lag (Submit still asks before a
            # link sent already goes again).
            return None
        connection = self._source.current_connection()
        found = self._restored_found
        if found is not None and found[0] == connection and found[1] == self._sent_links:
            return found[2]
        link = self._form_sent_link()
        if connection is not None and self.form.current_request() is not None:
            self._restored_found = (connection, self._sent_links, link)
        return link

    def _send_again(self, sent: SentRequest) -> None:
        """Send ``sent`` (Retry, or Submit of what was just sent), asking first if it
        could add a second link; "Don't send" (the default, and Esc) sends nothing."""
        question = self._send_again_question(sent)
        if question is None:
            self._send(sent)
            return
        if self._send_again_box is not None:
            return  # already asking
        # The question may point to Next candidate (the link was added): it must be there.
        self.form.offer_next_candidate()
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first needed

        from kombo_desktop.qt.questions import build_question, open_question

        text, detail = question
        box, send = build_question(
            self,
            name="retryConfirmation",
            icon=QMessageBox.Icon.Warning,
            title="Send again?",
            text=text,
            detail=detail,
            go="Send again",
            stay="Don't send",
        )
        self._send_again_box = box

        def decided(send_again: bool) -> None:
            self._send_again_box = None
            if send_again and not self.busy:
                self._send_if_still_as_asked(sent, "Not sent again")
            else:
                self._tell("Not sent again.", 5000)

        open_question(box, send, decided)

    def _send_if_still_as_asked(self, sent: SentRequest, not_sent: str) -> None:
        """Send ``sent`` once a question about it is answered, if the window still shows
        what was asked about: the same connection and profile (another window or the
        command line may have changed the profile meanwhile, and the picker followed), and
        the form still holding that very request. Otherwise nothing goes out, and the
        person is told (``not_sent`` leads the words: "Not sent", "Not sent again")."""
        changed = self._changed_since_asked(sent)
        if changed is None:
            self._send(sent)
            return
        self._tell(
            f"{not_sent}: the {changed} changed while you were asked. Check it and send again.",
            10000,
        )

    def _changed_since_asked(self, sent: SentRequest) -> str | None:
        """What no longer matches ``sent`` ("connection", "form"), or ``None``."""
        connection = self._source.current_connection()
        if connection != sent.connection or not self._sent_with_chosen_profile(sent):
            return "connection"
        request = self.form.current_request()
        if request is None or SentRequest(connection, *request) != sent:
            return "form"
        return None

    @Slot()
    def _offer_retry_if_unchanged(self) -> None:
        # Retry sends exactly what was sent, where it was sent. While the form or the
        # connection says something else (edited after the answer or while the request
        # was on its way, another profile chosen), it would send what the person no
        # longer sees: Submit sends them as they are now.
        if self.busy or self._connection_undecided():
            return
        # The same profile's key read again after a save keeps Retry (the same customer);
        # another profile, one without a key, or none takes it away at once.
        connection = self._connection_in_view()
        request = self.form.current_request()
        last = self._last_sent
        same = (
            connection is not None
            and request is not None
            and last is not None
            and SentRequest(connection, *request) == last
            and self._sent_with_chosen_profile(last)
        )
        if self.response.allow_retry(same):
            self._show_after_send(
                "The form or the connection changed after that request: Submit sends "
                "them as they are now.",
                10000,
            )

    @Slot()
    def next_candidate(self) -> None:
        """Keep what repeats, and what was typed after the last send (said on the panel);
        clear the rest, and get ready for the next ID."""
        # What "Undo Next candidate" puts back, with the form: what the window knew of it.
        self._before_next = _BeforeNext(
            self._form_as_sent,
            self._cleared_for_next,
            self._restored_form,
            self._source.current_connection(),
        )
        # The last answer goes before the form clears: clearing it is no edit of that
        # request, yet with the answer (and its Retry) still shown it would be taken for
        # one, and the status bar would say the form changed after it. What was sent is
        # kept: the last candidate's row pasted again must not add a second link unasked.
        self._cleared_for_next = True
        self._restored_form = False
        # Once: pressed again (the last candidate's row pasted again, then "Don't send"),
        # the form on screen is what is cleared.
        as_sent, self._form_as_sent = self._form_as_sent, None
        text = READY_FOR_NEXT_TEXT
        typed: TypedSinceSent | None = None
        if as_sent is not None:
            typed = self.form.state().typed_since(as_sent)
            text = f"{text} {kept_for_next_words(typed)}".strip()
        self.response.show_idle(text)
        self.form.apply_next_candidate(typed)
        # What became of the last send is no longer the form's: "the form is unchanged"
        # would now be false.
        if self._after_send_words is not None:
            if self.statusBar().currentMessage() == self._after_send_words[0]:
                self.statusBar().clearMessage()
            self._after_send_words = None
        # After the focus went to the ID: said after the field's name, not cut off by it.
        announce(self.response, text)
        self.drafts.schedule()

    @Slot()
    def _on_next_candidate_undone(self) -> None:
        """The form is back as "Next candidate" found it: so is what the window knew of it
        (the link it holds sent, or maybe sent), and Next candidate is offered again."""
        before, self._before_next = self._before_next, None
        if before is None:
            return
        self._form_as_sent = before.form_as_sent
        self._cleared_for_next = before.cleared_for_next
        self._restored_form = before.restored_form
        self.form.offer_next_candidate()
        self.response.show_idle(NEXT_CANDIDATE_UNDONE_TEXT)
        announce(self.response, NEXT_CANDIDATE_UNDONE_TEXT)
        # The form's check, preview and "sent already" words follow the form put back.
        self._say_whether_restored_form_was_sent()

    @Slot(object)
    def _on_succeeded(self, outcome: object) -> None:
        from kombo_desktop.core.client import ApiOutcome
        from kombo_desktop.core.messages import warnings_counted

        assert isinstance(outcome, ApiOutcome)
        sent = self._last_sent
        with self._ending_request(succeeded=True):
            # Named: the form may hold the next candidate by now, typed while this went out.
            self.response.show_success(outcome, sent.target if sent else None)
            self._record_before_send = None
            if sent is not None:
                self._remember_sent(sent, confirmed=True)
            where = f" to {sent.target.kind.value} {sent.target.id}" if sent else ""
            # Warnings said too: one may mean the ATS shows less than was sent.
            self._show_after_send(f"Result link added{where}{warnings_counted(outcome)}.", 10000)
            self._say_again_if_form_profile_gone()

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        with self._ending_request():
            self.response.show_error(
                error if isinstance(error, BaseException) else Exception(error),
                self._answered_target(),
            )
            self._settle_record()
            self._offer_next_if_sent()
            if self.response.state() == "cancelled":  # cancelled during a rate-limit wait
                self._show_after_send("Cancelled.", 5000)
            else:
                self._show_after_send("The request failed; the form is unchanged.", 10000)
            self._offer_retry_if_unchanged()
            self._say_again_if_form_profile_gone()

    @Slot()
    def _on_cancelled(self) -> None:
        with self._ending_request():
            self.response.show_cancelled(self._answered_target())
            self._settle_record()
            self._offer_next_if_sent()
            self._show_after_send("Cancelled.", 5000)
            self._offer_retry_if_unchanged()
            self._say_again_if_form_profile_gone()

    def _answered_target(self) -> Target | None:
        """What the answer shown now is about: the target of the last send, which the
        form may no longer hold (the next candidate typed while it went out)."""
        return self._last_sent.target if self._last_sent is not None else None

    @Slot()
    def _give_up_waiting(self) -> None:
        # The worker never reported back on a cancelled job: stop waiting for it.
        if self._job is not None:
            log.warning("A cancelled request did not report back; no longer waiting for it")
            job = self._job
            for signal in (job.succeeded, job.failed, job.cancelled, job.progress):
                signal.disconnect()
            self._on_cancelled()

    @contextmanager
    def _ending_request(self, *, succeeded: bool = False) -> Iterator[None]:
        """End the request in flight (``_finish``), and say so (``requestFinished``) once
        the ``with`` block has shown what it came to and the panel shows it whole (its
        facts, details and raw answer follow its outcome a frame later), also when showing
        it failed: whoever hears that the request finished finds its answer shown (the
        panel's words and description, the raw answer, the status bar)."""
        self._finish(succeeded=succeeded)
        try:
            yield
        finally:
            # Busy until then: the next request starts after this one is said finished.
            self._answer_pending = True
            self.response.when_answer_shown(self._said_finished)

    def _said_finished(self) -> None:
        self._answer_pending = False
        if self._still_sending_text and self.statusBar().currentMessage() == (
            self._still_sending_text
        ):
            # Said in the frame between the answer and its rest: no longer true, and it
            # covered what the status bar said of the answer.
            if self._after_send_words is not None:
                self.statusBar().showMessage(*self._after_send_words)
            else:
                self.statusBar().clearMessage()
        self._still_sending_text = ""
        self.requestFinished.emit()

    def _finish(self, *, succeeded: bool = False) -> None:
        self._cancel_timer.stop()
        self._job = None
        if self._close_box is not None:
            # "Still being sent" no longer holds: the question goes, the answer shows, and
            # closing now asks nothing.
            self._close_box.reject()
        # After a success the next step is the next candidate: the form offers it as the
        # send ends, so that the focus can go there.
        self.form.set_busy(False, offer_next=succeeded)
        self.statusBar().clearMessage()
        self._after_send_words = None

    # ---- lookup ---------------------------------------------------------------------------

    @Slot()
    def open_lookup(self) -> None:
        """Open the candidate search for the current connection; a pick fills the ID."""
        connection = self._source.current_connection()
        if connection is None:
            self._say_connection_blocks("To search candidates")
            return
        worker = self._worker
        if worker is None:
            # The dialog needs the models and the network code, which load on another
            # thread: opening it now would freeze the window until they are there.
            if not self._lookup_waiting:
                self._lookup_waiting = True
                self.statusBar().showMessage("Opening the candidate search…")
                self.when_network_ready(self._open_waiting_lookup)
            return
        from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog

        dialog = CandidateLookupDialog(worker, connection, self.form.target_kind(), self)
        restore_dialog_size(dialog, self._settings, FIND_DIALOG_SIZE)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.picked.connect(self._on_picked)
        dialog.finished.connect(self._forget_lookup)
        self._lookup = dialog
        dialog.open()

    def _on_picked(self, target_id: str, words: str) -> None:
        """Find… picked ``target_id`` (``words``: whose it is) among the people of the
        customer it searched last: vouched for only while the window reaches that one."""
        found_in = self._lookup.customer() if self._lookup is not None else None
        in_view = self._connection_in_view()
        if (
            found_in is None
            or in_view is None
            or integration_of(found_in) != integration_of(in_view)
        ):
            # Another customer's ID: sent with this connection, it would name nobody, or
            # someone else. (Find… clears its rows as the connection changes.)
            from kombo_desktop.core.messages import PICKED_FOR_ANOTHER_CUSTOMER

            self.statusBar().showMessage(PICKED_FOR_ANOTHER_CUSTOMER)
            return
        self._picked_in = integration_of(in_view)
        self.form.set_picked_target(target_id, words)

    @Slot()
    def _forget_lookup(self) -> None:
        self._keep_lookup_size()
        self._lookup = None

    def _keep_lookup_size(self) -> None:
        """Keep the open Find…'s size for the next time it opens: as it closes, or as the
        app quits with it open."""
        if self._lookup is not None:
            save_dialog_size(self._lookup, self._settings, FIND_DIALOG_SIZE)

    def _open_waiting_lookup(self, worker: ApiWorker | None) -> None:
        self._lookup_waiting = False
        if worker is not None and not self._has_closed:
            self.statusBar().clearMessage()
            self.open_lookup()

    # ---- reacting -------------------------------------------------------------------------

    def _connection_in_view(self) -> Connection | None:
        """The connection the toolbar stands for: the current one, or while the chosen
        profile's key is read again after a save, the one it had (the same customer)."""
        connection = self._source.current_connection()
        if connection is None and self._reads_keys_again is not None:
            connection = self._reads_keys_again.connection_being_read_again()
        return connection

    def _connection_undecided(self) -> bool:
        """True while there is no connection and the source cannot say whose the next
        one will be: the bar while a field is retyped, between two values (what is typed
        next decides). The profile picker always knows (``_connection_in_view``)."""
        return self._reads_keys_again is None and self._source.current_connection() is None

    @Slot()
    def _on_connection_changed(self) -> None:
        connection = self._connection_in_view()
        before = self._before_next
        if before is not None and self._source.current_connection() != before.connection:
            # Undone now, the last candidate's form would go with another customer's
            # connection.
            self._before_next = None
            self.form.forget_next_candidate()
        if self._lookup is not None:
            # Its searches go with the window's connection, and its rows are its customer's.
            self._lookup.follow_connection(self._source.current_connection(), connection)
        elsewhere = connection is None or integration_of(connection) != self._picked_in
        if self._picked_in is not None and elsewhere and not self._connection_undecided():
            # Whose the ID is was found in another integration, or the toolbar shows none
            # now (another profile, one without a key): not this one's to vouch for.
            self._picked_in = None
            self.form.forget_picked_target()
        self._hold_key_of(connection)
        problem = self._source.connection_problem()
        self.form.set_external_problem(f"Connection: {problem}" if problem else None)
        if self._profiles is not None:
            # On a first start, the first step is a profile, not the form.
            from kombo_desktop.qt.profile_picker import ADD_PROFILE

            self.response.set_invitation(
                FIRST_PROFILE_INVITATION if problem == ADD_PROFILE else None
            )
        # Its description is the whole summary, however little of it a message leaves.
        self._connection_label.show_whole(self._source.describe())
        self._refresh_preview()
        self._offer_retry_if_unchanged()
        if self._worker is not None:
            self._prepare_timer.start()

    def _hold_key_of(self, connection: Connection | None) -> None:
        """Have the form refuse the key of ``connection`` (the one in view), whatever its
        shape: typed into a field, it would be written into the customer's ATS. A draft
        saved before the key was known holds it: saved again, without it.

        With saved profiles, every profile's key read in this session stays refused after
        another profile is chosen: left in a field, it would go to the next customer's
        ATS and into the draft. (A key typed into the bar is held alone: each keystroke
        there makes a new one, and the words typed before are no key.)"""
        key = connection.api_key if connection is not None else None
        if self._profiles is None:
            keys: tuple[str, ...] = (key,) if key else ()
        else:
            keys = self.form.held_keys()
            if key and key not in keys:
                keys = (key, *keys)
        if keys == self.form.held_keys():
            return
        self.form.set_held_keys(keys)
        if self.form.state().holds_held_key(keys):
            self.drafts.schedule()

    @Slot()
    def _refresh_preview(self) -> None:
        if self.form.is_checking():
            self.preview.show_problem(CHECKING_TEXT)
            return
        request = self.form.current_request()
        if request is None:
            # Listed as Submit lists them: thousands of rows at fault are counted, not named.
            still_needed = self.form.listed_problems()
            self.preview.show_problem(
                "The preview appears when the form is complete."
                + (f"\n\nStill needed:\n{still_needed}" if still_needed else "")
            )
            return
        self.preview.show_request(*request, self._source.current_connection())

    def _say_still_sending(self) -> None:
        """Say that a send asked for now went nowhere: the last one's answer is not in."""
        sent = self._last_sent
        about = f" about {sent.target.kind.value} {sent.target.id}" if sent else ""
        # Until the answer (``_finish`` clears it, or ``_said_finished`` when said in the
        # frame before the answer is whole): true as long as the wait lasts, and with a
        # timeout the bar would go blank while "Sending…" still holds.
        self._still_sending_text = (
            f"Not sent: still waiting for the answer{about}. Send again once it shows."
        )
        self._tell(self._still_sending_text, 0)

    @Slot(str)
    def _on_submit_blocked(self, problem: str) -> None:
        if self.busy:
            self._say_still_sending()
            return
        if self.form.current_request() is not None and self._source.current_connection() is None:
            # The form is complete: what it reports is the connection's problem, which is
            # said and fixed up in the toolbar, not in the form.
            self._say_connection_blocks()
            return
        # Said even when the form moved the focus to the field at fault: the field reads
        # out what is wrong, not that nothing went out (and one that had the focus already
        # reads out nothing). The focus moved first: this follows it, not cut off by it.
        self._tell(f"Not sent: {problem}", 8000)

    def show_start_notice(self, words: str) -> None:
        """Say ``words``, what the person must know from the start (settings that cannot
        be kept, a damaged settings file set aside), in the status bar until another
        message; what the draft's restore says then keeps them after its own words."""
        self._start_notices.append(words)
        self._tell(words, 0)

    def _with_start_notices(self, text: str) -> str:
        return " ".join([text, *self._start_notices])

    @Slot(str)
    def _tell_setting_not_kept(self, text: str) -> None:
        self._tell(text, 0)  # until another message: it is true until the app closes

    def _tell(self, text: str, timeout_ms: int) -> None:
        """Show ``text`` in the status bar and say it: a key press that sent nothing has no
        other answer, and the status bar is away from the focus."""
        self.statusBar().showMessage(text, timeout_ms)
        announce(self.statusBar(), text)

    def _say_connection_blocks(self, what: str = "Not sent") -> None:
        """Say that the connection stops ``what`` (sending, a search) and go to its fix."""
        problem = self._source.connection_problem() or "Set up the connection"
        # Focus first: the announcement then follows the new focus's name instead of
        # being cut off by it, and says why the focus moved there.
        self._source.focus_problem()
        self._tell(f"{what}: {as_sentence(problem)}", 8000)

    @Slot(object)
    def _on_draft_loaded(self, state: object) -> None:
        if not isinstance(state, FormState):
            return
        # What was sent counts whether or not the form is restored: typing the same link
        # again must ask too. (Sent in this session before the draft arrived: newer.)
        sent = state.sent
        for link in self._sent_links:
            sent = with_sent_link(sent, link)
        self._sent_links = sent
        if self._last_sent is None and state.sent and not state.target_id:
            # The window before the restart closed on the form cleared for the next
            # candidate: the last candidate's link typed again is more likely a row pasted
            # twice than a retry.
            self._cleared_for_next = True
        if state.is_empty() or self.form.has_user_edits():
            return  # nothing to restore, or typing that started before it arrived wins
        # With the customer it was typed for, not whichever profile was used last.
        profile_found = self._choose_profile_of_draft(state.profile_id)
        self.form.set_state(state)
        if profile_found:
            restored = self._with_start_notices("Restored the form from the last session.")
            self.statusBar().showMessage(restored, 0 if self._start_notices else 5000)
        else:
            # Until another message: the profile chosen now may be another customer's.
            self._tell(self._with_start_notices(RESTORED_FOR_GONE_PROFILE_TEXT), 0)
        # What the form shows is what the draft file holds: it is saved.
        self._on_draft_saved()
        if self._last_sent is None:
            self._restored_form = True
            self._restored_state = self.form.state()
            self._restored_found = None
            self._say_whether_restored_form_was_sent()

    @Slot(str)
    def _on_damaged_draft_set_aside(self, message: str) -> None:
        # The form opens empty: without a word, the last session's work would look lost,
        # though the file named still holds it. Said once, kept in the status bar until
        # another message, and on the idle panel until a send or the next candidate.
        self._tell(self._with_start_notices(message), 0)
        if self.response.state() == "idle":
            self._idle_text = message
            self.response.show_idle(message)

    @Slot()
    def _on_draft_saved(self) -> None:
        show_text(self._draft_label, "Draft saved")
        self._draft_label.setToolTip(f"The form is saved as you type ({self.drafts.store.path})")
        if self.statusBar().currentMessage() == self._draft_failure_said:
            # Said of a save that failed: not true any more.
            self.statusBar().clearMessage()

    @Slot(str)
    def _on_newer_draft_set_aside(self, message: str) -> None:
        # Until another message: it names the file that keeps the newer version's form.
        self._tell(message, 0)

    @Slot(str)
    def _on_draft_failed(self, message: str) -> None:
        show_text(self._draft_label, "Draft not saved")
        self._draft_label.setToolTip(message)
        self.statusBar().showMessage(message, 10000)
        self._draft_failure_said = message

    # ---- about ----------------------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        """Help → About: the version and what the app does."""
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first needed

        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Kombo Desktop")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setText(f"<b>Kombo Desktop</b> {__version__}")
        box.setInformativeText(
            "Adds assessment result links to candidates and applications in the "
            "customer's ATS through Kombo."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ---- layout persistence and closing ---------------------------------------------------

    def _restore_layout(self) -> None:
        settings = self._settings
        geometry = settings.value(_GEOMETRY)
        saved = isinstance(geometry, QByteArray) and geometry_is_usable(geometry)
        # A saved geometry Qt cannot read (cut short, edited, another Qt's) is no reason
        # for a cramped window: the first start's size then, as with nothing saved.
        if not (saved and self.restoreGeometry(geometry)):
            self.resize(self._first_start_size())
        for key, restore in (
            (_STATE, self.restoreState),
            (_SPLITTER, self.splitter.restoreState),
            (_SIDE_SPLITTER, self.side_splitter.restoreState),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                restore(value)
        if not isinstance(settings.value(_SPLITTER), QByteArray):
            self.splitter.setSizes([660, 520])

    def _first_start_size(self) -> QSize:
        """The size the window opens at with no layout saved, within the screen it opens on
        (a small laptop's): the form, Submit and the answer in view, a margin left."""
        # The primary screen, not ``self.screen()``: asked here, in a window closed and
        # deleted later, that left Qt holding a deleted screen, and the next widget made
        # crashed (PySide6 6.11, seen in the test suite).
        room = QGuiApplication.primaryScreen().availableGeometry().size() - SCREEN_MARGIN
        return _FIRST_START_SIZE.boundedTo(room)

    def _save_layout(self) -> None:
        settings = self._settings
        settings.setValue(_GEOMETRY, self.saveGeometry())
        settings.setValue(_STATE, self.saveState())
        settings.setValue(_SPLITTER, self.splitter.saveState())
        settings.setValue(_SIDE_SPLITTER, self.side_splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask first if a request is in flight; then save the draft and layout, stop the worker."""
        if self._has_closed:
            event.accept()
            return
        asks = self.ask_before_closing_while_sending and not self._close_confirmed
        if asks and self._pending_send is not None and self._worker is not None:
            # Submitted, only waiting for its "Sending…" frame (a close typed right after
            # Ctrl+Enter): it goes out now, and is asked about as any request on its way.
            self._start_pending_send(self._worker)
        # Only a request on its way is worth asking about: one still waiting for the
        # network code (or its frame, when nobody is asked) has sent nothing and is dropped.
        if asks and self._job is not None:
            event.ignore()
            self._ask_close_while_sending()
            return
        if self.drafts.unsettled and not self._form_loss_confirmed:
            # Typed since the last save: whether that is kept is known once it is written
            # (a disk that filled up since refuses it), and asked about if it is not.
            self._wait_for_draft_to_settle()
        if self._form_would_be_lost():
            event.ignore()
            self._ask_close_losing_form()
            return
        self.shutdown()
        super().closeEvent(event)

    def _wait_for_draft_to_settle(self) -> None:
        """Save what is typed now and wait for its outcome, at most ``DRAFT_SETTLE_WAIT_MS``
        (a disk that slow is waited for after the window hides, as before).

        The window goes on painting and taking answers meanwhile, but no input: nothing
        typed or clicked may start while it closes. It usually takes milliseconds.
        """
        from PySide6.QtCore import QEventLoop

        waiting = QEventLoop()
        drafts = self.drafts

        def end_once_all_settled() -> None:
            # Each save says when it settled: one written while the last typing's save
            # waited its turn must not end the wait before that one is known.
            if not drafts.unsettled:
                waiting.quit()

        drafts.settled.connect(end_once_all_settled)
        QTimer.singleShot(DRAFT_SETTLE_WAIT_MS, waiting, waiting.quit)
        if drafts.pending:
            drafts.save_now()
        if drafts.unsettled:
            waiting.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        drafts.settled.disconnect(end_once_all_settled)

    def _form_would_be_lost(self) -> bool:
        """True when closing now would lose what the form holds: its last draft save
        failed (and the one made on closing would meet the same disk), and it holds
        something, and the person has not said to close all the same."""
        if self._form_loss_confirmed or not self.drafts.last_save_failed:
            return False
        return not self.form.state().is_empty()

    def _ask_close_losing_form(self) -> None:
        self._ask_to_close(
            confirmed="_form_loss_confirmed",
            name="closeLosingForm",
            title="The form could not be saved",
            text=(
                "The form could not be saved as a draft. If you close now, what you typed "
                "will not come back at the next start."
            ),
            detail=self._draft_label.toolTip(),
        )

    @Slot()
    def shutdown(self) -> None:
        """Write the draft and the layout, abort what is in flight, stop the worker.

        Runs when the window closes, and when the application quits without closing it
        first; idempotent, and never asks anything.
        """
        if self._has_closed:
            return
        self._has_closed = True
        self._pending_send = None
        self._network_waiters.clear()
        self.preview.shutdown()
        # A dialog still open as the app quits (a logout) never says it closed.
        self._keep_lookup_size()
        if self._profiles is not None:
            self._profiles.keep_dialog_size()
        self._save_layout()
        # What follows may wait (a stuck connection, a slow disk finishing the draft): the
        # window is gone from the screen meanwhile, not frozen on it.
        self.hide()
        if self.drafts.pending:
            # On its way to the disk before the wait for the network thread, which a
            # stuck connection can make long: a kill meanwhile must not lose the typing.
            self.drafts.save_now()
        if self._job is not None:
            self._job.cancel()
        if self._worker is not None:
            try:
                self._worker.shutdown()
                # The cancelled job's answer waits in this thread's queue: taken now, it
                # settles the record of what was sent (a cancel during Kombo's rate-limit
                # wait added nothing) before the draft is written for the last time.
                from PySide6.QtCore import QCoreApplication, QEvent

                QCoreApplication.sendPostedEvents(self._worker, QEvent.Type.MetaCall)
            except Exception:  # the draft's last write and the demo's stop must still run
                log.exception("The network worker did not stop cleanly")
        self.drafts.close()
        self.closed.emit()

    def _ask_close_while_sending(self) -> None:
        self._close_box = self._ask_to_close(
            confirmed="_close_confirmed",
            name="closeWhileSending",
            title="A result link is being sent",
            text=(
                "A result link is still being sent. If you close now, you will not see "
                "whether Kombo added it."
            ),
        )

    def _ask_to_close(
        self, *, confirmed: str, name: str, title: str, text: str, detail: str = ""
    ) -> QMessageBox:
        """Ask whether to close all the same (``text`` says what would be lost); if so, the
        attribute ``confirmed`` notes it (each question is answered for what it asks about:
        one answered leaves the other to be asked) and the window closes. Returns the open
        question."""
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first needed

        from kombo_desktop.qt.questions import build_question, open_question

        box, close = build_question(
            self,
            name=name,
            icon=QMessageBox.Icon.Warning,
            title=title,
            text=text,
            detail=detail,
            go="Close anyway",
            go_role=QMessageBox.ButtonRole.DestructiveRole,
            stay="Keep open",
        )

        def decided(close_anyway: bool) -> None:
            if self._close_box is box:
                self._close_box = None
            if close_anyway:
                setattr(self, confirmed, True)
                QTimer.singleShot(0, self.close)
            else:
                # Kept open: an answer given to the other question on the way is no answer
                # to a later close (a later send must be asked about again).
                self._close_confirmed = self._form_loss_confirmed = False

        open_question(box, close, decided)
        return box
