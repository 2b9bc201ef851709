"""``kombo-desktop profiles export`` and ``profiles import``: profiles moved to another
computer by a script, without their keys, by the rules and words of Manage profiles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kombo_desktop.core.profiles import EXPORT_FORMAT
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import add_with_key, cli, output
from tests.interrupt_support import profiles_interrupted
from tests.leakcheck import assert_no_file_contains

#: What another program left in a file an export could replace.
SOMEONE_ELSES = "notes kept by hand\n"

#: What a shell reports for a command that Ctrl+C stopped, and what ``profiles`` returns.
CTRL_C_EXIT = 130

#: A key written in clear into a file by hand, beside a profile's settings.
KEY_IN_FILE = "ks_prod_handedOverInTheFile_7Qw2"


def listed(home: Path) -> list[dict[str, Any]]:
    """``profiles list --json`` on ``home``: each profile as the command line shows it."""
    result = cli(home, "profiles", "list", "--json")
    assert result.returncode == 0, output(result)
    rows: list[dict[str, Any]] = json.loads(result.stdout)["profiles"]
    return rows


def settings(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What an export carries of each profile listed: all but its key."""
    return [(r["name"], r["integration_id"], r["base_url"], r["region"]) for r in rows]


def exported_names(file: Path) -> list[str]:
    document = json.loads(file.read_text(encoding="utf-8"))
    return [entry["name"] for entry in document["profiles"]]


def handed_over_file(folder: Path, *entries: dict[str, object]) -> Path:
    """An export written by hand (or by another program) in ``folder``."""
    file = folder / "from-a-colleague.json"
    document = {"format": EXPORT_FORMAT, "version": 1, "profiles": list(entries)}
    file.write_text(json.dumps(document), encoding="utf-8")
    return file


def test_profiles_exported_on_one_computer_are_imported_on_another_without_their_keys(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    add_with_key(app_home, fresh_sandbox, "Beta GmbH")
    folder = tmp_path / "handover"
    folder.mkdir()

    exported = cli(app_home, "profiles", "export", str(folder / "acme-profiles"))

    assert exported.returncode == 0, output(exported)
    file = folder / "acme-profiles.json"
    assert exported.stdout == (f"Exported 2 profiles to {file}. The file holds no API keys.\n"), (
        output(exported)
    )
    assert [path.name for path in folder.iterdir()] == [file.name]
    assert_no_file_contains(folder, DEMO_API_KEY)

    other_computer = tmp_path / "other-home"
    imported = cli(other_computer, "profiles", "import", str(file))

    assert imported.returncode == 0, output(imported)
    assert imported.stdout.startswith("Imported 2 profiles."), output(imported)
    assert "Imported profiles have no API key yet" in imported.stdout
    here, there = listed(app_home), listed(other_computer)
    assert settings(there) == settings(here)
    assert [r["integration_id"] for r in there] == [DEMO_INTEGRATION_ID] * 2
    assert [r["key_saved"] for r in there] == [False, False]
    assert_no_file_contains(other_computer, DEMO_API_KEY)

    # A second import of the same file changes nothing, and says so.
    again = cli(other_computer, "profiles", "import", str(file), "--json")
    assert again.returncode == 0, output(again)
    answer = json.loads(again.stdout)
    assert answer["status"] == "success"
    assert answer["imported"] == []
    assert answer["skipped"] == ["Acme", "Beta GmbH"]
    assert "Skipped because they already exist: “Acme”, “Beta GmbH”." in answer["summary"]
    assert settings(listed(other_computer)) == settings(here)


def test_export_names_the_profiles_it_writes_with_name(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    add_with_key(app_home, fresh_sandbox, "Beta GmbH")
    add_with_key(app_home, fresh_sandbox, "Gamma")
    file = tmp_path / "two.json"

    result = cli(
        app_home, "profiles", "export", str(file), "--name", "gamma", "--name", "Acme", "--json"
    )

    assert result.returncode == 0, output(result)
    assert json.loads(result.stdout) == {
        "status": "success",
        "summary": f"Exported 2 profiles to {file}. The file holds no API keys.",
        "file": str(file),
        "exported": 2,
    }
    assert exported_names(file) == ["Acme", "Gamma"]
    assert_no_file_contains(tmp_path, DEMO_API_KEY)

    unknown = cli(app_home, "profiles", "export", str(tmp_path / "none.json"), "--name", "Nobody")
    assert unknown.returncode == 2, output(unknown)
    assert unknown.stderr == (
        "Nothing was exported. No saved profile is called “Nobody” "
        "(see: kombo-desktop profiles list).\n"
    )
    assert not (tmp_path / "none.json").exists()


def test_export_leaves_a_file_already_there_as_it_is_unless_forced(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    there = tmp_path / "acme-profiles.json"
    there.write_text(SOMEONE_ELSES, encoding="utf-8")

    # The name given without ".json" is the file already there once ".json" is added.
    refused = cli(app_home, "profiles", "export", str(tmp_path / "acme-profiles"))

    assert refused.returncode == 2, output(refused)
    assert refused.stdout == ""
    assert refused.stderr == (
        f"Nothing was exported. “{there}” is already there (“.json” was added to the name "
        "given): give --force to replace it.\n"
    )
    assert there.read_text(encoding="utf-8") == SOMEONE_ELSES

    as_json = cli(app_home, "profiles", "export", str(there), "--json")
    assert as_json.returncode == 2, output(as_json)
    answer = json.loads(as_json.stdout)
    assert answer["status"] == "error"
    assert answer["summary"] == (
        f"Nothing was exported. “{there}” is already there: give --force to replace it."
    )
    assert answer["errors"][0]["option"] == "FILE"
    assert there.read_text(encoding="utf-8") == SOMEONE_ELSES

    forced = cli(app_home, "profiles", "export", str(tmp_path / "acme-profiles"), "--force")
    assert forced.returncode == 0, output(forced)
    assert exported_names(there) == ["Acme"]
    assert_no_file_contains(tmp_path, DEMO_API_KEY)


def test_export_to_a_folder_or_a_name_holding_a_key_is_refused_in_words(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    folder = tmp_path / "exports"
    folder.mkdir()
    # Before: "." ended in a traceback, a folder was written beside ("exports.json"), and
    # a name holding a key was written and said in clear.
    for given in (".", f"{folder}/", str(folder)):
        refused = cli(app_home, "profiles", "export", given)
        assert refused.returncode == 2, output(refused)
        assert refused.stderr == (
            f"Nothing was exported. “{given}” is a folder: give the name of a file in it, "
            f"e.g. {Path(given) / 'kombo-profiles.json'}.\n"
        )
    named_as_key = cli(app_home, "profiles", "export", str(tmp_path / DEMO_API_KEY))
    assert named_as_key.returncode == 2, output(named_as_key)
    assert DEMO_API_KEY not in output(named_as_key)
    assert "The file's name must not contain an API key" in named_as_key.stderr
    assert not list(tmp_path.glob("*.json")), sorted(p.name for p in tmp_path.iterdir())
    assert not list(tmp_path.glob(f"{DEMO_API_KEY}*"))
    assert list(folder.iterdir()) == []


def test_import_says_the_file_holds_a_key_in_the_windows_words_and_never_shows_it(
    app_home: Path, tmp_path: Path
) -> None:
    entry = {"name": "Acme", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}
    file = handed_over_file(tmp_path, {**entry, "api_key": KEY_IN_FILE})

    result = cli(app_home, "profiles", "import", str(file))

    assert result.returncode == 0, output(result)
    assert "Imported 1 profile." in result.stdout
    assert "The file holds an API key, which was not imported, for: “Acme”." in result.stdout
    assert KEY_IN_FILE not in output(result)
    assert [(r["name"], r["key_saved"]) for r in listed(app_home)] == [("Acme", False)]
    assert_no_file_contains(app_home, KEY_IN_FILE)

    # Already here: nothing is imported, and the key is still said to be in the file.
    again = cli(app_home, "profiles", "import", str(file), "--json")
    answer = json.loads(again.stdout)
    assert (answer["imported"], answer["keys_left_out"]) == ([], ["Acme"])
    assert KEY_IN_FILE not in output(again)


def test_import_of_a_name_taken_says_what_it_was_renamed_to(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    file = handed_over_file(
        tmp_path, {"name": "Acme", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}
    )

    result = cli(app_home, "profiles", "import", str(file), "--json")

    assert result.returncode == 0, output(result)
    answer = json.loads(result.stdout)
    assert answer["imported"] == ["Acme (2)"]
    assert answer["renamed"] == [{"from": "Acme", "to": "Acme (2)"}]
    assert "Renamed because the name was taken: “Acme” as “Acme (2)”." in answer["summary"]


def test_a_file_that_cannot_be_imported_is_said_in_plain_words(
    app_home: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.json"
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")

    gone = cli(app_home, "profiles", "import", str(missing))
    assert gone.returncode == 2, output(gone)
    assert gone.stderr == (
        f"Nothing was imported. Could not read {missing} (No such file or directory).\n"
    )
    assert "Traceback" not in output(gone)

    nothing = cli(app_home, "profiles", "import", str(empty), "--json")
    assert nothing.returncode == 2, output(nothing)
    answer = json.loads(nothing.stdout)
    assert answer["status"] == "error"
    assert answer["summary"] == "Nothing was imported. The file is empty."
    assert answer["errors"][0]["option"] == "FILE"
    assert listed(app_home) == []


def test_ctrl_c_while_an_import_waits_for_the_profiles_file_imports_nothing(
    app_home: Path, tmp_path: Path, fresh_sandbox: Sandbox
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    file = handed_over_file(
        tmp_path, {"name": "Beta", "region": "eu", "integration_id": DEMO_INTEGRATION_ID}
    )

    result = profiles_interrupted(app_home, "import", str(file))

    assert result.returncode == CTRL_C_EXIT, output(result)
    assert "Traceback" not in result.stderr, output(result)
    assert result.stderr.splitlines() == ["Stopped (Ctrl+C). Nothing was imported."]
    assert [r["name"] for r in listed(app_home)] == ["Acme"]
