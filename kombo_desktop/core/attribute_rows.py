"""The rules for the attribute rows a person types: which are sent, which are wrong.

The form's table marks problems as they are typed and the request is refused for
the same ones, so both take them from here.

A table can hold thousands of rows (a spreadsheet block pasted), and the form is checked
again at every key typed in any field: what depends on the rows alone is worked out once
for the rows as they are (``KeptForLast``), not again at each key. A change of the table
(one cell typed, a row added) leaves all its rows but a few as they were: what each row is
on its own (``RowFacts``, ``HeldFacts``) is kept for each row (``KeptForEach``), and only
what crosses rows (a key used twice, the rows' numbers) is worked out again from it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Generic, NamedTuple, Protocol, TypeVar, cast

from kombo_desktop.core.connection import NO_HELD_KEYS, HeldKeys, contains_api_key
from kombo_desktop.core.text import as_compared, half_character, spaced_as_seen, strip_edges

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
    return _key_problems(facts_of_rows(rows), hidden)


def _key_problems(facts: Sequence[RowFacts], hidden: Callable[[str], bool]) -> dict[int, str]:
    """``find_problems`` of the rows whose ``RowFacts`` are ``facts``, in order."""
    compared: list[str | None] = list(map(operator.attrgetter("compared"), facts))
    count = len(compared)
    # The first row of each key, blank keys (``None``) together: read from the last row
    # up, an earlier row of a key writes over a later one.
    first_row = dict(zip(reversed(compared), range(count - 1, -1, -1), strict=True))
    # Only a row after the first of its key, or a blank key's, can be wrong: found at C's
    # pace, then read one by one, a few among thousands.
    at_issue: list[int] = []
    if len(first_row) < count:  # else every key is another, none of them blank
        at_issue = list(
            itertools.compress(
                range(count), map(operator.ne, map(first_row.__getitem__, compared), range(count))
            )
        )
    if None in first_row:
        bisect.insort(at_issue, first_row[None])
    problems: dict[int, str] = {}
    for row in at_issue:
        name, compared_key, value_blank, *_rest = facts[row]
        if compared_key is None:
            if not value_blank:
                problems[row] = KEY_IS_EMPTY
            continue
        first = facts[first_row[compared_key]].name
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
    facts = facts_of_rows(rows)
    problems = _key_problems(facts, hidden)
    for row in rows_where(facts, "value_blank"):
        if facts[row].name and row not in problems:
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


class _Forgettable(Protocol):
    def clear(self) -> None: ...


#: Every ``KeptForLast`` and ``KeptForEach`` made, for ``forget_kept``; one no longer used
#: (the ``HeldFacts`` of a key no longer held) is left out.
_everything_kept: weakref.WeakSet[_Forgettable] = weakref.WeakSet()


class KeptForLast(Generic[_Key, _Value]):
    """``compute``'s answer for the keys given last, given again for the same key without
    computing it again: a function of the rows (or of a tuple holding them) called at
    every key typed in the form, while the rows change only when the table is edited.

    The key must be immutable (tuples of text): it is compared as a value, so an answer
    can never outlive what it was computed from. The very tuple given lately (the table's
    rows, unchanged since) is known at once, without comparing thousands of rows; the
    answer is shared by every caller, so it must be immutable too. Two keys are kept
    (``KEPT``): the table as it is now, and the rows of it sent (its blank rows left out),
    which the table's marks and the form's check ask in turn. Safe to share between
    threads: at worst two compute the same.
    """

    KEPT = 2

    def __init__(self, compute: Callable[[_Key], _Value]) -> None:
        self._compute = compute
        self._kept: tuple[tuple[_Key, _Value], ...] = ()
        functools.update_wrapper(self, compute)
        _everything_kept.add(self)

    def __call__(self, key: _Key) -> _Value:
        """``compute(key)``, computed again only when ``key`` is not one given lately."""
        kept = self._kept  # read once: another thread may replace it meanwhile
        for known, value in kept:
            if known is key:
                return value
        for at, (known, value) in enumerate(kept):
            if known == key:
                # Kept as given now: the caller's very rows, asked again at its next key,
                # are then known without comparing thousands of rows.
                self._kept = ((key, value), *kept[:at], *kept[at + 1 :])
                return value
        value = self._compute(key)
        self._kept = ((key, value), *kept[: self.KEPT - 1])
        return value

    def clear(self) -> None:
        """Forget the answers kept: the next ones are computed anew."""
        self._kept = ()


class KeptForEach(Generic[_Key, _Value]):
    """``compute``'s answer for each key, given again for a key asked lately without
    computing it again: a function of one row asked for every row of a table at each change
    of the table, while a change (a cell typed, a row added or moved) leaves all rows but a
    few as they were.

    Bounded, so that table after table never piles up: answers are kept in two
    generations, the newer receiving each answer asked, and when it holds ``room`` of them
    it becomes the older and the older one is dropped. ``each`` makes room for the keys it
    is given (a few times as many answers), so that a whole table stays kept while it is
    edited, however large, and what no table asks any more is dropped soon after. The
    keys must be immutable (tuples of text), compared as values, and so must the answers,
    which every caller shares; an answer is never ``None``. Safe to share between
    threads: a generation is never emptied, only replaced, and an answer is only ever the
    one of its key, so a race at worst computes one twice.
    """

    #: The room kept at least, however small the tables: a few rows typed in one table and
    #: another need not push each other out.
    LEAST_ROOM = 1024
    #: How many tuples of keys ``each`` knows again at once: a table's rows, and those of
    #: them sent.
    RECENT_TABLES = 2

    def __init__(self, compute: Callable[[_Key], _Value]) -> None:
        self._compute = compute
        self._newer: dict[_Key, _Value] = {}
        self._older: dict[_Key, _Value] = {}
        self._room = self.LEAST_ROOM
        self._recent: tuple[tuple[Sequence[_Key], tuple[_Value, ...]], ...] = ()
        functools.update_wrapper(self, compute)
        _everything_kept.add(self)

    def __call__(self, key: _Key) -> _Value:
        """``compute(key)``, computed again only when it is not kept."""
        newer = self._newer  # read once: another thread may replace it meanwhile
        try:
            return newer[key]
        except KeyError:
            pass
        try:
            value = self._older[key]
        except KeyError:
            value = self._compute(key)
        newer[key] = value
        if len(newer) >= self._room:
            self._older, self._newer = newer, {}
        return value

    def each(self, keys: Sequence[_Key]) -> Sequence[_Value]:
        """``compute`` of each of ``keys`` (a table's rows), in order, each computed again
        only when it is not kept: room is made to keep them all. Read only: for the very
        tuple of keys given lately (the table's rows, unchanged since), the same answers
        are given to every caller."""
        # Twice the keys: a generation passed on halfway through a table still holds its
        # first half, and the next one takes the rest.
        self._room = max(self.LEAST_ROOM, 2 * len(keys))
        if not isinstance(keys, tuple):
            answers = self._looked_up(keys)
        else:
            recent = self._recent  # read once: another thread may replace it meanwhile
            for known, values in recent:
                if known is keys:
                    # Several checks of one change read the same rows: known at once.
                    return values
            answers = self._looked_up(keys) if not recent else self._as_changed(keys, *recent[0])
            self._recent = ((keys, answers), *recent[: self.RECENT_TABLES - 1])
        if len(self._newer) + len(self._older) > 2 * self._room:
            # A larger table was asked before (a pasted block, then a draft of a few rows):
            # its answers, and the texts they were made of, go now, not once as many new
            # rows as the room holds have been typed; the rows of this one stay.
            self._older, self._newer = {}, dict(zip(keys, answers, strict=True))
        return answers

    def _as_changed(
        self, keys: tuple[_Key, ...], known: Sequence[_Key], answers: tuple[_Value, ...]
    ) -> tuple[_Value, ...]:
        """The answers of ``keys`` taken from ``answers``, those of the tuple ``known``,
        where both begin and end with the very same keys: a table changed in one place
        (a cell typed, rows added or removed) holds its other rows as they were, and only
        the keys between are looked up."""
        most = min(len(keys), len(known))
        first = _same_run(keys, known, most)
        last = _same_run(reversed(keys), reversed(known), most - first)
        between = self._looked_up(keys[first : len(keys) - last])
        return (*answers[:first], *between, *answers[len(answers) - last :])

    def _looked_up(self, keys: Sequence[_Key]) -> tuple[_Value, ...]:
        """``compute`` of each of ``keys``, looked up where kept."""
        # At C's pace; an answer is never None, so None is one not kept.
        found = list(map(self._newer.get, keys))
        for index in itertools.compress(
            range(len(found)), map(operator.is_, found, itertools.repeat(None))
        ):
            found[index] = self(keys[index])
        return tuple(cast("list[_Value]", found))

    def clear(self) -> None:
        """Forget every answer: the next ones are computed anew."""
        self._older, self._newer, self._recent = {}, {}, ()

    def __len__(self) -> int:
        """How many answers are kept (one kept in both generations counted twice)."""
        return len(self._newer) + len(self._older)


def _same_run(ours: Iterable[object], theirs: Iterable[object], most: int) -> int:
    """How many of the first of ``ours`` are the very objects of ``theirs`` at the same
    places, at most ``most``: counted at C's pace."""
    differs = map(operator.is_not, ours, theirs)
    return min(most, next(itertools.compress(itertools.count(), differs), most))


class RowFacts(NamedTuple):
    """What one attribute row is on its own, whatever the rows around it
    (``facts_of_rows``): what every check of the rows reads of each."""

    #: The key as shown and sent (``visible_key``), empty for a blank key.
    name: str
    #: The key as compared with the others (``same_key``), ``None`` for a blank key.
    compared: str | None
    #: Whether the value shows nothing (``is_blank``).
    value_blank: bool
    #: Whether the row shows nothing, neither key nor value (``is_blank_row``).
    blank: bool
    #: Whether the key, as typed, holds a Kombo key (``contains_api_key``).
    key_holds_api_key: bool
    #: Whether the value, as typed, holds a Kombo key (``contains_api_key``).
    value_holds_api_key: bool
    #: The first half character of the key as typed, as ``half_character`` writes it.
    key_half: str | None
    #: The first half character of the value as typed, as ``half_character`` writes it.
    value_half: str | None
    #: Whether the key or the value holds a Kombo key, or a half character.
    holds_api_key: bool
    holds_half: bool
    #: Whether the row holds any of the above that a valid row does not (a value blank, a
    #: key or a half character): few rows do, and those are found once among thousands
    #: (``rows_where``).
    noted: bool


@KeptForEach
def row_facts(row: AttributeRow) -> RowFacts:
    """The ``RowFacts`` of ``row``, kept for the rows of the tables checked lately."""
    key, value = row
    name = visible_key(key)
    value_blank = is_blank(value)
    key_holds_api_key, value_holds_api_key = contains_api_key(key), contains_api_key(value)
    key_half, value_half = half_character(key), half_character(value)
    holds_api_key = key_holds_api_key or value_holds_api_key
    holds_half = key_half is not None or value_half is not None
    return RowFacts(
        name=name,
        compared=same_key(name) if name else None,
        value_blank=value_blank,
        blank=value_blank and not name,
        key_holds_api_key=key_holds_api_key,
        value_holds_api_key=value_holds_api_key,
        key_half=key_half,
        value_half=value_half,
        holds_api_key=holds_api_key,
        holds_half=holds_half,
        noted=value_blank or holds_api_key or holds_half,
    )


def as_row_tuples(rows: Sequence[AttributeRow]) -> Sequence[AttributeRow]:
    """``rows`` with each row a tuple, as what is kept for each row is looked up by: as
    given when they are (the table's, the form's), else copied (rows read from JSON come
    as lists)."""
    if not rows or set(map(type, rows)) == {tuple}:  # at C's pace
        return rows
    return tuple((key, value) for key, value in rows)


def facts_of_rows(rows: Sequence[AttributeRow]) -> Sequence[RowFacts]:
    """The ``RowFacts`` of each of ``rows``, in order: those of a row checked lately (in
    this table or another) are not worked out again."""
    return row_facts.each(as_row_tuples(rows))


class HeldFacts(NamedTuple):
    """Where one attribute row holds one of the keys the app holds (``HeldKeys.found_in``),
    whatever the rows around it (``held_facts_of_rows``)."""

    #: In the key as typed.
    key: bool
    #: In the key as typed or as shown (``visible_key``): a mark names it so.
    shown_key: bool
    #: In the value as typed.
    value: bool
    #: In the key or the value as typed.
    anywhere: bool
    #: Anywhere, as typed or shown: few rows hold one, and those are found once among
    #: thousands (``rows_where``).
    noted: bool


#: ``HeldFacts`` kept for the held keys asked last, which change only with the connection's
#: key: a row's facts for another key are of no use.
_held_facts: tuple[HeldKeys, KeptForEach[AttributeRow, HeldFacts]] | None = None


def held_facts_of_rows(rows: Sequence[AttributeRow], held: HeldKeys) -> Sequence[HeldFacts]:
    """The ``HeldFacts`` of each of ``rows`` for ``held``, in order, kept for the rows
    checked lately while ``held`` stays as it is."""
    global _held_facts
    kept = _held_facts  # read once: another thread may replace it meanwhile
    if kept is None or kept[0] != held:
        kept = (held, KeptForEach(functools.partial(_held_facts_of_row, held)))
        _held_facts = kept
    return kept[1].each(as_row_tuples(rows))


def _held_facts_of_row(held: HeldKeys, row: AttributeRow) -> HeldFacts:
    """The ``HeldFacts`` of ``row`` for ``held``."""
    key, value = row
    in_key = held.found_in(key)
    # A key is named as ``visible_key`` shows it, which may hold a key the text typed does
    # not (a Kelvin sign shown as a K): read that way too when not plain ASCII.
    shown = in_key or (not key.isascii() and held.found_in(visible_key(key)))
    in_value = held.found_in(value)
    return HeldFacts(
        key=in_key,
        shown_key=shown,
        value=in_value,
        anywhere=in_key or in_value,
        noted=shown or in_value,
    )


def rows_where(facts: Sequence[RowFacts] | Sequence[HeldFacts], field: str) -> list[int]:
    """The numbers of the rows whose ``facts`` (``RowFacts``, ``HeldFacts``) hold
    ``field`` true, one of those a row is ``noted`` for: read among the rows noted, the
    few at fault among thousands."""
    holds = operator.attrgetter(field)
    held = bool(facts) and isinstance(facts[0], HeldFacts)
    return [row for row in (_noted_held if held else _noted)(facts) if holds(facts[row])]


def _noted_rows(facts: Sequence[RowFacts] | Sequence[HeldFacts]) -> tuple[int, ...]:
    """The numbers of the rows whose ``facts`` are ``noted``, found at C's pace."""
    return tuple(itertools.compress(range(len(facts)), map(operator.attrgetter("noted"), facts)))


# Kept for the facts of the table last asked, one for each kind: a change of the table
# reads them for several checks, and the rows noted are found once.
_noted = KeptForLast(_noted_rows)
_noted_held = KeptForLast(_noted_rows)


def forget_kept() -> None:
    """Forget every answer kept of the rows (``KeptForLast``, ``KeptForEach``, in this
    module and the others): what is asked next is worked out anew, as for rows never
    seen."""
    global _held_facts
    _held_facts = None
    for kept in list(_everything_kept):
        kept.clear()


def row_problems_of(
    rows: tuple[AttributeRow, ...], held: HeldKeys = NO_HELD_KEYS
) -> Mapping[int, str]:
    """``find_row_problems`` of ``rows``, read only, a key holding one of ``held`` never
    named (``hiding_keys``): the table marks them and the form's check refuses them, both
    from the one answer while the rows and the held keys stay as they are."""
    if not held:
        return _row_problems(rows)
    return _row_problems_holding((rows, held))


def key_problems_of(rows: tuple[AttributeRow, ...]) -> dict[int, str]:
    """``find_problems`` of ``rows``, read from their ``find_row_problems`` kept while the
    rows stay as they are (``row_problems_of``): the table's marks and the request's check
    of the same rows find them once."""
    return {
        row: problem
        for row, problem in _row_problems(rows).items()
        if not is_value_problem(problem)
    }


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
    if not rows_where(held_facts_of_rows(rows, held), "shown_key"):
        return _row_problems(rows)
    return MappingProxyType(find_row_problems(rows, hidden=hiding_keys(held)))
