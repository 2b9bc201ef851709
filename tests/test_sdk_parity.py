"""Our bodies equal what Kombo's official Python SDK sends for the same inputs.

Both clients post to the sandbox; the sandbox records the raw bodies, which are
compared parsed. This also shows the sandbox answers Kombo's own SDK.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox

kombo = pytest.importorskip("kombo", reason="Kombo's official SDK (test extra) is not installed")

CASES: list[dict[str, Any]] = [
    {"label": "Assessment Result", "url": "https://example.com/r/1"},
    {
        "label": "  Coding test ",
        "url": " https://example.com/r/2?x=1#top ",
        "prefix": "Acme:",
        "attributes": [("Score", "100%"), ("Time", "2:30h"), ("Notes", "")],
    },
    {
        "label": "Oracle and Greenhouse",
        "url": "http://example.com/r/3",
        "prefix": "Prefix without attributes is dropped",
        "remote_fields": {
            "oracle": {
                "override_document_category": "MISC",
                "multi_post_to_all_current_applications": True,
            },
            "greenhouse": {"post_headers": {"On-Behalf-Of": "4080"}},
            "icims": {"assessment_package_id": "pkg-1"},
            "workable": {"on_behalf_of_user_remote_id": "w-7"},
        },
    },
]


def sdk_arguments(case: dict[str, Any]) -> dict[str, Any]:
    """What a developer would pass to the SDK for the same inputs (trimmed, as we trim)."""
    arguments: dict[str, Any] = {"label": case["label"].strip(), "url": case["url"].strip()}
    if case.get("attributes"):
        arguments["details"] = {
            "custom_field_name_prefix": case["prefix"],
            "attributes": [{"key": k, "value": v} for k, v in case["attributes"]],
        }
    if case.get("remote_fields"):
        fields = dict(case["remote_fields"])
        if "greenhouse" in fields:
            on_behalf = fields["greenhouse"]["post_headers"]["On-Behalf-Of"]
            fields["greenhouse"] = {"post_headers": {"on_behalf_of": on_behalf}}
        arguments["remote_fields"] = fields
    return arguments


@pytest.mark.parametrize("case", CASES)
def test_body_equals_official_sdk(fresh_sandbox: Sandbox, connection: Connection, case):
    target_id = fresh_sandbox.candidates[2]["id"]
    with kombo.Kombo(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, server_url=fresh_sandbox.base_url
    ) as sdk:
        sdk.ats.add_candidate_result_link(candidate_id=target_id, **sdk_arguments(case))
    sdk_body = fresh_sandbox.requests[-1].json()

    request = ResultLinkRequest.from_form(
        label=case["label"],
        url=case["url"],
        custom_field_name_prefix=case.get("prefix", ""),
        attributes=case.get("attributes", []),
        remote_fields=case.get("remote_fields"),
    )

    async def ours() -> None:
        async with KomboClient(connection) as client:
            await client.add_result_link(Target.parse(TargetKind.CANDIDATE, target_id), request)

    asyncio.run(ours())
    assert fresh_sandbox.requests[-1].json() == sdk_body
    assert fresh_sandbox.requests[-1].path == fresh_sandbox.requests[-2].path
