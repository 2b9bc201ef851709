"""Pydantic models of what Kombo Desktop sends to Kombo and what Kombo answers.

Request models mirror Kombo's API so that a serialized body equals what Kombo's
own SDK sends for the same inputs: unset optional members are omitted, never
sent as ``null``. Remote fields for ATSs the app does not model are sent as typed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal, NamedTuple, cast

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    ValidationError,
    field_validator,
)
from pydantic_core import ErrorDetails

from kombo_desktop.core.attribute_rows import (
    KeptForEach,
    as_row_tuples,
    key_problems_of,
    visible_key,
)
from kombo_desktop.core.errors import FieldError, InputError

# Defined without pydantic (the window needs them before the models load); re-exported
# so that they stay importable from here.
from kombo_desktop.core.kinds import ORACLE_DOCUMENT_CATEGORIES as ORACLE_DOCUMENT_CATEGORIES
from kombo_desktop.core.kinds import OracleDocumentCategory as OracleDocumentCategory
from kombo_desktop.core.kinds import TargetKind as TargetKind
from kombo_desktop.core.remote_fields import ParsedRemoteFields
from kombo_desktop.core.text import INVISIBLE_CHARACTER_PROBLEM as INVISIBLE_CHARACTER_PROBLEM
from kombo_desktop.core.text import (
    half_character,
    half_character_problem,
    has_invisible_characters,
    has_line_break_or_tab,
    strip_edges,
    without_line_breaks_and_tabs,
)
from kombo_desktop.core.text import has_control_characters as has_control_characters
from kombo_desktop.core.text import validate_http_url as validate_http_url


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


#: Said of a one-line text pasted with a line break or a tab.
ONE_LINE_PROBLEM = "must be on one line (a line break or tab was pasted with it)"
#: Said of a one-line text pasted with another control character (BEL, ESC…): it holds no
#: line break, so "on one line" would send the person looking for one.
CONTROL_CHARACTER_PROBLEM = "contains a control character (it may have been pasted with it)"


def pasted_id_problem(value: str) -> str | None:
    """What keeps ``value``, an ID as pasted and trimmed, from being sent as one, or
    ``None``: a control character or an invisible one, as the Target ID refuses them."""
    if has_control_characters(value):
        return control_character_problem(value)
    if has_invisible_characters(value):
        return INVISIBLE_CHARACTER_PROBLEM
    return None


def control_character_problem(value: str) -> str:
    """What a one-line ``value`` holding a control character is told: that it must be on
    one line when one is a line break or a tab, else what it holds."""
    if not has_line_break_or_tab(value):
        return CONTROL_CHARACTER_PROBLEM
    return ONE_LINE_PROBLEM


def _on_one_line(value: str | None) -> str | None:
    """``value``, or ``ValueError`` when it holds a control character: sent on to the ATS
    as an ID or a header value, a line break would end it there (and start another)."""
    if value is not None and has_control_characters(value):
        raise ValueError(control_character_problem(value))
    return value


def _whole_characters(text: str) -> str:
    """``text`` as it is, or ``ValueError`` at its field when it holds half a character
    (``text.half_character``): no UTF-8 body or address can carry one, and the client
    would fail to send it. Worded as the form words it (``FormState``), and asked after
    each field's own rules, as the form asks it after them."""
    escape = half_character(text)
    if escape is not None:
        raise ValueError(half_character_problem(escape))
    return text


class Attribute(_Model):
    """One ``key = value`` pair shown with the result link (``Score = 100%``)."""

    key: str
    value: str

    @field_validator("key")
    @classmethod
    def _key_not_blank(cls, key: str) -> str:
        # Sent as the person sees it, as ``find_problems`` reads it: a key of invisible
        # characters alone is none, and one pasted with them at its end is the key itself.
        key = visible_key(key)
        if not key:
            raise ValueError("needs a name")
        # A key names a custom field in the ATS: a line break (a wrapped spreadsheet
        # cell's) or an escape character would be part of that name.
        _on_one_line(key)
        return _whole_characters(key)

    @field_validator("value")
    @classmethod
    def _value_is_whole(cls, value: str) -> str:
        # Sent as the person sees it too: spaces (or an invisible character) typed or
        # pasted at either end are no part of "100%", and the command line's --attr
        # trims them alike.
        value = strip_edges(value)
        # A value may run over lines (a reviewer's comment), but NUL or ESC show as
        # nothing here and reach the ATS all the same.
        if has_control_characters(without_line_breaks_and_tabs(value)):
            raise ValueError(CONTROL_CHARACTER_PROBLEM)
        return _whole_characters(value)


class ResultLinkDetails(_Model):
    """Attributes and the prefix Kombo puts before their labels; both are required."""

    custom_field_name_prefix: str
    # A tuple: the form's details are shared by every request of the same rows, and a
    # frozen model with a list in it could still have its attributes changed.
    attributes: tuple[Attribute, ...]

    @field_validator("attributes")
    @classmethod
    def _at_least_one(cls, attributes: tuple[Attribute, ...]) -> tuple[Attribute, ...]:
        # Not ``min_length``: it is checked after the items, and rows refused one by one
        # would be refused a second time, as too few.
        if not attributes:
            raise ValueError("needs at least one attribute")
        return attributes

    @field_validator("custom_field_name_prefix")
    @classmethod
    def _prefix_is_whole(cls, prefix: str) -> str:
        return _prefix_sendable(prefix)


class IcimsRemoteFields(_Model):
    """iCIMS pass-through fields."""

    assessment_package_id: str | None = None

    _id_on_one_line = field_validator("assessment_package_id")(_on_one_line)


class OracleRemoteFields(_Model):
    """Oracle Recruiting Cloud pass-through fields."""

    override_document_category: OracleDocumentCategory | None = None
    # Strict: "yes", "off" or 1 would otherwise be sent as a boolean nobody typed.
    multi_post_to_all_current_applications: StrictBool | None = None


class GreenhousePostHeaders(_Model):
    """Headers Kombo forwards to Greenhouse."""

    # Only the header's own name: "on_behalf_of" in a JSON typed by hand would otherwise
    # be sent renamed, and refused beside the typed input that sets the same header.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)

    on_behalf_of: str | None = Field(default=None, alias="On-Behalf-Of")

    _header_on_one_line = field_validator("on_behalf_of")(_on_one_line)


class GreenhouseRemoteFields(_Model):
    """Greenhouse pass-through fields."""

    post_headers: GreenhousePostHeaders | None = None


class WorkableRemoteFields(_Model):
    """Workable pass-through fields."""

    on_behalf_of_user_remote_id: str | None = None

    _id_on_one_line = field_validator("on_behalf_of_user_remote_id")(_on_one_line)


class RemoteFields(BaseModel):
    """Per-ATS pass-through fields; members for other ATSs pass through as given."""

    model_config = ConfigDict(frozen=True, extra="allow")

    icims: IcimsRemoteFields | None = None
    oracle: OracleRemoteFields | None = None
    greenhouse: GreenhouseRemoteFields | None = None
    workable: WorkableRemoteFields | None = None

    #: Whether the members of other ATSs are the objects the form's JSON was parsed into
    #: (``ParsedRemoteFields``), set by ``ResultLinkRequest.from_form``: then they are
    #: sent as they are, not copied.
    _shares_parsed_json: bool = PrivateAttr(default=False)

    def __eq__(self, other: object) -> bool:
        # Whether ``to_body`` shares the members or copies them is no part of what they
        # are: a request built from the form equals one built from the same values.
        if (
            isinstance(other, RemoteFields)
            and other._shares_parsed_json != self._shares_parsed_json
        ):
            other = other.model_copy()
            other._shares_parsed_json = self._shares_parsed_json
        return super().__eq__(other)

    def to_body(self) -> dict[str, Any]:
        """The ``remote_fields`` member as sent: for the ATSs the app models, only what is
        set (a ``null`` or an object left empty sets nothing, and no empty shell goes to
        the ATS); the members of other ATSs exactly as typed (``null`` and ``{}``
        included: what they mean is that ATS's business, not the app's), as
        ``passed_through`` gives them.

        Built from the form's JSON (``ParsedRemoteFields``), those members are the parsed
        objects themselves, shared by every request built from the same text: the body
        given is to be read only. Otherwise they are a copy in JSON's types (a date as
        ISO text, a ``Decimal`` as text, a set as a list, NaN as ``null``), made at each
        call: the body is the caller's own.
        """
        body = self.modeled_body()
        body.update(self.passed_through())
        return body

    def modeled_body(self) -> dict[str, Any]:
        """The members of the ATSs the app models as sent (``to_body``): only what is set."""
        body: dict[str, Any] = _only_what_is_set(
            self.model_dump(mode="json", by_alias=True, exclude=set(self.model_extra or {}))
        )
        return body

    def passed_through(self) -> dict[str, Any]:
        """The members of other ATSs by name, as ``to_body`` sends them: the parsed
        objects themselves for the form's JSON, read only; otherwise a copy in JSON's
        types, made at each call."""
        given = self.model_extra or {}
        if self._shares_parsed_json or not given:
            # A copy of a JSON of megabytes is made in one call, which holds the
            # interpreter (and the window's thread waiting for it) for tens of
            # milliseconds, and leaves megabytes of objects for the garbage collector.
            # Parsed from JSON, the objects hold JSON's types only, sent as the copy would be.
            return dict(given)
        copied: dict[str, Any] = self.model_dump(mode="json", include=set(given))
        return copied


#: The remote-fields objects the app models, by where they are in ``remote_fields``.
_MODELED_OBJECTS: dict[tuple[str, ...], type[_Model]] = {
    ("icims",): IcimsRemoteFields,
    ("oracle",): OracleRemoteFields,
    ("greenhouse",): GreenhouseRemoteFields,
    ("greenhouse", "post_headers"): GreenhousePostHeaders,
    ("workable",): WorkableRemoteFields,
}


def api_name_meant(where: Sequence[str | int]) -> str | None:
    """The API's name of the member at ``where`` (a path inside ``remote_fields``, its
    last part a name the app's model does not know), when that name is the API's written
    otherwise: ``on_behalf_of`` or ``on-behalf-of`` for ``On-Behalf-Of``. ``None`` when
    it is no such name."""
    model = _MODELED_OBJECTS.get(tuple(str(part) for part in where[:-1]))
    if model is None:
        return None
    written = _name_as_compared(str(where[-1]))
    for name, member in model.model_fields.items():
        api_name = member.alias or name
        if _name_as_compared(api_name) == written:
            return api_name
    return None


def _name_as_compared(name: str) -> str:
    # What Python, HTTP and a person's habits change in a name: capitals, - and _.
    return name.replace("-", "").replace("_", "").casefold()


def _only_what_is_set(value: Any) -> Any:
    """``value`` without ``None`` members and without the objects left empty, recursively."""
    if isinstance(value, dict):
        kept = {key: _only_what_is_set(member) for key, member in value.items()}
        return {key: member for key, member in kept.items() if member not in (None, {})}
    return value


class ResultLinkRequest(_Model):
    """The body of ``POST /ats/{candidates|applications}/{id}/result-links``."""

    label: str
    url: str
    details: ResultLinkDetails | None = None
    remote_fields: RemoteFields | None = None

    @field_validator("label")
    @classmethod
    def _label_not_blank(cls, label: str) -> str:
        label = label.strip()
        if not label:
            raise ValueError("is required")
        if has_control_characters(label):
            # A label copied from a wrapped spreadsheet cell brings its line breaks.
            raise ValueError(control_character_problem(label))
        return _whole_characters(label)

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, url: str) -> str:
        return _whole_characters(validate_http_url(url.strip()))

    def to_body(self) -> dict[str, Any]:
        """The JSON body as Kombo expects it, and as Kombo's own SDK sends it: declared
        members left unset (``None``) omitted, aliases applied, remote fields for ATSs the
        app does not model sent as typed (``RemoteFields.to_body``): the client sends this
        body, and the request preview shows it. For a request built from the form's JSON,
        those members are the parsed objects themselves, shared: read only."""
        body = self.body_without_remote_fields()
        remote_fields = self.remote_fields.to_body() if self.remote_fields is not None else {}
        if remote_fields:
            body["remote_fields"] = remote_fields
        return body

    def body_without_remote_fields(self) -> dict[str, Any]:
        """``to_body`` but its ``remote_fields`` member (which may be megabytes)."""
        body: dict[str, Any] = self.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude={"remote_fields"}
        )
        return body

    @classmethod
    def from_form(
        cls,
        *,
        label: str,
        url: str,
        custom_field_name_prefix: str = "",
        attributes: Iterable[tuple[str, str]] = (),
        remote_fields: Mapping[str, Any] | None = None,
    ) -> ResultLinkRequest:
        """Build a request, or raise ``InputError`` naming each field at fault.

        ``attributes`` are the rows to send; from what a person typed (blank rows
        included) use ``FormState.to_request``, which leaves blank rows out. Attributes
        need a prefix (Kombo requires both); a prefix without attributes sends no
        ``details``. The members for other ATSs of ``remote_fields`` built from the form's
        JSON (``ParsedRemoteFields``) are sent as they are; those of any other mapping are
        copied in JSON's types with each body (``RemoteFields.to_body``).
        """
        errors: list[FieldError] = []
        details: ResultLinkDetails | None = None
        try:
            details = details_from_form(custom_field_name_prefix, attributes)
        except InputError as exc:
            errors.extend(exc.errors)
        raw: dict[str, Any] = {"label": label, "url": url}
        if details is not None:
            # Checked already: an instance of its model is taken as it is.
            raw["details"] = details
        if remote_fields:
            raw["remote_fields"] = dict(remote_fields)
        try:
            request = cls.model_validate(raw)
        except ValidationError as exc:
            errors.extend(_field_errors(exc))
            # In screen order where they are shown (``FormState.to_request``).
            raise InputError(_dedupe(errors)) from None
        if errors:
            raise InputError(errors)
        if isinstance(remote_fields, ParsedRemoteFields) and request.remote_fields is not None:
            # Its members are the form's parsed JSON, which nothing changes: sent as they are.
            request.remote_fields._shares_parsed_json = True
        return request


def details_from_form(
    custom_field_name_prefix: str, attributes: Iterable[tuple[str, str]]
) -> ResultLinkDetails | None:
    """The ``details`` a request sends for these attribute rows and this prefix, or
    ``InputError`` naming each field at fault there (``custom_field_name_prefix``,
    ``attributes[i].key``, ``attributes[i].value``); ``None`` without rows: a prefix
    alone sends no ``details``.

    ``ResultLinkRequest.from_form`` checks its details here, and the form checks the same
    parts apart, each kept while it stays as it is (``FormState.to_request``): the prefix
    (``prefix_problems``) and the rows (``checked_attributes``), then builds the details
    of both (``checked_details``): one check, the same problems with the same field
    names. Attributes need a prefix (Kombo requires both), and a row's key must be a name
    not used before (``find_problems``).
    """
    rows = list(attributes)
    if not rows:
        return None
    at_the_prefix = prefix_problems(custom_field_name_prefix)
    checked, named, at_the_rows = _attribute_problems(rows)
    if visible_key(custom_field_name_prefix):
        # Said in the order the check said them as one model: the rows' names, then the
        # prefix's characters, then each row's own.
        errors = [*named, *at_the_prefix, *at_the_rows]
    else:
        errors = [*at_the_prefix, *named, *at_the_rows]
    if errors or checked is None:
        raise InputError(errors)
    return checked_details(custom_field_name_prefix, checked)


#: Said of a prefix left blank beside attributes.
_PREFIX_REQUIRED = (
    "is required when attributes are given (Kombo puts it before each attribute name, e.g. “Acme:”)"
)


def _prefix_sendable(prefix: str) -> str:
    """``prefix`` as it is sent, or ``ValueError`` when it holds a control character or
    half a character.

    It starts every attribute's field name in the ATS ("Acme: Score"), so it is sent as
    a key is (``Attribute``): without what is invisible at its ends, in one Unicode form
    (an "Acmé:" pasted decomposed would otherwise start a second field that nobody can
    tell from the first), and on one line.
    """
    prefix = visible_key(prefix)
    _on_one_line(prefix)
    return _whole_characters(prefix)


def prefix_problems(custom_field_name_prefix: str) -> list[FieldError]:
    """What keeps this prefix from being sent before attributes (there are some), at
    ``custom_field_name_prefix``: left blank (Kombo requires it with them), or holding
    a control character or half a character (what ``ResultLinkDetails`` refuses in it).
    Empty when it can be."""
    prefix = visible_key(custom_field_name_prefix)
    if not prefix:
        return [FieldError("custom_field_name_prefix", _PREFIX_REQUIRED)]
    try:
        _prefix_sendable(prefix)  # as ResultLinkDetails asks
    except ValueError as exc:
        return [FieldError("custom_field_name_prefix", str(exc))]
    return []


class CheckedAttributes(NamedTuple):
    """What ``checked_attributes`` finds: the attributes as sent, or ``None`` with the
    ``errors`` that refuse them. Kept by the form for the rows last given: read only."""

    attributes: tuple[Attribute, ...] | None
    errors: tuple[FieldError, ...]


def checked_attributes(rows: Sequence[tuple[str, str]]) -> CheckedAttributes:
    """These attribute rows (none left out) as sent, or ``None`` with what is wrong with
    them, at ``attributes[i].key`` and ``attributes[i].value``: a name blank or used
    before (``find_problems``, as the table marks it), then what each row's own check
    (``Attribute``) refuses, one problem a field."""
    checked, named, at_the_rows = _attribute_problems(rows)
    return CheckedAttributes(checked, (*named, *at_the_rows))


def checked_details(
    custom_field_name_prefix: str, attributes: Sequence[Attribute]
) -> ResultLinkDetails:
    """The ``details`` sent for a prefix ``prefix_problems`` finds nothing in and the
    attributes ``checked_attributes`` gave (at least one), as ``details_from_form`` sends
    them: built from its parts as they were checked, not checked again."""
    # Thousands of rows, each checked already: a second check would read them all again.
    return ResultLinkDetails.model_construct(
        custom_field_name_prefix=visible_key(custom_field_name_prefix),
        attributes=tuple(attributes),
    )


@KeptForEach
def _row_checked(row: tuple[str, str]) -> Attribute | tuple[tuple[str, str], ...]:
    """``row`` as its ``Attribute`` is sent, or what that check refuses in it: one
    problem a field (``key`` or ``value``), each with its field. Kept for each row checked
    lately: a change of the table leaves all rows but a few as they were."""
    key, value = row
    try:
        return Attribute.model_validate({"key": key, "value": value})
    except ValidationError as exc:
        # Read as the first row's (``attributes[0].key``), in the words and fields of rows
        # checked together, then said at whichever row holds it.
        errors = _dedupe(_field_errors(exc, within=("details", "attributes", "0")))
        return tuple(
            (error.field.removeprefix("attributes[0]."), error.message) for error in errors
        )


def _attribute_problems(
    rows: Sequence[tuple[str, str]],
) -> tuple[tuple[Attribute, ...] | None, list[FieldError], list[FieldError]]:
    """``checked_attributes``'s answer with its problems in two: the names blank or used
    before (``find_problems``), and the rows' own check's but at a name said already."""
    rows = tuple(as_row_tuples(rows))
    named = [
        FieldError(f"attributes[{row}].key", problem)
        for row, problem in key_problems_of(rows).items()
    ]
    checked = _row_checked.each(rows)
    # Found at C's pace: a few rows refused among thousands.
    refused = list(
        itertools.compress(range(len(checked)), map(isinstance, checked, itertools.repeat(tuple)))
    )
    if refused:
        said = {error.field for error in named}
        found = [
            FieldError(f"attributes[{row}].{field}", message)
            for row in refused
            for field, message in cast("tuple[tuple[str, str], ...]", checked[row])
        ]
        return None, named, [error for error in found if error.field not in said]
    if named:
        return None, named, []
    return cast("tuple[Attribute, ...]", checked), [], []


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    seen: set[str] = set()
    unique = []
    for error in errors:
        if error.field not in seen:
            seen.add(error.field)
            unique.append(error)
    return unique


_JSON_OBJECT = "must be a JSON object ({…})"
_WHOLE_NUMBER = "must be a whole number"
_TRUE_OR_FALSE = "must be true or false (without quotes)"

#: Plain words for a value of the wrong type, by pydantic's error type. pydantic's own
#: words name Python's types and the app's classes ("a valid dictionary or instance of
#: IcimsRemoteFields"), which mean nothing to the person typing JSON.
_TYPE_PROBLEMS = {
    "model_type": _JSON_OBJECT,
    "model_attributes_type": _JSON_OBJECT,
    "dict_type": _JSON_OBJECT,
    "string_type": 'must be text in quotes ("…")',
    "int_type": _WHOLE_NUMBER,
    "int_parsing": _WHOLE_NUMBER,
    "int_from_float": _WHOLE_NUMBER,
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": _TRUE_OR_FALSE,
    "bool_parsing": _TRUE_OR_FALSE,
    "list_type": "must be a list ([…])",
    "missing": "is required",
    # Only pass-through remote fields can carry members of their own choosing.
    "extra_forbidden": "is not a field Kombo knows for this ATS",
}


def problem_words(item: ErrorDetails) -> str:
    """One of pydantic's problems in the form's words: what the value must be.

    The app's own validators already speak plainly ("Value error, is required");
    pydantic's remaining "Input should be …" becomes "must be …".
    """
    known = _TYPE_PROBLEMS.get(item["type"])
    if known is not None:
        return known
    message = str(item["msg"]).removeprefix("Value error, ")
    if message.startswith("Input should be "):
        return "must be " + message.removeprefix("Input should be ")
    return message


def _field_errors(exc: ValidationError, *, within: Sequence[str] = ()) -> list[FieldError]:
    """Translate pydantic's locations into the form's field names; ``within`` is where the
    model validated stands in the request (``("details",)`` for its details)."""
    errors = []
    for item in exc.errors():
        loc = [*within, *(str(part) for part in item["loc"])]
        message = problem_words(item)
        if loc[:2] == ["details", "attributes"] and len(loc) >= 4:
            field = f"attributes[{loc[2]}].{loc[3]}"
        elif loc[:2] == ["details", "custom_field_name_prefix"]:
            field = "custom_field_name_prefix"
        elif loc and loc[0] == "remote_fields":
            field = "remote_fields"
            message = f"{'.'.join(loc[1:]) or 'remote_fields'}: {message}"
        else:
            field = loc[0] if loc else "request"
        errors.append(FieldError(field, message))
    return errors


#: IDs that an address reads as a step between folders, written out or encoded alike
#: (``%2E%2E``, by URL normalization): sent, they would change which path is asked for.
_DOT_SEGMENTS = frozenset({".", ".."})
_DOTS_ALONE_PROBLEM = (
    "cannot be “.” or “..” alone: in the address, it would change where the request goes"
)


class Target(_Model):
    """A candidate or an application, by its Kombo id (surrounding whitespace trimmed)."""

    kind: TargetKind
    id: str

    @field_validator("id")
    @classmethod
    def _id_is_usable(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("is required")
        # In the words every pasted ID is told (a remote field's too): "on one line" for
        # a tab or a line break, else what it holds.
        problem = pasted_id_problem(value)
        if problem is not None:
            raise ValueError(problem)
        if value in _DOT_SEGMENTS:
            raise ValueError(_DOTS_ALONE_PROBLEM)
        # Sent in the address: half a character cannot be written in one.
        return _whole_characters(value)

    @classmethod
    def parse(cls, kind: TargetKind, target_id: str) -> Target:
        """Build a target or raise ``InputError`` on the ``target_id`` field."""
        try:
            return cls(kind=kind, id=target_id)
        except ValidationError as exc:
            message = problem_words(exc.errors()[0])
            raise InputError([FieldError("target_id", message)]) from None


# ---- answers -------------------------------------------------------------------------------


class _Lenient(BaseModel):
    """Answers may grow new members; they are kept, not refused."""

    model_config = ConfigDict(frozen=True, extra="allow")


class KomboWarning(_Lenient):
    """An interaction warning meant for the person sending."""

    message: str


class SuccessEnvelope(_Lenient):
    """``{"status": "success", "data": ..., "warnings": [...]}``."""

    status: Literal["success"]
    data: Any = None
    warnings: list[KomboWarning] = Field(default_factory=list)

    @field_validator("warnings", mode="before")
    @classmethod
    def _every_warning_shown(cls, warnings: Any) -> list[Any]:
        # The link was added: a warning in an odd shape must not turn that into a failure
        # (which would invite a duplicate), and must still be shown, as Kombo sent it.
        if warnings is None:
            return []
        if not isinstance(warnings, list):
            warnings = [warnings]
        return [
            warning
            if isinstance(warning, dict) and isinstance(warning.get("message"), str)
            else {"message": _warning_text(warning)}
            for warning in warnings
        ]


def _warning_text(warning: Any) -> str:
    """A warning without a message, as text a person can read."""
    if isinstance(warning, str):
        return warning
    return json.dumps(warning, ensure_ascii=False, sort_keys=True)


class ErrorDetail(_Lenient):
    """The ``error`` member of Kombo's error envelope.

    Kombo documents ``code``, ``title`` and ``log_url`` as possibly null; ``message`` is
    read as tolerantly (null or missing is an empty message): a refusal whose message was
    left out is still Kombo's refusal, worded by its code, not an answer not understood.
    So is one whose words come as something else than text (a list of problems, a
    number): they are shown as the JSON they came as, and a link that is no text is
    left out. Refused as not Kombo's, the answer lost its code, which says what to do.
    """

    code: str | None = None
    title: str | None = None
    message: str = ""
    log_url: str | None = None

    @field_validator("message", mode="before")
    @classmethod
    def _no_message_is_an_empty_one(cls, message: Any) -> Any:
        return "" if message is None else _as_text(message)

    @field_validator("title", "code", mode="before")
    @classmethod
    def _as_text_if_any(cls, words: Any) -> Any:
        # A code that came as a number (``"code": 123``) is still Kombo's refusal, with its
        # message and its log: shown as it came, not as an answer not understood.
        return _text_or_none(words)

    @field_validator("log_url", mode="before")
    @classmethod
    def _only_a_text_is_a_link(cls, log_url: Any) -> Any:
        return log_url if isinstance(log_url, str) else None


def _as_text(words: Any) -> str:
    """``words`` from an answer as text: as they came when they are, else their JSON."""
    if isinstance(words, str):
        return words
    return json.dumps(words, ensure_ascii=False)


def _text_or_none(value: Any) -> Any:
    """A text member of an answer (a candidate's, an error's title or code) as text: as
    it came when it is, else its JSON (a name that came as a number, a job's name as an
    object of translations); none stays none. One odd member must not hide the whole
    answer as one not understood."""
    return None if value is None else _as_text(value)


class ErrorEnvelope(_Lenient):
    """``{"status": "error", "error": {...}}``."""

    status: Literal["error"]
    error: ErrorDetail


def _date_or_none(value: Any) -> Any:
    """A date member as text; ``false`` (as some ATSs write "not deleted") as none."""
    return None if value is None or value is False else _as_text(value)


def _flag_or_none(value: Any) -> Any:
    """A yes-or-no member: as it came when it is one, else not known."""
    return value if isinstance(value, bool) else None


def _number_or_none(value: Any) -> Any:
    """A whole number member: as it came when it is one, else not known."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _objects_or_none(name: str) -> Callable[[Any], Any]:
    """Reads a nested object leniently: one that came as text is taken as its ``name``
    member (a job's name given alone), anything else not an object as none."""

    def read(value: Any) -> Any:
        if isinstance(value, str):
            return {name: value}
        return value if isinstance(value, dict) else None

    return read


def _list_of(name: str) -> Callable[[Any], Any]:
    """Reads a list of nested objects leniently: ``null`` as an empty list, one object
    alone as a list of it, and an item that came as text as its ``name`` member (an
    address given alone); other items not objects are left out."""
    as_object = _objects_or_none(name)

    def read(value: Any) -> Any:
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        return [item for item in map(as_object, items) if item is not None]

    return read


def _no_list_is_empty(value: Any) -> Any:
    """``null`` for a list: an empty one."""
    return [] if value is None else value


#: A text member read leniently (``_text_or_none``).
_Text = Annotated[str | None, BeforeValidator(_text_or_none)]
#: An ID that came as a number: kept as its digits.
_Id = Annotated[str, BeforeValidator(_as_text)]


class Tag(_Lenient):
    """A candidate tag."""

    id: _Text = None
    name: _Text = None
    remote_id: _Text = None


class EmailAddress(_Lenient):
    """One of a candidate's email addresses."""

    email_address: _Text = None
    type: _Text = None


class Stage(_Lenient):
    """An application's current stage."""

    id: _Text = None
    name: _Text = None
    remote_id: _Text = None
    index: Annotated[int | None, BeforeValidator(_number_or_none)] = None


class JobRef(_Lenient):
    """The job an application is for."""

    id: _Text = None
    name: _Text = None
    remote_id: _Text = None


class Application(_Lenient):
    """An application as nested in a candidate.

    Its members are read leniently, as a candidate's are (see ``Candidate``)."""

    id: _Id
    remote_id: _Text = None
    outcome: _Text = None
    rejection_reason_name: _Text = None
    rejected_at: _Text = None
    remote_url: _Text = None
    changed_at: _Text = None
    remote_created_at: _Text = None
    remote_updated_at: _Text = None
    current_stage: Annotated[Stage | None, BeforeValidator(_objects_or_none("name"))] = None
    job: Annotated[JobRef | None, BeforeValidator(_objects_or_none("name"))] = None


class Candidate(_Lenient):
    """A candidate from ``GET /ats/candidates``.

    Its members are read leniently: a text that came as something else is shown as its
    JSON, a list that came as ``null`` is empty, a nested object that is none is left
    out. An ATS fills them in its own way, and one candidate written oddly must not hide
    every other on the page (an answer not understood). Only the ID must be there.
    """

    id: _Id
    remote_id: _Text = None
    first_name: _Text = None
    last_name: _Text = None
    company: _Text = None
    title: _Text = None
    confidential: Annotated[bool | None, BeforeValidator(_flag_or_none)] = None
    source: _Text = None
    remote_url: _Text = None
    changed_at: _Text = None
    remote_deleted_at: Annotated[str | None, BeforeValidator(_date_or_none)] = None
    applications: Annotated[list[Application], BeforeValidator(_list_of("id"))] = Field(
        default_factory=list
    )
    tags: Annotated[list[Tag], BeforeValidator(_list_of("name"))] = Field(default_factory=list)
    email_addresses: Annotated[
        list[EmailAddress] | None, BeforeValidator(_list_of("email_address"))
    ] = None

    @property
    def full_name(self) -> str:
        """First and last name, as far as the ATS gave them ("" for none)."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    @property
    def primary_email(self) -> str | None:
        """The first email address, if any."""
        for entry in self.email_addresses or []:
            if entry.email_address:
                return entry.email_address
        return None


class CandidatePage(_Lenient):
    """One page of ``GET /ats/candidates``; ``next`` is the cursor of the following page."""

    next: _Text = None
    results: Annotated[list[Candidate], BeforeValidator(_no_list_is_empty)] = Field(
        default_factory=list
    )


class ApiKeyCheck(_Lenient):
    """The ``data`` of ``GET /check-api-key``."""

    environment_id: str
