"""``kombo-desktop profiles`` at its edges: a key file with old Mac or Windows line ends,
Ctrl+C with ``--json``, damaged profiles files set aside at each start, and the columns of
``profiles list`` with emoji joined from several."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.core.text import display_width
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_PROD_API_KEY, Sandbox
from tests.cli_support import add_with_key, cli, cli_env, cli_fed_bytes, output
from tests.interrupt_support import REACH_S, profiles_interrupted, profiles_of_one_name

#: What a shell reports for a command that Ctrl+C stopped, and what ``profiles`` returns.
CTRL_C_EXIT = 130

#: How many damaged profiles files set aside are kept, as the README says: "the five set
#: aside last".
KEPT_DAMAGED_FILES = 5

#: A woman and a laptop joined by a zero-width joiner: one emoji, two columns.
TECHNOLOGIST = "👩\u200d💻"


def _add(app_home: Path, name: str, key_file: bytes) -> subprocess.CompletedProcess[str]:
    """``profiles add NAME`` with ``key_file``'s bytes piped in as the key."""
    return cli_fed_bytes(
        app_home,
        "profiles", "add", name, "--integration-id", "workday:abc", "--region", "eu",
        stdin=key_file,
    )  # fmt: skip


# ---- a key file's line ends -----------------------------------------------------------


@pytest.mark.parametrize(
    "key_file",
    [
        # Old Mac line ends: a lone carriage return ends each line, the last one too.
        (DEMO_API_KEY + "\rsaved from the password manager\r").encode(),
        (DEMO_API_KEY + "\r").encode(),
        # Windows: carriage return and line feed.
        (DEMO_API_KEY + "\r\nsecond line\r\n").encode(),
        # UTF-16 with its mark (PowerShell 5's ``>``), old Mac line ends.
        ("\ufeff" + DEMO_API_KEY + "\rnext\r").encode("utf-16-le"),
    ],
    ids=["mac-lines", "mac-one-line", "windows-lines", "utf16-mac-lines"],
)
def test_a_piped_key_ends_at_any_line_end(app_home: Path, key_file: bytes) -> None:
    added = _add(app_home, "Acme", key_file)
    assert added.returncode == 0, output(added)
    profile = ProfileStore().require_by_name("Acme")
    assert KeyStore().get(profile.id) == DEMO_API_KEY

    replaced = cli_fed_bytes(
        app_home,
        "profiles", "set-key", "Acme",
        stdin=key_file.replace(DEMO_API_KEY.encode(), DEMO_PROD_API_KEY.encode()).replace(
            DEMO_API_KEY.encode("utf-16-le"), DEMO_PROD_API_KEY.encode("utf-16-le")
        ),
    )  # fmt: skip
    assert replaced.returncode == 0, output(replaced)
    assert KeyStore().get(profile.id) == DEMO_PROD_API_KEY


def test_a_key_ended_by_a_carriage_return_is_not_waited_after(app_home: Path) -> None:
    # A password manager that keeps the pipe open after the key: the line has ended, and
    # nothing that may come after it (a "\n") is waited for.
    process = subprocess.Popen(
        [
            sys.executable, "-m", "kombo_desktop",
            "profiles", "add", "Acme", "--integration-id", "workday:abc", "--region", "eu",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(app_home),
    )  # fmt: skip
    assert process.stdin is not None
    try:
        process.stdin.write((DEMO_API_KEY + "\r").encode())
        process.stdin.flush()
        # A bound on a hang, not a timing: the command ends as soon as it has the key.
        code = process.wait(timeout=REACH_S)
    finally:
        if process.poll() is None:
            process.kill()
        # Closes the pipe, which the command's reader had left open.
        out, err = process.communicate()
    assert code == 0, out.decode() + err.decode()
    assert KeyStore().get(ProfileStore().require_by_name("Acme").id) == DEMO_API_KEY


@pytest.mark.parametrize(
    "key_file",
    [
        # A control character inside the key, before its line end.
        (DEMO_API_KEY[:8] + "\x07" + DEMO_API_KEY[8:] + "\r").encode(),
        # An invisible character inside it.
        (DEMO_API_KEY[:8] + "\u200b" + DEMO_API_KEY[8:] + "\r\n").encode(),
        # Bytes that are not text.
        b"\xff" + DEMO_API_KEY.encode() + b"\r",
    ],
    ids=["control-character", "invisible-character", "not-text"],
)
def test_a_key_with_a_character_it_cannot_hold_is_still_refused(
    app_home: Path, key_file: bytes
) -> None:
    added = _add(app_home, "Acme", key_file)
    assert added.returncode == 2, output(added)
    assert "Nothing was saved." in added.stderr
    assert ProfileStore().profiles() == []


# ---- Ctrl+C with --json ---------------------------------------------------------------


def test_ctrl_c_during_list_json_prints_one_json_object_saying_so(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    path, document = profiles_of_one_name(app_home, fresh_sandbox)
    result = profiles_interrupted(app_home, "list", "--json")
    assert result.returncode == CTRL_C_EXIT, output(result)
    assert "Traceback" not in result.stderr, output(result)
    # One JSON object, as a script asked for, and nothing else.
    assert len(result.stdout.splitlines()) == 1, output(result)
    answer = json.loads(result.stdout)
    assert answer["status"] == "error"
    assert answer["summary"] == "Stopped (Ctrl+C). No profile was changed."
    assert answer["may_have_been_applied"] is False
    # The shape of the command's other --json errors (a mistake in its arguments).
    mistake = cli(app_home, "profiles", "list", "--json", "--no-such-option")
    assert mistake.returncode == 2, output(mistake)
    assert set(answer) == set(json.loads(mistake.stdout)) - {"errors"}
    assert result.stderr == "", output(result)
    # Nothing was changed: the file is as it was written.
    assert json.loads(path.read_text(encoding="utf-8")) == document


# ---- damaged profiles files set aside -------------------------------------------------


def _damaged_set_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("profiles.json.damaged-*"))


def test_a_profiles_file_damaged_at_each_start_keeps_only_the_last_few(
    app_home: Path,
) -> None:
    path = ProfileStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named by a person, or another file's: never touched.
    others = {
        "profiles.json.damaged-keep-this": b"mine",
        "profiles.json.damaged-20300101-000000.bak": b"a copy",
        "draft.json.damaged-20200101-000000": b"{",
        "profiles.json.newer-version-20200101-000000": b"{",
    }
    for name, data in others.items():
        (path.parent / name).write_bytes(data)
    written: list[bytes] = []
    for start in range(1, 3 * KEPT_DAMAGED_FILES):
        written.append(f'{{"profiles": [ damaged at start {start}'.encode())
        path.write_bytes(written[-1])
        listed = cli(app_home, "profiles", "list")
        assert listed.returncode == 0, output(listed)
        assert "Warning: The profiles file could not be used" in listed.stderr
        set_aside = [item for item in _damaged_set_aside(path.parent) if item.name not in others]
        assert len(set_aside) == min(start, KEPT_DAMAGED_FILES)
        # The one the warning names is there, whole.
        assert any(f"set aside as {item}" in listed.stderr for item in set_aside), output(listed)
    kept = {item.read_bytes() for item in _damaged_set_aside(path.parent)} - set(others.values())
    assert kept == set(written[-KEPT_DAMAGED_FILES:])
    for name, data in others.items():
        assert (path.parent / name).read_bytes() == data, name


def test_the_same_damaged_file_set_aside_again_replaces_its_copy(app_home: Path) -> None:
    path = ProfileStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    # With a key written in it: the copy kept has it taken out, each time alike.
    damaged = f'{{"profiles": [{{"name": "Acme", "key": "{DEMO_API_KEY}"'.encode()
    for _start in range(3):
        path.write_bytes(damaged)
        backup = ProfileStore().load().backup_path
        assert backup is not None
        assert _damaged_set_aside(path.parent) == [backup]
    assert backup is not None
    kept = backup.read_bytes()
    assert DEMO_API_KEY.encode() not in kept
    assert b'"name": "Acme"' in kept
    # Damaged otherwise, it is another file, kept beside it.
    path.write_bytes(b"{")
    other = ProfileStore().load().backup_path
    assert other is not None
    assert _damaged_set_aside(path.parent) == sorted([backup, other])


# ---- columns of profiles list ---------------------------------------------------------


def test_an_emoji_joined_from_several_takes_two_columns() -> None:
    assert display_width(TECHNOLOGIST) == 2
    assert display_width("👨\u200d👩\u200d👧\u200d👦") == 2  # a family of four
    assert display_width("🏳\ufe0f\u200d🌈") == 2  # a rainbow flag, a selector in it
    assert display_width("👩🏽\u200d💻") == 2  # with a skin tone
    assert display_width(f"Dev {TECHNOLOGIST}") == 6
    # Variation selectors and combining marks take none; wide characters two each.
    assert display_width("☺\ufe0f") == 1
    assert display_width("e\u0301") == 1
    assert display_width("株式会社") == 8
    # Letters of a script joined by one keep their own columns.
    assert display_width("क\u200dष") == 2


def test_profiles_list_lines_up_an_emoji_joined_from_several(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    name = f"Dev {TECHNOLOGIST}"
    add_with_key(app_home, fresh_sandbox, "Acme")
    add_with_key(app_home, fresh_sandbox, name)
    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    lines = listed.stdout.splitlines()
    # The widest name takes six columns on a terminal ("Dev " and the emoji's two).
    assert lines[0].startswith("NAME    REGION OR BASE URL"), listed.stdout
    rows = {line.split(" ", 1)[0]: line for line in lines[1:]}
    assert rows["Acme"].startswith(f"Acme    {fresh_sandbox.base_url}"), listed.stdout
    assert rows["Dev"].startswith(f"{name}  {fresh_sandbox.base_url}"), listed.stdout
