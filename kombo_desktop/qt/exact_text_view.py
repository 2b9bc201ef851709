"""A read-only text view that gives back exactly the text it was given.

The request preview and the response panel show JSON in it (the request, the answer),
and what is copied from them, whole or selected, is the very characters they hold. In
JSON an invisible character is shown as its escape (see ``set_exact_text``).

A long text (a pasted body of megabytes, an answer of up to 1 MiB) is shown only from
its start (``text_start``), a note beside it saying so (``cut_text_note``): a text view
lays out what it holds on the GUI thread, a megabyte of JSON in a fraction of a second
with the window frozen meanwhile, and nobody reads megabytes there. Its copy button
copies all of it.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from kombo_desktop.core.text import JOINERS, has_invisible_characters

__all__ = [
    "SHOWN_LINE_LIMIT",
    "SHOWN_TEXT_LIMIT",
    "ExactTextView",
    "cut_inside_a_line",
    "cut_text_note",
    "text_start",
]

#: At most this many characters of a long text are shown.
SHOWN_TEXT_LIMIT = 64 * 1024
#: A line longer than this ends the start shown, within it. A text view lays out and
#: paints each line it shows whole: 64 KiB of JSON in short lines takes a few
#: milliseconds to show, but as one line (a page sent without line breaks) some 50 ms,
#: and some 10 ms again at every repaint.
SHOWN_LINE_LIMIT = 8 * 1024

#: Characters not escaped though invisible: they shape the letters beside them (an emoji
#: family, Persian and Indian scripts), which their escapes would show apart, or set the
#: direction of right-to-left text as people write it (Arabic, Hebrew, Persian names):
#: the direction marks and the isolates. The older embeddings and overrides (U+202A to
#: U+202E) are escaped: one left open turns the rest of its line around, so what is shown
#: would no longer be what is sent.
_SHOWN_AS_THEY_ARE = JOINERS | frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069")

#: Characters a text view breaks the line at, though JSON has them inside a string (text
#: pasted from a word processor brings them): shown as their JSON escapes in any text.
_LINE_SEPARATORS = (("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _with_line_separators_escaped(text: str) -> str:
    """``text`` with the line separators written as their JSON escapes."""
    for separator, escape in _LINE_SEPARATORS:
        if separator in text:
            text = text.replace(separator, escape)
    return text


def _with_escapes_shown(text: str) -> str:
    """JSON ``text`` with the line separators and every invisible character (a zero-width
    space, a byte-order mark pasted with a value) written as its JSON escape: seen where it
    is, it reads as the same JSON.

    Only the distinct characters beyond ASCII are looked at: a long text costs little
    more than one pass at the speed of the text's own methods. Those beyond the Basic
    Multilingual Plane stay as they are: the invisible ones there are the tags that spell
    a flag's country, part of the emoji shown.
    """
    if text.isascii():
        return text
    for character in set(text):
        if character.isascii() or character in _SHOWN_AS_THEY_ARE or character > "\uffff":
            continue
        if character in "\u2028\u2029" or has_invisible_characters(character):
            text = text.replace(character, f"\\u{ord(character):04x}")
    return text


#: What Qt marks each line end of a selection with.
_SELECTION_LINE_END = "\u2029"


def text_start(text: str, limit: int = SHOWN_TEXT_LIMIT, line_limit: int = SHOWN_LINE_LIMIT) -> str:
    """The start of ``text`` to show: all of it when it is at most ``limit`` characters in
    lines of at most ``line_limit``; otherwise at most ``limit`` characters, ended at the
    last line end among them, or ``line_limit`` characters into the first longer line.

    Only the first ``limit`` characters are read: a text of megabytes costs no more here
    than a short one.
    """
    start = text[:limit]
    lines = start.split("\n")
    if max(map(len, lines)) > line_limit:
        shown = 0
        for line in lines:
            if len(line) > line_limit:
                return start[: shown + line_limit]
            shown += len(line) + 1
    if len(start) == len(text):
        return text
    # Whole lines only: the last one may go on beyond the limit.
    last_line_end = start.rfind("\n")
    return start[:last_line_end] if last_line_end > 0 else start


def cut_inside_a_line(text: str, shown: str) -> bool:
    """True when ``shown``, the start of ``text`` that ``text_start`` gave, ends inside a
    line: cut for that line's length, not for the whole text's (which ends at a line end)."""
    return len(shown) < len(text) and text[len(shown)] != "\n"


def _size_words(size: int) -> str:
    """``3.4 MB``, ``40 KB``: sizes as a person reads them."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} KB"


def cut_text_note(what: str, size: int, copy_button: str, *, inside_a_line: bool = False) -> str:
    """The words beside a view that shows only the start of ``what`` ("The body"),
    ``size`` bytes in all, which the button named ``copy_button`` copies whole. With
    ``inside_a_line`` the start ends inside a line too long to show, whatever the size:
    that is said, not a size that may be small."""
    if inside_a_line:
        return (
            f"{what} ({_size_words(size)}) has a line too long to show here whole: this is "
            f"its start. {copy_button} copies all of it."
        )
    return (
        f"{what} is {_size_words(size)}, too long to show here: this is its start. "
        f"{copy_button} copies all of it."
    )


class ExactTextView(QPlainTextEdit):
    """A read-only view of text (a JSON body, an answer) that gives back exactly what it
    was given, whole (``exact_text``) or as a selection copied.

    A text view reads back and copies its text as plain text: a no-break space becomes
    a space, and a line or paragraph separator a line break, which inside a JSON string
    leaves JSON that no longer reads. So the text given is kept as given, the separators
    (and in JSON the invisible characters, which nobody would know were there) are shown
    as their JSON escapes, and a selection copies the characters shown; all that is
    shown, selected, copies the text as given, whole (also where only its start is
    shown).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty, read-only view."""
        super().__init__(parent)
        self.setReadOnly(True)
        self._exact_text = ""
        self._shows_all = True
        self._cut_inside_a_line = False

    def set_exact_text(
        self, text: str, *, start_only_if_long: bool = False, is_json: bool = False
    ) -> None:
        """Show ``text`` (only its start, ``text_start``, if ``start_only_if_long`` and it is
        long); ``exact_text`` gives it back whole, as it is.

        With ``is_json`` each invisible character in it is shown as its JSON escape, which
        reads as the same JSON. Other text (a page, plain words) shows its characters as
        they are, where an escape would be read as part of the words; in any text the
        line separators are shown as escapes, as the view would break the line there.
        """
        self._exact_text = text
        shown = text_start(text) if start_only_if_long else text
        self._shows_all = len(shown) == len(text)
        self._cut_inside_a_line = cut_inside_a_line(text, shown)
        self.setPlainText(
            _with_escapes_shown(shown) if is_json else _with_line_separators_escaped(shown)
        )

    def exact_text(self) -> str:
        """The text last given to ``set_exact_text``, every character as it was."""
        return self._exact_text

    def shows_all(self) -> bool:
        """False when only the start of ``exact_text`` is shown."""
        return self._shows_all

    def cuts_inside_a_line(self) -> bool:
        """True when the start shown ends inside a line too long to show
        (``cut_inside_a_line``)."""
        return self._cut_inside_a_line

    def createMimeDataFromSelection(self) -> QMimeData:
        """The selection as the characters shown (Qt's own copy writes a no-break space as
        a space); all that is shown, selected (Ctrl+A), as the whole text given."""
        data = QMimeData()
        cursor = self.textCursor()
        # The document counts one character more than it holds: the end of its last line.
        if (
            cursor.hasSelection()
            and cursor.selectionStart() == 0
            and cursor.selectionEnd() >= self.document().characterCount() - 1
        ):
            data.setText(self._exact_text)
            return data
        # The view's own line ends only: the text's separators are shown as escapes.
        data.setText(cursor.selectedText().replace(_SELECTION_LINE_END, "\n"))
        return data
