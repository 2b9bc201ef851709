"""An answer is shown whole by the time the window says the request finished, and a long
raw answer is indented off the GUI thread, then shown whole.

Whoever hears that a request finished (``requestFinished``: a screen reader follows the
panel's description, a test reads the panel) finds the outcome, its words and its raw
answer already shown. Indenting a long answer (up to 1 MiB) would hold the window for
longer than a frame: it is done on a background thread, "Preparing the response…"
showing meanwhile, and a later answer (or none) shown before it is back is not replaced.
"""

from __future__ import annotations

import json

from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import Fault
from tests.main_window_support import WAIT_MS, button, candidate_id, type_into
from tests.response_panel_support import answered_with, raw_view, seen_when_finished, window_at

#: Shown in place of a long raw answer while it is indented.
PREPARING = "Preparing the response…"


def _long_answer(word: str) -> str:
    """A success whose data makes its body far longer than a few kilobytes (a Kombo
    answer's usual size): over 100 KB."""
    notes = [f"{word} {n} " * 8 for n in range(2000)]
    body = json.dumps({"status": "success", "data": {"notes": notes}, "warnings": []})
    assert len(body) > 100_000
    return body


LONG_ANSWER = _long_answer("first")
OTHER_LONG_ANSWER = _long_answer("second")


def test_the_first_answer_is_shown_whole_when_the_request_is_said_finished(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    seen = seen_when_finished(window)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(json.dumps({"status": "success"})))

    assert len(seen) == 1
    at_finish = seen[0]
    assert at_finish.description.startswith("Success")
    assert at_finish.description == at_finish.summary == window.response.summary_text()
    # The raw answer too, indented, every character of it on screen.
    assert at_finish.raw == '{\n  "status": "success"\n}'
    assert at_finish.raw_shown == at_finish.raw
    assert at_finish.can_copy


def test_an_error_is_shown_whole_when_the_request_is_said_finished(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    seen = seen_when_finished(window)
    refusal = Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, "The label is too long.")
    answered_with(qtbot, window, fresh_sandbox, refusal)

    at_finish = seen[0]
    assert at_finish.description.startswith("Error")
    assert "The label is too long." in at_finish.description
    assert "Code: PLATFORM.INPUT_INVALID." in at_finish.description
    assert '"message": "The label is too long."' in at_finish.raw
    assert at_finish.raw_shown == at_finish.raw == window.response.raw_text()


def test_a_long_answer_is_indented_in_the_background_then_shown_whole(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    seen = seen_when_finished(window)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(LONG_ANSWER))

    # The outcome at once, for the eye and a screen reader alike ...
    at_finish = seen[0]
    assert at_finish.description.startswith("Success")
    # ... the long raw answer once it is indented, said to be on its way meanwhile.
    assert at_finish.raw == at_finish.raw_shown == ""
    assert at_finish.placeholder == PREPARING
    # A screen reader reads no placeholder: the view's description says it too.
    assert at_finish.raw_description == PREPARING
    assert not at_finish.can_copy

    indented = pretty_json(LONG_ANSWER)
    qtbot.waitUntil(lambda: window.response.raw_text() == indented, timeout=WAIT_MS)
    # Its start: the view shows no more of a long answer (Copy response copies it all).
    assert indented.startswith(raw_view(window).toPlainText())
    assert raw_view(window).placeholderText() == ""
    assert raw_view(window).accessibleDescription() != PREPARING
    assert button(window, "Copy response").isEnabled()
    assert window.response.summary_text() == at_finish.summary


def test_a_long_answer_indented_late_does_not_replace_what_was_shown_since(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    view = raw_view(window)
    shown: list[str] = []
    view.textChanged.connect(lambda: shown.append(view.toPlainText()))
    # Next candidate, pressed as the first answer shows: its raw answer is still being
    # indented, and the panel is ready for the next candidate.
    window.requestFinished.connect(window.next_candidate)
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(LONG_ANSWER))
    window.requestFinished.disconnect(window.next_candidate)
    assert window.response.state() == "idle"

    # The next candidate's ID and result link (the label is kept).
    type_into(qtbot, window, "Target ID", candidate_id(fresh_sandbox, 1))
    type_into(qtbot, window, "Result URL", "https://example.com/results/2")
    answered_with(qtbot, window, fresh_sandbox, Fault.raw(OTHER_LONG_ANSWER))
    # One thread indents them in turn: the first was back before the second.
    other = pretty_json(OTHER_LONG_ANSWER)
    qtbot.waitUntil(lambda: window.response.raw_text() == other, timeout=WAIT_MS)
    assert other.startswith(view.toPlainText())
    first_start = pretty_json(LONG_ANSWER)[:200]
    assert not any(text.startswith(first_start) for text in shown)
