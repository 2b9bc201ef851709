"""The profiles file: changes, stable ids, atomic writes, damaged files, import and export."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core import paths
from kombo_desktop.core.connection import Environment, Region
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    NO_KEY_NOTE,
    Profile,
    ProfileStore,
    build_profile,
    connection_for_profile,
    connection_for_profile_name,
    save_with_key,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from tests.keyring_support import MemoryKeyring
from tests.leakcheck import assert_no_file_contains

KEY = "ks_dev_storeTest_9f8e7d6c5b4a"


@pytest.fixture
def key_store(memory_keyring: MemoryKeyring) -> KeyStore:
    return KeyStore()


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore()


def file_document(store: ProfileStore) -> Any:
    """The file as JSON; fails if it is not valid, or if a temporary file was left behind."""
    leftovers = [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files left: {leftovers}"
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["format"] == "kombo-desktop-profiles"
    assert document["version"] == 1
    return document


def names_on_disk(store: ProfileStore) -> list[str]:
    return sorted(p["name"] for p in file_document(store)["profiles"])


def add(store: ProfileStore, name: str, integration_id: str, **fields: Any) -> Profile:
    """A new profile without a key, checked and saved as the window and the command line do."""
    checked = store.checked_profile(name=name, integration_id=integration_id, **fields)
    return store.add_profile(checked)


def rename(store: ProfileStore, key_store: KeyStore, profile: Profile, name: str) -> Profile:
    """What the window's Save does after only the name was edited: the key is left as is."""
    edited = store.checked_profile(
        name=name,
        integration_id=profile.integration_id,
        region=profile.region,
        base_url=profile.base_url,
        profile_id=profile.id,
        key_environment=profile.key_environment,
    )
    return save_with_key(store, key_store, edited, None, is_new=False)


def test_default_path_is_in_the_config_directory(store):
    assert store.path == paths.config_dir() / "profiles.json"


def test_profiles_are_listed_as_a_list_of_names_is_read(store):
    for name in ("Zeta GmbH", "Ärzte-Verband e.V.", "acme", "Beta", "Åland Partners"):
        add(store, name, f"workday:{len(name)}", region=Region.EU)
    # Before: by code point, the accented names after "Zeta".
    assert [p.name for p in store.profiles()] == [
        "acme",
        "Åland Partners",
        "Ärzte-Verband e.V.",
        "Beta",
        "Zeta GmbH",
    ]


def test_add_rename_duplicate_remove_each_write_a_valid_file(store, key_store, memory_keyring):
    acme = add(store, "Acme GmbH", "greenhouse:abc", region="eu")
    assert names_on_disk(store) == ["Acme GmbH"]
    key_store.set(acme.id, KEY)

    renamed = rename(store, key_store, acme, "Acme Europe")
    assert renamed.id == acme.id
    assert names_on_disk(store) == ["Acme Europe"]
    # The key belongs to the id, so the rename did not orphan it.
    assert KeyStore().get(acme.id) == KEY
    assert memory_keyring.passwords == {(SERVICE_NAME, acme.id): KEY}

    copy = store.duplicate(acme.id, key_store)
    assert copy.id != acme.id
    assert copy.name == "Acme Europe (2)"
    assert copy.integration_id == "greenhouse:abc"
    assert key_store.get(copy.id) == KEY
    assert names_on_disk(store) == ["Acme Europe", "Acme Europe (2)"]

    store.remove(acme.id, key_store)
    assert names_on_disk(store) == ["Acme Europe (2)"]
    assert key_store.get(acme.id) is None
    assert (SERVICE_NAME, acme.id) not in memory_keyring.passwords
    assert key_store.get(copy.id) == KEY
    # The file never holds a key.
    assert_no_file_contains(paths.config_dir(), KEY)


def test_a_second_store_sees_the_same_profiles_and_last_used(store):
    a = add(store, "A", "tool:1", region=Region.US)
    b = add(store, "B", "tool:2", base_url="http://127.0.0.1:9999/v1/")
    store.set_last_used(b.id)
    again = ProfileStore()
    assert again.load().message is None
    assert [p.name for p in again.profiles()] == ["A", "B"]
    assert again.get(a.id) == a
    again_b = again.get(b.id)
    assert again_b is not None
    assert again_b.base_url == "http://127.0.0.1:9999/v1"
    assert again_b.base_url_or_region_label == "http://127.0.0.1:9999/v1"
    assert a.base_url_or_region_label == "US"
    assert again.last_used_id == b.id
    assert file_document(store)["last_used_id"] == b.id


def test_removing_the_last_used_profile_forgets_it(store, key_store):
    profile = add(store, "A", "tool:1", region="eu")
    store.set_last_used(profile.id)
    store.remove(profile.id, key_store)
    assert store.last_used_id is None
    assert ProfileStore().last_used_id is None


def test_changes_from_another_process_are_not_overwritten(store):
    add(store, "From the window", "tool:1", region="eu")
    other = ProfileStore()
    add(other, "From the command line", "tool:2", region="eu")
    add(store, "Later in the window", "tool:3", region="eu")
    assert names_on_disk(store) == [
        "From the command line",
        "From the window",
        "Later in the window",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  ", "integration_id": "t:1", "region": "eu"}, "profile_name"),
        ({"name": "A\nB", "integration_id": "t:1", "region": "eu"}, "profile_name"),
        ({"name": "A", "integration_id": "", "region": "eu"}, "integration_id"),
        ({"name": "A", "integration_id": "t 1", "region": "eu"}, "integration_id"),
        ({"name": "A", "integration_id": "t:1"}, "region"),
        ({"name": "A", "integration_id": "t:1", "region": "mars"}, "region"),
        (
            {"name": "A", "integration_id": "t:1", "region": "eu", "base_url": "https://x.dev"},
            "region",
        ),
        ({"name": "A", "integration_id": "t:1", "base_url": "http://kombo.example"}, "base_url"),
        ({"name": "A", "integration_id": "t:1", "base_url": "https://x.dev/?q=1"}, "base_url"),
    ],
)
def test_invalid_profiles_are_refused_at_the_field(store, kwargs, field):
    name = kwargs.pop("name")
    integration_id = kwargs.pop("integration_id")
    with pytest.raises(InputError) as caught:
        add(store, name, integration_id, **kwargs)
    assert caught.value.message_for(field)
    assert store.profiles() == []
    assert not store.path.exists()


def test_names_are_unique_ignoring_case_and_spaces(store, key_store):
    first = add(store, "Acme GmbH", "t:1", region="eu")
    with pytest.raises(InputError) as caught:
        add(store, "  acme gmbh ", "t:2", region="us")
    assert "already" in str(caught.value.message_for("profile_name"))
    other = add(store, "Other", "t:3", region="eu")
    with pytest.raises(InputError) as caught:
        rename(store, key_store, other, "ACME GMBH")
    assert "already" in str(caught.value.message_for("profile_name"))
    # The store refuses it too, for an edit checked before another one took the name.
    with pytest.raises(InputError):
        store.update(replace(other, name="ACME GMBH"))
    assert store.get(other.id) == other
    # Renaming a profile to a new spelling of its own name is fine.
    assert rename(store, key_store, first, "ACME GmbH").name == "ACME GmbH"
    assert store.require_by_name("acme gmbh").id == first.id


def test_names_differing_only_in_the_spaces_between_words_are_one_name(store, key_store):
    first = add(store, "Acme GmbH", "t:1", region="eu")
    # Two look-alike rows in every list and no way to tell which one a command means.
    for look_alike in ("Acme  GmbH", " acme   gmbh ", "Acme \u00a0GmbH"):
        with pytest.raises(InputError) as caught:
            add(store, look_alike, "t:2", region="us")
        assert caught.value.message_for("profile_name") == (
            "“Acme GmbH” is already the name of a profile"
        )
    other = add(store, "Other", "t:3", region="eu")
    with pytest.raises(InputError):
        rename(store, key_store, other, "ACME    GMBH")
    assert names_on_disk(store) == ["Acme GmbH", "Other"]
    # Saved as one space, as the spaces around a name are dropped.
    assert add(store, "  Beta   Corp ", "t:4", region="eu").name == "Beta Corp"
    assert rename(store, key_store, first, "Acme   Europe").name == "Acme Europe"
    assert names_on_disk(store) == ["Acme Europe", "Beta Corp", "Other"]


def test_look_alike_names_in_a_file_are_told_apart_when_it_is_read(store):
    # As an older version or a hand edit may have left them.
    first = add(store, "Acme GmbH", "t:1", region="eu")
    second = add(store, "Second", "t:2", region="us")
    document = file_document(store)
    for entry in document["profiles"]:
        if entry["id"] == second.id:
            entry["name"] = "Acme  GmbH"
    store.path.write_text(json.dumps(document), encoding="utf-8")
    again = ProfileStore()
    # Said once, and written down, so that the new name is the one every later start and
    # the command line use.
    message = again.load().message
    assert message is not None
    assert "“Acme GmbH (2)”" in message
    assert [p.name for p in again.profiles()] == ["Acme GmbH", "Acme GmbH (2)"]
    assert again.require_by_name("acme  gmbh").id == first.id
    assert again.require_by_name("Acme GmbH (2)").id == second.id
    assert names_on_disk(store) == ["Acme GmbH", "Acme GmbH (2)"]
    assert ProfileStore().load().message is None


def test_import_counts_names_differing_only_in_spaces_as_the_same(store):
    add(store, "Acme GmbH", "greenhouse:abc", region="eu")
    incoming = {
        "format": "kombo-desktop-profiles-export",
        "version": 1,
        "profiles": [
            {"name": "Acme  GmbH", "region": "eu", "integration_id": "greenhouse:abc"},
            {"name": "acme   gmbh", "region": "us", "integration_id": "greenhouse:us"},
        ],
    }
    result = store.import_json(json.dumps(incoming))
    assert result.skipped == ("Acme GmbH",)
    assert [p.name for p in result.imported] == ["acme gmbh (2)"]
    assert names_on_disk(store) == ["Acme GmbH", "acme gmbh (2)"]


def test_garbage_bytes_are_set_aside_and_the_store_still_works(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"\x00\xff\xfe garbage \x80")
    result = store.load()
    assert result.profiles == ()
    assert result.message
    assert "not valid JSON" in result.message
    assert result.backup_path is not None
    assert result.backup_path.exists()
    assert result.backup_path.name.startswith("profiles.json.damaged-")
    assert result.backup_path.read_bytes() == b"\x00\xff\xfe garbage \x80"
    assert str(result.backup_path) in result.message
    assert store.load_result.message == result.message
    add(store, "Fresh", "t:1", region="eu")
    assert names_on_disk(store) == ["Fresh"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[1, 2, 3]", "not a JSON object"),
        ('{"profiles": []}', "not a Kombo Desktop profiles file"),
        ('{"format": "kombo-desktop-profiles", "profiles": []}', "no format version"),
        (
            '{"format": "kombo-desktop-profiles", "version": 99, "profiles": []}',
            "newer Kombo Desktop",
        ),
        ('{"format": "kombo-desktop-profiles", "version": 1, "profiles": {}}', "not a list"),
    ],
)
def test_wrong_shapes_are_set_aside_with_a_clear_message(store, content, words):
    store.path.parent.mkdir(parents=True)
    store.path.write_text(content, encoding="utf-8")
    result = ProfileStore().load()
    assert words in (result.message or "")
    # Said at start and while the app runs (a hand edit mid-session): not "started with".
    assert "and there are no profiles now" in (result.message or "")
    assert result.backup_path is not None
    assert result.backup_path.read_text(encoding="utf-8") == content
    assert not store.path.exists()


@pytest.mark.parametrize(
    "encoding",
    [
        "utf-8-sig",  # Notepad's "UTF-8 with BOM"
        "utf-16",  # PowerShell 5's `>` and `Out-File` without -Encoding
        "utf-32",
    ],
)
def test_a_file_edited_and_saved_in_notepad_keeps_its_profiles(store, encoding):
    add(store, "Acme", "t:1", region="eu")
    text = store.path.read_text(encoding="utf-8").replace('"Acme"', '"Acme EU"')
    # Saved on Windows: a byte-order mark first, Windows line endings.
    store.path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    result = ProfileStore().load()
    assert result.message is None
    assert result.backup_path is None
    assert [p.name for p in result.profiles] == ["Acme EU"]
    assert list(store.path.parent.glob("profiles.json.damaged-*")) == []
    add(ProfileStore(), "Beta", "t:2", region="eu")
    assert names_on_disk(store) == ["Acme EU", "Beta"]


def test_a_directory_in_place_of_the_file_is_set_aside(store):
    # Tests run as root, so an unreadable file is simulated with a directory.
    store.path.mkdir(parents=True)
    result = store.load()
    assert result.message
    assert "could not be read" in result.message
    assert result.backup_path is not None
    assert result.backup_path.is_dir()
    add(store, "Works", "t:1", region="eu")
    assert names_on_disk(store) == ["Works"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_an_unreadable_file_is_set_aside(store):
    add(store, "A", "t:1", region="eu")
    store.path.chmod(0)
    result = ProfileStore().load()
    assert result.message
    assert "could not be read" in result.message


def test_damaged_entries_are_left_out_and_the_rest_kept(store):
    good = add(store, "Good", "t:1", region="eu")
    document = file_document(store)
    document["profiles"].append({"id": "x", "name": "", "integration_id": "t:2"})
    document["profiles"].append("not an object")
    store.path.write_text(json.dumps(document), encoding="utf-8")
    result = ProfileStore().load()
    assert [p.id for p in result.profiles] == [good.id]
    assert result.message
    assert "2 profiles were damaged" in result.message
    assert result.backup_path is not None
    assert result.backup_path.exists()
    # The readable profile survives the next start too.
    assert [p.name for p in ProfileStore().profiles()] == ["Good"]


def test_export_and_import_round_trip_without_keys(store, key_store, tmp_path):
    acme = add(store, "Acme", "greenhouse:abc", region="eu")
    local = add(store, "Local", "workday:xyz", base_url="http://localhost:8765/v1")
    acme = save_with_key(store, key_store, acme, KEY, is_new=False)
    assert acme.key_environment is Environment.DEVELOPMENT
    export = tmp_path / "export.json"
    assert store.export_json(export) == 2
    text = export.read_text(encoding="utf-8")
    assert KEY not in text
    assert acme.id not in text
    assert local.id not in text
    assert_no_file_contains(export, KEY)

    other = ProfileStore(tmp_path / "other" / "profiles.json")
    result = other.import_json(text)
    assert [p.name for p in result.imported] == ["Acme", "Local"]
    assert {p.id for p in result.imported}.isdisjoint({acme.id, local.id})
    imported = {p.name: p for p in other.profiles()}
    assert imported["Acme"].region is Region.EU
    assert imported["Acme"].integration_id == "greenhouse:abc"
    assert imported["Local"].base_url == "http://localhost:8765/v1"
    # Imported profiles have no key yet, and the result says so.
    assert all(p.key_environment is None for p in imported.values())
    assert all(key_store.get(p.id) is None for p in imported.values())
    assert NO_KEY_NOTE in result.message


def test_import_skips_identical_profiles_and_renames_clashing_names(store):
    add(store, "Acme", "greenhouse:abc", region="eu")
    add(store, "Beta", "greenhouse:beta", region="eu")
    incoming = {
        "format": "kombo-desktop-profiles-export",
        "version": 1,
        "profiles": [
            {"name": "acme", "region": "eu", "base_url": None, "integration_id": "greenhouse:abc"},
            {"name": "Beta", "region": "us", "base_url": None, "integration_id": "greenhouse:b2"},
            {"name": "Gamma", "region": "us", "base_url": None, "integration_id": "lever:g"},
        ],
    }
    result = store.import_json(json.dumps(incoming))
    assert result.skipped == ("acme",)
    assert result.renamed == (("Beta", "Beta (2)"),)
    assert [p.name for p in result.imported] == ["Beta (2)", "Gamma"]
    assert names_on_disk(store) == ["Acme", "Beta", "Beta (2)", "Gamma"]
    assert "Skipped" in result.message
    assert "Beta (2)" in result.message
    # Importing the same file again changes nothing.
    again = store.import_json(json.dumps(incoming))
    assert again.imported == ()
    assert names_on_disk(store) == ["Acme", "Beta", "Beta (2)", "Gamma"]
    # Said under their names here. Before: "“Beta”", which here is another integration.
    assert again.message.startswith(
        "No profiles were imported. Skipped because they already exist: “acme” (here as "
        "“Acme”), “Beta” (here as “Beta (2)”), “Gamma”."
    )


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"format": "something else", "version": 1, "profiles": []}',
        '{"format": "kombo-desktop-profiles-export", "version": 1, "profiles": '
        '[{"name": "Ok", "region": "eu", "integration_id": "t:1"}, '
        '{"name": "Bad", "region": "mars", "integration_id": "t:2"}]}',
    ],
)
def test_a_bad_import_file_imports_nothing(store, text):
    add(store, "Existing", "t:0", region="eu")
    with pytest.raises(InputError) as caught:
        store.import_json(text)
    assert caught.value.message_for("import")
    assert names_on_disk(store) == ["Existing"]


def test_connection_for_profile_uses_the_key_and_the_profile_settings(store, key_store):
    profile = add(store, "Local", "greenhouse:abc", base_url="http://127.0.0.1:8000/v1")
    with pytest.raises(InputError) as caught:
        connection_for_profile(profile, key_store)
    assert "no API key" in str(caught.value.message_for("api_key"))
    key_store.set(profile.id, KEY)
    connection = connection_for_profile(profile, key_store)
    assert connection.api_key == KEY
    assert connection.base_url == "http://127.0.0.1:8000/v1"
    assert connection.integration_id == "greenhouse:abc"
    assert KEY not in repr(connection)


def test_connection_for_profile_name_with_overrides(store, key_store):
    profile = add(store, "Acme", "greenhouse:abc", region="eu")
    key_store.set(profile.id, KEY)
    plain = connection_for_profile_name("ACME")
    assert plain.base_url == Region.EU.base_url
    moved = connection_for_profile_name("acme", region="us", integration_id="lever:other")
    assert moved.base_url == Region.US.base_url
    assert moved.integration_id == "lever:other"
    local = connection_for_profile_name("Acme", base_url="http://localhost:1234/v1")
    assert local.base_url == "http://localhost:1234/v1"
    with pytest.raises(InputError) as caught:
        connection_for_profile_name("Nobody")
    assert caught.value.message_for("profile") == (
        "no saved profile is called “Nobody” (see: kombo-desktop profiles list)"
    )


def test_the_profiles_file_is_private(store):
    add(store, "A", "t:1", region="eu")
    assert (store.path.stat().st_mode & 0o777) == 0o600


def test_load_of_a_missing_file_is_quietly_empty(tmp_path: Path):
    result = ProfileStore(tmp_path / "nothing" / "profiles.json").load()
    assert result.profiles == ()
    assert result.message is None
    assert result.backup_path is None


def test_a_failed_profile_write_puts_the_keyring_back(store, key_store, memory_keyring):
    acme = add(store, "Acme", "greenhouse:abc", region="eu")
    add(store, "Other", "greenhouse:def", region="eu")
    key_store.set(acme.id, KEY)
    new_key = "ks_prod_replacementKey_1a2b3c"

    # An edit whose profile cannot be saved (its new name is taken): the old key stays.
    with pytest.raises(InputError):
        save_with_key(store, key_store, replace(acme, name="Other"), new_key, is_new=False)
    assert key_store.get(acme.id) == KEY
    assert store.get(acme.id) == acme

    # A new profile that cannot be saved leaves no key behind.
    fresh = build_profile(name="Acme", integration_id="greenhouse:x", region="eu")
    with pytest.raises(InputError):
        save_with_key(store, key_store, fresh, new_key, is_new=True)
    assert (SERVICE_NAME, fresh.id) not in memory_keyring.passwords

    # And a save that works stores both, the key's environment recorded.
    saved = save_with_key(store, key_store, acme, new_key, is_new=False)
    assert key_store.get(acme.id) == new_key
    assert saved.key_environment is Environment.PRODUCTION


def test_checked_profile_reports_a_taken_name_with_the_other_fields_at_once(app_home):
    store = ProfileStore()
    add(store, "Acme", "greenhouse:a", region="eu")
    with pytest.raises(InputError) as caught:
        store.checked_profile(name=" acme ", integration_id="", base_url="")
    assert caught.value.fields == ("profile_name", "integration_id", "base_url")
    assert "already the name" in (caught.value.message_for("profile_name") or "")
    assert caught.value.message_for("base_url") == "is required"
    assert [p.name for p in store.profiles()] == ["Acme"]  # nothing saved


def test_with_neither_region_nor_url_the_region_is_asked_for(app_home):
    with pytest.raises(InputError) as caught:
        ProfileStore().checked_profile(name="Acme", integration_id="greenhouse:a")
    assert caught.value.fields == ("region",)


def test_importing_a_profiles_file_reads_it_as_the_store_does_but_with_new_ids(
    store, key_store, tmp_path
):
    source = ProfileStore(tmp_path / "elsewhere" / "profiles.json")
    original = add(source, "Acme", "greenhouse:abc", region="eu")
    original = save_with_key(source, key_store, original, "ks_prod_importTest_77aa", is_new=False)
    assert original.key_environment is Environment.PRODUCTION
    result = store.import_json(source.path.read_text(encoding="utf-8"))
    (imported,) = result.imported
    assert (imported.name, imported.integration_id, imported.region) == (
        "Acme",
        "greenhouse:abc",
        Region.EU,
    )
    # A key stays with its own store: the copy has a new id and no key environment.
    assert imported.id != original.id
    assert imported.key_environment is None


def test_a_bad_import_entry_is_named_with_its_problem(store):
    text = json.dumps(
        {
            "format": "kombo-desktop-profiles-export",
            "version": 1,
            "profiles": [
                {"name": "Ok", "region": "eu", "integration_id": "t:1"},
                {"name": "Bad", "region": "asia", "integration_id": "t:2"},
            ],
        }
    )
    with pytest.raises(InputError) as caught:
        store.import_json(text)
    assert caught.value.message_for("import") == (
        "profile 2 (“Bad”) is invalid (its region: must be EU or US)"
    )
    assert store.profiles() == []


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "the file is empty"),
        (" \n", "the file is empty"),
        ('{"format": "kombo-desktop-profiles-export",\n "version": 1,', "line 2, column 15"),
    ],
)
def test_an_empty_or_cut_import_file_is_said_without_the_parsers_words(store, text, said):
    with pytest.raises(InputError) as caught:
        store.import_json(text)
    message = caught.value.message_for("import") or ""
    assert said in message
    assert "Expecting" not in message
    assert "char" not in message
    assert store.profiles() == []


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        # Not JSON (a key pasted into the file by hand, say): the rest is kept as it was.
        (
            f'{{"format": "kombo-desktop-profiles", "key": "{KEY}", \u201cAcme\u201d',
            '{"format": "kombo-desktop-profiles", "key": "[API key removed]", \u201cAcme\u201d',
        ),
        # A file that is no profiles file at all.
        (f'[{{"integration_id": "x:{KEY}"}}]', '[{"integration_id": "x:[API key removed]"}]'),
    ],
)
def test_a_file_set_aside_keeps_no_api_key(store, content, kept):
    store.path.parent.mkdir(parents=True)
    store.path.write_text(content, encoding="utf-8")
    result = ProfileStore().load()
    assert result.backup_path is not None
    assert result.backup_path.read_text(encoding="utf-8") == kept
    assert result.message is not None
    assert "The API keys written in it were removed from that copy." in result.message
    assert_no_file_contains(paths.config_dir(), KEY)
    assert [p.name for p in store.path.parent.iterdir()] == [result.backup_path.name]


def test_garbage_bytes_holding_a_key_are_set_aside_without_it(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"\x00\xff garbage " + KEY.encode() + b"\n")
    result = store.load()
    assert result.backup_path is not None
    assert b"garbage [API key removed]\n" in result.backup_path.read_bytes()
    assert_no_file_contains(paths.config_dir(), KEY)


# --------------------------------------------------------------------------------------
# A damaged profiles file is told of once: Manage profiles shows the load's message, then
# says it was told (``message_told``); the next opening must not show it again, as it would
# go on asking for what may be done by then. A file damaged again is told of anew.

DAMAGED = "{ not json"


def damaged_store() -> ProfileStore:
    """A store (in the test's app home) whose file is not JSON."""
    store = ProfileStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(DAMAGED, encoding="utf-8")
    return store


def test_a_load_message_told_is_not_told_again() -> None:
    store = damaged_store()
    message = store.load_result.message
    assert message is not None
    assert "not valid JSON" in message
    store.message_told()
    # Before: every opening of Manage profiles showed the damaged file's words again.
    assert store.load_result.message is None
    # What the load found is kept all the same.
    assert store.load_result.backup_path is not None
    assert store.load_result.backup_path.exists()


def test_a_file_damaged_again_is_told_of_anew() -> None:
    store = damaged_store()
    assert store.load_result.message is not None
    store.message_told()
    store.path.write_text(DAMAGED, encoding="utf-8")
    again = store.load()
    assert again.message is not None
    assert store.load_result.message == again.message
