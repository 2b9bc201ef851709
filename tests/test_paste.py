"""Pasting attribute blocks and label/URL pairs (core/paste.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kombo_desktop.core.paste import (
    label_and_url_row,
    parse_key_value_block,
    single_cell_text,
    split_label_and_url,
)


def _rows(text: str) -> list[tuple[str, str]]:
    return list(parse_key_value_block(text).rows)


# ---- parse_key_value_block: spreadsheets -------------------------------------------------


def test_spreadsheet_block_with_header_row_is_read_without_the_header() -> None:
    text = "Key\tValue\r\nScore\t100%\r\nTime\t2:30h\r\n"
    assert _rows(text) == [("Score", "100%"), ("Time", "2:30h")]


@pytest.mark.parametrize(
    "header",
    ["Key\tValue", "KEY\tvalue", "Name\tValue", "Attribute\tValue", "attribute name\tvalue"],
)
def test_header_rows_are_recognised_in_any_case(header: str) -> None:
    assert _rows(f"{header}\nScore\t1") == [("Score", "1")]


@pytest.mark.parametrize(
    "header",
    [
        "Name;Wert",
        "Schlüssel;Wert",
        "SCHLÜSSEL;WERT",
        "Schlu\u0308ssel;Wert",  # the accent as a combining mark
        "Bezeichnung;Wert",
        "Clé;Valeur",
        "Nom;Valeur",
        "Clave;Valor",
        "Nombre;Valor",
        "Chiave;Valore",
        "Naam;Waarde",
        "Chave;Valor",
        "Property;Value",
        "Field;Value",
    ],
)
def test_header_rows_of_other_languages_are_recognised(header: str) -> None:
    text = f"{header}\r\nScore;2,5\r\nZeit;3 h\r\n"
    assert _rows(text) == [("Score", "2,5"), ("Zeit", "3 h")]
    assert _rows(text.replace(";", "\t")) == [("Score", "2,5"), ("Zeit", "3 h")]


@pytest.mark.parametrize(
    "first_row",
    [
        ("Name", "Anna Smith"),  # a header word beside data is data
        ("Wert", "Name"),  # the header words the wrong way round
        ("Property", "Owner"),
        ("Nom", "Valeur moyenne"),
    ],
)
def test_a_first_row_that_is_not_two_header_words_is_kept(first_row: tuple[str, str]) -> None:
    text = "\t".join(first_row) + "\nScore\t7"
    assert _rows(text) == [first_row, ("Score", "7")]


def test_a_header_like_row_later_in_the_block_is_kept() -> None:
    assert _rows("Score\t1\nName\tValue") == [("Score", "1"), ("Name", "Value")]


def test_blank_lines_are_skipped_and_whitespace_trimmed_but_inner_spaces_kept() -> None:
    text = "\n  Overall score \t  93 of 100  \n\n\t\n   \nTime taken\t2 h 30 min\n"
    assert _rows(text) == [
        ("Overall score", "93 of 100"),
        ("Time taken", "2 h 30 min"),
    ]


def test_one_cell_gives_an_empty_value_and_extra_cells_are_left_out_and_said() -> None:
    text = "Score\t100%\tleft out\talso left out\nNotes\nTime\t\t2h"
    pasted = parse_key_value_block(text)
    assert pasted.rows == (("Score", "100%"), ("Notes", ""), ("Time", ""))
    assert pasted.extra_columns_left_out


@pytest.mark.parametrize(
    "text",
    [
        "Score\t100%\tExtra",
        "Score,100%,Extra\nTime,2h",
        "Score;100%;Extra",
        "\t\tonly in the third column\nScore\t1",
    ],
)
def test_text_beyond_the_second_column_is_reported(text: str) -> None:
    assert parse_key_value_block(text).extra_columns_left_out


@pytest.mark.parametrize(
    "text",
    [
        "Score\t100%\nTime\t2h",
        "Score\t100%\t\t \nTime\t2h\t",  # a blank column copied along
        "Key\tValue\tNotes\nScore\t1",  # a header's third cell is no data
        "Score: 1, 2, 3",
        "Score\nTime",
        "",
    ],
)
def test_nothing_left_out_is_not_reported(text: str) -> None:
    assert not parse_key_value_block(text).extra_columns_left_out


def test_a_value_without_key_is_kept_so_the_form_can_point_at_it() -> None:
    assert _rows("\t100%") == [("", "100%")]


def test_spreadsheet_quoted_cell_with_line_break_and_quotes() -> None:
    text = 'Comment\t"Strong on ""systems"",\nweak on tests"\nScore\t7'
    assert _rows(text) == [
        ("Comment", 'Strong on "systems",\nweak on tests'),
        ("Score", "7"),
    ]


def test_old_mac_line_endings() -> None:
    assert _rows("a\t1\rb\t2\r") == [("a", "1"), ("b", "2")]


# ---- parse_key_value_block: CSV and notes -------------------------------------------------


def test_csv_with_quoting_honoured() -> None:
    text = 'Name,Value\nLocation,"Berlin, Germany"\nQuote,"He said ""hi"""\n'
    assert _rows(text) == [
        ("Location", "Berlin, Germany"),
        ("Quote", 'He said "hi"'),
    ]


def test_csv_with_space_before_the_quote() -> None:
    assert _rows('Location, "Berlin, Germany"') == [("Location", "Berlin, Germany")]


def test_semicolon_csv_with_decimal_commas() -> None:
    text = "Attribute;Value\nScore;2,5\nTime;3,0 h"
    assert _rows(text) == [("Score", "2,5"), ("Time", "3,0 h")]


def test_comma_csv_where_one_value_holds_a_semicolon() -> None:
    assert _rows("Score,100\nNote,a;b") == [("Score", "100"), ("Note", "a;b")]


def test_csv_value_holding_a_colon_is_not_read_as_an_assignment() -> None:
    assert _rows("Time,2:30\nLink,https://x.example/a") == [
        ("Time", "2:30"),
        ("Link", "https://x.example/a"),
    ]


def test_key_colon_and_key_equals_lines() -> None:
    text = "Score: 100%\nTime = 2:30h\nReport: https://example.com/r?a=1, b\n"
    assert _rows(text) == [
        ("Score", "100%"),
        ("Time", "2:30h"),
        ("Report", "https://example.com/r?a=1, b"),
    ]


def test_plain_lines_become_keys() -> None:
    assert _rows("Score\nTime\n") == [("Score", ""), ("Time", "")]


def test_unclosed_quote_does_not_swallow_the_following_lines() -> None:
    assert _rows('Size\t"27 inch\nScore\t1') == [
        ("Size", '"27 inch'),
        ("Score", "1"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'Feedback\t"Excellent" and "fast"\nScore\t7\n',  # tab-separated, from an editor
        'Feedback,"Excellent" and "fast"\nScore,7\n',  # a CSV line from notes
        'Feedback;"Excellent" and "fast"\r\nScore;7\r\n',
        'Feedback\t"Excellent" and "fast"  \nScore\t7',
        'Feedback: "Excellent" and "fast"\nScore: 7',
    ],
)
def test_a_value_that_starts_with_a_quote_keeps_its_quotes(text: str) -> None:
    assert _rows(text) == [("Feedback", '"Excellent" and "fast"'), ("Score", "7")]


def test_a_key_that_starts_with_a_quote_keeps_its_quotes() -> None:
    assert _rows('"Top" skill\tSQL\n"Soft" skill\tTeamwork') == [
        ('"Top" skill', "SQL"),
        ('"Soft" skill', "Teamwork"),
    ]


@pytest.mark.parametrize(
    "block",
    [
        'Feedback\t"Great"\nScore\t7',
        'Feedback\t"Great" \r\nScore\t7',
        '"Feedback"\t"Great"\n"Score"\t"7"\n',
        '"Feedback"\n"Great"\n"Score"\n"7"\n',  # one cell a line: keys, no values
    ],
)
def test_a_whole_quoted_cell_in_a_block_is_read_without_its_quotes(block: str) -> None:
    """In a block, quotes around a whole cell are quoting, whatever the cell holds.

    (They were once kept around a cell that no spreadsheet would have quoted, as typed:
    that read an export quoting every cell, tab-separated, with its header row and its
    quotes, while the same export with ``;`` or ``,`` was read right, and read one row's
    key and value unlike. One cell pasted on its own still keeps such quotes:
    ``test_one_copied_cell_gives_its_text``.)
    """
    cells = [("Feedback", "Great"), ("Score", "7")]
    if "\t" not in block:
        cells = [(cell, "") for row in cells for cell in row]
    assert _rows(block) == cells


@pytest.mark.parametrize(
    "block",
    [
        '"Key"\t"Value"\r\n"Score"\t"100%"\r\n"Time"\t"2:30h"\r\n',
        '"Key";"Value"\r\n"Score";"100%"\r\n"Time";"2:30h"\r\n',
        '"Key","Value"\r\n"Score","100%"\r\n"Time","2:30h"\r\n',
    ],
)
def test_an_export_quoting_every_cell_is_read_alike_whatever_its_delimiter(block: str) -> None:
    # Tab-separated too: its header row goes and so do its quotes.
    assert _rows(block) == [("Score", "100%"), ("Time", "2:30h")]


def test_one_row_quoted_alike_is_read_alike() -> None:
    # The key needs no quotes, the value does (a line break): both lose them.
    assert _rows('Key\tValue\n"Comment"\t"Passed\nall tests"\n') == [
        ("Comment", "Passed\nall tests")
    ]


def test_a_spreadsheet_quoted_cell_keeps_only_its_own_quotes() -> None:
    assert _rows('Feedback\t"""Great"" and ""fast"""\nScore\t7') == [
        ("Feedback", '"Great" and "fast"'),
        ("Score", "7"),
    ]


def test_csv_writers_quoting_every_cell_are_read_without_the_quotes() -> None:
    assert _rows('"Score","7"\n"Feedback","Great"\n') == [("Score", "7"), ("Feedback", "Great")]
    assert _rows('"Score";"2,5"\r\n"Time";"3 h"\r\n') == [("Score", "2,5"), ("Time", "3 h")]


@pytest.mark.parametrize("text", ["", "   ", "\n\r\n\t\n", "Key\tValue", "Name,Value\n"])
def test_nothing_to_paste(text: str) -> None:
    assert _rows(text) == []


# ---- parse_key_value_block: properties ----------------------------------------------------


def _non_empty_lines(text: str) -> int:
    return sum(1 for line in re.split(r"\r\n|\r|\n", text) if line.strip())


@given(st.text())
def test_never_raises_and_gives_no_more_rows_than_lines(text: str) -> None:
    rows = _rows(text)
    assert len(rows) <= _non_empty_lines(text)
    for key, value in rows:
        assert key == key.strip()
        assert value == value.strip()
        assert key or value


@given(st.text(alphabet="\t\n\r,;:= \"'abcKeyValue"))
def test_never_raises_on_delimiter_soup(text: str) -> None:
    assert len(_rows(text)) <= _non_empty_lines(text)


_plain_cell = st.text(
    alphabet=st.characters(exclude_characters="\t\n\r", exclude_categories=["Cs"])
).filter(lambda cell: not cell.strip().startswith('"'))
_unquoted_text = st.text(
    alphabet=st.characters(exclude_characters='\t\n\r"', exclude_categories=["Cs"])
)
# Typed with quotes, as no writer quotes a cell: quoted text with more after the closing
# quote (``"Excellent" and "fast"``). (A whole quoted cell, ``"Great"``, is quoting in a
# block, as is an opening quote closed in a later cell: those are read as quoting.)
_quote_led_cell = st.builds(
    lambda spaces, quoted, after: f'{spaces}"{quoted}"{after}',
    st.sampled_from(["", " "]),
    _unquoted_text,
    # Something other than spaces after the closing quote: text going on.
    _unquoted_text.filter(lambda after: after.strip(" ")),
)
_cell = st.one_of(_plain_cell, _quote_led_cell)


def _is_header(row: tuple[str, str]) -> bool:
    # A header row alone is read as no rows.
    return not parse_key_value_block(f"{row[0]}\t{row[1]}").rows


@given(st.lists(st.tuples(_cell, _cell), min_size=1, max_size=12))
def test_tab_joined_rows_round_trip(rows: list[tuple[str, str]]) -> None:
    expected = [(k.strip(), v.strip()) for k, v in rows if k.strip() or v.strip()]
    assume(not expected or not _is_header(expected[0]))
    text = "\n".join(f"{k}\t{v}" for k, v in rows)
    assert _rows(text) == expected
    assert not parse_key_value_block(text).extra_columns_left_out
    assert _rows("Key\tValue\r\n" + text.replace("\n", "\r\n")) == expected


def test_one_copied_cell_with_a_line_break_is_one_row_without_quote_marks() -> None:
    pasted = parse_key_value_block('"Passed all tests\nwith distinction"\r\n')
    assert pasted.rows == (("Passed all tests\nwith distinction", ""),)


# ---- split_label_and_url -----------------------------------------------------------------


def test_plain_url_is_trimmed() -> None:
    assert split_label_and_url("  https://example.com/r/1 \n") == (None, "https://example.com/r/1")


def test_label_tab_url_from_a_spreadsheet_row() -> None:
    assert split_label_and_url("Assessment Result\thttps://example.com/r/1\r\n") == (
        "Assessment Result",
        "https://example.com/r/1",
    )


def test_url_tab_label_is_recognised_the_other_way_round() -> None:
    assert split_label_and_url("https://example.com/r/1\tCoding test") == (
        "Coding test",
        "https://example.com/r/1",
    )


@pytest.mark.parametrize(
    ("pasted", "url"),
    [
        ("Cand\tTest\thttps://example.com/r/3\r\n", "https://example.com/r/3"),
        ("Ada Lovelace\t\tCoding\t<https://example.com/r/3>\t92%", "https://example.com/r/3"),
        # Two addresses: which one is meant cannot be told; left for the URL check.
        ("Cand\thttps://example.com/a\thttps://example.com/b", ""),
        ("Cand\tTest\tNo address", ""),
    ],
    ids=["name-test-url", "more-cells", "two-addresses", "no-address"],
)
def test_the_one_address_of_a_longer_sheet_row_is_the_url(pasted: str, url: str) -> None:
    # Before: the whole row, tabs and all, went into the field ("": as it still does).
    assert split_label_and_url(pasted) == (None, url or pasted)


def test_several_lines_are_all_kept_for_the_url_check_to_refuse() -> None:
    text = "\n\n  https://example.com/a  \nhttps://example.com/b\n"
    assert split_label_and_url(text) == (None, "https://example.com/a https://example.com/b")


def test_a_link_wrapped_over_two_lines_is_not_cut_to_its_first_line() -> None:
    # Plain-text mail wraps long links; the first line alone is a valid but wrong URL.
    text = "https://example.com/test-results/5BtRjZ\r\nq8Kw2vXy9LmN\r\n"
    assert split_label_and_url(text) == (
        None,
        "https://example.com/test-results/5BtRjZ q8Kw2vXy9LmN",
    )


@pytest.mark.parametrize(
    "pasted",
    [
        "Anna Smith\tanna@example.com",  # no web address: not a label and a URL
        "https://example.com/a\thttps://example.com/b",  # two addresses: neither is a label
    ],
)
def test_two_cells_without_exactly_one_address_are_no_row(pasted: str) -> None:
    assert split_label_and_url(pasted) == (None, pasted)


@pytest.mark.parametrize(
    "pasted",
    [
        "<https://example.com/r/1>",  # plain-text mail
        " <https://example.com/r/1>\n",
        "\u200bhttps://example.com/r/1\u200b",  # chat apps
        "\ufeffhttps://example.com/r/1",  # a file's byte-order mark
        "\u2066https://example.com/r/1\u2069",  # copied from a right-to-left page
        "\u202ahttps://example.com/r/1\u202c",
        "https://example.com/r/1\xad",  # a soft hyphen from a word processor
    ],
)
def test_what_surrounds_a_copied_url_is_left_behind(pasted: str) -> None:
    assert split_label_and_url(pasted) == (None, "https://example.com/r/1")


@pytest.mark.parametrize(
    "pasted",
    [
        "View results <https://example.com/r/1>",  # a plain-text mail's link
        "Link: <https://example.com/r/1>",
        "View results <https://example.com/r/1>\r\n",
        "View results\r\n<https://example.com/r/1>\r\n",  # wrapped before the link
        "Results: <HTTPS://example.com/r/1> (valid for 30 days)",
        "View results <https://example.com/r/1\u200b>",
        # Brackets round a sender's address are no second link.
        "Anna Schmidt <anna@example.org> wrote: View results <https://example.com/r/1>",
    ],
)
def test_the_one_bracketed_link_among_words_is_taken(pasted: str) -> None:
    url = "HTTPS://example.com/r/1" if "HTTPS" in pasted else "https://example.com/r/1"
    assert split_label_and_url(pasted) == (None, url)


@pytest.mark.parametrize(
    "pasted",
    [
        "Old <https://example.com/a> new <https://example.com/b>",  # which one?
        "View https://example.com/a or <https://example.com/b>",
        "View results https://example.com/r/1",  # no brackets: where does it end?
        "View results <example.com/r/1>",  # no web address
    ],
)
def test_words_without_exactly_one_bracketed_link_are_left_for_the_url_check(
    pasted: str,
) -> None:
    assert split_label_and_url(pasted) == (None, pasted)


def test_a_bracketed_link_wrapped_over_two_lines_is_not_cut_short() -> None:
    text = "View results <https://example.com/test-results/5BtRjZ\r\nq8Kw2vXy9LmN>\r\n"
    assert split_label_and_url(text) == (
        None,
        "View results <https://example.com/test-results/5BtRjZ q8Kw2vXy9LmN>",
    )


def test_a_label_row_with_a_bracketed_url_keeps_the_label() -> None:
    assert split_label_and_url("Coding test\t<https://example.com/r/1>") == (
        "Coding test",
        "https://example.com/r/1",
    )


def test_an_invisible_character_inside_a_url_is_left_for_the_url_check() -> None:
    assert split_label_and_url("https://exa\u200bmple.com/r/1") == (
        None,
        "https://exa\u200bmple.com/r/1",
    )


def test_three_cells_are_left_for_the_url_check_to_refuse() -> None:
    assert split_label_and_url("a\tb\tc") == (None, "a\tb\tc")


def test_empty_paste() -> None:
    assert split_label_and_url(" \n\t\n") == (None, "")


@given(st.text())
def test_split_never_raises_and_gives_one_trimmed_line(text: str) -> None:
    label, url = split_label_and_url(text)
    assert "\n" not in url
    assert "\r" not in url
    assert url == url.strip()
    if label is not None:
        assert label
        assert label == label.strip()
        assert "\t" not in label
        assert "\t" not in url


# ---- label_and_url_row: a row pasted into the label field --------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "Assessment Result\thttps://example.com/r/1",
        "Assessment Result\thttps://example.com/r/1\r\n",
        "https://example.com/r/1\tAssessment Result",
        " Assessment Result \t <https://example.com/r/1>\n",
    ],
)
def test_a_label_and_url_row_gives_both(pasted: str) -> None:
    assert label_and_url_row(pasted) == ("Assessment Result", "https://example.com/r/1")


@pytest.mark.parametrize(
    "pasted",
    [
        "Assessment Result",
        "https://example.com/r/1",
        "Score\t100%",  # two cells, but no web address: not a label and a URL
        "Coding test\texample.com/r/1",
        "Coding test\thttps://example.com/r/1\tExtra",
        "line one\nline two",
        # Two rows: the second would be lost without a word.
        "Label A\thttps://example.com/a\nLabel B\thttps://example.com/b",
        # Two addresses: neither is a label.
        "https://example.com/a\thttps://example.com/b",
        "",
    ],
)
def test_what_is_no_label_and_url_row(pasted: str) -> None:
    assert label_and_url_row(pasted) is None


def test_an_invisible_character_alone_in_a_third_column_is_no_left_out_column() -> None:
    # A zero-width space copied along is nothing a person would miss.
    pasted = parse_key_value_block("Score\t100%\t\u200b\nTime\t2:30h\n")
    assert list(pasted.rows) == [("Score", "100%"), ("Time", "2:30h")]
    assert not pasted.extra_columns_left_out


# ---- single_cell_text: one copied cell ---------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "cell"),
    [
        # A spreadsheet quotes one cell with a line break in it, and ends it with one.
        ('"Passed all tests\nwith distinction"\r\n', "Passed all tests\nwith distinction"),
        ('"Passed all tests\r\nwith distinction"', "Passed all tests\nwith distinction"),
        ('"She said ""well done""\nand left"\n', 'She said "well done"\nand left'),
        ('"Berlin,\nGermany"\r\n', "Berlin,\nGermany"),
        ('"a\tb"\r\n', "a\tb"),  # a tab inside quotes is the cell's own
        ("Strong communication\r\n", "Strong communication"),
        ("Strong communication", "Strong communication"),
        ("2,5\n", "2,5"),  # a decimal comma is no key and value
        # No spreadsheet quotes a cell that needs no quotes: these were typed with them.
        ('"Berlin, Germany"\n', '"Berlin, Germany"'),
        ('"Great"\r\n', '"Great"'),
        ('"Excellent" and "fast"\n', '"Excellent" and "fast"'),
        # A doubled quote is a spreadsheet's writing: those quotes go.
        ('"Say ""hi"" twice"\r\n', 'Say "hi" twice'),
        # A line selected in a mail or a web page, with the line break before it.
        ("\r\nWell done\r\n", "Well done"),
        ("\n\nWell done", "Well done"),
        ('\r\n"Passed all tests\nwith distinction"\r\n\r\n', "Passed all tests\nwith distinction"),
        ('\n"Great"\n', '"Great"'),
    ],
)
def test_one_copied_cell_gives_its_text(pasted: str, cell: str) -> None:
    assert single_cell_text(pasted) == cell
    assert single_cell_text(pasted, commas_separate=False) == cell


@pytest.mark.parametrize(
    "pasted",
    [
        "Strong communication, needs coaching on SQL",
        "Strong communication, needs coaching on SQL\r\n",
        "Score: 100%\n",
        "Score,100%",
        "\r\nScore,100%\r\n",  # the line break before it changes nothing
    ],
)
def test_one_line_read_as_a_key_and_a_value_only_when_commas_separate(pasted: str) -> None:
    assert single_cell_text(pasted) is None
    assert single_cell_text(pasted, commas_separate=False) == pasted.strip("\r\n")


@pytest.mark.parametrize(
    "pasted",
    [
        "Score\t100%",  # two cells
        "Score\t100%\r\n",
        "\thttps://example.com/r/1\r\n",
        "Score\nTime\n",  # two records
        "Score\t1\nTime\t2\n",
        '"Passed all tests\nwith distinction"\r\nScore\r\n',
        "line one\r\n\r\nline two",
        "",
        "\r\n",
    ],
)
def test_more_than_one_cell_or_none_gives_none(pasted: str) -> None:
    assert single_cell_text(pasted) is None
    assert single_cell_text(pasted, commas_separate=False) is None


def _as_a_spreadsheet_copies_one_cell(cell: str) -> str:
    # Quoted only when it holds a tab, a line break or a quote, then a line break.
    if any(ch in cell for ch in '\t\n"'):
        cell = '"' + cell.replace('"', '""') + '"'
    return cell + "\r\n"


@given(st.text(alphabet=st.characters(exclude_characters="\r", exclude_categories=["Cs"])))
def test_one_cell_as_a_spreadsheet_copies_it_gives_its_text_back(cell: str) -> None:
    assume(cell)
    assert single_cell_text(_as_a_spreadsheet_copies_one_cell(cell), commas_separate=False) == cell
