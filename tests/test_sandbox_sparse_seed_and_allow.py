"""The sandbox over HTTP: its sparse candidates (what an ATS may leave out, left out) and
the methods its 405 answers allow (HEAD wherever GET is answered, as HTTP says)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kombo_desktop.core.models import Candidate
from kombo_desktop.sandbox import Sandbox
from tests.sandbox.conftest import AUTH, TLS

#: The seed's sparse candidates, by what each of them has.
SPARSE_EMAIL_ONLY = "talent.pool.4471@example.net"
SPARSE_NAME_ONLY = ("Nadia", "Haddad")

#: Keys the API sends with every candidate, each of these with null when unknown.
NULLABLE_CANDIDATE_KEYS = {
    "first_name", "last_name", "company", "title", "source", "remote_url", "confidential",
    "custom_fields", "remote_created_at", "remote_updated_at", "remote_deleted_at",
}  # fmt: skip
#: Keys the API may leave out of a candidate altogether.
OPTIONAL_CANDIDATE_KEYS = {"email_addresses", "phone_numbers", "social_media", "location"}


@pytest.fixture
def client(fresh_sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client with the demo credentials, pointed at the sandbox."""
    with httpx.Client(
        base_url=fresh_sandbox.base_url, headers=AUTH, timeout=10.0, verify=TLS
    ) as http:
        yield http


def _found(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/ats/candidates", params=params)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["data"]["results"]
    return results


def _sparse(client: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """The candidate with only an email, and the one with only a name, as searched."""
    (email_only,) = _found(client, email=SPARSE_EMAIL_ONLY.upper())
    first, last = SPARSE_NAME_ONLY
    (name_only,) = _found(client, first_name=first.lower(), last_name=last)
    return email_only, name_only


def test_a_candidate_with_only_an_email_is_found_by_it(client: httpx.Client) -> None:
    email_only, _ = _sparse(client)
    assert email_only["email_addresses"] == [
        {"email_address": SPARSE_EMAIL_ONLY, "type": "PERSONAL"}
    ]
    assert email_only["first_name"] is None
    assert email_only["last_name"] is None
    assert email_only["applications"] == []


def test_a_candidate_with_only_a_name_has_applications_without_job_or_stage(
    client: httpx.Client,
) -> None:
    _, name_only = _sparse(client)
    assert "email_addresses" not in name_only
    first, second = name_only["applications"]
    assert first["job"] is None
    assert first["current_stage"] is None
    assert first["outcome"] is None
    assert second["job"]["name"]
    assert second["current_stage"] is None


def test_the_sparse_candidates_keep_to_the_api_shape(client: httpx.Client) -> None:
    for candidate in _sparse(client):
        keys = set(candidate)
        # What the API always sends is there, null where it may be; the rest is left out.
        assert NULLABLE_CANDIDATE_KEYS | {"id", "remote_id", "changed_at"} <= keys
        assert {"applications", "tags"} <= keys
        assert keys <= NULLABLE_CANDIDATE_KEYS | OPTIONAL_CANDIDATE_KEYS | {
            "id", "remote_id", "changed_at", "applications", "tags",
        }  # fmt: skip
        assert isinstance(candidate["remote_id"], str)
        assert candidate["changed_at"]
        for key in NULLABLE_CANDIDATE_KEYS - {"first_name", "last_name"}:
            assert candidate[key] is None, key
        # And the app reads them as Kombo's candidates.
        assert Candidate.model_validate(candidate).id == candidate["id"]


def test_the_sparse_candidates_come_after_every_other(
    client: httpx.Client, fresh_sandbox: Sandbox
) -> None:
    everyone = _found(client, page_size=250)
    assert everyone == fresh_sandbox.candidates
    assert [c["id"] for c in everyone[-2:]] == [c["id"] for c in _sparse(client)]
    assert everyone[0]["first_name"] == "José"
    assert all(c["first_name"] and c["email_addresses"] for c in everyone[:-2])


def test_an_email_search_passes_over_a_candidate_without_addresses(
    client: httpx.Client,
) -> None:
    # The candidate with no email addresses is in the way of every email search.
    assert _found(client, email="nobody@example.com") == []


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/ats/candidates", "GET, HEAD"),
        ("POST", "/ats/candidates", "GET, HEAD"),
        ("PUT", "/check-api-key", "GET, HEAD"),
        ("GET", "/ats/candidates/someone/result-links", "POST"),
        ("HEAD", "/ats/applications/something/result-links", "POST"),
    ],
)
def test_a_405_allows_head_where_get_is_answered(
    client: httpx.Client, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("path", ["/ats/candidates", "/check-api-key"])
def test_head_is_answered_as_get_without_the_body(client: httpx.Client, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(got.content))
    assert head.headers["content-type"] == got.headers["content-type"]
