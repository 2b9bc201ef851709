"""Shared by the tests of keys and the profiles that hold them: a key copied with what stood
around it, an old key left in the keyring in place of a key kept for the session only,
Manage profiles showing a profile's saved key, and the window's profile list saying why a
profile cannot be used."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.profiles import Profile, ProfileStore, save_with_key
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.keyring_support import WriteRefusingKeyring, keyring_backend
from tests.profiles_support import TIMEOUT, add_profile, make_picker, show_dialog, widget

#: The key the tests copy with what stood around it (its quotes, its ``.env`` line, a label),
#: and that no other test uses. Whatever a key field holds, or a keyring gives, is masked
#: for the rest of the process, whole (``core.logs.register_secret``): were it the demo key,
#: ``Bearer ks_…`` registered so would mask a later test's "Authorization: Bearer ks_…"
#: as "Authorization: [redacted]", where "Bearer [redacted]" is expected. Around this key,
#: what is registered matches no other test's text.
COPIED_KEY = "ks_dev_copiedWithWhatStoodAround0000"
#: A key kept for this session only, the keyring refusing it.
KEPT_KEY = "ks_dev_keptForThisSessionOnly0000000"


def keep_a_session_key_in_place_of(profile: Profile) -> None:
    """Replace ``profile``'s key by ``KEPT_KEY``, kept for this session only (the keyring
    refuses it), as the core saves it for the window."""
    saved = save_with_key(
        ProfileStore(), KeyStore(), profile, KEPT_KEY, is_new=False, session_only=True
    )
    assert saved.key_environment is None  # the lists say "No key"


@contextmanager
def old_key_left_then_restarted() -> Iterator[tuple[WriteRefusingKeyring, ProfileStore, Profile]]:
    """A keyring that refuses deletes (and writes), holding the old key of a profile
    "Acme" that a session-only key replaced; then the next start, with a store and a key
    store of its own and no key in memory. The keyring, that store, and the profile as it
    reads it."""
    with keyring_backend(WriteRefusingKeyring(refuse_deletes=True)) as backend:
        assert isinstance(backend, WriteRefusingKeyring)
        acme = add_profile(ProfileStore(), "Acme")
        backend.passwords[(SERVICE_NAME, acme.id)] = DEMO_API_KEY
        keep_a_session_key_in_place_of(acme)
        restarted = ProfileStore()
        profile = restarted.get(acme.id)
        assert profile is not None
        yield backend, restarted, profile


def key_shown(qtbot, dialog: ProfilesDialog, key: str) -> QLineEdit:
    """The dialog's key field, once the saved ``key`` of the profile in its form is in it."""
    key_edit: QLineEdit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == key, timeout=TIMEOUT)
    return key_edit


def dialog_showing_key(
    qtbot, worker: ApiWorker, profile_id: str, key: str
) -> tuple[ProfilesDialog, QLineEdit]:
    """Manage profiles, shown on the profile ``profile_id`` once its saved ``key`` is read
    into the key field: the dialog, and that field."""
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile_id)
    return dialog, key_shown(qtbot, dialog, key)


def picker_telling(
    qtbot, worker: ApiWorker, words: str, profile_id: str | None = None
) -> ProfilePicker:
    """The window's profile list, shown, on the profile ``profile_id`` (else the one used
    last), once it says why that profile cannot be used, in words holding ``words``."""
    picker: ProfilePicker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)
    if profile_id is not None:
        picker.select_profile(profile_id)
    qtbot.waitUntil(lambda: words in (picker.connection_problem() or ""), timeout=TIMEOUT)
    return picker
