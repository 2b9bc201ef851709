"""Fixed credentials of the local Kombo sandbox.

They are public on purpose: the sandbox only ever runs on the developer's machine or in tests,
and fixed values let screenshots, docs and tests refer to them.
"""

from __future__ import annotations

DEMO_API_KEY = "ks_dev_sandbox_DEMOKEY0000000000000000"
"""A development-environment key (``ks_dev_`` prefix) that the sandbox accepts."""

DEMO_PROD_API_KEY = "ks_prod_sandbox_DEMOKEY000000000000000"
"""A production-environment key (``ks_prod_`` prefix), for testing the Production badge."""

DEMO_INTEGRATION_ID = "greenhouse:sandbox8Xi6iZrwusZqJmDG"
"""The one integration the sandbox knows, in Kombo's ``tool:id`` form."""

DEMO_ENVIRONMENT_ID = "SandboxEnv7YkQ2mWxR4pLtBz"
"""What ``GET /check-api-key`` answers as ``environment_id`` for the development key."""

DEMO_PROD_ENVIRONMENT_ID = "SandboxProdEnv3nVhT8cKq5Ws"
"""What ``GET /check-api-key`` answers as ``environment_id`` for the production key."""

ENVIRONMENT_OF_API_KEY: dict[str, str] = {
    DEMO_API_KEY: DEMO_ENVIRONMENT_ID,
    DEMO_PROD_API_KEY: DEMO_PROD_ENVIRONMENT_ID,
}
"""The keys the sandbox accepts, each with its environment: like Kombo's, one key, one
environment."""

#: The longest delay an answer can be given: an hour, far beyond any timeout of the app's.
#: A longer one is no test of anything, and one past what a wait can take (about 10^8 s)
#: broke every answer.
MAX_LATENCY_MS = 3_600_000
