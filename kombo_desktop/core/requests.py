"""The exact HTTP calls Kombo Desktop makes, built in one place.

The client sends these, and the GUI's request preview and "Copy as curl" show
them, so what a person sees is what goes over the wire.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel

from kombo_desktop import __version__
from kombo_desktop.core.errors import RequestPurpose
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.models import ResultLinkRequest, Target
from kombo_desktop.core.pacing import paced as paced_pieces
from kombo_desktop.core.text import indented_json_start, json_pieces, json_size, utf8_size

USER_AGENT = f"kombo-desktop/{__version__}"

#: What a copied command says instead of the key, so a snippet never carries it.
API_KEY_PLACEHOLDER = "$KOMBO_API_KEY"


def encode_path_segment(value: str) -> str:
    """Percent-encode ``value`` so that it stays one path segment whatever it holds.

    ``/``, ``?``, ``#``, ``%``, spaces and non-ASCII are encoded by ``quote``. A
    segment of dots alone has its dots encoded too, though only ``.`` and ``..`` are
    folded away by URL normalization (encoded or not): the target IDs refuse those
    (``models.Target``), and three dots or more stay one segment either way.
    """
    encoded = quote(value, safe="")
    if encoded and set(encoded) == {"."}:
        encoded = "%2E" * len(encoded)
    return encoded


@dataclass(frozen=True)
class PreparedCall:
    """One API call: method, path under the base URL, query and JSON body.

    ``purpose`` says what the call is for, and ``target_kind`` what it writes to (a
    candidate or an application); both travel with the call's errors (``RequestInfo``),
    so that an answer is worded for what was asked.
    """

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    integration_scoped: bool = True
    purpose: RequestPurpose = field(kw_only=True)
    target_kind: TargetKind | None = field(default=None, kw_only=True)

    def url(self, base_url: str) -> str:
        """The full URL under ``base_url``, query included."""
        query = f"?{urlencode(self.params)}" if self.params else ""
        return f"{base_url.rstrip('/')}{self.path}{query}"

    def body_text(self) -> str:
        """The body as pretty JSON, as shown in the preview (empty without a body)."""
        if self.body is None:
            return ""
        return json.dumps(self.body, indent=2, ensure_ascii=False)

    def body_text_start(self, limit: int) -> tuple[str, bool]:
        """The start of ``body_text()``, and whether anything of it was left out.

        At most ``limit`` characters, ended at the last line end among them (at the
        limit when there is none). Only that start is encoded: a body of megabytes costs
        no more here than a small one, and leaves nothing of it held.
        """
        if self.body is None:
            return "", False
        return indented_json_start(self.body, limit)

    def body_size(self) -> int:
        """How many bytes the body is as sent (its compact JSON in UTF-8); 0 without one.

        Counted piece by piece as it is encoded (``json_size``): on a background thread
        this never holds the interpreter for long, as one ``json.dumps`` of megabytes would.
        """
        # The text the client sends and ``as_curl`` quotes: json.dumps(body, ensure_ascii=False).
        return 0 if self.body is None else json_size(self.body)

    def headers(self, integration_id: str, api_key: str = API_KEY_PLACEHOLDER) -> dict[str, str]:
        """The request headers; the key defaults to the placeholder for display."""
        headers = {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self.body is not None:
            headers["Content-Type"] = "application/json"
        if self.integration_scoped:
            headers["X-Integration-Id"] = integration_id
        return headers

    def as_curl(self, base_url: str, integration_id: str, *, paced: bool = False) -> str:
        """A shell command doing this call; the key is always ``$KOMBO_API_KEY``.

        For a POSIX shell (bash, zsh, Git Bash on Windows, sh). It sends the very bytes
        the client sends, and one request to the URL as written (``--globoff``).

        A body up to ``_LONGEST_BODY_ARGUMENT`` is curl's ``--data`` argument: one plain
        curl command, the shape people read and API tools import. A longer one cannot be
        an argument, so ``printf``, built into every POSIX shell (no program is started
        for it, and no limit on arguments applies), writes it to curl's standard input::

            printf '%s' '<body>' |
            curl -X POST --globoff '<url>' \\
              -H … \\
              --data-binary @-

        The command ends with curl's last option, and the body is one quoted word ending
        at its quote: whatever is added at the end when pasting (a pipe to ``jq``, an
        option such as ``-o answer.json``, a space, an indent) reaches curl or follows
        it. A here-document ending the command did not allow that: its closing line with
        anything added is no longer its end, and the shell sent the rest of the paste as
        the body.

        One form for every size was weighed: one shape to read and to test, but every
        short command would lose the plain shape for a limit it never comes near.

        The body is encoded in pieces (``json_pieces``): one ``json.dumps`` of megabytes
        would hold every other thread, the window's among them, for tens of milliseconds.
        ``paced`` pauses between them (``core.pacing``), for a background thread only.
        """
        # --globoff: curl would read {a,b} or [1-2] in the URL as patterns and send one
        # request for each URL they spell; the client sends one, to the URL as written.
        parts = [f"curl -X {self.method} --globoff {shlex.quote(self.url(base_url))}"]
        for name, value in self.headers(integration_id).items():
            if name == "User-Agent":
                continue
            if name == "Authorization":
                # Double quotes so the shell expands the variable, never a literal key.
                parts.append(f'-H "Authorization: Bearer {API_KEY_PLACEHOLDER}"')
            else:
                parts.append(f"-H {shlex.quote(f'{name}: {value}')}")
        if self.body is None:
            return " \\\n  ".join(parts)
        # The text the client sends (``body_size`` counts it): compact JSON, as one word
        # for the shell, quoted and measured a piece at a time. Each copy of a body of
        # megabytes holds the interpreter, so the command is put together in one go.
        pieces = json_pieces(self.body)
        size = 0
        quoted_body = ["'"]
        for piece in paced_pieces(pieces) if paced else pieces:
            size += utf8_size(piece)
            quoted_body.append(piece.replace("'", _QUOTE_IN_QUOTES))
        quoted_body.append("'")
        if size <= _LONGEST_BODY_ARGUMENT:
            parts.append("--data " + "".join(quoted_body))
            return " \\\n  ".join(parts)
        # '%s': the body is printf's argument, never its format (% and \ are left as
        # they are), and no line break is added; --data-binary sends what it reads as is.
        parts.append("--data-binary @-")
        return "".join(["printf '%s' ", *quoted_body, " |\n", " \\\n  ".join(parts)])


#: A single quote in a word ``shlex.quote`` puts in single quotes: the quotes closed, the
#: quote itself in double quotes, the quotes opened again. A JSON object starts with
#: ``{``, which ``shlex.quote`` always quotes: so the body is quoted as it would quote it,
#: one piece at a time.
_QUOTE_IN_QUOTES = "'\"'\"'"


#: The longest body a copied curl command carries as an argument, in bytes. An argument
#: is limited in length (to 128 KiB on Linux; a whole command line to 32,767 characters
#: on Windows, where Git Bash runs curl): a longer body goes on curl's standard input.
_LONGEST_BODY_ARGUMENT = 16 * 1024


def result_link_call(target: Target, request: ResultLinkRequest) -> PreparedCall:
    """``POST /ats/{candidates|applications}/{id}/result-links``."""
    path = f"/ats/{target.kind.collection}/{encode_path_segment(target.id)}/result-links"
    return PreparedCall(
        "POST",
        path,
        body=request.to_body(),
        purpose=RequestPurpose.ADD_RESULT_LINK,
        target_kind=target.kind,
    )


def same_result_link(
    first: tuple[Target, ResultLinkRequest], second: tuple[Target, ResultLinkRequest]
) -> bool:
    """True when both targets and requests send the very same call, byte for byte.

    ``==`` on the models is not enough: it compares remote fields as Python values, where
    ``true``, ``1`` and ``1.0`` are equal and the order of keys does not count, while each
    is sent as written. What the preview, "Copy as curl" and Retry keep must be exactly
    what Submit sends now. Cheap for a body of megabytes: a call that differs is told
    apart by ``==`` (no Python code per value), and parts shared by both (a remote-fields
    JSON parsed once) are not walked.
    """
    if first[0] != second[0]:
        return False
    if first[1] is second[1]:
        return True
    try:
        return first[1] == second[1] and _same_json(first[1], second[1])
    except RecursionError:
        return False  # nested too deeply to tell: taken as changed, which costs no more


#: Values of these types are sent the same when equal (and of the same type).
_EXACT_WHEN_EQUAL = frozenset({str, int, bool, type(None)})


def _same_json(first: Any, second: Any) -> bool:
    """Equal, of the same JSON types, with keys in the same order: sent as the same text."""
    if first is second:
        return True
    kind = type(first)
    if kind is not type(second):
        return False  # true and 1, 1 and 1.0
    # The kinds a body of megabytes is made of come first: this runs for each value.
    if kind in _EXACT_WHEN_EQUAL:
        return bool(first == second)
    if kind is dict:
        return list(first) == list(second) and all(map(_same_json, first.values(), second.values()))
    if kind is list or kind is tuple:
        return len(first) == len(second) and all(map(_same_json, first, second))
    if kind is float:
        return bool(first == second and (first or repr(first) == repr(second)))  # -0.0, 0.0
    if isinstance(first, BaseModel):
        return _same_json(first.__dict__, second.__dict__) and _same_json(
            first.__pydantic_extra__, second.__pydantic_extra__
        )
    return bool(first == second)


MAX_PAGE_SIZE = 250


def find_candidates_call(
    *,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    ids: list[str] | None = None,
    page_size: int = 50,
    cursor: str | None = None,
) -> PreparedCall:
    """``GET /ats/candidates`` with the filters that are set."""
    params: dict[str, str] = {"page_size": str(max(1, min(page_size, MAX_PAGE_SIZE)))}
    for name, value in (("email", email), ("first_name", first_name), ("last_name", last_name)):
        if value and value.strip():
            params[name] = value.strip()
    if ids:
        params["ids"] = ",".join(i.strip() for i in ids if i.strip())
    if cursor:
        params["cursor"] = cursor
    return PreparedCall(
        "GET", "/ats/candidates", params=params, purpose=RequestPurpose.SEARCH_CANDIDATES
    )


def check_api_key_call() -> PreparedCall:
    """``GET /check-api-key``; not scoped to an integration."""
    return PreparedCall(
        "GET", "/check-api-key", integration_scoped=False, purpose=RequestPurpose.CHECK_API_KEY
    )
