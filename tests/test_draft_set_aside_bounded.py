"""Newer versions' drafts set aside stay few, however often two versions take turns.

Two versions opened in turn on one home folder set a newer version's draft aside at each
turn. The latest one set aside is always kept whole and named in the window; the very
same draft set aside again replaces its earlier copy; of the others only the few set
aside last are kept. Files a person named otherwise, the
demo's drafts and damaged drafts are never touched. Through the store, and through the
real window.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from tests.draft_support import restored_window, set_aside, write_draft
from tests.main_window_support import WAIT_MS

#: How many drafts set aside are kept, as the README says: "the five set aside last".
KEPT = 5


def newer_draft(turn: int, *, saved_at: str | None = None) -> dict[str, Any]:
    """A draft as a later version writes it at ``turn``: a form typed in it, a member of
    the form this version cannot show, and one of the file it does not read."""
    return {
        "format": "kombo-desktop-draft",
        "version": 99,
        "saved_at": saved_at or f"2030-01-{turn:02d}T00:00:00+00:00",
        "form": {
            "target_id": f"cand-{turn}",
            "label": f"Typed in the newer version, turn {turn}",
            "forms": [{"label": "second tab"}],
        },
        "layout": {"tabs": 2},
    }


def kept_bytes(path: Path) -> set[bytes]:
    """What the drafts set aside beside ``path`` hold."""
    return {item.read_bytes() for item in set_aside(path)}


# ---- the store ------------------------------------------------------------------------


def test_versions_taking_turns_keep_only_the_drafts_set_aside_last(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    written: list[bytes] = []
    for turn in range(1, 3 * KEPT):
        # The newer version saved its form; this one is opened and typed in.
        written.append(write_draft(store.path, newer_draft(turn)))
        assert store.load() == FormState(
            target_id=f"cand-{turn}", label=f"Typed in the newer version, turn {turn}"
        )
        typed = FormState(label=f"Typed in this version, turn {turn}")
        backup = store.save(typed)
        assert backup is not None
        # The one just set aside is kept whole, where the window says it is.
        assert backup.read_bytes() == written[-1]
        assert backup in set_aside(store.path)
        assert len(set_aside(store.path)) == min(turn, KEPT)
        assert store.load() == typed
    # The ones kept are the newer version's last drafts, each whole.
    assert kept_bytes(store.path) == set(written[-KEPT:])
    assert sorted(item.name for item in tmp_path.iterdir()) == sorted(
        ["draft.json"] + [item.name for item in set_aside(store.path)]
    )


def test_the_same_draft_set_aside_again_replaces_its_earlier_copy(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    typed = FormState(label="Typed in this version")
    same = write_draft(store.path, newer_draft(1))
    first = store.save(typed)
    # The very same draft is back (put back by hand, or by a folder kept in sync).
    write_draft(store.path, newer_draft(1))
    again = store.save(typed)
    assert first is not None
    assert again is not None
    assert set_aside(store.path) == [again]  # the name the window gives now
    assert not first.exists()
    assert again.read_bytes() == same

    # Saved again by the newer version, it is another draft, if only by when it was saved.
    later = write_draft(store.path, newer_draft(1, saved_at="2030-02-01T00:00:00+00:00"))
    assert store.save(typed) is not None
    assert kept_bytes(store.path) == {same, later}
    # Written otherwise, even as JSON that says the same: kept apart, the earlier one too.
    document = newer_draft(1)
    respaced = json.dumps(document).encode("utf-8")
    store.path.write_bytes(respaced)
    assert store.save(typed) is not None
    assert kept_bytes(store.path) == {same, later, respaced}


def test_only_files_set_aside_by_the_app_are_ever_removed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    # Named by a person, the demo's, damaged ones: none of them is this draft's set aside.
    others = {
        "draft.json.newer-version-keep-this": b"mine",
        "draft.json.newer-version-20300101-000000.bak": b"a copy",
        "draft.json.damaged-20200101-000000": b"{",
        "demo-draft.json.newer-version-20200101-000000": b"the demo's",
        "notes.txt": b"notes",
    }
    for name, data in others.items():
        (tmp_path / name).write_bytes(data)
    for turn in range(1, KEPT + 3):
        write_draft(store.path, newer_draft(turn))
        assert store.save(FormState(label="here")) is not None
    assert len(set_aside(store.path)) - 2 == KEPT  # the two a person named stay too
    for name, data in others.items():
        assert (tmp_path / name).read_bytes() == data, name


def test_the_draft_just_set_aside_is_kept_even_when_the_clock_went_back(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    # Set aside at times still to come: the clock was ahead then.
    ahead = []
    for day in range(1, KEPT + 1):
        item = tmp_path / f"draft.json.newer-version-209901{day:02d}-120000"
        item.write_bytes(json.dumps(newer_draft(day)).encode())
        ahead.append(item)
    now = write_draft(store.path, newer_draft(40))
    backup = store.save(FormState(label="here"))
    assert backup is not None
    assert backup.read_bytes() == now
    # Kept: the one just set aside, and the latest names before it.
    assert set_aside(store.path) == sorted([backup, *ahead[1:]])


def test_a_draft_set_aside_that_cannot_be_removed_does_not_stop_the_save(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    # The oldest name is a folder holding a file: it cannot be removed as a file is.
    stuck = tmp_path / "draft.json.newer-version-20000101-000000"
    stuck.mkdir()
    (stuck / "inside").write_text("kept")
    for turn in range(1, KEPT + 2):
        write_draft(store.path, newer_draft(turn))
        typed = FormState(label=f"turn {turn}")
        assert store.save(typed) is not None
        assert store.load() == typed
    assert (stuck / "inside").read_text() == "kept"
    assert len([item for item in set_aside(store.path) if item.is_file()]) == KEPT


def test_a_draft_set_aside_that_cannot_be_read_is_never_taken_for_a_copy(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    write_draft(store.path, newer_draft(1))
    first = store.save(FormState(label="here"))
    assert first is not None
    os.chmod(first, 0)
    try:
        if os.access(first, os.R_OK):
            pytest.skip("the superuser reads a file whatever its permissions")
        write_draft(store.path, newer_draft(1))
        second = store.save(FormState(label="here"))
        assert second is not None
        assert set_aside(store.path) == sorted([first, second])
    finally:
        os.chmod(first, 0o600)


# ---- the window -----------------------------------------------------------------------


def test_windows_of_two_versions_in_turn_leave_few_drafts_set_aside(qtbot: QtBot) -> None:
    path = DraftStore().path
    written: list[bytes] = []
    for turn in range(1, KEPT + 3):
        # The newer version's turn: it leaves its draft.
        written.append(write_draft(path, newer_draft(turn)))
        # This version's turn: the draft is restored, typed in, set aside (said so).
        window = restored_window(qtbot)
        told: list[str] = []
        window.drafts.setAside.connect(told.append)
        with qtbot.waitSignal(window.drafts.setAside, timeout=WAIT_MS):
            QTest.keyClicks(window.form.label, " (edited)")
        window.close()
        [said] = told
        named = Path(said.split(" was set aside as ")[1].split(", so that")[0])
        assert named.read_bytes() == written[-1]  # the file the window names is there
        assert len(set_aside(path)) == min(turn, KEPT)
    assert kept_bytes(path) == set(written[-KEPT:])

    # The very same draft is back: the next turn adds no file.
    path.write_bytes(written[-1])
    window = restored_window(qtbot)
    with qtbot.waitSignal(window.drafts.setAside, timeout=WAIT_MS):
        QTest.keyClicks(window.form.label, " (edited)")
    window.close()
    assert kept_bytes(path) == set(written[-KEPT:])
    assert len(set_aside(path)) == KEPT
