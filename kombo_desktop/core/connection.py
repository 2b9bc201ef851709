"""Where requests go and with which credentials: region or base URL, integration id, key."""

from __future__ import annotations

import enum
import functools
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import islice
from urllib.parse import urlsplit

from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import INVISIBLE_CHARACTERS, KEY_BODY, KOMBO_KEY_START, LONG_KEY_START
from kombo_desktop.core.text import (
    NO_SPACES_PROBLEM,
    half_character,
    half_character_problem,
    has_control_characters,
    host_and_port_as_written,
    strip_edges,
    validate_http_url,
)

#: What each field of a connection is called in a sentence ("Enter the API key").
FIELD_NAMES: dict[str, str] = {
    "region": "region",
    "base_url": "base URL",
    "integration_id": "integration ID",
    "api_key": "API key",
}


#: The ``Timeouts.total`` of a request someone waits for: every request of the window,
#: and the command line's unless ``--timeout`` says otherwise. A minute: time for Kombo
#: to reach a slow ATS and for a short rate-limit wait, while a person watching is better
#: told then that no answer came (and whether the link may have been added) than left
#: waiting. A longer wait that Kombo asks for is reported, not waited out.
DEFAULT_TOTAL_TIMEOUT_S = 60.0


class Region(enum.Enum):
    """Kombo's hosted regions."""

    EU = "eu"
    US = "us"

    @property
    def base_url(self) -> str:
        """The API root of this region."""
        return REGION_BASE_URLS[self]

    @property
    def label(self) -> str:
        """How the region is named to a person."""
        return "EU" if self is Region.EU else "US"

    @classmethod
    def parse(cls, text: str) -> Region:
        """The region named by ``text`` (any case, spaces around allowed).

        Raises ``InputError`` on field ``region`` naming the choices otherwise.
        """
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InputError([FieldError("region", "must be EU or US")]) from None


REGION_BASE_URLS: dict[Region, str] = {
    Region.EU: "https://api.kombo.dev/v1",
    Region.US: "https://api.us.kombo.dev/v1",
}


class Environment(enum.Enum):
    """Which Kombo environment a key belongs to, read from its prefix."""

    PRODUCTION = "Production"
    DEVELOPMENT = "Development"
    UNKNOWN = "Unknown"

    @classmethod
    def of_key(cls, api_key: str) -> Environment:
        """``ks_prod_…`` is production, ``ks_dev_…`` development, anything else unknown."""
        key = api_key.strip()
        if key.startswith("ks_prod_"):
            return cls.PRODUCTION
        if key.startswith("ks_dev_"):
            return cls.DEVELOPMENT
        return cls.UNKNOWN


def is_loopback_host(host: str) -> bool:
    """True for a host that is this computer, in any spelling that connects here without
    asking DNS.

    ``localhost``, loopback addresses (127.0.0.0/8, ``::1``, an IPv4 one written as IPv6,
    ``::ffff:127.0.0.1``), the "any" addresses ``0.0.0.0`` and ``::`` (a connection to
    them reaches this computer), with or without brackets, and the numeric forms the
    system's resolver reads (``127.1``, ``2130706433``, ``0x7f000001``). One rule for both
    of its uses: plain http is allowed for this computer, and this computer is never
    proxied. Not a name with a trailing dot (``localhost.``, ``127.0.0.1.``) nor one under
    ``localhost`` (``kombo.localhost``): resolvers may ask DNS for those, and what DNS
    answers must not get the key in clear text.
    """
    host = host.strip().removeprefix("[").removesuffix("]").lower()
    if host == "localhost":
        return True
    address = _address_of(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and (address.is_loopback or address.is_unspecified)


#: A host that may be an IPv4 address in one of the resolver's older numeric forms:
#: decimal, octal or hex parts, fewer than four of them ("127.1", "0x7f000001"). (A
#: pattern as text: ``re`` compiles it at first use, not while the window starts.)
_NUMERIC_HOST = r"[0-9a-fx.]+"


def _address_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``host`` spells, as a connection would read it; ``None`` for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not re.fullmatch(_NUMERIC_HOST, host):
        return None
    import socket  # only for such a host: the window starts without it

    try:
        # What the resolver does with such a host (getaddrinfo reads it as inet_aton does).
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def validate_base_url(url: str) -> str:
    """Return a normalized custom base URL or raise ``InputError`` on ``base_url``.

    It must be https, except on a loopback host (a local sandbox), so that a
    key never crosses a network in clear text. An API key anywhere in it is refused
    (``contains_api_key``), and the message never quotes it.
    """

    def fail(message: str) -> InputError:
        return InputError([FieldError("base_url", message)])

    url = url.strip()
    if not url:
        raise InputError([FieldError("base_url", "is required", missing=True)])
    # The base URL is saved in plain text, listed, shown and put in every copied curl
    # command: a key pasted into it (or onto its end) must get to none of them. Checked
    # first, since the URL parser's own complaints may quote what they could not read.
    if contains_api_key(url):
        raise fail(KEY_IN_TEXT_PROBLEM)
    try:
        validate_http_url(url, example="https://api.kombo.dev/v1")
    except ValueError as exc:
        raise fail(str(exc)) from None
    parts = urlsplit(url)
    assert parts.hostname is not None  # checked above
    if parts.query or parts.fragment:
        raise fail("must not have a query (?) or fragment (#)")
    if parts.username or parts.password:
        raise fail("must not contain a user name or password")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        # A host that is no address at all (``127.0.0.300``) is told as such: https would
        # not help. (Refused either way: no profile saved earlier can hold one.)
        raise fail(_ipv4_refusal(parts.hostname) or HTTPS_ONLY_FOR_THIS_COMPUTER)
    return url.rstrip("/")


#: Why a plain http base URL to another computer is refused.
HTTPS_ONLY_FOR_THIS_COMPUTER = "must use https (plain http is only allowed for this computer)"


def _ipv4_refusal(host: str) -> str | None:
    """Why a base URL with ``host`` is refused when ``host`` is written as an IPv4 address
    that is none (``ipv4_host_problem``), as the rest of a sentence about the field."""
    problem = ipv4_host_problem(host)
    return None if problem is None else f"has {_named(host)} as its host, which {problem}"


def base_url_sending_problem(url: str) -> str | None:
    """Why ``url``, a base URL ``validate_base_url`` accepts, still cannot go into a
    request, as the rest of a sentence about the field; ``None`` when it can.

    The HTTP library refuses, as it builds each request, a host written as an IPv4 address
    that is none (``256.1.1.1``, ``010.0.0.1``) and half of a character, which no request
    can carry (``core.text.HALF_CHARACTER``). A character no host name can hold
    (``exa%mple.com``) it refuses too, or lets the name lookup fail on it as "server not
    found" (``_host_character_refusal``). A host name whose parts break the rules of host
    names (``a..b``, ``-bücher.example``) it refuses, or the name lookup does, before
    sending (``_host_name_refusal``). Found here, the problem is said at the field, before
    anything is sent, and without loading the HTTP library (the window checks its
    fields while it starts). Kept apart from ``validate_base_url``, which also reads the
    profiles file: a profile saved with such a URL by an earlier version still loads, and
    is refused when a connection is made of it.
    """
    half = half_character(url)
    if half is not None:
        return half_character_problem(half)
    mark = next((mark for mark in "?#" if mark in url), None)
    if mark is not None:
        # An empty query or fragment ("…/v1?"), which ``validate_base_url`` lets through
        # (an earlier version saved such URLs): the path of every call would go into it,
        # and every call to the bare base path.
        return f"ends with “{mark}”, which would take in the path of every call: remove it"
    return (
        _ipv4_refusal(urlsplit(url).hostname or "")
        or _host_character_refusal(url)
        or _host_name_refusal(url)
    )


#: What no host name can hold: the characters the URL Standard forbids in a domain, which
#: browsers refuse in one, that can get past the rest of ``validate_http_url`` (whitespace
#: and control characters are refused there). The HTTP library refuses them only in an
#: international host name; in another, it asks the name lookup for them all the same,
#: which can only fail.
_NOT_IN_ANY_HOST_NAME = frozenset("%<>\\^|[]")


def _host_character_refusal(url: str) -> str | None:
    """Why the host of ``url`` cannot be a host name, naming the character at fault, as
    the rest of a sentence about the field; ``None`` when it can, or is an IPv6 address
    (in brackets, which ``urlsplit`` has checked).

    An international host name (one with letters beyond a–z: ``bücher.example``) is sent
    in its ASCII form, which the HTTP library writes by IDNA's rules: of ASCII, those
    allow only letters, digits, hyphens and dots. So do they in a name of plain letters
    that starts with a coded part (``xn--bcher-kva.acme_1.example``), which the library
    reads by the same rules.
    """
    host = host_and_port_as_written(urlsplit(url).netloc)[0]
    if host.startswith("["):
        return None
    # Each character looked at once, not each of a long name pasted in (checked at every key).
    characters = set(host)
    character = _first_in(host, characters & _NOT_IN_ANY_HOST_NAME)
    if character is not None:
        return f"has “{character}” in its host name {_named(host)}, which no host name can hold"
    if host.isascii() and not host.lower().startswith(_CODED_PART_START):
        return None
    beyond_idna = {ch for ch in characters if ch.isascii() and not (ch.isalnum() or ch in "-.")}
    character = _first_in(host, beyond_idna)
    if character is None:
        return None
    # A name starting with a coded part the HTTP library reads by the same rules throughout.
    which = (
        "a host name starting with xn-- cannot hold"
        if host.isascii()
        else "a host name with letters beyond a–z cannot hold"
    )
    return f"has “{character}” in its host name {_named(host)}, which {which}"


def _first_in(text: str, characters: AbstractSet[str]) -> str | None:
    """Which of ``characters`` comes first in ``text``; ``None`` when there are none."""
    if not characters:
        return None  # most often: nothing of ``text`` is read again
    return next((ch for ch in text if ch in characters), None)


#: The dots that part an international host name, as its rules read them: besides ".",
#: the ideographic and full-width ones an input method types.
_HOST_NAME_DOTS = ".\u3002\uff0e\uff61"
#: The longest part of a host name and the longest host name, in characters as sent.
_LONGEST_HOST_NAME_PART = 63
_LONGEST_HOST_NAME = 253
#: The start of a part of a host name written in coded form: ``xn--bcher-kva``.
_CODED_PART_START = "xn--"
#: The characters of the kinds ``_is_symbol_in_a_name`` takes for symbols that the rules
#: of international names still allow, in some places at least (RFC 5892: a middle dot
#: between two l's, a few Arabic, Hebrew, Tibetan and Japanese marks), and the dots.
_SYMBOLS_A_NAME_MAY_HOLD = frozenset("\u00b7\u0375\u05f3\u05f4\u06fd\u06fe\u0f0b\u30fb") | set(
    _HOST_NAME_DOTS
)


def _host_name_refusal(url: str) -> str | None:
    """Why the host name of ``url`` cannot be sent to, by the parts its dots make of it,
    as the rest of a sentence about the field; ``None`` when it can, as far as these rules
    tell (or is an IPv6 address).

    Any host name is looked up by parts of 1 to 63 characters: two dots in a row, a dot
    before the name or a longer part are refused before anything is sent. An international
    one (letters beyond a–z) the HTTP library writes by the rules of international names
    (IDNA 2008), which also refuse a symbol or emoji, a character they allow in no name
    (another form of a letter, as full-width ``ｅ``; one with no meaning yet), a part
    starting or ending with a hyphen, and a name longer than 253 characters, each counted
    as sent (``xn--…``). A part in coded form (``xn--ls8h``) those rules read for what it
    stands for (``💩``), and refuse when it stands for nothing, or for a capital letter;
    the library reads a name so only when it is international or starts with such a part,
    and then the whole name (``xn--bcher-kva.acme_1.example`` is refused):
    ``api.xn--ls8h.la`` is looked up as it is written. Only what those rules refuse for
    certain is said here, by rules rather than by the library (the window checks its fields
    as they are typed): the rest, rarer (where a joiner or a middle dot stands, letters
    written in both directions), is said when a request is built (``BaseUrlUnusable``). A
    name of plain letters is looked up as it is written, a hyphen at either end of a part
    included: the library takes it.
    """
    host = host_and_port_as_written(urlsplit(url).netloc)[0]
    if not host or host.startswith("["):
        return None
    international = not host.isascii()
    # How the HTTP library writes the name: in small letters, parted by any of the dots.
    written = host.lower()
    typed = host
    if international:
        for dot in _HOST_NAME_DOTS[1:]:
            written = written.replace(dot, ".")
            typed = typed.replace(dot, ".")
    parts = written.split(".")
    # Small letters never add or take away a dot: the parts as typed match them one to one.
    typed_parts = typed.split(".")
    if len(parts) > 1 and not parts[-1]:
        parts.pop()  # a dot after the name stands for the root of all names: allowed
    if "" in parts:
        if not parts[0]:
            return f"has a dot at the start of its host name {_named(host)}"
        return f"has two dots in a row in its host name {_named(host)}"
    if international:
        # Each character looked at once, not each of a long name pasted in.
        symbol = _first_in(written, {ch for ch in set(written) if _is_symbol_in_a_name(ch)})
        if symbol is not None:
            return f"has “{symbol}” in its host name {_named(host)}, which no host name can hold"
    # Lengths first, by counting characters: writing a part in coded form, or reading one,
    # takes time growing with the square of its length, and the window checks the field at
    # every key (a long name pasted in would freeze it). Only the parts and the names that
    # may fit are written and read below.
    too_long = next((part for part in parts if len(part) > _LONGEST_HOST_NAME_PART), None)
    if too_long is not None:
        as_sent = (
            f"{len(too_long)} characters as sent, at most {_LONGEST_HOST_NAME_PART}"
            if too_long.isascii()
            else f"more than {_LONGEST_HOST_NAME_PART} characters as sent"
        )
        return f"has a part of its host name that is too long: {_shortened(too_long)} ({as_sent})"
    if international and _shortest_sent_length(parts) > _LONGEST_HOST_NAME:
        return (
            f"has a host name that is too long: more than {_LONGEST_HOST_NAME} characters as sent"
        )
    read_by_the_rules = international or parts[0].startswith(_CODED_PART_START)
    if not read_by_the_rules:
        return None  # looked up as written, its parts' lengths checked above
    # A name of plain letters starting with a coded part the library reads whole, with the
    # dot after it if any: of 254 characters and no dot after it, it is taken (the name
    # lookup may refuse it). Checked before any part is read, as a long name pasted in is.
    if not international and len(written) > _LONGEST_HOST_NAME + 1:
        return (
            f"has a host name that is too long: {len(written) - written.endswith('.')} "
            f"characters as sent, at most {_LONGEST_HOST_NAME}"
        )
    sent_length = len(parts) - 1  # the dots between the parts
    # Not strict: a dot after the name leaves an empty part as typed, dropped from ``parts``.
    for part, typed_part in zip(parts, typed_parts, strict=False):
        part_sent_length = _sent_length(part)
        if part_sent_length > _LONGEST_HOST_NAME_PART:
            return (
                f"has a part of its host name that is too long: {_shortened(part)} "
                f"({part_sent_length} characters as sent, at most {_LONGEST_HOST_NAME_PART})"
            )
        if part.isascii() and part.startswith(_CODED_PART_START):
            problem = _coded_part_problem(part, typed_part)
        else:
            problem = _international_part_problem(part, typed_part, host)
        if problem is not None:
            return problem
        sent_length += part_sent_length
    if international and sent_length > _LONGEST_HOST_NAME:
        return (
            f"has a host name that is too long: {sent_length} characters as sent, "
            f"at most {_LONGEST_HOST_NAME}"
        )
    return None


def _shortest_sent_length(parts: list[str]) -> int:
    """The fewest characters a host name of ``parts`` can have as sent, counted without
    writing any part in coded form: a part beyond plain letters is sent as "xn--" and at
    least one character for each of its characters."""
    coded = sum(not part.isascii() for part in parts)
    return sum(map(len, parts)) + coded * len(_CODED_PART_START) + len(parts) - 1


def _sent_length(part: str) -> int:
    """How many characters ``part``, one part of a host name in small letters, has as
    sent: as typed when it is of plain letters, else in coded form (``xn--bcher-kva``)."""
    if part.isascii():
        return len(part)
    return len(_CODED_PART_START) + len(part.encode("punycode"))


def _is_symbol_in_a_name(character: str) -> bool:
    """True for a character beyond ASCII that no international host name may hold: a
    symbol (an emoji among them), a punctuation mark, a number that is no digit (``²``,
    ``½``) or a character for private use."""
    if character.isascii() or character in _SYMBOLS_A_NAME_MAY_HOLD:
        return False
    kind = unicodedata.category(character)
    return kind[0] in "SP" or kind in ("No", "Co")


def _international_part_problem(part: str, typed_part: str, host: str) -> str | None:
    """Why ``part``, one part of the international host name ``host`` in small letters
    (``typed_part`` as typed), breaks the rules of international names for certain, as the
    rest of a sentence about the field; ``None`` when it does not, as far as these rules
    tell."""
    fault = _international_part_fault(part)
    if fault == _SPLIT_ACCENT:
        # An accent typed apart from its letter, as some systems copy text: it looks the same.
        return f"{fault} in its host name {_named(host)}: type that letter again"
    if fault is not None:
        return f"has a part of its host name that {fault}: {part}"
    read = _first_not_in_any_name(part)
    if read is None:
        return None
    # Named as typed ("Ⅻ", not the "ⅻ" the library reads), for it to be found in the field.
    character = next((ch for ch in typed_part if _first_not_in_any_name(ch.lower())), read)
    written_so = _as_a_name_writes(character)
    if written_so is not None:
        return f"has “{character}” in its host name {_named(host)}: type “{written_so}” instead"
    return f"has {_shown(character)} in its host name {_named(host)}, which no host name can hold"


#: What ``_international_part_fault`` says of a letter and its accent typed apart.
_SPLIT_ACCENT = "has a letter and its accent written as two characters"
#: The kinds of character a coded part may decode to that no name holds and no message
#: should show: controls and halves of characters.
_CHARACTER_KINDS_NO_NAME_STANDS_FOR = ("Cc", "Cs")


def _international_part_fault(part: str) -> str | None:
    """What in ``part``, one part of an international host name in small letters (or what
    a coded part stands for), breaks the rules of international names for certain, as
    words that follow "which" ("starts with a hyphen"); ``None`` when nothing does, as far
    as these rules tell."""
    if part.startswith("-"):
        return "starts with a hyphen"
    if part.endswith("-"):
        return "ends with a hyphen"
    if part[2:4] == "--":
        # Only a coded part (xn--…) may have them there, and it is read for what it stands for.
        return "has hyphens as its third and fourth characters"
    if unicodedata.category(part[0]).startswith("M"):
        return "starts with an accent on no letter"
    if unicodedata.normalize("NFC", part) != part:
        return _SPLIT_ACCENT
    return None


def _coded_part_problem(part: str, typed_part: str) -> str | None:
    """Why ``part``, a part of a host name in coded form (``xn--…``, in small letters;
    ``typed_part`` as typed), breaks the rules of international names for certain, read for
    what it stands for, as the rest of a sentence about the field; ``None`` when it does
    not, as far as these rules tell.

    A coded part stands for nothing when it does not decode, or when what it decodes to is
    not written so (a name of plain letters, or another spelling of the same code): the
    rules refuse both. Decoded by the built-in codec, as those rules do it, in time growing
    with the square of the part's length: a part is read only once its length is checked.
    """
    code = part[len(_CODED_PART_START) :]
    try:
        decoded = code.encode("ascii").decode("punycode")
    except UnicodeError:
        decoded = ""
    the_part = f"has a part of its host name, {typed_part}, that"
    if (
        # Plain letters are never written coded, and nothing decoded is plain too.
        decoded.isascii()
        or decoded.encode("punycode") != code.encode("ascii")
        or any(
            unicodedata.category(character) in _CHARACTER_KINDS_NO_NAME_STANDS_FOR
            for character in decoded
        )
    ):
        return f"{the_part} is not a valid coded international name"
    stands_for = f"{the_part} stands for “{decoded}”"
    # Only a dot typed in the name parts it: one a coded part stands for is a symbol.
    symbol = next((ch for ch in decoded if ch in _HOST_NAME_DOTS or _is_symbol_in_a_name(ch)), None)
    if symbol == decoded:
        return f"{stands_for}, which no host name can hold"
    if symbol is not None:
        return f"{stands_for}, and no host name can hold “{symbol}”"
    fault = _international_part_fault(decoded)
    if fault is not None:
        return f"{stands_for}, which {fault}"
    character = _first_not_in_any_name(decoded)
    if character is None:
        return None
    written_so = _as_a_name_writes(character)
    if written_so is not None:
        return f"{stands_for}, and a host name holds “{written_so}”, not “{character}”"
    return f"{stands_for}, and no host name can hold {_shown(character)}"


#: The classes of characters the rules of international names (IDNA 2008, RFC 5892) allow
#: in a name: everywhere, or in some places (a joiner, a middle dot between two l's). A
#: character in none of them is refused wherever it stands: a capital letter, another form
#: of a letter (full-width "ｅ", the ligature "ﬁ"), a character with no meaning yet.
_CLASSES_A_NAME_MAY_HOLD = ("PVALID", "CONTEXTJ", "CONTEXTO")


def _first_not_in_any_name(part: str) -> str | None:
    """The first character of ``part``, one part of an international host name in small
    letters (or what a coded part stands for), that the rules of international names allow
    nowhere; ``None`` when there is none. Read from the tables the HTTP library reads them
    from (a newer Unicode than Python's own may know), loaded only for such a name."""
    if part.isascii():
        return None  # its letters, digits and hyphens are allowed; the rest checked before
    may_hold = _allowed_somewhere()
    if may_hold is None:
        return None
    return next((character for character in part if not may_hold(ord(character))), None)


@functools.cache
def _allowed_somewhere() -> Callable[[int], bool] | None:
    """Whether the rules of international names allow a code point somewhere, read from
    the HTTP library's own tables (``idna``); ``None`` when they cannot be read: they are
    not its documented interface, and a later version may keep them elsewhere. Sending
    then says what they refuse, in the library's words."""
    try:
        from idna.idnadata import codepoint_classes
        from idna.intranges import intranges_contain

        tables = [codepoint_classes[kind] for kind in _CLASSES_A_NAME_MAY_HOLD]
    except (ImportError, KeyError):
        return None
    return lambda code: any(intranges_contain(code, table) for table in tables)


def _as_a_name_writes(character: str) -> str | None:
    """How a host name writes ``character``, a capital letter or another form of a letter
    that no name holds (``Ü``: ``ü``; full-width ``ｅ``: ``e``; ``ﬁ``: ``fi``); ``None``
    when it has no such plain form."""
    plain = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", character).lower())
    if plain == character or not plain:
        return None
    if any(ch.isascii() and not (ch.isalnum() or ch == "-") for ch in plain):
        return None  # "⑴" is "(1)": no way a name can write it
    return plain if _first_not_in_any_name(plain) is None else None


def _shown(character: str) -> str:
    """``character`` in quotes for a message, or its code when it cannot be seen."""
    return f"“{character}”" if character.isprintable() else f"the character U+{ord(character):04X}"


def _shortened(text: str, *, longest: int = 40) -> str:
    """``text``, or its start and an ellipsis when it is longer than ``longest``."""
    return text if len(text) <= longest else text[: longest - 1] + "…"


def _named(host: str) -> str:
    """``host`` as a message about it names it: shortened, for a long one pasted in is
    said at each key typed, and without what cannot be seen (named apart, by its code)."""
    return _shortened("".join(ch if ch.isprintable() else "�" for ch in host), longest=80)


def ipv4_host_problem(host: str) -> str | None:
    """Why ``host``, written as an IPv4 address (four numbers with dots), is none, as the
    rest of a sentence about it ("is not an IP address: …"); ``None`` when it is one, or
    is written in another way (a name, or a form the HTTP library reads as a name)."""
    numbers = host.split(".")
    if len(numbers) != 4 or not all(number.isascii() and number.isdigit() for number in numbers):
        return None
    if any(int(number) > 255 for number in numbers):
        return "is not an IP address: each of its four numbers goes up to 255"
    if any(len(number) > 1 and number.startswith("0") for number in numbers):
        # Read as octal by some programs and refused by others: which address is meant is
        # not certain.
        return "is not an IP address as written: write its numbers without a 0 in front"
    return None


class BaseUrlUnusable(InputError):
    """A base URL the HTTP library could not make a request of, found as the request was
    built: nothing was sent. An ``InputError`` on ``base_url``, said as the connection's
    problem; ``reason`` is why, in short ("its host name … is not a valid internet name").

    The field's checks (``validate_base_url``, ``base_url_sending_problem``) catch what they
    can; this is what only the HTTP library knows (the rules of international host names),
    and a URL of a profile saved before those checks.
    """

    def __init__(self, reason: str) -> None:
        """The error of a base URL that cannot be used because of ``reason``."""
        self.reason = reason
        super().__init__([FieldError("base_url", f"cannot be used: {reason}")])


def _single_token(field: str, text: str) -> str:
    """``text`` trimmed, if it is one run of printable ASCII; else ``InputError`` on ``field``.

    Keys and integration ids travel in HTTP headers and paths. A pasted zero-width
    space or accented letter would pass a whitespace check, be saved, and then make
    every request fail inside the HTTP library with an error that says nothing useful.
    """
    value = text.strip()
    if not value:
        raise InputError([FieldError(field, "is required", missing=True)])
    if has_control_characters(value) or any(ch.isspace() for ch in value):
        raise InputError([FieldError(field, NO_SPACES_PROBLEM)])
    if not all("!" <= ch <= "~" for ch in value):
        raise InputError(
            [
                FieldError(
                    field,
                    "must contain only plain letters, digits and punctuation (an invisible "
                    "or accented character may have been pasted with it)",
                )
            ]
        )
    return value


#: How a value is told to be an API key, said where one is refused (never the value).
KEY_SHAPE = "keys start with ks_prod_ or ks_dev_"
#: What a field holding a key somewhere in its text says (never the key itself).
KEY_IN_TEXT_PROBLEM = f"must not contain an API key ({KEY_SHAPE})"


def looks_like_api_key(text: str) -> bool:
    """True when ``text`` starts as a Kombo key does (``ks_prod_…`` or ``ks_dev_…``),
    also as a key is copied with what often comes around it: quotes or brackets,
    invisible characters, ``Bearer``, an assignment (``KOMBO_API_KEY=…``, ``export …``),
    a command-line option (``--api-key=…``, ``--api-key …``), a YAML line
    (``api_key: …``) or a JSON pair (``"apiKey": "…"``, ``{"apiKey":"…"}``).

    A key and an integration ID are both long tokens copied from Kombo's dashboard, so one
    is easily pasted in place of the other; a key in a field that is saved in plain text,
    shown and sent as a header must be caught there. An integration ID is one token, so
    a key anywhere in text with spaces or quotes is one copied with its label too
    (``API Key: ks_prod_…``, ``apiKey:"ks_prod_…"``, PowerShell's ``$env:…="ks_prod_…"``).
    """
    if "ks_" not in text:
        return False  # the common case, without a pattern
    value = strip_edges(text)
    copied_key = re.sub(_AROUND_A_KEY, "", value).strip(_QUOTES)
    if Environment.of_key(copied_key) is not Environment.UNKNOWN:
        return True
    if re.search(LONG_KEY_START, value):
        # A key pasted right after a word (``acmeks_prod_…``): an ATS's own id after its
        # prefix (``workday:ks_prod_abc``) is not as long as a key.
        return True
    # Quotes around the whole are how an ID is copied out of JSON: still one token.
    return not _is_one_token(value.strip(_QUOTES)) and contains_api_key(value)


def _is_one_token(text: str) -> bool:
    """True when ``text`` holds no space and no quote, as any integration ID."""
    return not any(char.isspace() or char in _QUOTE_MARKS for char in text)


#: What may come before a copied key, one piece after the other, each piece taken at
#: the first of these that fits: a quoted name and a colon or ``=`` (JSON, TOML: its
#: quotes tell it from an ATS's prefix, so no space is needed after the colon); a name
#: and ``=``; a name, a colon and a space (YAML, a header line); an option and its ``=``
#: or space (``--api-key``); ``export``; ``Bearer``; one quote, bracket or space.
#: An unquoted name and a colon count only with a space after them: YAML needs one there,
#: while an ATS's id is one token and may hold anything after its own prefix
#: (``workday:ks_prod_abc`` is an integration ID, ``api_key: ks_prod_…`` a key).
#: (Patterns as text: ``re`` compiles them at first use, not while the window starts.)
_NAME = r"[A-Za-z_][\w.-]*"
_AROUND_A_KEY = (
    rf"""^(?:["'`]{_NAME}["'`]\s*[:=]\s*|{_NAME}\s*=\s*|{_NAME}[ \t]*:\s+"""
    rf"""|--?[A-Za-z][\w.-]*(?:[ \t]*=[ \t]*|\s+)|export\s+|Bearer\s+|[\s"'`(\[{{<])*"""
)
_QUOTES = "\"'`()[]{}<>"


#: A key anywhere in a text: its start and what follows as far as a key goes
#: (``core.logs.KEY_BODY``, the one definition of a key's characters, ``/``, ``=``, ``:``
#: and ``.`` included). Not inside a word (``webhooks_prod_eu`` and ``tasks_dev_round`` are
#: words), unless it is as long as a key is: one pasted right after a word (``seeks_prod_…``)
#: is still one.
_KEY_IN_TEXT = KOMBO_KEY_START + KEY_BODY


def contains_api_key(text: str) -> bool:
    """True when a Kombo key (``ks_prod_…``, ``ks_dev_…``) stands anywhere in ``text``.

    For text kept in plain words (a profile name), where a key may be pasted next to
    other words or punctuation: ``Acme (ks_prod_…)``, ``key=ks_prod_…``. An integration
    ID is checked with ``looks_like_api_key`` instead: an ATS's id may hold anything
    after its own prefix.
    """
    return next(_keys_in(text), None) is not None


#: What stands where an API key was taken out of a text that is kept (a profile's name,
#: a draft's field, a file set aside), given to ``without_api_keys``. In brackets: in
#: "Acme [API key removed]" it reads as a note on the name, not as part of it.
KEY_REMOVED = "[API key removed]"


def without_api_keys(text: str, replacement: str) -> str:
    """``text`` with each key that ``contains_api_key`` finds in it replaced by
    ``replacement``, and everything else as it was.

    The very text of ``re.sub(_KEY_IN_TEXT, replacement, text)``, found in short steps
    (``_keys_in``): a draft's text may be megabytes of pasted JSON.
    """
    kept: list[str] = []
    done = 0  # what is before this has been copied to ``kept`` or replaced
    for match in _keys_in(text):
        kept += (text[done : match.start()], match.expand(replacement))
        done = match.end()
    if not kept:
        return text
    kept.append(text[done:])
    return "".join(kept)


def _keys_in(text: str) -> Iterator[re.Match[str]]:
    """The keys in ``text``, in order: the very matches of ``re.finditer(_KEY_IN_TEXT,
    text)``, found in short steps.

    One search through megabytes (a pasted remote-fields JSON full of ``tasks_dev_…``)
    holds every other thread, the window's among them, for a quarter of a second. Each
    key starts with a lowercase ``ks_``, so only where that stands is the pattern tried:
    each step is a search for ``ks_`` in a bounded stretch, or one key matched.
    """
    start = _find_in_steps(text, _KEY_START, 0)
    if start < 0:
        return  # the common case, without compiling the pattern
    pattern = _key_in_text()
    while start >= 0:
        # ``match`` at ``start`` still looks behind it: a key glued to a word is told as
        # one search through the whole text tells it.
        match = pattern.match(text, start)
        if match is None:
            start = _find_in_steps(text, _KEY_START, start + 1)
            continue
        yield match
        start = _find_in_steps(text, _KEY_START, match.end())


#: What every match of ``_KEY_IN_TEXT`` starts with, case and all.
_KEY_START = "ks_"
#: How many characters one step of ``_find_in_steps`` searches: well under a millisecond.
_SEARCH_STEP = 256 * 1024


@functools.cache
def _key_in_text() -> re.Pattern[str]:
    """``_KEY_IN_TEXT`` compiled, at its first use rather than while the window starts."""
    return re.compile(_KEY_IN_TEXT)


def _find_in_steps(text: str, wanted: str, start: int) -> int:
    """``text.find(wanted, start)``, searched ``_SEARCH_STEP`` characters at a time, so that
    other threads get the interpreter between two steps."""
    length = len(text)
    while start < length:
        # Each step reaches into the next one by less than ``wanted``: one found across
        # the edge is found whole.
        end = min(length, start + _SEARCH_STEP + len(wanted) - 1)
        found = text.find(wanted, start, end)
        if found >= 0:
            return found
        start += _SEARCH_STEP
    return -1


#: A key the app holds that is shorter than this is not looked for in other texts: a key
#: of a test, or one cut short, would otherwise be found in every other word.
MIN_HELD_KEY_LENGTH = 8
#: What a field holding a key the app holds says, whatever the key's shape (never the key).
HELD_KEY_IN_TEXT_PROBLEM = "must not contain an API key"


@dataclass(frozen=True)
class HeldKeys:
    """The keys the app holds (the connection's in use), to be found in texts of any kind.

    Unlike ``contains_api_key``, which knows the documented ``ks_…`` shapes only, these are
    the exact keys, whatever their shape: a key format Kombo may introduce, a proxy's
    token. Each is found as typed, also with invisible characters inside, as the log takes
    a key (``core.logs``). A text that writes characters as escapes (the remote fields'
    JSON) is searched as it reads: see ``RemoteFieldsInput.json_strings_text``. Never in a
    ``repr``: it holds the keys.
    """

    #: The keys looked for, longest first (one is never left half replaced).
    keys: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, keys: Iterable[str]) -> HeldKeys:
        """The keys of ``keys`` worth looking for: trimmed, at least ``MIN_HELD_KEY_LENGTH``
        characters long."""
        found = {key.strip() for key in keys}
        worth = (key for key in found if len(key) >= MIN_HELD_KEY_LENGTH)
        return cls(tuple(sorted(worth, key=len, reverse=True)))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def found_in(self, text: str) -> bool:
        """True when one of the keys stands anywhere in ``text``."""
        return any(
            key in text or (not text.isascii() and re.search(_spread(key), text))
            for key in self.keys
        )

    def any_key_in(self, text: str) -> bool:
        """True when ``text`` holds a key of Kombo's shape (``contains_api_key``) or one
        of these keys."""
        return contains_api_key(text) or self.found_in(text)

    def first_key_start(self, text: str) -> int | None:
        """Where the first key in ``text`` begins, one of Kombo's shape
        (``contains_api_key``) or one of these keys; ``None`` when it holds none."""
        starts = [match.start() for match in islice(_keys_in(text), 1)]
        starts += [start for start, _ in self.spans_in(text)[:1]]
        return min(starts, default=None)

    def refused_in(
        self, texts: Mapping[str, str | None], errors: Iterable[FieldError] = ()
    ) -> list[FieldError]:
        """``errors`` with the problem ``HELD_KEY_IN_TEXT_PROBLEM`` at each field of
        ``texts`` (a field's name and the text typed there) that holds one of the keys.

        Those problems come first, in the order of ``texts``, and replace every other
        problem of their fields, which may quote the text, and so the key: all but the
        refusal of a key of Kombo's shape, which never quotes it and says more (the shape
        of a key), and stays as it was said."""
        errors = list(errors)
        at_fault = [name for name, text in texts.items() if text and self.found_in(text)]
        said = {error.field for error in errors if _refuses_a_key(error)}
        refused = [FieldError(name, HELD_KEY_IN_TEXT_PROBLEM) for name in at_fault]
        return [problem for problem in refused if problem.field not in said] + [
            error for error in errors if error.field not in at_fault or _refuses_a_key(error)
        ]

    def spans_in(self, text: str) -> list[tuple[int, int]]:
        """Where the keys stand in ``text``, invisible characters inside one included: the
        start and end of each, in order, none overlapping another (of two that would,
        the one starting first, or the longer one, is kept)."""
        found: list[tuple[int, int]] = []
        for key in self.keys:
            if text.isascii():
                # No invisible character can be in it: the quick way (megabytes of JSON).
                start = text.find(key)
                while start >= 0:
                    found.append((start, start + len(key)))
                    start = text.find(key, start + len(key))
            else:
                found += (match.span() for match in re.finditer(_spread(key), text))
        spans: list[tuple[int, int]] = []
        for start, end in sorted(found, key=lambda span: (span[0], -span[1])):
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
        return spans

    def removed_from(self, text: str, replacement: str) -> str:
        """``text`` with each of the keys in it replaced by ``replacement``, the invisible
        characters inside one included; ``text`` itself when it holds none."""
        spans = self.spans_in(text)
        if not spans:
            return text
        pieces: list[str] = []
        done = 0
        for start, end in spans:
            pieces += (text[done:start], replacement)
            done = end
        pieces.append(text[done:])
        return "".join(pieces)


def fields_holding_a_held_key(error: BaseException) -> tuple[str, ...]:
    """The fields ``error`` refuses for holding one of the keys of a ``HeldKeys``
    (``HeldKeys.refused_in``), in its order; none unless it is an ``InputError``."""
    problems = error.errors if isinstance(error, InputError) else ()
    return tuple(p.field for p in problems if p.message == HELD_KEY_IN_TEXT_PROBLEM)


def _refuses_a_key(error: FieldError) -> bool:
    """True for a field's refusal of a key of Kombo's shape (``KEY_IN_TEXT_PROBLEM``,
    "must not be an API key (…)"), which never quotes the key."""
    return error.message.endswith(f"({KEY_SHAPE})")


#: No key held: only a Kombo key's shape is known.
NO_HELD_KEYS = HeldKeys()


def _spread(key: str) -> str:
    """A pattern finding ``key`` also with invisible characters between its own (a held
    key is plain ASCII: any such character was pasted in with it)."""
    between = f"[{INVISIBLE_CHARACTERS}]*"
    return between.join(re.escape(char) for char in key)


#: Why an integration ID copied with its quotes (out of JSON or a CSV cell) is refused:
#: they would be saved and sent as part of it, and Kombo knows no such integration.
INTEGRATION_ID_IN_QUOTES = "is in quotes: give it without them"


def validate_integration_id(integration_id: str) -> str:
    """Return the trimmed integration id or raise ``InputError`` on ``integration_id``.

    An API key is refused here (``looks_like_api_key``), and the message never quotes it.
    So is an ID in quotes (``INTEGRATION_ID_IN_QUOTES``): no integration ID holds one.
    """
    # First: a key copied with a space or a mark in it must be named as the key it is.
    if looks_like_api_key(integration_id):
        raise InputError([FieldError("integration_id", f"must not be an API key ({KEY_SHAPE})")])
    value = _single_token("integration_id", integration_id)
    if value[0] in _QUOTE_MARKS or value[-1] in _QUOTE_MARKS:
        raise InputError([FieldError("integration_id", INTEGRATION_ID_IN_QUOTES)])
    return value


def integration_id_without_quotes(integration_id: str) -> str:
    """``integration_id`` without the quotes it was copied with (see
    ``INTEGRATION_ID_IN_QUOTES``), for one an earlier version saved with them."""
    return integration_id.strip().strip(_QUOTE_MARKS)


#: The environment variable the command line reads a key from, as a ``.env`` file sets it.
API_KEY_VARIABLE = "KOMBO_API_KEY"
#: What stood around a key copied with it, said of the key ("The API key is in quotes"):
#: the reason alone, for a key that is already saved, where it is not given again.
_WITH_ITS_VARIABLE = f"has {API_KEY_VARIABLE}= before the key"
_IN_QUOTES = "is in quotes"
_WITH_ITS_LABEL = "has more than the key around it (a label, an option or a word)"
#: Why a key given with the variable's name before it (a ``.env`` file's line) is refused.
KEY_WITH_ITS_VARIABLE = f"{_WITH_ITS_VARIABLE}: give only the key"
#: Why a key in quotes is refused: the quotes would be saved and sent as part of it.
KEY_IN_QUOTES = f"{_IN_QUOTES}: give only the key, without them"
#: Why a key given with a label, an option or a word around it is refused.
KEY_WITH_ITS_LABEL = f"{_WITH_ITS_LABEL}: give only the key"
#: Each reason, with what to do where a key is given.
_COPIED_KEY_REFUSALS = {
    _WITH_ITS_VARIABLE: KEY_WITH_ITS_VARIABLE,
    _IN_QUOTES: KEY_IN_QUOTES,
    _WITH_ITS_LABEL: KEY_WITH_ITS_LABEL,
}
#: The quotes a key is copied in from code or a settings file (brackets are told as a label).
_QUOTE_MARKS = "\"'`"


def sets_the_key_variable(text: str) -> bool:
    """True for ``KOMBO_API_KEY=…``: the key's variable set, as a ``.env`` file or a shell
    writes it, also when it is typed as a command's argument. Any case: Windows'
    variables have none."""
    name, equals, _value = text.partition("=")
    return bool(equals) and name.upper() == API_KEY_VARIABLE


def _copied_key_reason(text: str) -> str | None:
    """What stood around ``text``, a key copied with it, said of the key; ``None`` when
    nothing did (see ``copied_key_problem``)."""
    value = strip_edges(text)
    if sets_the_key_variable(value):
        return _WITH_ITS_VARIABLE
    if value and (value[0] in _QUOTE_MARKS or value[-1] in _QUOTE_MARKS):
        return _IN_QUOTES
    if Environment.of_key(value) is Environment.UNKNOWN and looks_like_api_key(value):
        return _WITH_ITS_LABEL
    return None


def copied_key_problem(text: str) -> str | None:
    """Why ``text``, given as a key, is a key copied with what stood around it (a ``.env``
    file's ``KOMBO_API_KEY=…``, quotes, ``export``, ``Bearer``, a label), or ``None``.

    Saved as it is, it would be taken for a key of unknown kind, and every request would
    be refused with it. The words never quote ``text``: it holds the key. Whitespace and
    invisible characters at its ends are looked past: a key pasted with one of those
    alone is told so by ``validate_api_key``.
    """
    reason = _copied_key_reason(text)
    return None if reason is None else _COPIED_KEY_REFUSALS[reason]


def saved_key_problem(key: str) -> str | None:
    """Why ``key``, as the keyring holds it for a profile, cannot be sent, said of the key
    ("is in quotes"), or ``None`` when it can (or is empty: then there is no key).

    An earlier version saved a key pasted with its quotes or its ``.env`` line, which
    ``validate_api_key`` refuses now: the person is told to save the key again, not to
    give it (see ``core.profiles.SavedKeyUnusable``). The words never quote ``key``.
    """
    reason = _copied_key_reason(key)
    if reason is not None:
        return reason
    try:
        _single_token("api_key", key)
    except InputError as exc:
        problem = exc.errors[0]
        return None if problem.missing else problem.message
    return None


def validate_api_key(api_key: str) -> str:
    """Return the trimmed key or raise ``InputError`` on ``api_key``.

    Every place a key is entered comes here (the window's fields, the command line, the
    keyring's ``KeyStore.set``): a key copied with what stood around it is refused
    (``copied_key_problem``), and the message never quotes it.
    """
    problem = copied_key_problem(api_key)
    if problem is not None:
        raise InputError([FieldError("api_key", problem)])
    return _single_token("api_key", api_key)


@dataclass(frozen=True)
class Connection:
    """Everything needed to talk to one customer's integration.

    The key is excluded from ``repr`` so that it never lands in a log or a
    traceback by accident.
    """

    base_url: str
    integration_id: str
    api_key: str = field(repr=False)

    @classmethod
    def create(
        cls,
        *,
        api_key: str,
        integration_id: str,
        region: Region | None = None,
        base_url: str | None = None,
        held: HeldKeys = NO_HELD_KEYS,
    ) -> Connection:
        """Validate every part at once; raise ``InputError`` naming each field at fault.

        A ``base_url`` given as text, even empty, means a custom URL was chosen: an
        empty one is reported at ``base_url`` rather than replaced by a region. The key,
        whatever its shape, is refused in the integration ID and the base URL: it would be
        sent in a header or a path beside the one that carries it, and logged there. So
        are the keys of ``held`` (other keys the caller holds).
        """
        errors: list[FieldError] = []
        resolved = ""
        if base_url is not None:
            try:
                resolved = validate_base_url(base_url)
            except InputError as exc:
                errors.extend(exc.errors)
            else:
                problem = base_url_sending_problem(resolved)
                if problem is not None:
                    errors.append(FieldError("base_url", problem))
        else:
            resolved = (region or Region.EU).base_url
        checked: dict[str, str] = {}
        for name, check, value in (
            ("integration_id", validate_integration_id, integration_id),
            ("api_key", validate_api_key, api_key),
        ):
            try:
                checked[name] = check(value)
            except InputError as exc:
                errors.extend(exc.errors)
        typed = {"base_url": base_url, "integration_id": integration_id}
        errors = HeldKeys.of([api_key, *held.keys]).refused_in(typed, errors)
        if errors:
            raise InputError(errors)
        return cls(
            base_url=resolved,
            integration_id=checked["integration_id"],
            api_key=checked["api_key"],
        )

    @property
    def environment(self) -> Environment:
        """The environment the key belongs to."""
        return Environment.of_key(self.api_key)
