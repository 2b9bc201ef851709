"""The live preview of the request the form will send, and "Copy as curl".

Built by ``core.requests`` (the same code the client sends with), so the preview is
exactly what goes over the wire. A copied curl command names the key
``$KOMBO_API_KEY``: the key itself never reaches the clipboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.connection import Connection
from kombo_desktop.qt.copy_confirmation import CopyConfirmation
from kombo_desktop.qt.spoken import show_text

if TYPE_CHECKING:
    # A request to show exists only once the models (pydantic) have loaded.
    from kombo_desktop.core.models import ResultLinkRequest, Target


class RequestPreview(QWidget):
    """Method, URL and JSON body of the request in the form; read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curl = ""
        caption = QLabel("Request", self)
        bold = caption.font()
        bold.setWeight(QFont.Weight.DemiBold)
        caption.setFont(bold)
        self.copy_curl_button = QPushButton("Copy as curl", self)
        self.copy_curl_button.setAccessibleName("Copy as curl")
        self.copy_curl_button.clicked.connect(self.copy_curl)
        self._copy_confirmation = CopyConfirmation(self.copy_curl_button)
        header = QHBoxLayout()
        header.addWidget(caption)
        header.addStretch(1)
        header.addWidget(self.copy_curl_button)

        self.request_line = QLabel(self)
        self.request_line.setAccessibleName("Request line")
        self.request_line.setTextFormat(Qt.TextFormat.PlainText)
        self.request_line.setWordWrap(True)
        self.request_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.request_line.setFont(fixed)

        self.body = QPlainTextEdit(self)
        self.body.setReadOnly(True)
        self.body.setAccessibleName("Request preview")
        self.body.setFont(fixed)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        caption.setBuddy(self.body)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.request_line)
        layout.addWidget(self.body, 1)
        self.show_problem("The preview appears here as the form is filled in.")

    def show_request(
        self, target: Target, request: ResultLinkRequest, connection: Connection | None
    ) -> None:
        """Show the call for a valid form; curl needs a connection (for the URL and id)."""
        from kombo_desktop.core.requests import result_link_call

        call = result_link_call(target, request)
        base_url = connection.base_url if connection is not None else "{base URL}"
        # In its description too: a screen reader reads where the request goes.
        show_text(self.request_line, f"{call.method} {call.url(base_url)}")
        self.request_line.setVisible(True)
        self._set_body(call.body_text())
        if connection is None:
            self._curl = ""
            self.copy_curl_button.setEnabled(False)
            self.copy_curl_button.setToolTip("Set up the connection first")
        else:
            self._curl = call.as_curl(connection.base_url, connection.integration_id)
            self.copy_curl_button.setEnabled(True)
            # Quoted for a POSIX shell: cmd or PowerShell read the same text otherwise.
            self.copy_curl_button.setToolTip(
                "Copy a curl command for this request, for a POSIX shell (bash, zsh); "
                "the key is written as $KOMBO_API_KEY"
            )

    def show_problem(self, text: str) -> None:
        """No request can be built yet; say why instead."""
        show_text(self.request_line, "")
        self.request_line.setVisible(False)
        self._set_body("")
        self.body.setPlaceholderText(text)
        self._curl = ""
        self.copy_curl_button.setEnabled(False)
        self.copy_curl_button.setToolTip("Complete the form first")

    def body_text(self) -> str:
        """The JSON body as shown."""
        return self.body.toPlainText()

    @Slot()
    def copy_curl(self) -> None:
        """Put the curl command on the clipboard, and say so."""
        if self._curl:
            self._copy_confirmation.copy(
                self._curl, "Copied a curl command; it reads the key from $KOMBO_API_KEY."
            )

    def _set_body(self, text: str) -> None:
        # Keep the scroll position while typing: only replace text that changed.
        if self.body.toPlainText() != text:
            bar = self.body.verticalScrollBar()
            position = bar.value()
            self.body.setPlainText(text)
            bar.setValue(position)
