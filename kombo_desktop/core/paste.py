"""Turning pasted text into attribute rows and into a label and a URL.

People copy attributes from a spreadsheet (cells separated by tabs), from a CSV
file or e-mail (commas or semicolons) or from notes (``Score: 100%`` or
``Score = 100%``). ``parse_key_value_block`` accepts all of these; the rules are
in its docstring; ``single_cell_text`` says when pasted text is one copied cell, and
``column_cells`` when it is one copied column.
Nothing here raises on odd input: any text gives some rows.
A row pasted into the label or the URL field may hold both (``label_and_url_row``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kombo_desktop.core.text import is_web_address, strip_edges, the_one_in_angle_brackets

__all__ = [
    "PastedRows",
    "column_cells",
    "is_assignment_line",
    "is_key_value_line",
    "is_value_only",
    "label_and_url_row",
    "parse_key_value_block",
    "single_cell_text",
    "split_label_and_url",
]

#: First-row cells that mark a header row ("Key<TAB>Value", "Name;Wert", "Clé,Valeur"):
#: both cells must be header words, in English, German, French, Spanish, Italian, Dutch
#: or Portuguese (casefolded, composed accents), so that a real first row is kept.
_HEADER_KEYS = frozenset(
    {
        # English
        "key",
        "keys",
        "name",
        "attribute",
        "attributes",
        "attribute name",
        "field",
        "field name",
        "label",
        "property",
        "property name",
        # German
        "schlüssel",
        "attribut",
        "attributname",
        "feld",
        "feldname",
        "eigenschaft",
        "merkmal",
        "bezeichnung",
        # French
        "clé",
        "clef",
        "cle",
        "nom",
        "champ",
        "propriété",
        "libellé",
        # Spanish
        "clave",
        "nombre",
        "atributo",
        "campo",
        "propiedad",
        "etiqueta",
        # Italian
        "chiave",
        "nome",
        "attributo",
        "proprietà",
        "etichetta",
        # Dutch
        "sleutel",
        "naam",
        "attribuut",
        "veld",
        "eigenschap",
        # Portuguese
        "chave",
        "propriedade",
        "rótulo",
    }
)
_HEADER_VALUES = frozenset(
    {
        # English
        "value",
        "values",
        "attribute value",
        "field value",
        "property value",
        # German
        "wert",
        "werte",
        "attributwert",
        # French
        "valeur",
        "valeurs",
        # Spanish and Portuguese
        "valor",
        "valores",
        # Italian
        "valore",
        "valori",
        # Dutch
        "waarde",
        "waarden",
    }
)

_QUOTE = '"'


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _closing_quote(text: str, start: int) -> int:
    """Index of the quote closing a quoted field whose content starts at ``start``, or -1.

    A doubled quote (``""``) is an escaped quote, not the end.
    """
    i = start
    while True:
        i = text.find(_QUOTE, i)
        if i < 0:
            return -1
        if text.startswith(_QUOTE * 2, i):
            i += 2
            continue
        return i


#: What a spreadsheet quotes one copied cell for; it copies any other cell as it is.
_NEEDS_SPREADSHEET_QUOTES = ("\t", "\n", _QUOTE)


def _quotes_are_quoting(raw_content: str, *, one_cell: bool) -> bool:
    """Whether the quotes around a quoted cell are a writer's quoting, to be undone, rather
    than typed as part of the cell's text; ``raw_content`` is what is between them as
    written (a quote in it doubled).

    The one rule of both paths: a cell is quoted only when it starts (after spaces) with
    a quote whose closing quote is followed (after spaces) by the delimiter, a line break
    or the end of the text (``_quoted_cell``); ``"Excellent" and "fast"``, text going on
    after the closing quote, is never quoting.

    - In a block (several cells or records, ``parse_key_value_block``), the quotes of a
      quoted cell are quoting whatever it holds: an export may quote every cell
      (``"Key"<TAB>"Value"``, ``"Score";"100%"``), and one row must not read its key one
      way and its value the other (``"Comment"<TAB>"Passed\\nall tests"``).
    - One cell pasted on its own (``one_cell``, ``single_cell_text``) is either a cell
      a spreadsheet copied or words a person copied from anywhere. A spreadsheet quotes
      a copied cell only when it holds a tab, a line break or a quote (written doubled),
      so those quotes are quoting; around anything else (``"Great"``, ``"2,5"``,
      ``"Berlin, Germany"``) they were typed, and stay.
    """
    return not one_cell or any(ch in raw_content for ch in _NEEDS_SPREADSHEET_QUOTES)


def _quoted_cell(
    text: str, start: int, delimiter: str, *, one_cell: bool
) -> tuple[str, int] | None:
    """The text of the quoted cell whose opening quote is at ``start``, and the index of
    what follows it (the delimiter, a line break or the end); ``None`` when the quote
    opens no quoted cell and the cell is to be read as it is written.

    A quoted cell ends at a quote that is not doubled and is followed (after spaces)
    by the delimiter, a line break or the end of the text: ``"Excellent" and "fast"``
    is text that starts with a quote. Whether its quotes then go is
    ``_quotes_are_quoting``'s to say (``one_cell`` as there).
    """
    end = _closing_quote(text, start + 1)
    if end < 0:
        return None
    after = end + 1
    while after < len(text) and text[after] == " ":
        after += 1
    if after < len(text) and text[after] not in (delimiter, "\n"):
        return None
    raw_content = text[start + 1 : end]
    if not _quotes_are_quoting(raw_content, one_cell=one_cell):
        return None
    return raw_content.replace(_QUOTE * 2, _QUOTE), after


def _split_records(text: str, delimiter: str, *, one_cell: bool = False) -> list[list[str]]:
    """Split ``text`` (newlines already ``\\n``) into records of raw cells; ``one_cell``
    when ``text`` is to be read as one cell pasted on its own (``_quotes_are_quoting``).

    Quoting follows what spreadsheets and CSV writers produce (``_quoted_cell``): a
    cell that starts (after spaces) with ``"`` and ends with the matching quote may
    contain the delimiter and line breaks, and ``""`` inside it is one quote. Any other
    cell is read literally, up to the next delimiter or line break: one whose opening
    quote is never closed, so one stray quote cannot swallow the following lines, and
    one whose text goes on after the quote closes (``"Excellent" and "fast"``).
    """
    records: list[list[str]] = []
    cells: list[str] = []
    i = 0
    length = len(text)
    while i <= length:
        # At the start of a cell.
        j = i
        while j < length and text[j] == " ":
            j += 1
        quoted = (
            _quoted_cell(text, j, delimiter, one_cell=one_cell)
            if j < length and text[j] == _QUOTE
            else None
        )
        if quoted is not None:
            cell, stop = quoted
        else:
            stop = i
            while stop < length and text[stop] != delimiter and text[stop] != "\n":
                stop += 1
            cell = text[i:stop]
        cells.append(cell)
        if stop >= length:
            records.append(cells)
            break
        if text[stop] == "\n":
            records.append(cells)
            cells = []
        i = stop + 1
    return records


def _assignment_split(line: str) -> tuple[str, str] | None:
    """``("Score", "100%")`` for ``Score: 100%`` or ``Score = 100%``; ``None`` otherwise.

    The first ``=`` or ``:`` separates; the key must not contain a comma,
    semicolon or quote, so that ``Time,2:30`` stays a CSV line. A ``:`` after a number
    (a time or a ratio: ``1:45h``, ``10:30``, ``3:1``) or after a web address's scheme
    (``https://``) separates nothing: the line is one value, and a column of them pasted
    on several lines must not become rows keyed ``1``, ``10`` or ``https``. A key that
    merely ends in a digit (``Q1:5``, ``Round2:3``) still separates.
    """
    positions = [p for p in (line.find("="), line.find(":")) if p >= 0]
    if not positions:
        return None
    split_at = min(positions)
    if line[split_at] == ":" and _colon_inside_a_value(line, split_at):
        return None
    key = line[:split_at]
    if any(ch in key for ch in ',;"'):
        return None
    return key, line[split_at + 1 :]


def _colon_inside_a_value(line: str, at: int) -> bool:
    """True when the ``:`` at ``at`` belongs to a time, a ratio or a web address."""
    # The word right before the colon decides: a number ("1:45h", "Start 9:00",
    # "Ratio 3:1", "1.5:2") makes a time or a ratio, but "Q1:5" is the key "Q1", and one
    # such line read as a value made a whole block keys only.
    before, after = line[:at], line[at + 1 : at + 2]
    words = before.split()
    if not words or before[-1:].isspace():
        return False
    last = words[-1]
    if last.replace(".", "", 1).replace(",", "", 1).isdecimal():
        return after.isdecimal()
    return len(words) == 1 and last.isascii() and last.isalpha() and line.startswith("//", at + 1)


def is_assignment_line(text: str) -> bool:
    """True for one ``key = value`` or ``key: value`` line with a key.

    The ``=`` or ``:`` counts only with a space next to it, so that one value with
    such a character in it stays one piece of text: a URL (``https://…?id=5``), a
    time (``2:30h``), a code ending in ``==``.
    """
    split = _assignment_split(text.strip())
    if split is None or not split[0].strip():
        return False
    key, value = split
    return key[-1:].isspace() or value[:1].isspace()


#: A number's whole part as a spreadsheet shows it, digit groups and a currency sign
#: before it included: ``2``, ``-0``, ``1.234``, ``1 234``, ``€ 2``. (A pattern as text:
#: ``re`` compiles it at first use, not while the window starts.)
_WHOLE_NUMBER = r"(?:[$€£¥₹₽₩₺]\s?)?[+\-\u2212]?\d+(?:[.'\u00a0\u202f ]\d+)*"


def is_key_value_line(text: str) -> bool:
    """True when one pasted line reads as a key and a value, to become a row of its own
    rather than go into one cell: an assignment (``is_assignment_line``) or a CSV line of
    two or more cells (``Score,100%``, ``"Score","100%"``, ``Time,2:30h``).

    A line break at the end does not count, and cannot: a spreadsheet copies one cell as
    its text and a line break, and a text editor copies one line just the same. So the
    text decides. No key is a number: a line whose first cell is one is a value written
    with a decimal comma (``2,5``, ``-0,75``, ``1.234,5``, ``4,5/5``, ``2,50 €``,
    ``€ 2,50``), as a spreadsheet where a comma marks decimals shows it in many cells. A
    quoted cell holding a comma (``"Berlin, Germany"``) is one value too. Only a comma
    makes a CSV line here, and only when no semicolon comes before it, so that one value
    with a semicolon in it (``a;b``, ``Notes; see attached, p.2``) stays in its cell; on
    several lines a semicolon separates too (``parse_key_value_block``).
    Words with a comma copied from one spreadsheet cell (``Berlin, Germany``) read as a
    row, as the same line from notes must: pasted while editing a cell they stay text.
    """
    line = strip_edges(text)
    if is_assignment_line(line):
        return True
    if "," not in line:
        return False
    cells = _split_records(line, ",")[0]
    if len(cells) < 2 or ";" in cells[0]:
        # A semicolon first would split the line there (``parse_key_value_block``).
        return False
    return not re.fullmatch(_WHOLE_NUMBER, cells[0].strip())


def single_cell_text(text: str, *, commas_separate: bool = True) -> str | None:
    """The text of the one cell ``text`` holds, or None when it holds more (several
    records, or several cells).

    A spreadsheet copies one cell as its text and a line break, quoted when the text has
    a line break, a tab or a quote in it (``"Passed all tests\\nwith distinction"``); a
    text editor copies one line just the same, and a line selected in a mail or a web
    page often comes with the line break before it too. So: line breaks at either end
    go (empty lines make no cell), quotes are read as ``_quotes_are_quoting`` says for
    one cell (the quotes a spreadsheet writes go, ``""`` is one quote; ``"Great"``,
    which no spreadsheet quotes, was typed so and keeps its quotes), and the cell's
    text is given as it is, spaces included. A tab outside quotes makes two cells, a
    line break outside quotes two records: ``None``.
    With ``commas_separate`` (the default), one line that ``is_key_value_line`` reads
    as a key and a value (``Score,100%``, ``Score: 100%``) is two cells as well;
    without it, a line without a tab is one cell whatever it holds (``Strong
    communication, needs coaching on SQL``). Line breaks inside quotes keep the text
    one cell either way. Text with nothing but line breaks holds no cell: ``None``.
    """
    # The line breaks a copied cell or line ends with (or comes after) make no cell.
    text = _normalise_newlines(text).strip("\n")
    if not text:
        return None
    records = _split_records(text, "\t", one_cell=True)
    if len(records) != 1 or len(records[0]) != 1:
        return None
    # A line break left in the text was inside quotes, and so were any commas: only a
    # cell read from one line of text can be a key and a value.
    if commas_separate and "\n" not in text and is_key_value_line(text):
        return None
    return records[0][0]


def _reads_as_row(line: str) -> bool:
    """True when one line of a column reads as a key and a value: as ``is_key_value_line``
    says, or split by a semicolon after a key (``Score;100%``), as
    ``parse_key_value_block`` reads several such lines."""
    if is_key_value_line(line):
        return True
    cells = _split_records(line, ";")[0]
    first = cells[0].strip()
    return len(cells) > 1 and bool(first) and not re.fullmatch(_WHOLE_NUMBER, first)


def column_cells(text: str, *, commas_separate: bool = True) -> tuple[str, ...] | None:
    """The cells of ``text``, top to bottom, when it is one column of several cells as a
    spreadsheet copies it (a cell a line, no tab); ``None`` when it is anything else.

    The line breaks it ends with go; an empty line before or between cells is an empty
    cell, so that every cell keeps its place (a spreadsheet copies an empty first cell
    as a line break first). Each cell is read as ``single_cell_text`` reads one (the
    quotes a spreadsheet writes go, ``"Great"`` keeps its own) and trimmed, as pasted
    keys and values are. A tab outside quotes makes rows, and so do lines that all read
    as a key and a value (``Score: 100%``, ``Score,100%``, ``Score;100%``, see
    ``_reads_as_row``), as ``parse_key_value_block`` reads them; without
    ``commas_separate``, only ``key: value`` lines do (``is_assignment_line``), and
    comments with commas in them are cells. One cell alone is no column.
    """
    text = _normalise_newlines(text).rstrip("\n")
    records = _split_records(text, "\t", one_cell=True)
    if len(records) < 2 or any(len(cells) != 1 for cells in records):
        return None
    cells = tuple(cells[0].strip() for cells in records)
    # A cell with a line break in it was quoted: one value, whatever it holds.
    lines = [cell for cell in cells if cell and "\n" not in cell]
    reads_as_row = _reads_as_row if commas_separate else is_assignment_line
    if not any(cells) or (lines and all(reads_as_row(line) for line in lines)):
        return None
    return cells


def _csv_delimiter(lines: list[str]) -> str | None:
    """The CSV delimiter of these lines: ``,`` or ``;``, or ``None`` when neither occurs.

    A delimiter found on every line wins; when both are (``Score;2,5``), the one
    that comes first on the first line wins; when neither is on every line, the
    one on more lines wins (ties go to the comma).
    """
    with_comma = sum("," in line for line in lines)
    with_semicolon = sum(";" in line for line in lines)
    if not with_comma and not with_semicolon:
        return None
    everywhere = [d for d, n in ((",", with_comma), (";", with_semicolon)) if n == len(lines)]
    if len(everywhere) == 1:
        return everywhere[0]
    if len(everywhere) == 2:
        first = lines[0]
        return "," if first.index(",") < first.index(";") else ";"
    return ";" if with_semicolon > with_comma else ","


def _header_word(cell: str) -> str:
    # Accents typed as a letter and a combining mark (as some systems copy them) compare
    # equal to the composed letters the lists hold.
    return unicodedata.normalize("NFC", cell).casefold()


def _is_header(key: str, value: str) -> bool:
    return _header_word(key) in _HEADER_KEYS and _header_word(value) in _HEADER_VALUES


@dataclass(frozen=True)
class PastedRows:
    """What ``parse_key_value_block`` read from a pasted block."""

    #: The ``(key, value)`` rows, trimmed, in the order they were pasted.
    rows: tuple[tuple[str, str], ...]
    #: True when a row had text in a third column or further: only two are read, and a
    #: person must be told the rest was left out.
    extra_columns_left_out: bool = False
    #: True when the block was a row of keys over a row of their values, as a sheet with
    #: one row per candidate is copied, and was read across (``_read_across``): a
    #: person must be told, for a block meant the other way can be taken back.
    read_across: bool = False


def parse_key_value_block(text: str) -> PastedRows:
    """Read pasted text as ``(key, value)`` rows.

    The whole block is read one way, chosen in this order:

    1. a tab anywhere: tab-separated, as spreadsheets copy cells;
    2. every non-blank line is ``key = value`` or ``key: value`` (the first ``=``
       or ``:`` separates, the key has no comma or semicolon; see ``_assignment_split``
       for the ``:`` of a time or an address, which does not): assignments;
    3. commas or semicolons: CSV with that delimiter (see ``_csv_delimiter``);
    4. otherwise one key per line with an empty value.

    In modes 1, 3 and 4, double-quoted cells are honoured as spreadsheets and CSV
    writers quote them (``"Berlin, Germany"``, ``""`` for a quote, line breaks
    inside quotes), whatever they hold: an export may quote every cell
    (``"Key"<TAB>"Value"``; see ``_quotes_are_quoting``). Any other cell that starts
    with a quote is read literally: one whose quote is never closed, and one with text
    after the closing quote (``"Excellent" and "fast"``). The second cell is the value;
    further cells are left out, and ``extra_columns_left_out`` says so when one of them
    held text (a header row's do not count). A line with one cell gives ``(cell, "")``.
    Keys and values are trimmed of surrounding whitespace, inner spaces kept. Blank
    lines and rows whose key and value are both blank are skipped. A first row that is
    a header (``Key`` / ``Name`` / ``Attribute`` / ``Field`` / ``Label`` / ``Property``
    followed by ``Value``, any case, or the same in German, French, Spanish, Italian,
    Dutch or Portuguese: ``Schlüssel;Wert``, ``Clé;Valeur``, ``_HEADER_KEYS``) is
    dropped. Windows and old Mac line endings are accepted.
    """
    text = _normalise_newlines(text)
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return PastedRows(rows=())

    raw_rows: list[list[str]]
    if "\t" in text:
        raw_rows = _split_records(text, "\t")
    else:
        assignments = [_assignment_split(line) for line in lines]
        if all(a is not None for a in assignments):
            raw_rows = [[a[0], a[1]] for a in assignments if a is not None]
        else:
            delimiter = _csv_delimiter(lines)
            if delimiter is None:
                # One cell per line, quoted as a spreadsheet quotes a cell with a break.
                raw_rows = _split_records(text, "\n")
            else:
                raw_rows = _split_records(text, delimiter)

    across = _read_across(raw_rows)
    if across is not None:
        return PastedRows(rows=across, read_across=True)
    rows: list[tuple[str, str]] = []
    # Per row kept: whether it had text beyond its second cell.
    extras: list[bool] = []
    # Text only beyond the second cell leaves a row with nothing to keep.
    left_out_of_skipped_rows = False
    for cells in raw_rows:
        key = cells[0].strip() if cells else ""
        value = cells[1].strip() if len(cells) > 1 else ""
        extra = any(strip_edges(cell) for cell in cells[2:])
        if key or value:
            rows.append((key, value))
            extras.append(extra)
        elif extra:
            left_out_of_skipped_rows = True
    if rows and _is_header(*rows[0]):
        rows.pop(0)
        extras.pop(0)
    return PastedRows(
        rows=tuple(rows), extra_columns_left_out=left_out_of_skipped_rows or any(extras)
    )


#: The units a number in a value may carry (``2:30h``, ``45 min``, ``12 pts``): only
#: these, so that a key starting with a number (``16PF``, ``3D``, ``1st``) is no value.
_UNITS = ("hrs", "hr", "h", "mins", "min", "m", "secs", "sec", "s", "pts", "pt", "days")

#: A cell that is a value and never a key: a number with what may stand around it (a
#: currency, a sign, separators, a unit or ``%``: ``100%``, ``2:30h``, ``4,5/5``,
#: ``2026-11-30``, ``€ 2,50``), or a web address.
_VALUE_ONLY_CELL = (
    r"(?:[$€£¥₹₽₩₺]\s?)?[+\-\u2212]?\d[\d.,:/'\-\u00a0\u202f ]*\s?"
    rf"(?:%|€|{'|'.join(_UNITS)})?"
    r"|https?://\S+"
)


def is_value_only(cell: str) -> bool:
    """True when ``cell`` is a value no key or heading is (``_VALUE_ONLY_CELL``): a
    number with its unit or sign (``100%``, ``2:30h``), or a web address."""
    return re.fullmatch(_VALUE_ONLY_CELL, cell.strip(), flags=re.IGNORECASE) is not None


def _read_across(raw_rows: list[list[str]]) -> tuple[tuple[str, str], ...] | None:
    """The ``(key, value)`` rows of a block that is a row of keys over one row of their
    values, read across (``Score  Time`` over ``100%  2:30h``); else None.

    A sheet with one row per candidate and the attributes' names over them is copied
    so. Read down, its keys would be values (``Score = Time``, ``100% = 2:30h``). It
    is told by its second row starting with a cell no key is (``is_value_only``: a
    number, a score, a time or a web address) under a first row of words, none of them
    such a value; a key-and-value block with numbers for values has them in its first
    row too, and stays read down, as does one whose second key starts with a number
    (``16PF``, which is no number with a unit).
    """
    records = [cells for cells in raw_rows if any(cell.strip() for cell in cells)]
    if len(records) != 2:
        return None
    names = [cell.strip() for cell in records[0]]
    values = [cell.strip() for cell in records[1]]
    if len(names) < 2 or len(values) > len(names) or not all(names) or _is_header(*names[:2]):
        return None
    if not is_value_only(values[0]) or any(is_value_only(name) for name in names):
        return None
    values += [""] * (len(names) - len(values))
    return tuple(zip(names, values, strict=True))


def _clean_url(text: str) -> str:
    """``text`` without what surrounds a URL copied from mail or chat.

    Invisible formatting characters (a zero-width space, a byte-order mark) and
    whitespace at either end go, and so do the angle brackets plain-text mail puts
    around links (``<https://…>``). What is inside is left for the URL check.
    """
    cleaned = strip_edges(text)
    if cleaned.startswith("<") and cleaned.endswith(">"):
        cleaned = strip_edges(cleaned[1:-1])
    return cleaned


#: A link as plain-text mail writes it in angle brackets among words (``View results
#: <https://…>``), and the start of any web address. (Patterns as text: ``re`` compiles
#: them at first use.)
_LINK = r"https?://\S+"
_ANY_WEB_ADDRESS = r"https?://"


def _is_link(inside: str) -> bool:
    return re.fullmatch(_LINK, inside, flags=re.IGNORECASE) is not None


def _bracketed_link(text: str) -> str | None:
    """The URL of the one ``<https://…>`` link ``text`` holds, or ``None``.

    Plain-text mail writes a link as words and the address in angle brackets, on one
    line or two (``View results <https://…>``, ``Link: <https://…>``): the brackets say
    exactly where the address starts and ends (``the_one_in_angle_brackets``). Text with
    any other address in it (a second link, bracketed or not) is left alone: which one
    was meant is a guess.
    """
    link = the_one_in_angle_brackets(text, _is_link)
    if link is None or len(re.findall(_ANY_WEB_ADDRESS, text, flags=re.IGNORECASE)) != 1:
        return None
    return strip_edges(link)


def _label_and_url_cells(row: list[str]) -> tuple[str, str] | None:
    """``(label, url)`` for a row of two non-blank cells, exactly one of them an http(s)
    address (cleaned as ``_clean_url`` says); ``None`` otherwise."""
    cells = [cell for cell in (strip_edges(c) for c in row) if cell]
    if len(cells) != 2:
        return None
    first, second = (_clean_url(cell) for cell in cells)
    if is_web_address(first) == is_web_address(second):
        return None
    return (cells[1], first) if is_web_address(first) else (cells[0], second)


def _the_one_address_cell(row: list[str]) -> str | None:
    """The web address of a spreadsheet row of three cells or more when exactly one cell
    is one (cleaned as ``_clean_url`` says); else ``None``. A results sheet's row (name,
    test, result URL) is copied so: which other cell is the label cannot be told, but the
    address can."""
    cells = [_clean_url(cell) for cell in row]
    if len([cell for cell in cells if cell]) < 3:
        return None
    addresses = [cell for cell in cells if is_web_address(cell)]
    return addresses[0] if len(addresses) == 1 else None


def split_label_and_url(text: str) -> tuple[str | None, str]:
    """Read text pasted into the URL field as an optional label and the URL.

    One spreadsheet row (its cells tab-separated, read as the table reads a pasted block:
    a quoted cell may hold a tab, a line break or doubled quotes) of two non-blank cells,
    exactly one of them an http(s) address, is a row: ``(label, url)``, in either order
    (a copied spreadsheet row often ends with a line break). Anything else is
    ``(None, url)``: the one link in angle brackets among words, as plain-text mail
    writes it (``View results <https://…>``, see ``_bracketed_link``); the one address in
    a row of three cells or more (``_the_one_address_cell``); else, for the URL check to
    judge, one line trimmed and cleaned as ``_clean_url`` says, or several non-blank
    lines kept, one space between them. None of them is picked: a link that a mail
    program wrapped over two lines would otherwise be sent cut short, without a word.
    """
    text = _normalise_newlines(text)
    rows = [row for row in _split_records(text, "\t") if any(strip_edges(cell) for cell in row)]
    if len(rows) == 1:
        label_and_url = _label_and_url_cells(rows[0])
        if label_and_url is not None:
            return label_and_url
        address = _the_one_address_cell(rows[0])
        if address is not None:
            return None, address
    link = _bracketed_link(text)
    if link is not None:
        return None, link
    lines = [line for line in (strip_edges(line) for line in text.split("\n")) if line]
    if len(lines) != 1:
        return None, " ".join(lines)
    return None, _clean_url(lines[0])


def label_and_url_row(text: str) -> tuple[str, str] | None:
    """``(label, url)`` when ``text`` is a ``label<TAB>url`` row whose URL is a web address.

    The row is read as ``split_label_and_url`` reads it (either order, the URL
    cleaned); anything else (no address, two, several rows, one line of text) is no
    such row (``None``): it is a label as typed, for the label field.
    """
    label, url = split_label_and_url(text)
    return None if label is None else (label, url)
