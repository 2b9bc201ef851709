"""No keyring, an insecure keyring, a locked or refusing one: never plaintext, never a crash.

Detection rule under test: the fail and null backends, anything from keyrings.alt or
named like one of its file backends, file-backed backends, priority <= 0, and chainers
with no secure backend behind them all count as "no keyring".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import keyring
import keyring.errors
import pytest
import secretstorage.exceptions
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from kombo_desktop.core import paths
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.logs import configure_logging
from kombo_desktop.core.profiles import (
    Profile,
    ProfileStore,
    build_profile,
    connection_for_profile,
    save_with_key,
)
from kombo_desktop.core.secrets import (
    SERVICE_NAME,
    KeyStore,
    SecretStoreDenied,
    SecretStoreError,
    SecretStoreLocked,
    SecretStoreUnavailable,
    backend_name,
    is_secure_backend,
)
from tests.keyring_support import MemoryKeyring, unregistered
from tests.leakcheck import assert_no_file_contains

KEY = "ks_dev_failureTest_0a1b2c3d4e5f"


def acme() -> Profile:
    """A new profile with a fresh id, not yet saved."""
    return build_profile(name="Acme", integration_id="greenhouse:abc", region="eu")


class _RecordingKeyring(KeyringBackend):
    """Remembers every call, so a test can prove a refused backend was never used."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.calls: list[tuple[str, Any]] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", username))
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", username))

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", username))


@unregistered
class PlaintextKeyring(_RecordingKeyring):
    """Named like keyrings.alt.file.PlaintextKeyring, with its priority 0.5."""

    priority = 0.5  # type: ignore[assignment]


@unregistered
class AltModuleKeyring(_RecordingKeyring):
    """Claims a secure priority but comes from keyrings.alt."""

    priority = 5


AltModuleKeyring.__module__ = "keyrings.alt.file"


@unregistered
class FileBackedKeyring(_RecordingKeyring):
    """A backend that keeps secrets in a file of its own (``file_path``), priority 5."""

    priority = 5
    file_path = "/nonexistent/keyring.cfg"


@unregistered
class ZeroPriorityKeyring(_RecordingKeyring):
    """Keyring's own mark of "not recommended"."""

    priority = 0


def chainer_of(*backends: KeyringBackend) -> chainer.ChainerBackend:
    @unregistered
    class FixedChainer(chainer.ChainerBackend):
        pass

    # A class attribute in the subclass shadows the chainer's discovery of backends.
    FixedChainer.backends = list(backends)  # type: ignore[method-assign, assignment]
    return FixedChainer()  # type: ignore[no-untyped-call]


@unregistered
class DenyingKeyring(KeyringBackend):
    """Stands in for a keyring that refuses (a denial cannot be produced on this machine)."""

    priority = 1

    def __init__(self, error: Exception) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.fixture(autouse=True)
def restore_keyring():
    """Whatever a test sets, the process's keyring is the previous one afterwards."""
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def fail_keyring() -> KeyringBackend:
    return fail.Keyring()  # type: ignore[no-untyped-call]


def null_keyring() -> KeyringBackend:
    return null.Keyring()  # type: ignore[no-untyped-call]


def insecure_backends() -> list[KeyringBackend]:
    return [
        fail_keyring(),
        null_keyring(),
        PlaintextKeyring(),
        AltModuleKeyring(),
        FileBackedKeyring(),
        ZeroPriorityKeyring(),
        chainer_of(PlaintextKeyring(), null_keyring()),
        chainer_of(),
    ]


@pytest.mark.parametrize("backend", insecure_backends(), ids=lambda b: type(b).__name__)
def test_insecure_backends_count_as_no_keyring_and_are_never_written(backend):
    keyring.set_keyring(backend)
    store = KeyStore()
    assert not is_secure_backend(backend)
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.check_available()
    assert "never stores API keys in plain text" in caught.value.message
    with pytest.raises(SecretStoreUnavailable):
        store.set("profile-1", KEY)
    with pytest.raises(SecretStoreUnavailable):
        store.get("profile-1")
    # A keyring out of reach may still hold a key saved earlier: never "deleted" unseen.
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.delete("profile-1")
    assert "could not be deleted" in caught.value.message
    assert "no secure keyring" in store.keyring_in_use().technical
    for inner in [backend, *getattr(type(backend), "backends", [])]:
        assert getattr(inner, "calls", []) == []


@pytest.mark.parametrize("backend", insecure_backends(), ids=lambda b: type(b).__name__)
def test_no_secure_keyring_is_said_in_words_and_named_only_in_the_detail(backend):
    keyring.set_keyring(backend)
    store = KeyStore()
    in_use = store.keyring_in_use()
    assert in_use.place is None
    assert in_use.sentence == (
        "No secure keyring is available on this computer, so API keys cannot be saved."
    )
    name = backend_name(backend)
    assert name in in_use.technical
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.set("profile-1", KEY)
    assert name not in caught.value.message
    assert name in caught.value.detail


def test_a_secure_keyring_is_named_in_words():
    in_use = KeyStore(MemoryKeyring()).keyring_in_use()
    # A keyring plug-in that is none of keyring's own: no name a person would know.
    assert in_use.sentence == "API keys are kept in the system keyring."
    assert in_use.technical == backend_name(MemoryKeyring())


def test_a_chainer_uses_only_its_secure_backend():
    memory = MemoryKeyring()
    plaintext = PlaintextKeyring()
    keyring.set_keyring(chainer_of(plaintext, memory))
    store = KeyStore()
    store.set("profile-1", KEY)
    assert memory.passwords == {(SERVICE_NAME, "profile-1"): KEY}
    assert store.get("profile-1") == KEY
    assert plaintext.calls == []


def test_a_backend_passed_in_is_checked_too():
    with pytest.raises(SecretStoreUnavailable):
        KeyStore(PlaintextKeyring()).set("p", KEY)
    memory = MemoryKeyring()
    KeyStore(memory).set("p", KEY)
    assert memory.passwords[(SERVICE_NAME, "p")] == KEY


def raised_from(error: Exception, cause: Exception) -> Exception:
    """``error`` as ``raise error from cause`` leaves it."""
    try:
        raise error from cause
    except Exception as raised:
        return raised


def raised_while_handling(error: Exception, handled: Exception) -> Exception:
    """``error`` as raising it inside ``except`` of ``handled`` leaves it."""
    try:
        try:
            raise handled
        except Exception:
            raise error  # noqa: B904 -- the implicit chain is what this builds
    except Exception as raised:
        return raised


def refusal_id(value: object) -> str:
    """A row's id: the error's class and the one behind it, or the expected class."""
    if not isinstance(value, BaseException):
        return getattr(value, "__name__", str(value))
    behind = value.__cause__ or value.__context__
    return type(value).__name__ + (f" after {type(behind).__name__}" if behind else "")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (keyring.errors.KeyringError("org.freedesktop.DBus.Error.AccessDenied"), SecretStoreDenied),
        (keyring.errors.PasswordSetError("refused"), SecretStoreDenied),
        (keyring.errors.InitError("Failed to create the collection"), SecretStoreDenied),
        (keyring.errors.KeyringLocked("Failed to unlock the collection!"), SecretStoreLocked),
        (secretstorage.exceptions.LockedException("Item is locked!"), SecretStoreLocked),
        (secretstorage.exceptions.PromptDismissedException("dismissed"), SecretStoreLocked),
        # What keyring's Secret Service backend raises when the prompt to unlock (or to
        # create) the login keyring was dismissed or could not be shown: the reason is
        # only in the exception it was raised from.
        (
            raised_from(
                keyring.errors.InitError("Failed to create the collection: Prompt dismissed."),
                secretstorage.exceptions.PromptDismissedException("Prompt dismissed."),
            ),
            SecretStoreLocked,
        ),
        (
            raised_while_handling(
                keyring.errors.KeyringError("could not read the item"),
                secretstorage.exceptions.LockedException("Item is locked!"),
            ),
            SecretStoreLocked,
        ),
        (
            raised_from(
                keyring.errors.InitError("Failed to create the collection"),
                RuntimeError("org.freedesktop.DBus.Error.AccessDenied"),
            ),
            SecretStoreDenied,
        ),
        (keyring.errors.NoKeyringError("no backend"), SecretStoreUnavailable),
        (RuntimeError("something else entirely"), SecretStoreDenied),
    ],
    ids=refusal_id,
)
def test_refusals_become_plain_errors(error, expected):
    keyring.set_keyring(DenyingKeyring(error))
    store = KeyStore()
    actions: list[Callable[[], object]] = [
        lambda: store.set("p", KEY),
        lambda: store.get("p"),
        lambda: store.delete("p"),
    ]
    for action in actions:
        with pytest.raises(expected) as caught:
            action()
        assert isinstance(caught.value, SecretStoreError)
        assert caught.value.message
        assert KEY not in caught.value.message
        assert KEY not in caught.value.detail


def test_a_backend_that_quotes_the_key_in_its_error_does_not_leak_it():
    keyring.set_keyring(DenyingKeyring(keyring.errors.PasswordSetError(f"cannot store {KEY}")))
    with pytest.raises(SecretStoreDenied) as caught:
        KeyStore().set("p", KEY)
    assert KEY not in caught.value.detail
    assert "cannot store" in caught.value.detail


def test_a_refused_delete_keeps_the_profile():
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    profiles = ProfileStore()
    profile = profiles.add_profile(acme())
    KeyStore().set(profile.id, KEY)
    keyring.set_keyring(DenyingKeyring(keyring.errors.KeyringLocked("locked")))
    with pytest.raises(SecretStoreLocked):
        profiles.remove(profile.id, KeyStore())
    assert ProfileStore().get(profile.id) is not None
    # Once the keyring works again, removing deletes both.
    keyring.set_keyring(memory)
    profiles.remove(profile.id, KeyStore())
    assert ProfileStore().get(profile.id) is None
    assert memory.passwords == {}


def test_a_locked_keyring_reads_as_a_plain_error_at_the_profile():
    keyring.set_keyring(DenyingKeyring(keyring.errors.KeyringLocked("locked")))
    profile = ProfileStore().add_profile(acme())
    with pytest.raises(SecretStoreLocked) as caught:
        connection_for_profile(profile, KeyStore())
    assert "locked" in caught.value.message


def test_session_only_key_lives_in_memory_only(app_home):
    configure_logging()
    logging.getLogger("kombo_desktop.test").info("about to store %s", KEY)
    keyring.set_keyring(fail_keyring())
    store = KeyStore()
    profiles = ProfileStore()
    profile = profiles.add_profile(acme())
    with pytest.raises(SecretStoreUnavailable):
        store.set(profile.id, KEY)
    store.set(profile.id, KEY, session_only=True)
    assert store.is_session_only(profile.id)
    assert store.get(profile.id) == KEY
    assert store.session_key(profile.id) == KEY
    connection = connection_for_profile(profile, store)
    assert connection.api_key == KEY
    assert connection.environment is Environment.DEVELOPMENT
    logging.getLogger("kombo_desktop.test").info("used %s", KEY)
    # Another KeyStore (another process, or after a restart) does not know the key.
    assert not KeyStore().is_session_only(profile.id)
    for directory in paths.all_dirs():
        if directory.exists():
            assert_no_file_contains(directory, KEY)
    assert_no_file_contains(app_home, KEY)
    # The keyring, out of reach, may still hold a key saved there before: a removal is
    # refused and changes nothing, the session key included.
    with pytest.raises(SecretStoreUnavailable):
        profiles.remove(profile.id, store)
    assert store.session_key(profile.id) == KEY
    assert ProfileStore().get(profile.id) == profile
    # When the person goes ahead all the same, the profile and the session key go.
    assert profiles.remove(profile.id, store, even_if_keyring_unreachable=True) is False
    assert store.session_key(profile.id) is None
    assert ProfileStore().get(profile.id) is None


def test_a_key_saved_to_the_keyring_replaces_a_session_key():
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    store = KeyStore()
    store.set("p", "ks_dev_session_only_1234", session_only=True)
    store.set("p", KEY)
    assert not store.is_session_only("p")
    assert store.get("p") == KEY


def test_an_empty_or_malformed_key_is_refused_at_the_field():
    keyring.set_keyring(MemoryKeyring())
    for bad in ("", "   ", "ks_dev_with space", "ks_dev_line\nbreak"):
        with pytest.raises(InputError) as caught:
            KeyStore().set("p", bad)
        assert caught.value.fields == ("api_key",)


def test_without_a_keyring_a_key_kept_in_memory_can_still_be_cleared():
    # It was never in a keyring: clearing it needs none.
    keyring.set_keyring(fail_keyring())
    store = KeyStore()
    profiles = ProfileStore()
    profile = save_with_key(profiles, store, acme(), KEY, is_new=True, session_only=True)
    saved = save_with_key(profiles, store, profile, "", is_new=False)
    assert store.session_key(profile.id) is None
    assert saved.key_environment is None
    assert ProfileStore().get(profile.id) == saved


def test_without_a_keyring_a_failed_copy_leaves_no_key_in_memory(
    monkeypatch: pytest.MonkeyPatch,
):
    # The copy's key was set in memory for a profile that then could not be written:
    # undoing it needs no keyring either, and no key stays behind a missing profile.
    keyring.set_keyring(fail_keyring())
    store = KeyStore()
    profiles = ProfileStore()
    source = save_with_key(profiles, store, acme(), KEY, is_new=True, session_only=True)

    tried: list[str] = []

    def full_disk(self: ProfileStore, profile: Profile, **_options: object) -> Profile:
        tried.append(profile.id)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ProfileStore, "add_profile", full_disk)
    with pytest.raises(OSError, match="No space left"):
        profiles.duplicate(source.id, store)
    (copy_id,) = tried
    assert store.session_key(copy_id) is None
    assert [p.id for p in ProfileStore().profiles()] == [source.id]
    assert store.session_key(source.id) == KEY
