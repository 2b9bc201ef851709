"""The seeded candidates and ``GET /ats/candidates``: filters and paging."""

from __future__ import annotations

import re
import ssl
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from kombo_desktop.sandbox.seed import build_candidates

# Made once: httpx would otherwise load the CA bundle for every client (slow, and unused here).
TLS = ssl.create_default_context()
AUTH = {"Authorization": f"Bearer {DEMO_API_KEY}", "X-Integration-Id": DEMO_INTEGRATION_ID}
KOMBO_ID = re.compile(r"[1-9A-HJ-NP-Za-km-z]{24}")
#: The keys every candidate carries; the optional ones below may be left out.
CANDIDATE_KEYS = {
    "id", "remote_id", "first_name", "last_name", "company", "title", "source", "remote_url",
    "confidential", "custom_fields", "remote_created_at", "remote_updated_at",
    "remote_deleted_at", "changed_at", "applications", "tags",
}  # fmt: skip
OPTIONAL_CANDIDATE_KEYS = {"email_addresses", "phone_numbers", "social_media", "location"}
APPLICATION_KEYS = {
    "id", "remote_id", "rejection_reason_name", "remote_url", "outcome", "rejected_at",
    "remote_created_at", "remote_updated_at", "changed_at", "current_stage", "job",
}  # fmt: skip


# Nothing here changes the sandbox, so one serves the whole module.
@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, headers=AUTH, timeout=10.0, verify=TLS) as http:
        yield http


def search(client: httpx.Client, **params: Any) -> dict[str, Any]:
    response = client.get("/ats/candidates", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    assert payload["status"] == "success"
    assert set(payload["data"]) == {"next", "results"}
    data: dict[str, Any] = payload["data"]
    return data


def names(results: list[dict[str, Any]]) -> list[str]:
    return [f"{c['first_name']} {c['last_name']}" for c in results]


def assert_timestamp(value: Any, nullable: bool = False) -> None:
    if value is None and nullable:
        return
    assert isinstance(value, str)
    # Kombo writes "Z"; Python 3.10's fromisoformat wants "+00:00".
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None


def test_seed_has_every_key_of_the_api_shape(sandbox: Sandbox) -> None:
    candidates = sandbox.candidates
    assert 35 <= len(candidates) <= 50
    # Most carry every optional key too, so that their shapes are checked below.
    whole = [c for c in candidates if set(c) >= OPTIONAL_CANDIDATE_KEYS]
    assert len(whole) >= len(candidates) - 2
    for candidate in candidates:
        assert CANDIDATE_KEYS <= set(candidate) <= CANDIDATE_KEYS | OPTIONAL_CANDIDATE_KEYS
        assert KOMBO_ID.fullmatch(candidate["id"])
        assert isinstance(candidate["remote_id"], str)
        assert candidate["remote_deleted_at"] is None
        assert_timestamp(candidate["changed_at"])
        assert_timestamp(candidate["remote_created_at"], nullable=True)
        assert_timestamp(candidate["remote_updated_at"], nullable=True)
        assert 0 <= len(candidate["applications"]) <= 3
        for tag in candidate["tags"]:
            assert set(tag) == {"id", "name", "remote_id"}
        for email in candidate.get("email_addresses", []):
            assert set(email) == {"email_address", "type"}
        if "location" in candidate:
            assert set(candidate["location"]) == {
                "city", "country", "raw", "state", "street_1", "street_2", "zip_code",
            }  # fmt: skip
        for application in candidate["applications"]:
            assert set(application) == APPLICATION_KEYS
            assert KOMBO_ID.fullmatch(application["id"])
            assert application["outcome"] in ("PENDING", "HIRED", "DECLINED", None)
            if application["current_stage"] is not None:
                assert set(application["current_stage"]) == {"id", "name", "remote_id", "index"}
            if application["job"] is not None:
                assert set(application["job"]) == {"id", "name", "remote_id"}
            assert_timestamp(application["changed_at"])
            assert_timestamp(application["rejected_at"], nullable=True)
            assert (application["rejected_at"] is None) == (application["outcome"] != "DECLINED")


def test_seed_is_deterministic_and_interesting(sandbox: Sandbox) -> None:
    with Sandbox() as other:
        assert other.candidates == sandbox.candidates
    candidates = sandbox.candidates
    ids = [c["id"] for c in candidates] + [a["id"] for c in candidates for a in c["applications"]]
    assert len(ids) == len(set(ids))
    last_names = Counter(c["last_name"] for c in candidates)
    assert last_names["Schmidt"] == 2
    assert any(not f"{c['first_name']}{c['last_name']}".isascii() for c in candidates)
    assert any(len(c["applications"]) >= 2 for c in candidates)
    assert {a["outcome"] for c in candidates for a in c["applications"]} >= {
        "PENDING", "HIRED", "DECLINED",
    }  # fmt: skip


def test_candidates_property_is_a_copy(client: httpx.Client, sandbox: Sandbox) -> None:
    copy = sandbox.candidates
    copy[0]["first_name"] = "Changed"
    copy.clear()
    assert sandbox.candidates[0]["first_name"] == "José"
    assert search(client, page_size=1)["results"][0]["first_name"] == "José"


def test_default_page_holds_every_candidate(client: httpx.Client, sandbox: Sandbox) -> None:
    data = search(client)
    assert data["next"] is None
    assert data["results"] == sandbox.candidates


@pytest.mark.parametrize("email", ["jose.muller@example.com", "JOSE.Muller@EXAMPLE.com"])
def test_search_by_email_ignores_case(client: httpx.Client, email: str) -> None:
    data = search(client, email=email)
    assert names(data["results"]) == ["José Müller"]
    assert data["next"] is None


def test_search_by_work_email(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate = next(c for c in sandbox.candidates if len(c["email_addresses"]) > 1)
    work = candidate["email_addresses"][1]["email_address"]
    assert [c["id"] for c in search(client, email=work)["results"]] == [candidate["id"]]


def test_search_by_email_is_exact(client: httpx.Client) -> None:
    assert search(client, email="jose.muller@example")["results"] == []
    assert search(client, email="nobody@example.com") == {"next": None, "results": []}


def test_search_by_last_name_finds_both_schmidts(client: httpx.Client) -> None:
    assert names(search(client, last_name="schmidt")["results"]) == [
        "Anna Schmidt",
        "Lukas Schmidt",
    ]
    assert names(search(client, first_name="ANNA", last_name="Schmidt")["results"]) == [
        "Anna Schmidt"
    ]
    # Exact, not prefix.
    assert search(client, last_name="Schmi")["results"] == []


def test_search_by_non_ascii_name(client: httpx.Client) -> None:
    assert names(search(client, first_name="josé", last_name="MÜLLER")["results"]) == [
        "José Müller"
    ]
    assert search(client, first_name="jose")["results"] == []


def test_paging_covers_every_candidate_exactly_once(client: httpx.Client, sandbox: Sandbox) -> None:
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"page_size": 7}
        if cursor is not None:
            params["cursor"] = cursor
        data = search(client, **params)
        assert 1 <= len(data["results"]) <= 7
        seen.extend(c["id"] for c in data["results"])
        pages += 1
        cursor = data["next"]
        if cursor is None:
            break
        assert isinstance(cursor, str)
        assert pages < 50
    expected = [c["id"] for c in sandbox.candidates]
    assert seen == expected
    assert pages == -(-len(expected) // 7)


def test_paging_keeps_the_filter(client: httpx.Client) -> None:
    first = search(client, last_name="schmidt", page_size=1)
    assert names(first["results"]) == ["Anna Schmidt"]
    second = search(client, last_name="schmidt", page_size=1, cursor=first["next"])
    assert names(second["results"]) == ["Lukas Schmidt"]
    assert second["next"] is None


def test_ids_filter(client: httpx.Client, sandbox: Sandbox) -> None:
    wanted = [sandbox.candidates[9]["id"], sandbox.candidates[2]["id"]]
    data = search(client, ids=f"{wanted[0]}, {wanted[1]},NoSuchId")
    assert sorted(c["id"] for c in data["results"]) == sorted(wanted)


@pytest.mark.parametrize("page_size", ["0", "251", "-1", "ten", "2.5", ""])
def test_page_size_out_of_bounds_is_400(client: httpx.Client, page_size: str) -> None:
    response = client.get("/ats/candidates", params={"page_size": page_size})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert '"page_size"' in error["message"]


@pytest.mark.parametrize("page_size", [1, 250])
def test_page_size_bounds_are_allowed(
    client: httpx.Client, sandbox: Sandbox, page_size: int
) -> None:
    data = search(client, page_size=page_size)
    assert len(data["results"]) == min(page_size, len(sandbox.candidates))


@pytest.mark.parametrize("cursor", ["not-a-cursor", "", "b2Zmc2V0Oi0x"])
def test_invalid_cursor_is_400(client: httpx.Client, cursor: str) -> None:
    response = client.get("/ats/candidates", params={"cursor": cursor})
    assert response.status_code == 400
    assert '"cursor"' in response.json()["error"]["message"]


def _bulk_candidate(seeded: dict[str, Any], applications: int) -> dict[str, Any]:
    """A candidate of the seed's shape with an ID, name and ``applications`` of its own."""
    application = seeded["applications"][0]
    return {
        **seeded,
        "id": "BulkCandidate000000000001",
        "last_name": "Bulkname",
        "applications": [
            {**application, "id": f"BulkApplication{index:09d}"} for index in range(applications)
        ],
    }


def test_extra_candidates_are_found_and_take_results_after_the_seed() -> None:
    seeded = build_candidates()
    extra = _bulk_candidate(next(c for c in seeded if c["applications"]), 30)
    with (
        Sandbox(extra_candidates=[extra]) as running,
        httpx.Client(base_url=running.base_url, headers=AUTH, timeout=10.0, verify=TLS) as http,
    ):
        found = search(http, last_name="Bulkname")["results"]
        assert [c["id"] for c in found] == [extra["id"]]
        assert [a["id"] for a in found[0]["applications"]] == [
            a["id"] for a in extra["applications"]
        ]
        assert running.candidates == [*seeded, extra]
        application_id = extra["applications"][-1]["id"]
        answer = http.post(
            f"/ats/applications/{application_id}/result-links",
            json={"label": "Assessment", "url": "https://example.com/results/1"},
        )
        assert answer.status_code == 200, answer.text
        assert len(running.result_links(application_id)) == 1


def test_extra_candidates_need_ids_of_their_own() -> None:
    seeded = build_candidates()
    with pytest.raises(ValueError, match="ID of its own"):
        Sandbox(extra_candidates=[seeded[0]])
