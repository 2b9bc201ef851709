"""What Find… searches for, read from what was typed or pasted (core/search_terms.py), with
no window: names written last name first or with a degree, addresses among words."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_desktop.core.search_terms import (
    as_name_searched,
    is_name_suffix,
    split_name,
    the_one_address_among_words,
    the_one_bracketed_address,
    with_accents_composed,
)
from kombo_desktop.core.text import email_address_in
from tests.cli_support import patterns_compiled_at_import, run_child


@pytest.mark.parametrize(
    ("typed", "first_and_last"),
    [
        ("Anna Schmidt", ("Anna", "Schmidt")),
        # As mail clients and exports write a person.
        ("Schmidt, Anna", ("Anna", "Schmidt")),
        ("Schmidt, Anna Maria", ("Anna Maria", "Schmidt")),
        # A suffix, title or degree after a comma is no part of the name the ATS holds.
        ("Anna Schmidt, MD", ("Anna", "Schmidt")),
        ("Anna Schmidt, Ph.D.", ("Anna", "Schmidt")),
        ("Anna Schmidt, phd, MBA", ("Anna", "Schmidt")),
        ("Schmidt, Anna, Ph.D.", ("Anna", "Schmidt")),
        ("Schmidt, Anna, Jr.", ("Anna", "Schmidt")),
        ("Schmidt, Anna, III", ("Anna", "Schmidt")),
        ("Anna Schmidt, Dr. med.", ("Anna", "Schmidt")),
        # Spaces as typed or pasted, and the separator a list copied from mail leaves.
        ("  Anna \t  Schmidt  ", ("Anna", "Schmidt")),
        ("  Schmidt ,   Anna  ", ("Anna", "Schmidt")),
        ("Anna Schmidt;", ("Anna", "Schmidt")),
        ("Schmidt, Anna,", ("Anna", "Schmidt")),
        # One word tells people apart better as a last name.
        ("Schmidt", ("", "Schmidt")),
        ("Schmidt, MD", ("", "Schmidt")),
        # The first word is the first name, the rest the last name.
        ("Maria de los Santos", ("Maria", "de los Santos")),
        # A title before the name is no part of it either. Before: first name "Dr.".
        ("Dr. Anna Schmidt", ("Anna", "Schmidt")),
        ("Mr John Smith", ("John", "Smith")),
        ("Dr. med. Anna Schmidt", ("Anna", "Schmidt")),
        ("Schmidt, Dr. Anna", ("Anna", "Schmidt")),
        ("Dr. Schmidt", ("", "Schmidt")),
        # A word is kept, whatever it is.
        ("Dr.", ("", "Dr.")),
        # A word processor's hyphen, as typed into forms.
        ("Omar Al\u2011Sayed", ("Omar", "Al-Sayed")),
    ],
)
def test_a_whole_name_is_split_into_first_and_last_name(
    typed: str, first_and_last: tuple[str, str]
) -> None:
    assert split_name(typed) == first_and_last


@pytest.mark.parametrize(
    ("ending", "is_suffix"),
    [
        ("MD", True),
        (" Ph.D.", True),
        ("jr", True),
        ("III", True),
        ("Dr. med.", True),
        ("phd MBA", True),
        ("Anna", False),
        ("MD Anna", False),
        ("", False),
        (" . ", False),
    ],
)
def test_only_suffixes_titles_and_degrees_count_as_a_name_suffix(
    ending: str, is_suffix: bool
) -> None:
    assert is_name_suffix(ending) is is_suffix


@pytest.mark.parametrize(
    ("pasted", "address"),
    [
        # A row of a list of candidates, copied from Excel or Google Sheets.
        ("Anna\tSchmidt\tanna@example.org\r\n", "anna@example.org"),
        ("Anna\tSchmidt\t anna@example.org; \t", "anna@example.org"),
        ("Anna Schmidt\t(anna@example.org)\tBerlin", "anna@example.org"),
        # Brackets set the address apart from the name beside it.
        ("Anna <anna@example.org>", "anna@example.org"),
        ("Anna Schmidt (anna@example.org)", "anna@example.org"),
        ("Anna Schmidt [anna@example.org]", "anna@example.org"),
        ("(anna@example.org)", "anna@example.org"),
        # The separator of a list copied from mail, after the brackets.
        ("Anna Schmidt (anna@example.org);", "anna@example.org"),
        ("Anna Schmidt <anna@example.org>,", "anna@example.org"),
        ("Anna Schmidt (mailto:anna%2Bcv@example.org)", "anna+cv@example.org"),
        # Copied from a sentence, with its full stop. Before: searched with it.
        ("anna.schmidt@example.org.", "anna.schmidt@example.org"),
        ("“anna@example.org”.", "anna@example.org"),
    ],
)
def test_the_one_address_set_apart_from_the_words_around_it_is_searched(
    pasted: str, address: str
) -> None:
    assert the_one_address_among_words(email_address_in(pasted)) == address


@pytest.mark.parametrize(
    "pasted",
    [
        # A space sets nothing apart: a stray space typed for a dot.
        "anna schmidt@example.org",
        "Anna Schmidt anna@example.org",
        # Two addresses: which one was meant is the person's to say.
        "Anna\tanna@example.org\tlukas@example.net",
        "Anna (anna@example.org) Lukas (lukas@example.net)",
        "Anna\tSchmidt\tanna schmidt@example.org",
        # No address at all.
        "Anna\tSchmidt",
        "Anna Schmidt",
    ],
)
def test_text_with_no_address_clearly_set_apart_is_searched_as_it_is(pasted: str) -> None:
    assert the_one_address_among_words(pasted) == pasted


def test_a_bracketed_address_is_taken_else_what_was_given_instead() -> None:
    assert the_one_bracketed_address("Anna (anna@example.org)", "other") == "anna@example.org"
    assert the_one_bracketed_address("Anna anna@example.org", "other") == "other"
    assert the_one_bracketed_address("(a@x.org) (b@y.org)", "other") == "other"
    # A bracket left open sets nothing apart.
    assert the_one_bracketed_address("Anna (anna@example.org", "other") == "other"


def test_a_name_is_searched_with_single_spaces_and_composed_accents() -> None:
    assert as_name_searched(" van der \u00a0Berg\u200b\t") == "van der Berg"
    # A joiner shapes the letters around it: kept.
    assert as_name_searched("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )
    assert with_accents_composed("Zoe\u0308 Bronte\u0308") == "Zo\u00eb Bront\u00eb"
    # The hyphens a word processor puts in, as typed into forms. Before: kept, and nobody
    # was found.
    assert as_name_searched("Al\u2011Sayed") == "Al-Sayed"
    assert as_name_searched("Smith\u2010Jones") == "Smith-Jones"


def test_reading_the_search_terms_loads_no_qt_and_compiles_no_pattern(app_home: Path) -> None:
    report = run_child(
        app_home,
        """
import json, pkgutil, importlib, sys
import kombo_desktop.core as core
for module in pkgutil.iter_modules(core.__path__):
    importlib.import_module("kombo_desktop.core." + module.name)
qt = sorted(
    name for name in sys.modules
    if name.split(".")[0] == "PySide6" or name.startswith("kombo_desktop.qt")
)
print("REPORT " + json.dumps(qt))
""",
    )
    assert report == []
    load = """
        from kombo_desktop.core.search_terms import split_name
        split_name("Schmidt, Anna, Ph.D.")
    """
    assert patterns_compiled_at_import(app_home, load) == []
