""" "Next candidate" pressed by mistake is undone with "Undo Next candidate": the ID, the
result URL and every attribute value come back, until the form is edited or sent. Its key
sits beside the ones typed all day, and before, one press threw away a long URL and ten
values for good (each field's undo wiped, the draft saved without them), even after a
send that may not have added the link."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kombo_desktop.core.client import Timeouts
from kombo_desktop.qt.main_window import (
    NEXT_CANDIDATE_UNDONE_TEXT,
    READY_FOR_NEXT_TEXT,
    MainWindow,
)
from kombo_desktop.qt.result_link_form import HINT_BESIDE_BUTTONS_PX
from kombo_desktop.sandbox import Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_question,
    build_window,
    button,
    candidate_id,
    fill_form,
    line_edit,
    submit_and_wait,
    type_into,
    wait_for_send_again_question,
)
from tests.qt_helpers import find_by_accessible_name

LONG_URL = "https://assessments.example.com/reports/2026/11/" + "a1b2c3d4" * 12
VALUES = "".join(f"Skill {n}\t{n * 10}%\n" for n in range(1, 11))


def undo_button(window: MainWindow) -> QPushButton:
    return button(window, "Undo next candidate")


def saved_url(window: MainWindow) -> str | None:
    """The result URL the draft file holds (``None`` while there is none to read)."""
    try:
        return str(json.loads(window.drafts.store.path.read_text("utf-8"))["form"]["url"])
    except (OSError, ValueError, KeyError):
        return None


def filled_and_sent(qtbot, window: MainWindow, sandbox: Sandbox) -> None:
    fill_form(
        qtbot,
        window,
        target_id=candidate_id(sandbox),
        url=LONG_URL,
        prefix="Acme:",
        attributes=VALUES,
    )
    submit_and_wait(qtbot, window)


def press_next_candidate(qtbot, window: MainWindow) -> None:
    next_button = button(window, "Next candidate")
    assert next_button.isEnabled()
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)


def cleared_for_next(qtbot, sandbox: Sandbox) -> MainWindow:
    """A window whose form was filled, sent, then cleared with Next candidate."""
    window = build_window(qtbot, sandbox)
    filled_and_sent(qtbot, window, sandbox)
    press_next_candidate(qtbot, window)
    return window


def test_undo_brings_back_what_next_candidate_cleared(qtbot, fresh_sandbox: Sandbox) -> None:
    window = build_window(qtbot, fresh_sandbox)
    undo = undo_button(window)
    assert not undo.isVisible()
    filled_and_sent(qtbot, window, fresh_sandbox)
    before = window.form.state()
    press_next_candidate(qtbot, window)
    assert window.form.state().url == ""
    assert undo.isVisible()
    assert READY_FOR_NEXT_TEXT in window.response.summary_text()

    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert window.form.state() == before
    assert not undo.isVisible()
    assert window.response.summary_text() == NEXT_CANDIDATE_UNDONE_TEXT
    # As before the press: the form holds the link just added, so Next candidate is
    # offered, and Submit asks before sending it a second time.
    assert button(window, "Next candidate").isEnabled()
    # The draft keeps the form put back, not the cleared one.
    qtbot.waitUntil(lambda: saved_url(window) == LONG_URL, timeout=WAIT_MS)


def test_editing_after_next_candidate_takes_the_undo_away(qtbot, fresh_sandbox: Sandbox) -> None:
    window = cleared_for_next(qtbot, fresh_sandbox)
    undo = undo_button(window)
    assert undo.isVisible()
    # The next candidate's ID typed: undone now, the form would lose it.
    type_into(qtbot, window, "Target ID", "next-one")
    assert not undo.isVisible()
    assert line_edit(window, "Target ID").text() == "next-one"


def test_a_send_that_may_have_added_the_link_can_be_brought_back_after_next_candidate(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox, timeouts=Timeouts(connect=5.0, read=0.5))
    fresh_sandbox.inject_fault(Fault.slow_body(3.0), times=1)
    filled_and_sent(qtbot, window, fresh_sandbox)
    assert "may already have been added" in window.response.summary_text()
    assert window.statusBar().currentMessage() == "The request failed; the form is unchanged."
    before = window.form.state()
    press_next_candidate(qtbot, window)
    # Before: the status bar went on saying the form was unchanged, beside a cleared form.
    assert window.statusBar().currentMessage() == ""
    qtbot.mouseClick(undo_button(window), Qt.MouseButton.LeftButton)
    assert window.form.state() == before
    # Sent again, it is the same link: the window asks first, as it did before the press.
    qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    answer_question(qtbot, wait_for_send_again_question(qtbot), "Don't send")
    assert window.form.state() == before


def test_the_undo_button_takes_room_the_submit_hint_gives_up(qtbot, fresh_sandbox: Sandbox) -> None:
    window = build_window(qtbot, fresh_sandbox)
    filled_and_sent(qtbot, window, fresh_sandbox)
    form = window.form
    hint = find_by_accessible_name(window, "Submit hint", QLabel)
    # A form just wide enough for the hint beside Submit, Cancel and Next candidate.
    buttons = (form.submit_button, form.cancel_button, form.next_button)
    width = sum(b.sizeHint().width() for b in buttons) + HINT_BESIDE_BUTTONS_PX + 80
    window.resize(1400, 720)
    window.splitter.setSizes([width, 1400 - width])
    qtbot.waitUntil(lambda: abs(form.width() - width) < 20, timeout=WAIT_MS)
    assert hint.geometry().top() < form.submit_button.geometry().bottom()  # beside them
    press_next_candidate(qtbot, window)
    undo = undo_button(window)
    qtbot.waitUntil(lambda: undo.isVisible() and hint.isVisible(), timeout=WAIT_MS)
    # A fourth button leaves too little room beside them: the hint goes under them, as
    # in a narrow form. Before: squeezed beside the new button, a word to a line.
    qtbot.waitUntil(lambda: hint.geometry().top() > undo.geometry().bottom(), timeout=WAIT_MS)


def test_another_connection_takes_the_undo_away(qtbot, fresh_sandbox: Sandbox) -> None:
    window = cleared_for_next(qtbot, fresh_sandbox)
    undo = undo_button(window)
    assert undo.isVisible()
    # Another customer's integration: undone now, the last candidate's form would be sent
    # with it.
    line_edit(window, "Integration ID").setText("acme:other-integration")
    assert not undo.isVisible()


def test_a_send_takes_the_undo_away(qtbot, fresh_sandbox: Sandbox) -> None:
    window = cleared_for_next(qtbot, fresh_sandbox)
    # Whatever starts a send (the form cannot be sent as Next candidate left it): the
    # form then is the one going out, and undoing would replace it.
    window.form.set_busy(True)
    assert not undo_button(window).isVisible()
    window.form.set_busy(False)
    assert not undo_button(window).isVisible()
