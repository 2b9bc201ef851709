"""An answer the app does not understand is shown and copied whole; where the raw answer
would be, an answer that came back empty, or none at all, is said so; and Kombo's own
words for a code this version does not know end their sentence before the note that the
link may have been added.

An answer not understood (a gateway's JSON of another shape, a proxy's page) is the one
someone must read or send to support: its first 500 characters, not indented and cut in
the middle of a word, with nothing saying so, do not do. "The answer from Kombo appears
here after sending" under an answer that was sent, and came back empty or not at all,
reads as if one were still to come.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import Fault
from tests.main_window_support import WAIT_MS, button
from tests.response_panel_support import answered_with, raw_view, window_at

#: Said in place of the raw answer when one came back empty, and when none came back.
EMPTY_ANSWER_TEXT = "The answer was empty."
NO_ANSWER_TEXT = "No answer came back."
#: A gateway's own JSON, not Kombo's envelope, and longer than a few hundred characters.
GATEWAYS_JSON = json.dumps(
    {"ok": False, "upstream": [{"node": f"edge-{n}", "state": "draining"} for n in range(40)]}
)
#: A proxy's error page, its words about what failed at its end.
LONG_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>"
    + "<p>The upstream server did not answer in time.</p>" * 30
    + "<p>Reference: edge-7 at the end of the page</p></body></html>"
)


def test_an_answer_of_another_shape_is_shown_indented_and_copied_whole(
    qtbot, fresh_sandbox, clipboard
):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(GATEWAYS_JSON))

    assert window.response.summary_text().startswith("Error")
    indented = pretty_json(GATEWAYS_JSON)
    qtbot.waitUntil(lambda: window.response.raw_text() == indented, timeout=WAIT_MS)
    clipboard.setText("")
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert json.loads(clipboard.text()) == json.loads(GATEWAYS_JSON)


def test_a_proxys_long_error_page_is_shown_to_its_end(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(LONG_PAGE, 502, "text/html"))

    qtbot.waitUntil(lambda: window.response.raw_text() == LONG_PAGE, timeout=WAIT_MS)
    assert "edge-7 at the end of the page" in raw_view(window).toPlainText()


def test_an_answer_that_came_back_empty_is_said_to_be_empty(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(b"", 502, "text/html"))

    view = raw_view(window)
    qtbot.waitUntil(lambda: view.placeholderText() == EMPTY_ANSWER_TEXT, timeout=WAIT_MS)
    # A screen reader reads no placeholder: the view's description says it too.
    assert view.accessibleDescription() == EMPTY_ANSWER_TEXT
    assert not button(window, "Copy response").isEnabled()


def test_no_answer_at_all_is_said_where_the_answer_would_be(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answered_with(qtbot, window, fresh_sandbox, Fault.drop_connection())

    assert window.response.summary_text().startswith("Error")
    view = raw_view(window)
    qtbot.waitUntil(lambda: view.placeholderText() == NO_ANSWER_TEXT, timeout=WAIT_MS)
    assert view.accessibleDescription() == NO_ANSWER_TEXT


def test_kombos_words_for_a_new_code_end_before_the_may_have_been_added_note(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    fault = Fault.kombo_error("PLATFORM.SOMETHING_NEW", 500, message="Upstream write pending")
    answered_with(qtbot, window, fresh_sandbox, fault)

    summary = window.response.summary_text()
    assert "Kombo answered: Upstream write pending. The result link may already" in summary
    assert "Code: PLATFORM.SOMETHING_NEW." in summary
