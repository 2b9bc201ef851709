"""A very large answer is shown from its start only, and copied whole.

Kombo's answers are a few kilobytes, but a server may send up to 1 MiB. Laid out whole,
such an answer freezes the window as it is shown, so the raw answer shows only its start
with a note of its whole size, as the request preview shows a long body. "Copy response",
and a copy of all the view shows (Ctrl+A, Ctrl+C), give the whole answer, every
character as it came; the panel still tells its outcome to a screen reader.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.text import pretty_json
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault
from tests.main_window_support import WAIT_MS, button, type_into
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import answered_with, raw_view, window_at

#: The most of a long text a view shows, in characters, and in one line of it.
SHOWN_LIMIT = 64 * 1024
LINE_LIMIT = 8 * 1024


def _answer_of_many_notes() -> str:
    """A success of about 400 KB in short lines, with characters a plain-text copy would
    change (a no-break space, a line separator inside a string) before and after the
    start shown."""
    notes = [f"Note {n}: ü ✓ no\u00a0break, line\u2028separator. " * 3 for n in range(3000)]
    return json.dumps(
        {"status": "success", "data": {"notes": notes}, "warnings": []}, ensure_ascii=False
    )


def _answer_in_one_long_line() -> str:
    """A success whose one string is a whole page: its line is some 300 KB long."""
    page = "<p class='row'>The upstream server sent this page instead of JSON.</p>" * 4000
    return json.dumps({"status": "success", "data": {"page": page}, "warnings": []})


MANY_NOTES = _answer_of_many_notes()
ONE_LONG_LINE = _answer_in_one_long_line()


def _note(window: MainWindow) -> QLabel:
    return find_by_accessible_name(window, "Response body note", QLabel)


def _shown_start(window: MainWindow) -> str:
    """The characters the raw view shows, read as they are held (``toPlainText`` makes a
    no-break space a space), its line separators as they came (the view shows them as
    their escapes, which the answers here do not hold otherwise)."""
    held = raw_view(window).document().toRawText()
    # Qt ends each line it holds with a paragraph separator.
    return held.replace("\u2029", "\n").replace("\\u2028", "\u2028")


def _answered_and_indented(qtbot, window: MainWindow, fresh_sandbox, body: str) -> str:
    """Send the form, Kombo answering ``body``; wait until the answer is indented (a long
    one is, in the background) and return it as the panel holds it."""
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(body))
    whole = pretty_json(body)
    qtbot.waitUntil(lambda: window.response.raw_text() == whole, timeout=WAIT_MS)
    return whole


def _expected_note(body: str, *, inside_a_line: bool = False) -> str:
    """The note on an answer ``body`` (as received) shown from its start only."""
    size = len(body.encode("utf-8"))
    assert 1_000 < size < 1_000_000  # said in KB
    if inside_a_line:
        return (
            f"The response ({round(size / 1000)} KB) has a line too long to show here whole: "
            "this is its start. Copy response copies all of it."
        )
    return (
        f"The response is {round(size / 1000)} KB, too long to show here: this is its start. "
        "Copy response copies all of it."
    )


def test_a_large_answer_shows_its_start_and_a_note_of_its_size(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, MANY_NOTES)

    start = _shown_start(window)
    assert len(start) <= SHOWN_LIMIT, f"the view holds {len(start)} characters"
    assert len(start) < len(whole)
    assert whole.startswith(start)
    assert whole[len(start)] == "\n"  # whole lines only
    note = _note(window)
    assert note.isVisible()
    assert note.text() == _expected_note(MANY_NOTES)
    # Heard with the view's name too: its text alone does not say it is not all.
    assert raw_view(window).accessibleDescription() == note.text()
    assert note.accessibleDescription() == note.text()
    # The outcome is told as for any answer.
    description = window.response.accessibleDescription()
    assert description.startswith("Success")
    assert description == window.response.summary_text()


def test_copy_response_copies_the_whole_large_answer_exactly(qtbot, fresh_sandbox, clipboard):
    window = window_at(qtbot, fresh_sandbox, None)
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, MANY_NOTES)
    assert _note(window).isVisible()

    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert clipboard.text() == whole
    assert json.loads(clipboard.text()) == json.loads(MANY_NOTES)


def test_all_of_the_view_copied_with_the_keyboard_is_the_whole_answer(
    qtbot, fresh_sandbox, clipboard
):
    window = window_at(qtbot, fresh_sandbox, None)
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, MANY_NOTES)
    view = raw_view(window)
    assert len(view.toPlainText()) < len(whole)

    clipboard.setText("")
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    # Every character as it came: the no-break spaces and the line separators too.
    assert clipboard.text() == whole


def test_an_answer_in_one_long_line_shows_the_start_of_that_line(qtbot, fresh_sandbox, clipboard):
    window = window_at(qtbot, fresh_sandbox, None)
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, ONE_LONG_LINE)

    start = _shown_start(window)
    assert whole.startswith(start)
    longest = max(len(line) for line in start.split("\n"))
    assert longest <= LINE_LIMIT, f"the view holds a line of {longest} characters"
    assert '"page": "<p class=' in start  # the start of the long line itself
    assert _note(window).text() == _expected_note(ONE_LONG_LINE, inside_a_line=True)

    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert clipboard.text() == whole


def test_an_answer_of_the_usual_size_after_a_large_one_is_shown_whole(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    _answered_and_indented(qtbot, window, fresh_sandbox, MANY_NOTES)
    assert _note(window).isVisible()

    type_into(qtbot, window, "Label", " 2")
    usual = json.dumps({"status": "success", "data": {"id": "r-2"}, "warnings": []})
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, usual)
    assert raw_view(window).toPlainText() == whole
    assert not _note(window).isVisible()
    assert raw_view(window).accessibleDescription() == ""


def test_the_note_says_the_size_of_the_answer_as_received(qtbot, fresh_sandbox):
    # Compact as a server sends it: indented, the same answer is about three times larger.
    rows = [{"id": f"r{n}", "a": 1, "b": [1, 2], "c": {"d": None}} for n in range(19000)]
    body = json.dumps(
        {"status": "success", "data": {"rows": rows}, "warnings": []}, separators=(",", ":")
    )
    assert 800_000 < len(body) < 1024 * 1024
    window = window_at(qtbot, fresh_sandbox, None)
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, body)
    assert len(whole) > 2 * len(body)
    assert _note(window).text() == _expected_note(body)


def test_a_short_answer_with_one_long_line_is_said_cut_for_its_line(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    # Longer, but in short lines: shown whole.
    short_lines = json.dumps(
        {"status": "success", "data": {"n": [f"note {n}" for n in range(3000)]}, "warnings": []}
    )
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, short_lines)
    assert len(whole) > 50_000
    assert raw_view(window).toPlainText() == whole
    assert not _note(window).isVisible()

    type_into(qtbot, window, "Label", " 2")
    one_line = json.dumps({"status": "success", "data": {"html": "<p>Summary</p>" * 700}})
    whole = _answered_and_indented(qtbot, window, fresh_sandbox, one_line)
    assert len(_shown_start(window)) < len(whole)
    assert _note(window).text() == _expected_note(one_line, inside_a_line=True)
