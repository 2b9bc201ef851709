"""The sandbox against facts of Kombo's API that it once missed: the body's content type,
one environment per key, a Greenhouse user that may be null, and Talent360's fields."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_PROD_API_KEY, Sandbox
from tests.sandbox.conftest import TLS

VALID_BODY: dict[str, Any] = {"label": "Assessment Result", "url": "https://example.com/r/5Bt"}


def link_paths(sandbox: Sandbox) -> dict[str, tuple[str, str]]:
    """Both result-link endpoints, each with the id its links are kept under."""
    candidate = sandbox.candidates[0]
    application_id = candidate["applications"][0]["id"]
    return {
        "candidate": (f"/ats/candidates/{candidate['id']}/result-links", candidate["id"]),
        "application": (f"/ats/applications/{application_id}/result-links", application_id),
    }


@pytest.mark.parametrize("target", ["candidate", "application"])
@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"],
    ids=["none", "text", "form", "jsonp"],
)
def test_a_body_not_sent_as_json_is_refused_and_not_stored(
    client: httpx.Client, sandbox: Sandbox, target: str, content_type: str | None
) -> None:
    path, target_id = link_paths(sandbox)[target]
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = client.post(path, content=json.dumps(VALID_BODY).encode(), headers=headers)
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert "Content-Type: application/json" in error["message"]
    assert sandbox.result_links(target_id) == []


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "application/json ;charset=UTF-8"],
)
def test_json_with_a_charset_or_in_capitals_is_taken(
    client: httpx.Client, sandbox: Sandbox, content_type: str
) -> None:
    path, target_id = link_paths(sandbox)["candidate"]
    response = client.post(
        path, content=json.dumps(VALID_BODY).encode(), headers={"Content-Type": content_type}
    )
    assert response.status_code == 200
    assert sandbox.result_links(target_id) == [VALID_BODY]


def test_each_demo_key_answers_its_own_environment(sandbox: Sandbox) -> None:
    # A key belongs to one environment, named by its prefix: a production key and a
    # development key cannot share one.
    environments = []
    for key in (DEMO_API_KEY, DEMO_PROD_API_KEY):
        response = httpx.get(
            f"{sandbox.base_url}/check-api-key",
            headers={"Authorization": f"Bearer {key}"},
            verify=TLS,
        )
        assert response.status_code == 200
        environments.append(response.json()["data"]["environment_id"])
    assert environments[0] != environments[1]
    assert all(environments)


def test_a_null_greenhouse_user_is_taken(client: httpx.Client, sandbox: Sandbox) -> None:
    # Kombo's schema allows null here (string or null), unlike the other remote fields.
    path, target_id = link_paths(sandbox)["candidate"]
    body = {**VALID_BODY, "remote_fields": {"greenhouse": {"post_headers": {"On-Behalf-Of": None}}}}
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    assert sandbox.result_links(target_id) == [body]


def test_other_remote_fields_are_still_not_null(client: httpx.Client, sandbox: Sandbox) -> None:
    path, target_id = link_paths(sandbox)["candidate"]
    body = {**VALID_BODY, "remote_fields": {"workable": {"on_behalf_of_user_remote_id": None}}}
    response = client.post(path, json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert sandbox.result_links(target_id) == []


def test_talent360_remote_fields_are_taken_with_their_user(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    # Kombo's public schema has Talent360 beside iCIMS, Oracle, Greenhouse and Workable.
    path, target_id = link_paths(sandbox)["candidate"]
    body = {**VALID_BODY, "remote_fields": {"talent360": {"user_id": "u-42"}}}
    response = client.post(path, json=body)
    assert response.status_code == 200, response.text
    assert sandbox.result_links(target_id) == [body]


@pytest.mark.parametrize(
    ("talent360", "message"),
    [
        ({}, '"remote_fields.talent360.user_id" is required'),
        ({"user_id": 42}, '"remote_fields.talent360.user_id" must be a string'),
        ({"user_id": "u", "note": "x"}, '"remote_fields.talent360.note" is not allowed'),
    ],
)
def test_talent360_remote_fields_need_a_user_id(
    client: httpx.Client, sandbox: Sandbox, talent360: dict[str, Any], message: str
) -> None:
    path, target_id = link_paths(sandbox)["candidate"]
    body = {**VALID_BODY, "remote_fields": {"talent360": talent360}}
    response = client.post(path, json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]
    assert sandbox.result_links(target_id) == []
