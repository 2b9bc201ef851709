"""``kombo-desktop profiles`` and ``send --json``: a key typed as ``KOMBO_API_KEY=…`` in
place of a profile's name, Ctrl+C while a profile is listed, edited or removed, the
option each ``--json`` problem is about, and the columns of ``profiles list`` with wide
names."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import add_with_key, cli, output
from tests.interrupt_support import profiles_interrupted, profiles_of_one_name

#: A key of another shape than Kombo's ``ks_…``: nothing recognises it as a key by itself.
OTHER_SHAPED_KEY = "Zx81sQ0pL7mN2vB4cX9kJ3hG6fD5sA1q"

#: What a shell reports for a command that Ctrl+C stopped, and what ``profiles`` returns.
CTRL_C_EXIT = 130


def _profiles_text() -> str:
    path = ProfileStore().path
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_kombo_api_key_typed_as_a_profiles_name_is_refused_never_saved_nor_shown(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    for typed in (f"KOMBO_API_KEY={OTHER_SHAPED_KEY}", f"kombo_api_key={OTHER_SHAPED_KEY}"):
        added = cli(
            app_home,
            "profiles", "add", typed, "--integration-id", DEMO_INTEGRATION_ID,
            "--base-url", fresh_sandbox.base_url, stdin=DEMO_API_KEY + "\n",
        )  # fmt: skip
        assert added.returncode == 2, output(added)
        assert OTHER_SHAPED_KEY not in output(added)
        assert "standard input" in added.stderr
        assert "Nothing was saved." in added.stderr
        assert OTHER_SHAPED_KEY not in _profiles_text()

    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    renamed = cli(
        app_home, "profiles", "edit", "Acme", "--name", f"KOMBO_API_KEY={OTHER_SHAPED_KEY}"
    )
    assert renamed.returncode == 2, output(renamed)
    assert OTHER_SHAPED_KEY not in output(renamed)
    assert "--name:" in renamed.stderr
    assert OTHER_SHAPED_KEY not in _profiles_text()
    assert ProfileStore().require_by_name("Acme").id == profile.id

    # Looked up (remove, set-key), such a word is not quoted back either.
    removed = cli(app_home, "profiles", "remove", f"KOMBO_API_KEY={OTHER_SHAPED_KEY}")
    assert removed.returncode == 2, output(removed)
    assert OTHER_SHAPED_KEY not in output(removed)


def _assert_stopped_cleanly(result: Any, said: str) -> None:
    assert result.returncode == CTRL_C_EXIT, output(result)
    assert "Traceback" not in result.stderr, output(result)
    assert result.stderr.splitlines() == [f"Stopped (Ctrl+C). {said}"], output(result)


def test_ctrl_c_while_an_edit_waits_for_the_profiles_file_changes_nothing(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    result = profiles_interrupted(app_home, "edit", "Acme", "--integration-id", "other:1")
    _assert_stopped_cleanly(result, "The profile “Acme” was not changed.")
    assert ProfileStore().require_by_name("Acme").integration_id == profile.integration_id


def test_ctrl_c_while_a_removal_waits_for_the_profiles_file_keeps_profile_and_key(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    result = profiles_interrupted(app_home, "remove", "Acme")
    _assert_stopped_cleanly(result, "The profile “Acme” was kept.")
    assert ProfileStore().require_by_name("Acme").id == profile.id
    # The key it had deleted before waiting is back in the real keyring.
    assert KeyStore().get(profile.id) == DEMO_API_KEY


def test_ctrl_c_while_list_waits_to_repair_the_profiles_file_stops_cleanly(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    profiles_of_one_name(app_home, fresh_sandbox)
    result = profiles_interrupted(app_home, "list")
    _assert_stopped_cleanly(result, "No profile was changed.")
    assert result.stdout == ""


def test_json_errors_name_the_option_as_the_plain_output_does(app_home: Path) -> None:
    args = [
        "send", "--candidate", " ", "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--attr", "Score",
        "--region", "eu", "--integration-id", DEMO_INTEGRATION_ID,
    ]  # fmt: skip
    plain = cli(app_home, *args, KOMBO_API_KEY=DEMO_API_KEY)
    as_json = cli(app_home, *args, "--json", KOMBO_API_KEY=DEMO_API_KEY)
    assert plain.returncode == as_json.returncode == 2, output(plain) + output(as_json)
    errors = json.loads(as_json.stdout)["errors"]
    # ``field`` stays as scripts read it; ``option`` is what the plain output names.
    assert [(e["field"], e["option"]) for e in errors] == [
        ("target_id", "--candidate"),
        ("attributes[0]", "--attr #1"),
    ]
    for error in errors:
        assert f"{error['option']}: {error['message']}" in plain.stderr.splitlines()

    mistake = json.loads(cli(app_home, "send", "--json").stdout)
    assert [(e["field"], e["option"]) for e in mistake["errors"]] == [("arguments", None)]


def _columns(text: str) -> int:
    """How many columns ``text`` takes on a terminal: two for a wide character."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def test_profiles_list_lines_up_names_of_wide_characters(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    names = ["株式会社テスト", "Acme", "Ｆｕｌｌｗｉｄｔｈ", "Team 🚀"]
    for name in names:
        add_with_key(app_home, fresh_sandbox, name)
    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("NAME")
    header_column = _columns(lines[0][: lines[0].index("REGION OR BASE URL")])
    rows = [line for line in lines[1:] if fresh_sandbox.base_url in line]
    assert len(rows) == len(names), listed.stdout
    for row in rows:
        assert _columns(row[: row.index(fresh_sandbox.base_url)]) == header_column, listed.stdout
