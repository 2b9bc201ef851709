"""Response values and the Kombo JSON envelopes the sandbox answers with."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

JSON_CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class Response:
    """One complete HTTP answer, decided before anything is written to the socket."""

    status: int
    body: bytes
    content_type: str = JSON_CONTENT_TYPE
    headers: tuple[tuple[str, str], ...] = ()


def encode_json(payload: Any) -> bytes:
    """Serialise ``payload`` as compact UTF-8 JSON (non-ASCII kept as is, like Kombo)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """A JSON response with the given status and extra headers."""
    return Response(status=status, body=encode_json(payload), headers=headers)


def success(data: Any, warnings: list[str] | None = None) -> Response:
    """Kombo's success envelope; ``warnings`` is included only when given (POST answers)."""
    payload: dict[str, Any] = {"status": "success", "data": data}
    if warnings is not None:
        payload["warnings"] = [{"message": message} for message in warnings]
    return json_response(200, payload)


def error_payload(
    code: str | None, title: str | None, message: str, log_url: str | None
) -> dict[str, Any]:
    """Kombo's error envelope as a plain dict."""
    return {
        "status": "error",
        "error": {"code": code, "title": title, "message": message, "log_url": log_url},
    }


def error(
    status: int,
    code: str | None,
    title: str | None,
    message: str,
    log_url: str | None,
    headers: tuple[tuple[str, str], ...] = (),
) -> Response:
    """A Kombo error response."""
    return json_response(status, error_payload(code, title, message, log_url), headers)
