"""Manage profiles' list stays put, and tells profiles apart, with many long names.

An operations person keeps one profile per customer integration, hundreds of them, named
alike ("Acme International Holdings … - Workday Prod", "… - Workday Test").
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.environment_badge import show_environment_badge
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.profiles_support import TIMEOUT, add_profile, show_dialog, widget

#: Names of one customer's integrations, alike but for their end; 99 characters each.
LONG_NAMES = [
    "Acme International Holdings Customer Success Operations Europe Middle East Africa"
    f" - Workday {end}"
    for end in ("Prod", "Test", "Dev1")
]


def test_the_list_keeps_its_width_while_a_profiles_key_is_read(
    qtbot, worker, memory_keyring
) -> None:
    profile = add_profile(ProfileStore())
    KeyStore().set(profile.id, DEMO_API_KEY)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    key = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key.text() == DEMO_API_KEY, timeout=TIMEOUT)
    badge = dialog.fields.key_badge
    qtbot.waitUntil(badge.isVisible, timeout=TIMEOUT)
    width = dialog.table.viewport().width()
    # While the next profile's key is read, its badge is hidden.
    show_environment_badge(badge, None)
    qtbot.wait(50)
    # Before: the form's column narrowed and the list widened by a hundred pixels, then
    # back once the key was read, at every arrow key (names wrapping and unwrapping, and
    # every row measured again each time).
    assert dialog.table.viewport().width() == width


def test_long_names_that_differ_at_their_end_look_different_in_the_list(
    qtbot, worker, memory_keyring
) -> None:
    store = ProfileStore()
    for name in LONG_NAMES:
        add_profile(store, name)
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.resize(800, 500)
    qtbot.wait(50)
    table = dialog.table
    table.clearSelection()
    model = table.model()
    rows = [
        table.viewport().grab(table.visualRect(model.index(row, 0))).toImage()
        for row in range(len(LONG_NAMES))
    ]
    # Elided at their end, they all read "Acme International Holdings Customer …": a
    # keyboard user could not tell which customer's integration is chosen.
    assert rows[0] != rows[1]
    assert rows[1] != rows[2]
    assert rows[0] != rows[2]
