"""A change of a few attribute rows checks those rows, not the whole table again.

A pasted spreadsheet block leaves thousands of rows, and each change of one cell (or a row
added, removed, moved) checks the table again: its marks, the form's check and the request.
What each row is on its own is kept for each row (``attribute_rows.KeptForEach``), and what
crosses rows (a key used twice, the rows' numbers, their order on screen) is worked out
again from it. These tests hold that to both halves: the answers after any edits are the
very ones the rows checked from scratch give, and a change of one row costs the same work
with three times the rows.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kombo_desktop.core import attribute_rows, models
from kombo_desktop.core.attribute_rows import (
    AttributeRow,
    KeptForEach,
    find_problems,
    find_row_problems,
    forget_kept,
    hiding_keys,
    row_problems_of,
)
from kombo_desktop.core.connection import NO_HELD_KEYS, HeldKeys
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.models import checked_attributes, details_from_form
from tests.many_rows_support import PASTED_KEY, form_with_rows, python_calls

#: A key the app sends with, in no Kombo shape. Its K is written as a Kelvin sign in one of
#: the keys below: shown (``visible_key``), that key holds it.
HELD_KEY = "Kproxy-token-0123456789"
HELD = HeldKeys.of([HELD_KEY])
#: The key held once another profile is chosen.
OTHER_HELD_KEY = "other-profile-secret-42"
#: What the app may hold as the table is edited: a profile's key, another's, or none.
HOLDINGS = (HELD, HeldKeys.of([OTHER_HELD_KEY]), NO_HELD_KEYS)

#: Keys a person types or pastes: the same key in other capitals, with invisible characters
#: or other spaces, decomposed, blank in several ways, holding a Kombo key or the held one,
#: with a line break, an escape or half a character.
KEYS = (
    "Score",
    "score",
    "SCORE",
    "Sco\u200bre",
    " Score ",
    "Score\u200b",
    "Time spent",
    "TIME\u00a0SPENT",
    "Time  spent",
    "Café",
    "Cafe\u0301",
    "",
    " ",
    "\u200b",
    "\ufeff\u2060",
    "two\nlines",
    "escape\x1b",
    "half \ud83d",
    PASTED_KEY,
    f"key {PASTED_KEY}",
    HELD_KEY,
    "\u212a" + HELD_KEY[1:],
    f"held {HELD_KEY}",
    OTHER_HELD_KEY,
)
#: Values likewise: blank, holding a Kombo key or the held one, with control characters or
#: half a character, or with spaces at their ends.
VALUES = (
    "1",
    "yes",
    "",
    " ",
    "\u200b",
    f"token {PASTED_KEY}",
    HELD_KEY,
    f"the other {OTHER_HELD_KEY}",
    "over\ntwo lines",
    "nul\x00",
    "half \ud83d",
    "  100%  ",
)


def _key(chance: random.Random) -> str:
    """A key from ``KEYS``, or a question of a few, so that some repeat."""
    return chance.choice(KEYS) if chance.random() < 0.3 else f"Question {chance.randrange(8)}"


def _value(chance: random.Random) -> str:
    return chance.choice(VALUES) if chance.random() < 0.3 else f"answer {chance.randrange(50)}"


def _rows(chance: random.Random, count: int) -> list[AttributeRow]:
    return [(_key(chance), _value(chance)) for _ in range(count)]


def _edited(chance: random.Random, rows: list[AttributeRow]) -> list[AttributeRow]:
    """``rows`` after one edit a person makes: a cell typed, rows pasted, removed, moved
    or duplicated, or a table pasted over the whole."""
    rows = list(rows)
    edit = chance.randrange(7)
    if edit == 0 and rows:
        row = chance.randrange(len(rows))
        rows[row] = (_key(chance), rows[row][1])
    elif edit == 1 and rows:
        row = chance.randrange(len(rows))
        rows[row] = (rows[row][0], _value(chance))
    elif edit == 2:
        at = chance.randrange(len(rows) + 1)
        rows[at:at] = _rows(chance, chance.randrange(1, 4))
    elif edit == 3 and rows:
        at = chance.randrange(len(rows))
        del rows[at : at + chance.randrange(1, 4)]
    elif edit == 4 and len(rows) > 1:
        at = chance.randrange(len(rows))
        block = rows[at : at + chance.randrange(1, 3)]
        del rows[at : at + len(block)]
        to = chance.randrange(len(rows) + 1)
        rows[to:to] = block
    elif edit == 5 and rows:
        rows += [rows[chance.randrange(len(rows))]]
    else:
        rows = _rows(chance, chance.randrange(1, 12))
    return rows


@dataclass(frozen=True)
class _Answers:
    """What every check of a table answers, compared whole."""

    problems: dict[int, str]
    row_problems: dict[int, str]
    hidden_row_problems: dict[int, str]
    marks: dict[int, str]
    marks_holding: dict[int, str]
    checked: object
    details: object
    form: object
    holds: bool
    without: tuple[AttributeRow, ...]


def _outcome(check: Callable[[], object]) -> object:
    """What ``check`` gives: its answer, or the errors it refuses with."""
    try:
        return check()
    except InputError as refused:
        return ("refused", refused.errors)


def _form_outcome(rows: tuple[AttributeRow, ...], held: HeldKeys) -> object:
    """What the form's check of a form holding ``rows`` gives: the body it sends, or the
    errors it refuses with."""
    return _outcome(lambda: form_with_rows(rows).to_request(held_keys=held.keys)[1].to_body())


def _answers(rows: tuple[AttributeRow, ...], held: HeldKeys) -> _Answers:
    state = form_with_rows(rows)
    held_keys = held.keys
    sent = tuple(row for row in rows if row[0].strip() or row[1].strip())
    return _Answers(
        problems=find_problems(rows),
        row_problems=find_row_problems(rows),
        hidden_row_problems=find_row_problems(rows, hidden=hiding_keys(held)),
        marks=dict(row_problems_of(rows)),
        marks_holding=dict(row_problems_of(rows, held)),
        checked=checked_attributes(sent),
        details=_outcome(lambda: details_from_form("Acme:", list(rows))),
        form=_form_outcome(rows, held),
        holds=state.holds_held_key(held_keys),
        without=state.without_held_keys(held_keys).attributes,
    )


@pytest.mark.parametrize("seed", range(6))
def test_every_check_after_random_edits_answers_as_the_rows_checked_from_scratch(
    seed: int,
) -> None:
    chance = random.Random(seed)
    rows = _rows(chance, 12)
    seen: list[tuple[tuple[AttributeRow, ...], HeldKeys, _Answers]] = []
    for _ in range(120):
        rows = _edited(chance, rows)
        held = chance.choice(HOLDINGS)
        table = tuple(rows)
        seen.append((table, held, _answers(table, held)))

    for table, held, kept in seen:
        forget_kept()
        assert _answers(table, held) == kept, table


def test_the_tables_marks_after_random_edits_are_those_of_the_rows_from_scratch(qapp) -> None:
    from PySide6.QtCore import Qt

    from kombo_desktop.qt.attributes_model import AttributesModel

    chance = random.Random(7)
    model = AttributesModel(_rows(chance, 15))
    seen: list[tuple[tuple[AttributeRow, ...], HeldKeys, dict[int, str], object]] = []
    for _ in range(150):
        count = model.rowCount()
        edit = chance.randrange(7)
        if edit in (0, 1) and count:
            index = model.index(chance.randrange(count), edit)
            model.setData(
                index, _key(chance) if edit == 0 else _value(chance), Qt.ItemDataRole.EditRole
            )
        elif edit == 2:
            model.insert_rows_at(chance.randrange(count + 1), _rows(chance, chance.randrange(1, 4)))
        elif edit == 3 and count:
            model.remove_rows(chance.sample(range(count), min(count, chance.randrange(1, 4))))
        elif edit == 4 and count:
            model.move_rows(chance.sample(range(count), min(count, 2)), chance.randrange(-3, 4))
        elif edit == 5 and count:
            model.fill_values(chance.randrange(count), [_value(chance) for _ in range(3)])
        else:
            model.set_held_keys(chance.choice(HOLDINGS))
        rows = model.frozen_rows()
        held = model.held_keys()
        seen.append((rows, held, model.problems(), _form_outcome(rows, held)))

    for rows, held, marks, form in seen:
        forget_kept()
        assert dict(row_problems_of(rows, held)) == marks, rows
        forget_kept()
        assert _form_outcome(rows, held) == form, rows


def _calls_for_an_edit(count: int, edit: Callable[[list[AttributeRow]], None]) -> int:
    """The Python calls of the table's marks and the form's check after ``edit`` of a
    table of ``count`` rows, both checked before it (as the window checks each change)."""
    rows = [(f"Question {n + 1}", f"answer number {n + 1}") for n in range(count)]

    def check(table: tuple[AttributeRow, ...]) -> None:
        row_problems_of(table, HELD)
        _outcome(lambda: form_with_rows(table).to_request(held_keys=HELD.keys))

    check(tuple(rows))
    edit(rows)
    edited = tuple(rows)
    return python_calls(lambda: check(edited))


def _value_typed(rows: list[AttributeRow]) -> None:
    rows[len(rows) // 2] = (rows[len(rows) // 2][0], "corrected")


def _key_used_twice(rows: list[AttributeRow]) -> None:
    rows[-1] = ("QUESTION 1", rows[-1][1])


def _value_holding_a_key(rows: list[AttributeRow]) -> None:
    rows[1] = (rows[1][0], f"token {PASTED_KEY}")


def _row_added(rows: list[AttributeRow]) -> None:
    rows.append(("", ""))


def _row_removed(rows: list[AttributeRow]) -> None:
    del rows[len(rows) // 3]


@pytest.mark.parametrize(
    "edit", [_value_typed, _key_used_twice, _value_holding_a_key, _row_added, _row_removed]
)
def test_a_change_of_one_row_costs_the_check_no_more_with_three_times_the_rows(
    edit: Callable[[list[AttributeRow]], None],
) -> None:
    _calls_for_an_edit(10, edit)  # what is done once (a pattern compiled) done before
    calls = [_calls_for_an_edit(count, edit) for count in (1000, 3000)]
    with_fewer, with_more = calls

    # Before, every row's texts were read again and each row checked by pydantic anew:
    # thousands of calls more for the 2,000 rows more.
    assert with_more <= with_fewer + 50, calls


def test_a_row_is_checked_once_however_many_tables_and_checks_ask() -> None:
    computed: list[int] = []

    def double(number: int) -> int:
        computed.append(number)
        return 2 * number

    kept = KeptForEach(double)
    assert kept.each((1, 2, 3)) == (2, 4, 6)
    assert kept.each((3, 4, 1)) == (6, 8, 2)
    assert kept(2) == 4
    assert computed == [1, 2, 3, 4]


def test_what_is_kept_stays_within_a_few_times_the_last_table() -> None:
    kept = KeptForEach(str)
    for first in range(0, 200_000, 5_000):
        kept.each(tuple(range(first, first + 5_000)))
    # Forty tables of 5,000 rows each, never the same row twice: those of the last few.
    assert len(kept) <= 4 * 5_000
    kept.each(tuple(range(10)))
    for first in range(0, 50_000, 10):
        kept.each(tuple(range(first, first + 10)))
    assert len(kept) <= 2 * KeptForEach.LEAST_ROOM


def test_a_large_table_replaced_by_a_small_one_is_let_go_at_once() -> None:
    # A pasted block, then a draft of three rows: the block's rows (and the texts they hold,
    # a key pasted among them) went only once a thousand new rows had been typed.
    kept = KeptForEach(str)
    kept.each(tuple(range(20_000)))
    assert kept.each((100_000, 100_001, 100_002)) == ("100000", "100001", "100002")
    assert len(kept) == 3
    assert kept.each((100_000, 100_001, 7)) == ("100000", "100001", "7")
    assert len(kept) <= 4

    pasted = tuple((f"Question {n}", f"token {PASTED_KEY} {n}") for n in range(5_000))
    checked_attributes(pasted)
    row_problems_of(pasted, HELD)
    assert len(attribute_rows.row_facts) >= len(pasted)
    small = (("Score", "1"), ("Time", "2"), ("Level", "B2"))
    checked_attributes(small)
    row_problems_of(small, HELD)
    held_facts = attribute_rows._held_facts
    assert held_facts is not None
    for kept_rows in (attribute_rows.row_facts, models._row_checked, held_facts[1]):
        assert len(kept_rows) <= len(small), kept_rows


def test_checks_on_two_threads_at_once_each_get_their_rows_answers() -> None:
    kept: KeptForEach[AttributeRow, str] = KeptForEach(lambda row: row[0] + "=" + row[1])
    kept.LEAST_ROOM = 4  # generations passed on all the time, mid-table too
    wrong: list[object] = []

    def check(thread: int) -> None:
        chance = random.Random(thread)
        for _ in range(300):
            table = tuple((f"k{chance.randrange(40)}", f"v{thread}") for _ in range(30))
            if kept.each(table) != tuple(key + "=" + value for key, value in table):
                wrong.append(table)

    threads = [threading.Thread(target=check, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_a_row_changed_back_is_marked_as_before() -> None:
    rows = [("Score", "1"), ("score", "2"), ("", "x"), ("Time", "")]
    before = find_row_problems(rows)
    rows[1] = ("Other", "2")
    assert find_row_problems(rows) == {2: "Key is empty", 3: "Value is empty"}
    rows[1] = ("score", "2")
    assert (
        find_row_problems(rows)
        == before
        == {
            1: "Duplicate key “score” (“Score” in other capitals)",
            2: "Key is empty",
            3: "Value is empty",
        }
    )
    assert checked_attributes(rows).errors == (
        FieldError("attributes[1].key", "Duplicate key “score” (“Score” in other capitals)"),
        FieldError("attributes[2].key", "Key is empty"),
    )


def test_rows_given_as_lists_are_checked_as_tuples_are() -> None:
    # Rows read from JSON come as lists: what is kept for each row is looked up by the row,
    # and a list cannot be (a TypeError where the rows were checked before).
    as_lists = json.loads('[["Score", "100%"], ["score", "B2"], ["", "x"], ["Time", ""]]')
    as_tuples = [tuple(row) for row in as_lists]
    assert find_problems(as_lists) == find_problems(as_tuples)
    assert find_row_problems(as_lists) == find_row_problems(as_tuples)
    assert checked_attributes(as_lists) == checked_attributes(as_tuples)
    details = details_from_form("Acme:", json.loads('[["Score", "100%"], ["Level", "B2"]]'))
    assert details is not None
    assert [(a.key, a.value) for a in details.attributes] == [("Score", "100%"), ("Level", "B2")]
