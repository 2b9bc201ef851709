"""Manage profiles: add, edit, duplicate, delete, test, import and export.

Keyring reads and profile-file writes run on background threads (``TaskRunner``): the
ones of the profile picker that opens the dialog, so that one keyring read runs at a
time and the profiles file has one writer (but for the note that a profile's key is
gone, which the read that found it so writes at once, under the store's lock:
``stored_key``); "Test connection" goes through the shared ``ApiWorker``. When the
keyring cannot take a key, the person chooses: keep it for this session only (memory),
or cancel. Every failure is worded by ``core.messages``.
Edits not saved yet are never dropped without asking (``ask_to_save``), and a connection
test's result is shown only for the values it tested. The outcome of each change and
test is said to assistive technology (``spoken.announce``); what is still being done is
only shown.

The profiles file may be changed by another process while the dialog is open (another
window, ``kombo-desktop profiles …``): the dialog reads it again as it opens (on the
reading thread), and again whenever its opener sees a change (``show_store_changes``).
A form without unsaved edits then shows the profile as it is now; a save writes only
what the person changed in the form onto the profile as the file holds it then, so a
change made elsewhere to another field is kept.

The dialog is the profile list and the changes made to it; its parts live beside it:
the form's fields (``profile_fields``), its unsaved edits (``unsaved_changes``) and the
connection test (``connection_check``).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.connection import (
    Connection,
    HeldKeys,
    saved_key_problem,
    validate_api_key,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import mask_keys
from kombo_desktop.core.messages import describe_failure
from kombo_desktop.core.profile_files import (
    EXPORT_SUFFIX,
    NOTHING_EXPORTED,
    WRITE_PROFILES,
    export_failure,
    export_name_problem,
    export_name_text_problem,
    export_unless_there,
    exported_words,
    import_failure,
    read_and_import,
    with_export_suffix,
)
from kombo_desktop.core.profiles import (
    ImportResult,
    OldKeyMoment,
    Profile,
    ProfileStore,
    ReplacedKeyLeft,
    new_profile_id,
    old_key_left_words,
    save_with_key,
    saved_key_words,
    stored_key,
)
from kombo_desktop.core.secrets import (
    KeyringInUse,
    KeyStore,
    SecretStoreError,
    SecretStoreUnavailable,
    is_no_keyring,
)
from kombo_desktop.qt.background_tasks import ProfileRunners
from kombo_desktop.qt.buttons import pressed_by_enter
from kombo_desktop.qt.connection_check import ConnectionCheck
from kombo_desktop.qt.field_marks import set_text_tone
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.icons import StatusKind
from kombo_desktop.qt.profile_fields import FormValues, ProfileFields
from kombo_desktop.qt.profile_list_model import ProfileTableModel
from kombo_desktop.qt.questions import ask, build_question
from kombo_desktop.qt.spoken import announce, show_text
from kombo_desktop.qt.unsaved_changes import UnsavedChoice, UnsavedEdits, ask_save_or_discard
from kombo_desktop.qt.worker import ApiWorker

__all__ = ["SESSION_ONLY_BUTTON", "ProfilesDialog"]

log = logging.getLogger(__name__)

SESSION_ONLY_BUTTON = "Keep for this session only"


@dataclass(frozen=True)
class _SaveRequest:
    profile: Profile
    is_new: bool
    # None: keep the stored key; "": delete it; else: store this key. Out of the repr, as
    # every key is: a traceback's locals or a log line must not show it.
    new_key: str | None = dataclasses.field(repr=False)
    form: FormValues  # the form as it was saved: its edits are no longer unsaved
    form_generation: int  # which loading of the form was saved (``UnsavedEdits.generation``)
    # The profile as the form showed it before the edit (None for a new one): only what
    # differs from it is written (``save_with_key``'s ``edited_from``).
    edited_from: Profile | None = None
    # The key removed (``new_key == ""``) was kept for this session only, in no keyring.
    removes_session_key: bool = False


@dataclass(frozen=True)
class _Saved:
    """What a save wrote: the profile, and the key as ``_SaveRequest.new_key`` says."""

    profile: Profile
    new_key: str | None = dataclasses.field(repr=False)
    # A key kept for this session only replaced one the keyring holds, which could not
    # be deleted: it is still there.
    replaced_key_left: bool = False


def _persist(
    store: ProfileStore, key_store: KeyStore, request: _SaveRequest, session_only: bool
) -> _Saved:
    """Runs on the background thread; see ``save_with_key``."""
    saved = save_with_key(
        store,
        key_store,
        request.profile,
        request.new_key,
        is_new=request.is_new,
        session_only=session_only,
        edited_from=request.edited_from,
    )
    # The save deleted the key this session's key replaces, or noted that it could not.
    left = session_only and bool(request.new_key) and saved.replaced_key_left
    return _Saved(saved, request.new_key, left)


#: At the integration ID of a profile that has none (an API key was taken out of it).
MISSING_INTEGRATION_ID_HERE = "is missing from this profile; enter it again"

#: "Test connection" pressed before the profile's saved key has been read.
STILL_READING_KEY = (
    "The API key is still being read from the keyring. Test the connection again once it "
    "shows in its field."
)


class _KeyHeld(Enum):
    """What a profile holds as its key, as the dialog knows it (for the words of a delete)."""

    KEYRING = "keyring"
    SESSION = "session"
    NONE = "none"


#: "Delete …?", its detail and its outcome, by what the profile holds ("{name}": its name).
#: How many rows the list's columns are fitted to (``QHeaderView.resizeContentsPrecision``):
#: those in view, then their neighbours.
_ROWS_MEASURED = 100

_DELETE_WORDS = {
    _KeyHeld.KEYRING: (
        "Delete the profile “{name}” and its API key?",
        "The key is removed from the system keyring. This cannot be undone.",
        "Deleted “{name}” and its API key.",
    ),
    _KeyHeld.SESSION: (
        "Delete the profile “{name}” and its API key?",
        "The key kept for this session only is forgotten. This cannot be undone.",
        "Deleted “{name}” and the API key kept for this session only.",
    ),
    _KeyHeld.NONE: (
        "Delete the profile “{name}”?",
        "This cannot be undone.",
        "Deleted “{name}”.",
    ),
}

#: Said when a key kept for this session only replaced one the keyring could not delete.
REPLACED_KEY_LEFT = old_key_left_words(OldKeyMoment.SAVED)

#: At the key field of a profile whose old key, replaced by a key kept for a session only,
#: the keyring would not delete (``ReplacedKeyLeft``): none is used.
OLD_KEY_LEFT_HERE = old_key_left_words(OldKeyMoment.READ, "here")

#: Where the key field says a saved key that cannot be used as it is (an earlier version
#: saved it with its quotes, say: ``SavedKeyUnusable``) is saved again.
SAVE_KEY_AGAIN_HERE = "here"

#: "Delete … without deleting …?" (no keyring can be reached), its detail after the
#: keyring's reason, and its button, by what the profile holds ("{name}": its name).
_DELETE_WITHOUT_KEYRING_WORDS = {
    _KeyHeld.KEYRING: (
        "Delete the profile “{name}” without deleting its API key?",
        "If its API key was saved in a keyring earlier, it stays there.",
        "Delete profile only",
    ),
    _KeyHeld.SESSION: (
        "Delete the profile “{name}” and the API key kept for this session only?",
        "The key kept for this session only is forgotten. This cannot be undone.",
        "Delete profile",
    ),
}
# Without a keyring, "no key" is only the profile's note (the key could not be read), and a
# file from an earlier version notes none for a key it has: such a key would stay behind.
_DELETE_WITHOUT_KEYRING_WORDS[_KeyHeld.NONE] = _DELETE_WITHOUT_KEYRING_WORDS[_KeyHeld.KEYRING]

#: Added where a profile whose replaced key is left in the keyring is deleted without it.
_OLD_KEY_STAYS = old_key_left_words(OldKeyMoment.DELETED)

#: Said when the profile in the form was deleted by another process while it held edits.
DELETED_ELSEWHERE = (
    "“{name}” was deleted in another window or on the command line. What you typed is "
    "kept here as a new profile: save it to keep it."
)


def _is_plain_enter(event: QKeyEvent) -> bool:
    """True for Enter or Return with no modifier held: the keys that press a dialog's
    default button (Enter on the numeric keypad included)."""
    held = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return (
        event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        and held == Qt.KeyboardModifier.NoModifier
    )


class ProfilesDialog(QDialog):
    """The profile list and the form of the selected (or a new) profile."""

    #: Emitted after any change was saved (add, edit, duplicate, delete, import).
    profilesChanged = Signal()
    #: Emitted with the result text of each "Test connection" (success or error).
    connectionTested = Signal(bool, str)

    def __init__(
        self,
        store: ProfileStore,
        key_store: KeyStore,
        worker: ApiWorker,
        runners: ProfileRunners,
        parent: QWidget | None = None,
        *,
        held_keys: Callable[[], Iterable[str]] | None = None,
        keys_seen: set[str] | None = None,
    ) -> None:
        """``runners`` are the key reader and profile writer of whoever opens the dialog
        (the picker); they outlive the dialog. ``held_keys`` gives the keys its opener's
        window holds now, whatever their shape: a profile's name, base URL or integration
        ID holding one is neither saved nor tested, and an export's file name holding one
        is refused (``_held_keys``)."""
        super().__init__(parent)
        # Asked at each use, not kept: the window may have read another key meanwhile.
        self._opener_held_keys = held_keys or (lambda: ())
        self.setWindowTitle("Manage profiles")
        self.setAccessibleName("Manage profiles")
        self.setObjectName("profilesDialog")
        self._store = store
        self._key_store = key_store
        self._worker = worker
        # Writes in order on one thread; key reads on another, since an unlock prompt may
        # keep a read waiting for a long time. Both are shared with the picker: the dialog
        # runs its tasks for itself (``context=self``), so that it is busy with its own
        # only, and answers that come once it is gone are dropped.
        self._writer = runners.writer
        self._reader = runners.reader
        self._writer.contextIdle.connect(self._on_writes_idle)
        self._editing_id: str | None = None
        # The profile as the form shows it, loaded or last saved (None for a new one).
        self._loaded_profile: Profile | None = None
        self._loaded_key: str | None = None
        # Every key read from the keyring or saved here, of any profile: one shown once
        # (the field can be unmasked) may be pasted anywhere later (``_held_keys``). Its
        # opener's set, when it gives one, so that a dialog opened again knows them too.
        self._keys_seen = set() if keys_seen is None else keys_seen
        self._key_generation = 0
        # The key read in flight, and why the last one failed, each for the loading of the
        # key it belongs to (``_key_generation``): a newer loading makes them stale.
        self._key_read_pending: int | None = None
        self._key_unreadable: tuple[int, str] | None = None
        # Whether ``_loaded_key`` is what the keyring holds for the profile in the form
        # (read, or saved from the form): not while it is read, nor once a read failed.
        self._key_known = False
        self._closing_result: int | None = None
        self._finished = False
        # While a change is written the list and the form are held still, and hand the
        # focus on: it comes back once the change is written (``_on_writes_idle``).
        self._focus = FocusKeeper(self)
        # Set while the dialog itself moves the list's selection, which asks nothing.
        self._quiet_selection = False
        self._last_saved_id: str | None = None
        # An outcome shown before the dialog is on screen, to be said once it is.
        self._unsaid: str | None = None

        self.model = ProfileTableModel(key_store, self)
        self._build_ui()
        self._unsaved = UnsavedEdits(self, self.fields, parent=self)
        # Changes another process made since the store last read the file: asked for
        # before the key of the profile shown is, so that the key read follows them.
        self._reads_shown = store.reads
        self._read_file_again()
        self._refresh_list()
        message = store.load_result.message
        if message:
            self._show_status(message, error=True)
            store.message_told()
        current = store.last_used_id
        if current is not None and self.model.row_of(current) >= 0:
            self.select_profile(current)
        elif self.model.rowCount() > 0:
            self.select_profile(self.model.profile_at(0).id)  # type: ignore[union-attr]
        else:
            self.new_profile()

    # ---- building -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.table = QTableView(self)
        self.table.setAccessibleName("Profiles")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # A row is one profile: Tab goes on to the buttons below, as everywhere else in
        # the dialog, rather than from cell to cell (which also moves to the next row and
        # so shows another profile). The arrow keys move between profiles.
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Columns fitted to the rows in view and their neighbours, up to this many: with
        # every row measured, a thousand profiles held the dialog still for a second as
        # it opened, and at every resize of the list. A longer name further down is
        # elided, in full in its tooltip.
        header.setResizeContentsPrecision(_ROWS_MEASURED)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # The name is as wide as it needs up to the room the key's column leaves: a long
        # one is elided (in full in its tooltip) rather than pushing the key's badge out of
        # sight (``_fit_name_column``). The columns after the key may scroll.
        header.setSectionResizeMode(
            ProfileTableModel.NAME_COLUMN, QHeaderView.ResizeMode.Interactive
        )
        # On one line, elided in the middle: names of one customer's integrations differ
        # at their end ("Acme International … - Workday Prod" and "… - Workday Test"),
        # which must stay seen (wrapped, a name's second line was cut off by its row).
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        #: What each column's contents want, by column, measured once per list shown: the
        #: list's resizes as the dialog opens fitted the name five times, each measuring
        #: the rows (126 ms with 1,000 profiles).
        self._wanted_widths: dict[int, int] = {}
        self.model.modelReset.connect(self._measure_and_fit_name_column)
        self.table.viewport().installEventFilter(self)  # its resizes fit the name again
        # Delete (Backspace on macOS) on the list deletes the profile, after asking; Enter
        # goes into its form.
        self.table.installEventFilter(self)
        self.table.setMinimumWidth(300)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)
        # A click on the row already shown reads its key again if that failed.
        self.table.clicked.connect(self._on_row_clicked)

        self.add_button = self._button("Add profile", self._on_add_clicked)
        self.duplicate_button = self._button("Duplicate profile", self._on_duplicate_clicked)
        self.delete_button = self._button("Delete profile", self.delete_profile)
        self.import_button = self._button("Import profiles", self._on_import_clicked, "Import…")
        self.export_button = self._button("Export profiles", self.export_profiles, "Export…")

        list_buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        list_buttons.addStretch(1)
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(self.import_button)
        file_buttons.addWidget(self.export_button)
        file_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(list_buttons)
        left.addLayout(file_buttons)

        self.fields = ProfileFields(self)
        self.fields.read_key_again_button.clicked.connect(self.read_key_again)
        self.test_button = self._button("Test connection", self.test_connection)
        # Made right after the test button: next in the tab order, where its focus goes.
        self.cancel_test_button = pressed_by_enter(QPushButton("Cancel test", self))
        self.cancel_test_button.setAccessibleName("Cancel test")
        self.save_button = self._button("Save profile", self.save_profile)
        self.save_button.setDefault(True)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.test_button)
        form_buttons.addWidget(self.cancel_test_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.save_button)

        self.test_result = QLabel(self)
        self.test_result.setAccessibleName("Connection test result")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._check = ConnectionCheck(
            self, self._worker, self.test_button, self.cancel_test_button, self.test_result
        )
        self._check.tested.connect(self.connectionTested)
        # A test result speaks of the values tested: once they change it is wrong.
        fields = self.fields
        fields.region_combo.currentIndexChanged.connect(self._check.forget)
        for edit in (fields.base_url_edit, fields.integration_edit, fields.key_edit):
            edit.textChanged.connect(self._check.forget)

        self.backend_label = QLabel(self)
        self.backend_label.setAccessibleName("Keyring")
        self.backend_label.setWordWrap(True)
        # In the text's own colour: it may say that keys cannot be saved (no keyring), and
        # the window's dim grey was hard to read (1.7:1 against its background).
        self._describe_backend_later()

        right = QVBoxLayout()
        right.addLayout(self.fields.layout)
        right.addLayout(form_buttons)
        right.addWidget(self.test_result)
        right.addWidget(self._check.log_link)
        right.addStretch(1)
        right.addWidget(self.backend_label)

        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        self.status = QLabel(self)
        self.status.setAccessibleName("Status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.status)
        layout.addWidget(close_box)
        self.resize(900, 480)

    def _button(self, name: str, slot: Any, text: str | None = None) -> QPushButton:
        button = QPushButton(text or name, self)
        button.setAccessibleName(name)
        # Enter on a focused button presses that button; in a field it presses Save, the
        # dialog's default (the list takes Enter for itself: ``eventFilter``).
        button.setAutoDefault(True)
        button.clicked.connect(slot)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys on the list: Delete (Backspace too on macOS: the platform's Delete keys)
        asks to delete the profile shown, as "Delete profile" does; Enter goes into its
        form (``_edit_from_the_list``). Neither goes further."""
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            if event.matches(QKeySequence.StandardKey.Delete):
                self.delete_profile()
                return True
            if _is_plain_enter(event):
                self._edit_from_the_list()
                return True
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_name_column()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc while a connection test runs cancels the test, as the window's Esc cancels
        its request; otherwise it closes the dialog, as Close does."""
        if event.matches(QKeySequence.StandardKey.Cancel) and self._check.running:
            self._check.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def _edit_from_the_list(self) -> None:
        """Enter on the list: the focus goes to the name field of the profile shown, to
        edit it, as Enter opens the item chosen in a list.

        Not Save, the dialog's default, which Enter would press from the list otherwise:
        on the list the person is choosing a profile, not done editing one. Enter in the
        form's fields still saves.
        """
        self.fields.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    @Slot()
    def _measure_and_fit_name_column(self) -> None:
        """Fit the name column to the list as it now is (``_fit_name_column``)."""
        self._wanted_widths.clear()
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        """Size the name column to its longest name, but leave the key's column in sight,
        and the region's too unless that leaves the name less than half the list."""
        header = self.table.horizontalHeader()
        viewport = self.table.viewport().width()

        def wanted(column: int) -> int:
            width = self._wanted_widths.get(column)
            if width is None:
                width = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
                self._wanted_widths[column] = width
            return width

        name, key = ProfileTableModel.NAME_COLUMN, ProfileTableModel.KEY_COLUMN
        beside_key = viewport - wanted(key)
        beside_region = beside_key - wanted(ProfileTableModel.PLACE_COLUMN)
        room = min(beside_key, max(beside_region, viewport // 2))
        header.resizeSection(name, max(header.minimumSectionSize(), min(wanted(name), room)))

    # ---- list -----------------------------------------------------------------------------

    def _refresh_list(self, select_id: str | None = None) -> None:
        self.model.set_profiles(self._store.profiles())
        if select_id is not None:
            self.select_profile(select_id)
        self._update_buttons()

    def _read_file_again(self) -> None:
        """Read the profiles file again on the reading thread if another process changed
        it; the dialog then shows what changed (``show_store_changes``)."""
        store = self._store

        def read(_changed: object) -> None:
            if store.reads != self._reads_shown:
                self.show_store_changes()

        def failed(error: BaseException) -> None:
            # The store reports a file it cannot read, never raises it: this is a fault.
            log.error("Reading the profiles file again failed: %r", error)

        self._reader.run(store.reload_if_changed, read, failed, context=self)

    def show_store_changes(self) -> None:
        """Show the profiles as the store holds them now that it has read another
        process's change: the list, and the profile in the form unless it holds edits
        not saved yet (those are kept; a save writes them onto the profile as it is then).

        While a change of this dialog is being written, its answer shows the list.
        """
        if self.busy:
            return
        self._reads_shown = self._store.reads
        editing_id = self._editing_id
        self._refresh_list(select_id=editing_id)
        if editing_id is None:
            return
        current = self._store.get(editing_id)
        if self.has_unsaved_changes():
            if current is None:
                gone = self._loaded_profile
                assert gone is not None  # loaded with the id edited
                self._keep_as_new(gone.name)
            return
        if current is None:
            # Deleted elsewhere: the form shows what is there instead, as after a delete.
            first = self.model.profile_at(0)
            self._load_form(first)
            if first is not None:
                self._select_row(0)
        elif current != self._loaded_profile:
            self._load_form(current)
        elif self._key_read_pending != self._key_generation:
            # Its key may have been replaced (``profiles set-key``), by one of the same
            # environment too, which leaves the profile as it was: read it again, as the
            # picker does, so that the form and "Test connection" use the key saved now.
            self._read_key(current)

    def _keep_as_new(self, gone_name: str) -> None:
        """The profile in the form, called ``gone_name``, was deleted by another process
        while the form held edits: they stay, as a new profile's, which Save creates."""
        self._key_generation += 1  # a read of the gone profile's key is stale
        self._key_read_pending = None
        self._key_unreadable = None
        self._editing_id = None
        self._loaded_profile = None
        self._loaded_key = None
        self._key_known = False
        # "Try again" and why its key could not be read were the gone profile's: a new
        # profile has no key to read.
        self.fields.forget_stored_key()
        self._forget_still_reading()
        self._unsaved.kept_as_new()
        self._restore_selection()
        self._show_status(DELETED_ELSEWHERE.format(name=gone_name), error=True)

    def select_profile(self, profile_id: str) -> None:
        """Select a profile in the list and load it into the form.

        Unlike a click in the list, this asks nothing: edits not saved are dropped.
        """
        row = self.model.row_of(profile_id)
        if row < 0:
            return
        self._select_row(row)
        if self._editing_id != profile_id:
            self._load_form(self.model.profile_at(row))

    def _select_row(self, row: int) -> None:
        """Move the list's selection to ``row`` (-1: none) without loading or asking."""
        selection = self.table.selectionModel()
        with self._quietly():
            if row < 0:
                self.table.clearSelection()
                selection.clearCurrentIndex()
            else:
                flags = (
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows
                )
                selection.setCurrentIndex(self.model.index(row, 0), flags)
        self._update_buttons()

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        self._quiet_selection = True
        try:
            yield
        finally:
            self._quiet_selection = False

    def selected_profile(self) -> Profile | None:
        """The profile whose form is shown, or None for a new one."""
        return self._store.get(self._editing_id) if self._editing_id else None

    @Slot(QModelIndex, QModelIndex)
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        profile = self.model.profile_at(current.row()) if current.isValid() else None
        if not self._quiet_selection and profile is not None and profile.id != self._editing_id:
            if self.has_unsaved_changes():
                target = profile.id
                self._unsaved.leave_soon(lambda: self._switch_to(target), self._restore_selection)
            else:
                self._load_form(profile)
        self._update_buttons()

    @Slot(QModelIndex)
    def _on_row_clicked(self, index: QModelIndex) -> None:
        profile = self.model.profile_at(index.row())
        if profile is not None and profile.id == self._editing_id and self._key_unread():
            self.read_key_again()

    def focus_key_field(self) -> None:
        """Put the focus in the API key field, where a key is to be entered (it waits for
        the dialog to show, when it is not shown yet)."""
        self.fields.key_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _key_unread(self) -> str | None:
        """Why the latest read of the key of the profile in the form failed (None if it
        did not fail, or is still under way)."""
        unreadable = self._key_unreadable
        if unreadable is None or unreadable[0] != self._key_generation:
            return None
        return unreadable[1]

    @Slot()
    def read_key_again(self) -> None:
        """Read the key of the profile in the form again, once a read of it failed (the
        keyring was locked, say): the row clicked again, or "Try again"."""
        profile = self.selected_profile()
        if profile is None or self._key_read_pending == self._key_generation:
            return
        if self.fields.read_key_again_button.hasFocus():
            self.fields.key_edit.setFocus()  # the button goes away as the read starts
        self.fields.clear_error("api_key")
        self.fields.reading_key()
        self._read_key(profile)

    def _switch_to(self, profile_id: str) -> None:
        if self.model.row_of(profile_id) >= 0:
            self.select_profile(profile_id)
        else:
            self._restore_selection()  # deleted meanwhile

    def _restore_selection(self) -> None:
        """Select the row of the profile in the form again (none for a new one)."""
        self._select_row(self.model.row_of(self._editing_id) if self._editing_id else -1)

    def _update_buttons(self) -> None:
        busy = self.busy
        existing = self._editing_id is not None
        # Only a write is a busy moment: buttons that go off for good are not kept.
        with self._focus.going_off() if busy else nullcontext():
            self.duplicate_button.setEnabled(existing and not busy)
            self.delete_button.setEnabled(existing and not busy)
            self.save_button.setEnabled(not busy)
            self.import_button.setEnabled(not busy)
            self.export_button.setEnabled(not busy and self.model.rowCount() > 0)
            self.add_button.setEnabled(not busy)
            # While this dialog's change is written, the list and the form stay as they
            # are: its answer concerns them (which profile is edited, and what was typed),
            # and edits made meanwhile would be lost or saved under the wrong profile.
            self.table.setEnabled(not busy)
            self.fields.set_read_only(busy)

    # ---- form -----------------------------------------------------------------------------

    @Slot()
    def new_profile(self) -> None:
        """Empty the form for a new profile."""
        self._key_generation += 1
        self._editing_id = None
        self._loaded_profile = None
        self._loaded_key = None
        self._key_known = False
        self.fields.hide_key()
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self.fields.clear()
        self._check.forget()
        self.fields.clear_errors()
        self._unsaved.loaded()
        self._update_buttons()
        self.fields.name_edit.setFocus()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._unsaved.leave(self.new_profile)

    def _load_form(self, profile: Profile | None) -> None:
        if profile is None:
            self.new_profile()
            return
        self._editing_id = profile.id
        self._loaded_profile = profile
        self._loaded_key = None
        self._key_known = False
        self.fields.hide_key()
        self.fields.clear_errors()
        self.fields.show_profile(profile)
        if not profile.integration_id:
            # Taken out of an earlier version's file (an API key stood there): said at the
            # field as the profile opens, not only once Save is pressed.
            self.fields.show_error("integration_id", MISSING_INTEGRATION_ID_HERE)
        self._check.forget()
        self._unsaved.loaded()
        self._read_key(profile)
        self._update_buttons()

    def _read_key(self, profile: Profile) -> None:
        self._key_generation += 1
        generation = self._key_generation
        self._key_read_pending = generation
        store, key_store = self._store, self._key_store

        def done(key: object) -> None:
            if key is None and profile.key_environment is not None:
                # The key is gone from the keyring and the profile now says so
                # (``stored_key``): the list must not go on naming it.
                self._refresh_list(self._editing_id)
            if generation != self._key_generation:
                return
            self._key_read_pending = None
            self._forget_still_reading()
            previous = self._loaded_key if self._key_known else None
            self._loaded_key = key if isinstance(key, str) else None
            self._key_known = True
            if self._loaded_key:
                self._keys_seen.add(self._loaded_key)
            # The key read is what the profile holds, even if something was typed meanwhile
            # (compared as the form reads it: trimmed).
            self._unsaved.stored_key_read((self._loaded_key or "").strip())
            if previous is None:
                self.fields.show_stored_key(self._loaded_key)
            elif self.fields.typed_key() == previous.strip() and self._loaded_key != previous:
                # Read again, and replaced meanwhile: the field shows the key saved now,
                # unless the person changed it (then it is an edit, kept).
                self.fields.replace_stored_key(self._loaded_key)
            self._mark_unusable_saved_key()

        def failed(error: BaseException) -> None:
            if generation != self._key_generation:
                return
            if isinstance(error, ReplacedKeyLeft):
                # Read, and none may be used: the form shows no key, and says why.
                done(None)
                self.fields.show_stored_key_problem(OLD_KEY_LEFT_HERE)
                return
            self._key_read_pending = None
            self._forget_still_reading()
            reason = describe_failure(error).text
            self._key_unreadable = (generation, reason)
            self._forget_loaded_key()
            # With no keyring at all, reading again never helps: a key typed here is kept
            # for this session only (``ask_session_only``).
            self.fields.show_key_unreadable(reason, read_again=not is_no_keyring(error))

        self._reader.run(lambda: stored_key(store, key_store, profile), done, failed, context=self)

    def _mark_unusable_saved_key(self) -> None:
        """Mark the key field when it shows the profile's saved key and that key cannot be
        used as it is (``saved_key_problem``): the window sends the person here to save it
        again. A key the person typed is theirs, checked as any at Save."""
        key = self._loaded_key
        if key is None or self.fields.typed_key() != key.strip():
            return
        reason = saved_key_problem(key)
        if reason is not None:
            self.fields.show_stored_key_problem(saved_key_words(reason, SAVE_KEY_AGAIN_HERE))

    def _forget_loaded_key(self) -> None:
        """A read of the key failed: what the keyring holds for the profile in the form is
        not known now, even when an earlier read found it (``_key_known``).

        The key that earlier read put in the field goes, unless the person changed it (then
        it is an edit, kept): it may have been replaced elsewhere (the read followed a
        change of the file), and a save must not write it back over the key saved now.
        Without it the form is as after a first read that failed: Save keeps whatever key
        the keyring holds, and a delete is worded by the profile's note of its key.
        """
        shown = self._loaded_key if self._key_known else None
        self._loaded_key = None
        self._key_known = False
        if shown is not None and self.fields.typed_key() == shown.strip():
            self.fields.forget_shown_key()
            # The emptied field is no edit: no key is known for the profile.
            self._unsaved.stored_key_read("")

    def _forget_still_reading(self) -> None:
        """The key read is over: "still being read" (``_show_untestable``) no longer holds."""
        if self.test_result.text() == STILL_READING_KEY:
            self._check.forget()

    def has_unsaved_changes(self) -> bool:
        """True if the form differs from the profile as loaded or last saved."""
        return self._unsaved.has_changes()

    def ask_to_save(self, question: str) -> UnsavedChoice:
        """Ask whether to save the form's edits before they are left behind."""
        return ask_save_or_discard(self, question)

    def unsaved_question(self) -> str:
        """The question "Save changes to …?" for the profile in the form (or a new one)."""
        profile = self.selected_profile()
        if profile is not None:
            return f"Save changes to “{profile.name}”?"
        name = self.fields.name_edit.text().strip()
        # A key pasted into the name by mistake is never quoted (the name is refused at
        # Save for it too), nor any other key the app holds.
        if not name or mask_keys(name) != name:
            return "Save the new profile?"
        return f"Save the new profile “{name}”?"

    def form_connection(self) -> Connection:
        """The connection the form describes (for "Test connection"); ``InputError`` if not."""
        return self.fields.connection(self._held_keys())

    # ---- errors and status ------------------------------------------------------------------

    def field_error(self, field: str) -> str:
        """The error shown at a form field ("" when none)."""
        return self.fields.error(field)

    def _show_input_error(
        self, error: InputError, *, focus: bool = True, otherwise: str = ""
    ) -> QWidget | None:
        """Show each problem at its field; the problems without a field of the form go to
        the status, else ``otherwise`` does (if given). Returns the first field at fault,
        which takes the focus unless ``focus`` is False."""
        elsewhere: list[FieldError] = []
        first = self.fields.show_problems(error, elsewhere.append)
        # One status for all of them: each status shown is said.
        if elsewhere:
            self._show_status(describe_failure(InputError(elsewhere)).text, error=True)
        elif otherwise:
            self._show_status(otherwise, error=True)
        if focus and first is not None:
            first.setFocus()
        return first

    def _show_status(self, message: str, *, error: bool = False) -> None:
        """Show the outcome of a change (or a problem), and have it said: it shows below
        the list and the form, away from the focus (on the button pressed, say)."""
        show_text(self.status, message)
        set_text_tone(self.status, StatusKind.ERROR if error else None)
        if self.isVisible():
            announce(self.status, message)
        else:
            self._unsaid = message

    def _show_progress(self, message: str) -> None:
        """Show what is being done; not said, as its outcome will be (``_show_status``)."""
        show_text(self.status, message)
        set_text_tone(self.status, None)

    def showEvent(self, event: QShowEvent) -> None:
        """Say a problem found before the dialog showed (reading the profiles file), now
        that the dialog is there to say it."""
        super().showEvent(event)
        unsaid, self._unsaid = self._unsaid, None
        if unsaid:
            announce(self.status, unsaid)

    def status_text(self) -> str:
        """The dialog's latest status message."""
        return self.status.text()

    def _describe_backend_later(self) -> None:
        key_store = self._key_store

        def shown(in_use: object) -> None:
            assert isinstance(in_use, KeyringInUse)
            show_text(self.backend_label, in_use.sentence)
            # keyring's own name means nothing to most people: there for whoever asks.
            self.backend_label.setToolTip(f"Keyring backend: {in_use.technical}")

        def failed(error: BaseException) -> None:
            # Nobody to tell (the keyring's name is a detail): the log keeps it.
            log.warning("Reading in the background failed: %s", error)

        # Finding the backend probes D-Bus: keep it off the GUI thread.
        self._reader.run(key_store.keyring_in_use, shown, failed, context=self)

    # ---- background work ------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a change made in this dialog (save, duplicate, delete, import,
        export) is still being written."""
        return self._writer.busy_for(self)

    def _write(
        self,
        function: Callable[[], object],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        """Queue a change on the writer; the dialog is busy until its answer has arrived.
        A close that waited for it stays undone when it fails: closing would hide why."""

        def failed(error: BaseException) -> None:
            on_failure(error)
            self._closing_result = None

        self._writer.run(function, on_success, failed, context=self)
        self._update_buttons()

    # ---- save ---------------------------------------------------------------------------------

    @Slot()
    def save_profile(self) -> None:
        """Validate the form, then save the key (keyring) and the profile (file)."""
        self.save_form()

    def save_form(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Save as ``save_profile`` does; ``then`` runs once saved, ``otherwise`` if not."""
        self.fields.clear_errors()
        profile_id = self._editing_id or new_profile_id()
        errors: list[FieldError] = []
        profile: Profile | None = None
        try:
            profile = self.fields.profile(self._store, profile_id, self._held_keys())
        except InputError as exc:
            errors.extend(exc.errors)
        typed = self.fields.typed_key()
        if typed:
            try:
                validate_api_key(typed)
            except InputError as exc:
                errors.extend(exc.errors)
        if errors or profile is None:
            self._show_not_saved(InputError(errors))
            if otherwise is not None:
                otherwise()
            return
        if self._editing_id is not None and not self.has_unsaved_changes():
            # Enter in a field presses Save too: nothing is written, and nothing is said
            # to be saved that was not.
            self._show_status(f"No changes to save in “{profile.name}”.")
            if then is not None:
                then()
            return
        new_key: str | None = None
        if typed != (self._loaded_key or ""):
            new_key = typed
        removes_session_key = new_key == "" and self._key_store.is_session_only(profile.id)
        # The key is the profile's as it is known now, whatever name the form holds.
        owner = self.selected_profile() or profile
        if new_key == "" and not self.confirm_remove_key(owner):
            self._show_status(f"Nothing was saved. The API key of “{owner.name}” is kept.")
            if otherwise is not None:
                otherwise()
            return
        request = _SaveRequest(
            profile,
            self._editing_id is None,
            new_key,
            self.fields.values(),
            self._unsaved.generation,
            edited_from=self._loaded_profile,
            removes_session_key=removes_session_key,
        )
        self._unsaved.saving(request.form)
        self._run_save(request, session_only=False, then=then, otherwise=otherwise)

    def _show_not_saved(self, error: InputError, *, focus: bool = True) -> QWidget | None:
        # A problem without a field of its own takes the status instead.
        return self._show_input_error(
            error,
            focus=focus,
            otherwise="Nothing was saved. Correct the marked fields and save again.",
        )

    def _run_save(
        self,
        request: _SaveRequest,
        *,
        session_only: bool,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        store, key_store = self._store, self._key_store
        self._show_progress(f"Saving “{request.profile.name}”…")

        def saved(result: object) -> None:
            self._on_saved(result, request)
            if then is not None:
                then()

        self._write(
            lambda: _persist(store, key_store, request, session_only),
            saved,
            lambda error: self._on_save_failed(request, error, then, otherwise),
        )

    @property
    def last_saved_id(self) -> str | None:
        """The id of the profile this dialog saved, duplicated or imported last, if any."""
        return self._last_saved_id

    def _on_saved(self, result: object, request: _SaveRequest) -> None:
        assert isinstance(result, _Saved)
        profile, new_key = result.profile, result.new_key
        # The list and the form are held while a save runs (``_update_buttons``): the
        # form shown is the one that was saved.
        self._unsaved.saved()
        self._key_generation += 1  # a pending read of the old key is stale now
        self._editing_id = profile.id
        self._loaded_profile = profile
        self._last_saved_id = profile.id
        self._show_saved_settings(profile)
        if new_key is not None:
            self._loaded_key = new_key or None
            self._key_known = True
        if new_key:
            self._keys_seen.add(new_key)
        self._refresh_list(select_id=profile.id)
        if new_key is None and self._loaded_key is None and not self.fields.key_edit.text():
            self._read_key(profile)  # the read that was pending was made stale above
        where = ""
        if new_key:
            where = (
                " The API key is kept for this session only."
                if self._key_store.is_session_only(profile.id)
                else " The API key is in the system keyring."
            )
        elif new_key == "":
            where = (
                f" The API key of “{profile.name}”, kept for this session only, was removed."
                if request.removes_session_key
                else f" The API key of “{profile.name}” was removed from the system keyring."
            )
        if result.replaced_key_left:
            self._show_status(f"Saved “{profile.name}”.{where} {REPLACED_KEY_LEFT}", error=True)
        else:
            self._show_status(f"Saved “{profile.name}”.{where}")
        self.profilesChanged.emit()

    def _show_saved_settings(self, profile: Profile) -> None:
        """Show ``profile`` as saved in the form: a setting the edit left alone is saved as
        the file held it, which another process may have changed since the form showed it.
        The key field stays as it is."""
        shown = self.fields.values()
        self.fields.show_settings(profile)
        if self.fields.values() != shown:
            self._unsaved.loaded()  # what the form shows now is what the profile holds

    def _on_save_failed(
        self,
        request: _SaveRequest,
        error: BaseException,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        self._update_buttons()
        # Deleted by another process while the save was on its way (the list's notice of
        # it waited for the save): what was typed becomes a new profile, as when the
        # notice comes first (``show_store_changes``).
        gone = (
            isinstance(error, InputError)
            and not request.is_new
            and self._store.get(request.profile.id) is None
        )
        if isinstance(error, SecretStoreError) and request.new_key:
            if self.ask_session_only(error):
                self._run_save(request, session_only=True, then=then, otherwise=otherwise)
                return
            self._show_status("Nothing was saved. The form still holds what you typed.")
        elif isinstance(error, SecretStoreError):
            self.fields.show_error("api_key", describe_failure(error).text)
            self._focus.prefer(self.fields.key_edit)
            self._show_status("Nothing was saved.", error=True)
        elif isinstance(error, InputError):
            if not gone:  # else said once the form is a new profile's (below)
                # The field at fault takes the focus once the write is over (if it is free).
                self._focus.prefer(self._show_not_saved(error, focus=False), even_if_kept=True)
        else:
            message = describe_failure(
                error, consequence="Nothing was saved", file_action=WRITE_PROFILES
            )
            self._show_status(message.text, error=True)
        self._unsaved.save_failed(request.form_generation)
        if gone and request.form_generation == self._unsaved.generation:
            self._refresh_list()
            self._keep_as_new((request.edited_from or request.profile).name)
        # A close that waited for this save would hide why it failed: stay open.
        self._closing_result = None
        if otherwise is not None:
            otherwise()

    def confirm_remove_key(self, profile: Profile) -> bool:
        """Ask before a save removes the saved API key of ``profile`` (its field was
        emptied); True to remove it. As permanent as deleting the profile: asked as that is."""
        where = (
            "The key kept for this session only is forgotten."
            if self._key_store.is_session_only(profile.id)
            else "The key is removed from the system keyring."
        )
        box, remove = build_question(
            self,
            name="confirmRemoveKey",
            icon=QMessageBox.Icon.Question,
            title="Remove API key",
            text=f"The API key field is empty. Remove the API key of “{profile.name}”?",
            detail=f"{where} This cannot be undone.",
            go="Remove API key",
            go_role=QMessageBox.ButtonRole.DestructiveRole,
        )
        return ask(box, remove)

    def ask_session_only(self, error: SecretStoreError) -> bool:
        """Explain why the key could not be saved; True if the person keeps it in memory."""
        message = describe_failure(error)
        box, keep = build_question(
            self,
            name="keyringProblem",
            icon=QMessageBox.Icon.Warning,
            title="The API key could not be saved",
            text=message.text,
            detail=(
                "Kombo Desktop never writes API keys to a file. Keep the key in memory until "
                "Kombo Desktop closes, or cancel and try again later."
            ),
            go=SESSION_ONLY_BUTTON,
        )
        if message.detail:
            box.setDetailedText(message.detail)
        return ask(box, keep)

    # ---- duplicate and delete -------------------------------------------------------------

    @Slot()
    def _on_duplicate_clicked(self) -> None:
        # The copy is made of the saved profile, and then shown instead of the form.
        self._unsaved.leave(self.duplicate_profile)

    @Slot()
    def duplicate_profile(self) -> None:
        """Copy the selected profile (with its key) under a new name."""
        profile = self.selected_profile()
        if profile is None:
            return
        store, key_store = self._store, self._key_store
        self._show_progress(f"Duplicating “{profile.name}”…")

        def done(result: object) -> None:
            assert isinstance(result, Profile)
            self._editing_id = None
            self._last_saved_id = result.id
            self._refresh_list(select_id=result.id)
            self._show_status(f"Created “{result.name}”, a copy of “{profile.name}”.")
            self.profilesChanged.emit()

        def failed(error: BaseException) -> None:
            consequence = f"“{profile.name}” could not be duplicated"
            message = describe_failure(error, consequence=consequence, file_action=WRITE_PROFILES)
            self._show_status(message.text, error=True)

        self._write(lambda: store.duplicate(profile.id, key_store), done, failed)

    def _key_held(self, profile: Profile) -> _KeyHeld:
        """What ``profile`` holds as its key, as far as the dialog knows without asking the
        keyring: the read of the key of the profile in the form, else the profile's note of
        its key, which the list shows ("No key")."""
        if self._key_store.is_session_only(profile.id):
            return _KeyHeld.SESSION
        if profile.id == self._editing_id and self._key_known:
            return _KeyHeld.KEYRING if self._loaded_key else _KeyHeld.NONE
        return _KeyHeld.NONE if profile.key_environment is None else _KeyHeld.KEYRING

    def confirm_delete(self, profile: Profile) -> bool:
        """Ask before deleting a profile and its key (worded for the key it holds); True
        to delete."""
        question, detail, _done = _DELETE_WORDS[self._key_held(profile)]
        box, delete = build_question(
            self,
            name="confirmDelete",
            icon=QMessageBox.Icon.Question,
            title="Delete profile",
            text=question.format(name=profile.name),
            detail=detail,
            go="Delete profile",
            go_role=QMessageBox.ButtonRole.DestructiveRole,
        )
        return ask(box, delete)

    def confirm_delete_without_keyring(self, profile: Profile, error: SecretStoreError) -> bool:
        """Ask whether to delete a profile although no keyring can be reached (worded for
        the key it holds); True to delete.

        On a computer without any keyring there is no other way to delete a profile.
        """
        question, detail, go = _DELETE_WITHOUT_KEYRING_WORDS[self._key_held(profile)]
        if profile.replaced_key_left:
            detail = f"{_OLD_KEY_STAYS} {detail}"
        box, delete = build_question(
            self,
            name="confirmDeleteWithoutKeyring",
            icon=QMessageBox.Icon.Warning,
            title="Delete profile",
            text=question.format(name=profile.name),
            detail=f"{describe_failure(error).text}\n\n{detail}",
            go=go,
            go_role=QMessageBox.ButtonRole.DestructiveRole,
        )
        return ask(box, delete)

    @Slot()
    def delete_profile(self) -> None:
        """Delete the selected profile and its key, after confirmation."""
        profile = self.selected_profile()
        if profile is None or not self.confirm_delete(profile):
            return
        self._delete(profile, even_if_keyring_unreachable=False)

    def _delete(self, profile: Profile, *, even_if_keyring_unreachable: bool) -> None:
        store, key_store = self._store, self._key_store
        held = self._key_held(profile)  # before the delete: it forgets a session key
        # The row it stood in: the profile now there (the next) is selected after it, as
        # a list goes on where one was taken out, not at its top.
        row = max(self.model.row_of(profile.id), 0)
        self._show_progress(f"Deleting “{profile.name}”…")

        def done(key_deleted: object) -> None:
            self._refresh_list()
            if self.model.rowCount() > 0:
                next_row = min(row, self.model.rowCount() - 1)
                self.select_profile(self.model.profile_at(next_row).id)  # type: ignore[union-attr]
                # Delete now stands for another profile: the list says which one.
                self._focus.prefer(self.table)
            else:
                self.new_profile()
            if key_deleted:
                self._show_status(_DELETE_WORDS[held][2].format(name=profile.name))
            elif held is not _KeyHeld.SESSION:  # see _DELETE_WITHOUT_KEYRING_WORDS
                self._show_status(
                    f"Deleted “{profile.name}”. No keyring could be reached: an API key saved "
                    "for it earlier stays in that keyring."
                )
            else:
                done_words = _DELETE_WORDS[held][2].format(name=profile.name)
                left = f" {_OLD_KEY_STAYS}" if profile.replaced_key_left else ""
                self._show_status(f"{done_words}{left}")
            self.profilesChanged.emit()

        def failed(error: BaseException) -> None:
            if (
                isinstance(error, SecretStoreUnavailable)
                and not even_if_keyring_unreachable
                and self.confirm_delete_without_keyring(profile, error)
            ):
                self._delete(profile, even_if_keyring_unreachable=True)
                return
            consequence = f"“{profile.name}” was not deleted"
            message = describe_failure(error, consequence=consequence, file_action=WRITE_PROFILES)
            self._show_status(message.text, error=True)

        self._write(
            lambda: store.remove(
                profile.id, key_store, even_if_keyring_unreachable=even_if_keyring_unreachable
            ),
            done,
            failed,
        )

    # ---- test connection --------------------------------------------------------------------

    @Slot()
    def test_connection(self) -> None:
        """Check the form's key and address with ``GET /check-api-key`` through the worker."""
        for field in ("base_url", "integration_id", "api_key"):
            self.fields.clear_error(field)
        self._check.forget()
        try:
            connection = self.form_connection()
        except InputError as exc:
            self._show_untestable(exc)
            return
        self._check.start(connection)

    def _show_untestable(self, error: InputError) -> None:
        """Show why the form cannot be tested. An empty key field of a profile whose key
        is still being read, or could not be read, is not a key missing: that is said
        instead of "is required"."""
        reading = self._key_read_pending == self._key_generation
        unread = self._key_unread()
        if self.fields.key_edit.text() or not (reading or unread):
            self._show_input_error(error)
            return
        others = [problem for problem in error.errors if problem.field != "api_key"]
        if others:
            self._show_input_error(InputError(others))
        if unread is not None:
            self.fields.show_error("api_key", unread)
        else:
            # Shown where the test's result would be, until the read is over.
            message = STILL_READING_KEY
            show_text(self.test_result, message)
            set_text_tone(self.test_result, StatusKind.WARNING)
            announce(self.test_result, message)

    # ---- import and export ------------------------------------------------------------------

    @Slot()
    def _on_import_clicked(self) -> None:
        # The file first: a choice cancelled leaves the form, edits and all, as it was.
        # Then the edits are saved or discarded (the first profile imported is shown
        # instead of the form; one discarded shows the profile as saved again, whatever
        # the import brings).
        path = self._chosen_import_file()
        if path is None:
            return

        def import_it() -> None:
            if self._unsaved.has_changes():  # discarded
                self._load_form(self._store.get(self._editing_id) if self._editing_id else None)
            self.import_from(path)

        self._unsaved.leave(import_it)

    def _chosen_import_file(self) -> Path | None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import profiles", "", "Profiles (*.json);;All files (*)"
        )
        return Path(path) if path else None

    def import_from(self, path: Path) -> None:
        """Import the profiles in ``path`` on the background thread."""
        store, held = self._store, self._held_keys()
        self._show_progress(f"Importing {path.name}…")

        def done(result: object) -> None:
            assert isinstance(result, ImportResult)
            # The first profile imported is shown; with none, the profile in the form
            # stays selected (the list is filled anew, which selects nothing by itself).
            select_id = self._editing_id
            if result.imported:
                self._last_saved_id = select_id = result.imported[0].id
            self._refresh_list(select_id=select_id)
            self._show_status(result.message)
            if result.imported:
                self.profilesChanged.emit()

        def failed(error: BaseException) -> None:
            self._show_status(import_failure(error).text, error=True)

        self._write(lambda: read_and_import(store, path, held), done, failed)

    @Slot()
    def export_profiles(self) -> None:
        """Choose a file and export every profile to it, without keys.

        A name typed without a suffix gets ".json" (``with_export_suffix``). The save
        dialog asked before replacing the file of the name typed, not of that one: a file
        of that name already there is replaced only once the person says so.
        """
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export profiles", "kombo-profiles.json", "Profiles (*.json)"
        )
        if chosen:
            self.export_chosen(chosen)

    def export_chosen(self, chosen: str) -> None:
        """Export every profile to the file named ``chosen`` in the save dialog, refused
        in the status line as ``profiles export`` refuses it (``export_name_problem``).

        A person may type or paste anything as the name, an API key too: it is never
        shown, not even as the file being written. Whether ``chosen`` is a folder is asked
        on the background thread, as the disk may be slow to answer.
        """
        held = self._held_keys()
        problem = export_name_text_problem(chosen, held)
        if problem is not None:
            refused = InputError([FieldError("file", problem)])
            self._show_status(export_failure(refused, Path(chosen)).text, error=True)
            return
        path = with_export_suffix(Path(chosen))
        self.export_to(path, replace=path == Path(chosen), chosen=(chosen, held))

    def export_to(
        self, path: Path, *, replace: bool = True, chosen: tuple[str, HeldKeys] | None = None
    ) -> None:
        """Write every profile (no keys) to ``path`` on the background thread.

        ``replace`` False: a file already at ``path`` is replaced only once the person
        says so (``confirm_replace_file``), asked when the background thread found it.
        ``chosen``, the name ``path`` was made of and the keys it must not hold, is refused
        there if it is a folder.
        """
        store = self._store
        # The file holds the profiles as saved; the form, read only while the export runs,
        # stays as it is, so what is left out of the file is known now.
        left_out = self._not_in_the_export()
        self._show_progress(f"Exporting to {path.name}…")

        def export() -> int | None:
            problem = None if chosen is None else export_name_problem(*chosen)
            if problem is not None:  # said by ``failed`` as the CLI says it
                raise InputError([FieldError("file", problem)])
            return export_unless_there(store, path, replace=replace)

        def done(count: object) -> None:
            if count is None:  # a file is there, and nothing was written
                self._export_over(path)
                return
            assert isinstance(count, int)
            said = exported_words(count, path)
            self._show_status(f"{said} {left_out}" if left_out else said)

        def failed(error: BaseException) -> None:
            self._show_status(export_failure(error, path).text, error=True)

        self._write(export, done, failed)

    def _held_keys(self) -> HeldKeys:
        """The keys, whatever their shape, that a profile's saved settings, a connection
        test's integration ID and base URL, and an export's file name must not hold: the
        ones the opener's window holds, the one in the key field (typed, maybe not saved)
        and every one this dialog read or saved, of whichever profile."""
        opener = self._opener_held_keys()
        return HeldKeys.of((*opener, self.fields.typed_key(), *self._keys_seen))

    def _export_over(self, path: Path) -> None:
        """Export to ``path``, where a file is already, if the person says to replace it."""
        if self.confirm_replace_file(path):
            self.export_to(path)
        else:
            self._show_status(f"{NOTHING_EXPORTED}. “{path.name}” was left as it was.")

    def confirm_replace_file(self, path: Path) -> bool:
        """Ask before an export replaces the file ``path``, whose name is the one typed
        with ".json" added; True to replace it."""
        box, go = build_question(
            self,
            name="confirmReplaceExport",
            icon=QMessageBox.Icon.Warning,
            title="Replace file",
            text=f"“{path.name}” already exists. Replace it?",
            detail=(
                f"“{EXPORT_SUFFIX}” was added to the name you typed. The file is in {path.parent}."
            ),
            go="Replace",
            go_role=QMessageBox.ButtonRole.DestructiveRole,
        )
        return ask(box, go)

    def _not_in_the_export(self) -> str:
        """What the form holds that an export leaves out (its edits not saved yet), in
        words; empty when the form is saved."""
        if not self.has_unsaved_changes():
            return ""
        profile = self.selected_profile()
        if profile is None:
            return "The new profile in the form is not saved yet, so it is not in the file."
        return f"Your changes to “{profile.name}” are not saved yet, so they are not in the file."

    # ---- closing ------------------------------------------------------------------------------

    @Slot(QObject)
    def _on_writes_idle(self, context: QObject) -> None:
        if context is not self:
            return  # the picker's writes, or another dialog's
        self._update_buttons()
        self._focus.give_back()
        if self._closing_result is not None:
            result, self._closing_result = self._closing_result, None
            self.done(result)

    def done(self, result: int) -> None:
        """Close once this dialog's pending saves have finished, so none is lost or
        half-reported (the picker's own writes do not hold it open); edits not saved
        yet are saved or discarded first, as the person chooses."""
        if self.busy:
            self._closing_result = result
            self._show_progress("Finishing…")
            return
        self._unsaved.leave(lambda: self._close(result))

    def _close(self, result: int) -> None:
        # Once: a close that waited for a save and a Save answer's own close may both come.
        if self._finished:
            return
        self._finished = True
        self._closing_result = None
        self._check.abandon()
        self._key_generation += 1  # a key read still waiting (unlock prompt) is ignored
        super().done(result)
