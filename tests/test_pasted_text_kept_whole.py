"""What is pasted reaches Kombo as it was, or is refused at its field, never changed without
a word: text past a line edit's usual 32767 characters, a subdivision's flag (its tag
characters), a spreadsheet's quoted label in a ``label<TAB>url`` row, and control
characters in an attribute's name, its value or the prefix."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.attribute_rows import find_problems
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.paste import split_label_and_url
from kombo_desktop.core.text import has_control_characters
from kombo_desktop.qt.attributes_model import VALUE_COLUMN
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    line_edit,
    paste_attributes,
    paste_into,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import open_cell_editor, shown_attributes_editor

#: The flags of Scotland and Wales: a black flag, then tag characters naming the country.
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
WALES = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"


def test_long_pasted_fields_are_sent_whole(
    qtbot: QtBot, ready_window: MainWindow, fresh_sandbox: Sandbox, clipboard
) -> None:
    window = ready_window
    # A signed result URL carrying its state, and a label and prefix as long.
    url = "https://example.com/report?state=" + "A" * 40_000 + "&sig=END"
    label = "Assessment " + "L" * 33_000
    prefix = "Acme " + "P" * 33_000 + ":"
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), attributes="Score\t100%\n")
    for name, text in (("Result URL", url), ("Label", label), ("Custom field name prefix", prefix)):
        line_edit(window, name).clear()
        paste_into(qtbot, window, name, clipboard, text)
    submit_and_wait(qtbot, window)
    sent = posts(fresh_sandbox)[-1].json()
    # Before: each was cut at 32767 characters, passed every check, and was sent so.
    assert sent["url"] == url
    assert sent["label"] == label
    assert sent["details"]["custom_field_name_prefix"] == prefix


def test_a_subdivisions_flag_is_sent_as_typed() -> None:
    form = FormState(
        target_id="abc",
        label="Coding test",
        url="https://example.com/r/1",
        prefix="Fans:",
        attributes=((f"Team {SCOTLAND}", f"Go {SCOTLAND}"), (f"Team {WALES}", "Yes")),
    )
    _target, request = form.to_request()
    details = request.to_body()["details"]
    # Before: the tag characters went as invisible ones ("Go 🏴", a plain black flag), and
    # the two keys, each left a black flag, were marked as one key used twice.
    assert details["attributes"] == [
        {"key": f"Team {SCOTLAND}", "value": f"Go {SCOTLAND}"},
        {"key": f"Team {WALES}", "value": "Yes"},
    ]
    assert find_problems([(f"Team {SCOTLAND}", "1"), (f"Team {WALES}", "2")]) == {}
    # Tag characters after anything but the black flag show as nothing (a copy from a web
    # page): the two keys look the same, and are one.
    for stray in ("Score \U000e0067", "Score\U000e0078\U000e007f", "\U000e0067Score"):
        assert find_problems([("Score", "1"), (stray, "2")]) == {1: "Duplicate key “Score”"}


@pytest.mark.parametrize(
    ("pasted", "label"),
    [
        # A spreadsheet quotes a cell holding quotes, doubling them.
        ('"Coding test ""Senior"""\thttps://example.com/r/1\n', 'Coding test "Senior"'),
        # A cell holding a tab or a line break is quoted too: the label field then says it
        # must be on one line (it was dropped, or the whole row went into the URL).
        ('"Coding\ttest"\thttps://example.com/r/1', "Coding\ttest"),
        ('"Coding\ntest"\thttps://example.com/r/1', "Coding\ntest"),
    ],
)
def test_a_quoted_label_cell_is_read_as_the_table_reads_it(pasted: str, label: str) -> None:
    assert split_label_and_url(pasted) == (label, "https://example.com/r/1")


def test_a_link_wrapped_over_two_lines_is_still_kept_whole() -> None:
    assert split_label_and_url("https://example.com/r/\n1") == (None, "https://example.com/r/ 1")


@pytest.mark.parametrize(
    ("prefix", "rows", "field", "problem"),
    [
        # A key from a wrapped spreadsheet cell would name a custom field over two lines.
        ("Acme:", (("Time\nspent", "1h"),), "attributes[0].key", "must be on one line"),
        ("Acme:", (("Sc\x1bore", "1"),), "attributes[0].key", "contains a control character"),
        ("Acme:", (("Score", "A\x00B"),), "attributes[0].value", "contains a control character"),
        ("Ac\x00me:", (("Score", "1"),), "custom_field_name_prefix", "contains a control"),
    ],
)
def test_control_characters_are_refused_at_their_field(
    prefix: str, rows: tuple[tuple[str, str], ...], field: str, problem: str
) -> None:
    form = FormState(
        target_id="abc", label="L", url="https://example.com/r/1", prefix=prefix, attributes=rows
    )
    with pytest.raises(InputError) as caught:
        form.to_request()
    # Before: each was sent, the NUL as \u0000 and the line break inside the field's name.
    assert [(error.field, error.message.startswith(problem)) for error in caught.value.errors] == [
        (field, True)
    ]


def test_a_value_may_run_over_lines(qtbot: QtBot, ready_window: MainWindow, fresh_sandbox: Sandbox):
    window = ready_window
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    paste_attributes(qtbot, window, 'Comment\t"Solid work.\n\tClear code."\n')
    submit_and_wait(qtbot, window)
    attributes = posts(fresh_sandbox)[-1].json()["details"]["attributes"]
    assert attributes == [{"key": "Comment", "value": "Solid work.\n\tClear code."}]


def test_a_key_pasted_over_two_lines_is_marked_in_the_table(
    qtbot: QtBot, ready_window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    window = ready_window
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:")
    paste_attributes(qtbot, window, '"Time\nspent"\t1h\n')
    qtbot.waitUntil(lambda: not button(window, "Submit").isEnabled())
    assert any("must be on one line" in problem for problem in window.form.problems())
    assert "must be on one line" in button(window, "Submit").toolTip()
    assert posts(fresh_sandbox) == []


def test_control_characters_are_unicodes_own() -> None:
    # Found with a pattern (a megabyte label is checked at every key): exactly the
    # characters Unicode calls control characters, no more, no fewer.
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        is_control = unicodedata.category(character) == "Cc"
        assert has_control_characters(f"a{character}b") is is_control, hex(code)


# --------------------------------------------------------------------------------------
# Text past a line edit's usual 32767 characters is kept whole where it is pasted: in the
# Target ID (a pasted ID that long is one the checks must see as it is, not one cut short
# without a word) and in a cell of the attributes table (a long report pasted there).

#: Past the 32767 characters a line edit holds unless told otherwise.
LONG = 40_000


def test_a_long_target_id_pasted_is_kept_whole(
    qtbot: QtBot, ready_window: MainWindow, clipboard: QClipboard
) -> None:
    text = "T" * LONG
    field = paste_into(qtbot, ready_window, "Target ID", clipboard, text)
    # Before: cut at 32767 characters, and the cut ID was what the checks saw.
    assert field.text() == text


def test_a_long_report_pasted_in_a_cell_is_kept_whole(qtbot: QtBot, clipboard: QClipboard) -> None:
    editor = shown_attributes_editor(qtbot)
    editor.model.set_rows([("Report", "")])
    cell = open_cell_editor(qtbot, editor, 0, VALUE_COLUMN)
    text = "R" * LONG
    clipboard.setText(text)
    QTest.keyClick(cell, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    # Before: the cell's editor cut it at 32767 characters, and the next key put the cut
    # text into the table.
    assert cell.text() == text
