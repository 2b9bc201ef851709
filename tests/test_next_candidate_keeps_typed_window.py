"""In the window: what is typed while a link is on its way survives "Next candidate".

The real window against the real sandbox, slowed down so that the next candidate's ID
and score are typed while the first link is still being sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from kombo_desktop.core.form_state import TypedSinceSent
from kombo_desktop.qt.attributes_model import VALUE_COLUMN
from kombo_desktop.qt.main_window import kept_for_next_words
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    candidate_with_applications,
    fill_form,
    line_edit,
    pick_in_search,
    picked_words,
    posts,
    ready_window,
    submit_until_sent,
    type_over,
)
from tests.qt_helpers import focused, open_cell_editor

URL = "https://example.com/results/kept"


def test_next_candidate_keeps_the_id_and_value_typed_while_sending(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = ready_window(qtbot, fresh_sandbox)
    first, second = candidate_id(fresh_sandbox, 0), candidate_id(fresh_sandbox, 1)
    fill_form(
        qtbot,
        window,
        target_id=first,
        url=URL,
        prefix="Acme:",
        attributes="Score\t88%\nTime\t2:30h\n",
    )
    fresh_sandbox.set_latency(1500)
    submit_until_sent(qtbot, window)

    # The next candidate's ID and score, typed while the first link is on its way.
    type_over(qtbot, window, "Target ID", second)
    cell = open_cell_editor(qtbot, window.form.attributes, 0, VALUE_COLUMN)
    cell.selectAll()
    qtbot.keyClicks(cell, "91%")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.response.state() == "success", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: button(window, "Next candidate").isEnabled(), timeout=WAIT_MS)

    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)

    state = window.form.state()
    assert state.target_id == second
    assert state.url == ""
    assert state.attributes == (("Score", "91%"), ("Time", ""))
    assert (state.label, state.prefix) == ("Assessment Result", "Acme:")
    assert window.response.summary_text() == (
        "Ready for the next candidate. Kept what you typed after sending: the Target ID "
        "and 1 attribute value."
    )
    # The cursor is in the ID, after what was typed: the next key adds to it.
    target_id = line_edit(window, "Target ID")
    assert focused() is target_id
    assert not target_id.hasSelectedText()
    # The first link went out as it was when Submit was pressed.
    [sent] = posts(fresh_sandbox)
    assert first in sent.path
    assert sent.json()["details"]["attributes"][0] == {"key": "Score", "value": "88%"}


def test_next_candidate_keeps_whose_id_it_is_when_picked_while_sending(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = ready_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox, 3), url=URL)
    fresh_sandbox.set_latency(1500)
    submit_until_sent(qtbot, window)

    # The next candidate, picked in Find… while the first link is on its way.
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, None)
    whose = picked_words(window)
    assert whose
    qtbot.waitUntil(lambda: window.response.state() == "success", timeout=WAIT_MS * 3)
    qtbot.waitUntil(lambda: button(window, "Next candidate").isEnabled(), timeout=WAIT_MS)

    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)

    assert window.form.state().target_id == candidate["id"]
    # Still said under the ID, and to a screen reader in the field.
    assert picked_words(window) == whose
    assert line_edit(window, "Target ID").accessibleDescription() == whose


def test_what_was_kept_is_listed_as_a_sentence() -> None:
    typed = TypedSinceSent(target_id=True, url=True, attribute_rows=frozenset({0, 2}))

    assert kept_for_next_words(typed) == (
        "Kept what you typed after sending: the Target ID, the Result URL and 2 attribute values."
    )
