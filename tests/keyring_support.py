"""Keyring helpers for tests: an in-memory backend, switching backends, the real-service rule.

The in-memory backend stands in for the OS keyring in GUI and store tests; the real
Secret Service is covered by the ``secret_service`` tests. Test backends are taken
out of keyring's registry of backend classes, so keyring's own discovery never
picks one of them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService

from kombo_desktop.core.secrets import SERVICE_NAME

#: Set by tests/session.sh to the address of the private D-Bus session it runs the tests in.
SECRET_SERVICE_VARIABLE = "KOMBO_TEST_SECRET_SERVICE"


def unregistered(cls: type[KeyringBackend]) -> type[KeyringBackend]:
    """Keep a test backend class out of keyring's discovery (its metaclass registers all)."""
    KeyringBackend._classes.discard(cls)
    return cls


@unregistered
class MemoryKeyring(KeyringBackend):
    """A secure-looking keyring that keeps passwords in a dict (priority 1)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@unregistered
class GatedKeyring(MemoryKeyring):
    """Reads wait for ``gate``, as behind a slow D-Bus or an unlock prompt; each read's
    thread is recorded, and the most reads running at once."""

    def __init__(self, *, open_gate: bool = False) -> None:
        """``open_gate``: reads go through at once (only recorded)."""
        super().__init__()
        self.gate = threading.Event()
        if open_gate:
            self.gate.set()
        self.threads: list[threading.Thread] = []
        self.most_at_once = 0
        self._running = 0
        self._lock = threading.Lock()

    @property
    def reads(self) -> int:
        """How many reads there were (each could bring up the keyring's unlock prompt)."""
        with self._lock:
            return len(self.threads)

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            self.threads.append(threading.current_thread())
            self._running += 1
            self.most_at_once = max(self.most_at_once, self._running)
        try:
            self.gate.wait(30)
            return super().get_password(service, username)
        finally:
            with self._lock:
                self._running -= 1


@unregistered
class LockedKeyring(KeyringBackend):
    """A keyring whose unlock prompt was dismissed: every call raises ``KeyringLocked``."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    set_password = delete_password = get_password  # type: ignore[assignment]


@unregistered
class WriteRefusingKeyring(MemoryKeyring):
    """A keyring that reads but refuses to store a key (as a keyring whose policy forbids
    new secrets) while ``refuse_writes`` is set; with ``refuse_deletes`` it refuses to
    delete one too. Either may be cleared, as when the keyring works again."""

    def __init__(self, *, refuse_deletes: bool = False) -> None:
        super().__init__()
        self.refuse_writes = True
        self.refuse_deletes = refuse_deletes

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.refuse_writes:
            raise keyring.errors.PasswordSetError("the keyring refused to store the secret")
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        if self.refuse_deletes:
            raise keyring.errors.KeyringError("the keyring refused to delete the secret")
        super().delete_password(service, username)


@unregistered
class UnlockableKeyring(MemoryKeyring):
    """A keyring that stays locked (every read fails as a dismissed unlock prompt) until
    ``locked`` is set to False, as when the person unlocks it."""

    def __init__(self) -> None:
        super().__init__()
        self.locked = True

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")
        return super().get_password(service, username)


@contextmanager
def keyring_backend(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """Make ``backend`` the process's keyring, restoring the previous one afterwards."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def require_real_secret_service() -> None:
    """Skip without a real Secret Service session, but fail under CI, where one must exist."""
    private_session = os.environ.get(SECRET_SERVICE_VARIABLE)
    # Only on the session tests/session.sh made: the tests store keys there and delete
    # every key of the app's name (``real_keyring``), which a person's own keyring holds.
    if private_session and private_session == os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return
    reason = (
        f"needs a real Secret Service: run the tests through tests/session.sh "
        f"(it sets {SECRET_SERVICE_VARIABLE})"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test the real keyring path: {reason}")
    pytest.skip(reason)


def delete_app_keys(backend: KeyringBackend) -> None:
    """Delete every key ``backend`` holds under the app's name."""
    while (left := backend.get_credential(SERVICE_NAME, None)) is not None:
        backend.delete_password(SERVICE_NAME, left.username)


@contextmanager
def keyring_gains_no_entry_holding(*keys: str) -> Iterator[None]:
    """Fail if, within, the OS keyring gained an entry holding one of ``keys``, under any
    service and any name: a key typed in the wrong field must not be kept there either."""
    before = keyring_entries_holding(*keys)
    yield
    gained = keyring_entries_holding(*keys) - before
    assert not gained, f"the OS keyring gained entries holding the key: {sorted(gained)}"


def keyring_entries_holding(*keys: str) -> set[str]:
    """The Secret Service items (their labels and paths) that hold one of ``keys``: as
    their secret, or in their label or attributes (where a profile's name or id goes)."""
    import secretstorage  # the real keyring's own library, beside keyring on Linux

    found: set[str] = set()
    with closing(secretstorage.dbus_init()) as bus:
        for collection in secretstorage.get_all_collections(bus):
            # A locked collection's secrets cannot be read: nothing would be found there.
            assert not collection.is_locked(), collection.get_label()
            for item in collection.get_all_items():
                texts = [item.get_label(), *item.get_attributes().values()]
                secret = item.get_secret()
                if any(key in text or key.encode() in secret for key in keys for text in texts):
                    found.add(f"{item.get_label()} ({item.item_path})")
    return found


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring as the process's keyring for one test (GUI and store logic)."""
    with keyring_backend(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


# Every test can ask for it (``pytest_plugins`` in ``tests/conftest.py``). Named apart from the
# fixture, so that a module that imports it anyway does not shadow a ``real_keyring`` argument.
@pytest.fixture(name="real_keyring")
def real_keyring_fixture() -> Iterator[None]:
    """The real Secret Service as this process's keyring, as the window and the command
    line use it. The keys the test left there under the app's name are deleted after it:
    the keyring outlives the test's own files, and the next test must not find them."""
    require_real_secret_service()
    backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
    try:
        with keyring_backend(backend):
            yield
    finally:
        delete_app_keys(backend)
