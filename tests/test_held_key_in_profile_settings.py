"""A key the app holds, whatever its shape, is never saved as a profile's name, base URL
or integration ID, nor sent as a connection test's.

Those settings are written in clear into the profiles file and shown in every list. A
key of Kombo's documented shape (``ks_…``) was always refused there; a key of another
shape (a customer's proxy token saved as a profile's key) was saved as typed. The app
knows the keys it holds: the one being saved with the profile, the one in the dialog's
key field, every key the window or the dialog read, and on the command line the one in
``KOMBO_API_KEY``. The real window against the sandbox, the real keyring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from kombo_desktop.core.connection import (
    HELD_KEY_IN_TEXT_PROBLEM,
    KEY_SHAPE,
    NO_HELD_KEYS,
    Connection,
    Environment,
    HeldKeys,
    Region,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.profiles import EXPORT_FORMAT, ProfileStore, build_profile
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import READING_KEY
from kombo_desktop.qt.profiles_dialog import ProfilesDialog
from kombo_desktop.qt.settings import app_settings
from kombo_desktop.qt.unsaved_changes import UnsavedChoice
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output
from tests.draft_profile_support import open_window, picker_of, saved, window_holding
from tests.keyring_support import keyring_gains_no_entry_holding, require_real_secret_service
from tests.leakcheck import files_containing
from tests.profiles_support import (
    TIMEOUT,
    answer_unsaved,
    choose,
    click,
    fill_form,
    open_manager,
    wait_for_status,
    widget,
)
from tests.qt_helpers import texts_shown

#: A key of no documented shape: a proxy's token, saved as a profile's key.
PROXY_KEY = "gateway.7Tq2Wm9Zx4Rb8Kc1Vn6"
#: A key of Kombo's shape, which an import takes out whoever holds it.
KOMBO_SHAPED_KEY = "ks_prod_" + "Hj4Lq8Nw2Xe6Tz0Pb3Vc7Mf5"
#: The same key as pasted from a page that put an invisible character inside it.
PROXY_KEY_AS_PASTED = PROXY_KEY[:9] + "\u200b" + PROXY_KEY[9:]
#: A host name whose problem, said without the key check, quotes the host and the key.
HOST_QUOTED = f"https://{PROXY_KEY}Ⅻ.example.com"
NOT_SAVED = "Nothing was saved. Correct the marked fields and save again."
#: How the status bar names an integration ID holding the profile's key.
HELD_INTEGRATION_ID = "integration ID (holds an API key)"

#: Each saved setting, with a text holding the key as a person might paste it there.
SETTINGS_HOLDING_THE_KEY = [
    ("profile_name", {"name": f"Acme ({PROXY_KEY})"}),
    ("profile_name", {"name": f"Acme {PROXY_KEY_AS_PASTED}"}),
    ("integration_id", {"integration_id": PROXY_KEY}),
    ("base_url", {"base_url": f"https://gw.example.com/{PROXY_KEY}"}),
]


def checked(held: HeldKeys, **typed: Any) -> Any:
    """``ProfileStore.checked_profile`` of a profile for the EU region (or at the base URL
    given) with ``typed`` in place of its settings."""
    settings: dict[str, Any] = {"name": "Acme", "integration_id": DEMO_INTEGRATION_ID}
    settings.update(typed)
    if "base_url" not in typed:
        settings["region"] = "eu"
    return ProfileStore().checked_profile(held=held, **settings)


# ---- the core ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "typed"), SETTINGS_HOLDING_THE_KEY)
def test_a_held_key_in_a_saved_setting_is_refused_without_quoting_it(
    field: str, typed: dict[str, str]
) -> None:
    # Before: each was taken, to be saved in clear (the key's shape is not Kombo's).
    assert checked(NO_HELD_KEYS, **typed).name
    with pytest.raises(InputError) as raised:
        checked(HeldKeys.of([PROXY_KEY]), **typed)
    assert raised.value.errors == (FieldError(field, HELD_KEY_IN_TEXT_PROBLEM),)
    assert PROXY_KEY not in str(raised.value)


def test_the_key_problem_replaces_a_problem_that_quotes_the_key() -> None:
    with pytest.raises(InputError) as unknown:
        checked(NO_HELD_KEYS, base_url=HOST_QUOTED)
    assert PROXY_KEY in str(unknown.value)  # what the host's problem would have shown

    with pytest.raises(InputError) as held:
        checked(HeldKeys.of([PROXY_KEY]), base_url=HOST_QUOTED, name=f"Acme {PROXY_KEY}")
    assert held.value.errors == (
        FieldError("profile_name", HELD_KEY_IN_TEXT_PROBLEM),
        FieldError("base_url", HELD_KEY_IN_TEXT_PROBLEM),
    )


def test_a_connection_refuses_its_own_key_in_its_settings_in_the_words_of_its_shape() -> None:
    with pytest.raises(InputError) as proxy:
        Connection.create(api_key=PROXY_KEY, integration_id=f"gh:{PROXY_KEY}", region=Region.EU)
    assert proxy.value.errors == (FieldError("integration_id", HELD_KEY_IN_TEXT_PROBLEM),)
    # A key of Kombo's shape is refused as one, whichever key the connection has.
    with pytest.raises(InputError) as kombo:
        Connection.create(api_key=DEMO_API_KEY, integration_id=DEMO_API_KEY, region=Region.EU)
    assert kombo.value.errors == (
        FieldError("integration_id", f"must not be an API key ({KEY_SHAPE})"),
    )


# ---- the command line --------------------------------------------------------------------------


@pytest.mark.secret_service
def test_profiles_add_refuses_the_key_it_reads_in_the_name(app_home: Path) -> None:
    require_real_secret_service()
    with keyring_gains_no_entry_holding(PROXY_KEY):
        added = cli(
            app_home, "profiles", "add", f"Acme ({PROXY_KEY})",
            "--integration-id", DEMO_INTEGRATION_ID, "--region", "eu",
            stdin=PROXY_KEY + "\n",
        )  # fmt: skip
    assert added.returncode == 2, output(added)
    assert f"NAME: {HELD_KEY_IN_TEXT_PROBLEM}" in added.stderr
    assert PROXY_KEY not in output(added)
    assert ProfileStore().profiles() == []
    assert files_containing(app_home, PROXY_KEY) == []


@pytest.mark.parametrize("command", ["add", "edit"])
def test_profiles_add_and_edit_refuse_the_key_in_the_environment(
    app_home: Path, real_keyring: None, command: str
) -> None:
    if command == "edit":
        ProfileStore().add_profile(
            build_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, region="eu")
        )
    given = ["Acme"] if command == "edit" else ["Acme", "--region", "eu"]
    changed = cli(
        app_home, "profiles", command, *given, "--integration-id", f"greenhouse:{PROXY_KEY}",
        stdin=DEMO_API_KEY + "\n", KOMBO_API_KEY=PROXY_KEY,
    )  # fmt: skip
    assert changed.returncode == 2, output(changed)
    assert f"--integration-id: {HELD_KEY_IN_TEXT_PROBLEM}" in changed.stderr
    assert PROXY_KEY not in output(changed)
    assert files_containing(app_home, PROXY_KEY) == []


@pytest.mark.secret_service
@pytest.mark.parametrize(
    ("setting", "given"),
    [("--name", f"Acme {PROXY_KEY}"), ("--integration-id", f"greenhouse:{PROXY_KEY}")],
    ids=["name", "integration-id"],
)
def test_profiles_edit_refuses_the_profiles_own_key(
    app_home: Path, real_keyring: None, setting: str, given: str
) -> None:
    added = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--region", "eu", stdin=PROXY_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)

    # Before: the key was saved in clear as the name or the ID, and printed back.
    edited = cli(app_home, "profiles", "edit", "Acme", setting, given)
    assert edited.returncode == 2, output(edited)
    assert f"{setting}: {HELD_KEY_IN_TEXT_PROBLEM}" in edited.stderr
    assert PROXY_KEY not in output(edited)
    assert files_containing(app_home, PROXY_KEY) == []


@pytest.mark.secret_service
def test_profiles_set_key_refuses_a_key_its_profiles_settings_hold(
    app_home: Path, real_keyring: None
) -> None:
    # A profile saved before keys of every shape were refused in its settings.
    ProfileStore().add_profile(
        build_profile(name=f"Acme {PROXY_KEY}", integration_id=DEMO_INTEGRATION_ID, region="eu")
    )
    with keyring_gains_no_entry_holding(PROXY_KEY):
        stored = cli(app_home, "profiles", "set-key", f"Acme {PROXY_KEY}", stdin=PROXY_KEY + "\n")
    assert stored.returncode == 2, output(stored)
    # Before: "NAME: must not contain an API key", nothing more (set-key has no option to
    # change it, and did not say the key was not stored).
    assert stored.stderr == (
        "The profile's name holds this API key, and would show it: change it first with "
        "`kombo-desktop profiles edit` (--name, --integration-id or --base-url). "
        "The key was not changed.\n"
    )


@pytest.mark.parametrize("setting", ["--integration-id", "--base-url"])
def test_send_refuses_its_key_as_the_integration_id_or_in_the_base_url(
    app_home: Path, fresh_sandbox: Sandbox, setting: str
) -> None:
    address = {
        "--integration-id": ["--base-url", fresh_sandbox.base_url, setting, PROXY_KEY],
        "--base-url": [
            "--integration-id", DEMO_INTEGRATION_ID,
            setting, f"{fresh_sandbox.base_url}/{PROXY_KEY}",
        ],
    }[setting]  # fmt: skip
    sent = cli(
        app_home, "send", *address, "--candidate", fresh_sandbox.candidates[0]["id"],
        "--label", "Assessment Result", "--url", "https://example.com/results/1",
        KOMBO_API_KEY=PROXY_KEY,
    )  # fmt: skip
    # Before: sent in the X-Integration-Id header, or in the path, beside Authorization.
    assert sent.returncode == 2, output(sent)
    assert f"{setting}: {HELD_KEY_IN_TEXT_PROBLEM}" in sent.stderr
    assert fresh_sandbox.requests == []
    assert PROXY_KEY not in output(sent)


@pytest.mark.parametrize(
    "mistake", [["--timeout", PROXY_KEY, "--json"], ["--region", PROXY_KEY], ["--nope", PROXY_KEY]]
)
def test_a_mistake_in_the_arguments_never_quotes_the_key_in_the_environment(
    app_home: Path, mistake: list[str]
) -> None:
    refused = cli(
        app_home, "send", "--candidate", "c1", "--label", "L", "--url", "https://e.com/r",
        *mistake, KOMBO_API_KEY=PROXY_KEY,
    )  # fmt: skip
    assert refused.returncode == 2, output(refused)
    # Before: "“gateway.7Tq2…” is not a number of seconds", "invalid choice: 'gateway…'".
    assert PROXY_KEY not in output(refused)
    assert "[redacted]" in output(refused)


# ---- imports ------------------------------------------------------------------------------------

#: What an import says of a profile whose settings held a key (the file still holds it).
KEY_LEFT_OUT = "The file holds an API key, which was not imported, for: “Acme [API key removed]”."


def export_holding_the_key(folder: Path) -> Path:
    """An export another computer (or an earlier version) wrote, with the proxy's key in
    its profile's name, base URL and integration ID."""
    entry = {
        "name": f"Acme {PROXY_KEY}",
        "base_url": f"https://gw.example.com/{PROXY_KEY}",
        "integration_id": f"gh:{PROXY_KEY}",
    }
    file = folder / "profiles-export.json"
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": [entry]}
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


def test_an_import_takes_a_held_key_out_of_every_setting(tmp_path: Path, app_home: Path) -> None:
    text = export_holding_the_key(tmp_path).read_text(encoding="utf-8")

    result = ProfileStore().import_json(text, HeldKeys.of([PROXY_KEY]))

    # Before: imported as it was, the key in clear in the profiles file and every list.
    (imported,) = result.imported
    assert (imported.name, imported.base_url, imported.integration_id) == (
        "Acme [API key removed]",
        "https://gw.example.com",
        "",
    )
    assert KEY_LEFT_OUT in result.message
    assert files_containing(app_home, PROXY_KEY) == []


@pytest.mark.parametrize(
    ("base_url", "imported"),
    [
        (f"https://gw.example.com/proxy/{PROXY_KEY}/kombo/v1", "https://gw.example.com/proxy"),
        (f"https://gw.example.com/proxy/{KOMBO_SHAPED_KEY}/v1", "https://gw.example.com/proxy"),
        (f"https://gw.example.com/{KOMBO_SHAPED_KEY}/{PROXY_KEY}", "https://gw.example.com"),
        (f"https://eu-{PROXY_KEY}-gw.example.com/v1", None),
        (f"https://eu-{KOMBO_SHAPED_KEY}.example.com/v1", None),
        (f"https://{PROXY_KEY}.proxy.example.com/v1", None),
        (f"https://{PROXY_KEY}@gw.example.com/v1", None),
    ],
    ids=[
        "path",
        "kombo-shaped-in-path",
        "both-in-path",
        "inside-host",
        "kombo-shaped-inside-host",
        "host-start",
        "user-info",
    ],
)
def test_an_import_cuts_a_base_url_where_a_held_key_began(
    base_url: str, imported: str | None
) -> None:
    entry = {"name": "Acme", "base_url": base_url, "integration_id": "gh:1"}
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": [entry]}
    result = ProfileStore().import_json(json.dumps(document), HeldKeys.of([PROXY_KEY]))

    (profile,) = result.imported
    # Before: the key alone was taken out, leaving "https://eu--gw.example.com/v1", a host
    # nobody chose, or ".proxy.example.com", and later, "https://eu-", cut where the key
    # began in the host; with no address left, EU, where every new profile starts.
    assert (profile.base_url, profile.region) == (
        (imported, None) if imported else (None, Region.EU)
    )


def test_profiles_import_takes_the_key_in_the_environment_out(
    tmp_path: Path, app_home: Path
) -> None:
    file = export_holding_the_key(tmp_path)
    imported = cli(app_home, "profiles", "import", str(file), KOMBO_API_KEY=PROXY_KEY)
    assert imported.returncode == 0, output(imported)
    assert KEY_LEFT_OUT in imported.stdout
    assert PROXY_KEY not in output(imported)
    assert files_containing(app_home, PROXY_KEY) == []


def test_manage_profiles_takes_a_key_the_window_holds_out_of_an_import(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, app_home: Path
) -> None:
    dialog = open_manager(qtbot, window)
    dialog.import_from(export_holding_the_key(tmp_path))
    status = wait_for_status(qtbot, dialog, "mported")
    assert KEY_LEFT_OUT in status
    assert files_containing(app_home, PROXY_KEY) == []
    assert "Acme [API key removed]" in [p.name for p in ProfileStore().profiles()]


# ---- the connection bar (no profiles) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("integration_id", "base_url"),
    [
        (f"greenhouse:{PROXY_KEY}", "https://api.kombo.dev/v1"),
        (DEMO_INTEGRATION_ID, f"https://gw.example.com/{PROXY_KEY}"),
    ],
    ids=["integration-id", "base-url"],
)
def test_the_bar_keeps_its_key_out_of_the_settings_and_the_status_bar(
    qtbot: QtBot, app_home: Path, integration_id: str, base_url: str
) -> None:
    bar = ConnectionBar(settings=app_settings())
    qtbot.addWidget(bar)
    bar.set_values(api_key=PROXY_KEY, integration_id=integration_id, base_url=base_url)
    assert bar.current_connection() is None  # refused, as the connection it would make
    # Before: described in the status bar, and kept in the settings file in clear.
    assert PROXY_KEY not in bar.describe()
    assert "(holds an API key)" in bar.describe()
    app_settings().sync()
    assert files_containing(app_home, PROXY_KEY) == []


# ---- a profile saved by an earlier version with its key in a setting ---------------------------


def test_the_window_neither_sends_with_nor_shows_a_profiles_key_in_its_integration_id(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    earlier = ProfileStore().add_profile(
        build_profile(
            name="Acme", integration_id=f"gh:{PROXY_KEY}", base_url=fresh_sandbox.base_url
        )
    )
    KeyStore().set(earlier.id, PROXY_KEY)
    saved(fresh_sandbox, "Globex")
    window = open_window(qtbot)
    picker = picker_of(window)
    choose(window, "Profile", "Acme")
    qtbot.waitUntil(lambda: picker.connection_problem() != READING_KEY, timeout=TIMEOUT)

    # Before: sent with, the key in its X-Integration-Id header, and shown in the status
    # bar as "gh:gateway.7Tq2Wm9Zx4Rb…"; the problem now says where to correct it.
    assert picker.current_connection() is None
    assert picker.connection_problem() == (
        "The integration ID must not contain an API key. "
        "Correct the integration ID in Manage profiles."
    )
    assert picker.describe() == f"Acme · {fresh_sandbox.base_url} · {HELD_INTEGRATION_ID}"
    assert_shows_no_key(window)
    # Nor once the list is read again, nor when another profile is chosen and then it.
    picker.reload()
    assert_shows_no_key(window)
    choose(window, "Profile", "Globex")
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    assert picker.describe() == f"Globex · {fresh_sandbox.base_url} · {DEMO_INTEGRATION_ID[:23]}…"
    choose(window, "Profile", "Acme")
    assert picker.connection_problem() == READING_KEY
    assert picker.describe() == f"Acme · {fresh_sandbox.base_url} · {HELD_INTEGRATION_ID}"
    assert fresh_sandbox.requests == []


@pytest.mark.secret_service
def test_profiles_list_names_the_settings_holding_a_profiles_key_rather_than_show_them(
    app_home: Path,
) -> None:
    earlier_profile_with_its_key(
        PROXY_KEY,
        name="Acme",
        integration_id=f"gh:{PROXY_KEY}",
        base_url=f"https://gw.example.com/{PROXY_KEY}",
    )
    ProfileStore().add_profile(
        build_profile(name="Globex", integration_id="gh:globex", base_url="https://gw.example.com")
    )

    # Before: both shown in full, the key with them.
    listed, as_json = listed_showing_no_key(app_home)
    assert "custom base URL (holds an API key)" in listed.stdout
    assert "integration ID (holds an API key)" in listed.stdout
    assert "gh:globex" in listed.stdout
    assert listed.stdout.endswith(
        "\n“Acme”: its base URL and integration ID hold its API key, which is not shown: "
        "change them with `kombo-desktop profiles edit` (--name, --integration-id or "
        "--base-url).\n"
    )
    acme, globex = json.loads(as_json.stdout)["profiles"]
    assert (acme["base_url"], acme["integration_id"]) == (None, None)
    assert acme["settings_holding_key"] == ["base_url", "integration_id"]
    assert (globex["integration_id"], globex["settings_holding_key"]) == ("gh:globex", [])


@pytest.mark.secret_service
@pytest.mark.parametrize(
    "stored",
    [f'"{PROXY_KEY}"', f"KOMBO_API_KEY={PROXY_KEY}", f'export KOMBO_API_KEY="{PROXY_KEY}";'],
    ids=["quotes", "env-line", "shell-line"],
)
def test_profiles_list_names_a_name_holding_a_key_saved_with_its_quotes(
    app_home: Path, stored: str
) -> None:
    # An earlier version saved the key with its quotes (or its .env line): the name holds
    # the key without them, and the command to save it again would have to name it.
    earlier_profile_with_its_key(
        stored, name=f"Acme {PROXY_KEY}", integration_id="gh:acme", region="eu"
    )

    # Before: the name in the table, the problem line, its set-key command and the JSON.
    listed, as_json = listed_showing_no_key(app_home)
    assert "name (holds an API key)" in listed.stdout
    assert "Save only the key again in the window (Manage profiles)." in listed.stdout
    assert "change it in the window (Manage profiles)." in listed.stdout
    [row] = json.loads(as_json.stdout)["profiles"]
    assert (row["name"], row["settings_holding_key"]) == (None, ["name"])


@pytest.mark.secret_service
def test_profiles_list_takes_no_other_value_of_a_saved_env_line_for_the_key(
    app_home: Path,
) -> None:
    # Only the key's own value is the key: the integration ID beside it on the line is
    # the profile's own, and shown.
    integration_id = "gh:acme-personio-8f3k2"
    stored = f"KOMBO_API_KEY={PROXY_KEY} KOMBO_INTEGRATION_ID={integration_id}"
    earlier_profile_with_its_key(stored, name="Acme", integration_id=integration_id, region="eu")
    listed, as_json = listed_showing_no_key(app_home)
    assert integration_id in listed.stdout
    [row] = json.loads(as_json.stdout)["profiles"]
    assert (row["integration_id"], row["settings_holding_key"]) == (integration_id, [])


def earlier_profile_with_its_key(stored: str, **settings: Any) -> None:
    """A profile an earlier version saved with ``settings`` (of no known key kind), its
    key kept in the real keyring as ``stored``."""
    require_real_secret_service()
    earlier = ProfileStore().add_profile(
        build_profile(**settings, key_environment=Environment.UNKNOWN)
    )
    KeyStore().set(earlier.id, stored, as_stored=True)


def listed_showing_no_key(app_home: Path) -> tuple[Any, Any]:
    """``profiles list`` and ``profiles list --json``, once each has said nothing of the
    proxy's key."""
    listed = cli(app_home, "profiles", "list")
    as_json = cli(app_home, "profiles", "list", "--json")
    assert listed.returncode == as_json.returncode == 0, output(listed) + output(as_json)
    assert PROXY_KEY not in output(listed) + output(as_json)
    return listed, as_json


def assert_shows_no_key(window: MainWindow) -> None:
    """No text of ``window`` and no tooltip of its Profile list shows the proxy's key."""
    combo = widget(window, "Profile", QComboBox)
    tooltips = [combo.itemData(row, Qt.ItemDataRole.ToolTipRole) for row in range(combo.count())]
    assert [text for text in [*texts_shown(window), *tooltips] if PROXY_KEY[:12] in text] == []


# ---- Manage profiles ---------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None) -> MainWindow:
    """The app's window, which read the proxy profile's key, then chose another profile."""
    return window_holding(qtbot, fresh_sandbox, PROXY_KEY)


def new_profile_form(qtbot: QtBot, window: MainWindow) -> ProfilesDialog:
    """Manage profiles with its form emptied for a new profile (Add profile); what the
    test types there is discarded when the window closes."""
    dialog = open_manager(qtbot, window)
    answer_unsaved(dialog, UnsavedChoice.DISCARD)
    click(qtbot, dialog, "Add profile")
    return dialog


def saved_with_problem(qtbot: QtBot, dialog: ProfilesDialog, field: str) -> str:
    """Press Save profile; the problem then shown at ``field``, once the status says the
    profile was not saved."""
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: dialog.status_text() == NOT_SAVED, timeout=TIMEOUT)
    return dialog.field_error(field)


def assert_saved_nowhere(dialog: ProfilesDialog, app_home: Path, typed_in: QLineEdit) -> None:
    """No profile was added and no file holds the key; the dialog shows it only in the
    field it was typed in and in the key field (masked) when it was typed there."""
    assert [profile.name for profile in ProfileStore().profiles()] == ["Acme proxy", "Globex"]
    assert files_containing(app_home, PROXY_KEY) == []
    in_key_field = widget(dialog, "API key", QLineEdit).text()
    shown = [text for text in texts_shown(dialog, but=typed_in) if PROXY_KEY in text]
    assert shown == ([in_key_field] if PROXY_KEY in in_key_field else [])


def test_a_key_the_window_holds_is_refused_as_a_new_profiles_name(
    qtbot: QtBot, window: MainWindow, app_home: Path
) -> None:
    dialog = new_profile_form(qtbot, window)
    fill_form(dialog, name=f"Initech ({PROXY_KEY})", key=DEMO_API_KEY)

    # Before: saved, and listed by name in the window's Profile list.
    assert saved_with_problem(qtbot, dialog, "profile_name") == HELD_KEY_IN_TEXT_PROBLEM
    name_field = widget(dialog, "Profile name", QLineEdit)
    assert name_field.hasFocus()
    assert name_field.text() == f"Initech ({PROXY_KEY})"  # kept, to be corrected
    assert_saved_nowhere(dialog, app_home, name_field)


def test_the_key_typed_with_the_profile_is_refused_in_its_base_url_without_quoting_it(
    qtbot: QtBot, window: MainWindow, app_home: Path
) -> None:
    dialog = new_profile_form(qtbot, window)
    fill_form(dialog, name="Initech", base_url=HOST_QUOTED, key=PROXY_KEY)

    assert saved_with_problem(qtbot, dialog, "base_url") == HELD_KEY_IN_TEXT_PROBLEM
    assert_saved_nowhere(dialog, app_home, widget(dialog, "Base URL", QLineEdit))


def test_a_key_the_window_holds_is_neither_saved_nor_tested_as_an_integration_id(
    qtbot: QtBot, window: MainWindow, fresh_sandbox: Sandbox, app_home: Path
) -> None:
    dialog = new_profile_form(qtbot, window)
    # Another key in the key field: only the window's knowledge refuses this one.
    fill_form(dialog, name="Initech", integration_id=PROXY_KEY, key=DEMO_API_KEY)
    integration_field = widget(dialog, "Integration ID", QLineEdit)

    assert saved_with_problem(qtbot, dialog, "integration_id") == HELD_KEY_IN_TEXT_PROBLEM
    dialog.fields.clear_errors()
    heard_before = len(fresh_sandbox.requests)
    # Before: sent to the server as the X-Integration-Id header, and written to the log.
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("integration_id") == HELD_KEY_IN_TEXT_PROBLEM
    assert len(fresh_sandbox.requests) == heard_before
    assert_saved_nowhere(dialog, app_home, integration_field)
