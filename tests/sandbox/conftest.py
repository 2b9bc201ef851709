"""Fixtures of the sandbox's own tests: a fresh sandbox per test and an httpx client on it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import pytest

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox

# Made once: httpx would otherwise load the CA bundle for every client (slow, and unused here).
TLS = ssl.create_default_context()
AUTH = {"Authorization": f"Bearer {DEMO_API_KEY}", "X-Integration-Id": DEMO_INTEGRATION_ID}


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A sandbox of its own for each test (this folder's tests change its state freely)."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client with the demo credentials, pointed at ``sandbox``."""
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, timeout=10.0, verify=TLS) as http:
        yield http
