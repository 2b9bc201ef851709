"""Profile names that look the same are one name: an invisible character pasted along (a
zero-width space, a byte-order mark) or an accent typed another way (``é`` as one
character or as ``e`` and a combining accent) makes no second profile that nobody can
tell from the first. A name is kept as it is seen."""

from __future__ import annotations

import json
import unicodedata

import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    FILE_FORMAT,
    ProfileStore,
    build_profile,
    default_profiles_path,
)
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import cli, output
from tests.keyring_support import require_real_secret_service
from tests.profiles_support import TIMEOUT, add_profile, click, show_dialog, type_into, widget

CAFE = unicodedata.normalize("NFC", "Café Müller")
CAFE_DECOMPOSED = unicodedata.normalize("NFD", "Café Müller")
ZWSP, BOM, WORD_JOINER, ZWNJ, ZWJ = "\u200b", "\ufeff", "\u2060", "\u200c", "\u200d"

LOOK_ALIKES = [
    ("Acme GmbH", f"Acme GmbH{ZWSP}"),
    ("Acme GmbH", f"Acme{ZWSP} GmbH"),
    ("Acme GmbH", f"{BOM}Acme GmbH"),
    ("Acme GmbH", f"Ac{WORD_JOINER}me GmbH"),
    (CAFE, CAFE_DECOMPOSED),
    (CAFE_DECOMPOSED, f"{CAFE.upper()}{ZWSP}"),
]


@pytest.mark.parametrize(("saved", "typed"), LOOK_ALIKES)
def test_a_name_that_looks_like_a_saved_one_is_refused(saved: str, typed: str) -> None:
    store = ProfileStore()
    add_profile(store, saved)
    with pytest.raises(InputError) as refused:
        store.checked_profile(name=typed, integration_id=DEMO_INTEGRATION_ID, region="eu")
    assert refused.value.fields == ("profile_name",)
    assert "is already the name of a profile" in refused.value.errors[0].message


@pytest.mark.parametrize(("saved", "typed"), LOOK_ALIKES)
def test_a_name_that_looks_like_a_saved_one_finds_it(saved: str, typed: str) -> None:
    store = ProfileStore()
    profile = add_profile(store, saved)
    assert store.find_by_name(typed) == profile
    assert ProfileStore().require_by_name(typed).id == profile.id


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{BOM}Acme GmbH{ZWSP}", "Acme GmbH"),
        (f"Acme{ZWSP} GmbH", "Acme GmbH"),
        (f"Acme {ZWSP} GmbH", "Acme GmbH"),
        (CAFE_DECOMPOSED, CAFE),
    ],
)
def test_a_name_is_kept_as_it_is_seen(typed: str, kept: str) -> None:
    profile = ProfileStore().add_profile(
        build_profile(name=typed, integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    assert profile.name == kept
    assert ProfileStore().profiles()[0].name == kept


@pytest.mark.parametrize(
    "name",
    [
        f"می{ZWNJ}خواهم",  # Persian: the non-joiner keeps two letters apart
        f"Team 👩{ZWJ}💻",  # one emoji, a woman technologist, not two
    ],
)
def test_a_joiner_that_changes_how_a_name_looks_is_kept(name: str) -> None:
    profile = ProfileStore().add_profile(
        build_profile(name=name, integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    assert ProfileStore().profiles()[0].name == name == profile.name


def test_names_saved_with_invisible_characters_by_an_earlier_version_are_read_as_seen() -> None:
    path = default_profiles_path()
    path.parent.mkdir(parents=True)
    entries = [
        {"id": "p1", "name": "Acme GmbH", "region": "eu", "integration_id": DEMO_INTEGRATION_ID},
        {"id": "p2", "name": f"Acme{ZWSP} GmbH", "region": "eu", "integration_id": "lever:x1"},
        {"id": "p3", "name": f"Beta{ZWSP}", "region": "eu", "integration_id": "lever:x2"},
    ]
    document = {"format": FILE_FORMAT, "version": 1, "last_used_id": "p1", "profiles": entries}
    path.write_text(json.dumps(document), encoding="utf-8")

    result = ProfileStore().load()
    assert result.backup_path is None  # nothing damaged, nothing set aside
    # The second "Acme GmbH" is told apart as any clash in a file is, and the person told.
    assert sorted(p.name for p in result.profiles) == ["Acme GmbH", "Acme GmbH (2)", "Beta"]
    assert result.message is not None
    assert "“Acme GmbH (2)”" in result.message


@pytest.mark.parametrize("typed", [f"Acme GmbH{ZWSP}", f"Acme{ZWSP} GmbH"])
def test_manage_profiles_refuses_a_name_that_looks_like_a_saved_one(
    qtbot, worker, memory_keyring, typed: str
) -> None:
    store = ProfileStore()
    add_profile(store, "Acme GmbH")
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    click(qtbot, dialog, "Add profile")
    type_into(dialog, "Profile name", typed)
    type_into(dialog, "Integration ID", DEMO_INTEGRATION_ID)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(
        lambda: "already the name" in dialog.field_error("profile_name"), timeout=TIMEOUT
    )
    assert [p.name for p in ProfileStore().profiles()] == ["Acme GmbH"]


def test_manage_profiles_saves_an_accent_typed_another_way_as_it_is_seen(
    qtbot, worker, memory_keyring
) -> None:
    store = ProfileStore()
    dialog = show_dialog(qtbot, store, KeyStore(), worker)
    click(qtbot, dialog, "Add profile")
    type_into(dialog, "Profile name", f"{CAFE_DECOMPOSED}{ZWSP}")
    type_into(dialog, "Integration ID", DEMO_INTEGRATION_ID)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: dialog.status_text().startswith("Saved"), timeout=TIMEOUT)
    assert [p.name for p in ProfileStore().profiles()] == [CAFE]
    # The form shows the name as saved: no edit is left unsaved.
    assert widget(dialog, "Profile name", QLineEdit).text() == CAFE
    assert not dialog.has_unsaved_changes()


def test_the_command_line_refuses_a_name_that_looks_like_a_saved_one(app_home) -> None:
    require_real_secret_service()
    where = ["--integration-id", DEMO_INTEGRATION_ID, "--region", "eu"]
    first = cli(app_home, "profiles", "add", CAFE, *where, stdin=DEMO_API_KEY + "\n")
    assert first.returncode == 0, output(first)

    again = cli(app_home, "profiles", "add", CAFE_DECOMPOSED, *where, stdin="ks_dev_other1\n")
    assert again.returncode == 2, output(again)
    assert f"“{CAFE}” is already the name of a profile" in again.stderr
    pasted = cli(app_home, "profiles", "add", f"{CAFE}{ZWSP}", *where, stdin="ks_dev_other1\n")
    assert pasted.returncode == 2, output(pasted)
    assert [p.name for p in ProfileStore().profiles()] == [CAFE]
    removed = cli(app_home, "profiles", "remove", CAFE_DECOMPOSED)
    assert removed.returncode == 0, output(removed)
    assert ProfileStore().profiles() == []


def write_profiles_file(entries: list[dict[str, str]]) -> None:
    path = default_profiles_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": FILE_FORMAT, "version": 1, "last_used_id": None, "profiles": entries}
    path.write_text(json.dumps(document), encoding="utf-8")


#: "Acme", "Acme" with a zero-width space pasted along (one name now, two for an earlier
#: version), and "Acme (2)", a duplicate the person made and uses in scripts by that name.
ACME_TWICE_AND_ITS_DUPLICATE = [
    {"id": "a1", "name": "Acme", "region": "eu", "integration_id": "greenhouse:acmeOriginal1"},
    {"id": "b2", "name": f"Acme{ZWSP}", "region": "eu", "integration_id": "workday:pastedZwsp1"},
    {"id": "c3", "name": "Acme (2)", "region": "eu", "integration_id": "personio:duplicate01"},
]


def test_a_saved_numbered_name_still_names_its_own_profile() -> None:
    write_profiles_file(ACME_TWICE_AND_ITS_DUPLICATE)
    store = ProfileStore()
    result = store.load()
    found = store.find_by_name("Acme (2)")
    assert found is not None
    assert found.id == "c3"
    assert {p.id: p.name for p in store.profiles()} == {
        "a1": "Acme",
        "b2": "Acme (3)",
        "c3": "Acme (2)",
    }
    # Told once: the new name is saved, and the next start finds nothing to rename.
    assert result.message is not None
    assert "“Acme (3)”" in result.message
    again = ProfileStore()
    assert again.load().message is None
    assert {p.id: p.name for p in again.profiles()} == {p.id: p.name for p in store.profiles()}


def test_the_command_line_finds_the_numbered_profile_by_its_saved_name(app_home) -> None:
    write_profiles_file(ACME_TWICE_AND_ITS_DUPLICATE)
    result = cli(app_home, "profiles", "list")
    lines = [line for line in result.stdout.splitlines() if "Acme (2)" in line]
    assert lines, output(result)
    assert all("personio:duplicate01" in line for line in lines), output(result)
