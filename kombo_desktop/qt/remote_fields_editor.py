"""The collapsible "Advanced: ATS-specific fields" section of the main form.

Typed inputs cover the remote fields Kombo documents; anything else goes into
a JSON editor that is checked as one types. A collapsed section says how many
inputs put something into the request, so nothing that will be sent is hidden
silently, and an error opens the section.

The JSON may be megabytes pasted in. Copying it out of the editor costs over half as
much as parsing it, so it is copied once per change (``_json_text``); the core parses
each text once (``remote_fields._parse_raw``), for the check, the search for the input
at fault and the form's own check alike.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.kinds import ORACLE_DOCUMENT_CATEGORIES
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.field_marks import mark_field, style_as_problem_text

__all__ = ["HEADER_TEXT", "RemoteFieldsEditor"]

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


class RemoteFieldsEditor(QWidget):
    """Typed ATS-specific inputs plus a validated JSON editor, in a collapsible section."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._error: str | None = None
        self._checks_enabled = True
        #: The JSON editor's text, read at most once per change (``None``: not read yet).
        self._json_text_read: str | None = None

        self.toggle = QToolButton(self)
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
        self.icims_package.setAccessibleName("iCIMS assessment package ID")
        form.addRow("iCIMS assessment package ID:", self.icims_package)

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
        self.greenhouse_on_behalf_of.setAccessibleName("Greenhouse On-Behalf-Of user ID")
        self.greenhouse_on_behalf_of.setPlaceholderText("Greenhouse user ID, e.g. 4080")
        form.addRow("Greenhouse On-Behalf-Of user ID:", self.greenhouse_on_behalf_of)

        self.workable_on_behalf_of = QLineEdit(self.body)
        self.workable_on_behalf_of.setAccessibleName("Workable on-behalf-of user ID")
        form.addRow("Workable on-behalf-of user ID:", self.workable_on_behalf_of)

        self.raw_json = QPlainTextEdit(self.body)
        self.raw_json.setObjectName("remoteFieldsJson")
        self.raw_json.setAccessibleName("Remote fields JSON")
        self.raw_json.setPlaceholderText(_JSON_PLACEHOLDER)
        self.raw_json.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.raw_json.setTabChangesFocus(True)
        self.raw_json.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw_json.setFixedHeight(self.raw_json.fontMetrics().lineSpacing() * 5 + 12)
        form.addRow("Other remote fields (JSON):", self.raw_json)

        self.error_label = QLabel(self.body)
        self.error_label.setObjectName("remoteFieldsError")
        self.error_label.setAccessibleName("Remote fields error")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        style_as_problem_text(self.error_label)
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
        # First, so that nobody reads the text from before the change.
        self.raw_json.textChanged.connect(self._forget_json_text)
        self.raw_json.textChanged.connect(self._on_input_changed)
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
            raw_json=self._json_text(),
        )

    def set_value(self, value: RemoteFieldsInput) -> None:
        """Show ``value`` (a draft or a cleared form); emits ``changed`` once."""
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
            if self._json_text() != value.raw_json:
                self.raw_json.setPlainText(value.raw_json)
        finally:
            self._loading = False
        self._refresh()
        self.changed.emit()

    def error(self) -> str | None:
        """The problem with the current input (invalid JSON, a conflict), or ``None``."""
        return self._error

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

        That is the typed input the problem is about (one set both there and in the
        JSON), otherwise the JSON editor. Either says what is wrong (``mark_field``).
        """
        self.set_expanded(True)
        target = self._typed_at_fault or self.raw_json
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return target

    def header_text(self) -> str:
        """The section header as shown, e.g. "Advanced: ATS-specific fields (2 set)"."""
        return self.toggle.text()

    # ---- internals -----------------------------------------------------------------------

    @Slot(bool)
    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)
        self._update_header(self.value())

    @Slot()
    def _forget_json_text(self) -> None:
        self._json_text_read = None

    def _json_text(self) -> str:
        """The JSON editor's text, copied out of it once per change (see the module's
        docstring): the check, the header, the form and the draft all read it."""
        if self._json_text_read is None:
            self._json_text_read = self.raw_json.toPlainText()
        return self._json_text_read

    @Slot()
    def _on_input_changed(self) -> None:
        if self._loading:
            return
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        value = self.value()
        had_error = self._error is not None
        # The check needs the models (pydantic); until they load it waits (see the form).
        self._error = value.raw_json_error() if self._checks_enabled else None
        invalid = self._error is not None
        at_fault = value.typed_input_at_fault() if self._error else None
        self._typed_at_fault = self._typed_inputs[at_fault] if at_fault else None
        for widget in self._typed_inputs.values():
            mark_field(widget, (self._error or "") if widget is self._typed_at_fault else "")
        mark_field(self.raw_json, self._error or "")
        self.error_label.setText(self._error or "")
        self.error_label.setVisible(invalid)
        if invalid and not had_error:
            self.set_expanded(True)
        self._update_header(value)

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
