"""The "Advanced: ATS-specific fields" part of the form, without Qt.

A few remote fields have their own inputs (iCIMS, Oracle, Greenhouse, Workable);
anything else is typed as a JSON object. ``RemoteFieldsInput`` holds what was
typed and builds the ``remote_fields`` mapping for
``ResultLinkRequest.from_form``. A key given both by a typed input and by the
JSON is refused rather than silently overwritten.

The JSON may be megabytes pasted in, and every change is checked more than once (by the
editor, by its search for the input at fault, by the form's own check): the check of the
last text is made once and kept (``check_json``, ``_known_check``). Where a problem is
(its line and column) is looked for only once there is one (``_tokens``): valid JSON is
not read again. A JSON too large to check with each key typed is checked on another
thread (``check_json`` touches nothing shared): the form then only looks its outcome up
(``RemoteFieldsInput.json_checked_in_background``), and counts it as still being
checked until it is known.

The key the app sends with is looked for in what the JSON's strings read
(``json_strings_text``), whatever escapes wrote it, and taken out of its text where it
is written (``raw_json_without``).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from math import isfinite
from typing import TYPE_CHECKING, Any

from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.kinds import ORACLE_DOCUMENT_CATEGORIES
from kombo_desktop.core.text import (
    half_character,
    half_character_problem,
    with_half_characters_escaped,
    without_byte_order_mark,
)

if TYPE_CHECKING:
    # pydantic loads with the first validation, not when the form is built.
    from pydantic import ValidationError

    from kombo_desktop.core.connection import HeldKeys

__all__ = [
    "FIELD",
    "STILL_CHECKED_PROBLEM",
    "JsonCheck",
    "ParsedRemoteFields",
    "RemoteFieldsInput",
    "check_json",
    "forget_json_check",
    "remember_json_check",
]

#: The form field that every problem here is reported on.
FIELD = "remote_fields"
#: What is said of a JSON checked in the background until its outcome is known.
STILL_CHECKED_PROBLEM = "are still being checked…"


def _fail(message: str) -> InputError:
    return InputError([FieldError(FIELD, message)])


class _JsonRefused(ValueError):
    """JSON that parses in Python but must not be sent."""


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two equal keys without a word. Called for every
    # object of megabytes: the dict is built at C speed, the pairs read only when one is
    # repeated.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _JsonRefused(f"“{key}” appears twice in the same object")
            seen.add(key)
    return result


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are Python extensions, not JSON; Kombo would refuse them.
    raise _JsonRefused(f"{name} is not allowed in JSON")


def _finite_number(text: str) -> float:
    # 1e400 reads as infinity, which no JSON can carry: it would be sent as null, or
    # dropped, without a word.
    number = float(text)
    if not isfinite(number):
        raise _JsonRefused(f"{text} is too large a number for JSON")
    return number


def _integer_within_json(text: str) -> int:
    # An integer beyond what a JSON reader's double holds becomes infinity there, as
    # 1e400 does; thousands of digits would even stop Python's own reader.
    if len(text) <= _SURELY_WITHIN_JSON:
        return int(text)  # nearly every one: no need to measure it
    digits = len(text.lstrip("-"))
    if digits > _MAX_INTEGER_DIGITS or abs(number := int(text)) > sys.float_info.max:
        raise _JsonRefused(f"a number of {digits} digits is too large for JSON")
    return number


#: More digits than any integer a double holds (about 1.8e308) has.
_MAX_INTEGER_DIGITS = 309
#: An integer written in this many characters or fewer is far within a double's range.
_SURELY_WITHIN_JSON = 300


#: How the JSON's text may write half a character (``text.half_character``): a ``\\u``
#: escape in the surrogates' range. (A pattern as text: ``re`` compiles it at first use.)
_HALF_CHARACTER_ESCAPE = r"\\u[dD][89a-fA-F]"


def _encodes(text: str) -> bool:
    """True when ``text`` can be sent as UTF-8 (it holds no half character)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _may_hold_half_character(raw_json: str, strings: str) -> bool:
    """Whether the JSON of ``raw_json``, whose strings read ``strings``, holds half a
    character: looked for at the speed of the text's own search and encoding."""
    if re.search(_HALF_CHARACTER_ESCAPE, raw_json) is None and _encodes(raw_json):
        return False
    # Written as an escape, as in ``\\ud83d\\ude00``, it may be an emoji's two halves.
    return not _encodes(strings)


def _refuse_half_characters(value: dict[str, Any]) -> None:
    """``_JsonRefused`` naming the first string, key or value, that holds half a character."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        path, item = pending.pop()
        members: list[tuple[str, Any]] = []
        if isinstance(item, dict):
            for key, member in item.items():
                escape = half_character(key)
                where = f"{path}.{key}" if path else key
                if escape is not None:
                    shown = with_half_characters_escaped(where)
                    raise _JsonRefused(f"the key “{shown}” {half_character_problem(escape)}")
                members.append((where, member))
        elif isinstance(item, list):
            members = [(f"{path}[{index}]", member) for index, member in enumerate(item)]
        elif isinstance(item, str):
            escape = half_character(item)
            if escape is not None:
                raise _JsonRefused(f"“{path}” {half_character_problem(escape)}")
        # Reversed onto the stack: the first one in the text is the one named.
        pending.extend(reversed(members))


def _is_blank(text: str) -> bool:
    # As ``not text.strip()``, without copying megabytes of JSON that end in a line break.
    return not text or text.isspace()


#: Between two strings of a JSON in ``JsonCheck.strings``: no key the app holds has one
#: (a key is one run of printable characters), so none is found across two strings.
_BETWEEN_STRINGS = "\n"


class ParsedRemoteFields(dict[str, Any]):
    """The ``remote_fields`` mapping built from the JSON typed in the form
    (``RemoteFieldsInput.to_remote_fields``).

    Its members for other ATSs are the very objects the JSON was parsed into: JSON's types
    only, and shared by every request built from the same text, so they are only read.
    A request built from it sends them as they are (``ResultLinkRequest.from_form``),
    without the copy a megabyte JSON would cost at each preview.
    """


@dataclass(frozen=True)
class JsonCheck:
    """What the JSON of one text came to: its object and what its strings read, or the
    problems refusing it. Made by ``check_json``."""

    #: The text checked, as typed.
    text: str
    value: dict[str, Any] = field(default_factory=dict, repr=False)
    problems: tuple[FieldError, ...] = ()
    #: Every string of the object, keys and values, with ``_BETWEEN_STRINGS`` between two.
    strings: str = field(default="", repr=False)
    #: Whether a Kombo key stands in ``strings`` (``contains_api_key``). Found with the
    #: check, on its thread: looked for again at each key typed in another field, it would
    #: search megabytes on the thread that validates the form.
    holds_api_key: bool = False


#: The last check made or handed in, kept for its text. One change is checked several
#: times over (see the module's docstring); a single entry is enough, and it is replaced as
#: one object. Only the thread that validates the form sets it: a check made on another
#: thread is handed in there (``remember_json_check``).
_last_check: JsonCheck | None = None


def check_json(raw_json: str) -> JsonCheck:
    """Check ``raw_json`` as the form does, remembering nothing: safe on any thread.

    Megabytes take a moment (a few tens of milliseconds each). Run on another thread, the
    parser hands the interpreter back between the objects it reads, so that thread is not
    held up for long at a time.
    """
    from kombo_desktop.core.connection import contains_api_key

    try:
        value, strings = _parse_uncached(raw_json)
    except InputError as exc:
        return JsonCheck(raw_json, problems=exc.errors)
    return JsonCheck(raw_json, value, strings=strings, holds_api_key=contains_api_key(strings))


def remember_json_check(check: JsonCheck) -> None:
    """Keep ``check`` as the outcome of its text, for the checks of the form that follow
    (on the thread that validates the form: ``check_json`` may run elsewhere)."""
    global _last_check
    _last_check = check


def forget_json_check() -> None:
    """Let go of the check kept (for megabytes, many thousand objects), as before another
    is made in the background."""
    global _last_check
    _last_check = None


def _known_check(raw_json: str) -> JsonCheck | None:
    """The check of ``raw_json`` when it is the one kept, else ``None``."""
    last = _last_check
    # Equal texts compare as memory, far quicker than checking them again; the very
    # text checked (as the editor hands it on) compares at once.
    return last if last is not None and last.text == raw_json else None


def _checked(raw_json: str) -> JsonCheck:
    """The check of ``raw_json``, made now unless it is the one kept (which it becomes)."""
    check = _known_check(raw_json)
    if check is None:
        check = check_json(raw_json)
        remember_json_check(check)
    return check


def _parse_uncached(raw_json: str) -> tuple[dict[str, Any], str]:
    """The JSON object of ``raw_json`` (``{}`` when blank) and what its strings read
    (``JsonCheck.strings``); ``InputError`` when it must not be sent."""
    text = without_byte_order_mark(raw_json)
    if _is_blank(text):
        return {}, ""
    try:
        value = json.loads(
            text,
            object_pairs_hook=_refuse_duplicate_keys,
            parse_constant=_refuse_constant,
            parse_float=_finite_number,
            parse_int=_integer_within_json,
        )
    except json.JSONDecodeError as exc:
        raise _fail(_syntax_problem(text, exc)) from None
    except _JsonRefused as exc:
        raise _fail(_located(f"Not valid JSON: {exc}", text, _position_of_refusal(text))) from None
    except RecursionError:
        raise _too_deep(text) from None
    if not isinstance(value, dict):
        raise _fail(
            'Must be a JSON object, e.g. {"icims": {"assessment_package_id": "1234"}}; '
            f"got {_json_type(value)}"
        )
    found = _strings_within_levels(value)
    if found is None:
        raise _too_deep(text)
    strings = _joined(found)
    if _may_hold_half_character(text, strings):
        try:
            _refuse_half_characters(value)
        except _JsonRefused as exc:
            # Named by its path (``lever.note``), which says where it is.
            raise _fail(f"Not valid JSON: {exc}") from None
    return value, strings


#: The most levels a remote-fields JSON may have, the object itself being the first: what
#: reads it after the check (the comparison of two requests, the encoders writing the
#: body) goes one call deeper for each level, and Python stops at about 1,000 calls.
#: Checked here, so that the form says so at the JSON instead of the body failing to be
#: built or sent after the check let it through.
_MAX_LEVELS = 256


def _strings_within_levels(value: dict[str, Any]) -> list[str] | None:
    """Every string in ``value``, keys and values; ``None`` when a value lies below
    ``_MAX_LEVELS`` levels. One walk for both: each object and list is visited once."""
    strings: list[str] = []
    add = strings.append
    add_keys = strings.extend

    # Recursive, which is quickest in Python: never deeper than _MAX_LEVELS calls.
    def read(container: dict[str, Any] | list[Any], level: int) -> bool:
        if level == _MAX_LEVELS and container:
            return False  # a member of it would be a level deeper
        if type(container) is dict:
            add_keys(container)
            members: Any = container.values()
        else:
            members = container
        for member in members:
            kind = type(member)
            if kind is str:
                add(member)
            elif kind in _CONTAINERS and not read(member, level + 1):
                return False
        return True

    return strings if read(value, 1) else None


#: The types of the parsed JSON values that hold other values (a set: quicker to look a
#: type up in than a tuple, for each value of megabytes).
_CONTAINERS = frozenset({dict, list})
#: How many strings are joined at once (``_joined``).
_JOINED_AT_ONCE = 4096


def _joined(strings: list[str]) -> str:
    """``strings`` with ``_BETWEEN_STRINGS`` between two. Joined a slice at a time: one
    join of megabytes holds the interpreter for as long as it takes, and another thread
    (the window's) would wait for it."""
    if len(strings) <= _JOINED_AT_ONCE:
        return _BETWEEN_STRINGS.join(strings)
    slices = [
        _BETWEEN_STRINGS.join(strings[start : start + _JOINED_AT_ONCE])
        for start in range(0, len(strings), _JOINED_AT_ONCE)
    ]
    return _BETWEEN_STRINGS.join(slices)


def _too_deep(text: str) -> InputError:
    """The problem with ``text`` nested below ``_MAX_LEVELS`` levels, said where."""
    return _fail(
        _located(
            f"Not valid JSON: nested too deeply, more than {_MAX_LEVELS} levels",
            text,
            _position_too_deep(text),
        )
    )


def _located(message: str, text: str, position: int | None) -> str:
    """``message`` followed by the line and column of ``position`` in ``text``
    (``_line_and_column``)."""
    if position is None:
        return message  # not found: the message alone says more than a wrong place
    line, column = _line_and_column(text, position)
    return f"{message} (line {line}, column {column})"


#: What an editor shows as the end of a line: a line feed, and the line and paragraph
#: separators that text pasted from a document or a web page brings. The parser counts
#: line feeds only: after a separator its line was one short of the line the person
#: sees, and its column counted from the line before.
_LINE_ENDS = ("\n", "\u2028", "\u2029")


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    """The line and the column of ``position`` in ``text`` as an editor shows them
    (``_LINE_ENDS``), both counted from 1."""
    line, line_start = 1, 0
    for end in _LINE_ENDS:
        line += text.count(end, 0, position)
        line_start = max(line_start, text.rfind(end, 0, position) + 1)
    return line, position - line_start + 1


def _syntax_problem(text: str, exc: json.JSONDecodeError) -> str:
    """What the parser's error means, in words that say what to fix, and where.

    A comma left before a closing brace or bracket (``{"a": 1,}``) is refused by the
    parser as a missing key or value; it is named as what it is, at that closing.
    """
    problem = exc.msg
    position = exc.pos
    if problem.startswith("Illegal trailing comma"):
        # Newer Pythons name it themselves, at the comma: said at the closing, as before.
        position = _next_visible(text, position + 1)
    closing = text[position : position + 1]
    if (
        (problem, closing) in _AT_A_CLOSING_AFTER_A_COMMA and _after_a_comma(text, position)
    ) or problem.startswith("Illegal trailing comma"):
        name = "bracket ]" if closing == "]" else "brace }"
        problem = f"a comma before the closing {name} must go"
    elif text.startswith(_COMMENT_STARTS, position):
        # Written as in JavaScript or a config file; the parser stops at its first
        # character, as at any other it does not expect.
        shown = "// …" if text.startswith("//", position) else "/* … */"
        problem = f"JSON has no comments: remove the comment {shown}"
    elif (pasted := _pasted_character_problem(closing, problem)) is not None:
        problem = pasted
    else:
        problem = _plain_problem(text, problem, position)
    return _located(f"Not valid JSON: {problem}", text, position)


def _next_visible(text: str, position: int) -> int:
    """Where the first character after JSON whitespace from ``position`` on is."""
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


#: Python's words for JSON's own words, as the parser stops at them.
_PYTHON_WORDS = {"True": "true", "False": "false", "None": "null"}


def _word_at(text: str, position: int) -> str:
    """The word (letters, digits, ``_`` and ``-``) that starts at ``position`` with a letter
    or a digit, cut at 40 characters: a name or a word written without its quotes."""
    if not text[position : position + 1].isalnum():
        return ""
    end = position
    while end < len(text) and end - position < 40 and (text[end].isalnum() or text[end] in "_-"):
        end += 1
    return text[position:end]


def _plain_problem(text: str, message: str, position: int) -> str:
    """The parser's ``message`` about ``position`` in ``text`` in words a person reading
    no code understands, saying what to fix; ``message`` itself when it is not known.

    The parser says what it expected ("Expecting ',' delimiter"); what a person wants to
    know is what is wrong in what they wrote, and what to type instead.
    """
    at = text[position : position + 1]
    if message.startswith("Unterminated string"):
        return 'text is not closed: the double quote (") that ends it is missing'
    if _is_blank(text[position:]):
        return (
            "the JSON ends too early: a closing brace } or bracket ] is missing, or it was "
            "cut short when copied"
        )
    if message.startswith("Invalid \\uXXXX escape"):
        return (
            "\\u in text must be followed by 4 digits or letters A to F (as in \\u00e9); "
            "a backslash itself is written \\\\"
        )
    if message.startswith("Invalid \\escape"):
        return "a backslash \\ in text must be written twice: \\\\"
    if message.startswith("Invalid control character"):
        if at == "\r":
            return "a line break inside text must be written \\n"
        return "an invisible control character is inside text: delete it"
    if at == "'":
        return "names and text must be in double quotes (\"), not single quotes (')"
    word = _word_at(text, position)
    if message.startswith("Expecting property name"):
        if word:
            return f'the name {word} must be in double quotes: "{word}"'
        return 'a name in double quotes must come here, as in {"name": "value"}'
    if message == "Expecting value":
        if word in _PYTHON_WORDS:
            return f"{word} must be written {_PYTHON_WORDS[word]}, in small letters"
        if word:
            return f'text must be in double quotes: "{word}"'
        if at in (",", "}", "]"):
            return f"a value is missing before {at}"
        return 'a value must come here: text in double quotes ("), a number, true, false or null'
    if message.startswith("Expecting ':'"):
        return "a colon : is missing between a name and its value"
    if message.startswith("Expecting ','"):
        # In an object a ] cannot end it, in a list a } cannot: the other is missing.
        if at == "]":
            return "a closing brace } is missing before this ]"
        if at == "}":
            return "a closing bracket ] is missing before this }"
        if word and text[position - 1 : position] == '"':
            return 'a double quote (") inside text must be written \\"'
        return "a comma is missing between two items"
    if message.startswith("Extra data"):
        if at in ("}", "]"):
            name = "brace }" if at == "}" else "bracket ]"
            return f"one closing {name} too many: remove it"
        return "more follows the end of the JSON: remove it, or move it inside the braces { }"
    return message


#: Quotes a word processor, a notes app or a phone types for ": JSON reads only ".
_CURLY_QUOTES = frozenset("“”„‟″‘’‚‛′«»")


def _pasted_character_problem(character: str, problem: str) -> str | None:
    """What a character the parser stopped at says, when text pasted from a document or
    a chat brings it and the parser's own words would not name it; else ``None``.

    Curly quotes look like the quotes JSON takes; a no-break space or an invisible
    character looks like a space or nothing; a line break or a tab typed inside text
    is seen, but the parser calls it a "control character".
    """
    if character in _CURLY_QUOTES:
        return f'curly quotes such as {character} must be straight double quotes (")'
    if character == "\n" and problem.startswith("Invalid control character"):
        return "a line break inside text must be written \\n"
    if character == "\t" and problem.startswith("Invalid control character"):
        return "a tab inside text must be written \\t"
    if character and character not in " \t\n\r":
        from kombo_desktop.core.text import has_invisible_characters

        if character.isspace() or has_invisible_characters(character):
            return (
                "a special space or an invisible character is here (it may have been "
                "pasted with it): delete it"
            )
    return None


#: How a comment starts where JSON has none (JavaScript's and many config files' way).
_COMMENT_STARTS = ("//", "/*")

#: The parser's complaint when it meets a closing brace or bracket where, after a comma,
#: it expected the next member.
_AT_A_CLOSING_AFTER_A_COMMA = frozenset(
    {("Expecting property name enclosed in double quotes", "}"), ("Expecting value", "]")}
)


def _after_a_comma(text: str, position: int) -> bool:
    """Whether a comma comes right before ``position`` (JSON whitespace between them)."""
    index = position - 1
    while index >= 0 and text[index] in " \t\n\r":
        index -= 1
    return index >= 0 and text[index] == ","


# ---- Where a refused JSON's problem is (read only once there is one) ------------------

#: One token of JSON text: a string (with the colon after it when it is a key), a bracket,
#: a number, a constant or a literal. Whitespace, commas and colons between them are
#: skipped. Read only in text the parser went through without a syntax error. (A pattern
#: as text: ``re`` compiles it at first use.)
_JSON_PIECE = (
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<key>[ \t\n\r]*:)?'
    r"|(?P<open>[\[{])|(?P<close>[\]}])"
    r"|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)"
    r"|(?P<constant>NaN|-?Infinity)|(?P<literal>true|false|null)"
)


def _tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of ``text`` in order (see ``_JSON_PIECE``); ``lastgroup`` says which."""
    return re.finditer(_JSON_PIECE, text)


def _string_value(token: str) -> str:
    """The text a JSON string token stands for."""
    inner = token[1:-1]
    return inner if "\\" not in inner else str(json.loads(token))


def _position_of_refusal(text: str) -> int | None:
    """Where the first value that the parser's hooks refuse is, in the order the parser
    meets them: a number or constant where it stands; a repeated key (at its second
    time) when its object ends, as the object's hook sees it only then.

    The same hooks judge each value here, so the place found is that of the refusal
    the message names.
    """
    # For each object or list open at this point: the keys of an object so far and the
    # first one repeated; ``None`` for a list.
    open_objects: list[tuple[set[str], list[int]] | None] = []
    for token in _tokens(text):
        kind = token.lastgroup
        if kind == "open":
            open_objects.append((set(), []) if token[0] == "{" else None)
        elif kind == "close":
            closed = open_objects.pop() if open_objects else None
            if closed is not None and closed[1]:
                return closed[1][0]
        elif kind == "key" and open_objects and (current := open_objects[-1]) is not None:
            keys, repeated = current
            key = _string_value(token["string"])
            if key in keys and not repeated:
                repeated.append(token.start())
            keys.add(key)
        elif kind in ("number", "constant") and _refused_by_a_hook(token[0]):
            return token.start()
    return None


def _refused_by_a_hook(token: str) -> bool:
    """Whether the parser's hooks refuse the number or constant ``token``."""
    if token in ("NaN", "Infinity", "-Infinity"):
        return True
    read = _finite_number if any(mark in token for mark in ".eE") else _integer_within_json
    try:
        read(token)
    except _JsonRefused:
        return True
    return False


def _position_too_deep(text: str) -> int | None:
    """Where the first value below ``_MAX_LEVELS`` levels starts."""
    depth = 0  # objects and lists open at this point
    for token in _tokens(text):
        kind = token.lastgroup
        if kind == "close":
            depth -= 1
            continue
        if kind == "key":
            continue  # a key is no value: its value is the next token
        if depth + 1 > _MAX_LEVELS:
            return token.start()
        if kind == "open":
            depth += 1
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _merge(typed: dict[str, Any], raw: dict[str, Any], path: str = "") -> dict[str, Any]:
    """``raw`` with ``typed`` merged in; a key set differently by both raises ``InputError``."""
    merged = dict(raw)
    for key, typed_value in typed.items():
        dotted = f"{path}.{key}" if path else key
        if key not in merged or merged[key] is None:
            merged[key] = typed_value
        elif isinstance(typed_value, dict) and isinstance(merged[key], dict):
            merged[key] = _merge(typed_value, merged[key], dotted)
        elif isinstance(typed_value, dict):
            # The JSON's own mistake, worded as the schema words it without the typed
            # input: both set it, but only the JSON has it wrong.
            raise _fail(f"{dotted}: must be a JSON object ({{…}})")
        elif merged[key] != typed_value:
            raise _fail(
                f"“{dotted}” is set both in the JSON and in its own field above; "
                "remove it from one of them"
            )
    return merged


#: The ATSs whose remote fields the models know (``models.RemoteFields``, not imported
#: here: pydantic loads later). Of these only what is set is sent (``RemoteFields.to_body``);
#: the members of other ATSs are sent as typed, ``null`` and ``{}`` included.
_ATSS_SENT_AS_SET = frozenset({"icims", "oracle", "greenhouse", "workable"})


def _refuse_misnamed_members(value: dict[str, Any]) -> None:
    """``InputError`` at the JSON when its outer object is not the members of
    ``remote_fields`` as Kombo reads them: a ``remote_fields`` wrapped around them (it
    would be sent as ``remote_fields.remote_fields``), a member of the link itself
    (``details``, copied from an example of the whole body), or an ATS the app knows
    written in other capitals, with a space or an invisible character in its name, or a
    typing mistake away from it (sent as another ATS's, without that ATS's checks)."""
    if FIELD in value:
        raise _fail(
            "the JSON is remote_fields already: remove the outer "
            '{"remote_fields": …} and keep what is inside it'
        )
    for name in value:
        if name in _MEMBERS_OF_THE_LINK:
            # The request's own members, copied from an example of the whole body: sent
            # inside remote_fields, Kombo refuses them (or they would be lost).
            raise _fail(
                f"“{name}” belongs to the result link itself, not to its remote fields: "
                "leave it out of this JSON and fill it in where the form asks for it"
            )
        known = name.casefold()
        if known in _ATSS_SENT_AS_SET and name != known:
            raise _fail(f"“{name}” must be written “{known}”, in small letters")
        # Pasted from a document or a chat, a name brings a space or an invisible
        # character along: Kombo would take it for another ATS, and the fields meant for
        # this one would never reach it.
        if _may_be_seen_otherwise(name):
            seen = _as_seen(name)
            if seen != name and seen.casefold() in _ATSS_SENT_AS_SET:
                raise _fail(f"“{seen.casefold()}” {_PASTED_INTO_NAME}")
        meant = _known_ats_misspelt(known) if len(value) <= _NAMES_READ_FOR_TYPOS else None
        if meant is not None:
            raise _fail(f"“{name}” is no ATS Kombo knows: did you mean “{meant}”?")


#: The members of the request body beside ``remote_fields``: none is an ATS's name.
_MEMBERS_OF_THE_LINK = frozenset({"label", "url", "details"})
#: A JSON with more top-level names than this is not read for misspelt ATS names: the
#: check runs at each key, and a remote_fields object names a few ATSs at most.
_NAMES_READ_FOR_TYPOS = 50


def _known_ats_misspelt(name: str) -> str | None:
    """The name of an ATS the app knows that ``name`` (in small letters) is a typing
    mistake away from: a letter missing, added, changed or two swapped (two of them for
    the longer names: ``greenhous``, ``workabel``); ``None`` when it is none, or one."""
    if name in _ATSS_SENT_AS_SET:
        return None
    for known in _ATSS_SENT_AS_SET:
        allowed = 1 if len(known) <= 6 else 2
        if abs(len(name) - len(known)) <= allowed and _edits_between(name, known) <= allowed:
            return known
    return None


def _edits_between(first: str, second: str) -> int:
    """How many letters must be added, taken out, changed or swapped with the next to
    make ``first`` into ``second`` (optimal string alignment distance); both are short."""
    before: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]


#: Said of a name in the JSON that reads as one the app knows once its spaces and
#: invisible characters are left out.
_PASTED_INTO_NAME = (
    "has a space or an invisible character in its name (it may have been pasted with it): "
    "type the name again"
)


#: Longer than this, a name cannot be read as a known ATS's: it would take several
#: invisible characters for each letter of the longest.
_LONGEST_NAME_SEEN_AS_KNOWN = 4 * max(map(len, _ATSS_SENT_AS_SET)) + 16


def _may_be_seen_otherwise(name: str) -> bool:
    """Whether ``name`` may read as another name once its spaces and invisible characters
    are left out, and as a known ATS's: the check runs on the GUI thread at each key, over
    every top-level name, so it keeps to string methods written in C (a JSON of 50,000
    names took 750 ms a check read character by character)."""
    if len(name) > _LONGEST_NAME_SEEN_AS_KNOWN:
        return False
    # No ASCII character is an invisible one (a formatting character).
    return not (name.isascii() and name.split() == [name])


def _as_seen(name: str) -> str:
    """``name`` as a person reads it: without invisible characters and spaces."""
    from kombo_desktop.core.text import without_invisible_characters

    return "".join(without_invisible_characters(name).split())


def _put_at(nested: dict[str, Any], path: tuple[str, ...], value: object) -> None:
    """Set ``value`` at ``path`` in ``nested``, making the dicts on the way."""
    *parents, last = path
    for part in parents:
        nested = nested.setdefault(part, {})
    nested[last] = value


#: The typed inputs that take an ID: the input, the name the form shows it under, and
#: where its value goes in the remote fields (where the JSON may set it too). One table,
#: so an input, its words and its place cannot drift apart.
TYPED_IDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "icims_assessment_package_id",
        "iCIMS assessment package ID",
        ("icims", "assessment_package_id"),
    ),
    (
        "greenhouse_on_behalf_of",
        "Greenhouse On-Behalf-Of user ID",
        ("greenhouse", "post_headers", "On-Behalf-Of"),
    ),
    (
        "workable_on_behalf_of_user_remote_id",
        "Workable on-behalf-of user ID",
        ("workable", "on_behalf_of_user_remote_id"),
    ),
)
#: The typed inputs that take an ID, by the name the form shows them under.
TYPED_ID_LABELS: dict[str, str] = {name: label for name, label, _path in TYPED_IDS}
#: The ATSs of the typed inputs, in the order the form shows them.
_TYPED_ATS_ORDER = ("icims", "oracle", "greenhouse", "workable")


def _form_position(ats: str) -> int:
    """Where the typed inputs of ``ats`` are in the form (``_TYPED_ATS_ORDER``), those of
    an ATS not listed there last."""
    return _TYPED_ATS_ORDER.index(ats) if ats in _TYPED_ATS_ORDER else len(_TYPED_ATS_ORDER)


def _refuse_pasted_ids(merged: Mapping[str, Any]) -> None:
    """``InputError`` naming the first ID set in the JSON that holds an invisible
    character, as its own input refuses it (``models.pasted_id_problem``), or a space at
    an end, which its own input trims: sent on, the ATS finds no package or user of that
    ID. (A control character is the schema's.)"""
    from kombo_desktop.core.text import has_invisible_characters

    for _name, _label, path in TYPED_IDS:
        value: Any = merged
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str):
            continue
        if has_invisible_characters(value):
            from kombo_desktop.core.models import INVISIBLE_CHARACTER_PROBLEM

            raise _fail(f"{'.'.join(path)}: {INVISIBLE_CHARACTER_PROBLEM}")
        if value != value.strip():
            raise _fail(
                f"{'.'.join(path)}: has a space at its start or end (it may have been "
                "pasted with it)"
            )


def _holds_a_value(member: Any) -> bool:
    """Whether ``member`` holds anything but ``null`` and objects of nothing else."""
    pending = [member]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.values())
        elif item is not None:
            return True
    return False


def _validation_message(exc: ValidationError) -> str:
    from kombo_desktop.core.models import api_name_meant, problem_words

    problems = []
    for item in exc.errors():
        where = ".".join(str(part) for part in item["loc"]) or FIELD
        meant = api_name_meant(item["loc"]) if item["type"] == "extra_forbidden" else None
        seen = _as_seen(str(item["loc"][-1])) if item["type"] == "extra_forbidden" else ""
        if meant is None and seen and api_name_meant((*item["loc"][:-1], seen)) == seen:
            # The API's own name, a space or an invisible character pasted into it.
            where = ".".join((*map(str, item["loc"][:-1]), seen))
            problems.append(f"{where}: {_PASTED_INTO_NAME}")
        elif meant is not None:
            problems.append(f"{where}: must be written “{meant}”, the API's name for it")
        else:
            problems.append(f"{where}: {problem_words(item)}")
    return "; ".join(problems)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


# ---- What a JSON's text reads, its escapes read (for a key written in them) ------------

#: A JSON escape, read as one: two ``\\uXXXX`` writing one character beyond the Basic
#: Multilingual Plane, one ``\\uXXXX``, or a backslash and the character after it. Read
#: from the start of the text on, so that ``\\\\u0041`` is a backslash and "u0041". (A
#: pattern as text: ``re`` compiles it at first use.)
_ESCAPE = (
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|\\u[0-9a-fA-F]{4}|\\(?!u)."
)
#: What each one-character escape stands for; another character after a backslash (not
#: JSON) is read as it is written, backslash and all.
_ESCAPED = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _read_escape(escape: str) -> str:
    """The character(s) the escape ``escape`` (a match of ``_ESCAPE``) stands for."""
    if escape[1] != "u":
        return _ESCAPED.get(escape[1], escape)
    code = int(escape[2:6], 16)
    if len(escape) == 12:  # a pair: one character beyond the Basic Multilingual Plane
        code = 0x10000 + ((code - 0xD800) << 10) + (int(escape[8:12], 16) - 0xDC00)
    return chr(code)


@dataclass(frozen=True)
class _EscapesRead:
    """A JSON's text with every escape read in place, strings or not (so also in JSON that
    does not parse), and where each place in it was in the text as typed."""

    text: str
    read: str
    #: Places where the read text and the text as typed no longer advance together (the
    #: start and end of each escape): their offsets in the one and in the other.
    read_offsets: tuple[int, ...] = ()
    text_offsets: tuple[int, ...] = ()

    def place_in_text(self, offset: int) -> int:
        """Where ``offset`` of ``read`` is in ``text``: an escape's first character is its
        start, the character after it its end."""
        import bisect  # only once a key is taken out

        anchor = bisect.bisect_right(self.read_offsets, offset) - 1
        if anchor < 0:
            return offset
        return self.text_offsets[anchor] + offset - self.read_offsets[anchor]


#: The last text read with its escapes (``_escapes_read``): it is asked for again with
#: each key typed into the connection while that text is in the form.
_last_escapes_read: _EscapesRead | None = None


def _escapes_read(text: str) -> _EscapesRead:
    """``text`` with every escape read (see ``_EscapesRead``); the last one is kept."""
    global _last_escapes_read
    last = _last_escapes_read
    if last is not None and last.text == text:
        return last
    if "\\" not in text:
        last = _EscapesRead(text, text)
    else:
        pieces: list[str] = []
        read_offsets: list[int] = []
        text_offsets: list[int] = []
        done = 0  # how much of ``text`` is in ``pieces``
        read_length = 0
        for escape in re.finditer(_ESCAPE, text):
            start, end = escape.span()
            pieces.append(text[done:start])
            read_length += start - done
            character = _read_escape(escape[0])
            pieces.append(character)
            read_offsets += (read_length, read_length + len(character))
            text_offsets += (start, end)
            read_length += len(character)
            done = end
        pieces.append(text[done:])
        last = _EscapesRead(text, "".join(pieces), tuple(read_offsets), tuple(text_offsets))
    _last_escapes_read = last
    return last


@dataclass
class RemoteFieldsInput:
    """What was typed in the advanced section; ``""``/``None`` mean "not set".

    ``json_checked_in_background`` is set by whoever checks a large JSON on another thread
    (the JSON editor): the JSON is then never parsed here, its outcome only looked up once
    handed in (``remember_json_check``); until then it counts as still being checked, so
    nothing is sent with it. It is no part of what was typed: not compared, not saved.
    """

    icims_assessment_package_id: str = ""
    oracle_override_document_category: str = ""
    oracle_multi_post_to_all_current_applications: bool | None = None
    greenhouse_on_behalf_of: str = ""
    workable_on_behalf_of_user_remote_id: str = ""
    raw_json: str = ""
    json_checked_in_background: bool = field(default=False, compare=False, repr=False)

    def typed_texts(self) -> dict[str, str]:
        """The typed inputs that hold text, by name, as typed."""
        return {
            name: text for name in _TYPED_INPUTS if isinstance(text := getattr(self, name), str)
        }

    def _json_check(self) -> JsonCheck | None:
        """The outcome of the JSON's check; ``None`` while it is checked in the background."""
        if self.json_checked_in_background and not _is_blank(self.raw_json):
            return _known_check(self.raw_json)
        return _checked(self.raw_json)

    def _json_value(self) -> dict[str, Any]:
        """The JSON object typed, ``{}`` when blank; ``InputError`` otherwise.

        The object is shared by every check of the same text, so it is only read
        (``_merge`` copies what it adds to).
        """
        check = self._json_check()
        if check is None:
            raise _fail(STILL_CHECKED_PROBLEM)
        if check.problems:
            raise InputError(check.problems)
        return check.value

    def is_json_being_checked(self) -> bool:
        """True while the JSON is checked in the background and its outcome is not known."""
        return self._json_check() is None

    def json_strings_text(self) -> str:
        """What the JSON's strings read, keys and values, one to a line: the text a key is
        looked for in, whatever escapes wrote its characters (``\\u0041``, ``\\/``).

        From the parsed object when the JSON parses. Otherwise (refused, or still being
        checked) the JSON's text is read with every escape read in place, strings or not:
        a JSON that is not sent may still be saved in a draft.
        """
        check = self._json_check()
        if check is not None and not check.problems:
            return check.strings
        return _escapes_read(self.raw_json).read

    def json_holds_api_key(self) -> bool:
        """True when a Kombo key stands in ``json_strings_text()`` (``contains_api_key``):
        for a JSON that parses, as its check found it, without searching it again."""
        check = self._json_check()
        if check is not None and not check.problems:
            return check.holds_api_key
        from kombo_desktop.core.connection import contains_api_key

        return contains_api_key(self.json_strings_text())

    def raw_json_without(self, held: HeldKeys, replacement: str) -> str:
        """The JSON's text with each place that writes one of the ``held`` keys, in any
        escapes, replaced by ``replacement``; everything else as typed. ``raw_json`` itself
        when it holds none."""
        if not held.found_in(self.json_strings_text()):
            return self.raw_json
        escapes_read = _escapes_read(self.raw_json)
        spans = held.spans_in(escapes_read.read)
        if not spans:
            # Never expected: each string reads on in the text as it reads on its own.
            # Were it so, the JSON would rather be lost than the key kept.
            return replacement
        pieces: list[str] = []
        done = 0
        for start, end in spans:
            text_start = escapes_read.place_in_text(start)
            pieces += (self.raw_json[done:text_start], replacement)
            done = escapes_read.place_in_text(end)
        pieces.append(self.raw_json[done:])
        return "".join(pieces)

    def _typed_id(self, name: str) -> str:
        """The typed ID of the input ``name``, trimmed; ``InputError`` naming that input
        when it holds what no ID holds (``models.pasted_id_problem``): a header value or
        an ATS's ID with a line break, a tab or an invisible character pasted with it."""
        value: str = getattr(self, name).strip()
        if value:
            from kombo_desktop.core.models import pasted_id_problem

            problem = pasted_id_problem(value)
            if problem is not None:
                raise _fail(f"{TYPED_ID_LABELS[name]} {problem}")
        return value

    def _typed(self) -> dict[str, Any]:
        """The typed inputs as nested remote fields; unset inputs are left out."""
        typed: dict[str, Any] = {}
        for name, _label, path in TYPED_IDS:
            if value := self._typed_id(name):
                _put_at(typed, path, value)
        oracle: dict[str, Any] = {}
        category = self.oracle_override_document_category.strip()
        if category:
            if category not in ORACLE_DOCUMENT_CATEGORIES:
                raise _fail(
                    f"Oracle document category “{category}” is not one of "
                    + ", ".join(ORACLE_DOCUMENT_CATEGORIES)
                )
            oracle["override_document_category"] = category
        if self.oracle_multi_post_to_all_current_applications is not None:
            oracle["multi_post_to_all_current_applications"] = (
                self.oracle_multi_post_to_all_current_applications
            )
        if oracle:
            typed["oracle"] = oracle
        # In the form's order, as the preview shows them (an ATS not in that order last:
        # sorted, never left out).
        return dict(sorted(typed.items(), key=lambda item: _form_position(item[0])))

    def to_remote_fields(self) -> ParsedRemoteFields | None:
        """The ``remote_fields`` mapping for the request, or ``None`` when nothing is set.

        Its members for other ATSs are the parsed JSON's own objects, shared: read only
        (``ParsedRemoteFields``). Typed values are trimmed. Raises ``InputError`` on the
        ``remote_fields`` field for JSON that does not parse or holds what JSON cannot
        carry (the message gives line and column), JSON nested deeper than a request's
        body can be, JSON that is not an object, a key set both in the JSON and in a typed
        input (naming that key), a JSON wrapped in ``remote_fields`` or naming a known
        ATS in other capitals or with a space or an invisible character pasted into its
        name, a typed ID with a control or invisible character (naming that input), an ID
        in the JSON with an invisible character or a space at an end (naming it), or
        members Kombo's schema refuses; and on a JSON still
        being checked in the background (``STILL_CHECKED_PROBLEM``).
        """
        typed = self._typed()
        written = self._json_value()
        _refuse_misnamed_members(written)
        merged = ParsedRemoteFields(_merge(typed, written))
        if not merged:
            return None
        _refuse_pasted_ids(merged)
        from pydantic import ValidationError

        from kombo_desktop.core.models import RemoteFields

        try:
            RemoteFields.model_validate(merged)
        except ValidationError as exc:
            raise _fail(_validation_message(exc)) from None
        except RecursionError:
            raise _fail("nested too deeply") from None
        return merged

    def raw_json_error(self) -> str | None:
        """The problem to show under the JSON editor while typing, or ``None``."""
        try:
            self.to_remote_fields()
        except InputError as exc:
            return exc.message_for(FIELD)
        return None

    def typed_input_at_fault(self) -> str | None:
        """The name of the typed input the problem is about, or ``None`` (then it is the
        JSON's, or there is none).

        It is the first set input without which the problem changes: read from the check
        itself, not from the wording of its message. The JSON is checked once for all of
        them (``_checked``): only the merge and the schema run again for each input. None
        is at fault while the JSON is still being checked.
        """
        problem = self.raw_json_error()
        if problem is None or self.is_json_being_checked():
            return None
        for name in _TYPED_INPUTS:
            unset = _NOT_SET[name]
            if getattr(self, name) == unset:
                continue
            if replace(self, **{name: unset}).raw_json_error() != problem:
                return name
        return None

    def set_count(self, *, json_refused: bool = False) -> int:
        """How many inputs put something into the request, for a collapsed header.

        Each typed input that is set counts, and the JSON (as one) when it adds something
        to the body: ``{}`` or ``{"icims": null}`` add nothing and do not count. A JSON
        that does not parse counts, and so does one the check refused (``json_refused``:
        the schema's check needs the models, which this does not load) or one still being
        checked, so that a closed section hides no problem.
        """
        return sum(
            (
                bool(self.icims_assessment_package_id.strip()),
                bool(self.oracle_override_document_category.strip()),
                self.oracle_multi_post_to_all_current_applications is not None,
                bool(self.greenhouse_on_behalf_of.strip()),
                bool(self.workable_on_behalf_of_user_remote_id.strip()),
                json_refused or self._json_adds_something(),
            )
        )

    def _json_adds_something(self) -> bool:
        """Whether the JSON puts something into the body, or does not parse (or is still
        being checked)."""
        if _is_blank(self.raw_json):
            return False
        try:
            parsed = self._json_value()
        except InputError:
            return True
        return any(
            ats not in _ATSS_SENT_AS_SET or _holds_a_value(member) for ats, member in parsed.items()
        )

    def is_empty(self) -> bool:
        """True when no input holds anything (typed, even JSON that sets nothing)."""
        return not any(
            (
                self.icims_assessment_package_id.strip(),
                self.oracle_override_document_category.strip(),
                self.oracle_multi_post_to_all_current_applications is not None,
                self.greenhouse_on_behalf_of.strip(),
                self.workable_on_behalf_of_user_remote_id.strip(),
                not _is_blank(self.raw_json),
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly copy for drafts (what was typed only)."""
        return {name: getattr(self, name) for name in (*_TYPED_INPUTS, "raw_json")}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RemoteFieldsInput:
        """Rebuild from ``to_dict`` output; missing or malformed members become "not set"."""
        if not isinstance(data, Mapping):  # drafts come from files a person may have edited
            return cls()  # type: ignore[unreachable]
        category = _text(data.get("oracle_override_document_category"))
        multi_post = data.get("oracle_multi_post_to_all_current_applications")
        return cls(
            icims_assessment_package_id=_text(data.get("icims_assessment_package_id")),
            oracle_override_document_category=(
                category if category in ORACLE_DOCUMENT_CATEGORIES else ""
            ),
            oracle_multi_post_to_all_current_applications=(
                multi_post if isinstance(multi_post, bool) else None
            ),
            greenhouse_on_behalf_of=_text(data.get("greenhouse_on_behalf_of")),
            workable_on_behalf_of_user_remote_id=_text(
                data.get("workable_on_behalf_of_user_remote_id")
            ),
            raw_json=_text(data.get("raw_json")),
        )


#: The inputs with a field of their own, in the order the form shows them.
_TYPED_INPUTS: tuple[str, ...] = tuple(
    f.name
    for f in fields(RemoteFieldsInput)
    if f.name not in ("raw_json", "json_checked_in_background")
)
#: What each typed input holds when it is not set.
_NOT_SET: dict[str, Any] = {f.name: f.default for f in fields(RemoteFieldsInput)}
