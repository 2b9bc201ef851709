"""A large remote-fields JSON goes into the request body as it was parsed, not copied: the
client and the request preview build the body with the same code (``result_link_call``),
and a copy of megabytes is made in one call, which holds the interpreter (the window's
thread waiting for it) for tens of milliseconds. The start of a body that the preview
shows leaves nothing of it to the garbage collector, which runs on the GUI thread.

What is sent stays byte for byte as before: see ``test_curl_long_body``,
``test_sdk_parity`` and ``test_preview_large_body``.
"""

from __future__ import annotations

import json
from typing import Any

from kombo_desktop.core.errors import RequestPurpose
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.requests import PreparedCall, result_link_call
from tests.garbage_support import garbage_found


def _exported_json(count: int) -> str:
    """Another ATS's custom fields as exported, pretty-printed as pasted: ``count`` small
    objects, each with a list of options (a field holding only text and numbers is not
    one the garbage collector looks at)."""
    custom = {
        f"custom_field_{n:05d}": {
            "label": f"Question {n}",
            "value": f"réponse {n} " * 4,
            "options": ["a", {"deep": {"x": n * 1.5}}],
        }
        for n in range(count)
    }
    return json.dumps({"lever": {"custom": custom}}, indent=2, ensure_ascii=False)


#: About 200 KB of JSON.
RAW_JSON = _exported_json(2000)


def _custom_fields_in(objects: list[Any]) -> list[Any]:
    """The custom fields of ``RAW_JSON`` among ``objects``."""
    return [item for item in objects if isinstance(item, dict) and "options" in item]


def test_the_body_sent_holds_the_json_as_parsed_not_a_copy() -> None:
    typed = RemoteFieldsInput(raw_json=RAW_JSON, workable_on_behalf_of_user_remote_id="wk-1")
    state = FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GBmJ",
        label="Assessment Result",
        url="https://example.com/results/1",
        remote_fields=typed,
    )
    parsed = typed.to_remote_fields()
    assert parsed is not None

    call = result_link_call(*state.to_request())

    assert call.body is not None
    remote_fields = call.body["remote_fields"]
    assert remote_fields["lever"] is parsed["lever"]
    # Sent as typed, the ATS the app models first.
    assert list(remote_fields) == ["workable", "lever"]
    assert remote_fields["workable"] == {"on_behalf_of_user_remote_id": "wk-1"}
    typed_lever = json.dumps(json.loads(RAW_JSON)["lever"], ensure_ascii=False)
    assert json.dumps(remote_fields["lever"], ensure_ascii=False) == typed_lever


def test_the_start_of_a_body_leaves_nothing_of_it_to_the_garbage_collector() -> None:
    body = {"label": "Assessment Result", "remote_fields": json.loads(RAW_JSON)}

    with garbage_found() as garbage:
        call = PreparedCall(
            "POST", "/result-links", body=body, purpose=RequestPurpose.ADD_RESULT_LINK
        )
        start, cut = call.body_text_start(4096)
        del call, body

    assert cut
    assert start.startswith('{\n  "label": "Assessment Result",\n  "remote_fields": {')
    assert len(start) <= 4096
    assert not _custom_fields_in(garbage.objects)
