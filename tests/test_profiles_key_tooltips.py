"""What the profile lists and the key's environment badge say on hover: a key kept for this
session only is not called saved, a key of no Kombo shape is not said to belong to an
"Unknown environment", and a profile without integration ID says so."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QTableView

from kombo_desktop.core.profiles import ProfileStore, save_with_key
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.profile_list_model import ProfileTableModel
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import DEMO_API_KEY
from tests.keyring_support import MemoryKeyring
from tests.profiles_support import (
    add_profile,
    earlier_entry,
    make_picker,
    show_dialog,
    type_into,
    widget,
    write_earlier_file,
)

#: A token of another shape (a proxy's, say): Kombo's keys start with ks_prod_ or ks_dev_.
OTHER_SHAPE_KEY = "proxy_token_4f9a8c2e71d3"


def key_tooltip(table: QTableView, row: int) -> str:
    index = table.model().index(row, ProfileTableModel.KEY_COLUMN)
    return str(index.data(Qt.ItemDataRole.ToolTipRole))


def test_a_key_kept_for_this_session_only_is_not_called_saved(
    qtbot, worker: ApiWorker, memory_keyring: MemoryKeyring
) -> None:
    store, key_store = ProfileStore(), KeyStore()
    profile = add_profile(store)
    save_with_key(store, key_store, profile, DEMO_API_KEY, is_new=False, session_only=True)
    dialog = show_dialog(qtbot, store, key_store, worker)

    tooltip = key_tooltip(widget(dialog, "Profiles", QTableView), 0)
    assert tooltip == "The key kept for this session only belongs to the Development environment"
    assert memory_keyring.passwords == {}


def test_a_key_of_another_shape_is_said_as_such(
    qtbot, worker: ApiWorker, memory_keyring: MemoryKeyring
) -> None:
    store, key_store = ProfileStore(), KeyStore()
    profile = add_profile(store)
    save_with_key(store, key_store, profile, OTHER_SHAPE_KEY, is_new=False)
    dialog = show_dialog(qtbot, store, key_store, worker)

    listed = key_tooltip(widget(dialog, "Profiles", QTableView), 0)
    # The badge beside the key field, as such a key is typed.
    type_into(dialog, "API key", OTHER_SHAPE_KEY)
    badge = widget(dialog, "Key environment", QLabel)
    assert badge.text() == "Unknown"
    for tooltip in (listed, badge.toolTip()):
        assert "Unknown environment" not in tooltip
        assert "does not start with ks_prod_ or ks_dev_" in tooltip


def test_the_profile_list_names_an_integration_id_taken_out_as_missing(
    qtbot, worker: ApiWorker, memory_keyring: MemoryKeyring
) -> None:
    # An earlier version let a key into the integration ID: it is taken out as the file is read.
    write_earlier_file(earlier_entry("p1", "Acme", DEMO_API_KEY))
    picker = make_picker(qtbot, ProfileStore(), KeyStore(), worker)

    combo = widget(picker, "Profile", QComboBox)
    assert combo.itemData(0, Qt.ItemDataRole.ToolTipRole) == "EU · no integration ID"
