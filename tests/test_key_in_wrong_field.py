"""An API key pasted into the integration ID or the profile name is refused, never kept.

Both a key and an integration ID are long tokens copied from Kombo's dashboard: one
pasted in place of the other would be saved in plain text, listed, shown in the
preview and sent as the ``X-Integration-Id`` header. Each place that takes them
refuses such a value at its field, without repeating it, and writes it nowhere.
"""

from __future__ import annotations

import json
from dataclasses import replace

import keyring
import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.connection import Connection, Environment, Region
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.profiles import (
    Profile,
    ProfileStore,
    connection_for_profile,
    default_profiles_path,
)
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.settings import app_settings
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output
from tests.keyring_support import (
    MemoryKeyring,
    keyring_gains_no_entry_holding,
    require_real_secret_service,
)
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import (
    assert_the_connection_stops_a_send,
    assert_the_window_takes_a_key_out_of_the_settings,
    bar_window_holding,
    candidate_id,
    corrected_in_a_new_window,
    line_edit,
)
from tests.profile_files import add_unreadable_entry
from tests.profiles_support import (
    TIMEOUT,
    click,
    earlier_entry,
    make_picker,
    show_dialog,
    type_into,
    widget,
    write_earlier_file,
)

PROD_KEY = "ks_prod_swappedFieldsTest_9XkQ2"
DEV_KEY = "ks_dev_swappedFieldsTest_4Lm7"
INTEGRATION_MESSAGE = "must not be an API key (keys start with ks_prod_ or ks_dev_)"
NAME_MESSAGE = "must not contain an API key (keys start with ks_prod_ or ks_dev_)"


# ---- the core ----------------------------------------------------------------------------------


#: A key as it is often copied: with its quotes, from a config line, with an invisible mark.
KEY_AS_COPIED = [
    f'"{PROD_KEY}"',
    f"'{PROD_KEY}'",
    f"KOMBO_API_KEY={PROD_KEY}",
    f'KOMBO_API_KEY="{PROD_KEY}"',
    f"Bearer {PROD_KEY}",
    f"\u200b{PROD_KEY}",
]


@pytest.mark.parametrize("key", [PROD_KEY, DEV_KEY, f"  {PROD_KEY}\n", *KEY_AS_COPIED])
def test_a_profile_refuses_a_key_as_its_integration_id(app_home, key) -> None:
    with pytest.raises(InputError) as caught:
        ProfileStore().checked_profile(name="Acme", integration_id=key, region="eu")
    assert caught.value.message_for("integration_id") == INTEGRATION_MESSAGE
    assert key.strip() not in str(caught.value)


@pytest.mark.parametrize("name", [PROD_KEY, f"Acme {DEV_KEY}"])
def test_a_profile_refuses_a_key_in_its_name(app_home, name) -> None:
    with pytest.raises(InputError) as caught:
        ProfileStore().checked_profile(name=name, integration_id=DEMO_INTEGRATION_ID, region="eu")
    assert caught.value.message_for("profile_name") == NAME_MESSAGE
    assert "ks_" not in str(caught.value).replace("ks_prod_ or ks_dev_", "")


def test_a_connection_refuses_a_key_as_its_integration_id() -> None:
    with pytest.raises(InputError) as caught:
        Connection.create(api_key=DEV_KEY, integration_id=PROD_KEY, region=Region.EU)
    assert caught.value.fields == ("integration_id",)
    assert PROD_KEY not in str(caught.value)


def test_an_integration_id_that_only_mentions_ks_is_still_one() -> None:
    # Only the start of a key is told apart: ids from ATSs can hold anything after it.
    connection = Connection.create(
        api_key=DEV_KEY, integration_id="workday:ks_prod_abc", region=Region.EU
    )
    assert connection.integration_id == "workday:ks_prod_abc"


# ---- the command line --------------------------------------------------------------------------


@pytest.mark.secret_service
def test_profiles_add_refuses_a_key_as_the_integration_id_and_writes_it_nowhere(
    app_home,
) -> None:
    require_real_secret_service()
    with keyring_gains_no_entry_holding(PROD_KEY, DEV_KEY):
        added = cli(
            app_home, "profiles", "add", "Acme", "--integration-id", PROD_KEY, "--region", "eu",
            stdin=DEV_KEY + "\n",
        )  # fmt: skip
    assert added.returncode == 2, output(added)
    assert f"--integration-id: {INTEGRATION_MESSAGE}" in added.stderr
    assert PROD_KEY not in output(added)
    listed = cli(app_home, "profiles", "list")
    assert "No profiles yet" in listed.stdout
    assert PROD_KEY not in output(listed)
    assert_no_file_contains(app_home, PROD_KEY)
    assert_no_file_contains(app_home, DEV_KEY)  # the real key was not asked for


@pytest.mark.secret_service
def test_profiles_add_refuses_a_key_as_the_name(app_home) -> None:
    require_real_secret_service()
    with keyring_gains_no_entry_holding(PROD_KEY, DEV_KEY):
        added = cli(
            app_home, "profiles", "add", PROD_KEY, "--integration-id", DEMO_INTEGRATION_ID,
            "--region", "eu", stdin=DEV_KEY + "\n",
        )  # fmt: skip
    assert added.returncode == 2, output(added)
    assert f"NAME: {NAME_MESSAGE}" in added.stderr
    assert PROD_KEY not in output(added)
    assert ProfileStore().profiles() == []
    assert_no_file_contains(app_home, PROD_KEY)


def test_send_refuses_a_key_as_the_integration_id_and_sends_nothing(
    fresh_sandbox: Sandbox, app_home
) -> None:
    sent = cli(
        app_home, "send", "--base-url", fresh_sandbox.base_url, "--integration-id", PROD_KEY,
        "--candidate", candidate_id(fresh_sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/results/1", KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip
    assert sent.returncode == 2, output(sent)
    assert INTEGRATION_MESSAGE in sent.stderr
    assert PROD_KEY not in output(sent)
    assert fresh_sandbox.requests == []
    assert_no_file_contains(app_home, PROD_KEY)


# ---- the profiles dialog -----------------------------------------------------------------------


def save_form(qtbot, dialog, *, name: str, integration_id: str) -> None:
    """Fill in the form with the demo key and press "Save profile"."""
    type_into(dialog, "Profile name", name)
    type_into(dialog, "Integration ID", integration_id)
    type_into(dialog, "API key", DEMO_API_KEY)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: not dialog._writer.busy, timeout=10_000)


def test_the_dialog_shows_the_problem_at_the_integration_id_and_saves_nothing(
    qtbot, worker, memory_keyring, app_home
) -> None:
    app_home.mkdir(parents=True)  # scanned for the key at the end, even if nothing is written
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    save_form(qtbot, dialog, name="Acme", integration_id=PROD_KEY)
    assert dialog.field_error("integration_id") == INTEGRATION_MESSAGE
    assert widget(dialog, "Integration ID", QLineEdit).hasFocus()
    assert PROD_KEY not in dialog.status_text()
    assert ProfileStore().profiles() == []
    assert memory_keyring.passwords == {}
    # "Test connection" sends nothing with it either.
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("integration_id") == INTEGRATION_MESSAGE
    assert_no_file_contains(app_home, PROD_KEY)


def test_the_dialog_shows_the_problem_at_the_profile_name_and_saves_nothing(
    qtbot, worker, memory_keyring, app_home
) -> None:
    app_home.mkdir(parents=True)  # scanned for the key at the end, even if nothing is written
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    save_form(qtbot, dialog, name=PROD_KEY, integration_id=DEMO_INTEGRATION_ID)
    assert dialog.field_error("profile_name") == NAME_MESSAGE
    assert ProfileStore().profiles() == []
    assert memory_keyring.passwords == {}
    assert_no_file_contains(app_home, PROD_KEY)


# ---- the window's connection bar ---------------------------------------------------------------


def test_the_connection_bar_refuses_a_key_as_the_integration_id(
    qtbot, fresh_sandbox: Sandbox, app_home
) -> None:
    window, bar = bar_window_holding(
        qtbot, integration_id=PROD_KEY, base_url=fresh_sandbox.base_url
    )
    integration = line_edit(window, "Integration ID")
    problem = f"The integration ID {INTEGRATION_MESSAGE}."
    # Marked at once, at the field, and said as the connection's problem.
    assert is_marked(integration)
    assert integration.toolTip() == problem
    assert problem in integration.accessibleDescription()
    assert bar.current_connection() is None
    assert_the_connection_stops_a_send(
        qtbot, window, fresh_sandbox, problem=problem, field="Integration ID", key=PROD_KEY
    )
    window.close()
    assert_no_file_contains(app_home, PROD_KEY)

    # Corrected, the field is no longer marked and the ID is remembered.
    with corrected_in_a_new_window(qtbot, "Integration ID", DEMO_INTEGRATION_ID) as corrected:
        assert not is_marked(corrected)
        assert corrected.toolTip() == ""


@pytest.mark.parametrize("pasted", [*KEY_AS_COPIED, f"export KOMBO_API_KEY={PROD_KEY}"])
def test_a_key_as_copied_is_refused_by_the_bar_and_kept_in_no_file(qtbot, app_home, pasted) -> None:
    bar = ConnectionBar(settings=app_settings())
    qtbot.addWidget(bar)
    bar.set_values(api_key=DEMO_API_KEY, integration_id=pasted, base_url="https://api.kombo.dev/v1")
    assert bar.current_connection() is None
    assert is_marked(bar.integration_id)
    app_settings().sync()
    assert_no_file_contains(app_home, PROD_KEY)


def test_a_key_kept_by_an_earlier_version_is_taken_out_of_the_settings(qtbot, app_home) -> None:
    assert_the_window_takes_a_key_out_of_the_settings(
        qtbot,
        app_home,
        {"connection/integration_id": PROD_KEY},
        field="Integration ID",
        key=PROD_KEY,
    )


# ---- a key next to other words in a profile name ----------------------------------------------


@pytest.mark.parametrize(
    "name",
    [f"Acme ({PROD_KEY})", f"Acme/{PROD_KEY}", f"Acme:{PROD_KEY}", f"key={DEV_KEY}", f"{DEV_KEY}."],
)
def test_a_key_next_to_punctuation_in_a_profile_name_is_refused_and_saved_nowhere(
    app_home, name
) -> None:
    store = ProfileStore()
    with pytest.raises(InputError) as caught:
        store.checked_profile(name=name, integration_id=DEMO_INTEGRATION_ID, region="eu")
    assert caught.value.message_for("profile_name") == NAME_MESSAGE
    assert "ks_" not in str(caught.value).replace("ks_prod_ or ks_dev_", "")
    # Nor does a profile built some other way get past the store.
    with pytest.raises(InputError):
        store.add_profile(Profile(id="p1", name=name, integration_id="t:1", region=Region.EU))
    assert store.profiles() == []


# ---- a profiles file from an earlier version, which let a key in ------------------------------

#: How the window's words end; the command line's name the command instead.
IN_THE_WINDOW = "(in the window: Manage profiles)"
ACME_MESSAGE = (
    "An API key was found in the integration ID of profile “Acme” and removed from the "
    "profiles file; enter the integration ID again (in the window: Manage profiles)."
)
MISSING_INTEGRATION_ID = (
    "is missing from this profile; enter it again (in the window: Manage profiles)"
)


def earlier_file_with_a_key_as_acmes_integration_id(keyring_: MemoryKeyring) -> None:
    """Acme (id p1, its development key in the keyring) has a key as its integration ID."""
    keyring_.passwords[(SERVICE_NAME, "p1")] = DEMO_API_KEY
    write_earlier_file(
        earlier_entry("p1", "Acme", PROD_KEY, key_environment="Development"),
        earlier_entry("p2", "Beta", DEMO_INTEGRATION_ID),
    )


def test_a_key_as_an_earlier_profiles_integration_id_is_taken_out_and_the_profile_kept(
    app_home, memory_keyring
) -> None:
    earlier_file_with_a_key_as_acmes_integration_id(memory_keyring)
    store = ProfileStore()
    result = store.load()
    assert result.message == ACME_MESSAGE
    assert result.backup_path is None
    # The profile, its id (so its key in the keyring) and its settings are kept.
    assert [p.name for p in result.profiles] == ["Acme", "Beta"]
    acme = store.get("p1")
    assert acme is not None
    assert (acme.integration_id, acme.region, acme.key_environment) == (
        "",
        Region.EU,
        Environment.DEVELOPMENT,
    )
    assert store.last_used_id == "p1"
    # No file holds the key any more, no copy of the file either; and it stays that way.
    assert_no_file_contains(app_home, PROD_KEY)
    # Nothing set aside: the file, rewritten under its (empty) lock file.
    folder = default_profiles_path().parent
    assert sorted(p.name for p in folder.iterdir()) == ["profiles.json", "profiles.json.lock"]
    again = ProfileStore()
    assert again.load().message is None
    assert again.get("p1") == acme

    # Used as it is, it says what is missing and where to put it; the key is still its own.
    with pytest.raises(InputError) as caught:
        connection_for_profile(acme, KeyStore(), store=store)
    assert caught.value.message_for("integration_id") == MISSING_INTEGRATION_ID
    given = connection_for_profile(acme, KeyStore(), integration_id=DEMO_INTEGRATION_ID)
    assert given.api_key == DEMO_API_KEY
    # Saved, it must have one; with it, it is whole again.
    with pytest.raises(InputError) as caught:
        store.update(acme)
    assert caught.value.message_for("integration_id") == "is required"
    store.update(replace(acme, integration_id=DEMO_INTEGRATION_ID))
    fixed = ProfileStore().get("p1")
    assert fixed is not None
    assert fixed.integration_id == DEMO_INTEGRATION_ID
    assert connection_for_profile(fixed, KeyStore()).api_key == DEMO_API_KEY


def test_a_key_in_an_earlier_profiles_name_is_replaced_by_words_saying_so(
    app_home, memory_keyring
) -> None:
    write_earlier_file(
        earlier_entry("p1", f"Acme ({PROD_KEY})", DEMO_INTEGRATION_ID),
        earlier_entry("p2", DEV_KEY, PROD_KEY),
        earlier_entry("p3", "Gamma", "workday:ks_prod_abc"),  # an ATS's id, kept as it is
    )
    result = ProfileStore().load()
    assert [(p.id, p.name, p.integration_id) for p in result.profiles] == [
        ("p1", "Acme ([API key removed])", DEMO_INTEGRATION_ID),
        ("p2", "[API key removed]", ""),
        ("p3", "Gamma", "workday:ks_prod_abc"),
    ]
    assert result.message == (
        "An API key was found in the name of profile “Acme ([API key removed])” and removed "
        "from the profiles file. An API key was found in the name and the integration ID of "
        "profile “[API key removed]” and removed from the profiles file; enter the integration "
        "ID again (in the window: Manage profiles)."
    )
    assert_no_file_contains(app_home, PROD_KEY)
    assert_no_file_contains(app_home, DEV_KEY)


def test_a_key_in_a_profiles_name_and_in_a_draft_is_replaced_by_the_same_words(
    app_home, memory_keyring
) -> None:
    # One phrase wherever a key was taken out: the person learns it once, and a search
    # for it finds every place.
    typed = f"Acme ({PROD_KEY})"
    write_earlier_file(earlier_entry("p1", typed, DEMO_INTEGRATION_ID))
    drafts = DraftStore()
    drafts.save(FormState(label=typed))
    draft = drafts.load()
    assert draft is not None
    [profile] = ProfileStore().load().profiles
    assert draft.label == profile.name == "Acme ([API key removed])"
    assert_no_file_contains(app_home, PROD_KEY)


def test_a_damaged_profile_beside_it_is_set_aside_without_the_key(app_home, memory_keyring) -> None:
    earlier_file_with_a_key_as_acmes_integration_id(memory_keyring)
    add_unreadable_entry(default_profiles_path())
    result = ProfileStore().load()
    assert [p.name for p in result.profiles] == ["Acme", "Beta"]
    assert result.message is not None
    assert result.message.startswith(ACME_MESSAGE + " Some saved profiles could not be read")
    assert result.message.endswith("The API keys written in it were removed from that copy.")
    # The copy kept for recovery holds the damaged profile, not the key.
    assert result.backup_path is not None
    kept = json.loads(result.backup_path.read_text(encoding="utf-8"))
    assert kept["profiles"][0]["integration_id"] == "[API key removed]"
    assert kept["profiles"][2]["id"] == "broken"
    assert_no_file_contains(app_home, PROD_KEY)


@pytest.mark.secret_service
def test_the_command_line_says_once_what_was_taken_out_and_what_is_missing(app_home) -> None:
    require_real_secret_service()
    write_earlier_file(earlier_entry("p1", "Acme", PROD_KEY, key_environment="Development"))
    keyring.set_password(SERVICE_NAME, "p1", DEMO_API_KEY)
    try:
        # The key found in the integration ID goes nowhere: not to the keyring either.
        with keyring_gains_no_entry_holding(PROD_KEY):
            listed = cli(app_home, "profiles", "list")
            assert listed.returncode == 0, output(listed)
            # The command line names its own way to enter the ID, not the window's.
            # The command ends the warning on a line of its own, without the full stop.
            edit = "with this command:\n  kombo-desktop profiles edit Acme --integration-id ID"
            warning = ACME_MESSAGE.replace(f"{IN_THE_WINDOW}.", edit)
            assert listed.stderr == f"Warning: {warning}\n"
            row = listed.stdout.splitlines()[1].split()
            assert row == ["Acme", "EU", "no", "integration", "ID", "Development"]
            assert cli(app_home, "profiles", "list").stderr == ""  # said once

            sent = cli(
                app_home, "send", "--profile", "Acme", "--candidate", "C1", "--label", "L",
                "--url", "https://example.com/r",
            )  # fmt: skip
            assert sent.returncode == 2, output(sent)
            missing = MISSING_INTEGRATION_ID.replace(IN_THE_WINDOW, edit)
            assert f"--profile “Acme” (integration ID): {missing}" in sent.stderr
            for result in (listed, sent):
                assert PROD_KEY not in output(result)
            assert_no_file_contains(app_home, PROD_KEY)
    finally:
        keyring.delete_password(SERVICE_NAME, "p1")


def test_the_window_says_what_was_taken_out_and_takes_the_integration_id_again(
    qtbot, worker, memory_keyring, app_home
) -> None:
    earlier_file_with_a_key_as_acmes_integration_id(memory_keyring)
    store, key_store = ProfileStore(), KeyStore()
    picker = make_picker(qtbot, store, key_store, worker)
    assert picker.current_profile() == store.get("p1")
    problem = f"The integration ID {MISSING_INTEGRATION_ID}."
    qtbot.waitUntil(lambda: picker.connection_problem() == problem, timeout=TIMEOUT)
    assert picker.describe().endswith(" · no integration ID")

    dialog = picker.open_manager()
    assert dialog is not None
    assert dialog.status_text() == ACME_MESSAGE
    assert dialog.selected_profile() == store.get("p1")
    integration = widget(dialog, "Integration ID", QLineEdit)
    assert integration.text() == ""
    # Said at the field as the profile opens, not only once Save is pressed.
    assert dialog.field_error("integration_id") == "is missing from this profile; enter it again"
    assert is_marked(integration)
    key_edit = widget(dialog, "API key", QLineEdit)
    qtbot.waitUntil(lambda: key_edit.text() == DEMO_API_KEY, timeout=TIMEOUT)
    # Saved without it, the field is marked; entered, the profile and its key are whole.
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: dialog.field_error("integration_id") == "is required")
    assert is_marked(integration)
    type_into(dialog, "Integration ID", DEMO_INTEGRATION_ID)
    click(qtbot, dialog, "Save profile")
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    saved = ProfileStore().get("p1")
    assert saved is not None
    assert saved.integration_id == DEMO_INTEGRATION_ID
    assert memory_keyring.passwords[(SERVICE_NAME, "p1")] == DEMO_API_KEY
    qtbot.waitUntil(lambda: picker.current_connection() is not None, timeout=TIMEOUT)
    assert picker.current_connection().integration_id == DEMO_INTEGRATION_ID
    dialog.close()
    assert_no_file_contains(app_home, PROD_KEY)


def test_an_earlier_name_with_ks_inside_a_word_is_kept(app_home, memory_keyring) -> None:
    # "webhooks_prod_eu" is a word, not a key: nothing is taken out, nothing said.
    write_earlier_file(earlier_entry("p1", "acme_webhooks_prod_eu", DEMO_INTEGRATION_ID))
    result = ProfileStore().load()
    assert [p.name for p in result.profiles] == ["acme_webhooks_prod_eu"]
    assert result.message is None


def test_an_export_holding_a_profile_without_integration_id_can_be_imported_again(
    app_home, memory_keyring, tmp_path
) -> None:
    write_earlier_file(earlier_entry("p1", "Acme", PROD_KEY), earlier_entry("p2", "Beta", "x:y"))
    store = ProfileStore()
    store.load()
    exported = tmp_path / "backup.json"
    assert store.export_json(exported) == 2
    other = ProfileStore(tmp_path / "other" / "profiles.json")
    result = other.import_json(exported.read_text(encoding="utf-8"))
    assert sorted((p.name, p.integration_id) for p in result.imported) == [
        ("Acme", ""),
        ("Beta", "x:y"),
    ]


def test_the_notice_is_not_shown_again_once_told(qtbot, worker, memory_keyring, app_home) -> None:
    earlier_file_with_a_key_as_acmes_integration_id(memory_keyring)
    store = ProfileStore()
    picker = make_picker(qtbot, store, KeyStore(), worker)
    dialog = picker.open_manager()
    assert dialog is not None
    assert dialog.status_text() == ACME_MESSAGE
    dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=TIMEOUT)
    again = picker.open_manager()
    assert again is not None
    assert "enter the integration ID again" not in again.status_text()
    again.close()


def test_a_key_glued_to_a_profile_name_is_refused(app_home) -> None:
    with pytest.raises(InputError):
        ProfileStore().checked_profile(
            name=f"Acme{PROD_KEY}", integration_id=DEMO_INTEGRATION_ID, region="eu"
        )


@pytest.mark.secret_service
def test_set_key_on_a_profile_without_integration_id_says_how_to_give_it_one(app_home) -> None:
    require_real_secret_service()
    export = {
        "format": "kombo-desktop-profiles-export",
        "version": 1,
        "profiles": [{"name": "Acme", "region": "eu", "base_url": None, "integration_id": ""}],
    }
    imported = ProfileStore().import_json(json.dumps(export))
    assert "No integration ID yet (enter it before using them): “Acme”." in imported.message
    with keyring_gains_no_entry_holding(DEMO_API_KEY):
        result = cli(app_home, "profiles", "set-key", "Acme", stdin=DEMO_API_KEY + "\n")
    assert result.returncode == 2, output(result)
    assert result.stderr == (
        "“Acme” has no integration ID, so the key was not changed. Give it one first with "
        "this command:\n  kombo-desktop profiles edit Acme --integration-id ID\n"
    )
    assert_no_file_contains(app_home, DEMO_API_KEY)
