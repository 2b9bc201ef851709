"""What a candidate search looks for, read from what was typed or pasted into Find….

People paste what they have at hand: a row of a spreadsheet, a name with the address
beside it in brackets, a name written last name first with a degree after it. Kombo
matches an email exactly and a name exactly, so each is read here into the address or
the first and last name it stands for. Plain text work: the dialog that asks for the
search shows and sends what these functions give.
"""

from __future__ import annotations

import unicodedata

from kombo_desktop.core.text import email_address_in, spaced_as_seen, strip_edges

__all__ = [
    "as_name_searched",
    "is_name_suffix",
    "split_name",
    "the_one_address_among_words",
    "the_one_bracketed_address",
    "with_accents_composed",
]

#: The titles that may come before a name (``Dr. Anna Schmidt``, ``Dr. med. Anna``), as
#: ``_without_titles`` compares them (no dots, folded case): no part of the name the ATS
#: holds.
_TITLES = frozenset({"dr", "prof", "med", "mr", "mrs", "ms", "mx", "miss"})

#: What may follow a name after a comma without being part of it, as ``is_name_suffix``
#: compares them: generational suffixes, titles and degrees. None of them is a first name
#: that "Last, First" could mean.
_NAME_SUFFIXES = _TITLES | frozenset(
    {
        "jr", "sr", "ii", "iii", "iv",
        "md", "phd", "dphil", "mba", "esq", "jd", "llm", "dds", "dmd", "rn", "cpa",
        "msc", "bsc", "mph",
    }
)  # fmt: skip

#: The brackets that set an address apart from a name around it: "Anna (anna@…)".
_ADDRESS_BRACKETS = frozenset({("(", ")"), ("[", "]"), ("<", ">")})


def with_accents_composed(text: str) -> str:
    """``text`` with each accent composed with its letter (Unicode NFC).

    Typed on macOS or copied from a PDF, "é" may come as "e" and a combining accent:
    it looks the same, but Kombo matches names exactly and would find nobody.
    """
    return unicodedata.normalize("NFC", text)


def as_name_searched(text: str) -> str:
    """A name field's ``text`` as Kombo is asked for it: each run of spaces as one space,
    invisible characters left out (joiners kept: they shape the letters of some scripts).

    Kombo matches names exactly: "van der  Berg", or a name pasted from a document with a
    no-break space or a tab inside, would find nobody, though it looks right. So would
    "Al‑Sayed" with the hyphen a word processor puts in (a no-break one): the hyphens
    that look like "-" are searched as "-", as names are typed into forms.
    """
    return spaced_as_seen(text, keep_joiners=True).translate(_HYPHENS_AS_TYPED)


#: Hyphens that look like "-" (Unicode's hyphen and no-break hyphen), as "-".
_HYPHENS_AS_TYPED = str.maketrans({"\u2010": "-", "\u2011": "-"})


def the_one_address_among_words(text: str) -> str:
    """The one address in ``text`` when it is clearly set apart from the words around it;
    else ``text`` as it is.

    A row copied from a spreadsheet brings the name along in the cells beside it
    ("Anna<TAB>Schmidt<TAB>anna@example.org"), and a name may come with the address in
    brackets ("Anna Schmidt (anna@example.org)"): searched whole, they would find nobody.
    A space alone sets nothing apart: "anna schmidt@example.org" is an address typed
    with a stray space, and "schmidt@example.org" may be someone else's. Two addresses
    are left for the person to see why nobody matches.
    """
    if "\t" in text:
        cells = [cell for cell in text.split("\t") if "@" in cell]
        if len(cells) != 1:
            return text
        cell = strip_edges(cells[0])
        # The cell may hold the address alone, or a name with the address in brackets.
        alone = email_address_in(cell) if len(cell.split()) == 1 else text
        return the_one_bracketed_address(cell, alone)
    return the_one_bracketed_address(text, text)


def the_one_bracketed_address(text: str, otherwise: str) -> str:
    """The address of the one word of ``text`` holding an "@", when that word is in
    round, square or angle brackets; else ``otherwise``."""
    words = [word for word in text.split() if "@" in word]
    if len(words) != 1:
        return otherwise
    # A list copied from mail leaves its separator after the brackets.
    word = words[0].rstrip(",;")
    if len(word) > 2 and (word[0], word[-1]) in _ADDRESS_BRACKETS:
        return email_address_in(word[1:-1])
    return otherwise


def split_name(text: str) -> tuple[str, str]:
    """A whole name as the name fields take it, as (first name, last name).

    The first word is the first name, the rest the last name ("Maria de los Santos"); a
    single word is the last name, which tells people apart better than a first name
    does. A name written last name first, as mail clients and exports often write it
    ("Schmidt, Anna"), is read in that order. A suffix, title or degree after a comma
    ("Anna Schmidt, MD", "Schmidt, Anna, Ph.D.") is no part of the name the ATS holds,
    and is left out, as is a title before it ("Dr. Anna Schmidt", "Schmidt, Dr. Anna").
    """
    # The separator a list copied from mail leaves after a name is no part of it; a word
    # processor's hyphens are searched as typed into forms (``as_name_searched``).
    spaced = " ".join(text.translate(_HYPHENS_AS_TYPED).split()).strip(",; ")
    while True:
        name, comma, ending = spaced.rpartition(",")
        if not (comma and name.strip(",; ") and is_name_suffix(ending)):
            break
        spaced = name.strip(",; ")
    before, comma, after = spaced.partition(",")
    if comma and before.strip() and after.strip() and "," not in after:
        return _without_titles(after.strip()), before.strip()
    first, _space, last = _without_titles(spaced).partition(" ")
    return (first, last) if last else ("", first)


def _without_titles(name: str) -> str:
    """``name`` without the titles before it (``_TITLES``, with or without dots, in any
    case), a word of it kept at least: "Dr. Anna Schmidt" is Anna Schmidt to the ATS."""
    words = name.split(" ")
    while len(words) > 1 and words[0].replace(".", "").casefold() in _TITLES:
        words.pop(0)
    return " ".join(words)


def is_name_suffix(text: str) -> bool:
    """Whether ``text`` (what follows a comma in a name) is only suffixes, titles or
    degrees ("MD", "Ph.D.", "jr", "III", "Dr. med."), with or without dots, in any case."""
    words = text.replace(".", "").split()
    return bool(words) and all(word.casefold() in _NAME_SUFFIXES for word in words)
