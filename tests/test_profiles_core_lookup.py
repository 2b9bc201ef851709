"""Finding a saved profile by the name a person typed, and what is said when there is none."""

from __future__ import annotations

import pytest

from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    ProfileStore,
    build_profile,
    connection_for_profile_name,
)
from kombo_desktop.core.secrets import KeyStore
from tests.keyring_support import MemoryKeyring
from tests.profile_files import add_unreadable_entry

KEY = "ks_dev_lookupTest_4c3b2a190817"
NOT_FOUND = "no saved profile is called “Nobody” (see: kombo-desktop profiles list)"


def saved(store: ProfileStore, name: str) -> None:
    store.add_profile(build_profile(name=name, integration_id="greenhouse:abc", region="eu"))


def damage_one_entry(store: ProfileStore) -> None:
    """Leave one readable profile and one whose entry is broken."""
    saved(store, "Readable")
    add_unreadable_entry(store.path)


def test_the_name_is_matched_ignoring_case_and_surrounding_spaces():
    store = ProfileStore()
    saved(store, "Acme GmbH")
    saved(store, "Beta")
    found = store.require_by_name("  acme gmbh ")
    assert found.name == "Acme GmbH"
    assert found == store.find_by_name("ACME GMBH")


def test_the_name_is_matched_however_many_spaces_stand_between_its_words():
    store = ProfileStore()
    saved(store, "Acme GmbH")
    saved(store, "Acme")
    found = store.require_by_name("acme   gmbh")
    assert found.name == "Acme GmbH"
    assert store.find_by_name(" ACME \u00a0 GMBH ") == found
    assert store.find_by_name("AcmeGmbH") is None


def test_an_unknown_name_is_an_input_error_on_the_profile_field():
    store = ProfileStore()
    saved(store, "Acme")
    with pytest.raises(InputError) as caught:
        store.require_by_name(" Nobody ")
    assert caught.value.fields == ("profile",)
    assert caught.value.message_for("profile") == NOT_FOUND


def test_a_damaged_file_is_named_as_the_likely_reason():
    damage_one_entry(ProfileStore())
    store = ProfileStore()
    assert store.require_by_name("readable").name == "Readable"
    with pytest.raises(InputError) as caught:
        store.require_by_name("Nobody")
    message = caught.value.message_for("profile") or ""
    assert message.startswith(NOT_FOUND + ". ")
    assert "1 profile was damaged and left out" in message
    assert message.endswith(str(store.load_result.message))


def test_sending_by_profile_name_says_the_same_as_the_store(memory_keyring: MemoryKeyring):
    damage_one_entry(ProfileStore())
    with pytest.raises(InputError) as caught:
        connection_for_profile_name("Nobody")
    message = caught.value.message_for("profile") or ""
    assert message.startswith(NOT_FOUND + ". ")
    assert "1 profile was damaged and left out" in message
    # The readable profile was kept, and sending by its name works.
    readable = ProfileStore().require_by_name("Readable")
    KeyStore().set(readable.id, KEY)
    assert connection_for_profile_name("readable").api_key == KEY
