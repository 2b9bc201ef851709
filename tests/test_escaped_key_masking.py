"""A key that a server quotes with JSON escapes is masked as well as one quoted as it is.

JSON encoders write ``/`` as ``\\/`` (PHP's default) and may write any character as
``\\uXXXX``: in the raw answer the key is then not written as it is, and decoding brings
it back. Keys are masked in the decoded answer, so no message, title, warning, raw answer
or ``--json`` output shows one, whatever the key's shape.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.client import ANSWER_LIMIT_BYTES, KomboClient, RetryPolicy
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import KomboApiError, RateLimitedError
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli_env
from tests.main_window_support import build_window, candidate_id, fill_form, submit_and_wait

#: A Kombo-shaped key and a key of another shape (a gateway's), each with a ``/`` in it.
KOMBO_KEY = "ks_prod_Q2xpZW50S2V5/AbCdEfGh+IjKlMnOp=="
OTHER_KEY = "acme-gw/Q2xpZW50S2V5AbCdEfGhIjKlMnOp"


def tail(key: str) -> str:
    """The part of ``key`` after its first ``/``: what masking the raw answer left."""
    return key.split("/", 1)[1]


def slashes_escaped(payload: Any) -> str:
    """``payload`` as an encoder writes it that escapes ``/`` (PHP's ``json_encode``)."""
    return json.dumps(payload).replace("/", "\\/")


def every_character_escaped(text: str) -> str:
    """``text`` as a JSON string body written with ``\\uXXXX`` for every character."""
    return "".join(f"\\u{ord(character):04x}" for character in text)


def refusal(key: str) -> dict[str, Any]:
    """Kombo's error envelope quoting ``key`` in its title and message."""
    return {
        "status": "error",
        "error": {
            "code": "PLATFORM.AUTHENTICATION_INVALID",
            "title": f"Invalid API key {key}",
            "message": f"The API key {key} is not valid.",
            "log_url": None,
        },
    }


def send_from_cli(app_home: Path, sandbox: Sandbox, key: str, *extra: str) -> Any:
    target = sandbox.candidates[0]["id"]
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", "send", "--base-url", sandbox.base_url,
         "--integration-id", DEMO_INTEGRATION_ID, "--candidate", target, "--label", "L",
         "--url", "https://example.com/r/1", *extra],
        env=cli_env(app_home, KOMBO_API_KEY=key), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def send_with_key(sandbox: Sandbox, key: str, **client_options: Any) -> Any:
    connection = Connection.create(
        api_key=key, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(sandbox))
    request = ResultLinkRequest.from_form(label="L", url="https://example.com/r/1")

    async def send() -> Any:
        async with KomboClient(connection, **client_options) as client:
            return await client.add_result_link(target, request)

    return asyncio.run(send())


@pytest.mark.parametrize("key", [KOMBO_KEY, OTHER_KEY], ids=["kombo-shaped", "other shape"])
def test_a_refusal_quoting_the_key_with_escaped_slashes_shows_it_nowhere_on_the_command_line(
    fresh_sandbox: Sandbox, app_home: Path, key: str
) -> None:
    fresh_sandbox.inject_fault(Fault.raw(slashes_escaped(refusal(key)), status=401), times=2)
    plain = send_from_cli(app_home, fresh_sandbox, key)
    as_json = send_from_cli(app_home, fresh_sandbox, key, "--json")
    assert (plain.returncode, as_json.returncode) == (1, 1), plain.stderr + as_json.stdout
    shown = plain.stdout + plain.stderr + as_json.stdout + as_json.stderr
    assert tail(key) not in shown, shown
    answer = json.loads(as_json.stdout)
    assert answer["message"] == "The API key [redacted] is not valid."
    assert answer["title"] == "Invalid API key [redacted]"


def test_a_warning_quoting_the_key_with_escaped_slashes_is_masked_on_the_command_line(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    body = {"status": "success", "data": {}, "warnings": [{"message": f"Sent with {KOMBO_KEY}"}]}
    fresh_sandbox.inject_fault(Fault.raw(slashes_escaped(body)), times=2)
    plain = send_from_cli(app_home, fresh_sandbox, KOMBO_KEY)
    as_json = send_from_cli(app_home, fresh_sandbox, KOMBO_KEY, "--json")
    assert (plain.returncode, as_json.returncode) == (0, 0), plain.stderr + as_json.stderr
    shown = plain.stdout + plain.stderr + as_json.stdout + as_json.stderr
    assert tail(KOMBO_KEY) not in shown, shown
    assert "Warning: Sent with [redacted]" in plain.stdout
    assert json.loads(as_json.stdout)["warnings"] == ["Sent with [redacted]"]


def test_a_key_written_in_unicode_escapes_is_masked_in_the_error_and_its_raw_answer(
    fresh_sandbox: Sandbox,
) -> None:
    escaped = every_character_escaped(OTHER_KEY)
    envelope = json.dumps(refusal("KEY")).replace("KEY", escaped)
    fresh_sandbox.inject_fault(Fault.raw(envelope, status=401), times=1)
    with pytest.raises(KomboApiError) as caught:
        send_with_key(fresh_sandbox, OTHER_KEY)
    error = caught.value
    message = describe_error(error)
    shown = [error.message, error.title or "", error.body, pretty_json(error.body), str(error)]
    shown += [message.text, message.detail]
    assert [OTHER_KEY in text or escaped in text for text in shown] == [False] * len(shown)
    assert error.message == "The API key [redacted] is not valid."
    # The raw answer, shown pretty-printed in the window, is the masked answer.
    assert json.loads(error.body)["error"]["title"] == "Invalid API key [redacted]"


def test_a_warning_quoting_the_key_with_escaped_slashes_is_masked_in_the_raw_answer(
    fresh_sandbox: Sandbox,
) -> None:
    body = {"status": "success", "data": {}, "warnings": [{"message": f"Sent with {KOMBO_KEY}"}]}
    fresh_sandbox.inject_fault(Fault.raw(slashes_escaped(body)), times=1)
    outcome = send_with_key(fresh_sandbox, KOMBO_KEY)
    assert outcome.warnings == ("Sent with [redacted]",)
    for text in (outcome.body, pretty_json(outcome.body)):
        assert tail(KOMBO_KEY) not in text


def test_a_cut_answer_quoting_the_key_with_escaped_slashes_does_not_show_it(
    fresh_sandbox: Sandbox,
) -> None:
    # Cut short, the answer cannot be decoded: the key is found as JSON wrote it.
    start = slashes_escaped({"error": {"message": f"Bad key {OTHER_KEY}"}})[:-2]
    page = start + ', "trace": "' + "x" * (2 * ANSWER_LIMIT_BYTES) + '"}}'
    fresh_sandbox.inject_fault(Fault.raw(page, status=429), times=1)
    with pytest.raises(RateLimitedError) as caught:
        send_with_key(fresh_sandbox, OTHER_KEY, retry=RetryPolicy(max_retries=0))
    assert caught.value.body.startswith('{"error": {"message": "Bad key [redacted]"')


def test_the_window_shows_a_key_quoted_with_escaped_slashes_nowhere(
    qtbot: Any, fresh_sandbox: Sandbox, clipboard: Any
) -> None:
    window = build_window(qtbot, fresh_sandbox, api_key=OTHER_KEY)
    fresh_sandbox.inject_fault(Fault.raw(slashes_escaped(refusal(OTHER_KEY)), 401), times=1)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_and_wait(qtbot, window)
    panel = window.response
    shown = [panel.summary_text(), panel.details_text(), panel.facts_text(), panel.raw_text()]
    assert [tail(OTHER_KEY) in text for text in shown] == [False] * 4, shown
    # The raw answer is shown pretty-printed: decoded, and masked.
    assert '"message": "The API key [redacted] is not valid."' in panel.raw_text()
    panel.copy_response()
    assert tail(OTHER_KEY) not in clipboard.text()
