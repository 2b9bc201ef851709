"""A large draft is written as before, byte for byte, comes back whole, and the check of
whether the file still holds the form answers as before.

The draft of a form with megabytes of remote-fields JSON is written in pieces, and a file
this store wrote is recognised by its bytes rather than parsed again: neither may change
what is on disk or what the check says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kombo_desktop.core.connection import KEY_REMOVED
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from tests.draft_support import write_draft

KEY = "ks_prod_A1b2C3d4E5f6G7h8I9j0"


def remote_fields(members: int) -> str:
    """Another ATS's fields as pasted: quotes, line breaks, text of other alphabets, a
    control character escaped, a key among them."""
    fields = {
        f"field_{i}": {"label": f"Frage “{i}”\tß", "note": "webhooks_prod_eu"}
        for i in range(members)
    }
    fields["token"] = {"value": KEY, "glued": "seeks_prod_A1b2C3d4E5f6G7h8I9"}
    return json.dumps({"personio": fields}, indent=2, ensure_ascii=False) + "\x01\n"


def form(members: int, label: str = "Coding test") -> FormState:
    return FormState(
        label=label,
        target_id="cand-1",
        attributes=(("Score", "97%"), ("Key", KEY)),
        remote_fields=RemoteFieldsInput(raw_json=remote_fields(members)),
    )


@pytest.mark.parametrize("members", [0, 3, 30_000])
def test_the_draft_is_the_json_of_the_form_without_its_keys_byte_for_byte(
    tmp_path: Path, members: int
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    state = form(members)
    store.save(state)
    written = store.path.read_bytes()
    document = json.loads(written)
    assert written == (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    assert KEY not in written.decode()
    assert document["form"]["remote_fields"]["raw_json"] == state.remote_fields.raw_json.replace(
        KEY, KEY_REMOVED
    ).replace("seeks_prod_A1b2C3d4E5f6G7h8I9", "see" + KEY_REMOVED)
    assert document["form"]["attributes"] == [["Score", "97%"], ["Key", KEY_REMOVED]]


@pytest.mark.parametrize("members", [3, 30_000])
def test_the_draft_comes_back_as_saved(tmp_path: Path, members: int) -> None:
    store = DraftStore(tmp_path / "draft.json")
    store.save(form(members))
    restored = DraftStore(store.path).load()
    assert restored is not None
    assert restored.label == "Coding test"
    assert KEY not in restored.remote_fields.raw_json
    assert json.loads(restored.remote_fields.raw_json.rstrip("\x01\n")) == json.loads(
        remote_fields(members)
        .rstrip("\x01\n")
        .replace(KEY, KEY_REMOVED)
        .replace("seeks_prod_A1b2C3d4E5f6G7h8I9", "see" + KEY_REMOVED)
    )


def test_the_file_holds_the_form_saved_and_no_other(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    state = form(30_000)
    store.save(state)
    assert store.holds(state)
    assert not store.holds(form(30_000, label="Another label"))
    assert not store.holds(form(29_999))
    # Read by another store (another window on the same files): the same answers.
    assert DraftStore(store.path).holds(state)
    assert not DraftStore(store.path).holds(form(30_000, label="Another label"))


def test_a_draft_written_since_by_another_window_is_seen(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    state = form(30_000)
    store.save(state)
    DraftStore(store.path).save(form(30_000, label="Typed in the other window"))
    assert not store.holds(state)
    DraftStore(store.path).save(state)
    assert store.holds(state)


def test_a_draft_changed_or_damaged_on_disk_no_longer_holds_the_form(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    state = form(30_000)
    store.save(state)
    written = store.path.read_bytes()
    store.path.write_bytes(written.replace(b'"Coding test"', b'"Coding text"'))
    assert not store.holds(state)
    store.path.write_bytes(written[: len(written) // 2])
    assert not store.holds(state)
    store.path.write_bytes(written)
    assert store.holds(state)
    store.path.unlink()
    assert not store.holds(state)


def test_a_restored_draft_is_held_and_a_newer_versions_is_still_set_aside(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    state = form(30_000)
    store.save(state)
    again = DraftStore(store.path)
    restored = again.load()
    assert restored is not None
    assert again.holds(restored)
    assert again.save(restored) is None  # its own version's draft: written over

    newer = {"format": "kombo-desktop-draft", "version": 2, "form": restored.to_dict()}
    write_draft(store.path, newer)
    reader = DraftStore(store.path)
    understood = reader.load()
    assert understood == restored
    assert reader.holds(understood)
    backup = reader.save(understood)
    assert backup is not None
    assert json.loads(backup.read_bytes()) == newer
