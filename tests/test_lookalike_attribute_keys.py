"""Attribute keys that look the same but differ by the spaces or the invisible characters
inside them (a no-break space or two spaces from a web page, a zero-width space copied
along) are one key: marked as duplicates in the window's table and refused on the
command line, as keys in other capitals are. Only the comparison folds them: a key is
sent as it was typed, what is invisible at its ends aside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.attribute_rows import find_row_problems
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    sent_attributes,
    submit_and_wait,
)

#: "Time spent" as typed, and the ways the same words come from elsewhere.
LOOK_ALIKE_KEYS = [
    pytest.param("Time\u00a0spent", id="no-break-space"),
    pytest.param("Time\u202fspent", id="narrow-no-break-space"),
    pytest.param("Time  spent", id="two-spaces"),
    pytest.param("Time \u00a0spent", id="space-and-no-break-space"),
    pytest.param("Time\tspent", id="tab"),
    pytest.param("Time\u200b spent", id="zero-width-space-before-the-space"),
    pytest.param("Ti\u2060me spent", id="word-joiner-inside-a-word"),
]


@pytest.mark.parametrize("key", LOOK_ALIKE_KEYS)
def test_keys_that_differ_only_by_spaces_or_invisible_characters_inside_are_one_key(
    key: str,
) -> None:
    problems = find_row_problems([("Time spent", "1h"), (key, "2h")])
    # Named as it was typed, and not said to be in other capitals: it is not.
    assert problems == {1: f"Duplicate key “{key}”"}


def test_a_zero_width_space_inside_a_key_makes_no_other_key() -> None:
    assert find_row_problems([("Score", "1"), ("Sco\u200bre", "2")]) == {
        1: "Duplicate key “Sco\u200bre”"
    }


def test_capitals_are_named_when_they_differ_besides_the_spaces_and_words_stay_apart() -> None:
    problems = find_row_problems([("Time spent", "1h"), ("TIME\u00a0SPENT", "2h")])
    assert problems == {1: "Duplicate key “TIME\u00a0SPENT” (“Time spent” in other capitals)"}
    # A space is folded, never taken out: words written together are another key.
    assert find_row_problems([("Time spent", "1h"), ("Timespent", "2h")]) == {}


def test_the_window_marks_a_key_copied_with_a_no_break_space_and_sends_it_as_typed(
    qtbot: Any, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    rows = "Time spent\t1h\nTime\u00a0spent\t2h\n"
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:", attributes=rows)
    model = window.form.attributes.model
    assert model.problems() == {1: "Duplicate key “Time\u00a0spent”"}
    submit = button(window, "Submit")
    qtbot.waitUntil(lambda: "Attributes, row 2: Duplicate key" in submit.toolTip())
    press_ctrl_enter(qtbot, window)
    assert posts(fresh_sandbox) == []

    # Marking only: the key left alone goes out as it was typed.
    model.remove_rows([0])
    qtbot.waitUntil(submit.isEnabled)
    submit_and_wait(qtbot, window)
    assert sent_attributes(fresh_sandbox) == [{"key": "Time\u00a0spent", "value": "2h"}]


def test_the_command_line_refuses_two_keys_that_differ_by_spaces_inside(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    sent = cli(
        app_home,
        "send", "--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(fresh_sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--prefix", "Acme:",
        "--attr", "Time spent=1h", "--attr", "Time  spent=2h", "--json",
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip
    assert sent.returncode == 2, output(sent)
    errors = {e["field"]: e["message"] for e in json.loads(sent.stdout)["errors"]}
    assert errors == {"attributes[1].key": "Duplicate attribute name “Time  spent”"}
    assert fresh_sandbox.requests == []
