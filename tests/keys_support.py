"""Shared by the tests of keys and the profiles that hold them: a key copied with what stood
around it, Manage profiles showing a profile's saved key, and the window's profile list
saying why a profile cannot be used."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.worker import ApiWorker
from tests.profiles_support import TIMEOUT, make_picker, show_dialog, widget

#: The key the tests copy with what stood around it (its quotes, its ``.env`` line, a label),
#: and that no other test uses. Whatever a key field holds, or a keyring gives, is masked
#: for the rest of the process, whole (``core.logs.register_secret``): were it the demo key,
#: ``Bearer ks_…`` registered so would mask a later test's "Authorization: Bearer ks_…"
#: as "Authorization: [redacted]", where "Bearer [redacted]" is expected. Around this key,
#: what is registered matches no other test's text.
COPIED_KEY = "ks_dev_copiedWithWhatStoodAround0000"


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
