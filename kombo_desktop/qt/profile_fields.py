"""The fields of the profiles dialog's form, and the problems shown at them.

``ProfileFields`` is no widget of its own: it builds the fields as children of the
dialog, in the order of the dialog's tab chain, and lays them out in a form layout the
dialog places. It reads them as the profile, the connection or the values they hold,
fills them from a profile, and shows each problem at its field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.connection import Connection, Environment, HeldKeys, Region
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import register_secret
from kombo_desktop.core.profiles import Profile, ProfileStore
from kombo_desktop.qt.environment_badge import keep_badge_room, show_environment_badge
from kombo_desktop.qt.field_marks import mark_field, style_as_problem_text

CUSTOM_URL = "custom"
#: Form fields in the order their errors are shown; "profile" and "import" go to the status.
FORM_FIELDS = ("profile_name", "region", "base_url", "integration_id", "api_key")
KEY_PLACEHOLDER = "ks_prod_… or ks_dev_…"
#: The key field's placeholder once its profile is known to have no key.
NO_KEY_PLACEHOLDER = "No API key saved: paste one here"
#: The key field's placeholder once its profile's key could not be read.
KEY_UNREADABLE_PLACEHOLDER = "The API key could not be read"
#: The key field's placeholder once its profile's key could not be read because there is
#: no keyring at all: a key saved then is kept for this session only.
SESSION_KEY_PLACEHOLDER = "Paste the API key to use it until Kombo Desktop closes"
#: The key field's context menu entries that would put the key on the clipboard.
_COPYING_ACTIONS = ("edit-copy", "edit-cut")
#: The keys a shown key field handles unmasked: a masked line edit's undo only clears the
#: line. Any other key may copy (Copy, Cut, Ctrl+K and Ctrl+U, and on X11 each key that
#: selects puts the selection on the selection clipboard).
_UNMASKED_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class KeyLineEdit(QLineEdit):
    """The API key field: its key never reaches the clipboard, even while "Show" shows it.

    A masked line edit refuses to copy by itself; a shown one would copy on Ctrl+C, Ctrl+X,
    its menu's Copy and Cut, a drag, and on X11 at each selection (the selection
    clipboard). Shown, the field refuses all of them as it does masked: typing, pasting
    and deleting work as in any field.
    """

    def __init__(self, parent: QWidget) -> None:
        """A masked field whose text is never dragged out (a drag carries the text along)."""
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setDragEnabled(False)

    @contextmanager
    def _masked_meanwhile(self) -> Iterator[None]:
        """Qt copies only from a field that shows its text: while a handler that may copy
        runs, the field is masked (no paint comes in between, so nothing flickers)."""
        shown = self.echoMode() == QLineEdit.EchoMode.Normal
        if shown:
            self.setEchoMode(QLineEdit.EchoMode.Password)
        try:
            yield
        finally:
            if shown:
                self.setEchoMode(QLineEdit.EchoMode.Normal)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Every key but Undo and Redo is handled as in a masked field: none copies."""
        if any(event.matches(keys) for keys in _UNMASKED_KEYS):
            super().keyPressEvent(event)
            return
        with self._masked_meanwhile():
            super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """On X11 a line edit puts the text selected with the mouse on the selection
        clipboard as the button is let go: not the key."""
        with self._masked_meanwhile():
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """A double click selects a word, and on X11 puts it on the selection clipboard:
        not a piece of the key."""
        with self._masked_meanwhile():
            super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The standard menu, its Copy and Cut off as in a masked field."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() in _COPYING_ACTIONS:
                action.setEnabled(False)
        menu.exec(event.globalPos())
        menu.deleteLater()


@dataclass(frozen=True)
class FormValues:
    """What the form holds, as saving would read it; compared to tell unsaved edits."""

    name: str
    region: str
    base_url: str
    integration_id: str
    key: str = dataclasses.field(repr=False)  # never in a log or a traceback's locals


class ProfileFields:
    """Name, region, base URL, integration ID and API key, each with its problem text."""

    def __init__(self, parent: QWidget) -> None:
        """Build the fields as children of ``parent``; ``layout`` holds them."""
        self.name_edit = _line_edit(parent, "Profile name", "e.g. Acme GmbH")
        self.region_combo = QComboBox(parent)
        self.region_combo.setAccessibleName("Region")
        self.region_combo.addItem("EU", Region.EU.value)
        self.region_combo.addItem("US", Region.US.value)
        self.region_combo.addItem("Custom URL", CUSTOM_URL)
        self.region_combo.currentIndexChanged.connect(self._on_region_changed)
        self.base_url_edit = _line_edit(parent, "Base URL", "https://api.kombo.dev/v1")
        self.integration_edit = _line_edit(
            parent, "Integration ID", "workday:HWUTwvyx2wLoSUHphiWVrp28"
        )
        # Where the two values come from: a recruiter setting up a first profile has them
        # from whoever runs the Kombo account.
        self.integration_edit.setToolTip(
            "The customer's integration in Kombo: the ATS's name, a colon and its ID, as "
            "Kombo's dashboard shows it"
        )
        self.key_edit = KeyLineEdit(parent)
        self.key_edit.setAccessibleName("API key")
        self.key_edit.setPlaceholderText(KEY_PLACEHOLDER)
        self.key_edit.setMinimumWidth(200)
        self.key_edit.setToolTip(
            "Made on the Secrets page of Kombo's dashboard (ks_prod_… or ks_dev_…). Saved in "
            "the system keyring, never in a file"
        )
        self.key_edit.textChanged.connect(self._on_key_edited)
        self.key_edit.editingFinished.connect(self._register_typed_key)
        # A push button, not a tool button: Enter on it shows the key, as Space does,
        # rather than pressing the dialog's default button (Save).
        self.reveal_button = QPushButton("Show", parent)
        self.reveal_button.setAutoDefault(True)
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName("Show API key")
        self.reveal_button.setToolTip("Show or hide the API key")
        self.reveal_button.toggled.connect(self._on_reveal_toggled)
        self.key_badge = QLabel(parent)
        self.key_badge.setAccessibleName("Key environment")
        # Its room kept, shown or not: as the key of each profile chosen is read (the
        # badge hidden meanwhile), what is laid out around it moved at each arrow key in
        # the list (beside the key, the form's column narrowed and widened again, and the
        # list beside it was laid out again, hundreds of rows measured twice; under it,
        # the buttons below would go up and down).
        keep_badge_room(self.key_badge)
        # Shown while the key could not be read (a locked keyring): the person unlocks it,
        # then reads the key again from here.
        self.read_key_again_button = QPushButton("Try again", parent)
        self.read_key_again_button.setAutoDefault(True)
        self.read_key_again_button.setAccessibleName("Read the API key again")
        self.read_key_again_button.setToolTip("Read the API key from the keyring again")
        self.read_key_again_button.setVisible(False)
        self._inputs: dict[str, QWidget] = {
            "profile_name": self.name_edit,
            "region": self.region_combo,
            "base_url": self.base_url_edit,
            "integration_id": self.integration_edit,
            "api_key": self.key_edit,
        }
        self.errors: dict[str, QLabel] = {}
        # Whether the key field's problem is one of the key the profile holds (its read
        # failed, or it may not be used), not of what was typed: it goes with that key.
        self._stored_key_problem = False
        self.layout = self._lay_out(parent)
        self._on_region_changed()

    def _lay_out(self, parent: QWidget) -> QFormLayout:
        form = QFormLayout()
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.reveal_button)
        key_row.addWidget(self.read_key_again_button)
        # Under the key, not beside it: there its room (kept while it is hidden) was taken
        # from the key's, which showed a few characters at any width of the dialog.
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.key_badge)
        badge_row.addStretch(1)
        rows: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("profile_name", "Profile &name", self.name_edit),
            ("region", "&Region", self.region_combo),
            ("base_url", "&Base URL", self.base_url_edit),
            ("integration_id", "&Integration ID", self.integration_edit),
            ("api_key", "API &key", key_row),
        ]
        for field, caption, widget in rows:
            label = QLabel(caption, parent)
            label.setBuddy(self.key_edit if isinstance(widget, QHBoxLayout) else widget)
            box = QVBoxLayout()
            box.setSpacing(2)
            if isinstance(widget, QHBoxLayout):
                box.addLayout(widget)
                if field == "api_key":
                    box.addLayout(badge_row)
            else:
                box.addWidget(widget)
            error = QLabel(parent)
            error.setObjectName(f"{field}_error")
            error.setAccessibleName(f"{caption.replace('&', '')} problem")
            error.setWordWrap(True)
            style_as_problem_text(error)
            error.setVisible(False)
            box.addWidget(error)
            self.errors[field] = error
            form.addRow(label, box)
        return form

    # ---- filling ----------------------------------------------------------------------------

    def clear(self) -> None:
        """Empty every field, for a new profile."""
        self.name_edit.clear()
        self.region_combo.setCurrentIndex(0)
        self.base_url_edit.clear()
        self.integration_edit.clear()
        self.key_edit.clear()
        self.key_edit.setPlaceholderText(KEY_PLACEHOLDER)
        self.read_key_again_button.setVisible(False)

    def blank_values(self) -> FormValues:
        """What the form holds once emptied for a new profile (``clear``)."""
        return FormValues("", str(self.region_combo.itemData(0)), "", "", "")

    def show_profile(self, profile: Profile) -> None:
        """Fill the fields from ``profile``; the key field waits for its key to be read."""
        # Every field anew: Ctrl+Z must not bring back what was typed for another profile.
        self._show_settings(profile, anew=True)
        self.key_edit.clear()
        self.reading_key()

    def reading_key(self) -> None:
        """The profile's key is being read (again)."""
        self.key_edit.setPlaceholderText("Reading the API key…")
        self.read_key_again_button.setVisible(False)

    def show_settings(self, profile: Profile) -> None:
        """Fill every field but the key from ``profile`` (the key field is left as it is).

        A field that holds its value already is left alone, its cursor included: for the
        profile in the form as saved, which may differ from the form in what another
        process changed.
        """
        self._show_settings(profile, anew=False)

    def _show_settings(self, profile: Profile, *, anew: bool) -> None:
        _show_text(self.name_edit, profile.name, anew=anew)
        if profile.base_url:
            self.region_combo.setCurrentIndex(self.region_combo.findData(CUSTOM_URL))
            _show_text(self.base_url_edit, profile.base_url, anew=anew)
        else:
            region = (profile.region or Region.EU).value
            self.region_combo.setCurrentIndex(self.region_combo.findData(region))
            _show_text(self.base_url_edit, "", anew=anew)
        _show_text(self.integration_edit, profile.integration_id, anew=anew)

    def show_stored_key(self, key: str | None) -> None:
        """The profile's key has been read (None: it has none): it fills an empty field."""
        self._forget_stored_key_problem()
        if key is None:
            self.key_edit.setPlaceholderText(NO_KEY_PLACEHOLDER)
        elif not self.key_edit.text():
            self.key_edit.setText(key)
            self.key_edit.setPlaceholderText(KEY_PLACEHOLDER)

    def replace_stored_key(self, key: str | None) -> None:
        """The profile's key was read again and is another now (None: it has none): it
        takes the place of the one the field showed, masked (``hide_key``)."""
        self.hide_key()
        self._forget_stored_key_problem()
        self.key_edit.setText(key or "")
        self.key_edit.setPlaceholderText(KEY_PLACEHOLDER if key else NO_KEY_PLACEHOLDER)

    def show_key_unreadable(self, reason: str, *, read_again: bool = True) -> None:
        """The profile's key could not be read, for ``reason``; "Try again" reads it again.

        ``read_again`` False: reading again cannot help (no keyring at all), so "Try
        again" is not offered, and the field says how a key is used for this session.
        """
        self.key_edit.setPlaceholderText(
            KEY_UNREADABLE_PLACEHOLDER if read_again else SESSION_KEY_PLACEHOLDER
        )
        self.show_stored_key_problem(reason)
        self.read_key_again_button.setVisible(read_again)

    def show_stored_key_problem(self, message: str) -> None:
        """Show ``message`` at the key field: a problem of the key the profile holds, which
        goes once that key is read, or is no longer the form's (``forget_stored_key``)."""
        self.show_error("api_key", message)
        self._stored_key_problem = True

    def forget_shown_key(self) -> None:
        """Empty the key field, masked again: the key an earlier read put there may be the
        profile's no more (a later read failed)."""
        self.hide_key()
        self.key_edit.clear()

    def forget_stored_key(self) -> None:
        """The form is a new profile's now: what was said of the key of the profile it
        showed goes ("Try again" and the problem of its read), and the key field reads as
        a new profile's. What was typed stays."""
        self._forget_stored_key_problem()
        self.key_edit.setPlaceholderText(KEY_PLACEHOLDER)

    def _forget_stored_key_problem(self) -> None:
        self.read_key_again_button.setVisible(False)
        if self._stored_key_problem:
            self.clear_error("api_key")

    def hide_key(self) -> None:
        """Mask the key again: "Show" was for the key then in the field, not the next one."""
        self.reveal_button.setChecked(False)

    def set_read_only(self, read_only: bool) -> None:
        """Hold every field still (while what it holds is being saved), or free it."""
        for edit in (self.name_edit, self.base_url_edit, self.integration_edit, self.key_edit):
            edit.setReadOnly(read_only)
        self.region_combo.setEnabled(not read_only)

    # ---- reading ----------------------------------------------------------------------------

    @property
    def _custom(self) -> bool:
        return bool(self.region_combo.currentData() == CUSTOM_URL)

    def _region(self) -> Region | None:
        return None if self._custom else Region(str(self.region_combo.currentData()))

    def typed_key(self) -> str:
        """The key in the field, as saving reads it (trimmed)."""
        return self.key_edit.text().strip()

    def profile(self, store: ProfileStore, profile_id: str, held: HeldKeys) -> Profile:
        """The profile the form describes; ``InputError`` names every field at fault, and
        each one holding a key of ``held`` (it would be saved in clear)."""
        existing = store.get(profile_id)
        return store.checked_profile(
            name=self.name_edit.text(),
            integration_id=self.integration_edit.text(),
            held=held,
            region=self._region(),
            # Text, even empty, says a custom URL was chosen: a missing one is shown there.
            base_url=self.base_url_edit.text() if self._custom else None,
            profile_id=profile_id,
            key_environment=existing.key_environment if existing else None,
        )

    def connection(self, held: HeldKeys) -> Connection:
        """The connection the form describes (for "Test connection"); ``InputError`` if
        not, or if its integration ID or base URL holds a key of ``held`` (it would be
        sent as one, and written to the log)."""
        return Connection.create(
            api_key=self.key_edit.text(),
            integration_id=self.integration_edit.text(),
            region=self._region(),
            base_url=self.base_url_edit.text() if self._custom else None,
            held=held,
        )

    def values(self) -> FormValues:
        """What the form holds, as saving would read it."""
        return FormValues(
            name=self.name_edit.text().strip(),
            region=str(self.region_combo.currentData()),
            # A URL left in the disabled field is not used: no edit of the profile.
            base_url=self.base_url_edit.text().strip() if self._custom else "",
            integration_id=self.integration_edit.text().strip(),
            key=self.typed_key(),
        )

    # ---- problems ---------------------------------------------------------------------------

    def error(self, field: str) -> str:
        """The problem shown at a field ("" when none)."""
        label = self.errors.get(field)
        return label.text() if label is not None and label.isVisible() else ""

    def show_error(self, field: str, message: str) -> None:
        """Show ``message`` at one of ``FORM_FIELDS``."""
        if field == "api_key":
            self._stored_key_problem = False
        label = self.errors[field]
        label.setText(message)
        label.setVisible(True)
        mark_field(self.widget_of(field), message)

    def clear_error(self, field: str) -> None:
        """Take the problem away from a field."""
        if field == "api_key":
            self._stored_key_problem = False
        label = self.errors[field]
        label.clear()
        label.setVisible(False)
        mark_field(self.widget_of(field), "")

    def clear_errors(self) -> None:
        """Take every problem away."""
        for field in FORM_FIELDS:
            self.clear_error(field)

    def widget_of(self, field: str) -> QWidget:
        """The input of one of ``FORM_FIELDS``."""
        return self._inputs[field]

    def show_problems(
        self, error: InputError, elsewhere: Callable[[FieldError], None]
    ) -> QWidget | None:
        """Show each problem at its field, below any shown there already; one without a
        field of the form goes to ``elsewhere``. Returns the first field at fault."""
        first: QWidget | None = None
        for problem in error.errors:
            if problem.field not in self.errors:
                elsewhere(problem)
                continue
            message = problem.message
            current = self.error(problem.field)
            self.show_error(problem.field, f"{current}\n{message}" if current else message)
            first = first or self.widget_of(problem.field)
        return first

    # ---- reacting to edits ------------------------------------------------------------------

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
            self.clear_error("base_url")

    @Slot(bool)
    def _on_reveal_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.key_edit.setEchoMode(mode)
        self.reveal_button.setText("Hide" if shown else "Show")

    @Slot(str)
    def _on_key_edited(self, text: str) -> None:
        key = text.strip()
        show_environment_badge(self.key_badge, Environment.of_key(key) if key else None)
        self.clear_error("api_key")

    @Slot()
    def _register_typed_key(self) -> None:
        # Once typing ends, not per keystroke: partial keys would mask ordinary log text.
        key = self.typed_key()
        if key:
            register_secret(key)


def _show_text(edit: QLineEdit, text: str, *, anew: bool) -> None:
    """Put ``text`` in ``edit``; unless ``anew``, only when it holds something else."""
    if anew or edit.text() != text:
        edit.setText(text)


def _line_edit(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit
