"""An API key copied from a command line, a YAML or a JSON file into the integration ID.

Such a key comes with the option, the name or the quotes around it in the file it was
copied from: ``--api-key=ks_prod_…``, ``api_key: ks_prod_…``, ``{"apiKey":"ks_prod_…"}``.
It is still a key: refused at the field, said without being repeated, and kept in no
file, so it is never shown back. An ATS's own id (``workday:ks_prod_abc``) is not a key.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.connection import (
    Connection,
    Region,
    looks_like_api_key,
    validate_integration_id,
)
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.settings import app_settings
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import bar_window, line_edit
from tests.profiles_support import click, show_dialog, type_into, widget

PROD_KEY = "ks_prod_copiedWithItsName_7RtW3"
DEV_KEY = "ks_dev_copiedWithItsName_2PqZ8"
INTEGRATION_MESSAGE = "must not be an API key (keys start with ks_prod_ or ks_dev_)"

#: A key as it stands in a command line, a YAML file or a JSON file, and the key.
KEY_WITH_ITS_NAME = [
    (f"--api-key={PROD_KEY}", PROD_KEY),
    (f"--api-key {PROD_KEY}", PROD_KEY),
    (f"api_key: {PROD_KEY}", PROD_KEY),
    (f'"apiKey": "{PROD_KEY}"', PROD_KEY),
    (f'{{"apiKey":"{PROD_KEY}"}}', PROD_KEY),
    (f'{{"api_key": "{DEV_KEY}"}}', DEV_KEY),
    # Labelled as a dashboard, a password manager or a mail labels it; minified script;
    # PowerShell's assignment: no integration ID holds a space or a quote.
    (f"API Key: {PROD_KEY}", PROD_KEY),
    (f'apiKey:"{PROD_KEY}"', PROD_KEY),
    (f'$env:KOMBO_API_KEY="{DEV_KEY}"', DEV_KEY),
    # Pasted right after a word: as long as a key, so a key, unlike an ATS's own id.
    (f"acme{PROD_KEY}", PROD_KEY),
]
SHAPES = [pasted for pasted, _key in KEY_WITH_ITS_NAME]

#: Integration IDs, some with ``ks_`` after the ATS's own prefix.
INTEGRATION_IDS = [
    "workday:ks_prod_abc",
    "greenhouse:ks_dev_4821",
    "workday:HWUTwvyx2wLoSUHphiWVrp28",
    DEMO_INTEGRATION_ID,
]


# ---- the core ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("pasted", "key"), KEY_WITH_ITS_NAME)
def test_a_key_with_its_name_is_refused_as_an_integration_id(pasted: str, key: str) -> None:
    assert looks_like_api_key(pasted)
    with pytest.raises(InputError) as caught:
        validate_integration_id(pasted)
    assert caught.value.message_for("integration_id") == INTEGRATION_MESSAGE
    assert key not in str(caught.value)


@pytest.mark.parametrize("pasted", SHAPES)
def test_a_connection_with_such_an_integration_id_is_never_made(pasted: str) -> None:
    with pytest.raises(InputError) as caught:
        Connection.create(api_key=DEMO_API_KEY, integration_id=pasted, region=Region.EU)
    assert caught.value.fields == ("integration_id",)


@pytest.mark.parametrize("integration_id", INTEGRATION_IDS)
def test_an_integration_id_is_still_accepted(integration_id: str) -> None:
    assert not looks_like_api_key(integration_id)
    assert validate_integration_id(integration_id) == integration_id


@pytest.mark.parametrize("integration_id", INTEGRATION_IDS)
def test_an_integration_id_copied_with_its_quotes_is_no_key(integration_id: str) -> None:
    assert not looks_like_api_key(f'"{integration_id}"')
    assert not looks_like_api_key(f"'{integration_id}'")


@pytest.mark.parametrize("name", ["api_key", "KOMBO_API_KEY", "Authorization"])
def test_a_name_a_colon_and_a_space_before_a_key_is_a_key(name: str) -> None:
    # A space after the colon is what YAML needs, and what no integration ID holds.
    assert looks_like_api_key(f"{name}: {PROD_KEY}")
    # Without the space a short token after a prefix is an ATS's own id; a whole key
    # there is still a key.
    assert not looks_like_api_key(f"{name}:ks_prod_abc")
    assert looks_like_api_key(f"{name}:{PROD_KEY}")


# ---- the window's integration ID field, pasted into with Ctrl+V ------------------------------


def paste_into(qtbot, field: QLineEdit, clipboard, text: str) -> None:
    """Select what ``field`` holds and paste ``text`` over it with Ctrl+V."""
    field.setFocus()
    field.selectAll()
    clipboard.setText(text)
    qtbot.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize(("pasted", "key"), KEY_WITH_ITS_NAME)
def test_the_window_refuses_it_at_the_field_and_never_shows_it_back(
    qtbot, clipboard, app_home, pasted: str, key: str
) -> None:
    window = bar_window(qtbot)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    integration = line_edit(window, "Integration ID")
    paste_into(qtbot, integration, clipboard, pasted)
    assert integration.text() == pasted
    problem = f"The integration ID {INTEGRATION_MESSAGE}."
    assert is_marked(integration)
    assert integration.toolTip() == problem
    assert problem in integration.accessibleDescription()
    assert bar.current_connection() is None
    window.close()
    app_settings().sync()
    assert_no_file_contains(app_home, key)
    # Opened again, the field is empty: the key was kept nowhere to be shown from.
    assert line_edit(bar_window(qtbot), "Integration ID").text() == ""


def test_the_window_keeps_an_integration_id_with_ks_after_its_prefix(
    qtbot, clipboard, app_home
) -> None:
    window = bar_window(qtbot)
    integration = line_edit(window, "Integration ID")
    paste_into(qtbot, integration, clipboard, "workday:ks_prod_abc")
    assert not is_marked(integration)
    window.close()
    assert line_edit(bar_window(qtbot), "Integration ID").text() == "workday:ks_prod_abc"


# ---- the profiles dialog's integration ID field ------------------------------------------------


@pytest.mark.parametrize(("pasted", "key"), KEY_WITH_ITS_NAME)
def test_the_profiles_dialog_refuses_it_at_the_field_and_saves_nothing(
    qtbot, worker, memory_keyring, clipboard, app_home, pasted: str, key: str
) -> None:
    app_home.mkdir(parents=True)  # scanned for the key at the end, even if nothing is written
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    type_into(dialog, "Profile name", "Acme")
    paste_into(qtbot, widget(dialog, "Integration ID", QLineEdit), clipboard, pasted)
    type_into(dialog, "API key", DEMO_API_KEY)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: not dialog._writer.busy, timeout=10_000)
    assert dialog.field_error("integration_id") == INTEGRATION_MESSAGE
    assert widget(dialog, "Integration ID", QLineEdit).hasFocus()
    assert key not in dialog.status_text()
    assert ProfileStore().profiles() == []
    assert memory_keyring.passwords == {}
    assert_no_file_contains(app_home, key)
