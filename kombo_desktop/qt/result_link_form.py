"""The result-link form: target, label, URL, prefix, attributes, advanced fields, actions.

Validation is the core's (``FormState.to_request``), shown at the field at fault: a red
frame and a message right under it. A field that was never touched stays quiet until a
send is attempted, but Submit is disabled from the start, with a tooltip and a hint
naming what is missing. The form never clears itself: only ``set_state`` and
``apply_next_candidate`` change what was typed.

The models behind the validation (pydantic) load in the background once the form
shows (``ModuleLoader``). Until they are there the form is "checking": it keeps what
is typed, Submit is off and says "Checking the form…", and the first validation runs
by itself when they arrive.

A large remote-fields JSON is checked off the GUI thread once typing pauses. Ctrl+Enter
or Submit pressed before its check is back, with nothing else stopping the send, is
remembered: the form says it will send once the JSON is checked, and does so if the JSON
is fine and nothing was changed meanwhile (an edit, or Esc, drops it; a problem the check
finds is shown at the field, as after any refused send). Submit stays on meanwhile, and
its description says so.

An ID picked in Find… shows whose it is under the field ("Anna Smith ·
anna@example.com"); the words are for the eye and the ear only, never sent or
saved, and go as soon as the ID or its kind changes any other way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.attribute_rows import AttributeRow, KeptForLast, row_problems_of
from kombo_desktop.core.connection import HeldKeys
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.form_state import (
    FIELD_ORDER,
    FormState,
    TypedSinceSent,
    attribute_row_of,
    field_group,
    typed_input_of,
)
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.sentences import field_problem_sentence, listed, said_of_part
from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.attributes_model import HEADERS, KEY_COLUMN, VALUE_COLUMN
from kombo_desktop.qt.buttons import pressed_by_enter
from kombo_desktop.qt.field_marks import is_marked, mark_field, style_as_problem_text
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.line_edits import keeping_any_length
from kombo_desktop.qt.module_loader import ModuleLoader, shared_model_loader
from kombo_desktop.qt.remote_fields_editor import RemoteFieldsEditor
from kombo_desktop.qt.spoken import announce, announce_once_focused, show_text
from kombo_desktop.qt.url_field import LabelLineEdit, UrlLineEdit

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent, QShowEvent

    from kombo_desktop.core.models import ResultLinkRequest, Target

#: Said after "Ready to send" when a prefix is typed and no attribute row would go with it.
PREFIX_LEFT_OUT_TEXT = "The prefix is sent only with attributes: it is left out."
#: What Submit, its hint and the preview say until the validation's models have loaded.
CHECKING_TEXT = "Checking the form…"
#: After the form first shows, the models start loading after this delay, so that the
#: first paint does not share the interpreter with the import.
MODELS_LOAD_DELAY_MS = 50
#: What Submit and its hint say while a send waits for a large JSON's check (Ctrl+Enter
#: pressed while it was still being checked: it goes out once the check is back).
WAITING_FOR_JSON_TEXT = "Sending once the JSON is checked… (Esc cancels)"
#: What Submit says after the problem (the remote fields still being checked) while nothing
#: else stops the send: pressed then, it waits for the check as Ctrl+Enter does.
SENDS_AFTER_JSON_CHECK_TEXT = "Submit sends the result link once they are checked (Ctrl+Enter)."
#: Said when that send is dropped because the form changed meanwhile, or on Esc.
CHANGED_WHILE_WAITING_TEXT = "Not sent: the form changed. Ctrl+Enter sends it as it is now."
CANCELLED_WHILE_WAITING_TEXT = "Not sent."
#: Why a send asked for while one is on its way goes nowhere (the window names that one).
STILL_SENDING_TEXT = "a result link is still being sent. Send again once its answer shows."
#: Presses "Next candidate" from anywhere in the window: Ctrl+Enter sends with the focus
#: left in the field, and Tab is a long way to the button. The platform's "New" (Cmd+N on
#: macOS), free everywhere in the window.
NEXT_CANDIDATE_KEY = "Ctrl+N"

#: How many of the table's rows at fault Submit's description and the preview name; the
#: others are counted ("…and 4,990 more rows"): a list of thousands helps nobody.
LISTED_ROWS = 10

#: How each field group is named to a person (and on screen).
FIELD_NAMES: dict[str, str] = {
    "target_id": "Target ID",
    "label": "Label",
    "url": "Result URL",
    "custom_field_name_prefix": "Custom field name prefix",
    "attributes": "Attributes",
    "remote_fields": "Remote fields",
}


#: How a problem of one cell names it, by the end of the field names of the cells: by its
#: column's heading, as a cell ("Key cell must not contain an API key": "Key must not…"
#: beside an API key reads as the API key).
_CELL_NAMES = {
    ".key": f"{HEADERS[KEY_COLUMN]} cell",
    ".value": f"{HEADERS[VALUE_COLUMN]} cell",
}


def phrase(group: str, error: FieldError) -> str:
    """A field's problem as a sentence naming the field: "Result URL must start with …";
    an attribute row's names the row, and the cell the problem is said of: "Attributes,
    row 1: Value cell must not contain an API key (…)"."""
    name = FIELD_NAMES.get(group, group)
    row = attribute_row_of(error.field) if group == "attributes" else None
    if row is not None:
        name = f"Attributes, row {row + 1}"
        # The cell too, for a problem said of it: the table's marks ("Value is empty",
        # "Duplicate key “Score”") name theirs already.
        in_cell = said_of_part(error, _CELL_NAMES)
        if in_cell is not None:
            return f"{name}: {in_cell}"
    # Shown under the field and in lists of problems: a caption, no full stop added.
    return field_problem_sentence(error, name, definite=False, full_stop=False)


@dataclass(frozen=True)
class _TableProblems:
    """What the attribute table's problems say in the form's list of problems."""

    #: The problems of the table as a whole, of no one row: said before the rows'.
    others: tuple[str, ...]
    #: The problems of each row at fault, by row ("Attributes, row 3: Value is empty"):
    #: one or more (the table's mark, then what the form's check says beyond it).
    rows: tuple[tuple[str, ...], ...]
    #: The first row at fault (the focus goes there), ``None`` when none is.
    first_row: int | None = None
    #: The column of the cell at fault in ``first_row`` as the check says it (the value's,
    #: for an API key pasted into a value): a row only the check refuses has no mark of the
    #: table's to tell it. ``None`` when the check finds nothing there beyond the mark.
    first_column: int | None = None

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """Every problem said: those of the table as a whole, then the rows'."""
        return (*self.others, *(line for row in self.rows for line in row))

    def listed(self, rows_named: int) -> list[str]:
        """``lines``, but past ``rows_named`` rows at fault the rest are counted, not named
        ("…and 4,990 more rows"): rows, not lines, as a row may say two problems."""
        # One more row is named rather than counted: "1 more rows" says nothing shorter.
        if len(self.rows) <= rows_named + 1:
            return list(self.lines)
        named = [line for row in self.rows[:rows_named] for line in row]
        return [*self.others, *named, f"…and {len(self.rows) - rows_named:,} more rows"]


#: A table without problems.
_NO_TABLE_PROBLEMS = _TableProblems((), ())


@dataclass(frozen=True)
class _AttributeWords:
    """What is said of the attributes' problems (``_attribute_words``)."""

    #: All of it, each row at fault once, in row order: the form's list of problems,
    #: Submit's description and the preview.
    said: _TableProblems
    #: What the table does not mark itself (it lists its own problems right above): the
    #: error text under it, and its description.
    beyond_table: _TableProblems


@KeptForLast
def _attribute_words(
    rows_errors_and_held: tuple[tuple[AttributeRow, ...], tuple[FieldError, ...], HeldKeys],
) -> _AttributeWords:
    """The table's rows (as shown) and the attributes' errors (the form's check's, in
    screen order) worded, the table's marks naming none of the held keys, once for the
    table as it is: the form is checked again at every key typed in any field, and
    thousands of rows may be at fault (keys kept by "Next candidate", values not typed, an
    API key pasted into each value).

    A row at fault says the table's mark (``row_problems_of``), then what the check finds
    there beyond it (an API key in its value), each naming its cell (``phrase``): the
    check refuses the marked rows too, in its own words, which would say the mark twice.
    A key and a value both holding an API key say two lines, the key's then the value's;
    each line is said once. Rows at fault are counted (``_TableProblems.listed``), not
    lines, and the focus goes to the cell at fault in the first of them.
    """
    rows, errors, held = rows_errors_and_held
    marks = row_problems_of(rows, held)
    others: list[str] = []
    checked: dict[int, list[str]] = {}
    checked_columns: dict[int, int] = {}
    for error in errors:
        row = attribute_row_of(error.field)
        if row is None:
            others.append(phrase("attributes", error))
        elif marks.get(row) != error.message:
            line = phrase("attributes", error)
            lines = checked.setdefault(row, [])
            if line not in lines:
                lines.append(line)
            # The errors are in screen order: a row's key before its value.
            checked_columns.setdefault(
                row, VALUE_COLUMN if error.field.endswith(".value") else KEY_COLUMN
            )
    at_fault = sorted(marks.keys() | checked.keys())
    # A mark is worded as the check's errors are: "Attributes, row 3: Value is empty".
    marked = {
        row: (phrase("attributes", FieldError(f"attributes[{row}]", mark)),)
        for row, mark in marks.items()
    }
    said = tuple((*marked.get(row, ()), *checked.get(row, ())) for row in at_fault)
    first_row = at_fault[0] if at_fault else None
    return _AttributeWords(
        said=_TableProblems(
            tuple(others),
            said,
            first_row,
            None if first_row is None else checked_columns.get(first_row),
        ),
        # No row to focus: the focus goes to the first row of all those at fault (``said``),
        # as the form's list of problems names it first.
        beyond_table=_TableProblems(
            tuple(others), tuple(tuple(checked[row]) for row in sorted(checked))
        ),
    )


def _attribute_errors(errors: Sequence[FieldError]) -> tuple[int, int]:
    """Where the attributes' errors start and end in ``errors``, which are in screen order
    (``in_screen_order``): one run of them, maybe empty, with the other fields' few errors
    before and after it. Found from both ends, so thousands of rows at fault are not read."""
    start = 0
    while start < len(errors) and field_group(errors[start].field) != "attributes":
        start += 1
    end = len(errors)
    while end > start and field_group(errors[end - 1].field) != "attributes":
        end -= 1
    return start, end


def _in_field_order(groups: Iterable[str]) -> list[str]:
    """``groups`` as their fields appear on screen (``FIELD_ORDER``), others last."""
    return sorted(
        groups, key=lambda g: FIELD_ORDER.index(g) if g in FIELD_ORDER else len(FIELD_ORDER)
    )


#: The hint goes beside the buttons only with this much room there: in less, it wrapped
#: into a column of a word or two a line, and the action bar grew tall over the form.
HINT_BESIDE_BUTTONS_PX = 280


def _style_as_hint(label: QLabel) -> None:
    label.setProperty("role", "hint")
    # A role, not a colour: it follows the palette when the theme changes.
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def _style_as_section_title(label: QLabel) -> None:
    label.setProperty("role", "sectionTitle")
    font = label.font()
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)


class ResultLinkForm(QWidget):
    """The single form; ``state()``/``set_state()`` move it to and from a ``FormState``."""

    #: Anything in the form changed (typing, pasting, ``set_state``).
    changed = Signal()
    #: Submit (or Ctrl+Enter) with a valid form.
    submitRequested = Signal()
    #: Cancel (or Esc) while sending.
    cancelRequested = Signal()
    #: "Next candidate" was pressed; the window decides (it knows the last answer).
    nextCandidateRequested = Signal()
    #: "Undo Next candidate" brought the form back as it was before "Next candidate".
    nextCandidateUndone = Signal()
    #: "Find…" next to the ID was pressed.
    findRequested = Signal()
    #: A send was attempted but something stops it; the text names the first problem.
    submitBlocked = Signal(str)
    #: The models arrived and the form was validated for the first time (see ``is_checking``).
    checked = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, model_loader: ModuleLoader | None = None
    ) -> None:
        """``model_loader`` loads the validation's models; by default the shared one,
        started when the form first shows."""
        super().__init__(parent)
        self._applying = False
        self._user_edited = False
        self._busy = False
        #: Keeps the focus while the form (and what goes off with it) is busy.
        self.focus_keeper = FocusKeeper(self)
        self._submit_attempted = False
        self._touched: set[str] = set()
        self._external_problem: str | None = None
        self._request: tuple[Target, ResultLinkRequest] | None = None
        self._problems: list[str] = []
        self._messages: dict[str, list[str]] = {}
        self._missing: set[str] = set()
        #: What the table's problems say (``messages["attributes"]`` by row).
        self._table_said = _NO_TABLE_PROBLEMS
        self._errors_by_group: dict[str, QLabel] = {}
        self._inputs_by_group: dict[str, QWidget] = {}
        #: The ID picked in Find…, the kind it was picked for and whose it is (its words, ""
        #: once they cannot be vouched for), until the ID is typed over: under the other
        #: kind it is refused (``_revalidate``).
        self._picked_for: tuple[TargetKind, str, str] | None = None
        # While a pick (or an ID given by the window) is typed into the field.
        self._filling_target_id = False
        # What "Next candidate" cleared (the form, whose its ID was), while it can be
        # undone: until the form is edited, set or sent.
        self._before_next: tuple[FormState, tuple[TargetKind, str, str] | None] | None = None
        #: The key the window sends with (``set_held_keys``): refused in every field.
        self._held_keys: tuple[str, ...] = ()
        #: The form as it was when a send was asked for while a large JSON was still being
        #: checked: it is sent once the check is back, if the form is still that.
        self._waiting_to_send: FormState | None = None

        fields = QWidget(self)
        fields.setObjectName("formFields")
        grid = QGridLayout(fields)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        self._grid = grid
        self._row = 0

        # Target: kind and id, with a lookup next to the id.
        self.target_type = QComboBox(fields)
        self.target_type.setAccessibleName("Target type")
        self.target_type.addItem("Candidate", TargetKind.CANDIDATE.value)
        self.target_type.addItem("Application", TargetKind.APPLICATION.value)
        self.target_type.setToolTip(
            "Attach the link to a candidate, or to one application when you know it "
            "(Kombo recommends the application)"
        )
        self.target_id = keeping_any_length(QLineEdit(fields))
        self.target_id.setAccessibleName("Target ID")
        self.find_button = pressed_by_enter(QPushButton("Find…", fields))
        self._name_find_button()
        # The kind by the caption, the ID under it across the whole field column, and
        # Find… under the ID, in the order Tab takes them: beside the kind and Find…, the
        # ID had room for a third of a Kombo ID (24 characters) in a small window, and an
        # ID pasted is checked whole before sending.
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_type)
        target_row.addStretch(1)
        id_lines = QVBoxLayout()
        id_lines.setContentsMargins(0, 4, 0, 0)
        id_lines.setSpacing(6)
        id_lines.addWidget(self.target_id)
        find_line = QHBoxLayout()
        find_line.addWidget(self.find_button)
        find_line.addStretch(1)
        id_lines.addLayout(find_line)
        # In the usual text colour: it confirms the pick, it is not a problem.
        self.picked_label = QLabel(fields)
        self.picked_label.setAccessibleName("Picked target")
        self.picked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.picked_label.setWordWrap(True)
        self.picked_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.picked_label.setVisible(False)
        # The caption labels the combo: Qt on Linux reads a combo box by its current text
        # and its label, not by its accessible name, so without it "Candidate" would be
        # all a screen reader says. The ID field has its own accessible name.
        self._add_field(
            "Target",
            self.target_id,
            target_row,
            "target_id",
            caption_for=self.target_type,
            lines_below=id_lines,
            note=self.picked_label,
        )
        self._update_id_placeholder()

        self.label = keeping_any_length(LabelLineEdit(fields))
        self.label.setAccessibleName("Label")
        self.label.setPlaceholderText("Assessment Result")
        self.label.setToolTip(
            "The link's name in the ATS; a pasted spreadsheet row “label⇥URL” fills both fields"
        )
        self._add_field(FIELD_NAMES["label"], self.label, self.label, "label")

        self.url = keeping_any_length(UrlLineEdit(fields))
        self.url.setAccessibleName("Result URL")
        self.url.setPlaceholderText("https://example.com/test-results/…")
        self.url.setToolTip("Paste a URL, or a spreadsheet row “label⇥URL” to fill both fields")
        self._add_field(FIELD_NAMES["url"], self.url, self.url, "url")

        self.prefix = keeping_any_length(QLineEdit(fields))
        self.prefix.setAccessibleName("Custom field name prefix")
        self.prefix.setPlaceholderText("Acme:")
        self._add_field(
            FIELD_NAMES["custom_field_name_prefix"],
            self.prefix,
            self.prefix,
            "custom_field_name_prefix",
            hint="Put before each attribute name in the ATS (“Acme: Score”). Keep it short.",
        )

        self.attributes = AttributesEditor(fields)
        table_row = self._add_section("Attributes", self.attributes, "attributes")
        # The height left over goes to the table: rows past the seventh were scrolled
        # inside it while the space under the form stayed empty.
        grid.setRowStretch(table_row, 1)

        self.remote_fields = RemoteFieldsEditor(fields)
        self._add_section(None, self.remote_fields, "remote_fields")

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields)
        # Not a tab stop of its own (it has nothing to say): it still scrolls to the
        # field that takes the focus.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll

        # Actions stay put under the scrolling fields, so Submit is always in reach.
        self.submit_button = QPushButton("Submit", self)
        self.submit_button.setAccessibleName("Submit")
        self.submit_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setToolTip("Stop waiting for the answer (Esc)")
        self.next_button = QPushButton("Next candidate", self)
        self.next_button.setAccessibleName("Next candidate")
        next_key = QKeySequence(NEXT_CANDIDATE_KEY).toString(QKeySequence.SequenceFormat.NativeText)
        next_tip = (
            "Keep label, prefix, attribute names and advanced fields; clear the ID, URL and "
            f"values ({next_key})"
        )
        self.next_button.setToolTip(next_tip)
        # Said with the button, as Submit's key is: a screen reader does not show tooltips.
        self.next_button.setAccessibleDescription(next_tip)
        # Enter on it presses it, as on Submit (the default button): after a send from
        # Submit the focus comes here, and the same key goes on.
        pressed_by_enter(self.next_button)
        # Shown from "Next candidate" until the form is edited: pressed by mistake (its key
        # beside the ones typed all day), it must not have cleared a long URL and every
        # value for good, nor a form that may not have been added.
        self.undo_next_button = QPushButton("Undo Next candidate", self)
        self.undo_next_button.setAccessibleName("Undo next candidate")
        undo_tip = "Bring back the ID, URL and values as they were before Next candidate"
        self.undo_next_button.setToolTip(undo_tip)
        self.undo_next_button.setAccessibleDescription(undo_tip)
        pressed_by_enter(self.undo_next_button)
        self.undo_next_button.hide()
        self.hint = QLabel(self)
        _style_as_hint(self.hint)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Submit hint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Wrapped, it takes any width: the form's narrowest stays that of its buttons,
        # wherever the hint is (``_place_hint``), and a remembered splitter is kept.
        self.hint.setMinimumWidth(1)
        actions = QGridLayout()
        actions.setContentsMargins(12, 6, 12, 10)
        # Its own: the layout it sits in has none, and the buttons touched each other.
        actions.setSpacing(6)
        actions.addWidget(self.submit_button, 0, 0)
        actions.addWidget(self.cancel_button, 0, 1)
        actions.addWidget(self.next_button, 0, 2)
        actions.addWidget(self.undo_next_button, 0, 3)
        actions.setColumnStretch(4, 1)
        self._actions = actions
        self._hint_beside_buttons: bool | None = None
        self._place_hint(beside=True)
        separator = QFrame(self)
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addWidget(separator)
        layout.addLayout(actions)

        self._shortcuts = [
            QShortcut(QKeySequence(sequence), self, context=Qt.ShortcutContext.WindowShortcut)
            for sequence in ("Ctrl+Return", "Ctrl+Enter")
        ]
        for shortcut in self._shortcuts:
            shortcut.activated.connect(self.request_submit)
        self._escape = QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WindowShortcut
        )
        self._escape.activated.connect(self._on_cancel)
        self._escape.setEnabled(False)
        self._next_key = QShortcut(
            QKeySequence(NEXT_CANDIDATE_KEY), self, context=Qt.ShortcutContext.WindowShortcut
        )
        self._next_key.activated.connect(self._on_next_key)

        self.submit_button.clicked.connect(self.request_submit)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.next_button.clicked.connect(self.nextCandidateRequested)
        self.undo_next_button.clicked.connect(self.undo_next_candidate)
        self.find_button.clicked.connect(self.findRequested)
        self.target_type.currentIndexChanged.connect(self._on_kind_changed)
        self.target_type.activated.connect(lambda _index: self._edited("target_id"))
        self.target_id.textEdited.connect(self._on_target_id_edited)
        self.label.textEdited.connect(lambda _text: self._edited("label"))
        self.url.textEdited.connect(lambda _text: self._edited("url"))
        # A row "label⇥URL" pasted into either field fills the other one too.
        self.url.partnerPasted.connect(self.label.take_pasted_part)
        self.label.partnerPasted.connect(self.url.take_pasted_part)
        self.prefix.textEdited.connect(lambda _text: self._edited("custom_field_name_prefix"))
        self.attributes.changed.connect(self._on_attributes_changed)
        self.remote_fields.changed.connect(self._on_remote_fields_changed)

        self.cancel_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self._models = model_loader if model_loader is not None else shared_model_loader()
        self._checking = not self._models.is_ready()
        if self._checking:
            self.remote_fields.set_checks_enabled(False)
            self._models.ready.connect(self._on_models_ready)
        self._revalidate()

    # ---- building -------------------------------------------------------------------------

    def _error_label(self, group: str) -> QLabel:
        label = QLabel(self)
        style_as_problem_text(label)
        label.setWordWrap(True)
        label.setAccessibleName(f"{FIELD_NAMES[group]} problem")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setVisible(False)
        return label

    def _add_field(
        self,
        caption: str,
        buddy: QWidget,
        content: QWidget | QHBoxLayout,
        group: str,
        hint: str | None = None,
        caption_for: QWidget | None = None,
        lines_below: QVBoxLayout | None = None,
        note: QWidget | None = None,
    ) -> None:
        """A caption in the left column, the input(s) right, note, hint and message underneath.

        ``buddy`` is the input marked for the group's problems; the caption labels it,
        or ``caption_for`` when given. ``lines_below`` holds more inputs, under those on
        the caption's line; ``note`` goes right under the input(s).
        """
        title = QLabel(f"{caption}:", self)
        title.setBuddy(caption_for or buddy)
        title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid = self._grid
        grid.addWidget(title, self._row, 0)
        if isinstance(content, QHBoxLayout):
            grid.addLayout(content, self._row, 1)
        else:
            grid.addWidget(content, self._row, 1)
        self._row += 1
        if lines_below is not None:
            grid.addLayout(lines_below, self._row, 1)
            self._row += 1
        if note is not None:
            grid.addWidget(note, self._row, 1)
            self._row += 1
        if hint:
            hint_label = QLabel(hint, self)
            _style_as_hint(hint_label)
            hint_label.setWordWrap(True)
            grid.addWidget(hint_label, self._row, 1)
            self._row += 1
        error = self._error_label(group)
        self._errors_by_group[group] = error
        self._inputs_by_group[group] = buddy
        grid.addWidget(error, self._row, 1)
        self._row += 1
        grid.setRowMinimumHeight(self._row, 8)
        self._row += 1

    def _add_section(self, caption: str | None, widget: QWidget, group: str) -> int:
        """A full-width section (the attributes table, the advanced fields); returns the
        grid row of ``widget``."""
        grid = self._grid
        if caption:
            title = QLabel(caption, self)
            _style_as_section_title(title)
            grid.addWidget(title, self._row, 0, 1, 2)
            self._row += 1
        widget_row = self._row
        grid.addWidget(widget, widget_row, 0, 1, 2)
        self._row += 1
        error = self._error_label(group)
        self._errors_by_group[group] = error
        self._inputs_by_group[group] = widget
        grid.addWidget(error, self._row, 0, 1, 2)
        self._row += 1
        grid.setRowMinimumHeight(self._row, 8)
        self._row += 1
        return widget_row

    # ---- the state ------------------------------------------------------------------------

    def state(self) -> FormState:
        """What the form holds right now, including a cell still being edited.

        Sending (through ``request_submit``'s validation), the draft and "Next
        candidate" all read the form here.
        """
        return FormState(
            target_kind=self._kind(),
            target_id=self.target_id.text(),
            label=self.label.text(),
            url=self.url.text(),
            prefix=self.prefix.text(),
            attributes=self.attributes.model.frozen_rows(),
            remote_fields=self.remote_fields.value(),
        )

    def set_state(self, state: FormState) -> None:
        """Show ``state``; fields that hold something are treated as touched (so a restored
        draft with a bad URL says so), empty ones stay quiet. Whose the ID is goes: a
        loaded state cannot vouch for it. A send waiting for the JSON's check is dropped:
        this is another form."""
        self._stop_waiting_to_send()
        self.forget_next_candidate()
        self._picked_for = None
        self._show_picked_words()
        with self._applying_state():
            self.target_type.setCurrentIndex(self.target_type.findData(state.target_kind.value))
            self.target_id.setText(state.target_id)
            self.label.setText(state.label)
            self.url.setText(state.url)
            self.prefix.setText(state.prefix)
            self.attributes.model.set_rows(list(state.attributes))
            self.remote_fields.set_value(state.remote_fields)
        self._submit_attempted = False
        self._touched = set(state.filled_fields())
        if "attributes" in self._touched:
            # As when they are typed: attributes need a prefix, so a missing one speaks up.
            self._touched.add("custom_field_name_prefix")
        self._revalidate()
        self.changed.emit()

    def apply_next_candidate(self, typed: TypedSinceSent | None = None) -> None:
        """Keep what repeats between candidates, clear the rest, and focus the ID.

        With ``typed`` (what the form holds that its last link did not go out with), that
        is kept too (``FormState.for_next_candidate``)."""
        before, picked = self.state(), self._picked_for
        after = before.for_next_candidate(typed=typed)
        self.set_state(after)
        if picked is not None and after.target_id and after.target_id == before.target_id:
            # The ID picked in Find… during the send is kept: so are the words saying
            # whose it is, the only sign of it, and its refusal under the other kind.
            self._picked_for = picked
            self._show_picked_words()
            self._revalidate()
        self.next_button.setEnabled(False)
        self._before_next = (before, picked)
        self._show_undo_next(True)
        self.focus_target_id()
        if self.target_id.text():
            # The next candidate's ID, typed during the send: selected, the next key
            # pressed would replace it.
            self.target_id.end(False)

    @Slot()
    def undo_next_candidate(self) -> None:
        """Bring back the form as "Next candidate" found it (whose the ID is included);
        nothing once the form was edited, set or sent since."""
        if self._before_next is None:
            return
        state, picked = self._before_next
        self.set_state(state)
        if picked is not None and picked[0] is state.target_kind and picked[1] == state.target_id:
            self._picked_for = picked
            self._show_picked_words()
            self._revalidate()
        self.focus_target_id()
        self.nextCandidateUndone.emit()

    def forget_next_candidate(self) -> None:
        """Take back the offer to undo "Next candidate" (the form moved on from it)."""
        if self._before_next is None:
            return
        self._before_next = None
        self._show_undo_next(False)

    def _show_undo_next(self, shown: bool) -> None:
        self.undo_next_button.setVisible(shown)
        # The buttons take more room, or less: the hint goes under them, or back beside.
        self._place_hint(beside=self._room_beside_buttons(self.width()))

    def offer_next_candidate(self) -> None:
        """Offer "Next candidate" while nothing is in flight: the form holds a link that
        was sent (or may have been), and the next step may be the next candidate."""
        if not self._busy:
            self.next_button.setEnabled(True)

    def set_target_id(self, target_id: str) -> None:
        """Fill the ID as if typed (whose it is is not known then)."""
        self._fill_target_id(target_id, "")

    @Slot(str, str)
    def set_picked_target(self, target_id: str, words: str) -> None:
        """Fill the ID picked in Find… as if typed, and show whose it is (``words``) under it.

        The words stay until the ID or its kind changes; they are never sent or saved.
        The pick is said aloud: the focus goes back to Find…, away from the ID.
        """
        self._fill_target_id(target_id, words)
        kind = self.target_kind().value
        # Once Find… has closed and the focus is back on its button: said before, the
        # words are cut off by the button's name, read out as the focus gets there.
        announce_once_focused(self.target_id, f"Target ID set to {kind} {words or target_id}.")

    def forget_picked_target(self) -> None:
        """Stop saying whose the ID is (it can no longer be vouched for); the ID stays, and
        so does its refusal under the kind it was not picked for: whichever customer is in
        view, it is the ID of a candidate, or of an application."""
        if self._picked_for is not None:
            kind, target_id, _words = self._picked_for
            self._picked_for = (kind, target_id, "")
            self._show_picked_words()

    def focus_target_id(self) -> None:
        """Put the cursor in the ID field, ready to type or paste."""
        self.target_id.setFocus(Qt.FocusReason.OtherFocusReason)
        self.target_id.selectAll()

    def target_kind(self) -> TargetKind:
        """Candidate or application, as chosen."""
        return self._kind()

    def is_checking(self) -> bool:
        """True until the validation's models have loaded (Submit is off meanwhile)."""
        return self._checking

    @property
    def model_loader(self) -> ModuleLoader:
        """The loader whose ``ready`` ends the checking state."""
        return self._models

    def has_user_edits(self) -> bool:
        """True once a person changed anything (a late draft must not overwrite that)."""
        return self._user_edited

    # ---- validation read-back -------------------------------------------------------------

    def current_request(self) -> tuple[Target, ResultLinkRequest] | None:
        """The target and body as they would be sent, or ``None`` while the form is invalid."""
        return self._request if not self._problems else None

    def problems(self) -> list[str]:
        """Everything that stops sending, as sentences (the connection's problem included)."""
        problems = list(self._problems)
        if self._external_problem:
            problems.append(self._external_problem)
        return problems

    def listed_problems(self) -> str:
        """``problems()`` one a line, each with a bullet, as Submit's description and the
        preview list them; ``""`` when none. Past ``LISTED_ROWS`` rows of the table at
        fault, the rest are counted, not named ("• …and 4,990 more rows"): thousands of
        lines help nobody, and would be laid out again at every key typed elsewhere."""
        lines: list[str] = []
        for group in _in_field_order(self._messages):
            if group == "attributes":
                lines += self._table_said.listed(LISTED_ROWS)
            else:
                lines += self._messages[group]
        if self._external_problem:
            lines.append(self._external_problem)
        return "\n".join(f"• {line}" for line in lines)

    def error_text(self, group: str) -> str:
        """The message shown under a field group (``""`` when none is shown)."""
        label = self._errors_by_group[group]
        return "" if label.isHidden() else label.text()

    def is_marked_invalid(self, group: str) -> bool:
        """True when the group's one-line input (target, ID, label, URL, prefix) carries
        the red frame. The attributes table and the remote fields mark themselves: their
        editors say what is wrong with them (``AttributesEditor``, ``RemoteFieldsEditor``)."""
        return is_marked(self._inputs_by_group[group])

    # ---- busy / actions -------------------------------------------------------------------

    def set_busy(self, busy: bool, *, offer_next: bool = False) -> None:
        """While a request is in flight: no Submit, Cancel and Esc available.

        ``offer_next`` (a send ended in success) offers "Next candidate" as the request
        ends. When the focus was on Submit or Cancel, it stays among the actions: on
        "Next candidate" when offered, otherwise on Submit.
        """
        self._busy = busy
        if busy:
            # Whatever was waiting for the JSON's check, this send is the one going out.
            self._stop_waiting_to_send()
            self.forget_next_candidate()
            # Cancel first: Submit, going off, hands the focus on to it.
            with self.focus_keeper.going_off():
                self.cancel_button.setEnabled(True)
                self._escape.setEnabled(True)
                self.next_button.setEnabled(False)
                self._update_submit()
            return
        self.next_button.setEnabled(offer_next)
        self._update_submit()
        # Cancel, going off, would hand its focus to whatever comes next in the window
        # (the preview's "Copy as curl"), far from where the person was. When Submit is
        # off (the form changed meanwhile), the focus goes to the problem instead.
        self.focus_keeper.prefer(self.next_button if offer_next else self.submit_button)
        with self.focus_keeper.going_off():
            self.cancel_button.setEnabled(False)
        self._escape.setEnabled(False)
        self.focus_keeper.give_back(fallback=self._focus_first_problem)

    def set_held_keys(self, keys: tuple[str, ...]) -> None:
        """The keys the window sends with (the connection's in use), whatever their shape:
        a field holding one is marked as one holding a Kombo key, and nothing is sent.
        Kept in memory only; the form checks itself again when they change."""
        if keys == self._held_keys:
            return
        # Checked again only when the form holds the key left or the key taken: the check
        # runs the whole validation, and the key changes with each keystroke in the bar.
        state = self.state()
        concerned = state.holds_held_key(keys) or state.holds_held_key(self._held_keys)
        self._held_keys = keys
        # The table's marks name a duplicate key: never one of these (done before the check,
        # which words the marks with the same keys held).
        self.attributes.model.set_held_keys(HeldKeys.of(keys))
        if concerned:
            self._revalidate()

    def held_keys(self) -> tuple[str, ...]:
        """The keys given to ``set_held_keys`` (what the draft must not keep either)."""
        return self._held_keys

    def set_external_problem(self, problem: str | None) -> None:
        """A reason outside the form that blocks sending, e.g. "Enter the API key"."""
        if problem != self._external_problem:
            self._external_problem = problem
            self._update_submit()

    @Slot()
    def request_submit(self) -> None:
        """Submit if the form can be sent; otherwise show every problem and go to the first.

        When all that stops it is a large JSON still being checked, the send waits for the
        check instead (``_wait_to_send``), and the focus stays where it is.
        """
        if self._busy:
            # One request at a time. Said, not silent: the next candidate typed during a
            # slow answer, then Ctrl+Enter, must not look sent when the answer comes.
            self.submitBlocked.emit(STILL_SENDING_TEXT)
            return
        self._submit_attempted = True
        if self._checking:
            # Every problem shows at its field as soon as the check can run.
            self.submitBlocked.emit(CHECKING_TEXT)
            return
        self._revalidate()
        if self._only_the_json_check_stops_sending():
            self._wait_to_send()
            return
        if self._problems:
            self._focus_first_problem()
            self.submitBlocked.emit(self._problems[0])
            return
        if self._external_problem:
            self.submitBlocked.emit(self._external_problem)
            return
        # Sent as typed, so shown as typed: an open cell editor would take the Esc meant to
        # cancel the send and put the cell's earlier text back. Closed before the send
        # starts, the table keeps the focus once the send is over.
        self.attributes.close_cell_editor()
        self.submitRequested.emit()

    # ---- reacting to edits ----------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """On the first show, start loading the models once the window has painted."""
        super().showEvent(event)
        if not self._models.is_started():
            QTimer.singleShot(MODELS_LOAD_DELAY_MS, self._models.start)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Narrow (half a laptop's screen), the hint goes under the buttons."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._place_hint(beside=self._room_beside_buttons(event.size().width()))

    def _room_beside_buttons(self, width: int) -> bool:
        """True when ``width`` leaves the hint ``HINT_BESIDE_BUTTONS_PX`` beside them."""
        margins = self._actions.contentsMargins()
        buttons = [self.submit_button, self.cancel_button, self.next_button]
        if not self.undo_next_button.isHidden():
            buttons.append(self.undo_next_button)
        used = sum(button.sizeHint().width() for button in buttons)
        used += len(buttons) * self._actions.horizontalSpacing()
        used += margins.left() + margins.right()
        return width - used >= HINT_BESIDE_BUTTONS_PX

    def _place_hint(self, *, beside: bool) -> None:
        """Put the hint beside the buttons, or on a line of its own under them."""
        if beside == self._hint_beside_buttons:
            return
        self._hint_beside_buttons = beside
        self._actions.removeWidget(self.hint)
        if beside:
            self.hint.setContentsMargins(8, 0, 0, 0)
            self._actions.addWidget(self.hint, 0, 4)
        else:
            self.hint.setContentsMargins(0, 0, 0, 0)
            self._actions.addWidget(self.hint, 1, 0, 1, 5)

    @Slot()
    def _on_models_ready(self) -> None:
        if not self._checking:
            return
        self._checking = False
        self.remote_fields.set_checks_enabled(True)
        self._revalidate()
        self.checked.emit()

    @contextmanager
    def _applying_state(self) -> Iterator[None]:
        self._applying = True
        try:
            yield
        finally:
            self._applying = False

    def _kind(self) -> TargetKind:
        return TargetKind(self.target_type.currentData())

    def _edited(self, group: str) -> None:
        if self._applying:
            return
        # The send asked for was of the form as it was then.
        self._stop_waiting_to_send(say=CHANGED_WHILE_WAITING_TEXT)
        # Undone now, the form would lose this edit.
        self.forget_next_candidate()
        self._user_edited = True
        self._touched.add(group)
        self._revalidate()
        self.changed.emit()

    @Slot()
    def _on_attributes_changed(self) -> None:
        if self._applying:
            return
        # Attributes need a prefix: once attributes are typed, a missing prefix may speak up.
        self._touched.add("custom_field_name_prefix")
        self._edited("attributes")

    @Slot(str)
    def _on_target_id_edited(self, _text: str) -> None:
        if self._filling_target_id:
            return
        self._picked_for = None
        self._show_picked_words()
        self._edited("target_id")

    def _fill_target_id(self, target_id: str, words: str) -> None:
        # Typed over rather than set: Ctrl+Z in the field brings back the ID it held (one
        # copied from an email, replaced by a pick of the wrong row).
        self._filling_target_id = True
        try:
            self.target_id.selectAll()
            self.target_id.insert(target_id)
        finally:
            self._filling_target_id = False
        self._picked_for = (self._kind(), target_id, words) if words else None
        # Before the validation, which marks the field with them.
        self._show_picked_words()
        self._edited("target_id")

    @property
    def _picked_words(self) -> str:
        """Whose the Target ID is, as Find… said when it was picked: "" unless the field
        holds the ID picked, under the kind it was picked for, and the words still hold."""
        picked = self._picked_for
        if picked is None or picked[0] is not self._kind() or picked[1] != self.target_id.text():
            return ""
        return picked[2]

    def _show_picked_words(self) -> None:
        """Show ``_picked_words`` under the Target ID and have its screen-reader
        description say them."""
        words = self._picked_words
        show_text(self.picked_label, words)
        self.picked_label.setVisible(bool(words))
        mark_field(self.target_id, self.error_text("target_id"), description=words)

    def _name_find_button(self) -> None:
        """Name Find… for what it picks in the kind chosen: it opens "Find application"
        there, where only an application can be picked."""
        if self._kind() is TargetKind.APPLICATION:
            self.find_button.setAccessibleName("Find application")
            self.find_button.setToolTip(
                "Search candidates by e-mail or name and pick an application"
            )
        else:
            self.find_button.setAccessibleName("Find candidate")
            self.find_button.setToolTip("Search candidates by e-mail or name and pick one")

    @Slot(int)
    def _on_kind_changed(self, _index: int) -> None:
        # Words about an ID picked for the other kind would vouch for it: they come back
        # with the kind it was picked for (``_picked_words``).
        self._show_picked_words()
        self._update_id_placeholder()
        self._name_find_button()
        if not self._applying:
            self._stop_waiting_to_send(say=CHANGED_WHILE_WAITING_TEXT)
            self._revalidate()
            self.changed.emit()

    @Slot()
    def _on_cancel(self) -> None:
        if self._busy:
            self.cancelRequested.emit()
        else:
            self._stop_waiting_to_send(say=CANCELLED_WHILE_WAITING_TEXT)

    # ---- a send waiting for the JSON's check ------------------------------------------------

    def _only_the_json_check_stops_sending(self) -> bool:
        """True when the form would be sent but for a large JSON still being checked."""
        return (
            set(self._messages) == {"remote_fields"}
            and not self._external_problem
            and self.remote_fields.is_checking_json()
            and not self.remote_fields.json_check_failed()
        )

    def _wait_to_send(self) -> None:
        """Remember the send asked for, until the JSON's check is back; say so."""
        self._waiting_to_send = self.state()
        self._escape.setEnabled(True)
        self._update_submit()
        # Away from the focus, which stays where the person is: said as well as shown.
        announce(self.hint, WAITING_FOR_JSON_TEXT)

    def _stop_waiting_to_send(self, *, say: str = "") -> None:
        """Drop the send waiting for the JSON's check, if any; ``say`` tells why."""
        if self._waiting_to_send is None:
            return
        self._waiting_to_send = None
        self._escape.setEnabled(self._busy)
        self._update_submit()
        if say:
            announce(self.hint, say)

    @Slot()
    def _on_remote_fields_changed(self) -> None:
        if self._applying:
            return
        waiting = self._waiting_to_send
        # The check's outcome arrives as a change of the section: one that leaves the form
        # as it was when the send was asked for, and no longer being checked. Anything
        # else is an edit, which drops the send (in ``_edited``).
        checked = (
            waiting is not None
            and (
                not self.remote_fields.is_checking_json() or self.remote_fields.json_check_failed()
            )
            and self.state() == waiting
        )
        if checked:
            self._stop_waiting_to_send()
        self._edited("remote_fields")
        if checked:
            # Sent if the form is fine now; otherwise refused as any send is, the problem
            # shown at its field and the focus taken there.
            self.request_submit()

    @Slot()
    def _on_next_key(self) -> None:
        # Only while the button is offered (after a send): otherwise the key would clear
        # a form that is still being typed, or one on its way.
        if self.next_button.isEnabled():
            self.next_button.click()

    def _update_id_placeholder(self) -> None:
        # Short, to be read whole in the field at 800x600.
        if self._kind() is TargetKind.APPLICATION:
            self.target_id.setPlaceholderText("Kombo application ID")
        else:
            self.target_id.setPlaceholderText("Kombo candidate ID")

    def _picked_for_other_kind(self, state: FormState) -> FieldError | None:
        """The problem of an ID picked in Find… for the other kind than ``state``'s: sent
        to the wrong endpoint, Kombo would find no such candidate or application."""
        picked = self._picked_for
        if picked is None or picked[0] is state.target_kind or picked[1] != state.target_id:
            return None
        kind, wanted = picked[0].value, state.target_kind.value
        return FieldError(
            "target_id",
            f"is the ID of the {kind} picked in Find…: pick the {wanted} with Find…, "
            f"or choose {kind.capitalize()} again",
        )

    def _revalidate(self) -> None:
        """Run the core's validation and show its verdict at each field."""
        if self._checking:
            # The models are loading on another thread; importing them here would block.
            self._request = None
            self._problems = []
            self._messages = {}
            self._table_said = _NO_TABLE_PROBLEMS
            self._missing = set()
            self.remote_fields.show_input_problems({})
            self._update_submit()
            return
        state = self.state()
        errors: tuple[FieldError, ...] = ()
        try:
            self._request = state.to_request(held_keys=self._held_keys)
        except InputError as exc:
            self._request = None
            errors = exc.errors
        picked_problem = self._picked_for_other_kind(state)
        if picked_problem is not None:
            self._request = None
            errors = (picked_problem, *errors)
        # Thousands of rows may be at fault: what is said of them is worked out once for
        # the rows as they are (``_attribute_words``), not again at each key elsewhere.
        start, end = _attribute_errors(errors)
        row_errors = errors[start:end]
        others = errors[:start] + errors[end:]
        messages: dict[str, list[str]] = {}
        for error in others:
            group = field_group(error.field)
            messages.setdefault(group, []).append(phrase(group, error))
        # A group is to be filled in when all that is wrong with it is what is missing: a
        # table with a value left blank and a duplicate key is to be corrected too.
        self._missing = {field_group(error.field) for error in others if error.missing} - {
            field_group(error.field) for error in others if not error.missing
        }
        if row_errors and all(map(attrgetter("missing"), row_errors)):
            self._missing.add("attributes")
        # The table's marks and the check's words, each row at fault said once.
        model = self.attributes.model
        words = _attribute_words((model.frozen_rows(), row_errors, model.held_keys()))
        if words.said.lines:
            messages["attributes"] = list(words.said.lines)
        self._table_said = words.said
        # A problem the core found in one of the advanced section's typed inputs (a key
        # pasted into it) is marked there, and the focus goes there, not to the JSON.
        self.remote_fields.show_input_problems(
            {
                name: phrase("remote_fields", error)
                for error in others
                if (name := typed_input_of(error.field)) is not None
            }
            if self._speaks("remote_fields")
            else {}
        )
        editor_error = self.remote_fields.error()
        if editor_error and "remote_fields" not in messages:
            messages["remote_fields"] = [f"Remote fields: {editor_error}"]
        self._messages = messages
        self._problems = []
        for group in _in_field_order(messages):
            self._problems += messages[group]
        for group, label in self._errors_by_group.items():
            shown = messages.get(group, []) if self._speaks(group) else []
            if group == "attributes" and shown:
                # The table lists its own marks right above; thousands of lines under it
                # would help nobody, as in Submit's description.
                shown = words.beyond_table.listed(LISTED_ROWS)
            elif group == "remote_fields" and editor_error:
                # The editor lists its own problems right under it; saying it twice is noise.
                shown = []
            text = "\n".join(shown)
            label.setText(text)
            label.setVisible(bool(text))
            widget = self._inputs_by_group[group]
            if isinstance(widget, QLineEdit | QComboBox):
                mark_field(
                    widget, text, description=self._picked_words if group == "target_id" else ""
                )
            else:
                # A section (the table, the advanced fields) marks its own input at
                # fault; a problem only the core found is still read out with it.
                widget.setAccessibleDescription(text)
        self._update_submit()

    def _speaks(self, group: str) -> bool:
        return self._submit_attempted or group in self._touched

    def _update_submit(self) -> None:
        problems = self.problems()
        # A send that only waits for the JSON's check is not refused (``request_submit``):
        # Submit stays on for it, as Ctrl+Enter works then.
        can_send = not problems or self._only_the_json_check_stops_sending()
        enabled = not self._busy and not self._checking and can_send
        self.submit_button.setEnabled(enabled)
        if self._busy:
            tip = "Sending… (Esc cancels)"
            hint = ""
        elif self._checking:
            tip = hint = CHECKING_TEXT
        elif self._waiting_to_send is not None:
            tip = hint = WAITING_FOR_JSON_TEXT
        elif problems and enabled:
            tip = f"{problems[0]} {SENDS_AFTER_JSON_CHECK_TEXT}"
            hint = self._short_hint(problems)
        elif problems:
            tip = "Cannot send yet:\n" + self.listed_problems()
            hint = self._short_hint(problems)
        else:
            tip = "Send the result link (Ctrl+Enter)"
            hint = "Ready to send (Ctrl+Enter)."
            if self._prefix_left_out():
                hint = f"{hint} {PREFIX_LEFT_OUT_TEXT}"
        self.submit_button.setToolTip(tip)
        self.submit_button.setAccessibleDescription(tip)
        show_text(self.hint, hint)

    def _prefix_left_out(self) -> bool:
        """True when a prefix is typed but the request checked carries no details: Kombo
        takes a prefix only with attributes, and the core leaves it out then."""
        request = self._request
        return (
            bool(self.prefix.text().strip()) and request is not None and request[1].details is None
        )

    def _short_hint(self, problems: list[str]) -> str:
        missing = [FIELD_NAMES[group] for group in FIELD_ORDER if group in self._missing]
        if not missing:
            return problems[0]
        # Filling in the missing fields must not look like enough when others are wrong,
        # or when the connection blocks sending too.
        wrong = [
            FIELD_NAMES[group]
            for group in FIELD_ORDER
            if group in self._messages and group not in self._missing
        ]
        steps = [f"fill in {listed(missing)}"]
        if wrong:
            steps.append(f"correct {listed(wrong)}")
        if self._external_problem:
            steps.append("set up the connection")
        sentence = listed(steps)
        return f"{sentence[:1].upper()}{sentence[1:]} to send."

    def _focus_first_problem(self) -> None:
        """Focus the input at fault of the first group with a problem.

        For a section that is the input inside it that says what is wrong, never the
        section itself: that takes no focus and says nothing.
        """
        group = next((group for group in FIELD_ORDER if group in self._messages), None)
        if group is None:
            return
        if group == "attributes":
            said = self._table_said
            target = self.attributes.focus_row(said.first_row, said.first_column)
        elif group == "remote_fields":
            target = self.remote_fields.focus_problem()
        else:
            target = self._inputs_by_group[group]
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(target)
        # Once more when an opened section has been laid out: until then the input has
        # no place in the scrolled area yet.
        QTimer.singleShot(0, self, lambda: self._scroll.ensureWidgetVisible(target))
