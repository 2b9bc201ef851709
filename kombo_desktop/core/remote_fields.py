"""The "Advanced: ATS-specific fields" part of the form, without Qt.

A few remote fields have their own inputs (iCIMS, Oracle, Greenhouse, Workable);
anything else is typed as a JSON object. ``RemoteFieldsInput`` holds what was
typed and builds the ``remote_fields`` mapping for
``ResultLinkRequest.from_form``. A key given both by a typed input and by the
JSON is refused rather than silently overwritten.

The JSON may be megabytes pasted in, and every change is checked more than once (by the
editor, by its search for the input at fault, by the form's own check): the JSON of the
last text is parsed once and kept (``_parse_raw``). Where a problem is (its line and
column) is looked for only once there is one (``_tokens``): valid JSON is not read again.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
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

__all__ = ["FIELD", "RemoteFieldsInput"]

#: The form field that every problem here is reported on.
FIELD = "remote_fields"


def _fail(message: str) -> InputError:
    return InputError([FieldError(FIELD, message)])


class _JsonRefused(ValueError):
    """JSON that parses in Python but must not be sent."""


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would keep the last of two equal keys without a word.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonRefused(f"“{key}” appears twice in the same object")
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are Python extensions, not JSON; Kombo would refuse them.
    raise _JsonRefused(f"{name} is not allowed in JSON")


def _finite_number(text: str) -> float:
    # 1e400 reads as infinity, which no JSON can carry: it would be sent as null, or
    # dropped, without a word.
    number = float(text)
    if not math.isfinite(number):
        raise _JsonRefused(f"{text} is too large a number for JSON")
    return number


def _integer_within_json(text: str) -> int:
    # An integer beyond what a JSON reader's double holds becomes infinity there, as
    # 1e400 does; thousands of digits would even stop Python's own reader.
    digits = len(text.lstrip("-"))
    if digits > _MAX_INTEGER_DIGITS or abs(number := int(text)) > sys.float_info.max:
        raise _JsonRefused(f"a number of {digits} digits is too large for JSON")
    return number


#: More digits than any integer a double holds (about 1.8e308) has.
_MAX_INTEGER_DIGITS = 309


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


def _may_hold_half_character(raw_json: str, value: dict[str, Any]) -> bool:
    """Whether ``value``, parsed from ``raw_json``, may hold half a character: looked for
    at the speed of the text's own search and encoding, so that megabytes without one (as
    nearly all are) are never walked through value by value."""
    if re.search(_HALF_CHARACTER_ESCAPE, raw_json) is None and _encodes(raw_json):
        return False
    # Written as an escape, as in ``\\ud83d\\ude00``, it may be an emoji's two halves.
    return not _encodes(json.dumps(value, ensure_ascii=False, check_circular=False))


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


@dataclass(frozen=True)
class _Parsed:
    """What the JSON of one text came to: its object, or the problems refusing it."""

    text: str
    value: dict[str, Any]
    problems: tuple[FieldError, ...] = ()


#: The last text parsed and its outcome. One change is checked several times over (see
#: the module's docstring); a single entry is enough, and it is replaced as one object.
_last_parsed: _Parsed | None = None


def _parse_raw(raw_json: str) -> dict[str, Any]:
    """The JSON object typed by the person, ``{}`` when blank; ``InputError`` otherwise.

    The same text is parsed once: the object returned is shared by every caller for it,
    so it is only read (``_merge`` copies what it adds to).
    """
    global _last_parsed
    last = _last_parsed
    # Equal texts compare as memory, far quicker than parsing them again.
    if last is None or last.text != raw_json:
        try:
            last = _Parsed(raw_json, _parse_uncached(raw_json))
        except InputError as exc:
            last = _Parsed(raw_json, {}, exc.errors)
        _last_parsed = last
    if last.problems:
        raise InputError(last.problems)
    return last.value


def _parse_uncached(raw_json: str) -> dict[str, Any]:
    text = without_byte_order_mark(raw_json)
    if _is_blank(text):
        return {}
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
    if _deeper_than_a_body_can_be(text, value):
        raise _too_deep(text)
    if _may_hold_half_character(text, value):
        try:
            _refuse_half_characters(value)
        except _JsonRefused as exc:
            # Named by its path (``lever.note``), which says where it is.
            raise _fail(f"Not valid JSON: {exc}") from None
    return value


#: The most levels a remote-fields JSON may have, the object itself being the first: the
#: request's body is built by pydantic, whose serializer refuses a value any deeper
#: ("Maximum serialization depth exceeded"). Checked here, so that the form says so at
#: the JSON instead of the body failing to be built after the check let it through.
_MAX_LEVELS = 256


def _deeper_than_a_body_can_be(text: str, value: dict[str, Any]) -> bool:
    """Whether ``value``, parsed from ``text``, has a value below ``_MAX_LEVELS`` levels.

    Only the objects and lists are walked, level by level, and only when the text has
    enough brackets for so many levels at all (which a JSON of the usual size has not).
    """
    # A value that deep has _MAX_LEVELS objects or lists around it, each opened by a
    # bracket; the text's brackets (some maybe in strings) are at least as many.
    if text.count("{") + text.count("[") < _MAX_LEVELS:
        return False
    level = 1
    containers: list[Any] = [value]
    while containers:
        if level == _MAX_LEVELS:
            return any(containers)  # a member of one of them would be a level deeper
        containers = [
            member
            for container in containers
            for member in (container.values() if type(container) is dict else container)
            if type(member) in _CONTAINERS
        ]
        level += 1
    return False


#: The types of the parsed JSON values that hold other values (a set: quicker to look a
#: type up in than a tuple, for each value of megabytes).
_CONTAINERS = frozenset({dict, list})


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
    """``message`` followed by the line and column of ``position`` in ``text``, counted
    as for the parser's own errors (both from 1)."""
    if position is None:
        return message  # not found: the message alone says more than a wrong place
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return f"{message} (line {line}, column {column})"


def _syntax_problem(text: str, exc: json.JSONDecodeError) -> str:
    """What the parser's error means, said where.

    A comma left before a closing brace or bracket (``{"a": 1,}``) is refused by the
    parser as a missing key or value; it is named as what it is, at that closing.
    """
    problem = exc.msg
    closing = text[exc.pos : exc.pos + 1]
    if (problem, closing) in _AT_A_CLOSING_AFTER_A_COMMA and _after_a_comma(text, exc.pos):
        name = "brace }" if closing == "}" else "bracket ]"
        problem = f"a comma before the closing {name} must go"
    return f"Not valid JSON: {problem} (line {exc.lineno}, column {exc.colno})"


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
    from kombo_desktop.core.models import problem_words

    problems = []
    for item in exc.errors():
        where = ".".join(str(part) for part in item["loc"]) or FIELD
        problems.append(f"{where}: {problem_words(item)}")
    return "; ".join(problems)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class RemoteFieldsInput:
    """What was typed in the advanced section; ``""``/``None`` mean "not set"."""

    icims_assessment_package_id: str = ""
    oracle_override_document_category: str = ""
    oracle_multi_post_to_all_current_applications: bool | None = None
    greenhouse_on_behalf_of: str = ""
    workable_on_behalf_of_user_remote_id: str = ""
    raw_json: str = ""

    def _typed(self) -> dict[str, Any]:
        """The typed inputs as nested remote fields; unset inputs are left out."""
        typed: dict[str, Any] = {}
        if self.icims_assessment_package_id.strip():
            typed["icims"] = {"assessment_package_id": self.icims_assessment_package_id.strip()}
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
        if self.greenhouse_on_behalf_of.strip():
            typed["greenhouse"] = {
                "post_headers": {"On-Behalf-Of": self.greenhouse_on_behalf_of.strip()}
            }
        if self.workable_on_behalf_of_user_remote_id.strip():
            typed["workable"] = {
                "on_behalf_of_user_remote_id": self.workable_on_behalf_of_user_remote_id.strip()
            }
        return typed

    def to_remote_fields(self) -> dict[str, Any] | None:
        """The ``remote_fields`` mapping for the request, or ``None`` when nothing is set.

        Typed values are trimmed. Raises ``InputError`` on the ``remote_fields``
        field for JSON that does not parse or holds what JSON cannot carry (the
        message gives line and column), JSON nested deeper than a request's body can
        be, JSON that is not an object, a key set both in the JSON and in a typed
        input (naming that key), or members Kombo's schema refuses.
        """
        merged = _merge(self._typed(), _parse_raw(self.raw_json))
        if not merged:
            return None
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
        itself, not from the wording of its message. The JSON is parsed once for all of
        them (``_parse_raw``): only the merge and the schema run again for each input.
        """
        problem = self.raw_json_error()
        if problem is None:
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
        the schema's check needs the models, which this does not load), so that a closed
        section hides no problem.
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
        """Whether the JSON puts something into the body, or does not parse."""
        if _is_blank(self.raw_json):
            return False
        try:
            parsed = _parse_raw(self.raw_json)
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
        """A JSON-friendly copy for drafts."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

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
    f.name for f in fields(RemoteFieldsInput) if f.name != "raw_json"
)
#: What each typed input holds when it is not set.
_NOT_SET: dict[str, Any] = {f.name: f.default for f in fields(RemoteFieldsInput)}
