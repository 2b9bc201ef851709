"""Shared by the tests of the base URL field: what the field says of a URL."""

from __future__ import annotations

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
