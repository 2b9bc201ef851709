"""An API key pasted into the base URL is refused, never kept, listed or copied.

The base URL is the third field of a profile that is saved in plain text and shown in
every list, and every copied curl command starts with it. The one rule for a custom base
URL (``validate_base_url``) refuses a key anywhere in it, with the words the other fields
use and without repeating it; so do the profiles, the command line, the profiles dialog
and the window's connection bar, and a profiles file of an earlier version, which let
such a URL in, is read without the key.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from kombo_desktop.core.connection import Connection, Region, validate_base_url
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import ProfileStore, default_profiles_path
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.settings import app_settings
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import (
    assert_the_connection_stops_a_send,
    assert_the_window_takes_a_key_out_of_the_settings,
    bar_window_holding,
    candidate_id,
    corrected_in_a_new_window,
    line_edit,
)
from tests.profiles_support import (
    choose,
    click,
    earlier_entry,
    show_dialog,
    type_into,
    widget,
    write_earlier_file,
)

PROD_KEY = "ks_prod_keyInBaseUrlTest_7QwE3rTy"
DEV_KEY = "ks_dev_keyInBaseUrlTest_2AsD5fGh"
KEY_MESSAGE = "must not contain an API key (keys start with ks_prod_ or ks_dev_)"
EU = "https://api.kombo.dev/v1"

#: A key where it lands when pasted into the address: as a path segment, onto its end,
#: as a query, where the port goes (the URL parser's own complaint would quote it), in an
#: address that is wrong for another reason too.
KEY_IN_URLS = [
    f"{EU}/{PROD_KEY}",
    f"{EU}/{DEV_KEY}/",
    f"{EU}{PROD_KEY}",
    f"{EU}?api_key={PROD_KEY}",
    f"https://api.kombo.dev:{PROD_KEY}/v1",
    f"http://example.com/{PROD_KEY}",
]


def key_in(url: str) -> str:
    return PROD_KEY if PROD_KEY in url else DEV_KEY


# ---- the core ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", KEY_IN_URLS)
def test_a_base_url_holding_a_key_is_refused_by_the_one_rule_without_quoting_it(url) -> None:
    with pytest.raises(InputError) as by_rule:
        validate_base_url(url)
    with pytest.raises(InputError) as by_connection:
        Connection.create(api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=url)
    with pytest.raises(InputError) as by_profile:
        ProfileStore().checked_profile(
            name="Acme", integration_id=DEMO_INTEGRATION_ID, base_url=url
        )
    for caught in (by_rule, by_connection, by_profile):
        assert caught.value.message_for("base_url") == KEY_MESSAGE
        assert key_in(url) not in str(caught.value)


def test_no_connection_holds_such_a_url_so_no_curl_command_can_carry_it() -> None:
    # Every copied curl command starts with a connection's base URL.
    with pytest.raises(InputError) as caught:
        Connection.create(
            api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=f"{EU}/{PROD_KEY}"
        )
    assert caught.value.fields == ("base_url",)


def test_a_base_url_with_ks_inside_a_word_is_still_one() -> None:
    # "tasks_prod_eu" is a word of a gateway's path, not a key.
    assert validate_base_url("https://gw.example.com/tasks_prod_eu/v1/") == (
        "https://gw.example.com/tasks_prod_eu/v1"
    )


# ---- the command line --------------------------------------------------------------------------


def test_profiles_add_refuses_a_key_in_the_base_url_and_writes_it_nowhere(app_home) -> None:
    added = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--base-url", f"{EU}/{PROD_KEY}", stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    listed = cli(app_home, "profiles", "list", "--json")
    assert added.returncode == 2, output(added)
    assert f"--base-url: {KEY_MESSAGE}" in added.stderr
    assert json.loads(listed.stdout)["profiles"] == []
    assert PROD_KEY not in output(added) + output(listed)
    if app_home.exists():
        assert_no_file_contains(app_home, PROD_KEY)


def test_profiles_edit_refuses_a_key_in_the_base_url_and_keeps_the_address(
    app_home, memory_keyring
) -> None:
    store = ProfileStore()
    store.add_profile(
        store.checked_profile(name="Acme", integration_id=DEMO_INTEGRATION_ID, base_url=EU)
    )
    edited = cli(app_home, "profiles", "edit", "Acme", "--base-url", f"{EU}/{PROD_KEY}")
    assert edited.returncode == 2, output(edited)
    assert f"--base-url: {KEY_MESSAGE}" in edited.stderr
    assert PROD_KEY not in output(edited)
    assert ProfileStore().require_by_name("Acme").base_url == EU
    assert_no_file_contains(app_home, PROD_KEY)


def test_send_refuses_a_key_in_the_base_url_and_sends_nothing(
    fresh_sandbox: Sandbox, app_home
) -> None:
    sent = cli(
        app_home, "send", "--base-url", f"{fresh_sandbox.base_url}/{PROD_KEY}",
        "--integration-id", DEMO_INTEGRATION_ID, "--candidate", candidate_id(fresh_sandbox),
        "--label", "Assessment Result", "--url", "https://example.com/results/1",
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip
    assert sent.returncode == 2, output(sent)
    assert f"--base-url: {KEY_MESSAGE}" in sent.stderr
    assert PROD_KEY not in output(sent)
    assert fresh_sandbox.requests == []


# ---- the profiles dialog -----------------------------------------------------------------------


def test_the_dialog_shows_the_problem_at_the_base_url_keeps_the_text_and_saves_nothing(
    qtbot, worker, memory_keyring, app_home
) -> None:
    app_home.mkdir(parents=True)  # scanned for the key at the end, even if nothing is written
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    type_into(dialog, "Profile name", "Acme")
    choose(dialog, "Region", "Custom URL")
    type_into(dialog, "Base URL", f"{EU}/{PROD_KEY}")
    type_into(dialog, "Integration ID", DEMO_INTEGRATION_ID)
    type_into(dialog, "API key", DEMO_API_KEY)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    base_url = widget(dialog, "Base URL", QLineEdit)
    assert dialog.field_error("base_url") == KEY_MESSAGE
    assert base_url.hasFocus()
    assert base_url.text() == f"{EU}/{PROD_KEY}"  # there to be corrected, not retyped
    assert PROD_KEY not in dialog.status_text()
    assert ProfileStore().profiles() == []
    assert memory_keyring.passwords == {}
    # "Test connection" sends nothing with it either.
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("base_url") == KEY_MESSAGE
    assert PROD_KEY not in dialog.status_text()
    assert_no_file_contains(app_home, PROD_KEY)


# ---- the window's connection bar ---------------------------------------------------------------


def test_the_connection_bar_refuses_a_key_in_the_base_url_and_copies_no_curl_with_it(
    qtbot, fresh_sandbox: Sandbox, app_home
) -> None:
    pasted = f"{fresh_sandbox.base_url}/{PROD_KEY}"
    window, bar = bar_window_holding(qtbot, integration_id=DEMO_INTEGRATION_ID, base_url=pasted)
    problem = f"The base URL {KEY_MESSAGE}."
    assert bar.current_connection() is None
    base_url = assert_the_connection_stops_a_send(
        qtbot, window, fresh_sandbox, problem=problem, field="Base URL", key=PROD_KEY
    )
    assert base_url.text() == pasted  # there to be corrected, not retyped
    # The status bar says where requests go: that the field holds a key, never the key.
    # (Read whole from its tooltip: beside a long status message its text is cut short.)
    status = widget(window, "Connection status", QLabel)
    assert "custom base URL (holds an API key)" in status.toolTip()
    line_edit(window, "Integration ID").setText(f"  {DEV_KEY}")
    assert "integration ID (holds an API key)" in status.toolTip()
    said = status.text() + status.toolTip() + status.accessibleDescription() + bar.describe()
    assert [key in said for key in (PROD_KEY, DEV_KEY)] == [False] * 2
    window.close()
    app_settings().sync()
    assert_no_file_contains(app_home, PROD_KEY)

    # Corrected, it is remembered as any address is.
    with corrected_in_a_new_window(qtbot, "Base URL", fresh_sandbox.base_url):
        pass


def test_a_key_in_a_base_url_kept_by_an_earlier_version_is_taken_out_of_the_settings(
    qtbot, app_home
) -> None:
    assert_the_window_takes_a_key_out_of_the_settings(
        qtbot,
        app_home,
        {"connection/region": "custom", "connection/base_url": f"{EU}/{PROD_KEY}"},
        field="Base URL",
        key=PROD_KEY,
    )


# ---- a profiles file from an earlier version, which let a key in ------------------------------


def earlier_entry_at(
    profile_id: str, name: str, *, base_url: str | None = None, region: str | None = None
) -> dict[str, Any]:
    """A development profile as an earlier version wrote it, at ``base_url`` or in
    ``region``."""
    return earlier_entry(
        profile_id, name, region=region, base_url=base_url, key_environment="Development"
    )


def test_a_key_in_an_earlier_profiles_base_url_is_cut_off_and_the_profile_kept(
    app_home, memory_keyring
) -> None:
    write_earlier_file(
        earlier_entry_at("p1", "Acme", base_url=f"{EU}/{PROD_KEY}"),
        earlier_entry_at("p2", "Beta", base_url=f"http://127.0.0.1:8765/v1/{DEV_KEY}/more"),
        earlier_entry_at("p3", "Gamma", base_url=f"https://{PROD_KEY}.example.com/v1"),
        earlier_entry_at("p4", "Delta", region="us"),
        earlier_entry_at("p5", "Epsilon", base_url=f"https://eu-{PROD_KEY}.example.com/v1"),
    )
    store = ProfileStore()
    result = store.load()
    # The address as far as the key began: the one meant. With no address left (a key in
    # the host), the region every profile starts with. Before, a key inside the host
    # left "https://eu-", part of a host nobody chose.
    assert [(p.id, p.base_url, p.region) for p in result.profiles] == [
        ("p1", EU, None),
        ("p2", "http://127.0.0.1:8765/v1", None),
        ("p3", None, Region.EU),
        ("p4", None, Region.US),
        ("p5", None, Region.EU),
    ]
    assert result.message == " ".join(
        f"An API key was found in the base URL of profile “{name}” and removed from the "
        "profiles file."
        for name in ("Acme", "Beta", "Gamma", "Epsilon")
    )
    assert result.backup_path is None
    assert store.last_used_id == "p1"
    assert_no_file_contains(app_home, PROD_KEY)
    assert_no_file_contains(app_home, DEV_KEY)
    # Nothing set aside: the file, rewritten under its (empty) lock file.
    folder = default_profiles_path().parent
    assert sorted(p.name for p in folder.iterdir()) == ["profiles.json", "profiles.json.lock"]
    again = ProfileStore()
    assert again.load().message is None
    assert again.profiles() == store.profiles()


def test_the_command_line_lists_an_earlier_profile_without_the_key_in_its_base_url(
    app_home,
) -> None:
    write_earlier_file(earlier_entry_at("p1", "Acme", base_url=f"{EU}/{PROD_KEY}"))
    listed = cli(app_home, "profiles", "list", "--json")
    assert listed.returncode == 0, output(listed)
    assert json.loads(listed.stdout)["profiles"][0]["base_url"] == EU
    assert "An API key was found in the base URL of profile “Acme”" in listed.stderr
    assert PROD_KEY not in output(listed)
    assert_no_file_contains(app_home, PROD_KEY)
