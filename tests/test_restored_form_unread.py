"""A form restored from a draft that records no send costs typing nothing extra.

While a restored form is on screen, the idle panel says whether it was sent before; with
no record of any send there is nothing to find, and the window does not read the form
again at each key to find it (with a large remote-fields JSON, each read copies it).
The real window: a form typed, the window closed (the draft is written), a new window
opened on that draft, as after a restart.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    candidate_id,
    fill_form,
    ready_window,
    type_into,
)

URL = "https://example.com/results/restored"
USUAL_IDLE_TEXT = "Nothing sent yet. Fill in the form and press Submit (Ctrl+Enter)."


def reads_while_typing(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, text: str
) -> int:
    """How many times the form is read while ``text`` is typed into its Label."""
    reads = 0
    real_state = window.form.state

    def counted_state() -> FormState:
        nonlocal reads
        reads += 1
        return real_state()

    with monkeypatch.context() as patch:
        patch.setattr(window.form, "state", counted_state)
        type_into(qtbot, window, "Label", text)
    return reads


def test_typing_in_a_restored_form_never_sent_reads_it_no_more_than_a_new_one(
    qtbot, fresh_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ready_window(qtbot, fresh_sandbox)
    fill_form(qtbot, first, target_id=candidate_id(fresh_sandbox, 6), url=URL)
    # Typed from scratch: what any form costs at each key.
    typed_new = reads_while_typing(qtbot, first, monkeypatch, " (retake)")
    assert typed_new > 0
    typed = first.form.state()
    first.close()
    draft = json.loads(DraftStore().path.read_text("utf-8"))
    assert draft["form"]["sent"] == []

    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(
        lambda: again.form.state() == typed and not again.form.is_checking(), timeout=WAIT_MS
    )
    outcome = again.response.findChild(QLabel, "outcomeText")
    assert outcome is not None
    assert outcome.text() == USUAL_IDLE_TEXT
    typed_restored = reads_while_typing(qtbot, again, monkeypatch, " (retake)")

    assert typed_restored == typed_new
    assert again.form.state().label == "Assessment Result (retake) (retake)"
