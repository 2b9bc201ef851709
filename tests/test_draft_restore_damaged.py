"""A draft that cannot be restored at start is said in the window, and stays few once set aside.

A draft cut short (the computer stopped while it was written), too large, not JSON or not
text is moved aside rather than deleted: the window opens empty, and says why and which
file keeps the last session's work, in the status bar, on the response panel (which stays)
and to a screen reader. A draft damaged at each start does not fill the folder: only the
few set aside last are kept, as for the profiles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import MAX_DRAFT_BYTES, DraftStore
from tests.draft_support import damaged_drafts, restored_window, set_aside
from tests.main_window_support import type_into

#: How many damaged drafts set aside are kept, as for the profiles: "the five set aside last".
KEPT = 5

#: A draft as the app writes it, cut short inside the label.
CUT_SHORT = b'{"format": "kombo-desktop-draft", "version": 1, "form": {"label": "Cod'


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(CUT_SHORT, "it is incomplete", id="cut-short"),
        pytest.param(
            b'{"format": "kombo-desktop-draft",, }', "it is not valid JSON", id="not-json"
        ),
        pytest.param(b"PK\x03\x04\x80\x81\xfe", "it is not a text file", id="not-text"),
        pytest.param(b" " * (MAX_DRAFT_BYTES + 1), "it is too large to be a draft", id="too-large"),
        pytest.param(b'{"label": "Coding test"}', "it is not a Kombo Desktop draft", id="foreign"),
    ],
)
def test_a_draft_that_cannot_be_restored_is_said_with_the_file_that_keeps_it(
    qtbot: QtBot, heard: list[tuple[Any, str]], content: bytes, reason: str
) -> None:
    path = DraftStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    window = restored_window(qtbot)
    [aside] = damaged_drafts(path)
    assert aside.read_bytes() == content  # kept whole, where the window says
    said = (
        f"The draft from your last session could not be restored: {reason}. It was kept as "
        f"{aside.name} in {aside.parent}, and the form starts empty."
    )
    assert window.statusBar().currentMessage() == said
    assert window.response.summary_text() == said
    assert window.response.accessibleDescription() == said
    assert [text for _, text in heard].count(said) == 1
    assert window.form.state().is_empty()

    # Typing in the empty form leaves the words on the panel, to be read at any time.
    type_into(qtbot, window, "Label", "Coding test")
    assert window.response.summary_text() == said
    window.close()


def test_drafts_damaged_at_each_start_keep_only_the_ones_set_aside_last(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    written: list[bytes] = []
    for turn in range(1, 3 * KEPT):
        written.append(CUT_SHORT + f" turn {turn}".encode())
        store.path.write_bytes(written[-1])
        assert store.load() is None
        assert len(damaged_drafts(store.path)) == min(turn, KEPT)
    assert [item.read_bytes() for item in damaged_drafts(store.path)] == written[-KEPT:]

    # The very same damage again (a folder kept in sync puts it back): one file, not two.
    store.path.write_bytes(written[-1])
    assert store.load() is None
    assert [item.read_bytes() for item in damaged_drafts(store.path)] == written[-KEPT:]


def test_only_damaged_drafts_the_app_set_aside_are_ever_removed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "draft.json")
    # Named by a person, a newer version's draft, the profiles', the demo's: none of them
    # is this draft set aside as damaged.
    others = {
        "draft.json.damaged-keep-this": b"mine",
        "draft.json.damaged-20300101-000000.bak": b"a copy",
        "draft.json.newer-version-20200101-000000": b"{}",
        "profiles.json.damaged-20200101-000000": b"{",
        "demo-draft.json.damaged-20200101-000000": b"the demo's",
    }
    for name, data in others.items():
        (tmp_path / name).write_bytes(data)
    for turn in range(1, KEPT + 3):
        store.path.write_bytes(CUT_SHORT + f" turn {turn}".encode())
        assert store.load() is None
    assert len(damaged_drafts(store.path)) - 2 == KEPT  # the two a person named stay too
    assert set_aside(store.path) == [tmp_path / "draft.json.newer-version-20200101-000000"]
    for name, data in others.items():
        assert (tmp_path / name).read_bytes() == data, name
