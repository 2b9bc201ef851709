"""A local Kombo sandbox: the result-link and candidate endpoints over real HTTP, for tests,
demos and offline development. Standard library only (of the app's own modules, only
``core.masking``, which needs no more either), and no Qt.

>>> with Sandbox() as sandbox:  # doctest: +SKIP
...     sandbox.inject_fault(Fault.server_error(), times=1)
...     # point the client at sandbox.base_url with DEMO_API_KEY and DEMO_INTEGRATION_ID
"""

from __future__ import annotations

from kombo_desktop.sandbox.cli import run_cli
from kombo_desktop.sandbox.demo import (
    DEMO_API_KEY,
    DEMO_ENVIRONMENT_ID,
    DEMO_INTEGRATION_ID,
    DEMO_PROD_API_KEY,
    DEMO_PROD_ENVIRONMENT_ID,
)
from kombo_desktop.sandbox.faults import Fault
from kombo_desktop.sandbox.server import Sandbox
from kombo_desktop.sandbox.state import RecordedRequest

__all__ = [
    "DEMO_API_KEY",
    "DEMO_ENVIRONMENT_ID",
    "DEMO_INTEGRATION_ID",
    "DEMO_PROD_API_KEY",
    "DEMO_PROD_ENVIRONMENT_ID",
    "Fault",
    "RecordedRequest",
    "Sandbox",
    "run_cli",
]
