"""The attributes table model (qt/attributes_model.py)."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from kombo_desktop.core.attribute_rows import find_problems
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN, AttributesModel

pytestmark = pytest.mark.usefixtures("qapp")


def _model(rows: list[tuple[str, str]]) -> AttributesModel:
    return AttributesModel(rows)


def _state(model: AttributesModel) -> FormState:
    """A complete form holding the model's rows as shown."""
    return FormState(
        target_id="c",
        label="L",
        url="https://example.com",
        prefix="Acme:",
        attributes=tuple(model.rows()),
    )


def _set(model: AttributesModel, row: int, column: int, text: str) -> None:
    assert model.setData(model.index(row, column), text, Qt.ItemDataRole.EditRole)


def test_passes_qts_model_consistency_checks(qtmodeltester) -> None:
    model = _model([("Score", "1"), ("Score", "2"), ("", "x")])
    qtmodeltester.check(model, force_py=True)
    model.insert_rows_at(1, [("a", "b"), ("c", "d")])
    model.move_rows([0], 3)
    model.move_rows([0, 2, 3], 1)
    model.move_rows([1, 2, 4], -1)
    model.duplicate_rows([0, 2])
    model.remove_rows([1, 2, 4])
    model.fill_values(0, [""] * model.rowCount())
    model.append_empty_row()
    model.set_rows([("x", "y")])


def test_headers_and_editable_cells() -> None:
    model = _model([("Score", "100%")])
    assert model.columnCount() == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Key"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Value"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert model.flags(model.index(0, VALUE_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    assert model.data(model.index(0, KEY_COLUMN), Qt.ItemDataRole.EditRole) == "Score"


def test_rows_keep_empty_rows_and_only_filled_rows_are_sent() -> None:
    model = _model([("Score", " 100% "), ("", ""), ("  ", " "), ("Notes", "ok")])
    assert model.rows() == [("Score", " 100% "), ("", ""), ("  ", " "), ("Notes", "ok")]
    # The form hands the rows on as shown; blank ones are left out of the request, and
    # spaces at a value's ends, as at a key's (and as `send --attr` trims them). Before:
    # " 100% " sent as typed, "100%" from the command line.
    _target, request = _state(model).to_request()
    assert request.to_body()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Notes", "value": "ok"},
    ]


def test_duplicate_key_after_trimming_is_marked_on_the_later_row() -> None:
    model = _model([("Score", "1"), ("Time", "2"), (" Score ", "3"), ("score", "4")])
    # Capitals aside too: many ATSs would not tell the custom fields "Score" and "score"
    # apart, so the second would overwrite the first or be refused there.
    assert model.problems() == {
        2: "Duplicate key “Score”",
        3: "Duplicate key “score” (“Score” in other capitals)",
    }
    tooltip = model.data(model.index(2, VALUE_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "row 1 already uses this key" in tooltip
    tooltip = model.data(model.index(3, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "row 1 already uses this key" in tooltip
    assert model.data(model.index(0, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole) is None
    # The rule is the one the request check applies: it refuses the same rows.
    with pytest.raises(InputError) as caught:
        _state(model).to_request()
    assert caught.value.fields == ("attributes[2].key", "attributes[3].key")


def test_value_without_key_is_marked_but_an_empty_row_is_not() -> None:
    model = _model([("", "100%"), ("", ""), ("Score", "")])
    # A key without a value is marked too: sent, it would write an empty field.
    assert model.problems() == {0: "Key is empty", 2: "Value is empty"}


def test_marked_rows_have_highlight_and_warning_icon_on_the_key_cell() -> None:
    model = _model([("Score", "1"), ("Score", "2")])
    key, value = model.index(1, KEY_COLUMN), model.index(1, VALUE_COLUMN)
    assert isinstance(model.data(key, Qt.ItemDataRole.BackgroundRole), QColor)
    assert isinstance(model.data(value, Qt.ItemDataRole.BackgroundRole), QColor)
    icon = model.data(key, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    assert not icon.isNull()
    assert model.data(value, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(model.index(0, KEY_COLUMN), Qt.ItemDataRole.BackgroundRole) is None


def test_problems_update_live_and_repaint_the_affected_rows(qtbot) -> None:
    model = _model([("Score", "1"), ("Time", "2"), ("Notes", "3")])
    changed_rows: list[int] = []

    def record(top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]) -> None:
        changed_rows.extend(range(top_left.row(), bottom_right.row() + 1))

    model.dataChanged.connect(record)
    with qtbot.waitSignal(model.dataChanged, timeout=1000):
        _set(model, 2, KEY_COLUMN, "Score")
    assert model.problems() == {2: "Duplicate key “Score”"}
    assert 2 in changed_rows

    changed_rows.clear()
    _set(model, 0, KEY_COLUMN, "Overall")  # row 2 is no longer a duplicate
    assert model.problems() == {}
    assert 2 in changed_rows
    assert model.data(model.index(2, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole) is None


def test_insert_append_remove() -> None:
    model = _model([("a", "1"), ("b", "2")])
    model.insert_rows_at(1, [("x", "9"), ("y", "8")])
    assert [k for k, _ in model.rows()] == ["a", "x", "y", "b"]
    model.insert_rows_at(99, [("z", "0")])
    assert model.rows()[-1] == ("z", "0")
    assert model.append_empty_row() == 5
    assert model.rows()[5] == ("", "")
    model.remove_rows([4, 0, 2, 2, 42])
    assert [k for k, _ in model.rows()] == ["x", "b", ""]


def test_duplicate_rows_go_after_the_last_selected_row() -> None:
    model = _model([("a", "1"), ("b", "2"), ("c", "3")])
    assert model.duplicate_rows([0, 1]) == [2, 3]
    assert model.rows() == [("a", "1"), ("b", "2"), ("a", "1"), ("b", "2"), ("c", "3")]
    assert model.problems() == {2: "Duplicate key “a”", 3: "Duplicate key “b”"}


def test_move_row_up_down_and_clamped() -> None:
    model = _model([("a", "1"), ("b", "2"), ("c", "3")])
    assert model.move_rows([0], 1) == [1]
    assert [k for k, _ in model.rows()] == ["b", "a", "c"]
    assert model.move_rows([2], -2) == [0]
    assert [k for k, _ in model.rows()] == ["c", "b", "a"]
    assert model.move_rows([2], 5) == [2]
    assert model.move_rows([0], -1) == [0]
    assert [k for k, _ in model.rows()] == ["c", "b", "a"]


def test_move_rows_moves_a_contiguous_block_together() -> None:
    model = _model([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
    assert model.move_rows([2, 3], -1) == [1, 2]
    assert [k for k, _ in model.rows()] == ["A", "C", "D", "B"]
    assert model.move_rows([1, 2], 1) == [2, 3]
    assert [k for k, _ in model.rows()] == ["A", "B", "C", "D"]


def test_move_rows_keeps_the_gaps_of_a_scattered_selection() -> None:
    model = _model([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4"), ("E", "5")])
    assert model.move_rows([3, 1], -1) == [0, 2]
    assert [k for k, _ in model.rows()] == ["B", "A", "D", "C", "E"]
    assert model.move_rows([0, 2], 2) == [2, 4]
    assert [k for k, _ in model.rows()] == ["A", "C", "B", "E", "D"]


def test_a_scattered_move_keeps_marks_and_followed_rows_on_their_rows() -> None:
    # Moved in one change of the layout: the marks are found again for the new order, and
    # what follows a row (the selection, an open editor) follows it.
    model = _model([("A", "1"), ("B", "2"), ("A", "3"), ("C", "4"), ("D", "5")])
    assert model.problems() == {2: "Duplicate key “A”"}
    followed = QPersistentModelIndex(model.index(2, VALUE_COLUMN))
    assert model.move_rows([0, 2, 4], -1) == [0, 2, 4]  # row 0 at the top: none moves
    assert model.move_rows([0, 2], 1) == [1, 3]
    assert model.rows() == [("B", "2"), ("A", "1"), ("C", "4"), ("A", "3"), ("D", "5")]
    assert model.problems() == {3: "Duplicate key “A”"}
    assert (followed.row(), followed.data()) == (3, "3")


def test_move_rows_stops_when_the_block_reaches_an_edge() -> None:
    model = _model([("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
    moves: list[object] = []
    model.rowsMoved.connect(lambda *args: moves.append(args))
    # One of the rows is at the edge already: none of them moves, not even the others.
    assert model.move_rows([0, 2], -1) == [0, 2]
    assert model.move_rows([1, 3], 1) == [1, 3]
    assert moves == []
    # A step past the edge is shortened so the whole block stays in the table.
    assert model.move_rows([1, 2], 5) == [2, 3]
    assert [k for k, _ in model.rows()] == ["A", "D", "B", "C"]
    assert model.move_rows([7, -1], 1) == []


def test_move_rows_carries_problem_marks_with_the_rows() -> None:
    model = _model([("Score", "1"), ("Time", "2"), ("Score", "3"), ("Note", "4")])
    assert model.problems() == {2: "Duplicate key “Score”"}
    model.move_rows([2, 3], -2)
    assert [k for k, _ in model.rows()] == ["Score", "Note", "Score", "Time"]
    # The later of the two is the one at fault, whichever it is after the move.
    assert model.problems() == {2: "Duplicate key “Score”"}
    assert model.data(model.index(2, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole) is not None


def test_keys_waiting_for_the_next_candidates_values_are_marked_and_an_empty_row_not() -> None:
    # The rows as "Next candidate" leaves them (``FormState.for_next_candidate``).
    model = _model([("Score", ""), ("Time", ""), ("", "")])
    # The kept keys wait for the next candidate's values; the row cleared is no problem.
    assert model.problems() == {0: "Value is empty", 1: "Value is empty"}


def test_keys_that_look_the_same_in_other_unicode_forms_are_one_key() -> None:
    composed = "Café"
    decomposed = unicodedata.normalize("NFD", composed)  # as some systems paste it
    assert composed != decomposed
    problems = find_problems([(composed, "1"), (decomposed, "2")])
    assert 1 in problems


def test_a_key_with_an_invisible_character_at_its_end_is_the_same_key() -> None:
    # Copied from a chat: a zero-width space nobody sees after the key.
    problems = find_problems([("Score", "1"), ("Score\u200b", "2")])
    assert 1 in problems
