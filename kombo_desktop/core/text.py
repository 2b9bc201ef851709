"""Small text checks shared by the models and the start-up path, without pydantic.

The connection and the profiles need these before the window shows; importing them
from here keeps pydantic (and its import time) off that path.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from kombo_desktop.core import pacing

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator


#: Unicode's control characters (category Cc): C0, DEL and C1. A pattern, not a test of
#: each character's category: a label or value of a megabyte is checked at every key.
#: (Text: ``re`` compiles it at first use.)
_CONTROL_CHARACTER = "[\x00-\x1f\x7f-\x9f]"


def has_control_characters(text: str) -> bool:
    """True when ``text`` holds a control character (newline and tab included)."""
    return re.search(_CONTROL_CHARACTER, text) is not None


def without_control_characters(text: str, *, keep: str = "\n\t") -> str:
    """``text`` without the control characters ``has_control_characters`` finds (C0, DEL
    and C1), but for those in ``keep``: line breaks and tabs, by default.

    For text from elsewhere that is shown or printed: a terminal runs the escape
    sequences such characters start (retitling the window, clearing the screen, writing
    to the clipboard), and a window shows them as boxes or nothing.
    """
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def has_invisible_characters(text: str) -> bool:
    """True when ``text`` holds an invisible formatting character (a zero-width space,
    a byte-order mark, a direction mark): text copied from web pages and chats brings
    them along, and nobody sees them in a field."""
    # Every such character is outside ASCII: most keys, values and names are checked at
    # once, not a character at a time (thousands of attribute rows at each change).
    return not text.isascii() and any(unicodedata.category(ch) == "Cf" for ch in text)


def strip_edges(text: str) -> str:
    """``text`` without whitespace or invisible characters at its ends, in any mix.

    Invisible means what ``has_invisible_characters`` finds (any formatting character:
    zero-width spaces, direction marks, a soft hyphen …): copied from chat, mail or a
    web page, they come along unseen. A subdivision's flag at the end (England,
    Scotland, Wales: ``_SUBDIVISION_FLAG``) is kept whole, though its tags are such
    characters.
    """
    if text.isascii():
        return text.strip()  # the same: whitespace alone (no ASCII character is invisible)
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]) and not _ends_with_flag(text, start, end):
        end -= 1
    return text[start:end]


def _is_edge(character: str) -> bool:
    return character.isspace() or has_invisible_characters(character)


#: A subdivision's flag: the black flag, tag characters naming the region, a cancel tag.
#: Shown as one flag; without its tags, as a plain black flag. (Text: ``re`` compiles it
#: at first use.)
_SUBDIVISION_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"


def _ends_with_flag(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` ends with a subdivision's flag."""
    if text[end - 1] != "\U000e007f":
        return False
    return re.search(f"(?:{_SUBDIVISION_FLAG})$", text[start:end]) is not None


#: The zero-width non-joiner and joiner: invisible themselves, they shape the letters
#: around them (Persian and Indian scripts, emoji sequences such as a family).
JOINERS = frozenset("\u200c\u200d")


def without_invisible_characters(text: str, *, keep_joiners: bool = False) -> str:
    """``text`` without the invisible characters ``has_invisible_characters`` finds, but
    the tags of a subdivision's flag (``strip_edges``).

    ``keep_joiners`` keeps ``JOINERS``, for text that is kept as written: without them
    some words and emoji look different.
    """

    def visible(part: str) -> str:
        return "".join(
            ch
            for ch in part
            if not has_invisible_characters(ch) or (keep_joiners and ch in JOINERS)
        )

    if text.isascii():
        return text  # none of them is ASCII (``has_invisible_characters``)
    if "\U000e007f" not in text:
        return visible(text)
    kept: list[str] = []
    done = 0
    for flag in re.finditer(_SUBDIVISION_FLAG, text):
        kept += [visible(text[done : flag.start()]), flag.group()]
        done = flag.end()
    kept.append(visible(text[done:]))
    return "".join(kept)


#: The control characters a person sees as a line break or a tab.
_LINE_BREAKS_AND_TABS = frozenset("\n\r\t\v\f\x85")


def without_line_breaks_and_tabs(text: str) -> str:
    """``text`` without the control characters that show as a line break or a tab: what
    is left of them in text that may run over lines is a control character no one sees."""
    return "".join(ch for ch in text if ch not in _LINE_BREAKS_AND_TABS)


def has_line_break_or_tab(text: str) -> bool:
    """True when ``text`` holds a control character that shows as a line break or a tab:
    the one a person can be told to look for (another, BEL or ESC, shows as nothing)."""
    return not _LINE_BREAKS_AND_TABS.isdisjoint(text)


def spaced_as_seen(text: str, *, keep_joiners: bool = False) -> str:
    """``text`` without invisible characters (but the joiners, if ``keep_joiners``: they
    shape the letters of some scripts), each run of whitespace as one space."""
    return " ".join(without_invisible_characters(text, keep_joiners=keep_joiners).split())


def as_compared(text: str) -> str:
    """What two texts share when a person would take them for the same: without invisible
    characters (joiners too), each run of whitespace as one space, capitals aside, in one
    Unicode form. Attribute keys and profile names are compared this way."""
    spaced = spaced_as_seen(text)
    # Case folding can undo the Unicode form (a capital with an accent): made one again.
    return unicodedata.normalize("NFC", spaced.casefold())


#: What angle brackets hold, as mail clients write an address or a link among words: no
#: whitespace, no bracket. (A pattern as text: ``re`` compiles it at first use, not while
#: the window starts.)
_IN_ANGLE_BRACKETS = r"<([^\s<>]*)>"
_MAILTO = "mailto:"


def the_one_in_angle_brackets(text: str, wanted: Callable[[str], bool]) -> str | None:
    """The text inside the one pair of angle brackets in ``text`` whose text is
    ``wanted``, as it stands; ``None`` when no pair or several hold such text.

    Mail clients put an address or a link among words in angle brackets
    (``Anna Schmidt <anna@example.org>``, ``View results <https://…>``): the brackets
    say exactly where it starts and ends. Brackets around whitespace or another bracket
    are no such pair. Two pairs that both hold what is ``wanted`` leave it a guess which
    one was meant, so neither is taken.
    """
    held = [inside for inside in re.findall(_IN_ANGLE_BRACKETS, text) if wanted(inside)]
    return held[0] if len(held) == 1 else None


def _names_an_address(inside: str) -> bool:
    return "@" in inside


#: What mail clients put after each address of a list ("a@x.org; b@y.org"), and the full
#: stop of a sentence an address was copied from ("write to a@x.org."): no address ends
#: with one.
_AFTER_AN_ADDRESS = ";,."
#: Quotes an address comes in when copied from a document or a chat, as pairs.
_QUOTE_PAIRS = frozenset({('"', '"'), ("'", "'"), ("“", "”"), ("„", "“"), ("‘", "’"), ("«", "»")})


def _unwrapped(text: str) -> str:
    """``text`` without the list separators (or a sentence's full stop) after it and the
    quotes around it, in any order and number (``"anna@example.org";``,
    ``anna@example.org.``), when what is left names an address; else ``text`` as it is."""
    inner = text
    while True:
        before = inner
        inner = strip_edges(inner.rstrip(_AFTER_AN_ADDRESS))
        if len(inner) >= 2 and (inner[0], inner[-1]) in _QUOTE_PAIRS:
            inner = strip_edges(inner[1:-1])
        if inner == before:
            break
    return inner if _names_an_address(inner) else text


def email_address_in(text: str) -> str:
    """The email address in ``text`` as mail clients copy one, else ``text`` as it is.

    A To or From entry copied from Outlook or Gmail brings the name along
    (``Anna Schmidt <anna@example.org>``): the one address in angle brackets is taken
    (``the_one_in_angle_brackets``).
    "Copy link" on an address gives ``mailto:anna@example.org``, perhaps with
    ``?subject=…`` after it: the scheme and what follows ``?`` are dropped, and
    ``%2B``-style escapes are read as the characters they stand for. A lone address
    copied from a list of them keeps the separator after it (``anna@example.org;``
    from Outlook, a comma elsewhere), or comes in quotes: both are dropped
    (``_unwrapped``). Whitespace and invisible characters at either end go first (see
    ``strip_edges``); text with two addresses in brackets, or none, or a link to no
    address, is given back as it is, for the person to see why nobody matches.
    """
    address = strip_edges(text)
    bracketed = the_one_in_angle_brackets(address, _names_an_address)
    address = _unwrapped(address) if bracketed is None else bracketed
    if address[: len(_MAILTO)].lower() == _MAILTO:
        linked, _query = (address[len(_MAILTO) :] + "?").split("?", 1)
        # A link to no address ("mailto:?subject=…") is left as it came.
        address = strip_edges(unquote(linked)) or address
    return address


def is_web_address(text: str) -> bool:
    """True when ``text`` starts as an http(s) address does (whether it is a valid one is
    ``validate_http_url``'s to say)."""
    return text[:8].lower().startswith(("http://", "https://"))


#: Said of an ID or address pasted with an invisible character (a zero-width space from a
#: chat): the ATS would look for it with that character, and find nothing.
INVISIBLE_CHARACTER_PROBLEM = "contains an invisible character (it may have been pasted with it)"
#: Said of a one-word value (an address, an integration ID) holding a space or a break.
NO_SPACES_PROBLEM = "must not contain spaces, tabs or line breaks"


def validate_http_url(url: str, *, example: str = "https://example.com/results/123") -> str:
    """Return ``url`` if it is an absolute http(s) URI with a host, else raise ``ValueError``.

    The error is the rest of a sentence about the field ("must name a host, as in …"),
    with ``example`` showing what such a URL looks like.
    """
    if not url:
        raise ValueError("is required")
    if has_control_characters(url) or any(ch.isspace() for ch in url):
        raise ValueError(NO_SPACES_PROBLEM)
    if has_invisible_characters(url):
        raise ValueError(INVISIBLE_CHARACTER_PROBLEM)
    # Python's parser words what it refuses for programmers ("Invalid IPv6 URL"): the
    # person is told instead what to correct.
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ValueError(_unreadable_host_problem(url, example)) from None
    try:
        _ = parts.port
    except ValueError:
        raise ValueError(_port_problem(parts.netloc, example)) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("must start with https:// (or http://)")
    if not parts.hostname:
        raise ValueError(f"must name a host, as in {example}")
    return url


def host_and_port_as_written(netloc: str) -> tuple[str, str]:
    """The host and the port of a URL's ``netloc`` as written (case kept, an IPv6 address
    with its brackets), as ``urlsplit`` tells them apart: the host after a user name, the
    port after the colon that follows the host."""
    host_and_port = netloc.rpartition("@")[2]
    if host_and_port.startswith("["):
        host, _bracket, after = host_and_port.partition("]")
        return host + _bracket, after.partition(":")[2]
    host, _colon, port = host_and_port.partition(":")
    return host, port


def _with_netloc(example: str, netloc: str) -> str:
    """``example`` with ``netloc`` for its host and port: a URL shaped as the field's."""
    return urlsplit(example)._replace(netloc=netloc).geturl()


def _unreadable_host_problem(url: str, example: str) -> str:
    """Why ``urlsplit`` could not read ``url``, as the rest of a sentence about the field.

    It refuses brackets that hold no IPv6 address, and a character that stands for one
    of ``/?#@:`` once read in its plain form (a full-width ``／``, say).
    """
    netloc = url.partition("//")[2]
    for ends_netloc in "/?#":
        netloc = netloc.partition(ends_netloc)[0]
    ipv6 = f"an IPv6 address is written in brackets, as in {_with_netloc(example, '[::1]:8443')}"
    if "[" in netloc and "]" not in netloc:
        return f"has an opening [ with no closing ]: {ipv6}"
    if "]" in netloc and "[" not in netloc:
        return f"has a closing ] with no opening [: {ipv6}"
    if "[" in netloc:
        inside = netloc.partition("[")[2].partition("]")[0]
        if _is_ipv4_address(inside):
            # An IPv4 address is written bare: say so, with the host and port typed so
            # written (the rest of the URL, a query's secret say, is not repeated).
            bare = netloc.rpartition("@")[2].replace(f"[{inside}]", inside, 1)
            return f"has an IPv4 address in brackets: write it without them, as {bare}"
        return f"has brackets that hold no IPv6 address: {ipv6}"
    for character in netloc:
        plain = unicodedata.normalize("NFKC", character)
        if plain != character and any(part in plain for part in "/?#@:"):
            return f"has “{character}” in its host, which reads as “{plain}” and cannot be in one"
    return "is not a valid URL"


def _is_ipv4_address(text: str) -> bool:
    """True when ``text`` is an IPv4 address as Python reads one (``127.0.0.1``)."""
    import ipaddress

    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def _port_problem(netloc: str, example: str) -> str:
    """Why the port of ``netloc`` is none, as the rest of a sentence about the field."""
    port = host_and_port_as_written(netloc)[1]
    with_port = _with_netloc(example, urlsplit(example).netloc + ":8443")
    # Plain digits only, as the URL parser reads a port: ``int`` would also take "+80",
    # "1_000" and other scripts' digits, and the words would call them out of range.
    if not (port.isascii() and port.isdigit()):
        return f"is not a valid URL: its port is not a number (a port is written as in {with_port})"
    return f"is not a valid URL: its port {int(port)} is not between 0 and 65535"


#: Byte-order marks of the encodings Windows tools write besides UTF-8, longest first
#: (UTF-32's little-endian mark starts as UTF-16's does).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def without_byte_order_mark(text: str) -> str:
    """``text`` without the one byte-order mark (U+FEFF) an encoding may put before it: a
    file saved as "UTF-8 with BOM", PowerShell's UTF-8, a server's answer. It is no part
    of the text (JSON readers may ignore it, RFC 8259), and it is invisible."""
    return text.removeprefix("\ufeff")


#: How many bytes ``encoding_of_text_start`` needs to tell every mark apart.
LONGEST_BYTE_ORDER_MARK = 4


def encoding_of_text_start(start: bytes) -> str:
    """The encoding of text whose bytes start with ``start`` (its first
    ``LONGEST_BYTE_ORDER_MARK`` bytes or more, or all of them when there are fewer), as
    ``decode_file_text`` reads it: UTF-16 or UTF-32 when a byte-order mark says so, else
    UTF-8. Decoded in it, a mark before the text is dropped (``utf-8-sig`` for UTF-8)."""
    for mark, encoding in _WIDE_BOMS:
        if start.startswith(mark):
            return encoding
    return "utf-8-sig"


def decode_file_text(raw: bytes) -> str:
    """The text of a file's ``raw`` bytes, without a byte-order mark before it.

    UTF-8, unless a byte-order mark says UTF-16 or UTF-32. Windows tools write those marks:
    Notepad's "UTF-8 with BOM", PowerShell 5's ``Out-File -Encoding utf8`` and its ``>``
    (UTF-16). A file saved there is read as the person meant it, not refused as damaged.
    Raises ``UnicodeDecodeError`` for bytes that are not in the encoding they claim.
    """
    return raw.decode(encoding_of_text_start(raw))


class _Literal(str):
    """A number (or a constant such as ``NaN``) of an answer, as it was written."""


class _Members(list[tuple[str, object]]):
    """An object of an answer: its members in their order, a key given twice kept twice."""


def _kept_as_written(literal: str) -> _Literal:
    return _Literal(literal)


def _indented(value: object, depth: int, out: list[str]) -> None:
    """Write ``value`` to ``out`` as ``json.dumps(value, indent=2, ensure_ascii=False)``
    lays it out, numbers as they were written.

    Strings are written by the encoder ``json.dumps`` uses for them (in C where Python has
    it), without a ``json.dumps`` call each: an answer of 1 MiB holds tens of thousands.
    """
    if isinstance(value, str):
        out.append(value if isinstance(value, _Literal) else encode_basestring(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif isinstance(value, _Members):
        if not value:
            out.append("{}")
            return
        inside = "\n" + "  " * (depth + 1)
        out.append("{" + inside)
        for index, (key, member) in enumerate(value):
            if index:
                out.append("," + inside)
            out.append(encode_basestring(key) + ": ")
            _indented(member, depth + 1, out)
        out.append("\n" + "  " * depth + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inside = "\n" + "  " * (depth + 1)
        out.append("[" + inside)
        for index, member in enumerate(value):
            if index:
                out.append("," + inside)
            _indented(member, depth + 1, out)
        out.append("\n" + "  " * depth + "]")


def pretty_json(text: str) -> str:
    """``text`` indented if it is JSON, else as it is.

    Laid out as ``json.dumps(…, indent=2)`` does, but not re-valued: a number keeps the
    digits it came with (read as a float, ``1e400`` would become ``Infinity``, which is
    no JSON, and a long decimal would lose digits), and a key given twice stays twice.
    """
    try:
        value = json.loads(
            text,
            parse_float=_kept_as_written,
            parse_int=_kept_as_written,
            parse_constant=_kept_as_written,
            object_pairs_hook=_Members,
        )
        out: list[str] = []
        _indented(value, 0, out)
    except (ValueError, RecursionError):
        # Not JSON, or nested deeper than can be laid out: shown as it came.
        return text
    return "".join(out)


#: Half of a character: a UTF-16 surrogate without its other half, as ``"\\ud83d"`` in JSON
#: (an emoji cut in two by a script) or a byte that is not UTF-8 on a command line. Python
#: holds it in a string, but no UTF-8 body can carry it: sending would fail. (A pattern
#: as text: ``re`` compiles it at first use, not while the window starts.)
HALF_CHARACTER = r"[\ud800-\udfff]"


def _written_as_escape(half: re.Match[str]) -> str:
    """The half character ``half`` found as its JSON escape (``\\ud83d``): how every
    message shows one, as it cannot be shown itself."""
    return f"\\u{ord(half.group()):04x}"


def half_character(text: str) -> str | None:
    """The first half character in ``text`` (see ``HALF_CHARACTER``), written as its JSON
    escape (``\\ud83d``), or ``None`` when it has none."""
    if text.isascii():
        return None
    found = re.search(HALF_CHARACTER, text)
    return None if found is None else _written_as_escape(found)


def with_half_characters_escaped(text: str) -> str:
    """``text`` with each half character in it written as its JSON escape, as
    ``half_character`` writes one, and the rest as it is: so that it can be shown."""
    if text.isascii():
        return text
    return re.sub(HALF_CHARACTER, _written_as_escape, text)


def half_character_problem(escape: str) -> str:
    """What is said of a value holding the half character ``escape``."""
    return (
        f"contains half of a character ({escape}), as text cut in the middle of an emoji "
        "does; remove it or write the whole character"
    )


#: The zero-width joiner: an emoji, the joiner and another emoji are drawn as one
#: (``👩‍💻``, a woman and a laptop: a technologist).
ZERO_WIDTH_JOINER = "\u200d"
#: The skin tones (``👍🏽``): drawn into the emoji before them, never beside it.
_SKIN_TONES = range(0x1F3FB, 0x1F400)


def _takes_no_column(character: str) -> bool:
    """True for what a terminal draws into the character before it or not at all: a
    combining mark (an accent typed apart, a variation selector) or an invisible one."""
    return bool(unicodedata.combining(character)) or unicodedata.category(character) in {
        "Mn",
        "Me",
        "Cf",
    }


def _columns_of(character: str) -> int:
    """Two for an East Asian wide or fullwidth character and most emoji, else one."""
    return 2 if unicodedata.east_asian_width(character) in {"W", "F"} else 1


def display_width(text: str) -> int:
    """How many columns ``text`` takes on a terminal: two for an East Asian wide or
    fullwidth character (``株``, ``Ａ``) and most emoji, none for a combining mark, a
    variation selector or an invisible character, one for the rest.

    Characters joined by a zero-width joiner are drawn as one: such a sequence with an
    emoji in it (``👩‍💻``, ``🏳️‍🌈``) takes two columns, as one emoji does, and a skin
    tone after an emoji none. Joined letters of a script (Persian, Indian) keep their
    own columns.
    """
    width = 0
    # The columns of the character being drawn, with the ones joined to it so far.
    drawn = 0
    joined_next = False
    for character in text:
        if character == ZERO_WIDTH_JOINER:
            # Joins only what stands between two characters.
            joined_next = drawn > 0
            continue
        if _takes_no_column(character) or (drawn == 2 and ord(character) in _SKIN_TONES):
            continue
        columns = _columns_of(character)
        if joined_next and 2 in (drawn, columns):
            # One wide character in place of those joined so far.
            width += 2 - drawn
            drawn = 2
        else:
            width += columns
            drawn = columns
        joined_next = False
    return width


def padded_to_width(text: str, width: int) -> str:
    """``text`` with spaces after it up to ``width`` columns (``display_width``): what
    ``str.ljust`` does for text whose every character takes one column."""
    return text + " " * max(0, width - display_width(text))


#: An object or array with more members than this is encoded by ``json_pieces`` a batch of
#: members at a time.
_MANY_MEMBERS = 16
#: About how many characters one piece of ``json_pieces`` holds, and how many characters
#: of a long string the piecewise encoders encode at once (well under a millisecond).
_PIECE_CHARACTERS = 16 * 1024


def utf8_size(text: str, *, halves_counted: bool = False) -> int:
    """How many bytes ``text`` takes in UTF-8; ``UnicodeEncodeError`` when it holds half
    of a character (see ``HALF_CHARACTER``), which UTF-8 cannot carry, unless
    ``halves_counted``: then each half counts as the three bytes a file of it holds."""
    # Most JSON is ASCII: then its length is its size, and no copy of it is made.
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass" if halves_counted else "strict"))


def json_size(value: object, *, paced: bool = False) -> int:
    """How many bytes ``json.dumps(value, ensure_ascii=False)`` takes in UTF-8: what a
    request body ``value`` is as sent.

    Counted over ``json_pieces``, so that no step of it holds the interpreter for long.
    ``paced`` pauses between them (``core.pacing``): for a background thread, whose pauses
    are time the window gets to paint.
    """
    pieces = json_pieces(value)
    return sum(map(utf8_size, pacing.paced(pieces) if paced else pieces))


def json_pieces(value: object) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False)`` in pieces: joined, the very same text.

    Each piece is encoded by one call of ``json.dumps`` (in C), which holds the
    interpreter for as long as it runs: one call for a JSON of megabytes holds every other
    thread, the GUI's among them, for tens of milliseconds. So objects and arrays are
    opened down to the first ones with many members, which are encoded some members at a
    time, about ``_PIECE_CHARACTERS`` at once; a member with many members of its own is
    opened likewise, and a long string is encoded ``_PIECE_CHARACTERS`` at a time. (A
    member with few members holding megabytes below them is encoded in one call: JSON as
    exported by an ATS is wide, not so deep.)
    """
    return _json_pieces(value, within_many=False)


def _json_pieces(value: object, *, within_many: bool) -> Iterator[str]:
    """``json_pieces`` of ``value``; ``within_many``: an object or array with many
    members holds it, so that it is encoded whole unless it has many members itself."""
    if isinstance(value, str):
        yield from _string_pieces(value)
        return
    if not isinstance(value, dict | list | tuple) or not _opened(value, within_many=within_many):
        yield json.dumps(value, ensure_ascii=False)
        return
    within_many = within_many or len(value) > _MANY_MEMBERS
    is_object = isinstance(value, dict)
    members = value.items() if isinstance(value, dict) else value
    yield "{" if is_object else "["
    separator = ""  # none before the first member
    batch: list[Any] = []
    batch_size = 1
    for member in members:
        inner = member[1] if is_object else member
        if not _opened(inner, within_many=within_many):
            batch.append(member)
            if len(batch) < batch_size:
                continue
            text = _members_text(batch, is_object=is_object)
            yield separator + text
            separator = ", "
            batch = []
            # Members differ in size from one JSON to the next: a piece of about
            # _PIECE_CHARACTERS holds as many as it takes.
            if len(text) < _PIECE_CHARACTERS // 2:
                batch_size *= 2
            elif len(text) > _PIECE_CHARACTERS * 2 and batch_size > 1:
                batch_size //= 2
            continue
        if batch:
            yield separator + _members_text(batch, is_object=is_object)
            separator = ", "
            batch = []
        yield separator + (_key_text(member[0]) + ": " if is_object else "")
        separator = ", "
        yield from _json_pieces(inner, within_many=within_many)
    if batch:
        yield separator + _members_text(batch, is_object=is_object)
    yield "}" if is_object else "]"


def _opened(value: object, *, within_many: bool) -> bool:
    """True when ``json_pieces`` writes ``value`` in pieces (member by member, or a long
    string some characters at a time), not in one call."""
    if isinstance(value, str):
        return len(value) > _PIECE_CHARACTERS
    if not isinstance(value, dict | list | tuple) or not value:
        return False
    return not within_many or len(value) > _MANY_MEMBERS


def _members_text(members: list[Any], *, is_object: bool) -> str:
    """The members of an object (key and value pairs) or an array as ``json.dumps``
    writes them inside its brackets."""
    return json.dumps(dict(members) if is_object else members, ensure_ascii=False)[1:-1]


def _key_text(key: object) -> str:
    """A key as ``json.dumps`` writes it (a number or ``None`` as a string, as it does)."""
    if isinstance(key, str):
        return encode_basestring(key)
    return json.dumps({key: None}, ensure_ascii=False)[1 : -len(": null}")]


def _string_pieces(text: str) -> Iterator[str]:
    """``text`` as ``json.dumps(text, ensure_ascii=False)`` writes it, a long one
    ``_PIECE_CHARACTERS`` at a time: JSON escapes each character on its own, so the pieces
    joined are the string encoded whole."""
    # ``encode_basestring`` is what ``json.dumps`` encodes a string with (in C), without
    # the encoder it makes at each call.
    if len(text) <= _PIECE_CHARACTERS:
        yield encode_basestring(text)
        return
    yield '"'
    for start in range(0, len(text), _PIECE_CHARACTERS):
        yield encode_basestring(text[start : start + _PIECE_CHARACTERS])[1:-1]
    yield '"'


def indented_json_pieces(value: object) -> Iterator[str]:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` in pieces: joined, the very same
    text, written without holding the interpreter for long at any step.

    Objects (whose keys are all texts) and arrays are written member by member, and a long
    string ``_PIECE_CHARACTERS`` at a time; anything else (a number, an object with a key
    of another kind) by one call of ``json.dumps``.

    A plain generator: stopped part way, it leaves no reference cycle, so the value it was
    in is freed at once, never left to the garbage collector (in the app, on the GUI
    thread). An encoder that looks for values holding themselves would keep the objects
    it was in within such a cycle.
    """
    return _indented_json_pieces(value, "")


def _indented_json_pieces(value: object, indent: str) -> Iterator[str]:
    """``indented_json_pieces`` of ``value``, which stands on a line indented by
    ``indent``."""
    if isinstance(value, str):
        yield from _string_pieces(value)
        return
    members: Iterable[tuple[str | None, object]]
    if isinstance(value, dict) and value and all(isinstance(name, str) for name in value):
        members, brackets = value.items(), "{}"
    elif isinstance(value, list | tuple) and value:
        members, brackets = zip(itertools.repeat(None), value), "[]"
    else:
        yield _in_one_piece(value, indent)
        return
    inner = indent + "  "
    yield brackets[0]
    separator = "\n" + inner  # no comma before the first member
    for name, member in members:
        line_start = separator if name is None else separator + encode_basestring(name) + ": "
        separator = ",\n" + inner
        if _written_in_one_piece(member):
            # With the start of its line: no generator for each of many small values.
            yield line_start + _in_one_piece(member, inner)
        else:
            yield line_start
            yield from _indented_json_pieces(member, inner)
    yield "\n" + indent + brackets[1]


def _written_in_one_piece(value: object) -> bool:
    """True when ``indented_json_pieces`` writes ``value`` in one piece: all but a long
    string and an object or array with members (an object whose keys are not all texts
    is found out by ``_indented_json_pieces``, and written in one piece there)."""
    if isinstance(value, str):
        return len(value) <= _PIECE_CHARACTERS
    return not (isinstance(value, dict | list | tuple) and value)


def _in_one_piece(value: object, indent: str) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, on a
    line indented by ``indent``."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None or isinstance(value, int | float):  # True and False among the ints
        # The encoder ``json.dumps`` keeps for its defaults, not one made at each call: a
        # JSON may hold many numbers, and they are written alike either way.
        return json.dumps(value)
    # Encoded whole, then indented as deep as it stands: its texts hold no line break
    # (JSON escapes them), so each line break starts a line of its own.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)


def indented_json_start(value: object, limit: int) -> tuple[str, bool]:
    """The start of ``json.dumps(value, indent=2, ensure_ascii=False)``, and whether
    anything of it was left out.

    At most ``limit`` characters, ended at the last line end among them (at the limit
    when there is none). Only that start is encoded (``indented_json_pieces``): a value
    of megabytes costs no more here than a small one, and nothing of it stays held once
    this returns.
    """
    pieces: list[str] = []
    length = 0
    for piece in indented_json_pieces(value):
        pieces.append(piece)
        length += len(piece)
        if length > limit:
            break
    else:
        return "".join(pieces), False
    start = "".join(pieces)[:limit]
    line_end = start.rfind("\n")
    return (start[:line_end] if line_end > 0 else start), True


#: The directional formatting characters whose effect reaches past the text they are
#: in, to the end of its line: the embeddings and overrides (U+202A to U+202E) and the
#: isolates (U+2066 to U+2069). Quoted from elsewhere, one left open turns the words
#: after it around ("Error" read backwards, an ID shown reversed). Without them, letters
#: of right-to-left scripts (Arabic, Hebrew names) still read right to left: that comes
#: with each letter, not with these. The marks (U+200E, U+200F, U+061C) are single
#: letters of no width, reaching nothing beyond themselves: they stay.
_DIRECTION_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def without_direction_controls(text: str) -> str:
    """``text`` without the embeddings, overrides and isolates (``_DIRECTION_CONTROLS``):
    shown among other words, it cannot reorder them."""
    # Most text is ASCII, which holds none: checked at the speed of the string's own code.
    return text if text.isascii() else text.translate(_DIRECTION_CONTROLS)


#: Shown where text from elsewhere broke its line, once it is put on one line.
LINE_BREAK_MARK = "\u23ce"


def on_one_line(text: str) -> str:
    """``text`` on one line: each line break (CR LF as one, and every other character
    ``str.splitlines`` breaks at) shown as ``LINE_BREAK_MARK``, each tab as a space.

    For words from elsewhere shown beside the app's own on one line (a name in a list):
    a line break in them would start a line that reads as the app's ("Candidate ID: …").
    A break at the very end is left out, as it shows nothing.
    """
    lines = text.splitlines()
    return LINE_BREAK_MARK.join(lines).replace("\t", " ")


def _is_shown_escaped(character: str) -> bool:
    """True for a character that cannot be told from another (or from none) when shown:
    a control character, an invisible one, a line or paragraph separator, a space other
    than the ASCII one, a private-use or unassigned one."""
    if character == " ":
        return False
    return unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn", "Cs"}


def with_invisible_characters_escaped(text: str) -> str:
    """``text`` with each character that cannot be seen for what it is (a zero-width
    space, a direction override, a control character, an odd space) written as its JSON
    escape (``\\u200b``), and each backslash as ``\\\\``: two texts that differ look
    different. For a value shown so that it can be checked character by character (an
    ID that is sent as it is), as the raw answer's view shows such characters."""
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text
    shown: list[str] = []
    for character in text:
        if character == "\\":
            shown.append("\\\\")
        elif _is_shown_escaped(character):
            # As JSON writes it: a character beyond the first plane as its two halves.
            shown.append(json.dumps(character)[1:-1])
        else:
            shown.append(character)
    return "".join(shown)
