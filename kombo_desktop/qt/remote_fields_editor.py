"""The collapsible "Advanced: ATS-specific fields" section of the main form.

Typed inputs cover the remote fields Kombo documents; anything else goes into
a JSON editor that is checked as one types. A collapsed section says how many
inputs put something into the request, so nothing that will be sent is hidden
silently, and an error opens the section.

The JSON may be megabytes pasted in. Copying it out of the editor costs about 4 ms a
megabyte, so it is copied once and then follows each change (``_TextMirror``). The core
checks each text once (``remote_fields.check_json``), for the editor's check, its search
for the input at fault and the form's own check alike. Up to ``CHECKED_AS_TYPED_UP_TO``
characters that is done with each key typed; a larger JSON is checked on a background
thread once typing pauses, and until its outcome is back it is "being checked": the form
sends nothing with it, and the editor says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.kinds import ORACLE_DOCUMENT_CATEGORIES
from kombo_desktop.core.remote_fields import (
    TYPED_ID_LABELS,
    JsonCheck,
    RemoteFieldsInput,
    check_json,
    forget_json_check,
    remember_json_check,
)
from kombo_desktop.qt.buttons import EnterPressedToolButton
from kombo_desktop.qt.field_marks import mark_field, set_text_tone, style_as_problem_text
from kombo_desktop.qt.fixed_pitch import fixed_pitch_font
from kombo_desktop.qt.spoken import HeldDescription, HeldUntil

if TYPE_CHECKING:
    # Loaded with the first large JSON, not when the form is built.
    from kombo_desktop.qt.background_tasks import TaskRunner

__all__ = [
    "CHECKED_AS_TYPED_UP_TO",
    "CHECKING_JSON_TEXT",
    "CHECK_DELAY_MS",
    "HEADER_TEXT",
    "RemoteFieldsEditor",
]

HEADER_TEXT = "Advanced: ATS-specific fields"
_NOT_SET = "(not set)"
_MULTI_POST_CHOICES: tuple[tuple[str, bool | None], ...] = (
    (_NOT_SET, None),
    ("Yes", True),
    ("No", False),
)
_JSON_PLACEHOLDER = (
    "Other remote fields as a JSON object, for example:\n"
    '{"icims": {"assessment_package_id": "1234"}}'
)

#: Up to this many characters the JSON is checked with each key typed, in a few
#: milliseconds at most. A larger one (another ATS's fields pasted in can be megabytes,
#: checked in tens of milliseconds each) is checked on a background thread once typing
#: pauses, so that no key waits for it.
CHECKED_AS_TYPED_UP_TO = 64 * 1024
#: How long typing into a large JSON must pause before it is checked: each check holds
#: the interpreter now and then, so none is started for a text that changes again at the
#: next key.
CHECK_DELAY_MS = 150
#: Said under the JSON editor while a large JSON is being checked.
CHECKING_JSON_TEXT = "Checking the JSON…"
#: Said under it when the check itself failed (never expected; nothing is sent then).
CHECK_FAILED_TEXT = "The JSON could not be checked; change it to check it again."


class _TextMirror:
    """The text of a ``QPlainTextEdit`` as a Python string, following each change.

    Copying megabytes out of the editor takes milliseconds each time (Qt builds the text,
    then it is converted for Python), and a key typed changes one character: so it is
    copied once, and each change is spliced into the copy, read from the document's own
    report of it (``contentsChange``, which comes before ``textChanged``). The copy is
    trusted only while it is exactly as long as the document's text: a change reported
    otherwise, or a character beyond the Basic Multilingual Plane (two places in the
    document, one in Python), makes the next read a whole copy again.
    """

    #: A change adding more characters than this is not read on its own: read through a
    #: cursor it costs more, by the character, than a whole copy does.
    SPLICED_UP_TO = 4096

    def __init__(self, editor: QPlainTextEdit) -> None:
        self._editor = editor
        self._text: str | None = None
        #: How many characters the last change added.
        self.last_added = 0
        #: Whether ``_text`` is as long as the document's text, so that a change can be
        #: spliced in at the place the document gives.
        self._spliceable = False
        editor.document().contentsChange.connect(self._on_contents_change)

    def text(self) -> str:
        """The editor's text as typed (``_document_text``)."""
        if self._text is None:
            text = _document_text(self._editor.document().toRawText())
            self._text = text
            self._spliceable = len(text) == self._length()
        return self._text

    def _length(self) -> int:
        # The document counts a place after its last character too.
        return self._editor.document().characterCount() - 1

    def _on_contents_change(self, position: int, removed: int, added: int) -> None:
        self.last_added = added
        text = self._text
        if text is None:
            return
        if not self._spliceable or added > self.SPLICED_UP_TO:
            self._text = None
            return
        length = self._length()
        start = min(position, length)
        cursor = QTextCursor(self._editor.document())
        cursor.setPosition(start)
        # A change of the whole text is reported one place longer, on both sides: past
        # the end, nothing is read (and nothing is left of the old text either).
        cursor.setPosition(min(position + added, length), QTextCursor.MoveMode.KeepAnchor)
        # Added to the text before the change, which grows in place: one copy of
        # megabytes for each key, not three.
        spliced = text[:start]
        spliced += _document_text(cursor.selectedText())
        spliced += text[start + removed :]
        self._text = spliced if len(spliced) == length else None


def _nothing() -> None:
    """A task that does nothing (it starts a runner's thread)."""


def _check_letting_go(older: list[JsonCheck | None], text: str) -> JsonCheck:
    """``check_json(text)``, once ``older`` (the only hold on an older outcome, if any)
    has let go of it: where nothing else holds that one, it is freed on this thread."""
    older.clear()
    return check_json(text)


#: How the document ends a paragraph in its raw text and in a cursor's selection: each
#: line of the editor is a paragraph of its own.
_PARAGRAPH_END = "\u2029"


def _document_text(raw: str) -> str:
    """The text typed, from the document's raw text ``raw`` (all of it, or a cursor's
    selection): its paragraph ends as the line breaks they are, every other character as
    it was typed or pasted.

    Not ``toPlainText``: that also writes a line separator (U+2028) as a line break,
    which inside a JSON string makes it invalid, and a no-break space as a space, which
    changes the value sent; the command line sends both as written. A paragraph
    separator pasted is kept as the escape that writes it (``_JsonTextEdit``).
    """
    return raw.replace(_PARAGRAPH_END, "\n") if _PARAGRAPH_END in raw else raw


class _JsonTextEdit(QPlainTextEdit):
    """The JSON editor: a plain-text editor that keeps a pasted paragraph separator.

    The document takes U+2029 as the end of one of its paragraphs, indistinguishable
    from a line break once inserted. Pasted or dropped, it is written as the JSON escape
    ``\\u2029`` instead: in a string, the value sent is the character pasted, as the
    command line sends it; anywhere else the JSON is refused either way.
    """

    #: Lines of JSON in view: enough for a pass-through object, while the form stays short.
    LINES_SHOWN = 5

    def sizeHint(self) -> QSize:
        """``LINES_SHOWN`` lines high in the font it has now: a larger font (the app's,
        changed while it runs) makes it taller, as it makes the lines."""
        return QSize(super().sizeHint().width(), self._height_of_lines())

    def minimumSizeHint(self) -> QSize:
        """As high as ``sizeHint``: fewer lines would show too little to edit."""
        return QSize(super().minimumSizeHint().width(), self._height_of_lines())

    def _height_of_lines(self) -> int:
        # The frame and the document's margins around the lines.
        return self.fontMetrics().lineSpacing() * self.LINES_SHOWN + 12

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Insert ``source``, a paragraph separator in its text written as its escape."""
        text = source.text() if source.hasText() else ""
        if _PARAGRAPH_END not in text:
            super().insertFromMimeData(source)
            return
        kept = QMimeData()
        kept.setText(text.replace(_PARAGRAPH_END, "\\u2029"))
        super().insertFromMimeData(kept)


class RemoteFieldsEditor(QWidget):
    """Typed ATS-specific inputs plus a validated JSON editor, in a collapsible section."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._error: str | None = None
        self._checks_enabled = True
        #: The text of a large JSON being checked on the background thread, if any (one at
        #: a time: the latest text is checked when it is back).
        self._checking_text: str | None = None
        #: A large JSON whose check failed (it is not checked again until it changes).
        self._failed_text: str | None = None
        #: The outcome of the last large JSON checked here. The core keeps one outcome,
        #: of whichever text was checked last: this one is handed in again whenever the
        #: JSON is read (``value``), so that no other text checked meanwhile (another
        #: form's) leaves this one "being checked" with nothing checking it.
        self._outcome: JsonCheck | None = None
        #: Checks large JSON off the GUI thread; made with the first one.
        self._checker: TaskRunner | None = None
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_latest)

        # Enter opens or closes it, as Space does: a header that opens a section.
        self.toggle = EnterPressedToolButton(self)
        self.toggle.setObjectName("advancedToggle")
        self.toggle.setAccessibleName("Advanced")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(False)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setText(HEADER_TEXT)
        self.toggle.setToolTip("Fields that only some applicant tracking systems use")
        self.toggle.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.toggle.toggled.connect(self._on_toggled)

        self.body = QWidget(self)
        self.body.setObjectName("advancedBody")
        form = QFormLayout(self.body)
        form.setContentsMargins(18, 0, 0, 0)

        self.icims_package = QLineEdit(self.body)
        self.icims_package.setAccessibleName(TYPED_ID_LABELS["icims_assessment_package_id"])
        form.addRow(f"{TYPED_ID_LABELS['icims_assessment_package_id']}:", self.icims_package)

        self.oracle_category = QComboBox(self.body)
        self.oracle_category.setAccessibleName("Oracle document category")
        self.oracle_category.addItem(_NOT_SET, "")
        for category in ORACLE_DOCUMENT_CATEGORIES:
            self.oracle_category.addItem(category, category)
        form.addRow("Oracle document category:", self.oracle_category)

        self.oracle_multi_post = QComboBox(self.body)
        self.oracle_multi_post.setAccessibleName("Oracle multi-post to all current applications")
        for text, value in _MULTI_POST_CHOICES:
            self.oracle_multi_post.addItem(text, value)
        form.addRow("Oracle multi-post to all current applications:", self.oracle_multi_post)

        self.greenhouse_on_behalf_of = QLineEdit(self.body)
        self.greenhouse_on_behalf_of.setAccessibleName(TYPED_ID_LABELS["greenhouse_on_behalf_of"])
        self.greenhouse_on_behalf_of.setPlaceholderText("Greenhouse user ID, e.g. 4080")
        form.addRow(f"{TYPED_ID_LABELS['greenhouse_on_behalf_of']}:", self.greenhouse_on_behalf_of)

        self.workable_on_behalf_of = QLineEdit(self.body)
        self.workable_on_behalf_of.setAccessibleName(
            TYPED_ID_LABELS["workable_on_behalf_of_user_remote_id"]
        )
        form.addRow(
            f"{TYPED_ID_LABELS['workable_on_behalf_of_user_remote_id']}:",
            self.workable_on_behalf_of,
        )

        self.raw_json = _JsonTextEdit(self.body)
        self.raw_json.setObjectName("remoteFieldsJson")
        self.raw_json.setAccessibleName("Remote fields JSON")
        self.raw_json.setPlaceholderText(_JSON_PLACEHOLDER)
        self.raw_json.setFont(fixed_pitch_font())
        self.raw_json.setTabChangesFocus(True)
        self.raw_json.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw_json.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        form.addRow("Other remote fields (JSON):", self.raw_json)
        #: The JSON editor's text, read once and then following each change.
        self._json = _TextMirror(self.raw_json)

        self.error_label = QLabel(self.body)
        self.error_label.setObjectName("remoteFieldsError")
        self.error_label.setAccessibleName("Remote fields error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        style_as_problem_text(self.error_label)
        # The editor says the problem itself (``mark_field``), and every change of a
        # description is announced: typing would have each key's problem said twice. The
        # line says it once the editor is left (``_show_problem_line``).
        self._problem_description = HeldDescription(
            self.error_label, until=HeldUntil.FOCUS_OUT, focus_of=self.raw_json
        )
        self._label_toned_as_problem = True
        self.error_label.hide()
        form.addRow("", self.error_label)

        #: Each typed input by the ``RemoteFieldsInput`` field it fills.
        self._typed_inputs: dict[str, QWidget] = {
            "icims_assessment_package_id": self.icims_package,
            "oracle_override_document_category": self.oracle_category,
            "oracle_multi_post_to_all_current_applications": self.oracle_multi_post,
            "greenhouse_on_behalf_of": self.greenhouse_on_behalf_of,
            "workable_on_behalf_of_user_remote_id": self.workable_on_behalf_of,
        }
        self._typed_at_fault: QWidget | None = None
        #: Problems the form found in typed inputs (a key pasted into one), by input.
        self._input_problems: dict[QWidget, str] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.body.setVisible(False)

        for line_edit in (
            self.icims_package,
            self.greenhouse_on_behalf_of,
            self.workable_on_behalf_of,
        ):
            line_edit.textChanged.connect(self._on_input_changed)
        self.oracle_category.currentIndexChanged.connect(self._on_input_changed)
        self.oracle_multi_post.currentIndexChanged.connect(self._on_input_changed)
        self.raw_json.textChanged.connect(self._on_json_changed)
        self._refresh()

    # ---- public API ----------------------------------------------------------------------

    def value(self) -> RemoteFieldsInput:
        """What is typed now, as entered (trimming happens when the request is built)."""
        multi_post = self.oracle_multi_post.currentData()
        return RemoteFieldsInput(
            icims_assessment_package_id=self.icims_package.text(),
            oracle_override_document_category=str(self.oracle_category.currentData() or ""),
            oracle_multi_post_to_all_current_applications=(
                multi_post if isinstance(multi_post, bool) else None
            ),
            greenhouse_on_behalf_of=self.greenhouse_on_behalf_of.text(),
            workable_on_behalf_of_user_remote_id=self.workable_on_behalf_of.text(),
            raw_json=(text := self._json.text()),
            json_checked_in_background=self._checked_in_background(text),
        )

    def _checked_in_background(self, text: str) -> bool:
        """Whether ``text`` is too large to check with each key (see the module's
        docstring); its outcome, when known here, is handed in to the core again."""
        if len(text) <= CHECKED_AS_TYPED_UP_TO:
            return False
        outcome = self._outcome
        if outcome is not None and outcome.text == text:
            remember_json_check(outcome)
        return True

    def set_value(self, value: RemoteFieldsInput) -> None:
        """Show ``value`` (a draft or a cleared form); emits ``changed`` once.

        A large JSON is checked here and now, not in the background: the form shows its
        verdict at once, as it does for what a draft restores.
        """
        self._loading = True
        try:
            self.icims_package.setText(value.icims_assessment_package_id)
            category_index = self.oracle_category.findData(value.oracle_override_document_category)
            self.oracle_category.setCurrentIndex(max(category_index, 0))
            multi_index = next(
                i
                for i, (_text, choice) in enumerate(_MULTI_POST_CHOICES)
                if choice is value.oracle_multi_post_to_all_current_applications
            )
            self.oracle_multi_post.setCurrentIndex(multi_index)
            self.greenhouse_on_behalf_of.setText(value.greenhouse_on_behalf_of)
            self.workable_on_behalf_of.setText(value.workable_on_behalf_of_user_remote_id)
            if self._json.text() != value.raw_json:
                self.raw_json.setPlainText(value.raw_json)
        finally:
            self._loading = False
        self._check_now_unless_known(self._json.text())
        self._refresh()
        self.changed.emit()

    def error(self) -> str | None:
        """The problem with the current input (invalid JSON, a conflict), or ``None``.

        While a large JSON is being checked that is ``CHECKING_JSON_TEXT``: nothing is sent
        with it until the check is back (see ``is_checking_json``).
        """
        return self._error

    def is_checking_json(self) -> bool:
        """True while a large JSON waits for typing to pause or is being checked off the
        GUI thread; ``changed`` is emitted when its outcome is shown."""
        return self._checks_enabled and self.value().is_json_being_checked()

    def json_check_failed(self) -> bool:
        """True when the check of the large JSON shown could not finish
        (``CHECK_FAILED_TEXT``): waiting brings no verdict; an edit checks it again."""
        return self._failed_text is not None and self._failed_text == self._json.text()

    def set_checks_enabled(self, enabled: bool) -> None:
        """Turn the check of what is typed off (while the models load) or back on.

        While off, ``error()`` is ``None`` and nothing is marked; turning it on checks
        what is there now.
        """
        if enabled != self._checks_enabled:
            self._checks_enabled = enabled
            self._refresh()

    def set_expanded(self, expanded: bool) -> None:
        """Open or close the section."""
        self.toggle.setChecked(expanded)

    def is_expanded(self) -> bool:
        """True when the section is open."""
        return self.toggle.isChecked()

    def focus_problem(self) -> QWidget:
        """Open the section and focus the input at fault; returns it.

        That is the typed input the problem is about (one the form found there, see
        ``show_input_problems``; one set both there and in the JSON), otherwise the JSON
        editor. Either says what is wrong (``mark_field``).
        """
        self.set_expanded(True)
        # A key pasted into an input matters most: sent, every recruiter reads it.
        held_key_at = next(iter(self._input_problems), None)
        target = held_key_at or self._typed_at_fault or self.raw_json
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def show_input_problems(self, problems: dict[str, str]) -> None:
        """Mark the typed inputs with the problems the form found in them (a key pasted
        into one), by ``RemoteFieldsInput`` field name; ``{}`` when there are none. The
        first of them is the one ``focus_problem`` goes to."""
        shown = {
            self._typed_inputs[name]: text
            for name, text in problems.items()
            if name in self._typed_inputs and text
        }
        if shown != self._input_problems:
            self._input_problems = shown
            self._mark_inputs()

    def header_text(self) -> str:
        """The section header as shown, e.g. "Advanced: ATS-specific fields (2 set)"."""
        return self.toggle.text()

    # ---- internals -----------------------------------------------------------------------

    @Slot(bool)
    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        focused = self.window().focusWidget()
        if not expanded and focused is not None and self.body.isAncestorOf(focused):
            # Qt would hand the focus on to the next widget that takes it, across the
            # window: it stays where the section was, on its header.
            self.toggle.setFocus(Qt.FocusReason.OtherFocusReason)
        self.body.setVisible(expanded)
        self._update_header(self.value())

    @Slot()
    def _on_input_changed(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.changed.emit()

    @Slot()
    def _on_json_changed(self) -> None:
        if self._loading:
            return
        # A change that brought most of the text (a paste into the editor, the undo of a
        # deletion) took Qt far longer to lay out than the check takes: the JSON is
        # checked with it, so that what was pasted is judged at once. Typing is not held.
        text = self._json.text()
        if self._checks_enabled and self._json.last_added * 2 >= len(text):
            self._check_now_unless_known(text)
        self._refresh()
        self.changed.emit()

    def _check_now_unless_known(self, text: str) -> None:
        """Check a large JSON here and now, unless its outcome is known already."""
        if not self._checked_in_background(text):
            return  # checked with each key anyway
        value = RemoteFieldsInput(raw_json=text, json_checked_in_background=True)
        if value.is_json_being_checked():
            self._outcome = check_json(text)
            remember_json_check(self._outcome)
            # Ready for the keys that follow: its thread starts now, with the paste,
            # not with the first pause in typing.
            self._json_checker()

    def _json_checker(self) -> TaskRunner:
        """The runner that checks large JSON off the GUI thread (made when first needed)."""
        if self._checker is None:
            from kombo_desktop.qt.background_tasks import TaskRunner

            self._checker = TaskRunner(self, name="kombo-json-check", finish_at_exit=False)
            self._checker.run(_nothing)  # its thread starts with a first task
        return self._checker

    def _refresh(self) -> None:
        value = self.value()
        if self._checks_enabled and value.is_json_being_checked():
            self._show_checking(value)
            return
        had_error = self._error is not None and not self._shows_checking()
        # The check needs the models (pydantic); until they load it waits (see the form).
        self._error = value.raw_json_error() if self._checks_enabled else None
        self._tone_label_as_problem(True)
        invalid = self._error is not None
        at_fault = value.typed_input_at_fault() if self._error else None
        self._typed_at_fault = self._typed_inputs[at_fault] if at_fault else None
        self._mark_inputs()
        self._show_problem_line(self._error or "")
        self.error_label.setVisible(invalid)
        if invalid and not had_error:
            self.set_expanded(True)
        self._update_header(value)

    def _mark_inputs(self) -> None:
        """Mark the input at fault with the problem shown (none while a large JSON is
        being checked), and the typed inputs the form found a problem in."""
        own = "" if self._shows_checking() else (self._error or "")
        for widget in self._typed_inputs.values():
            problem = own if widget is self._typed_at_fault else ""
            mark_field(widget, problem or self._input_problems.get(widget, ""))
        mark_field(self.raw_json, own)

    def _show_problem_line(self, text: str) -> None:
        """Show ``text`` under the JSON editor, and say it in the line's description
        unless the editor has the focus (then once the editor is left)."""
        self.error_label.setText(text)
        # Said by its name alone otherwise: a screen reader reading the Advanced section
        # would hear "Remote fields error" and not what is wrong.
        self._problem_description.describe(text)

    def _tone_label_as_problem(self, problem: bool) -> None:
        # Only when it changes: a new palette has the label laid out and painted again.
        if problem != self._label_toned_as_problem:
            self._label_toned_as_problem = problem
            if problem:
                style_as_problem_text(self.error_label)
            else:
                set_text_tone(self.error_label, None)

    def _shows_checking(self) -> bool:
        return self._error in (CHECKING_JSON_TEXT, CHECK_FAILED_TEXT)

    def _show_checking(self, value: RemoteFieldsInput) -> None:
        """Say that the large JSON is being checked (or could not be), and have it checked
        once typing pauses. Nothing is marked: no problem is known yet."""
        failed = value.raw_json == self._failed_text
        self._error = CHECK_FAILED_TEXT if failed else CHECKING_JSON_TEXT
        self._typed_at_fault = None
        self._mark_inputs()
        # Not in the problem's colour: nothing is known to be wrong yet.
        self._tone_label_as_problem(failed)
        self._show_problem_line(self._error)
        self.error_label.setVisible(True)
        self._update_header(value)
        if not failed:
            self._check_timer.start()  # again: typing goes on

    @Slot()
    def _check_latest(self) -> None:
        """Check the large JSON shown now on the background thread, unless a check is out
        already: the text shown then is checked when it is back."""
        if self._checking_text is not None or not self.is_checking_json():
            return
        text = self._json.text()
        if text == self._failed_text:
            return
        import functools

        # The outcome of an older text (typing went on since) is let go of now, so that
        # two are never held at once; handed to the background thread, which frees it
        # there (many thousand objects) before it checks the new text.
        older = [self._outcome]
        self._outcome = None
        forget_json_check()
        self._checking_text = text
        self._json_checker().run(
            functools.partial(_check_letting_go, older, text),
            self._on_json_checked,
            functools.partial(self._on_json_check_failed, text),
        )

    def _on_json_checked(self, check: JsonCheck) -> None:
        self._checking_text = None
        if check.text == self._json.text():
            self._outcome = check
            self._failed_text = None
            remember_json_check(check)
            self._refresh()
            self.changed.emit()  # the form checks itself again, with the JSON's outcome
        elif not self._check_timer.isActive():
            self._check_latest()  # typed meanwhile, and paused since

    def _on_json_check_failed(self, text: str, error: BaseException) -> None:
        import logging

        self._checking_text = None
        # The kind only: the message may quote what was typed.
        logging.getLogger(__name__).error(
            "The remote fields JSON could not be checked (%s)", type(error).__name__
        )
        if text == self._json.text():
            self._failed_text = text
            self._refresh()
            # As after a verdict: the form checks itself again, and a send waiting for
            # this check is refused with the reason instead of waiting on.
            self.changed.emit()
        elif not self._check_timer.isActive():
            self._check_latest()

    def _update_header(self, value: RemoteFieldsInput) -> None:
        # A problem that is no typed input's is the JSON's: counted even when the JSON
        # would set nothing, so that a closed section never hides it.
        json_refused = self._error is not None and self._typed_at_fault is None
        count = value.set_count(json_refused=json_refused)
        if not self.is_expanded() and count:
            self.toggle.setText(f"{HEADER_TEXT} ({count} set)")
        else:
            self.toggle.setText(HEADER_TEXT)
        self.toggle.setAccessibleDescription(f"{count} set" if count else "nothing set")
