"""Kombo's log of a refused request, as a link: under the connection test's result and
under Find…'s status (the answer panel lists it among its facts).

Its address is one long word: it breaks inside the label's width as the answer panel's
words do (``WrappingLabel``), instead of widening the dialog or being cut off."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import QWidget

from kombo_desktop.core.text import is_web_address
from kombo_desktop.qt.links import escaped, is_link_address, link_html
from kombo_desktop.qt.spoken import show_text
from kombo_desktop.qt.wrapping_label import WrappingLabel

__all__ = ["NOT_A_LINK", "KomboLogLink"]

#: Said of a log address that is shown as text only.
NOT_A_LINK = (
    "This address is not opened from here: it holds a user name or password, or "
    "characters that do not show, and may go elsewhere than it seems."
)


class KomboLogLink(WrappingLabel):
    """Kombo's log of a refused request (its ``log_url``), as a link that opens in the
    browser, with the mouse or the keyboard; hidden while there is none. A long address
    breaks where it must, within the label's width."""

    def __init__(self, parent: QWidget) -> None:
        """A hidden link label in ``parent``."""
        super().__init__(parent)
        self.setAccessibleName("Kombo's log")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self._url: str | None = None
        self.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the log also when the label has the focus but its link not yet
        (the first Tab stop): it would otherwise go on to the dialog's default button."""
        super().keyPressEvent(event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.isAccepted() and self._url:
            QDesktopServices.openUrl(QUrl(self._url))
            event.accept()

    def show_log(self, url: str | None) -> None:
        """Link to ``url``, or hide when there is none; an address that is not a web
        address is not offered to the browser (Kombo's answer is no trusted source). A web
        address that may not be a link (``links.is_link_address``: one with a user name
        or password, say) is shown as text, for the person to judge, and opens nothing."""
        if not url or not is_web_address(url):
            self._url = None
            show_text(self, "")
            self.setToolTip("")
            self.hide()
            return
        if not is_link_address(url):
            from kombo_desktop.core.messages import quoted_words

            self._url = None
            show_text(self, f"Kombo log (not offered as a link): {escaped(quoted_words(url))}")
            self.setToolTip(NOT_A_LINK)
            self.show()
            return
        self._url = url
        show_text(self, f"Kombo log: {link_html(url)}")
        self.setToolTip("Open Kombo's log of this request in the browser")
        self.show()
