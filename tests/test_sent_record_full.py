"""A send Kombo refuses leaves the record of sent links as it was, even when it is full.

The record keeps the last ``MAX_SENT_LINKS`` links; a link is recorded as it goes out,
which pushes the oldest out of a full record. Kombo's refusal must bring that one back:
it was added all the same, and sending it again must still ask first.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

import pytest

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import MAX_SENT_LINKS, FormState
from kombo_desktop.qt.main_window import SentRequest
from tests.main_window_support import (
    WAIT_MS,
    answer_send_again,
    build_window,
    candidate_id,
    fill_form,
    line_edit,
    posts,
    press_ctrl_enter,
    type_into,
    wait_for_send_again_question,
)

pytestmark = pytest.mark.usefixtures("real_questions")

URL = "https://example.com/results/full"
LABEL = "Assessment Result"


def test_a_refused_send_does_not_push_the_oldest_link_out_of_a_full_record(
    qtbot, window, fresh_sandbox
):
    first = candidate_id(fresh_sandbox, 1)
    fill_form(qtbot, window, target_id=first, label=LABEL, url=URL)
    qtbot.waitUntil(lambda: window.form.current_request() is not None, timeout=WAIT_MS)
    connection = window.connection_source.current_connection()
    assert connection is not None
    oldest = SentRequest(connection, *window.form.current_request()).fingerprint
    window.close()

    # A full record from yesterday, the first candidate's link its oldest entry.
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    sent = [
        {
            "fingerprint": oldest if index == 0 else secrets.token_hex(32),
            "sent_at": (yesterday + timedelta(minutes=index)).isoformat(),
            "confirmed": True,
        }
        for index in range(MAX_SENT_LINKS)
    ]
    form = {**FormState(label=LABEL).to_dict(), "sent": sent}
    DraftStore().path.write_text(
        json.dumps({"format": "kombo-desktop-draft", "version": 1, "form": form}), "utf-8"
    )
    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: again.form.state().label == LABEL, timeout=WAIT_MS)

    # A typo in the ID: Kombo finds no such candidate, nothing is added.
    type_into(qtbot, again, "Target ID", "no-such-candidate")
    type_into(qtbot, again, "Result URL", URL)
    with qtbot.waitSignal(again.requestFinished, timeout=WAIT_MS):
        press_ctrl_enter(qtbot, again, "Label")
    assert again.response.summary_text().startswith("Error")

    # The first candidate's link, added yesterday: sending it again asks first.
    line_edit(again, "Target ID").setText(first)
    qtbot.waitUntil(lambda: again.form.current_request() is not None, timeout=WAIT_MS)
    press_ctrl_enter(qtbot, again, "Label")
    box = wait_for_send_again_question(qtbot)
    answer_send_again(qtbot, again, box, "Don't send")
    assert len(posts(fresh_sandbox)) == 1

    # And the draft keeps it for the next start; the refused link is not in it.
    again.close()
    kept = json.loads(DraftStore().path.read_text("utf-8"))["form"]["sent"]
    assert [entry["fingerprint"] for entry in kept] == [entry["fingerprint"] for entry in sent]
