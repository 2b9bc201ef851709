"""Drafts on disk: written atomically, owner-only, never with a key, tolerant when damaged."""

from __future__ import annotations

import json
import stat
import threading

from kombo_desktop.core import paths
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput


def sample() -> FormState:
    return FormState(
        target_kind=TargetKind.APPLICATION,
        target_id="app-1",
        label="Assessment Result",
        url="https://example.com/r/1",
        prefix="Acme:",
        attributes=(("Score", "97%"), ("", "")),
        remote_fields=RemoteFieldsInput(icims_assessment_package_id="pkg"),
    )


def test_saved_draft_loads_back_equal():
    store = DraftStore()
    store.save(sample())
    assert store.load() == sample()


def test_default_location_is_the_data_directory():
    assert DraftStore().path == paths.data_dir() / "draft.json"


def test_no_draft_is_none():
    assert DraftStore().load() is None


def test_draft_file_is_owner_only_json():
    store = DraftStore()
    store.save(sample())
    mode = stat.S_IMODE(store.path.stat().st_mode)
    assert mode == 0o600
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["format"] == "kombo-desktop-draft"
    assert document["form"]["label"] == "Assessment Result"


def test_a_damaged_draft_is_set_aside_not_lost(tmp_path):
    store = DraftStore(tmp_path / "draft.json")
    store.path.write_text('{"format": "kombo-desktop-draft", "form": {"label": "half', "utf-8")
    assert store.load() is None
    [aside] = tmp_path.glob("draft.json.damaged-*")
    assert aside.read_text("utf-8").startswith('{"format"')
    assert not store.path.exists()
    store.save(sample())  # the next save works as usual
    assert store.load() == sample()

    # A second damaged draft is set aside too, without replacing the first one.
    store.path.write_text("not json", "utf-8")
    assert store.load() is None
    kept = sorted(path.read_text("utf-8") for path in tmp_path.glob("draft.json.damaged-*"))
    assert kept == sorted(['{"format": "kombo-desktop-draft", "form": {"label": "half', "not json"])


def test_foreign_json_is_not_taken_for_a_draft(tmp_path):
    store = DraftStore(tmp_path / "draft.json")
    store.path.write_text('{"label": "not ours"}', "utf-8")
    assert store.load() is None


def test_binary_garbage_is_tolerated(tmp_path):
    store = DraftStore(tmp_path / "draft.json")
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    assert store.load() is None


def test_a_draft_saved_again_in_notepad_is_restored(tmp_path):
    store = DraftStore(tmp_path / "draft.json")
    store.save(sample())
    # Notepad saves "UTF-8 with BOM" (a byte-order mark first) with Windows line endings.
    text = store.path.read_text(encoding="utf-8").replace("\n", "\r\n")
    store.path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert store.holds(sample())
    assert store.load() == sample()
    assert list(tmp_path.glob("draft.json.damaged-*")) == []


def test_concurrent_saves_never_leave_a_torn_file(tmp_path):
    store = DraftStore(tmp_path / "draft.json")
    states = [FormState(label=f"label {i}" * 50) for i in range(30)]
    errors: list[BaseException] = []

    def writer(state: FormState) -> None:
        try:
            store.save(state)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(s,)) for s in states]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert store.load() in states


def test_clear_removes_the_draft():
    store = DraftStore()
    store.save(sample())
    store.clear()
    store.clear()
    assert store.load() is None


def test_a_draft_nested_too_deeply_to_be_read_is_set_aside_as_any_damaged_one(tmp_path):
    # Brackets opened thousands of times over are damage: read as such, not raised.
    store = DraftStore(tmp_path / "draft.json")
    store.path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    assert not store.holds(sample())
    assert store.load() is None
    assert not store.path.exists()
    [aside] = tmp_path.glob("draft.json.damaged-*")
    assert aside.stat().st_size == 400_000
