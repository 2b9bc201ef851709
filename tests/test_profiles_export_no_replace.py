"""An export told not to replace a file never does, even one created while it is written:
whether anything is there is answered by the step that names the file, not asked before."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from kombo_desktop.core.atomic import copy_unless_there, create_unless_there, write_text_atomic
from kombo_desktop.core.profile_files import export_unless_there
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from tests.profiles_support import TIMEOUT, add_profile, answer_next_box, show_dialog

#: What another program left in a file the export could replace.
SOMEONE_ELSES = "notes kept by hand\n"

#: What the tests write through ``create_unless_there``.
EXPORTED = '{"profiles": []}\n'


def write_export(temp: Path) -> str:
    """Write ``EXPORTED`` to ``temp`` as an export is written (atomically, owner-only)."""
    write_text_atomic(temp, EXPORTED)
    return "written"


def names_in(folder: Path) -> list[str]:
    """Every name in ``folder``: a temporary file left behind shows here."""
    return sorted(path.name for path in folder.iterdir())


def test_a_file_is_created_where_nothing_is(tmp_path: Path) -> None:
    target = tmp_path / "acme-profiles.json"

    assert create_unless_there(target, write_export) == "written"

    assert target.read_text(encoding="utf-8") == EXPORTED
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert names_in(tmp_path) == ["acme-profiles.json"]


def test_a_file_there_is_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "acme-profiles.json"
    target.write_text(SOMEONE_ELSES, encoding="utf-8")

    assert create_unless_there(target, write_export) is None

    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES
    assert names_in(tmp_path) == ["acme-profiles.json"]


def test_a_link_that_leads_nowhere_is_there_too(tmp_path: Path) -> None:
    target = tmp_path / "acme-profiles.json"
    target.symlink_to(tmp_path / "gone.json")

    assert create_unless_there(target, write_export) is None

    assert target.is_symlink()
    assert names_in(tmp_path) == ["acme-profiles.json"]


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "acme-profiles.json"

    def fail(temp: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(temp))

    with pytest.raises(OSError, match="No space left"):
        create_unless_there(target, fail)

    assert names_in(tmp_path) == []


@pytest.mark.parametrize("replace", [False, True], ids=["unless-there", "replacing"])
@pytest.mark.parametrize("length", [240, 255])
def test_a_long_file_name_is_exported_as_a_short_one_is(
    tmp_path: Path, length: int, replace: bool
) -> None:
    # Names up to the longest a name may hold (255 bytes): the export's own temporary
    # file, and the one written beside that, are named after its start only. A name
    # typed with ".json" is written replacing what is there, through a temporary file too.
    add_profile(ProfileStore(), "Acme")
    target = tmp_path / "exports" / f"{'a' * (length - len('.json'))}.json"

    assert export_unless_there(ProfileStore(), target, replace=replace) == 1

    assert '"Acme"' in target.read_text(encoding="utf-8")
    assert names_in(target.parent) == [target.name]


def test_the_copy_made_without_hard_links_never_replaces(tmp_path: Path) -> None:
    source = tmp_path / "written.tmp"
    write_text_atomic(source, EXPORTED, mode=0o640)
    target = tmp_path / "acme-profiles.json"

    assert copy_unless_there(source, target) is True
    assert target.read_text(encoding="utf-8") == EXPORTED
    assert stat.S_IMODE(target.stat().st_mode) == 0o640

    target.write_text(SOMEONE_ELSES, encoding="utf-8")
    assert copy_unless_there(source, target) is False
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES


def test_a_file_system_without_hard_links_gets_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands in for a file system that refuses hard links (FAT, some network shares):
    # the one answer that no folder on this disk gives.
    def no_hard_links(_source: object, _target: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_hard_links)
    target = tmp_path / "acme-profiles.json"

    assert create_unless_there(target, write_export) == "written"
    assert target.read_text(encoding="utf-8") == EXPORTED

    target.write_text(SOMEONE_ELSES, encoding="utf-8")
    assert create_unless_there(target, write_export) is None
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES
    assert names_in(tmp_path) == ["acme-profiles.json"]


class HeldExport(ProfileStore):
    """The real store, whose exports wait, once begun, until ``go_on`` is set: long enough
    for another program to create the file the export is headed for."""

    def __init__(self) -> None:
        super().__init__()
        self.begun = threading.Event()
        self.go_on = threading.Event()

    def export_json(self, path: Path, profile_ids: list[str] | None = None) -> int:
        self.begun.set()
        self.go_on.wait(TIMEOUT / 1000)
        return super().export_json(path, profile_ids)


def test_a_file_created_while_the_window_exports_is_not_replaced(
    qtbot, worker, memory_keyring, tmp_path: Path
) -> None:
    add_profile(ProfileStore(), "Acme")
    store = HeldExport()
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    target = tmp_path / "acme-profiles.json"
    # A name typed without ".json": a file of the name with ".json" is not replaced unasked.
    with answer_next_box(qtbot, "confirmReplaceExport", "Cancel") as asked:
        dialog.export_to(target, replace=False)
        qtbot.waitUntil(store.begun.is_set, timeout=TIMEOUT)
        target.write_text(SOMEONE_ELSES, encoding="utf-8")
        store.go_on.set()
        qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)

    # Before: nothing was there when the export looked, so the file was replaced.
    assert target.read_text(encoding="utf-8") == SOMEONE_ELSES
    assert asked == [
        "“acme-profiles.json” already exists. Replace it?\n"
        f"“.json” was added to the name you typed. The file is in {tmp_path}."
    ]
    assert dialog.status_text() == (
        "Nothing was exported. “acme-profiles.json” was left as it was."
    )
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]
