"""Authentication, integration check, routing and result-link posting, over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kombo_desktop.sandbox import (
    DEMO_API_KEY,
    DEMO_ENVIRONMENT_ID,
    DEMO_INTEGRATION_ID,
    DEMO_PROD_API_KEY,
    DEMO_PROD_ENVIRONMENT_ID,
    Sandbox,
)
from tests.sandbox.conftest import AUTH, TLS

VALID_BODY: dict[str, Any] = {"label": "Assessment Result", "url": "https://example.com/r/5Bt"}


def error_of(response: httpx.Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/json"
    payload = response.json()
    assert payload["status"] == "error"
    assert set(payload["error"]) == {"code", "title", "message", "log_url"}
    error: dict[str, Any] = payload["error"]
    return error


def first_candidate_with_applications(sandbox: Sandbox, at_least: int) -> dict[str, Any]:
    return next(c for c in sandbox.candidates if len(c["applications"]) >= at_least)


def test_demo_keys_have_the_environment_prefixes() -> None:
    assert DEMO_API_KEY.startswith("ks_dev_")
    assert DEMO_PROD_API_KEY.startswith("ks_prod_")
    tool, _, integration = DEMO_INTEGRATION_ID.partition(":")
    assert tool == "greenhouse"
    assert integration


@pytest.mark.parametrize(
    ("key", "environment_id"),
    [(DEMO_API_KEY, DEMO_ENVIRONMENT_ID), (DEMO_PROD_API_KEY, DEMO_PROD_ENVIRONMENT_ID)],
)
def test_check_api_key_answers_the_environment(
    sandbox: Sandbox, key: str, environment_id: str
) -> None:
    # No X-Integration-Id: this endpoint is not integration-specific.
    response = httpx.get(
        f"{sandbox.base_url}/check-api-key", headers={"Authorization": f"Bearer {key}"}, verify=TLS
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "success", "data": {"environment_id": environment_id}}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer ks_dev_not_a_real_key"},
        {"Authorization": DEMO_API_KEY},
        {"Authorization": f"Basic {DEMO_API_KEY}"},
        {"Authorization": "Bearer"},
    ],
    ids=["missing", "unknown-key", "no-scheme", "basic-scheme", "empty-key"],
)
def test_bad_credentials_are_401(sandbox: Sandbox, headers: dict[str, str]) -> None:
    for path in ("/check-api-key", "/ats/candidates"):
        response = httpx.get(
            f"{sandbox.base_url}{path}",
            headers={**headers, "X-Integration-Id": DEMO_INTEGRATION_ID},
            verify=TLS,
        )
        assert response.status_code == 401
        assert error_of(response)["code"] == "PLATFORM.AUTHENTICATION_INVALID"


def test_authentication_is_checked_before_the_integration(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.base_url}/ats/candidates", verify=TLS)
    assert response.status_code == 401


def test_missing_integration_header_is_400(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.base_url}/ats/candidates/x/result-links",
        headers={"Authorization": f"Bearer {DEMO_API_KEY}"},
        json=VALID_BODY,
        verify=TLS,
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert error["message"] == "X-Integration-Id header is required"


def test_unknown_integration_is_404(sandbox: Sandbox) -> None:
    response = httpx.get(
        f"{sandbox.base_url}/ats/candidates",
        headers={**AUTH, "X-Integration-Id": "workday:HWUTwvyx2wLoSUHphiWVrp28"},
        verify=TLS,
    )
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "PLATFORM.INTEGRATION_NOT_FOUND"
    assert "workday:HWUTwvyx2wLoSUHphiWVrp28" in error["message"]


def test_unknown_path_is_a_404_envelope(client: httpx.Client) -> None:
    response = client.get("/ats/jobs")
    assert response.status_code == 404
    assert "/v1/ats/jobs" in error_of(response)["message"]


def test_wrong_method_is_a_405_envelope(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    response = client.get(f"/ats/candidates/{candidate_id}/result-links")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    error_of(response)
    response = client.delete("/ats/candidates")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert sandbox.result_links(candidate_id) == []


def test_log_url_points_at_the_sandbox_and_opens_without_a_key(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    log_url = error_of(client.get("/ats/jobs"))["log_url"]
    assert log_url.startswith(f"{sandbox.base_url}/logs/")
    other = error_of(client.get("/ats/jobs"))["log_url"]
    assert other != log_url
    page = httpx.get(log_url, verify=TLS)
    assert page.status_code == 200
    assert page.json()["status"] == "success"


def test_post_to_a_candidate_stores_the_body(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[3]["id"]
    body = {
        **VALID_BODY,
        "details": {
            "custom_field_name_prefix": "Acme:",
            "attributes": [{"key": "Score", "value": "100%"}, {"key": "Time", "value": "2:30h"}],
        },
        "remote_fields": {
            "greenhouse": {"post_headers": {"On-Behalf-Of": "4080"}},
            "oracle": {
                "override_document_category": "MISC",
                "multi_post_to_all_current_applications": True,
            },
            "icims": {"assessment_package_id": "pkg-1"},
            "workable": {"on_behalf_of_user_remote_id": "u-7"},
        },
    }
    response = client.post(f"/ats/candidates/{candidate_id}/result-links", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "success", "data": {}, "warnings": []}
    assert sandbox.result_links(candidate_id) == [body]


def test_post_to_an_application_stores_under_the_application(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    candidate = first_candidate_with_applications(sandbox, 2)
    application_id = candidate["applications"][1]["id"]
    response = client.post(f"/ats/applications/{application_id}/result-links", json=VALID_BODY)
    assert response.status_code == 200
    assert response.json()["warnings"] == []
    assert sandbox.result_links(application_id) == [VALID_BODY]
    assert sandbox.result_links(candidate["id"]) == []


def test_each_post_is_stored_again(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    for label in ("first", "second"):
        body = {**VALID_BODY, "label": label}
        assert client.post(f"/ats/candidates/{candidate_id}/result-links", json=body).is_success
    assert [link["label"] for link in sandbox.result_links(candidate_id)] == ["first", "second"]


def _attributes(count: int, key_length: int = 5) -> list[dict[str, str]]:
    return [{"key": f"{i:0{key_length}d}", "value": "1"} for i in range(count)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({**VALID_BODY, "label": "L" * 61}, ["60 characters"]),
        (
            {**VALID_BODY, "details": {"custom_field_name_prefix": "P" * 21, "attributes": []}},
            ["will be truncated"],
        ),
        (
            {
                **VALID_BODY,
                "details": {"custom_field_name_prefix": "", "attributes": _attributes(1, 31)},
            },
            ["may be truncated in Greenhouse"],
        ),
        (
            {
                **VALID_BODY,
                "details": {"custom_field_name_prefix": "", "attributes": _attributes(11)},
            },
            ["11 attributes"],
        ),
    ],
    ids=["long-label", "long-prefix", "long-key", "many-attributes"],
)
def test_warnings(
    client: httpx.Client, sandbox: Sandbox, body: dict[str, Any], expected: list[str]
) -> None:
    candidate_id = sandbox.candidates[1]["id"]
    response = client.post(f"/ats/candidates/{candidate_id}/result-links", json=body)
    assert response.status_code == 200
    warnings = response.json()["warnings"]
    assert len(warnings) == len(expected)
    for warning, fragment in zip(warnings, expected, strict=True):
        assert set(warning) == {"message"}
        assert fragment in warning["message"]
    assert sandbox.result_links(candidate_id) == [body]


def test_values_at_the_thresholds_give_no_warning(client: httpx.Client, sandbox: Sandbox) -> None:
    body = {
        "label": "L" * 60,
        "url": "https://example.com",
        "details": {"custom_field_name_prefix": "P" * 20, "attributes": _attributes(10, 30)},
    }
    candidate_id = sandbox.candidates[1]["id"]
    response = client.post(f"/ats/candidates/{candidate_id}/result-links", json=body)
    assert response.json()["warnings"] == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"url": "https://example.com"}, '"label" is required'),
        ({"label": 5, "url": "https://example.com"}, '"label" must be a string'),
        ({"label": "  ", "url": "https://example.com"}, '"label" must not be empty'),
        ({"label": "x"}, '"url" is required'),
        ({"label": "x", "url": "not a url"}, '"url" must be a valid URI'),
        ({"label": "x", "url": "https://"}, '"url" must be a valid URI'),
        ({"label": "x", "url": "example.com/x"}, '"url" must be a valid URI'),
        ({**VALID_BODY, "colour": "red"}, '"colour" is not allowed'),
        ({**VALID_BODY, "details": None}, '"details" must be an object'),
        (
            {**VALID_BODY, "details": {"custom_field_name_prefix": "A:"}},
            '"details.attributes" is required when "details" is given',
        ),
        (
            {**VALID_BODY, "details": {"attributes": []}},
            '"details.custom_field_name_prefix" is required when "details" is given',
        ),
        (
            {**VALID_BODY, "details": {"custom_field_name_prefix": 1, "attributes": []}},
            '"details.custom_field_name_prefix" must be a string',
        ),
        (
            {**VALID_BODY, "details": {"custom_field_name_prefix": "", "attributes": {}}},
            '"details.attributes" must be an array',
        ),
        (
            {
                **VALID_BODY,
                "details": {
                    "custom_field_name_prefix": "",
                    "attributes": [{"key": "a", "value": "1"}, {"key": "b", "value": 100}],
                },
            },
            '"details.attributes[1].value" must be a string',
        ),
        (
            {
                **VALID_BODY,
                "details": {"custom_field_name_prefix": "", "attributes": [{"value": "1"}]},
            },
            '"details.attributes[0].key" is required',
        ),
        ({**VALID_BODY, "remote_fields": []}, '"remote_fields" must be an object'),
        ({**VALID_BODY, "remote_fields": {"lever": {}}}, '"remote_fields.lever" is not allowed'),
        (
            {**VALID_BODY, "remote_fields": {"oracle": {"override_document_category": "CV"}}},
            '"remote_fields.oracle.override_document_category" must be one of',
        ),
        (
            {
                **VALID_BODY,
                "remote_fields": {"oracle": {"multi_post_to_all_current_applications": "yes"}},
            },
            '"remote_fields.oracle.multi_post_to_all_current_applications" must be a boolean',
        ),
        (
            {**VALID_BODY, "remote_fields": {"greenhouse": {"post_headers": {"On-Behalf-Of": 7}}}},
            '"remote_fields.greenhouse.post_headers.On-Behalf-Of" must be a string',
        ),
        (
            {**VALID_BODY, "remote_fields": {"workable": {"user": "x"}}},
            '"remote_fields.workable.user" is not allowed',
        ),
        ([VALID_BODY], "must be a JSON object"),
    ],
)
def test_invalid_bodies_name_the_field(
    client: httpx.Client, sandbox: Sandbox, body: Any, message: str
) -> None:
    candidate_id = sandbox.candidates[2]["id"]
    response = client.post(f"/ats/candidates/{candidate_id}/result-links", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert message in error["message"]
    assert sandbox.result_links(candidate_id) == []


@pytest.mark.parametrize(
    "content",
    [b"{", b"", b"\xff\xfe", b"null", b'{"label": "L", "url": "https://e.com", "x": NaN}'],
)
def test_body_that_is_not_a_json_object_is_400(
    client: httpx.Client, sandbox: Sandbox, content: bytes
) -> None:
    candidate_id = sandbox.candidates[2]["id"]
    response = client.post(
        f"/ats/candidates/{candidate_id}/result-links",
        content=content,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "PLATFORM.INPUT_INVALID"


def test_unknown_candidate_is_404(client: httpx.Client, sandbox: Sandbox) -> None:
    response = client.post("/ats/candidates/NoSuchCandidate123/result-links", json=VALID_BODY)
    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "PLATFORM.INPUT_INVALID"
    assert error["title"] == "Candidate not found"
    assert error["message"] == (
        'No candidate with the ID "NoSuchCandidate123" exists in this integration.'
    )
    assert sandbox.result_links("NoSuchCandidate123") == []


def test_ids_are_not_interchangeable_between_the_endpoints(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    candidate = sandbox.candidates[0]
    response = client.post(f"/ats/applications/{candidate['id']}/result-links", json=VALID_BODY)
    assert response.status_code == 404
    assert error_of(response)["title"] == "Application not found"
    application_id = candidate["applications"][0]["id"]
    response = client.post(f"/ats/candidates/{application_id}/result-links", json=VALID_BODY)
    assert response.status_code == 404
    assert error_of(response)["title"] == "Candidate not found"


def test_an_encoded_slash_stays_inside_the_id(client: httpx.Client, sandbox: Sandbox) -> None:
    candidate_id = sandbox.candidates[0]["id"]
    # Decoded before splitting, this would look like a valid post to the candidate itself.
    raw = f"{candidate_id}%2Fresult-links%2F..%2F..%2F{candidate_id}"
    response = client.post(f"/ats/candidates/{raw}/result-links", json=VALID_BODY)
    assert response.status_code == 404
    error = error_of(response)
    assert error["title"] == "Candidate not found"
    assert f'"{candidate_id}/result-links/../../{candidate_id}"' in error["message"]
    assert sandbox.result_links(candidate_id) == []
    assert sandbox.requests[-1].path == f"/v1/ats/candidates/{raw}/result-links"


def test_percent_encoded_ids_are_decoded_before_lookup(
    client: httpx.Client, sandbox: Sandbox
) -> None:
    candidate_id = sandbox.candidates[5]["id"]
    encoded = "".join(f"%{ord(ch):02X}" for ch in candidate_id)
    url = httpx.URL(f"{sandbox.base_url}/ats/candidates/{encoded}/result-links")
    response = client.post(url, json=VALID_BODY)
    assert response.status_code == 200
    assert sandbox.result_links(candidate_id) == [VALID_BODY]


def test_non_ascii_id_is_a_clean_404(client: httpx.Client) -> None:
    response = client.post("/ats/candidates/Jos%C3%A9%20M%C3%BCller/result-links", json=VALID_BODY)
    assert response.status_code == 404
    assert '"José Müller"' in error_of(response)["message"]
