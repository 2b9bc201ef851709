"""A large form comes back after a restart; one too large to keep is said while it is there.

Another ATS's remote fields, pasted as JSON, may take megabytes, and inside the draft each
of its quotes and line breaks takes a backslash more. Whatever the draft store writes, the
next start reads back. A form too large for a draft is refused when it is saved, the
draft saved before stays, and the window says so then, not nothing at the next start.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import MAX_DRAFT_BYTES, DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.draft_keeper import DraftKeeper
from tests.draft_support import damaged_drafts, restored_window
from tests.main_window_support import WAIT_MS, paste_remote_json, type_into

#: Short, so that the debounce does not slow the tests down.
DELAY_MS = 10


def other_ats_fields_json(questions: int) -> str:
    """Another ATS's screening answers as remote fields JSON, indented as copied from its
    documentation: about 75 bytes a question, a quarter of them quotes and line breaks."""
    members = {f"question_{i}": {"id": f"q{i}", "answer": "yes"} for i in range(questions)}
    return json.dumps({"smartrecruiters": {"screening": members}}, indent=2)


#: About 3.6 MB as typed, over 4 MB once written inside a draft.
LARGE_JSON_QUESTIONS = 48_000


def too_large_form() -> FormState:
    """A form whose draft would be larger than any the store saves (its remote fields
    alone are)."""
    notes = json.dumps({"notes": "x" * MAX_DRAFT_BYTES})
    return FormState(label="Too large", remote_fields=RemoteFieldsInput(raw_json=notes))


def test_a_form_with_a_large_remote_fields_json_comes_back_after_a_restart(
    qtbot: QtBot,
) -> None:
    large = other_ats_fields_json(LARGE_JSON_QUESTIONS)
    window = restored_window(qtbot)
    type_into(qtbot, window, "Label", "Coding test")
    paste_remote_json(qtbot, window, large)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Target ID", "cand-1")
    window.close()

    again = restored_window(qtbot)
    restored = again.form.state()
    again.close()
    assert damaged_drafts(DraftStore().path) == []
    assert (restored.label, restored.target_id) == ("Coding test", "cand-1")
    assert restored.remote_fields.raw_json == large


def test_whatever_the_store_saves_it_loads_back(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    large = other_ats_fields_json(LARGE_JSON_QUESTIONS)
    state = FormState(label="Coding test", remote_fields=RemoteFieldsInput(raw_json=large))
    store.save(state)
    assert store.load() == state
    assert damaged_drafts(store.path) == []


def test_a_form_too_large_for_a_draft_is_refused_and_the_draft_before_stays(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    before = FormState(label="Coding test", target_id="cand-1")
    store.save(before)
    kept = store.path.read_bytes()
    with pytest.raises(ValueError, match="more than"):
        store.save(too_large_form())
    # Nothing the next start would refuse was written: the draft before comes back.
    assert store.path.read_bytes() == kept
    assert store.load() == before
    assert sorted(item.name for item in tmp_path.iterdir()) == ["draft.json"]


def test_a_form_too_large_for_a_draft_is_said_when_it_is_saved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    keeper = DraftKeeper(store, too_large_form, delay_ms=DELAY_MS)
    try:
        with qtbot.waitSignal(keeper.saveFailed, timeout=WAIT_MS) as failed:
            keeper.schedule()
    finally:
        keeper.close()
    [said] = failed.args
    assert said.startswith("The draft was not saved: the form is too large to keep (")
    assert "a draft holds up to 16 MB" in said
    assert said.endswith("The form as it is now will not come back after a restart.")
    assert not store.path.exists()
