"""Shared by the tests of the base URL field: what the field says of a URL, what sending
says of it, and a part written in coded form."""

from __future__ import annotations

import httpx

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import InputError
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID


def field_problem(url: str) -> str | None:
    """What the field says of ``url`` when a connection is made of it, ``None`` when it
    takes it (checked the way the profiles are, too)."""
    try:
        Connection.create(api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=url)
    except InputError as refused:
        (error,) = refused.errors
        assert error.field == "base_url"
        return error.message
    return None


def sending_refusal(url: str) -> BaseException | None:
    """Why a request to ``url`` could not be sent, ``None`` when it could: the HTTP library
    refuses to build it (the rules of names' own error, which it wraps for a typed name),
    or the name lookup refuses the host it is given (Python writes that host for the
    lookup by the rules of names, ``str.encode("idna")``, and refuses a part empty or
    longer than 63 characters)."""
    try:
        host = httpx.Request("GET", url).url.host
    except (httpx.InvalidURL, UnicodeError) as refused:
        return refused.__context__ or refused
    try:
        host.encode("idna")
    except UnicodeError as refused:
        return refused
    return None


def coded(text: str) -> str:
    """``text`` written as a coded part: ``bücher`` as ``xn--bcher-kva``."""
    return "xn--" + text.encode("punycode").decode("ascii")
