"""Manage profiles: add, edit, duplicate, delete, test, import and export.

Keyring reads and profile-file writes run on background threads (``TaskRunner``): the
ones of the profile picker that opens the dialog, so that one keyring read runs at a
time and the profiles file has one writer; "Test connection" goes through the shared
``ApiWorker``. When the keyring cannot take a key, the person chooses: keep it for
this session only (memory), or cancel. Every failure is worded by ``core.messages``.
Edits not saved yet are never dropped without asking (``ask_to_save``), and a connection
test's result is shown only for the values it tested.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.client import ApiOutcome, KomboClient
from kombo_desktop.core.connection import Connection, Environment, Region, validate_api_key
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import register_secret
from kombo_desktop.core.messages import describe_error, describe_failure, describe_key_check
from kombo_desktop.core.models import ApiKeyCheck
from kombo_desktop.core.profiles import (
    ImportResult,
    Profile,
    ProfileStore,
    new_profile_id,
    save_with_key,
)
from kombo_desktop.core.secrets import KeyStore, SecretStoreError, SecretStoreUnavailable
from kombo_desktop.qt.background_tasks import ProfileRunners
from kombo_desktop.qt.environment_badge import show_environment_badge
from kombo_desktop.qt.field_marks import mark_field, set_text_tone, style_as_problem_text
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.icons import StatusKind
from kombo_desktop.qt.profile_list_model import ProfileTableModel
from kombo_desktop.qt.questions import ask, build_question
from kombo_desktop.qt.spoken import show_text
from kombo_desktop.qt.worker import ApiWorker, Job

log = logging.getLogger(__name__)

CUSTOM_URL = "custom"
SESSION_ONLY_BUTTON = "Keep for this session only"

#: What every change to a profile does to a file (for "Could not …" when it fails).
WRITE_PROFILES = "write the profiles file"
#: Form fields in the order their errors are shown; "profile" and "import" go to the status.
FORM_FIELDS = ("profile_name", "region", "base_url", "integration_id", "api_key")


class UnsavedChoice(Enum):
    """The answer to "Save changes to …?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


@dataclass(frozen=True)
class _FormValues:
    """What the form holds, as saving would read it; compared to tell unsaved edits."""

    name: str
    region: str
    base_url: str
    integration_id: str
    key: str = dataclasses.field(repr=False)  # never in a log or a traceback's locals


@dataclass(frozen=True)
class _SaveRequest:
    profile: Profile
    is_new: bool
    new_key: str | None  # None: keep the stored key; "": delete it; else: store this key
    form: _FormValues  # the form as it was saved: its edits are no longer unsaved
    form_generation: int  # which loading of the form was saved (see ``_form_generation``)


def _persist(
    store: ProfileStore, key_store: KeyStore, request: _SaveRequest, session_only: bool
) -> tuple[Profile, str | None]:
    """Runs on the background thread; see ``save_with_key``."""
    saved = save_with_key(
        store,
        key_store,
        request.profile,
        request.new_key,
        is_new=request.is_new,
        session_only=session_only,
    )
    return saved, request.new_key


def _read_and_import(store: ProfileStore, path: Path) -> ImportResult:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        # An input error like the file's other problems, so that a failed read is never
        # told as a failed write of the profiles file.
        reason = describe_failure(exc, file_action=f"read {path}").text
        raise InputError([FieldError("import", reason)]) from None
    return store.import_json(text)


async def _check_key(client: KomboClient, report: Any) -> tuple[ApiOutcome, ApiKeyCheck]:
    return await client.check_api_key()


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
    ) -> None:
        """``runners`` are the key reader and profile writer of whoever opens the dialog
        (the picker); they outlive the dialog."""
        super().__init__(parent)
        self.setWindowTitle("Manage profiles")
        self.setAccessibleName("Manage profiles")
        self.setObjectName("profilesDialog")
        self._store = store
        self._key_store = key_store
        self._worker = worker
        # Writes in order on one thread; key reads on another, since an unlock prompt may
        # keep a read waiting for a long time.
        self._writer = runners.writer
        self._reader = runners.reader
        # The writer may hold the picker's work too: the dialog is busy with its own only.
        self._pending_writes = 0
        # Set once the dialog is destroyed: shared runners outlive it and may still answer.
        # (Through a lambda: Qt no longer calls the dialog's own slots for its destruction.)
        self._gone = False
        self.destroyed.connect(lambda *_: self._forget_answers())
        self._editing_id: str | None = None
        self._loaded_key: str | None = None
        self._key_generation = 0
        self._test_job: Job | None = None
        self._closing_result: int | None = None
        # The form as last loaded or saved: anything else in it is an unsaved edit.
        self._clean = _FormValues("", "", "", "", "")
        # Counts each loading of the form (a profile, or a new one): a save's outcome
        # concerns the form it was started from only.
        self._form_generation = 0
        # While a save runs: the form as it was before, which a failed save goes back to.
        self._before_save: _FormValues | None = None
        self._finished = False
        # While a change is written the list and the form are held still, and hand the
        # focus on: it comes back once the change is written (``_on_writes_idle``).
        self._focus = FocusKeeper(self)
        self._test_focus = FocusKeeper(self)  # "Test connection" is off while it tests
        # Set while the dialog itself moves the list's selection, which asks nothing.
        self._quiet_selection = False
        # A row the person chose while the form held unsaved edits: asked about next.
        self._switch_to: str | None = None
        self._last_saved_id: str | None = None

        self.model = ProfileTableModel(key_store, self)
        self._build_ui()
        self._refresh_list()
        message = store.load_result.message
        if message:
            self._show_status(message, error=True)
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
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumWidth(420)
        self.table.selectionModel().currentRowChanged.connect(self._on_row_changed)

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

        self.name_edit = self._line_edit("Profile name", "e.g. Acme GmbH")
        self.region_combo = QComboBox(self)
        self.region_combo.setAccessibleName("Region")
        self.region_combo.addItem("EU", Region.EU.value)
        self.region_combo.addItem("US", Region.US.value)
        self.region_combo.addItem("Custom URL", CUSTOM_URL)
        self.region_combo.currentIndexChanged.connect(self._on_region_changed)
        self.base_url_edit = self._line_edit("Base URL", "https://api.kombo.dev/v1")
        self.integration_edit = self._line_edit(
            "Integration ID", "workday:HWUTwvyx2wLoSUHphiWVrp28"
        )
        # A test result speaks of the values tested: once they change it is wrong.
        self.region_combo.currentIndexChanged.connect(self._forget_test)
        self.base_url_edit.textChanged.connect(self._forget_test)
        self.integration_edit.textChanged.connect(self._forget_test)
        self.key_edit = self._line_edit("API key", "ks_prod_… or ks_dev_…")
        self.key_edit.setMinimumWidth(200)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setToolTip("Saved in the system keyring, never in a file")
        self.key_edit.textChanged.connect(self._on_key_edited)
        self.key_edit.editingFinished.connect(self._register_typed_key)
        self.reveal_button = QToolButton(self)
        self.reveal_button.setText("Show")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName("Show API key")
        self.reveal_button.setToolTip("Show or hide the API key")
        self.reveal_button.toggled.connect(self._on_reveal_toggled)
        self.key_badge = QLabel(self)
        self.key_badge.setAccessibleName("Key environment")
        show_environment_badge(self.key_badge, None)

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.reveal_button)
        key_row.addWidget(self.key_badge)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("profile_name", "Profile &name", self.name_edit),
            ("region", "&Region", self.region_combo),
            ("base_url", "&Base URL", self.base_url_edit),
            ("integration_id", "&Integration ID", self.integration_edit),
            ("api_key", "API &key", key_row),
        ]
        for field, caption, widget in rows:
            label = QLabel(caption, self)
            label.setBuddy(self.key_edit if isinstance(widget, QHBoxLayout) else widget)
            box = QVBoxLayout()
            box.setSpacing(2)
            if isinstance(widget, QHBoxLayout):
                box.addLayout(widget)
            else:
                box.addWidget(widget)
            error = QLabel(self)
            error.setObjectName(f"{field}_error")
            error.setAccessibleName(f"{caption.replace('&', '')} problem")
            error.setWordWrap(True)
            style_as_problem_text(error)
            error.setVisible(False)
            box.addWidget(error)
            self.errors[field] = error
            form.addRow(label, box)

        self.test_button = self._button("Test connection", self.test_connection)
        self.save_button = self._button("Save profile", self.save_profile)
        self.save_button.setDefault(True)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.test_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.save_button)

        self.test_result = QLabel(self)
        self.test_result.setAccessibleName("Connection test result")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.backend_label = QLabel(self)
        self.backend_label.setAccessibleName("Keyring")
        self.backend_label.setWordWrap(True)
        self.backend_label.setStyleSheet("QLabel { color: palette(mid); }")
        self._describe_backend_later()

        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(form_buttons)
        right.addWidget(self.test_result)
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
        self._on_region_changed()

    def _button(self, name: str, slot: Any, text: str | None = None) -> QPushButton:
        button = QPushButton(text or name, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _line_edit(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    # ---- list -----------------------------------------------------------------------------

    def _refresh_list(self, select_id: str | None = None) -> None:
        self.model.set_profiles(self._store.profiles())
        if select_id is not None:
            self.select_profile(select_id)
        self._update_buttons()

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
                # Asked once the click or key press that moved the selection is handled:
                # a question in the middle of it would leave the list half updated.
                self._switch_to = profile.id
                QTimer.singleShot(0, self, self._confirm_switch)
            else:
                self._load_form(profile)
        self._update_buttons()

    def _confirm_switch(self) -> None:
        target, self._switch_to = self._switch_to, None
        if target is None or self._gone:
            return

        def switch() -> None:
            if self.model.row_of(target) >= 0:
                self.select_profile(target)
            else:
                self._restore_selection()  # deleted meanwhile

        self._leave_form(switch, self._restore_selection)

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
            for edit in (self.name_edit, self.base_url_edit, self.integration_edit, self.key_edit):
                edit.setReadOnly(busy)
            self.region_combo.setEnabled(not busy)

    # ---- form -----------------------------------------------------------------------------

    @Slot()
    def new_profile(self) -> None:
        """Empty the form for a new profile."""
        self._key_generation += 1
        self._editing_id = None
        self._loaded_key = None
        self._hide_key()
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self.name_edit.clear()
        self.region_combo.setCurrentIndex(0)
        self.base_url_edit.clear()
        self.integration_edit.clear()
        self.key_edit.clear()
        self.key_edit.setPlaceholderText("ks_prod_… or ks_dev_…")
        self._forget_test()
        self._clear_errors()
        self._form_generation += 1
        self._before_save = None  # a save still running concerns the form left behind
        self._clean = self._form_values()
        self._update_buttons()
        self.name_edit.setFocus()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._leave_form(self.new_profile)

    def _load_form(self, profile: Profile | None) -> None:
        if profile is None:
            self.new_profile()
            return
        self._editing_id = profile.id
        self._loaded_key = None
        self._hide_key()
        self._clear_errors()
        self.name_edit.setText(profile.name)
        if profile.base_url:
            self.region_combo.setCurrentIndex(self.region_combo.findData(CUSTOM_URL))
            self.base_url_edit.setText(profile.base_url)
        else:
            region = (profile.region or Region.EU).value
            self.region_combo.setCurrentIndex(self.region_combo.findData(region))
            self.base_url_edit.clear()
        self.integration_edit.setText(profile.integration_id)
        self.key_edit.clear()
        self.key_edit.setPlaceholderText("Reading the API key…")
        self._forget_test()
        self._form_generation += 1
        self._before_save = None  # a save still running concerns the form left behind
        self._clean = self._form_values()
        self._read_key(profile)
        self._update_buttons()

    def _read_key(self, profile: Profile) -> None:
        self._key_generation += 1
        generation = self._key_generation
        key_store = self._key_store

        def done(key: object) -> None:
            if generation != self._key_generation:
                return
            self._loaded_key = key if isinstance(key, str) else None
            # The key read is what the profile holds, even if something was typed meanwhile
            # (compared as the form reads it: trimmed).
            stored = (self._loaded_key or "").strip()
            if self._before_save is not None:
                # A save of this form runs. Should it fail, the form goes back to what the
                # profile holds, this key included.
                self._before_save = replace(self._before_save, key=stored)
            if self._before_save is None or not self._clean.key:
                # No key typed is being saved: the key read stays the profile's (and is
                # about to fill the empty field below).
                self._clean = replace(self._clean, key=stored)
            if self._loaded_key is None:
                self.key_edit.setPlaceholderText("No API key saved: paste one here")
            elif not self.key_edit.text():
                self.key_edit.setText(self._loaded_key)
                self.key_edit.setPlaceholderText("ks_prod_… or ks_dev_…")

        def failed(error: BaseException) -> None:
            if generation != self._key_generation:
                return
            self.key_edit.setPlaceholderText("The API key could not be read")
            self._show_field_error("api_key", describe_failure(error).text)

        self._read(lambda: key_store.get(profile.id), done, failed)

    @Slot()
    def _on_region_changed(self) -> None:
        value = self.region_combo.currentData()
        custom = value == CUSTOM_URL
        self.base_url_edit.setEnabled(custom)
        # The placeholder shows where the chosen region sends requests.
        self.base_url_edit.setPlaceholderText(
            "https://… (https unless on this computer)" if custom else Region(value).base_url
        )
        if not custom:
            self._clear_error("base_url")

    def _hide_key(self) -> None:
        # "Show" was for the key then in the field, not for the next profile's.
        self.reveal_button.setChecked(False)

    @Slot(bool)
    def _on_reveal_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self.reveal_button.setText("Hide" if shown else "Show")

    @Slot(str)
    def _on_key_edited(self, text: str) -> None:
        key = text.strip()
        show_environment_badge(self.key_badge, Environment.of_key(key) if key else None)
        self._clear_error("api_key")
        self._forget_test()

    @Slot()
    def _register_typed_key(self) -> None:
        # Once typing ends, not per keystroke: partial keys would mask ordinary log text.
        key = self.key_edit.text().strip()
        if key:
            register_secret(key)

    def _form_profile(self, profile_id: str) -> Profile:
        """The profile the form describes; ``InputError`` names every field at fault."""
        custom = self.region_combo.currentData() == CUSTOM_URL
        existing = self._store.get(profile_id)
        return self._store.checked_profile(
            name=self.name_edit.text(),
            integration_id=self.integration_edit.text(),
            region=None if custom else Region(str(self.region_combo.currentData())),
            # Text, even empty, says a custom URL was chosen: a missing one is shown there.
            base_url=self.base_url_edit.text() if custom else None,
            profile_id=profile_id,
            key_environment=existing.key_environment if existing else None,
        )

    def _form_values(self) -> _FormValues:
        custom = self.region_combo.currentData() == CUSTOM_URL
        return _FormValues(
            name=self.name_edit.text().strip(),
            region=str(self.region_combo.currentData()),
            # A URL left in the disabled field is not used: no edit of the profile.
            base_url=self.base_url_edit.text().strip() if custom else "",
            integration_id=self.integration_edit.text().strip(),
            key=self.key_edit.text().strip(),
        )

    def has_unsaved_changes(self) -> bool:
        """True if the form differs from the profile as loaded or last saved."""
        return self._form_values() != self._clean

    def ask_to_save(self, question: str) -> UnsavedChoice:
        """Ask whether to save the form's edits before they are left behind."""
        box = QMessageBox(self)
        box.setObjectName("unsavedChanges")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(question)
        box.setInformativeText("Your changes are lost if you do not save them.")
        # Our own texts, not Qt's standard buttons: some desktop themes call Discard
        # "Close without Saving", wrong when the person only picks another profile.
        role = QMessageBox.ButtonRole
        save = box.addButton("Save", role.AcceptRole)
        discard = box.addButton("Discard", role.DestructiveRole)
        cancel = box.addButton("Cancel", role.RejectRole)
        for button in (save, discard, cancel):
            button.setAccessibleName(button.text())
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is save:
            return UnsavedChoice.SAVE
        if clicked is discard:
            return UnsavedChoice.DISCARD
        return UnsavedChoice.CANCEL

    def _unsaved_question(self) -> str:
        profile = self.selected_profile()
        if profile is not None:
            return f"Save changes to “{profile.name}”?"
        name = self.name_edit.text().strip()
        return f"Save the new profile “{name}”?" if name else "Save the new profile?"

    def _leave_form(
        self, proceed: Callable[[], None], stay: Callable[[], None] | None = None
    ) -> None:
        """Run ``proceed`` (which shows another profile, a new form, or closes) once the
        form's edits are saved or discarded; ``stay`` runs instead when the person
        cancels or the save fails."""
        if not self.has_unsaved_changes():
            proceed()
            return
        choice = self.ask_to_save(self._unsaved_question())
        if choice is UnsavedChoice.DISCARD:
            proceed()
        elif choice is UnsavedChoice.SAVE:
            self._save_form(then=proceed, otherwise=stay)
        elif stay is not None:
            stay()

    def form_connection(self) -> Connection:
        """The connection the form describes (for "Test connection"); ``InputError`` if not."""
        custom = self.region_combo.currentData() == CUSTOM_URL
        return Connection.create(
            api_key=self.key_edit.text(),
            integration_id=self.integration_edit.text(),
            region=None if custom else Region(str(self.region_combo.currentData())),
            base_url=self.base_url_edit.text() if custom else None,
        )

    # ---- errors and status ------------------------------------------------------------------

    def field_error(self, field: str) -> str:
        """The error shown at a form field ("" when none)."""
        label = self.errors.get(field)
        return label.text() if label is not None and label.isVisible() else ""

    def _show_field_error(self, field: str, message: str) -> None:
        label = self.errors.get(field)
        if label is None:
            self._show_status(message, error=True)
            return
        label.setText(message)
        label.setVisible(True)
        mark_field(self._widget_of(field), message)

    def _clear_error(self, field: str) -> None:
        label = self.errors[field]
        label.clear()
        label.setVisible(False)
        mark_field(self._widget_of(field), "")

    def _clear_errors(self) -> None:
        for field in FORM_FIELDS:
            self._clear_error(field)

    def _widget_of(self, field: str) -> QWidget:
        widgets: dict[str, QWidget] = {
            "profile_name": self.name_edit,
            "region": self.region_combo,
            "base_url": self.base_url_edit,
            "integration_id": self.integration_edit,
            "api_key": self.key_edit,
        }
        return widgets[field]

    def _show_input_error(self, error: InputError, *, focus: bool = True) -> QWidget | None:
        """Show each problem at its field (or in the status); returns the first field at
        fault, which takes the focus unless ``focus`` is False."""
        first: QWidget | None = None
        for problem in error.errors:
            message = problem.message
            if problem.field in self.errors:
                current = self.field_error(problem.field)
                self._show_field_error(
                    problem.field, f"{current}\n{message}" if current else message
                )
                first = first or self._widget_of(problem.field)
            else:
                self._show_status(describe_failure(InputError([problem])).text, error=True)
        if focus and first is not None:
            first.setFocus()
        return first

    def _show_status(self, message: str, *, error: bool = False) -> None:
        show_text(self.status, message)
        set_text_tone(self.status, StatusKind.ERROR if error else None)

    def status_text(self) -> str:
        """The dialog's latest status message."""
        return self.status.text()

    def _describe_backend_later(self) -> None:
        key_store = self._key_store

        def shown(text: object) -> None:
            show_text(self.backend_label, f"API keys are kept in: {text}")

        # Finding the backend probes D-Bus: keep it off the GUI thread.
        self._read(key_store.describe_backend, shown)

    # ---- background work ------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True while a change made in this dialog (save, duplicate, delete, import,
        export) is still being written."""
        return self._pending_writes > 0

    def _read(
        self,
        function: Callable[[], object],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Read on the reader; an answer that arrives once the dialog is gone is dropped."""

        def succeeded(result: object) -> None:
            if not self._gone:
                on_success(result)

        def failed(error: BaseException) -> None:
            if on_failure is None:
                # Nobody to tell (the keyring's name, say): the log keeps it, as the
                # runner would have.
                log.warning("Reading in the background failed: %s", error)
            elif not self._gone:
                on_failure(error)

        self._reader.run(function, succeeded, failed)

    def _write(
        self,
        function: Callable[[], object],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        """Queue a change on the writer; the dialog is busy until its answer has arrived."""
        self._pending_writes += 1

        def answered(callback: Callable[[Any], None], value: Any) -> None:
            self._pending_writes -= 1
            if self._gone:
                return  # written all the same; nothing is left to show it in
            try:
                callback(value)
            finally:
                if self._pending_writes == 0:
                    self._on_writes_idle()

        self._writer.run(
            function,
            lambda result: answered(on_success, result),
            lambda error: answered(on_failure, error),
        )
        self._update_buttons()

    def _forget_answers(self) -> None:
        self._gone = True

    # ---- save ---------------------------------------------------------------------------------

    @Slot()
    def save_profile(self) -> None:
        """Validate the form, then save the key (keyring) and the profile (file)."""
        self._save_form()

    def _save_form(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Save as ``save_profile`` does; ``then`` runs once saved, ``otherwise`` if not."""
        self._clear_errors()
        profile_id = self._editing_id or new_profile_id()
        errors: list[FieldError] = []
        profile: Profile | None = None
        try:
            profile = self._form_profile(profile_id)
        except InputError as exc:
            errors.extend(exc.errors)
        typed = self.key_edit.text().strip()
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
        new_key: str | None = None
        if typed != (self._loaded_key or ""):
            new_key = typed
        request = _SaveRequest(
            profile, self._editing_id is None, new_key, self._form_values(), self._form_generation
        )
        # Being saved is not unsaved: closing meanwhile waits for the save, asking nothing.
        self._before_save = self._clean
        self._clean = request.form
        self._run_save(request, session_only=False, then=then, otherwise=otherwise)

    def _show_not_saved(self, error: InputError, *, focus: bool = True) -> QWidget | None:
        # First, so that a problem without a field of its own can still take the status.
        self._show_status(
            "Nothing was saved. Correct the marked fields and save again.", error=True
        )
        return self._show_input_error(error, focus=focus)

    def _run_save(
        self,
        request: _SaveRequest,
        *,
        session_only: bool,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        store, key_store = self._store, self._key_store
        self._show_status(f"Saving “{request.profile.name}”…")

        def saved(result: object) -> None:
            self._on_saved(result)
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

    def _on_saved(self, result: object) -> None:
        assert isinstance(result, tuple)
        profile: Profile = result[0]
        new_key: str | None = result[1]
        # The list and the form are held while a save runs (``_update_buttons``): the
        # form shown is the one that was saved.
        self._before_save = None
        self._key_generation += 1  # a pending read of the old key is stale now
        self._editing_id = profile.id
        self._last_saved_id = profile.id
        if new_key is not None:
            self._loaded_key = new_key or None
        self._refresh_list(select_id=profile.id)
        if new_key is None and self._loaded_key is None and not self.key_edit.text():
            self._read_key(profile)  # the read that was pending was made stale above
        where = ""
        if new_key:
            where = (
                " The API key is kept for this session only."
                if self._key_store.is_session_only(profile.id)
                else " The API key is in the system keyring."
            )
        self._show_status(f"Saved “{profile.name}”.{where}")
        self.profilesChanged.emit()

    def _on_save_failed(
        self,
        request: _SaveRequest,
        error: BaseException,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        self._update_buttons()
        if isinstance(error, SecretStoreError) and request.new_key:
            if self.ask_session_only(error):
                self._run_save(request, session_only=True, then=then, otherwise=otherwise)
                return
            self._show_status("Nothing was saved. The form still holds what you typed.")
        elif isinstance(error, SecretStoreError):
            self._show_field_error("api_key", describe_failure(error).text)
            self._focus.prefer(self.key_edit)
            self._show_status("Nothing was saved.", error=True)
        elif isinstance(error, InputError):
            # The field at fault takes the focus once the write is over (if it is free).
            self._focus.prefer(self._show_not_saved(error, focus=False), even_if_kept=True)
        else:
            message = describe_failure(
                error, consequence="Nothing was saved", file_action=WRITE_PROFILES
            )
            self._show_status(message.text, error=True)
        before, self._before_save = self._before_save, None
        if before is not None and request.form_generation == self._form_generation:
            # Unless another profile was loaded meanwhile, its edits are unsaved again.
            self._clean = before
        # A close that waited for this save would hide why it failed: stay open.
        self._closing_result = None
        if otherwise is not None:
            otherwise()

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
        self._leave_form(self.duplicate_profile)

    @Slot()
    def duplicate_profile(self) -> None:
        """Copy the selected profile (with its key) under a new name."""
        profile = self.selected_profile()
        if profile is None:
            return
        store, key_store = self._store, self._key_store
        self._show_status(f"Duplicating “{profile.name}”…")

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

    def confirm_delete(self, profile: Profile) -> bool:
        """Ask before deleting a profile and its key; True to delete."""
        box, delete = build_question(
            self,
            name="confirmDelete",
            icon=QMessageBox.Icon.Question,
            title="Delete profile",
            text=f"Delete the profile “{profile.name}” and its API key?",
            detail="The key is removed from the system keyring. This cannot be undone.",
            go="Delete profile",
            go_role=QMessageBox.ButtonRole.DestructiveRole,
        )
        return ask(box, delete)

    def confirm_delete_without_keyring(self, profile: Profile, error: SecretStoreError) -> bool:
        """Ask whether to delete a profile although no keyring can be reached; True to delete.

        On a computer without any keyring there is no other way to delete a profile.
        """
        box, delete = build_question(
            self,
            name="confirmDeleteWithoutKeyring",
            icon=QMessageBox.Icon.Warning,
            title="Delete profile",
            text=f"Delete the profile “{profile.name}” without deleting its API key?",
            detail=(
                f"{describe_failure(error).text}\n\nIf its API key was saved in a keyring "
                "earlier, it stays there."
            ),
            go="Delete profile only",
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
        self._show_status(f"Deleting “{profile.name}”…")

        def done(key_deleted: object) -> None:
            self._refresh_list()
            if self.model.rowCount() > 0:
                self.select_profile(self.model.profile_at(0).id)  # type: ignore[union-attr]
                # Delete now stands for another profile: the list says which one.
                self._focus.prefer(self.table)
            else:
                self.new_profile()
            if key_deleted:
                self._show_status(f"Deleted “{profile.name}” and its API key.")
            else:
                self._show_status(
                    f"Deleted “{profile.name}”. No keyring could be reached: an API key saved "
                    "for it earlier stays in that keyring."
                )
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
            self._clear_error(field)
        self._forget_test()
        try:
            connection = self.form_connection()
        except InputError as exc:
            self._show_input_error(exc)
            return
        show_text(self.test_result, "Testing the connection…")
        with self._test_focus.going_off():
            self.test_button.setEnabled(False)
        job = self._worker.submit(connection, _check_key)
        self._test_job = job
        environment = connection.environment

        # An answer is shown only while the test is the current one: not once the dialog
        # is gone (closed while testing), nor once what was tested changed (another
        # profile, another key), which cancels the test and forgets it.
        def current() -> bool:
            return not self._gone and self._test_job is job

        def succeeded(answer: object) -> None:
            if not current():
                return
            assert isinstance(answer, tuple)
            outcome, check = answer
            assert isinstance(outcome, ApiOutcome)
            assert isinstance(check, ApiKeyCheck)
            self._show_test_result(True, describe_key_check(outcome, check, environment).text)

        def failed(error: object) -> None:
            if not current():
                return
            assert isinstance(error, BaseException)
            self._show_test_result(False, describe_error(error).text)

        def cancelled() -> None:
            if current():
                self._show_test_result(False, "Test cancelled.")

        def finished() -> None:
            if current():
                self._test_job = None
                self.test_button.setEnabled(True)
                self._test_focus.give_back()

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.cancelled.connect(cancelled)
        job.finished.connect(finished)

    @Slot()
    def _forget_test(self) -> None:
        """Cancel a test still running and clear the result: what it tested has changed."""
        job, self._test_job = self._test_job, None
        if job is not None:
            job.cancel()
        self.test_button.setEnabled(True)
        self._test_focus.give_back()
        show_text(self.test_result, "")
        set_text_tone(self.test_result, None)

    def _show_test_result(self, ok: bool, text: str) -> None:
        show_text(self.test_result, text)
        set_text_tone(self.test_result, StatusKind.SUCCESS if ok else StatusKind.ERROR)
        self.connectionTested.emit(ok, text)

    # ---- import and export ------------------------------------------------------------------

    @Slot()
    def _on_import_clicked(self) -> None:
        # The first profile imported is shown instead of the form.
        self._leave_form(self.import_profiles)

    @Slot()
    def import_profiles(self) -> None:
        """Choose a file and import its profiles (they come without keys)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, "Import profiles", "", "Profiles (*.json);;All files (*)"
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        """Import the profiles in ``path`` on the background thread."""
        store = self._store
        self._show_status(f"Importing {path.name}…")

        def done(result: object) -> None:
            assert isinstance(result, ImportResult)
            if result.imported:
                self._last_saved_id = result.imported[0].id
            self._refresh_list(select_id=result.imported[0].id if result.imported else None)
            self._show_status(result.message)
            if result.imported:
                self.profilesChanged.emit()

        def failed(error: BaseException) -> None:
            # A failed read arrives as an input error; what is left is saving the result.
            message = describe_failure(
                error, consequence="Nothing was imported", file_action=WRITE_PROFILES
            )
            self._show_status(message.text, error=True)

        self._write(lambda: _read_and_import(store, path), done, failed)

    @Slot()
    def export_profiles(self) -> None:
        """Choose a file and export every profile to it, without keys."""
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export profiles", "kombo-profiles.json", "Profiles (*.json)"
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every profile (no keys) to ``path`` on the background thread."""
        store = self._store
        self._show_status(f"Exporting to {path.name}…")

        def done(count: object) -> None:
            self._show_status(
                f"Exported {count} profile{'' if count == 1 else 's'} to {path}. "
                "The file holds no API keys."
            )

        def failed(error: BaseException) -> None:
            message = describe_failure(
                error, consequence="Nothing was exported", file_action=f"write {path}"
            )
            self._show_status(message.text, error=True)

        self._write(lambda: store.export_json(path), done, failed)

    # ---- closing ------------------------------------------------------------------------------

    def _on_writes_idle(self) -> None:
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
            self._show_status("Finishing saving…")
            return
        self._leave_form(lambda: self._close(result))

    def _close(self, result: int) -> None:
        # Once: a close that waited for a save and a Save answer's own close may both come.
        if self._finished:
            return
        self._finished = True
        self._closing_result = None
        job, self._test_job = self._test_job, None
        if job is not None:
            job.cancel()
        self._key_generation += 1  # a key read still waiting (unlock prompt) is ignored
        super().done(result)
