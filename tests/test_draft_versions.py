"""A draft a newer version of Kombo Desktop wrote is never written over by this one.

After going back to an older version (or with two versions sharing one home folder), the
form is restored as far as this version understands it; the newer file is left as it was
while nothing is typed, and set aside under a name that says whose it is (said once) when
this version saves a form of its own. Through the store, and through the real window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from tests.draft_support import restored_window, set_aside, write_draft
from tests.main_window_support import WAIT_MS

#: A draft as a later version might write it: a version this one does not know, a member
#: of the form it cannot show (a second tab) and one of the file it does not read.
NEWER_DRAFT: dict[str, Any] = {
    "format": "kombo-desktop-draft",
    "version": 99,
    "saved_at": "2030-01-01T00:00:00+00:00",
    "form": {
        "target_kind": "candidate",
        "target_id": "cand-42",
        "label": "Typed in the newer version",
        "forms": [{"label": "second tab"}],
    },
    "layout": {"tabs": 2},
}
#: What this version understands of ``NEWER_DRAFT``.
UNDERSTOOD = FormState(target_id="cand-42", label="Typed in the newer version")


def everything_beside(path: Path) -> list[str]:
    """The names of the drafts (and any of their temporary files) beside ``path``."""
    return sorted(item.name for item in path.parent.glob(f"*{path.name}*"))


# ---- the store ------------------------------------------------------------------------


def test_a_newer_versions_draft_restores_what_this_version_knows_and_holds_it(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    on_disk = write_draft(store.path, NEWER_DRAFT)
    restored = store.load()
    assert restored == UNDERSTOOD
    # Saving that back would add nothing and lose the rest: the file counts as holding it.
    assert store.holds(UNDERSTOOD)
    assert not store.holds(FormState(target_id="cand-42", label="Changed here"))
    assert store.path.read_bytes() == on_disk
    assert everything_beside(store.path) == ["draft.json"]


def test_saving_over_a_newer_versions_draft_sets_it_aside_whole_under_its_own_name(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    first = write_draft(store.path, NEWER_DRAFT)
    typed = FormState(target_id="cand-42", label="Typed in this version")
    backup = store.save(typed)
    assert backup is not None
    assert set_aside(store.path) == [backup]
    assert backup.read_bytes() == first  # every part of it, as the newer version wrote it
    assert store.load() == typed
    # This version's own draft is written over as usual: nothing more is set aside.
    assert store.save(FormState(label="again")) is None
    assert set_aside(store.path) == [backup]

    # The newer version wrote again (the two take turns): that one gets a name of its own.
    second = write_draft(store.path, {**NEWER_DRAFT, "saved_at": "2030-01-02T00:00:00+00:00"})
    other = store.save(typed)
    assert other is not None
    assert other != backup
    assert sorted(path.read_bytes() for path in set_aside(store.path)) == sorted([first, second])
    assert list(tmp_path.glob("draft.json.damaged-*")) == []


def test_a_newer_draft_this_version_cannot_read_is_kept_not_called_damaged(
    tmp_path: Path,
) -> None:
    # A later format may hold the form in another shape altogether.
    store = DraftStore(tmp_path / "draft.json")
    document = {"format": "kombo-desktop-draft", "version": 2, "form": [{"label": "tab 1"}]}
    on_disk = write_draft(store.path, document)
    assert store.load() == FormState()  # nothing this version can show
    assert store.holds(FormState())
    assert store.path.read_bytes() == on_disk
    assert everything_beside(store.path) == ["draft.json"]


def test_only_a_later_version_is_set_aside_others_are_written_over_as_before(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "draft.json")
    form = {"label": "old", "target_id": "cand-1"}
    # No version, one that is not a number, this version's, an earlier one: read as
    # this version's draft, and written over when the form changes.
    for version in (None, "99", "two", True, [2], 1, 0):
        document: dict[str, Any] = {"format": "kombo-desktop-draft", "form": form}
        if version is not None:
            document["version"] = version
        write_draft(store.path, document)
        assert store.load() == FormState(label="old", target_id="cand-1"), version
        assert not store.holds(FormState(label="old", target_id="cand-1", prefix="x"))
        assert store.save(FormState(label="new")) is None, version
        assert store.load() == FormState(label="new")
    assert everything_beside(store.path) == ["draft.json"]
    # The next version is a later one.
    write_draft(store.path, {"format": "kombo-desktop-draft", "version": 2, "form": form})
    assert store.save(FormState(label="new")) is not None
    assert len(set_aside(store.path)) == 1


# ---- the window -----------------------------------------------------------------------


def test_opening_and_closing_leaves_a_newer_versions_draft_as_it_was(qtbot: QtBot) -> None:
    path = DraftStore().path
    on_disk = write_draft(path, NEWER_DRAFT)
    window = restored_window(qtbot)
    assert window.form.state() == UNDERSTOOD  # what this version knows is shown
    window.close()
    assert path.read_bytes() == on_disk
    assert everything_beside(path) == ["draft.json"]


def test_a_newer_draft_with_nothing_to_show_is_left_alone_by_a_window(qtbot: QtBot) -> None:
    path = DraftStore().path
    on_disk = write_draft(
        path, {"format": "kombo-desktop-draft", "version": 2, "form": [{"label": "tab 1"}]}
    )
    window = restored_window(qtbot)
    assert window.form.state().is_empty()
    window.close()
    assert path.read_bytes() == on_disk
    assert everything_beside(path) == ["draft.json"]


def test_typing_over_a_newer_draft_sets_it_aside_says_so_once_and_keeps_the_typing(
    qtbot: QtBot,
) -> None:
    path = DraftStore().path
    on_disk = write_draft(path, NEWER_DRAFT)
    window = restored_window(qtbot)
    told: list[str] = []
    window.drafts.setAside.connect(told.append)

    with qtbot.waitSignal(window.drafts.setAside, timeout=WAIT_MS):
        QTest.keyClicks(window.form.label, " (edited)")
    [backup] = set_aside(path)
    assert backup.read_bytes() == on_disk  # the newer version's draft, whole
    assert told == [
        f"The draft saved by a newer version of Kombo Desktop was set aside as {backup}, "
        "so that nothing in it is lost. This version saves your form as usual."
    ]
    assert window.statusBar().currentMessage() == told[0]  # shown until another message

    # Typing on writes this version's draft as usual, and says nothing more.
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        QTest.keyClicks(window.form.label, "!")
    window.close()
    assert len(told) == 1
    assert set_aside(path) == [backup]

    # After a restart, this version restores what was typed in it.
    again = restored_window(qtbot)
    assert again.form.label.text() == "Typed in the newer version (edited)!"
    assert again.form.target_id.text() == "cand-42"
    again.close()
    assert set_aside(path) == [backup]
