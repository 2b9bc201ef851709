"""The name of a duplicated profile: a copy of a copy is numbered as a copy of the original,
and a number in brackets that is part of a name (a year) is kept."""

from __future__ import annotations

import json

import pytest

from kombo_desktop.core.profiles import (
    EXPORT_FORMAT,
    MAX_NAME_LENGTH,
    Profile,
    ProfileStore,
)
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID
from tests.keyring_support import MemoryKeyring


@pytest.fixture
def key_store(memory_keyring: MemoryKeyring) -> KeyStore:
    return KeyStore()


def saved(store: ProfileStore, name: str) -> Profile:
    """A saved profile called ``name``, checked as the window and the command line check one."""
    return store.add_profile(
        store.checked_profile(name=name, integration_id=DEMO_INTEGRATION_ID, region="eu")
    )


def names_on_disk() -> list[str]:
    return [profile.name for profile in ProfileStore().profiles()]


def test_a_copy_of_a_copy_takes_the_next_number_of_the_original_name(key_store: KeyStore) -> None:
    store = ProfileStore()
    saved(store, "Acme")
    first_copy = store.duplicate(saved(store, "Acme (2)").id, key_store)
    assert first_copy.name == "Acme (3)"
    assert store.duplicate(first_copy.id, key_store).name == "Acme (4)"
    assert names_on_disk() == ["Acme", "Acme (2)", "Acme (3)", "Acme (4)"]


def test_a_copy_of_the_original_still_takes_the_next_free_number(key_store: KeyStore) -> None:
    store = ProfileStore()
    acme = saved(store, "Acme")
    saved(store, "Acme (2)")
    assert store.duplicate(acme.id, key_store).name == "Acme (3)"


def test_a_copy_whose_original_is_gone_is_numbered_after_it(key_store: KeyStore) -> None:
    store = ProfileStore()
    copy = saved(store, "Acme (2)")
    assert store.duplicate(copy.id, key_store).name == "Acme (3)"


def test_a_copy_number_is_recognised_whatever_the_case_of_the_name_taken(
    key_store: KeyStore,
) -> None:
    store = ProfileStore()
    saved(store, "acme (3)")
    copy = saved(store, "Acme (2)")
    # "acme (3)" looks like "Acme (3)" in every list: taken.
    assert store.duplicate(copy.id, key_store).name == "Acme (4)"


@pytest.mark.parametrize(
    ("name", "copy"),
    [
        ("Team (2024)", "Team (2024) (2)"),  # a year is part of the name
        ("Acme (100)", "Acme (100) (2)"),  # copies are numbered up to 99
        ("Acme (1)", "Acme (1) (2)"),  # no copy is numbered 1
        ("Acme (02)", "Acme (02) (2)"),  # nor written with a leading zero
        ("Acme(2)", "Acme(2) (2)"),  # nor without the space
        ("Acme (2", "Acme (2 (2)"),
    ],
)
def test_a_number_in_brackets_that_is_no_copy_number_stays_in_the_name(
    key_store: KeyStore, name: str, copy: str
) -> None:
    store = ProfileStore()
    profile = saved(store, name)
    assert store.duplicate(profile.id, key_store).name == copy


def test_the_largest_copy_number_still_counts(key_store: KeyStore) -> None:
    store = ProfileStore()
    profile = saved(store, "Acme (99)")
    assert store.duplicate(profile.id, key_store).name == "Acme (2)"


def test_a_copy_of_a_long_copy_stays_within_the_longest_name(key_store: KeyStore) -> None:
    store = ProfileStore()
    original = saved(store, "A" * MAX_NAME_LENGTH)
    shortened = "A" * (MAX_NAME_LENGTH - len(" (2)"))
    first = store.duplicate(original.id, key_store)
    assert first.name == f"{shortened} (2)"
    assert store.duplicate(first.id, key_store).name == f"{shortened} (3)"


def test_an_imported_copy_whose_name_is_taken_takes_the_next_number_too(
    key_store: KeyStore,
) -> None:
    store = ProfileStore()
    saved(store, "Acme (2)")
    document = {
        "format": EXPORT_FORMAT,
        "version": 1,
        "profiles": [{"name": "Acme (2)", "integration_id": "acme-other", "region": "eu"}],
    }
    result = store.import_json(json.dumps(document))
    # Before: "Acme (2) (2)".
    assert [profile.name for profile in result.imported] == ["Acme (3)"]
    assert names_on_disk() == ["Acme (2)", "Acme (3)"]
