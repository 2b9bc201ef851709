"""Shared by the tests on the real Secret Service (gnome-keyring on a private D-Bus session,
see ``tests/session.sh``): a collection of the test's own, which it can lock, as an unlock
prompt dismissed, and always unlock again, never touching the default collection."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

_INTERNAL_INTERFACE = "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"
_TEST_PASSWORD = b"kombo-desktop-lock-test"


class LockableCollection:
    """A collection created and unlocked with a password through gnome-keyring's
    internal interface, which needs no prompt (impossible in a headless session)."""

    def __init__(self) -> None:
        """Create the collection, unlocked."""
        import secretstorage
        from secretstorage.util import DBusAddressWrapper, open_session

        self.bus = secretstorage.dbus_init()
        self.session = open_session(self.bus)
        self.internal = DBusAddressWrapper(
            "/org/freedesktop/secrets", _INTERNAL_INTERFACE, self.bus
        )
        label = {"org.freedesktop.Secret.Collection.Label": ("s", "kombo-desktop lock test")}
        (self.path,) = self.internal.call(
            "CreateWithMasterPassword", "a{sv}(oayays)", label, self._password()
        )
        self.collection = secretstorage.Collection(self.bus, self.path, session=self.session)

    def _password(self) -> Any:
        from secretstorage.util import format_secret

        return format_secret(self.session, _TEST_PASSWORD, "text/plain")

    def lock(self) -> None:
        """Lock it, as the keyring is after an unlock prompt was dismissed."""
        self.collection.lock()
        assert self.collection.is_locked()

    def unlock(self) -> None:
        """Unlock it, as the person who types the keyring's password does."""
        self.internal.call("UnlockWithMasterPassword", "o(oayays)", self.path, self._password())
        assert not self.collection.is_locked()

    def delete(self) -> None:
        """Delete it, with whatever it holds."""
        with contextlib.suppress(Exception):
            self.unlock()
        self.collection.delete()
        self.bus.close()


# Every test can ask for it (``pytest_plugins`` in ``tests/conftest.py``). Named apart from the
# fixture, so that a module that imports it anyway does not shadow a ``lockable_collection``
# argument.
@pytest.fixture(name="lockable_collection")
def lockable_collection_fixture() -> Iterator[LockableCollection]:
    """A collection of the test's own on the real Secret Service, deleted after it."""
    if os.environ.get("CI") != "true" and (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        pytest.skip("with a display, the unlock prompt would really appear and wait for you")
    collection = LockableCollection()
    try:
        yield collection
    finally:
        collection.delete()
