"""The rules for the attribute rows a person types: which are sent, which are wrong.

The form's table marks problems as they are typed and the request is refused for
the same ones, so both take them from here.

A table can hold thousands of rows (a spreadsheet block pasted), and the form is checked
again at every key typed in any field: what depends on the rows alone is worked out once
for the rows as they are (``KeptForLast``), not again at each key.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Generic, TypeVar

from kombo_desktop.core.connection import NO_HELD_KEYS, HeldKeys, contains_api_key
from kombo_desktop.core.text import as_compared, spaced_as_seen, strip_edges

#: One attribute row as typed: (key, value), either may be blank.
AttributeRow = tuple[str, str]

#: Said of a row with a value but no key.
KEY_IS_EMPTY = "Key is empty"
#: How the problem of a key used twice starts, the key named after it in quotes
#: (``Duplicate key “Score”``), as the form's table says it.
DUPLICATE_KEY = "Duplicate key"
#: The same start where a key is called an attribute's name: on the command line
#: (``--attr``), beside an API key, "key" would read as the API key.
DUPLICATE_ATTRIBUTE_NAME = "Duplicate attribute name"
#: Said of a row with a key but no value: the one problem that is at the value, and that
#: is filled in rather than corrected.
VALUE_IS_EMPTY = "Value is empty"


def is_blank(text: str) -> bool:
    """True when a key or value shows nothing: empty, or only spaces and invisible
    characters (a zero-width space, a word joiner, a byte-order mark, a no-break space, in
    any mix), as a cell copied from a chat or a web page may hold."""
    return not strip_edges(text)


def is_blank_row(row: AttributeRow) -> bool:
    """True for a row with neither key nor value (``is_blank``): it is left out, never an
    error."""
    return is_blank(row[0]) and is_blank(row[1])


def visible_key(key: str) -> str:
    """``key`` as a person sees it, and so as it is sent and named in messages: without
    what is invisible at its ends, in one Unicode form; empty for a blank key.

    ``Score`` with a zero-width space copied after it is sent as ``Score``: the ATS would
    otherwise get a second custom field that nobody can tell from the first.
    """
    return unicodedata.normalize("NFC", strip_edges(key))


def same_key(key: str) -> str:
    """What two keys share when they are the same key: ``visible_key`` without the
    invisible characters inside it either, each run of whitespace as one space, capitals
    aside.

    An attribute becomes a custom field of the ATS, and many ATSs do not tell ``Score``
    from ``score``: two such rows would write one field twice, or be refused there. Two
    keys that look alike (``Café`` typed and ``Café`` pasted in decomposed form, ``Score``
    with a zero-width space copied after or inside it, ``Time spent`` with a no-break
    space or two spaces from a web page) are one key to the person reading them. Only
    the comparison folds them: a key is sent as ``visible_key`` shows it.
    """
    return as_compared(key)


def find_problems(
    rows: Sequence[AttributeRow], *, hidden: Callable[[str], bool] = contains_api_key
) -> dict[int, str]:
    """Row number → what is wrong with its key; rows without such a problem are absent.

    Keys are compared as ``same_key`` says, and named as ``visible_key`` shows them. Every
    row after the first with the same key is marked (naming the first's spelling when
    its capitals differ, not when only spaces or invisible characters do: those keys
    look the same; a key that ``hidden`` finds an API key in, a Kombo key unless told
    otherwise (``hiding_keys``), is never named: ``Duplicate key (an API key)``), and so
    is a row with a value but a blank key (``is_blank``: a key of invisible characters
    alone is no key either). Blank rows are not marked. The request models refuse these,
    at the key; what a person typed is checked with ``find_row_problems``, which adds the
    values left blank.
    """
    problems: dict[int, str] = {}
    first_key_of: dict[str, str] = {}
    for row, (key, value) in enumerate(rows):
        name = visible_key(key)
        if not name:
            if not is_blank(value):
                problems[row] = KEY_IS_EMPTY
            continue
        compared = same_key(name)
        first = first_key_of.get(compared)
        if first is None:
            first_key_of[compared] = name
            continue
        if hidden(first) or hidden(name):
            # Shown on screen (the table, Submit, the preview, the status bar): the key
            # would be there in clear.
            problems[row] = f"{DUPLICATE_KEY} (an API key)"
            continue
        problems[row] = f"{DUPLICATE_KEY} “{name}”"
        if spaced_as_seen(first) != spaced_as_seen(name):
            problems[row] += f" (“{first}” in other capitals)"
    return problems


def find_row_problems(
    rows: Sequence[AttributeRow], *, hidden: Callable[[str], bool] = contains_api_key
) -> dict[int, str]:
    """Row number → what is wrong with it, as the form's table marks it and the form (and
    the command line) refuses it; rows without a problem are absent.

    The key's problem (``find_problems``, a key that ``hidden`` finds an API key in never
    named), or for a row with a key but a blank value, ``VALUE_IS_EMPTY``
    (``is_value_problem``): sent, it would write an empty field into the candidate's
    record, as when "Next candidate" kept the keys and nobody typed the values. A row's
    key problem is named before its value's. Blank rows are not marked.
    """
    problems = find_problems(rows, hidden=hidden)
    for row, (key, value) in enumerate(rows):
        if row not in problems and not is_blank(key) and is_blank(value):
            problems[row] = VALUE_IS_EMPTY
    return problems


def hiding_keys(held: HeldKeys) -> Callable[[str], bool]:
    """What a mark must not name, as ``find_problems``'s ``hidden``: a text holding a Kombo
    key, or one of ``held`` (the key the app sends with, whatever its shape)."""
    return held.any_key_in if held else contains_api_key


def is_value_problem(problem: str) -> bool:
    """True when ``problem`` (from ``find_row_problems``) is at the row's value, not its
    key: the value is to be filled in."""
    return problem == VALUE_IS_EMPTY


_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class KeptForLast(Generic[_Key, _Value]):
    """``compute``'s answer for the key given last, given again for the same key without
    computing it again: a function of the rows (or of a tuple holding them) called at
    every key typed in the form, while the rows change only when the table is edited.

    The key must be immutable (tuples of text): it is compared as a value, so an answer
    can never outlive what it was computed from. The very tuple given last (the table's
    rows, unchanged since) is known at once, without comparing thousands of rows; the
    answer is shared by every caller, so it must be immutable too. One key is kept: the
    table as it is now. Safe to share between threads: at worst two compute the same.
    """

    def __init__(self, compute: Callable[[_Key], _Value]) -> None:
        self._compute = compute
        self._last: tuple[_Key, _Value] | None = None
        functools.update_wrapper(self, compute)

    def __call__(self, key: _Key) -> _Value:
        """``compute(key)``, computed again only when ``key`` is not the one given last."""
        last = self._last  # read once: another thread may replace it meanwhile
        if last is not None and (last[0] is key or last[0] == key):
            return last[1]
        value = self._compute(key)
        self._last = (key, value)
        return value


def row_problems_of(
    rows: tuple[AttributeRow, ...], held: HeldKeys = NO_HELD_KEYS
) -> Mapping[int, str]:
    """``find_row_problems`` of ``rows``, read only, a key holding one of ``held`` never
    named (``hiding_keys``): the table marks them and the form's check refuses them, both
    from the one answer while the rows and the held keys stay as they are."""
    if not held:
        return _row_problems(rows)
    return _row_problems_holding((rows, held))


@KeptForLast
def _row_problems(rows: tuple[AttributeRow, ...]) -> Mapping[int, str]:
    """``row_problems_of`` with no key held: the answer the others start from."""
    return MappingProxyType(find_row_problems(rows))


@KeptForLast
def _row_problems_holding(
    rows_and_held: tuple[tuple[AttributeRow, ...], HeldKeys],
) -> Mapping[int, str]:
    """``row_problems_of`` with keys held. The held key changes with each key typed in the
    connection's bar, while the table holds it in no key at all: those marks are the ones
    without keys held, not worked out again for thousands of rows."""
    rows, held = rows_and_held
    # A key is named as ``visible_key`` shows it, which may hold a key the text typed does
    # not (a Kelvin sign shown as a K): read that way too when not plain ASCII.
    if not any(
        held.found_in(key) or (not key.isascii() and held.found_in(visible_key(key)))
        for key, _value in rows
    ):
        return _row_problems(rows)
    return MappingProxyType(find_row_problems(rows, hidden=hiding_keys(held)))
