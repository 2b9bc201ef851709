"""What an import that added no profile says, in the window and on the command line alike:
"No profiles were imported.", then why, as any import says it."""

from __future__ import annotations

import json
from pathlib import Path

from kombo_desktop.core.profiles import EXPORT_FORMAT, ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID
from tests.cli_support import cli, output
from tests.profiles_support import add_profile, show_dialog, wait_for_status

#: The words of an import of a file whose only profile, "Acme", is already here.
ACME_ALREADY_HERE = "No profiles were imported. Skipped because they already exist: “Acme”."


def acme_export(folder: Path) -> Path:
    """An export holding the one profile "Acme", as another computer wrote it."""
    file = folder / "acme-profiles.json"
    entry = {"name": "Acme", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": [entry]}
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


def test_an_import_of_nothing_new_says_no_profiles_were_imported(tmp_path: Path) -> None:
    store = ProfileStore()
    text = acme_export(tmp_path).read_text(encoding="utf-8")

    first = store.import_json(text)
    again = store.import_json(text)

    assert first.message.startswith("Imported 1 profile.")
    # Before: "Imported 0 profiles. Skipped because …"
    assert again.message == ACME_ALREADY_HERE


def test_the_command_line_says_it_as_the_window_does(app_home: Path, tmp_path: Path) -> None:
    file = acme_export(tmp_path)
    first = cli(app_home, "profiles", "import", str(file))
    assert first.returncode == 0, output(first)

    again = cli(app_home, "profiles", "import", str(file))
    as_json = cli(app_home, "profiles", "import", str(file), "--json")

    assert again.returncode == 0, output(again)
    assert again.stdout == f"{ACME_ALREADY_HERE}\n"
    assert json.loads(as_json.stdout)["summary"] == ACME_ALREADY_HERE


def test_the_window_says_it_in_its_status_line(
    qtbot, worker, memory_keyring, tmp_path: Path
) -> None:
    add_profile(ProfileStore(), "Acme")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)

    dialog.import_from(acme_export(tmp_path))

    assert wait_for_status(qtbot, dialog, "already exist") == ACME_ALREADY_HERE
    assert [profile.name for profile in ProfileStore().profiles()] == ["Acme"]
