"""The API itself: authentication, integration check and the four endpoints.

Everything here works on already-read request data and returns a :class:`Response`, so the
HTTP layer stays thin and the rules can be read in one place.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from kombo_desktop.sandbox.demo import DEMO_INTEGRATION_ID, ENVIRONMENT_OF_API_KEY
from kombo_desktop.sandbox.responses import Response, error, success
from kombo_desktop.sandbox.state import SandboxState
from kombo_desktop.sandbox.validation import InputInvalid, parse_json_object, validate_result_link

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 250

_INPUT_INVALID = "PLATFORM.INPUT_INVALID"
_TARGET_NOUNS = {"candidates": "Candidate", "applications": "Application"}
#: The methods of a path that is read: HEAD with GET, as HTTP has a server answer both.
_READ_METHODS = ("GET", "HEAD")


@dataclass(frozen=True)
class Target:
    """A request target split the safe way: on raw ``/`` first, then each segment decoded.

    Splitting before decoding is what keeps an id containing ``%2F`` inside its segment.
    """

    raw_path: str
    query: str
    segments: tuple[str, ...]
    decoded_path: str

    @property
    def result_link_target(self) -> tuple[str, str] | None:
        """``("candidates" | "applications", id)`` for a result-links path, else ``None``."""
        segments = self.segments
        if (
            len(segments) == 5
            and segments[:2] == ("v1", "ats")
            and segments[2] in _TARGET_NOUNS
            and segments[3]
            and segments[4] == "result-links"
        ):
            return segments[2], segments[3]
        return None

    @property
    def log_id(self) -> str | None:
        """The id of a ``/v1/logs/<id>`` path, else ``None``."""
        if len(self.segments) == 3 and self.segments[:2] == ("v1", "logs") and self.segments[2]:
            return self.segments[2]
        return None


def parse_target(raw_target: str) -> Target:
    """Split a raw request target into path segments (decoded) and the query string."""
    raw_path, _, query = raw_target.partition("?")
    raw_path = raw_path.partition("#")[0]
    parts = raw_path.split("/")
    # A well-formed target starts with "/", so the first part is empty.
    decoded = [unquote(part) for part in (parts[1:] if parts and parts[0] == "" else parts)]
    return Target(raw_path, query, _without_dot_segments(decoded), unquote(raw_path))


def _without_dot_segments(segments: list[str]) -> tuple[str, ...]:
    """``segments`` with ``.`` and ``..`` resolved, as servers that normalize URLs resolve
    them, encoded ones (``%2E%2E``) included: a request whose ID is one of them is routed
    as such a server would route it, and never to the path the ID was meant for."""
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if kept:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    return tuple(kept)


def handle_api(
    state: SandboxState, method: str, target: Target, headers: dict[str, str], body: bytes
) -> Response:
    """Answer one API request after latency, rate limit and faults have had their turn."""
    denied = _check_auth(state, headers)
    if denied is not None:
        return denied
    if target.segments[:2] == ("v1", "ats"):
        denied = _check_integration(state, headers)
        if denied is not None:
            return denied
    return _route(state, method, target, headers, body)


def answer_log_link(state: SandboxState, method: str, target: Target, log_id: str) -> Response:
    """What a ``log_url`` answers: a page for GET and HEAD, a 405 for any other method, as
    every other path answers a method it does not take. No key is asked for: a log link
    is opened in a browser, which sends none."""
    if method not in _READ_METHODS:
        return _method_not_allowed(state, method, target, _READ_METHODS)
    return _log_page(log_id)


def _log_page(log_id: str) -> Response:
    """What a ``log_url`` shows: the sandbox keeps no logs, but the link should not be dead."""
    return success(
        {"id": log_id, "message": "This is the local Kombo sandbox; it keeps no interaction logs."}
    )


def _api_key(headers: dict[str, str]) -> str | None:
    """The key of a ``Bearer`` Authorization header, else ``None``."""
    scheme, _, key = headers.get("authorization", "").strip().partition(" ")
    return key.strip() if scheme.lower() == "bearer" else None


def _check_auth(state: SandboxState, headers: dict[str, str]) -> Response | None:
    if "authorization" not in headers:
        return error(
            401,
            "PLATFORM.AUTHENTICATION_INVALID",
            "Missing API key",
            'No API key was sent. Pass it in the Authorization header as "Bearer <API key>".',
            state.new_log_url(),
        )
    if _api_key(headers) not in ENVIRONMENT_OF_API_KEY:
        return error(
            401,
            "PLATFORM.AUTHENTICATION_INVALID",
            "Invalid API key",
            "The API key is invalid. Check that you copied it completely from the Secrets page.",
            state.new_log_url(),
        )
    return None


def _check_integration(state: SandboxState, headers: dict[str, str]) -> Response | None:
    integration_id = headers.get("x-integration-id", "").strip()
    if not integration_id:
        return error(
            400,
            _INPUT_INVALID,
            "Missing integration ID",
            "X-Integration-Id header is required",
            state.new_log_url(),
        )
    if integration_id != DEMO_INTEGRATION_ID:
        return error(
            404,
            "PLATFORM.INTEGRATION_NOT_FOUND",
            "Integration not found",
            f'No integration with the ID "{integration_id}" exists in this environment.',
            state.new_log_url(),
        )
    return None


def _route(
    state: SandboxState, method: str, target: Target, headers: dict[str, str], body: bytes
) -> Response:
    segments = target.segments
    link_target = target.result_link_target
    if link_target is not None:
        if method != "POST":
            return _method_not_allowed(state, method, target, ("POST",))
        if not _declares_json(headers):
            return _unsupported_media_type(state, headers)
        return _post_result_link(state, link_target[0], link_target[1], body)
    if segments in (("v1", "check-api-key"), ("v1", "ats", "candidates")):
        if method not in _READ_METHODS:
            return _method_not_allowed(state, method, target, _READ_METHODS)
        if segments == ("v1", "check-api-key"):
            # Authentication passed, so the key is one of the known ones.
            key = _api_key(headers) or ""
            return success({"environment_id": ENVIRONMENT_OF_API_KEY[key]})
        return _list_candidates(state, target.query)
    return error(
        404,
        None,
        "Not found",
        f"There is no endpoint at {target.decoded_path}.",
        state.new_log_url(),
    )


def _method_not_allowed(
    state: SandboxState, method: str, target: Target, allowed: tuple[str, ...]
) -> Response:
    """405 for ``method``. ``Allow`` lists every method of ``allowed`` (HEAD with GET: HTTP
    says a server answering GET answers HEAD too, and this one does); the message names
    the first, the one to use."""
    return error(
        405,
        None,
        "Method not allowed",
        f"{method} is not supported on {target.decoded_path}; use {allowed[0]}.",
        state.new_log_url(),
        headers=(("Allow", ", ".join(allowed)),),
    )


def _declares_json(headers: dict[str, str]) -> bool:
    """Whether the request says its body is JSON (parameters such as a charset aside)."""
    media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
    return media_type == "application/json"


def _unsupported_media_type(state: SandboxState, headers: dict[str, str]) -> Response:
    # Kombo's API takes JSON bodies only: one declared as anything else (or as nothing) is
    # refused, never guessed at, so a client that forgets the header finds out here.
    sent = headers.get("content-type", "").strip()
    said = f'"{sent}"' if sent else "no Content-Type"
    return error(
        415,
        _INPUT_INVALID,
        "Unsupported media type",
        f'The request body was sent as {said}; send it as JSON with "Content-Type: '
        'application/json".',
        state.new_log_url(),
    )


def _invalid(state: SandboxState, message: str) -> Response:
    return error(400, _INPUT_INVALID, "Invalid input", message, state.new_log_url())


def _post_result_link(state: SandboxState, noun: str, target_id: str, body: bytes) -> Response:
    # Like Kombo, the body is checked before the id is looked up.
    try:
        payload = parse_json_object(body)
        warnings = validate_result_link(payload)
    except InputInvalid as exc:
        return _invalid(state, exc.message)
    known = (
        target_id in state.candidates_by_id
        if noun == "candidates"
        else target_id in state.application_ids
    )
    if not known:
        thing = _TARGET_NOUNS[noun]
        return error(
            404,
            _INPUT_INVALID,
            f"{thing} not found",
            f'No {thing.lower()} with the ID "{target_id}" exists in this integration.',
            state.new_log_url(),
        )
    # The answer first: a link stored whose answer then failed would be added without a
    # word, the very doubt (and duplicate on retry) the sandbox is there to test.
    answer = success({}, warnings)
    state.store_link(target_id, payload)
    return answer


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def encode_cursor(offset: int) -> str:
    """An opaque paging cursor for ``offset``."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    """The offset in a cursor made by :func:`encode_cursor`, or ``None`` if it is not one."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    label, _, number = text.partition(":")
    if label != "offset" or not (number.isascii() and number.isdigit()):
        return None
    return int(number)


def _list_candidates(state: SandboxState, query: str) -> Response:
    """``GET /ats/candidates``.

    ``email`` matches any of a candidate's addresses exactly, ignoring case. ``first_name``
    and ``last_name`` are exact matches too, ignoring case (after Unicode NFC normalisation), not
    prefix matches: "schmidt" finds both Schmidts, "schmi" finds nobody, and "jose" does not find
    "José". ``ids`` is a comma-separated list (the parameter may also be repeated).
    """
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params.setdefault(key, []).append(value)

    page_size = DEFAULT_PAGE_SIZE
    if "page_size" in params:
        raw = params["page_size"][-1].strip()
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE:
            return _invalid(state, f'"page_size" must be an integer between 1 and {MAX_PAGE_SIZE}')
        page_size = int(raw)

    offset = 0
    if "cursor" in params:
        decoded = decode_cursor(params["cursor"][-1])
        if decoded is None:
            return _invalid(state, '"cursor" is not a valid cursor')
        offset = decoded

    filters: dict[str, str] = {}
    for name in ("email", "first_name", "last_name"):
        if name in params:
            value = params[name][-1].strip()
            if not value:
                return _invalid(state, f'"{name}" must not be empty')
            filters[name] = _fold(value)

    wanted_ids: set[str] | None = None
    if "ids" in params:
        wanted_ids = {part.strip() for value in params["ids"] for part in value.split(",")}
        wanted_ids.discard("")
        if not wanted_ids:
            return _invalid(state, '"ids" must list at least one ID')

    matches = [c for c in state.candidates if _matches(c, filters, wanted_ids)]
    page = matches[offset : offset + page_size]
    next_offset = offset + page_size
    next_cursor = encode_cursor(next_offset) if next_offset < len(matches) else None
    return success({"next": next_cursor, "results": page})


def _matches(candidate: dict[str, Any], filters: dict[str, str], ids: set[str] | None) -> bool:
    if ids is not None and candidate["id"] not in ids:
        return False
    # Email addresses are optional in the API's candidate shape: a candidate the ATS keeps
    # without any is found by no address, not an error.
    if "email" in filters and not any(
        _fold(entry.get("email_address") or "") == filters["email"]
        for entry in candidate.get("email_addresses") or []
    ):
        return False
    for name in ("first_name", "last_name"):
        if name in filters and _fold(candidate[name] or "") != filters[name]:
            return False
    return True
