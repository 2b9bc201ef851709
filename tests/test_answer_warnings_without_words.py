"""A warning Kombo sent without words is still shown and read out as one.

Counted as one of "2 warnings from Kombo" but shown as an empty bullet, and read out as
"…: Score was cut to 255 characters |.", it looks as if something was lost on the way.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import answered_with, success_with_warnings, window_at

#: Said in place of a warning without words (as the recruiter reads it, not imported: the
#: old code has no such words).
WITHOUT_WORDS = "Kombo sent this warning without a message."


def test_a_warning_without_words_is_shown_and_read_as_one(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    answer = success_with_warnings(["Score was cut to 255 characters", "  "])
    answered_with(qtbot, window, fresh_sandbox, answer)

    summary = window.response.summary_text()
    assert summary.startswith("Success")
    assert f"Warnings: Score was cut to 255 characters | {WITHOUT_WORDS}" in summary
    # Counted once, by the success's own words.
    assert summary.count("2 warnings from Kombo") == 1
    shown = find_by_accessible_name(window, "Warnings from Kombo", QLabel).text()
    assert shown.count("<li>") == 2
    assert f"<li>{WITHOUT_WORDS}</li>" in shown
