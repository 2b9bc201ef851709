"""The "Remote fields JSON" says what is wrong in words that say what to fix, not in the
parser's ("Expecting ',' delimiter"), and where: at the line and column the person sees,
a line separator pasted inside text (U+2028, shown as a line break) counted as one."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import candidate_id, fill_form
from tests.remote_fields_support import json_editor, paste_over


def _problem(raw: str) -> str | None:
    return RemoteFieldsInput(raw_json=raw).raw_json_error()


@pytest.mark.parametrize(
    ("raw", "words", "at"),
    [
        # The parser: "Expecting ',' delimiter".
        ('{"lever": {"a": 1 "b": 2}}', "a comma is missing between two items", (1, 19)),
        (
            '{"lever": {"note": "say "hi""}}',
            'a double quote (") inside text must be written \\"',
            (1, 26),
        ),
        ('{"lever": {"tags": [1, 2}}', "a closing bracket ] is missing before this }", (1, 25)),
        ('{"lever": {"a": 1]}', "a closing brace } is missing before this ]", (1, 18)),
        # "Expecting ':' delimiter".
        ('{"lever": {"a" 1}}', "a colon : is missing between a name and its value", (1, 16)),
        # "Expecting value".
        ('{"lever": {"a": }}', "a value is missing before }", (1, 17)),
        ('{"lever": {"a": yes}}', 'text must be in double quotes: "yes"', (1, 17)),
        ('{"lever": {"a": True}}', "True must be written true, in small letters", (1, 17)),
        (
            "{'lever': {}}",
            "names and text must be in double quotes (\"), not single quotes (')",
            (1, 2),
        ),
        # "Expecting property name enclosed in double quotes".
        ("{lever: {}}", 'the name lever must be in double quotes: "lever"', (1, 2)),
        # "Extra data".
        ('{"lever": {}}}', "one closing brace } too many: remove it", (1, 14)),
        (
            '{"lever": {}}\n{"icims": {}}',
            "more follows the end of the JSON: remove it, or move it inside the braces { }",
            (2, 1),
        ),
        # "Unterminated string starting at".
        (
            '{"lever": {"a": "x}}',
            'text is not closed: the double quote (") that ends it is missing',
            (1, 17),
        ),
        # "Invalid \\escape" and "Invalid \\uXXXX escape".
        (
            '{"lever": {"path": "C:\\Users"}}',
            "a backslash \\ in text must be written twice: \\\\",
            (1, 23),
        ),
        (
            '{"lever": {"a": "\\u12"}}',
            "\\u in text must be followed by 4 digits or letters A to F (as in \\u00e9); "
            "a backslash itself is written \\\\",
            (1, 19),
        ),
        # The JSON cut short (copied only in part).
        (
            '{\n  "lever": {"a": 1',
            "the JSON ends too early: a closing brace } or bracket ] is missing, or it was "
            "cut short when copied",
            (2, 19),
        ),
    ],
)
def test_each_syntax_problem_says_what_to_fix_and_where(
    raw: str, words: str, at: tuple[int, int]
) -> None:
    line, column = at
    assert _problem(raw) == f"Not valid JSON: {words} (line {line}, column {column})"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_a_separator_inside_text_counts_as_the_line_break_it_shows_as(separator: str) -> None:
    raw = '{"lever": {"note": "first' + separator + 'second", "b" 1}}'
    assert _problem(raw) == (
        "Not valid JSON: a colon : is missing between a name and its value (line 2, column 14)"
    )
    # A value the parser's hooks refuse, and one too deep, are said where they are too.
    assert _problem('{"lever": {"note": "a' + separator + 'b", "n": NaN}}') == (
        "Not valid JSON: NaN is not allowed in JSON (line 2, column 10)"
    )


def test_the_editor_names_the_line_and_column_it_shows_after_a_pasted_line_separator(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.form.remote_fields.set_expanded(True)
    editor = json_editor(window)
    paste_over(editor, '{"lever": {"note": "Strong\u2028on SQL", "level" 3}}')
    error = window.form.remote_fields.error()
    assert error == (
        "Not valid JSON: a colon : is missing between a name and its value (line 2, column 18)"
    )
    # Line 2, column 18 of the editor's text as it shows it (the separator a line break):
    # where the colon is missing, before the 3.
    shown = editor.document().toPlainText().split("\n")
    assert shown[1][17] == "3"
