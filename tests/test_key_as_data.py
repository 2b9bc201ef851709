"""An API key never goes into the customer's ATS as data, and never comes back into view.

A key pasted into the label, the URL, the prefix, an attribute or the remote fields would
be written into the ATS, where every recruiter reads it: it is refused at the field, in
the window and on the command line. A key (or the start of one) that a server quotes in
its answer is masked as the answer enters, so no warning, message or body shows it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.errors import InputError, KomboApiError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.text import pretty_json
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli_env
from tests.leakcheck import files_containing
from tests.main_window_support import button, candidate_id, fill_form, posts

PROBLEM = "must not contain an API key (keys start with ks_prod_ or ks_dev_)"
#: What a server quotes when it cuts a long value short: the start of the key.
KEY_START = DEMO_API_KEY[:20]
URL = "https://example.com/results/1"


@pytest.mark.parametrize(
    ("state", "field"),
    [
        (FormState(target_id="c1", label=f"Key {DEMO_API_KEY}", url=URL), "label"),
        (FormState(target_id="c1", label="L", url=f"{URL}?key={DEMO_API_KEY}"), "url"),
        (
            FormState(
                target_id="c1", label="L", url=URL, prefix=DEMO_API_KEY, attributes=(("a", "1"),)
            ),
            "custom_field_name_prefix",
        ),
        (
            FormState(
                target_id="c1",
                label="L",
                url=URL,
                prefix="Acme:",
                attributes=(("", ""), ("Score", "1"), ("Token", DEMO_API_KEY)),
            ),
            "attributes[2].value",
        ),
        (
            FormState(
                target_id="c1",
                label="L",
                url=URL,
                remote_fields=RemoteFieldsInput(greenhouse_on_behalf_of=DEMO_API_KEY),
            ),
            "remote_fields.greenhouse_on_behalf_of",  # at the typed input that holds it
        ),
    ],
)
def test_a_key_in_any_value_is_refused_at_its_field(state: FormState, field: str) -> None:
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, PROBLEM)]
    assert DEMO_API_KEY not in str(caught.value)


def test_the_window_refuses_a_key_typed_as_the_label_and_sends_nothing(
    qtbot, window, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), label=DEMO_API_KEY)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=10_000)
    assert window.form.error_text("label") == f"Label {PROBLEM}"
    assert window.form.is_marked_invalid("label")
    assert not button(window, "Submit").isEnabled()
    assert DEMO_API_KEY not in window.preview.body_text()
    assert posts(fresh_sandbox) == []


def test_the_command_line_refuses_a_key_as_an_attribute_and_sends_nothing(
    fresh_sandbox: Sandbox, app_home
) -> None:
    args = ["--candidate", candidate_id(fresh_sandbox), "--label", "L", "--url", URL]
    args += ["--prefix", "Acme:", "--attr", "Score=1", "--attr", f"Token={DEMO_API_KEY}"]
    base = ["--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID]
    result = subprocess.run(
        [sys.executable, "-m", "kombo_desktop", "send", *base, *args, "--json"],
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["errors"] == [
        {"field": "attributes[1].value", "option": "--attr #2", "message": f"the value {PROBLEM}"}
    ]
    assert DEMO_API_KEY not in result.stdout + result.stderr
    assert fresh_sandbox.requests == []


def _send(sandbox: Sandbox) -> Any:
    connection = Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=sandbox.base_url
    )
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(sandbox))
    request = ResultLinkRequest.from_form(label="L", url=URL)

    async def send() -> Any:
        async with KomboClient(connection) as client:
            return await client.add_result_link(target, request)

    return asyncio.run(send())


def test_the_start_of_a_key_quoted_in_kombos_warning_is_masked(fresh_sandbox: Sandbox) -> None:
    warning = f'The prefix "{KEY_START}" is longer than 20 characters and was cut'
    body = {"status": "success", "data": {}, "warnings": [{"message": warning}]}
    fresh_sandbox.inject_fault(Fault.raw(json.dumps(body)), times=1)
    outcome = _send(fresh_sandbox)
    assert outcome.warnings == ('The prefix "[redacted]" is longer than 20 characters and was cut',)
    assert KEY_START not in pretty_json(outcome.body)


def test_the_start_of_a_key_quoted_in_kombos_error_is_masked(fresh_sandbox: Sandbox) -> None:
    said = f"The API key {KEY_START}… is not valid"
    fault = Fault.kombo_error("PLATFORM.AUTHENTICATION_INVALID", 401, said, f"Key {KEY_START}…")
    fresh_sandbox.inject_fault(fault, times=1)
    with pytest.raises(KomboApiError) as caught:
        _send(fresh_sandbox)
    error = caught.value
    for text in (error.message, error.title or "", error.body, str(error)):
        assert KEY_START not in text


@pytest.mark.parametrize(
    "state",
    [
        FormState(
            target_id="c1", label="Assessment", url="https://a.example.com/webhooks_prod_eu/1"
        ),
        FormState(target_id="c1", label="Coding tasks_dev_round", url=URL),
        FormState(
            target_id="c1", label="L", url=URL, prefix="Acme:", attributes=(("tasks_dev_n", "12"),)
        ),
    ],
)
def test_ks_prod_inside_a_word_is_no_key(state: FormState) -> None:
    state.to_request()


def test_a_key_typed_into_the_form_is_kept_in_no_draft(
    qtbot, window, fresh_sandbox: Sandbox, app_home
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), label=DEMO_API_KEY)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=10_000)
    assert window.form.is_marked_invalid("label")
    window.close()  # the draft is written for the last time
    assert files_containing(app_home, DEMO_API_KEY) == []
    restored = DraftStore().load()
    assert restored is not None
    assert restored.label == "[API key removed]"


def test_words_that_only_start_like_a_key_are_kept_in_kombos_answer(
    fresh_sandbox: Sandbox,
) -> None:
    warning = "Field ks_assessment_score was renamed"
    body = {"status": "success", "data": {}, "warnings": [{"message": warning}]}
    fresh_sandbox.inject_fault(Fault.raw(json.dumps(body)), times=1)
    assert _send(fresh_sandbox).warnings == (warning,)


#: The sandbox's key, pasted right after a word: a key all the same (its tail is long).
GLUED = "see" + DEMO_API_KEY


def test_a_key_pasted_right_after_a_word_is_still_refused_and_kept_in_no_draft(
    tmp_path,
) -> None:
    state = FormState(
        target_id="c1", label="L", url=URL, prefix="Acme:", attributes=(("Notes", GLUED),)
    )
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert [(e.field, e.message) for e in caught.value.errors] == [("attributes[0].value", PROBLEM)]
    store = DraftStore(tmp_path / "draft.json")
    store.save(state)
    assert DEMO_API_KEY not in store.path.read_text(encoding="utf-8")
