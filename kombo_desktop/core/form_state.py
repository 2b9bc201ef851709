"""What the single result-link form holds, without Qt: validated, saved as a draft, reset.

The window keeps no other copy of the form: it reads a ``FormState`` from the widgets,
validates it with ``to_request`` (the core's own rules, so the GUI and the command line
agree on what is valid), saves it as a draft and restores it at the next start. The
draft also remembers which links were sent from the form (``SentLink``), so that a
restored form still asks before adding the same link a second time, and which profile
the form was filled in with, so that it comes back with that customer's profile.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kombo_desktop.core.attribute_rows import (
    DUPLICATE_KEY,
    AttributeRow,
    KeptForLast,
    facts_of_rows,
    held_facts_of_rows,
    is_blank,
    is_blank_row,
    is_value_problem,
    row_problems_of,
    rows_where,
    same_key,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.identity_cache import LastSeenByIdentity
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.text import half_character, half_character_problem, strip_edges

if TYPE_CHECKING:
    # The models (pydantic) load with the first validation, not when the form is built.
    from kombo_desktop.core.connection import HeldKeys
    from kombo_desktop.core.models import (
        CheckedAttributes,
        RemoteFields,
        ResultLinkDetails,
        ResultLinkRequest,
        Target,
    )

log = logging.getLogger(__name__)

#: (Patterns as text: ``re`` compiles them at first use, not while the window starts.)
_ATTRIBUTE_FIELD = r"^attributes\[(\d+)\](.*)$"

#: The order fields appear in on screen; errors are reported in that order.
FIELD_ORDER: tuple[str, ...] = (
    "target_id",
    "label",
    "url",
    "custom_field_name_prefix",
    "attributes",
    "remote_fields",
)


#: How many sent links a form remembers, the newest kept: the candidates of a sitting
#: (a row pasted twice is a recent one), and the draft stays a few kilobytes however long
#: the app is used.
MAX_SENT_LINKS = 50
_FINGERPRINT = r"^[0-9a-f]{64}$"


@dataclass(frozen=True)
class SentLink:
    """A result link sent from the form: which link, to where (``fingerprint``), and when.

    ``confirmed`` is False when the answer left open whether Kombo added it (a timeout,
    a server error, a cancel after it went out). ``sent_at`` is in UTC.
    """

    fingerprint: str
    sent_at: datetime
    confirmed: bool = True

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for the draft file."""
        return {
            "fingerprint": self.fingerprint,
            "sent_at": self.sent_at.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "confirmed": self.confirmed,
        }

    @classmethod
    def from_dict(cls, data: object) -> SentLink | None:
        """Rebuild a link from ``to_dict`` output; ``None`` when it is not one."""
        if not isinstance(data, Mapping):
            return None
        fingerprint = data.get("fingerprint")
        sent_at = data.get("sent_at")
        confirmed = data.get("confirmed", True)
        if not (
            isinstance(fingerprint, str)
            and re.match(_FINGERPRINT, fingerprint)
            and isinstance(sent_at, str)
            and isinstance(confirmed, bool)
        ):
            return None
        try:
            moment = datetime.fromisoformat(sent_at)
            if moment.tzinfo is None:
                return None  # a time without its zone could be hours off
            moment = moment.astimezone(timezone.utc)
            moment.astimezone()  # it is shown in local time: it must have one
        except (ValueError, OverflowError):  # no date, or one at the calendar's very edge
            return None
        # A time still to come was written by a clock set ahead: the link was sent all the
        # same (the record must keep asking), but not on the day that clock said.
        return cls(fingerprint, min(moment, datetime.now(timezone.utc)), confirmed)


def sent_fingerprint(
    base_url: str, integration_id: str, target: Target, request: ResultLinkRequest
) -> str:
    """Which link went where, as a fixed-length digest (SHA-256 of a canonical JSON).

    Made of the base URL, the integration ID, the target and the exact request body:
    never of the API key, nor of anything derived from it (the draft file is no
    place for it). Another key to the same integration adds the same duplicate.

    Quick for a form typed in with a remote-fields JSON of megabytes: each member of it
    for another ATS is encoded once for the object it was parsed into
    (``_passed_through_encoding``), and the digest is that of the whole as before, so the
    links a draft recorded are still found.
    """
    import hashlib  # loaded with the first send, not when the form is built

    encoded = _canonical_json
    body = {name: encoded(value) for name, value in request.body_without_remote_fields().items()}
    remote = request.remote_fields
    if remote is not None:
        members = {name: encoded(value) for name, value in remote.modeled_body().items()}
        members.update(_passed_through_encoding(remote))
        if members:  # as ``to_body``: no empty ``remote_fields`` is sent
            body["remote_fields"] = _joined_object(members)
    canonical = _joined_object(
        {
            "base_url": encoded(base_url),
            "integration_id": encoded(integration_id),
            "target_kind": encoded(target.kind.value),
            "target_id": encoded(target.id),
            "body": _joined_object(body),
        }
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical_json(value: Any) -> str:
    """``value`` in the one JSON form fingerprints are made of: keys sorted, no spaces,
    characters as they are."""
    import json

    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _joined_object(encoded: Mapping[str, str]) -> str:
    """The JSON object of ``encoded``, whose values are JSON text already: the very text
    ``_canonical_json`` writes for the object they encode."""
    members = (f"{_canonical_json(name)}:{encoded[name]}" for name in sorted(encoded))
    return "{" + ",".join(members) + "}"


#: The members for other ATSs last encoded, each in ``_canonical_json``, by the object it
#: is. The same JSON text is parsed once into objects shared by every request built from
#: it, which only read them (``RemoteFieldsInput``): a key typed in the Label leaves them
#: as they are, and a change of the JSON brings new ones. Used on the GUI thread only,
#: where the window asks for fingerprints.
_encoded_members: LastSeenByIdentity[str] = LastSeenByIdentity()


def _passed_through_encoding(remote: RemoteFields) -> dict[str, str]:
    """``remote``'s members for other ATSs by name, each in ``_canonical_json`` as
    ``to_body`` sends it: encoded again only for an object not encoded last time."""
    return _encoded_members.values_of(remote.passed_through(), _canonical_json)


def find_sent_link(links: Sequence[SentLink], fingerprint: str) -> SentLink | None:
    """The newest of ``links`` with ``fingerprint``, else ``None``."""
    return next((link for link in reversed(links) if link.fingerprint == fingerprint), None)


def with_sent_link(links: tuple[SentLink, ...], link: SentLink) -> tuple[SentLink, ...]:
    """``links`` with ``link`` as the newest: one entry per fingerprint, at most
    ``MAX_SENT_LINKS``.

    A link known to be added stays known: a later send of it whose outcome is open
    (a timeout) does not turn "added" into "may have been added".
    """
    earlier = find_sent_link(links, link.fingerprint)
    if earlier is not None and earlier.confirmed and not link.confirmed:
        return links
    kept = tuple(known for known in links if known.fingerprint != link.fingerprint)
    return (*kept, link)[-MAX_SENT_LINKS:]


def typed_input_field(name: str) -> str:
    """The field a problem of the remote fields' typed input ``name`` is reported on
    (``remote_fields.greenhouse_on_behalf_of``): in the ``remote_fields`` group."""
    return f"remote_fields.{name}"


def typed_input_of(field_name: str) -> str | None:
    """The remote fields' typed input a field name points at (``typed_input_field``),
    else ``None``."""
    group, _dot, name = field_name.partition(".")
    return name if group == "remote_fields" and name else None


def field_group(field_name: str) -> str:
    """``attributes[2].key`` → ``attributes``, ``remote_fields.greenhouse_on_behalf_of`` →
    ``remote_fields``; other names are returned unchanged."""
    return field_name.split("[", 1)[0].split(".", 1)[0]


def attribute_row_of(field_name: str) -> int | None:
    """The table row an ``attributes[i]…`` field name points at, else ``None``."""
    match = re.match(_ATTRIBUTE_FIELD, field_name)
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class TypedSinceSent:
    """What a form holds that its link did not go out with: typed since it was sent (the
    next candidate's ID, URL or values, typed while that link was on its way).

    Only what "Next candidate" clears is looked at: the Target ID, the Result URL and the
    attribute values (``attribute_rows``: the table rows, as shown, whose value is new).
    """

    target_id: bool = False
    url: bool = False
    attribute_rows: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return self.target_id or self.url or bool(self.attribute_rows)


@dataclass(frozen=True)
class FormState:
    """Everything typed into the form. Immutable: edits produce a new state.

    ``attributes`` holds the table rows as shown, blank rows included, so that
    a draft restores the table exactly; blank rows are ignored when sending, and a row
    with a key needs a value (``find_row_problems``).
    ``sent`` is what was last sent from the form (oldest first, ``MAX_SENT_LINKS``): the
    widgets do not show it, the window adds it for the draft. It is never sent itself.
    ``profile_id`` is the id of the profile chosen in the window with the form (never its
    key), ``None`` without one (demo mode, or a draft from before it was kept); the window
    adds it for the draft too.
    """

    target_kind: TargetKind = TargetKind.CANDIDATE
    target_id: str = ""
    label: str = ""
    url: str = ""
    prefix: str = ""
    attributes: tuple[AttributeRow, ...] = ()
    remote_fields: RemoteFieldsInput = field(default_factory=RemoteFieldsInput)
    sent: tuple[SentLink, ...] = ()
    profile_id: str | None = None

    def filled_attributes(self) -> list[AttributeRow]:
        """The rows that will be sent: those with a key or a value (``is_blank_row``: only
        spaces and invisible characters count as neither)."""
        return [row for row in self.attributes if not is_blank_row(row)]

    def filled_fields(self) -> frozenset[str]:
        """The field groups (names as in ``FIELD_ORDER``) that hold something.

        Whitespace and blank attribute rows do not count: they are never sent.
        """
        filled = {name for name, text in self._line_inputs().items() if text.strip()}
        if self.filled_attributes():
            filled.add("attributes")
        if not self.remote_fields.is_empty():
            filled.add("remote_fields")
        return frozenset(filled)

    def is_empty(self) -> bool:
        """True when nothing was typed (a draft of it is not worth restoring)."""
        return not self.filled_fields()

    def _line_inputs(self) -> dict[str, str]:
        """The one-line inputs by field name."""
        return {
            "target_id": self.target_id,
            "label": self.label,
            "url": self.url,
            "custom_field_name_prefix": self.prefix,
        }

    def to_request(self, *, held_keys: Iterable[str] = ()) -> tuple[Target, ResultLinkRequest]:
        """The target and body to send, or ``InputError`` with every field at fault at once.

        Attribute errors name the table row as shown (``attributes[3].key`` is the
        fourth row even when blank rows come before it); a key whose value is blank is
        refused at the value (``attributes[3].value``), as ``missing``. A value holding a
        Kombo key is refused, and so is one holding any of ``held_keys`` (the key the app
        sends with, whatever its shape; see ``HeldKeys``). The first call loads the models
        (pydantic); the GUI has them loaded in the background first.
        """
        from kombo_desktop.core.connection import HeldKeys
        from kombo_desktop.core.models import Target

        errors: list[FieldError] = []
        target: Target | None = None
        try:
            target = Target.parse(self.target_kind, self.target_id)
        except InputError as exc:
            errors.extend(exc.errors)
        remote: dict[str, Any] | None = None
        try:
            remote = self.remote_fields.to_remote_fields()
        except InputError as exc:
            errors.extend(exc.errors)
        held = HeldKeys.of(held_keys)
        # The table's errors depend on its rows and the held keys alone: kept while they
        # stay as they are, they cost nothing at a key typed in another field, the prefix
        # included.
        table = _table_check((tuple(self.attributes), held))
        errors.extend(_prefix_problems(self.prefix, table.sent))
        request, request_errors = _request_of(self.label, self.url, self.prefix, table.sent, remote)
        errors.extend(request_errors)
        errors = _with_key_and_half_problems(
            errors,
            lambda at_fault: self._api_keys(held, leaving_out=at_fault),
            self._half_characters(),
        )
        if errors or table.errors or target is None or request is None:
            raise InputError(_merged_in_screen_order(self._flag_missing(errors), table.errors))
        return target, request

    def _api_keys(self, held: HeldKeys, *, leaving_out: Set[str]) -> list[FieldError]:
        """A problem at each text beside the table that holds a Kombo key, or one of the
        ``held`` keys: sent, it would be written into the customer's ATS, where every
        recruiter reads it (a key pasted into the wrong field, a prefix typed from a config
        line). The table's are ``_table_key_problems``. Fields in ``leaving_out`` (at fault
        already) are not read: a JSON refused already would be read with its escapes, for
        nothing."""
        from kombo_desktop.core.connection import (
            HELD_KEY_IN_TEXT_PROBLEM,
            KEY_IN_TEXT_PROBLEM,
            contains_api_key,
        )

        problems: dict[str, str] = {}
        for field_name, text in self._texts(leaving_out=leaving_out):
            if problems.get(field_name) == KEY_IN_TEXT_PROBLEM:
                continue  # the key's shape is said, whichever text of the field held it
            if (
                self.remote_fields.json_holds_api_key()
                if field_name == "remote_fields"
                else contains_api_key(text)
            ):
                problems[field_name] = KEY_IN_TEXT_PROBLEM
            elif held and field_name not in problems and held.found_in(text):
                problems[field_name] = HELD_KEY_IN_TEXT_PROBLEM
        return [FieldError(name, problems[name]) for name in sorted(problems)]

    def _texts(self, *, leaving_out: Set[str] = frozenset()) -> Iterator[tuple[str, str]]:
        """Every text typed into the form beside the table (whose texts are checked apart,
        once per change of the rows: ``_table_check``, ``_attributes_hold``),
        with the field it is reported on, but those of the fields in ``leaving_out``. The
        remote fields' JSON is given as its strings read, last (it may be megabytes): a
        tool may write a key's characters as escapes (Go writes ``<``, ``>`` and ``&`` as
        ``\\u003c``…, PHP ``/`` as ``\\/``), and the body holds them as characters."""
        texts: list[tuple[str, str]] = [*self._line_inputs().items()]
        remote = self.remote_fields
        # Each typed input under a name of its own, so that a key pasted into one is said
        # (and the focus taken) at that input, not at the JSON.
        texts += [(typed_input_field(name), text) for name, text in remote.typed_texts().items()]
        yield from ((name, text) for name, text in texts if name not in leaving_out)
        if "remote_fields" not in leaving_out:
            yield "remote_fields", remote.json_strings_text()

    def holds_held_key(self, held_keys: Iterable[str]) -> bool:
        """True when one of ``held_keys`` stands in any text of the form (see ``HeldKeys``:
        keys shorter than ``MIN_HELD_KEY_LENGTH`` are not looked for)."""
        from kombo_desktop.core.connection import HeldKeys

        return self._holds(HeldKeys.of(held_keys))

    def _holds(self, held: HeldKeys) -> bool:
        if not held:
            return False
        # The attributes first: kept for the rows as they are, their answer costs nothing.
        if _attributes_hold((tuple(self.attributes), held)):
            return True
        return any(held.found_in(text) for _field, text in self._texts())

    def without_held_keys(self, held_keys: Iterable[str]) -> FormState:
        """This state with each of ``held_keys`` in its texts replaced by ``KEY_REMOVED``
        (what the draft keeps: a key is never written to a file); ``self`` when none holds
        one. Quick enough for the GUI thread: plain text is searched as such, and the JSON
        as its strings read, kept from its check."""
        from kombo_desktop.core.connection import KEY_REMOVED, HeldKeys

        held = HeldKeys.of(held_keys)
        if not self._holds(held):
            return self

        def removed(text: str) -> str:
            return held.removed_from(text, KEY_REMOVED)

        remote = self.remote_fields
        # Its texts by name (``Any``: the dataclass holds flags beside them, left as they are).
        remote_texts: dict[str, Any] = {
            name: removed(text) for name, text in remote.typed_texts().items()
        }
        # Taken out where the JSON writes it, in whatever escapes; the rest as typed.
        remote_texts["raw_json"] = remote.raw_json_without(held, KEY_REMOVED)
        return replace(
            self,
            target_id=removed(self.target_id),
            label=removed(self.label),
            url=removed(self.url),
            prefix=removed(self.prefix),
            attributes=tuple((removed(key), removed(value)) for key, value in self.attributes),
            remote_fields=replace(remote, **remote_texts),
        )

    def _half_characters(self) -> list[FieldError]:
        """A problem at each value beside the table holding half a character, which no
        body can carry: a byte that is not UTF-8 in a command-line argument, a draft edited
        by hand (the table's are ``_attribute_half_characters``). The remote-fields JSON is
        checked as it is parsed, where what holds it is named."""
        remote_texts = [
            ("remote_fields", text)
            for name, text in vars(self.remote_fields).items()
            if name != "raw_json" and isinstance(text, str)
        ]
        return [
            *_half_character_problems(self._line_inputs().items()),
            *_half_character_problems(remote_texts),
        ]

    def _flag_missing(self, errors: list[FieldError]) -> list[FieldError]:
        """``errors`` with ``missing`` set on those about an input left blank.

        An input that holds nothing can only be wrong by being required, whichever rule
        (and wording) refused it; so the flag follows from the input, not the message.
        """
        blank = {name for name, text in self._line_inputs().items() if not text.strip()}
        return [replace(error, missing=True) if error.field in blank else error for error in errors]

    def for_next_candidate(self, *, typed: TypedSinceSent | None = None) -> FormState:
        """The form for the next candidate: same label, prefix, attribute keys and remote
        fields; the ID, the URL, the attribute values and the record of sent links cleared.

        With ``typed`` (``typed_since`` the form as its last link went out), only what still
        holds what was sent is cleared: an ID, a URL or an attribute value changed since is
        the next candidate's, typed while that link was on its way, and is kept. A row that
        keeps its value is kept whole, even without a key yet.
        """
        # Taken rather than worked out here: the caller has it already, to say what was kept.
        if typed is None:
            typed = TypedSinceSent()
        rows = tuple(
            row if index in typed.attribute_rows else (row[0], "")
            for index, row in enumerate(self.attributes)
            if index in typed.attribute_rows or not is_blank(row[0])
        )
        return replace(
            self,
            target_id=self.target_id if typed.target_id else "",
            url=self.url if typed.url else "",
            attributes=rows,
            sent=(),
        )

    def typed_since(self, as_sent: FormState) -> TypedSinceSent:
        """What this form holds that ``as_sent`` (the same form as its link went out) did
        not: an ID, URL or attribute value typed since. Text is compared as a person sees
        it (spaces and invisible characters at its ends aside); the same value typed again
        counts as the one sent.

        Rows may have been added, removed or moved since, so a value is not matched by its
        row number: each value sent accounts for one row still holding it with its key.
        Only a row whose key was renamed since (a key no row sent) is matched by its value
        alone, to a value sent under a key no row holds now: the next candidate's values
        typed into the same keys ("no" where "yes" was sent, and "yes" where "no" was) are
        new. A value none accounts for is new.
        """
        # Each key compared once: the rows of both forms share their keys, thousands of them
        # after "Next candidate" (which calls this).
        compared: dict[str, str] = {}

        def same(key: str) -> str:
            found = compared.get(key)
            if found is None:
                found = compared[key] = same_key(key)
            return found

        keys_now = {same(key) for key, _value in self.attributes}
        keys_sent = {same(key) for key, _value in as_sent.attributes}
        left: Counter[tuple[str, str]] = Counter(
            (same(key), strip_edges(value))
            for key, value in as_sent.attributes
            if not is_blank(value)
        )
        unmatched: list[tuple[int, str]] = []
        new_rows: set[int] = set()
        for index, (key, value) in enumerate(self.attributes):
            if is_blank(value):
                continue  # nothing to keep
            pair = (same(key), strip_edges(value))
            if left[pair] > 0:
                left[pair] -= 1
            elif pair[0] in keys_sent:
                new_rows.add(index)  # a key that was sent, with another value
            else:
                unmatched.append((index, pair[1]))
        # What was sent under the keys that are gone: a renamed key still holds it.
        values_left: Counter[str] = Counter()
        for (key, value), count in left.items():
            if key not in keys_now:
                values_left[value] += count
        for index, value in unmatched:
            if values_left[value] > 0:
                values_left[value] -= 1
            else:
                new_rows.add(index)
        return TypedSinceSent(
            target_id=_typed_anew(self.target_id, as_sent.target_id),
            url=_typed_anew(self.url, as_sent.url),
            attribute_rows=frozenset(new_rows),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for the draft file (it never holds a key: the form has none)."""
        return {
            "target_kind": self.target_kind.value,
            "target_id": self.target_id,
            "label": self.label,
            "url": self.url,
            "prefix": self.prefix,
            "attributes": [[key, value] for key, value in self.attributes],
            "remote_fields": self.remote_fields.to_dict(),
            "sent": [link.to_dict() for link in self.sent],
            "profile_id": self.profile_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormState:
        """Rebuild a state from ``to_dict`` output, keeping whatever is usable.

        A draft written by another version, or edited by hand, may miss members or
        hold odd types: those fall back to empty rather than losing the rest (a draft
        from before ``sent`` existed restores with nothing sent, one from before
        ``profile_id`` with no profile).
        """
        if not isinstance(data, Mapping):
            raise ValueError("a form state must be a JSON object")

        def text(name: str) -> str:
            value = data.get(name, "")
            return value if isinstance(value, str) else ""

        try:
            kind = TargetKind(data.get("target_kind", TargetKind.CANDIDATE.value))
        except ValueError:
            kind = TargetKind.CANDIDATE
        rows: list[AttributeRow] = []
        raw_rows = data.get("attributes", [])
        if isinstance(raw_rows, Sequence) and not isinstance(raw_rows, str):
            for raw in raw_rows:
                if (
                    isinstance(raw, Sequence)
                    and not isinstance(raw, str)
                    and len(raw) == 2
                    and all(isinstance(cell, str) for cell in raw)
                ):
                    rows.append((raw[0], raw[1]))
        remote = RemoteFieldsInput()
        raw_remote = data.get("remote_fields")
        if isinstance(raw_remote, Mapping):
            try:
                remote = RemoteFieldsInput.from_dict(dict(raw_remote))
            except Exception:  # a damaged section must not cost the rest of the draft
                log.warning("Ignoring unreadable remote fields in a saved form", exc_info=True)
        raw_sent = data.get("sent", [])
        sent: tuple[SentLink, ...] = ()
        if isinstance(raw_sent, Sequence) and not isinstance(raw_sent, str):
            for raw in raw_sent:
                link = SentLink.from_dict(raw)
                if link is not None:
                    sent = with_sent_link(sent, link)
        profile_id = data.get("profile_id")
        return cls(
            target_kind=kind,
            target_id=text("target_id"),
            label=text("label"),
            url=text("url"),
            prefix=text("prefix"),
            attributes=tuple(rows),
            remote_fields=remote,
            sent=sent,
            profile_id=profile_id if isinstance(profile_id, str) and profile_id else None,
        )


def _typed_anew(text: str, as_sent: str) -> bool:
    """True when ``text`` holds something other than ``as_sent`` (ends aside)."""
    return not is_blank(text) and strip_edges(text) != strip_edges(as_sent)


def _to_table_rows(error: FieldError, table_rows: list[int]) -> FieldError:
    """Renumber ``attributes[i]`` from the sent rows to the rows on screen."""
    match = re.match(_ATTRIBUTE_FIELD, error.field)
    if match is None:
        return error
    sent_index = int(match.group(1))
    if sent_index >= len(table_rows):
        return error
    return replace(error, field=f"attributes[{table_rows[sent_index]}]{match.group(2)}")


def in_screen_order(errors: Sequence[FieldError]) -> list[FieldError]:
    """``errors`` sorted as their fields appear on screen (``FIELD_ORDER``, then row)."""
    return sorted(errors, key=_screen_position)


def _screen_position(error: FieldError) -> tuple[int, int]:
    """Where ``error``'s field is on screen: its rank in ``FIELD_ORDER`` (after them all
    when not there), then its table row."""
    group = field_group(error.field)
    rank = FIELD_ORDER.index(group) if group in FIELD_ORDER else len(FIELD_ORDER)
    return rank, attribute_row_of(error.field) or 0


def _merged_in_screen_order(
    others: Sequence[FieldError], table: tuple[FieldError, ...]
) -> tuple[FieldError, ...]:
    """``in_screen_order`` of ``others`` (a few, beside the table) and ``table`` (the
    table's, in screen order already): the few are sorted, and the table's thousands set
    between those before and after it as they are."""
    ordered = in_screen_order(others)
    table_rank = FIELD_ORDER.index("attributes")
    after = next(
        (at for at, error in enumerate(ordered) if _screen_position(error)[0] > table_rank),
        len(ordered),
    )
    return (*ordered[:after], *table, *ordered[after:])


def _with_key_and_half_problems(
    errors: list[FieldError],
    api_keys: Callable[[Set[str]], list[FieldError]],
    halves: Sequence[FieldError],
) -> list[FieldError]:
    """``errors`` with the keys (``api_keys``, given the fields to leave out) and the half
    characters (``halves``) found in the same fields: a key is said instead of another
    problem of its field, and half a character only where nothing else is."""
    # A field refused for half a character is still read for a key: a key matters more
    # (sent, it leaks), so where both are, the key is the one problem said there.
    half_problems = {(error.field, error.message) for error in halves}
    at_fault = {
        error.field for error in errors if (error.field, error.message) not in half_problems
    }
    keys = api_keys(at_fault)
    keyed = {error.field for error in keys}
    errors = [error for error in errors if error.field not in keyed] + keys
    at_fault = {error.field for error in errors}
    errors.extend(error for error in halves if error.field not in at_fault)
    return errors


# ---- what depends on the attributes alone, worked out once while they stay as they are ----
#
# The form is checked again at every key typed in any of its fields, and its table may hold
# thousands of rows (a spreadsheet block pasted): these are kept for the rows last given
# (``KeptForLast``, which knows the table's unchanged tuple of rows at once) and computed
# again only once the rows change.


@dataclass(frozen=True)
class _CheckedDetails:
    """The ``details`` a request sends for some attribute rows and prefix, or the errors
    ``details_from_form`` finds in them (``details`` is then ``None``)."""

    errors: tuple[FieldError, ...]
    details: ResultLinkDetails | None


@KeptForLast
def _rows_sent(
    attributes: tuple[AttributeRow, ...],
) -> tuple[tuple[int, ...], tuple[AttributeRow, ...]]:
    """The table row of each row sent, and those rows: all but the blank ones
    (``is_blank_row``)."""
    # Read from each row's facts, kept: a change of one row reads no other row's texts.
    facts = facts_of_rows(attributes)
    blank = rows_where(facts, "blank")
    if not blank:
        # The very rows given: what is kept for them is known again at once.
        return tuple(range(len(attributes))), attributes
    kept = tuple(sorted(set(range(len(attributes))).difference(blank)))
    return kept, tuple(map(attributes.__getitem__, kept))


@KeptForLast
def _rows_checked(rows: tuple[AttributeRow, ...]) -> CheckedAttributes:
    """The rows' part of the check of the details (``checked_attributes``), for these rows
    (none blank): their attributes as sent, or their problems, at the rows as sent."""
    from kombo_desktop.core.models import checked_attributes

    return checked_attributes(rows)


@KeptForLast
def _prefix_checked(prefix: str) -> tuple[FieldError, ...]:
    """The prefix's part of the check of the details (``prefix_problems``): its problems,
    at the prefix, when rows are sent beside it."""
    from kombo_desktop.core.models import prefix_problems

    return tuple(prefix_problems(prefix))


@KeptForLast
def _checked_details(prefix_and_rows: tuple[str, tuple[AttributeRow, ...]]) -> _CheckedDetails:
    """The ``details`` of a request sending these rows (none blank) with this prefix, as
    ``ResultLinkRequest.from_form`` builds and checks them (``details_from_form``), or the
    errors found there.

    Made of the same parts as ``details_from_form``, each kept while it stays as it is: a
    key typed in the prefix checks the prefix alone, not the thousands of rows of a pasted
    table, and the details are built of the rows' attributes as checked.
    """
    from kombo_desktop.core.models import checked_details

    prefix, rows = prefix_and_rows
    if not rows:
        return _CheckedDetails((), None)  # a prefix alone sends no details
    rows_part = _rows_checked(rows)
    errors = (*_prefix_checked(prefix), *rows_part.errors)
    if errors or rows_part.attributes is None:
        return _CheckedDetails(errors, None)
    # The rows' attributes as checked, shared by every request of these rows (a tuple of
    # frozen models: nothing can change them).
    return _CheckedDetails((), checked_details(prefix, rows_part.attributes))


def _prefix_problems(prefix: str, rows: tuple[AttributeRow, ...]) -> list[FieldError]:
    """What the check of the details (``_checked_details``) finds beside the table: at the
    prefix, with these rows sent (none blank). Taken from the prefix's own check, not
    picked out of the thousands of problems the rows may have."""
    return list(_prefix_checked(prefix)) if rows else []


def _request_of(
    label: str,
    url: str,
    prefix: str,
    rows: tuple[AttributeRow, ...],
    remote_fields: Mapping[str, Any] | None,
) -> tuple[ResultLinkRequest | None, tuple[FieldError, ...]]:
    """What ``ResultLinkRequest.from_form`` gives for these inputs: the request, or
    ``None`` with the errors it finds in the label, the URL and the remote fields.

    The attributes and the prefix are checked apart (``_checked_details``), kept while they
    stay as they are, and their errors are said by ``_table_check`` (the rows') and
    ``_prefix_problems`` (the prefix's); the label, the URL and the remote fields are
    checked at each call.
    """
    from kombo_desktop.core.models import ResultLinkRequest

    checked = _checked_details((prefix, rows))
    try:
        request = ResultLinkRequest.from_form(label=label, url=url, remote_fields=remote_fields)
    except InputError as exc:
        return None, exc.errors
    if checked.errors:
        return None, ()
    if checked.details is not None:
        # Checked already: set as it is, not checked again. Every request of these rows
        # shares it, as it cannot be changed.
        request = request.model_copy(update={"details": checked.details})
    return request, ()


@dataclass(frozen=True)
class _TableCheck:
    """What the form's check finds in its table (``_table_check``).

    ``sent`` holds the rows sent (``_rows_sent``); ``errors`` every problem in the table,
    numbered as on screen and in screen order.
    """

    sent: tuple[AttributeRow, ...]
    errors: tuple[FieldError, ...]


@KeptForLast
def _table_check(rows_and_held: tuple[tuple[AttributeRow, ...], HeldKeys]) -> _TableCheck:
    """The table's part of ``FormState.to_request``'s errors, for these rows (as shown)
    and these held keys: all it depends on (the prefix's problems are the prefix's), so
    that thousands of rows at fault are found, numbered and sorted once per change of the
    table, not at each key typed in another field."""
    rows, held = rows_and_held
    table_rows, sent = _rows_sent(rows)
    on_screen = list(table_rows)
    # A duplicate key is said in its mark's words, which never name a held key of any
    # shape: the request's own check knows only Kombo's key shapes.
    marks = row_problems_of(sent, held)
    errors = [
        _to_table_rows(_in_the_marks_words(error, marks), on_screen)
        for error in _rows_checked(sent).errors
        if field_group(error.field) == "attributes"
    ]
    errors += _values_left_blank(table_rows, sent)
    errors = _with_key_and_half_problems(
        errors,
        # Every key and value is read, those at fault included: a key's other problem (a
        # duplicate key) would be said with the key in it, in clear on screen.
        lambda _at_fault: _table_key_problems(rows, held),
        _attribute_half_characters(rows),
    )
    return _TableCheck(sent, tuple(in_screen_order(errors)))


def _in_the_marks_words(error: FieldError, marks: Mapping[int, str]) -> FieldError:
    """``error``, at a sent row's key, in the words of that row's mark (``row_problems_of``)
    when it is the duplicate key the mark says; any other error as it is."""
    row = attribute_row_of(error.field)
    if (
        row is None
        or not error.field.endswith(".key")
        or not error.message.startswith(DUPLICATE_KEY)
    ):
        return error
    return replace(error, message=marks.get(row, error.message))


def _values_left_blank(
    table_rows: Sequence[int], sent: tuple[AttributeRow, ...]
) -> list[FieldError]:
    """A problem at each value left blank beside a key (``find_row_problems``), as
    ``missing``, numbered as on screen (``table_rows``, the table row of each of the rows
    ``sent``): it is filled in, and the form lists "Attributes" among what to fill in.
    (The request models check the keys only: a body with an empty value is Kombo's to
    take, but not one to write into a candidate's record from the form.)"""
    # The marks of the rows sent, kept for them (the check reads them already): a blank
    # row has none, nor changes another's, so the table's own are the same ones.
    return [
        FieldError(f"attributes[{table_rows[row]}].value", problem, missing=True)
        for row, problem in row_problems_of(sent).items()
        if is_value_problem(problem)
    ]


def _table_key_problems(rows: tuple[AttributeRow, ...], held: HeldKeys) -> list[FieldError]:
    """``FormState._api_keys`` for the table: a problem at each key and value holding a
    Kombo key or one of the ``held`` keys. Only ``_table_check`` asks, once per change of
    the table or of the held keys."""
    from kombo_desktop.core.connection import HELD_KEY_IN_TEXT_PROBLEM, KEY_IN_TEXT_PROBLEM

    # Read from each row's facts, kept: a change of one row reads no other row's texts.
    facts = facts_of_rows(rows)
    holding = set(rows_where(facts, "holds_api_key"))
    held_in = held_facts_of_rows(rows, held) if held else None
    if held_in is not None:
        holding.update(rows_where(held_in, "anywhere"))
    problems: list[FieldError] = []
    for row in sorted(holding):
        in_key = held_in is not None and held_in[row].key
        in_value = held_in is not None and held_in[row].value
        for part, holds_api_key, holds_held_key in (
            ("key", facts[row].key_holds_api_key, in_key),
            ("value", facts[row].value_holds_api_key, in_value),
        ):
            if holds_api_key:
                problems.append(FieldError(f"attributes[{row}].{part}", KEY_IN_TEXT_PROBLEM))
            elif holds_held_key:
                problems.append(FieldError(f"attributes[{row}].{part}", HELD_KEY_IN_TEXT_PROBLEM))
    return problems


@KeptForLast
def _attributes_hold(attributes_and_held: tuple[tuple[AttributeRow, ...], HeldKeys]) -> bool:
    """True when a key or value of the attributes holds one of the held keys."""
    attributes, held = attributes_and_held
    return bool(rows_where(held_facts_of_rows(attributes, held), "anywhere"))


def _half_character_problems(values: Iterable[tuple[str, str]]) -> list[FieldError]:
    """A problem at each field of ``values`` (field, text) whose text holds half a
    character, the first found in a field given more than once."""
    problems: dict[str, FieldError] = {}
    for field_name, text in values:
        escape = half_character(text)
        if escape is not None and field_name not in problems:
            problems[field_name] = FieldError(field_name, half_character_problem(escape))
    return list(problems.values())


@KeptForLast
def _attribute_half_characters(attributes: tuple[AttributeRow, ...]) -> tuple[FieldError, ...]:
    """``_half_character_problems`` of the attributes' keys and values, read from each
    row's facts (kept: a change of one row reads no other row's texts)."""
    facts = facts_of_rows(attributes)
    problems: list[FieldError] = []
    for row in rows_where(facts, "holds_half"):
        for part, escape in (("key", facts[row].key_half), ("value", facts[row].value_half)):
            if escape is not None:
                problems.append(
                    FieldError(f"attributes[{row}].{part}", half_character_problem(escape))
                )
    return tuple(problems)
