"""The main window shows whose the ID picked in Find… is, and stops saying it once unsure."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.field_marks import PROBLEM_COLOUR
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    button,
    candidate_email,
    candidate_with_applications,
    fill_form,
    line_edit,
    pick_in_search,
    picked_label,
    picked_words,
    posts,
    submit_and_wait,
    type_into,
)


def _name(candidate: dict[str, Any]) -> str:
    return f"{candidate['first_name']} {candidate['last_name']}"


def _choose_kind(window: MainWindow, kind: TargetKind) -> None:
    combo = window.form.target_type
    combo.setCurrentIndex(combo.findData(kind.value))


#: What the Target ID says once the kind is not the one its ID was picked for.
PICKED_AS_CANDIDATE = (
    "Target ID is the ID of the candidate picked in Find…: pick the application with "
    "Find…, or choose Candidate again"
)
PICKED_AS_APPLICATION = (
    "Target ID is the ID of the application picked in Find…: pick the candidate with "
    "Find…, or choose Application again"
)


def test_a_picked_candidate_is_shown_and_read_out_with_the_id(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    words = f"{_name(candidate)} · {candidate_email(candidate)}"
    pick_in_search(qtbot, window, candidate, application=None)

    target_id = line_edit(window, "Target ID")
    assert target_id.text() == candidate["id"]
    assert picked_words(window) == words
    label = picked_label(window)
    assert label.accessibleDescription() == words
    # It confirms the pick: the usual text colour, never the colour of a problem.
    colour = label.palette().color(QPalette.ColorRole.WindowText)
    assert colour != QColor(PROBLEM_COLOUR)
    assert colour == QPalette().color(QPalette.ColorRole.WindowText)
    # Under the ID, so it reads as the ID's.
    assert (
        label.mapTo(window, label.rect().topLeft()).y()
        > target_id.mapTo(window, target_id.rect().bottomLeft()).y()
    )
    # A screen reader on the Target ID hears whose it is.
    assert target_id.accessibleDescription() == words


def test_a_picked_application_shows_its_job_and_stage(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    application = candidate["applications"][1]
    words = (
        f"{_name(candidate)} · {application['job']['name']} "
        f"({application['current_stage']['name']})"
    )
    _choose_kind(window, TargetKind.APPLICATION)
    pick_in_search(qtbot, window, candidate, application=1)

    assert line_edit(window, "Target ID").text() == application["id"]
    assert picked_words(window) == words
    assert line_edit(window, "Target ID").accessibleDescription() == words


def test_ctrl_z_after_a_pick_brings_back_the_id_it_replaced(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    target_id = line_edit(window, "Target ID")
    target_id.setFocus()
    qtbot.keyClicks(target_id, "ID-copied-from-an-email")
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, application=None)
    assert target_id.text() == candidate["id"]
    target_id.setFocus()
    qtbot.keyClick(target_id, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # Before: the pick set the field's text, and with it wiped its undo: the ID typed
    # was gone for good.
    assert target_id.text() == "ID-copied-from-an-email"
    assert picked_words(window) == ""  # whose the picked ID was: not this one's
    assert window.form.state().target_id == "ID-copied-from-an-email"


def test_typing_in_the_id_takes_the_words_away(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    pick_in_search(qtbot, window, candidate_with_applications(fresh_sandbox, 1), application=None)
    assert picked_words(window)
    target_id = line_edit(window, "Target ID")
    target_id.setFocus()
    qtbot.keyClick(target_id, Qt.Key.Key_End)
    qtbot.keyClick(target_id, Qt.Key.Key_Backspace)

    assert picked_words(window) == ""
    assert not picked_label(window).isVisible()
    assert picked_label(window).accessibleDescription() == ""
    assert target_id.accessibleDescription() == ""


def test_changing_the_target_type_takes_the_words_away(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    pick_in_search(qtbot, window, candidate_with_applications(fresh_sandbox, 1), application=None)
    words = picked_words(window)
    assert words
    combo = window.form.target_type
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert window.form.target_kind() is TargetKind.APPLICATION

    assert picked_words(window) == ""
    # A screen reader hears what is wrong with the ID now, not whose it was.
    assert line_edit(window, "Target ID").accessibleDescription() == PICKED_AS_CANDIDATE


def test_an_id_picked_for_one_kind_is_refused_under_the_other_and_kept(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, application=None)
    words = picked_words(window)
    fill_form(qtbot, window, target_id="")
    submit = button(window, "Submit")
    assert submit.isEnabled()

    # Before: sent as an application's ID, and Kombo found no such application.
    _choose_kind(window, TargetKind.APPLICATION)
    assert window.form.error_text("target_id") == PICKED_AS_CANDIDATE
    assert not submit.isEnabled()
    assert PICKED_AS_CANDIDATE in submit.toolTip()
    assert line_edit(window, "Target ID").text() == candidate["id"]  # nothing is lost
    assert picked_words(window) == ""  # they would vouch for it as an application

    # Back to the kind it was picked for: it is whose it was, and can be sent.
    _choose_kind(window, TargetKind.CANDIDATE)
    assert window.form.error_text("target_id") == ""
    assert picked_words(window) == words
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].path == f"/v1/ats/candidates/{candidate['id']}/result-links"


def test_an_application_picked_is_refused_as_a_candidates_id_until_typed_over(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 2)
    _choose_kind(window, TargetKind.APPLICATION)
    pick_in_search(qtbot, window, candidate, application=0)
    _choose_kind(window, TargetKind.CANDIDATE)
    assert window.form.error_text("target_id") == PICKED_AS_APPLICATION

    # Typed over, the ID is the person's own: nothing is known of it any more.
    type_into(qtbot, window, "Target ID", "x")
    assert window.form.error_text("target_id") == ""
    _choose_kind(window, TargetKind.APPLICATION)
    assert picked_words(window) == ""


def test_next_candidate_keeps_the_refusal_of_an_id_picked_after_the_send(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=candidate_with_applications(fresh_sandbox, 2)["id"])
    submit_and_wait(qtbot, window)
    sent = len(posts(fresh_sandbox))
    pick_in_search(qtbot, window, candidate, application=None)  # the next one, found now
    _choose_kind(window, TargetKind.APPLICATION)

    # Before: the ID typed since the send was kept, and it could be sent as an application's.
    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    assert line_edit(window, "Target ID").text() == candidate["id"]
    assert window.form.error_text("target_id") == PICKED_AS_CANDIDATE
    assert not button(window, "Submit").isEnabled()
    assert len(posts(fresh_sandbox)) == sent


def test_another_integration_takes_the_words_away_not_the_refusal(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    pick_in_search(qtbot, window, candidate_with_applications(fresh_sandbox, 1), application=None)
    _choose_kind(window, TargetKind.APPLICATION)
    integration = line_edit(window, "Integration ID")
    type_into(qtbot, window, "Integration ID", "x")
    qtbot.keyClick(integration, Qt.Key.Key_Backspace)  # the same integration again

    # Before: the refusal went with the words, and the ID could go out as an application's.
    assert window.form.error_text("target_id") == PICKED_AS_CANDIDATE
    assert not button(window, "Submit").isEnabled()
    _choose_kind(window, TargetKind.CANDIDATE)
    assert window.form.error_text("target_id") == ""
    assert picked_words(window) == ""  # whose it is could not be vouched for since


def test_next_candidate_takes_the_words_away(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, application=None)
    fill_form(qtbot, window, target_id="")
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    assert picked_words(window)
    # For the eye and the ear only: the words are not sent.
    sent = posts(fresh_sandbox)[-1]
    assert sent.path == f"/v1/ats/candidates/{candidate['id']}/result-links"
    assert candidate_email(candidate) not in sent.body.decode()
    assert candidate["last_name"] not in sent.body.decode()

    qtbot.mouseClick(button(window, "Next candidate"), Qt.MouseButton.LeftButton)
    assert line_edit(window, "Target ID").text() == ""
    assert picked_words(window) == ""
    assert line_edit(window, "Target ID").accessibleDescription() == ""
    # A new ID typed now is not vouched for by the earlier pick either.
    type_into(qtbot, window, "Target ID", "someone-else")
    assert picked_words(window) == ""


def test_loading_a_state_takes_the_words_away(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    candidate = candidate_with_applications(fresh_sandbox, 1)
    pick_in_search(qtbot, window, candidate, application=None)
    # The words are not part of the form's state: a state (a draft) brings back the ID
    # alone, and nothing can say whose it is then.
    state = window.form.state()
    assert candidate_email(candidate) not in repr(state)
    window.form.set_state(state)
    assert line_edit(window, "Target ID").text() == candidate["id"]
    assert picked_words(window) == ""
    assert line_edit(window, "Target ID").accessibleDescription() == ""


def test_another_integration_takes_the_words_away_another_key_does_not(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    pick_in_search(qtbot, window, candidate_with_applications(fresh_sandbox, 1), application=None)
    words = picked_words(window)
    assert words
    # Another key to the same integration: the same people. (Typed at its end: a word
    # before a key is refused as a key copied with its label.)
    key = line_edit(window, "API key")
    key.setFocus()
    key.end(False)
    qtbot.keyClicks(key, "x")
    assert picked_words(window) == words
    # Another integration (another customer): its people are others.
    type_into(qtbot, window, "Integration ID", "x")
    assert picked_words(window) == ""
    assert line_edit(window, "Target ID").accessibleDescription() == ""
