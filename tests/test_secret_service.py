"""Keys in the real Secret Service (gnome-keyring on a private D-Bus session).

Run through ``tests/session.sh``; without it these tests skip, and under CI they fail.
The locked-keyring test locks a collection it creates for itself (with a password it
chooses), so it never touches the default collection and can always unlock it again.
"""

from __future__ import annotations

import contextlib
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail

from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import (
    ProfileStore,
    build_profile,
    connection_for_profile,
    save_with_key,
)
from kombo_desktop.core.secrets import (
    SERVICE_NAME,
    KeyStore,
    SecretStoreLocked,
    SecretStoreUnavailable,
    is_secure_backend,
    secure_backends_of,
)
from tests.keyring_support import keyring_backend, require_real_secret_service
from tests.secret_service_support import LockableCollection

pytestmark = pytest.mark.secret_service

KEY = "ks_dev_secretServiceTest_5e4d3c2b1a"


@pytest.fixture(autouse=True)
def real_secret_service():
    """The real Secret Service as the process's keyring, whatever a test before set."""
    require_real_secret_service()
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def test_the_secret_service_counts_as_a_secure_backend():
    store = KeyStore()
    store.check_available()
    assert "SecretService" in store.keyring_in_use().technical
    assert is_secure_backend(keyring.get_keyring())
    # keyring's own choice (what a user gets with no configuration) is secure too.
    keyring.core.init_backend()
    assert secure_backends_of(keyring.get_keyring()), keyring.get_keyring()


def test_store_read_rename_delete_against_the_real_keyring():
    profiles = ProfileStore()
    new = profiles.checked_profile(name="Acme GmbH", integration_id="greenhouse:abc", region="eu")
    profile = save_with_key(profiles, KeyStore(), new, KEY, is_new=True)
    assert keyring.get_password(SERVICE_NAME, profile.id) == KEY
    # A fresh KeyStore (as after a restart) reads it from the keyring.
    assert KeyStore().get(profile.id) == KEY
    assert not KeyStore().is_session_only(profile.id)

    # Renamed as the window saves an edit of the name alone: the stored key is kept as is.
    edited = profiles.checked_profile(
        name="Acme Europe",
        integration_id=profile.integration_id,
        region=profile.region,
        profile_id=profile.id,
        key_environment=profile.key_environment,
    )
    save_with_key(profiles, KeyStore(), edited, None, is_new=False)
    renamed = ProfileStore().require_by_name("Acme Europe")
    assert renamed.id == profile.id
    assert renamed.key_environment is Environment.DEVELOPMENT
    assert ProfileStore().find_by_name("Acme GmbH") is None
    assert connection_for_profile(renamed, KeyStore()).api_key == KEY

    profiles.remove(profile.id, KeyStore())
    assert keyring.get_password(SERVICE_NAME, profile.id) is None
    assert KeyStore().get(profile.id) is None


def test_deleting_a_key_that_is_not_there_is_fine():
    KeyStore().delete("no-such-profile-id")


def keyring_out_of_reach() -> contextlib.AbstractContextManager[KeyringBackend]:
    """What keyring falls back to when the Secret Service cannot be reached (no D-Bus
    session, say): the key saved in it earlier is still there, only out of sight."""
    return keyring_backend(fail.Keyring())  # type: ignore[no-untyped-call]


def test_a_remove_while_the_keyring_is_out_of_reach_keeps_the_profile_and_its_key():
    profiles = ProfileStore()
    new = build_profile(name="Acme", integration_id="greenhouse:abc", region="eu")
    profile = save_with_key(profiles, KeyStore(), new, KEY, is_new=True)
    keys = KeyStore()
    with keyring_out_of_reach():
        keys.set(profile.id, "ks_dev_sessionCopy_24680", session_only=True)
        with pytest.raises(SecretStoreUnavailable) as caught:
            profiles.remove(profile.id, keys)
        assert "could not be deleted" in caught.value.message
        assert KEY not in caught.value.message + caught.value.detail
        # Nothing was deleted: the copy held for this session is kept too.
        assert keys.session_key(profile.id) == "ks_dev_sessionCopy_24680"
    assert ProfileStore().get(profile.id) == profile
    # Reachable again, the keyring still has the key, and the profile still reaches it.
    assert keyring.get_password(SERVICE_NAME, profile.id) == KEY
    assert connection_for_profile(profile, KeyStore()).api_key == KEY
    profiles.remove(profile.id, keys)
    assert ProfileStore().get(profile.id) is None
    assert keyring.get_password(SERVICE_NAME, profile.id) is None
    assert keys.session_key(profile.id) is None


def test_clearing_a_key_while_the_keyring_is_out_of_reach_saves_nothing():
    profiles = ProfileStore()
    new = build_profile(name="Acme", integration_id="greenhouse:abc", region="eu")
    profile = save_with_key(profiles, KeyStore(), new, KEY, is_new=True)
    renamed = build_profile(
        name="Acme Europe",
        integration_id=profile.integration_id,
        region=profile.region,
        profile_id=profile.id,
        key_environment=profile.key_environment,
    )
    with keyring_out_of_reach(), pytest.raises(SecretStoreUnavailable):
        save_with_key(profiles, KeyStore(), renamed, "", is_new=False)
    saved = ProfileStore().get(profile.id)
    assert saved == profile  # neither renamed nor marked as having no key
    assert saved is not None
    assert saved.key_environment is Environment.DEVELOPMENT
    assert keyring.get_password(SERVICE_NAME, profile.id) == KEY


def test_a_locked_keyring_is_a_plain_error_and_works_again_once_unlocked(
    lockable_collection: LockableCollection,
):
    backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
    backend.preferred_collection = lockable_collection.path  # type: ignore[attr-defined]
    keys = KeyStore(backend)
    profiles = ProfileStore()
    profile = profiles.add_profile(
        build_profile(name="Acme", integration_id="greenhouse:abc", region="eu")
    )
    keys.set(profile.id, KEY)
    assert keys.get(profile.id) == KEY

    lockable_collection.lock()
    # Reading asks the Secret Service to unlock: the prompt is dismissed (no display).
    with pytest.raises(SecretStoreLocked) as caught:
        keys.get(profile.id)
    assert "locked" in caught.value.message
    with pytest.raises(SecretStoreLocked):
        keys.set(profile.id, "ks_dev_another_key_98765")
    # Deleting the profile would orphan its key: the profile stays.
    with pytest.raises(SecretStoreLocked):
        profiles.remove(profile.id, keys)
    assert ProfileStore().get(profile.id) is not None
    # The session-only choice still works while the keyring is locked.
    keys.set(profile.id, "ks_dev_session_key_13579", session_only=True)
    assert keys.get(profile.id) == "ks_dev_session_key_13579"

    lockable_collection.unlock()
    keys.set(profile.id, KEY)  # saving to the keyring again replaces the session copy
    assert not keys.is_session_only(profile.id)
    assert keys.get(profile.id) == KEY
    profiles.remove(profile.id, keys)
    assert keys.get(profile.id) is None
    # The default collection was never touched.
    default_backend: Any = keyring.get_keyring()
    assert not default_backend.get_preferred_collection().is_locked()
