"""The command line on a code page that cannot show every character never fails for it.

On Windows, output that is piped or redirected (a script, a CI log, ``> out.txt``) is
written in the ANSI code page: cp1252 in Western Europe, which has no "株式会社". A
profile's name, a label or a message quoting either must not turn a command's work into
a traceback: what the code page cannot show is written as ``\\uXXXX``, and ``--json``
output is ASCII, which is the same JSON in any code page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, output

#: Output piped or redirected on a Western European Windows.
WINDOWS_PIPE = {"PYTHONIOENCODING": "cp1252", "PYTHONUTF8": "0"}
NAME = "株式会社"
#: ``NAME`` as a code page without its characters shows it.
NAME_ESCAPED = "\\u682a\\u5f0f\\u4f1a\\u793e"
KEY = "ks_dev_abcdefghijklmnopqrstuv\n"


def on_windows_pipe(app_home: Path, *args: str, stdin: str = "") -> Any:
    """``kombo-desktop ARGS`` writing its output in cp1252, read as such."""
    return cli(app_home, *args, stdin=stdin, output_encoding="cp1252", **WINDOWS_PIPE)


def add_profile(app_home: Path, name: str = NAME) -> Any:
    """``profiles add NAME`` as this system runs it (its own encoding)."""
    added = cli(
        app_home, "profiles", "add", name, "--integration-id", "acme-1", "--region", "eu",
        stdin=KEY,
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    return added


def test_profiles_add_reports_its_success_with_a_name_the_code_page_lacks(app_home):
    added = on_windows_pipe(
        app_home, "profiles", "add", NAME, "--integration-id", "acme-1", "--region", "eu",
        stdin=KEY,
    )  # fmt: skip
    # The profile and its key were saved: exit 0 and said so, not a traceback afterwards
    # (a script would add it again and be told the name is taken).
    assert added.returncode == 0, output(added)
    assert added.stdout.startswith(f"Saved profile “{NAME_ESCAPED}” (EU, Development key).")
    listed = json.loads(cli(app_home, "profiles", "list", "--json").stdout)
    assert [(p["name"], p["key_saved"]) for p in listed["profiles"]] == [(NAME, True)]


def test_profiles_list_shows_a_name_the_code_page_lacks(app_home):
    add_profile(app_home)
    listed = on_windows_pipe(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    assert listed.stdout.splitlines()[1].split() == [NAME_ESCAPED, "EU", "acme-1", "Development"]


def test_profiles_list_json_reads_back_the_name_in_any_code_page(app_home):
    add_profile(app_home)
    for listed in (
        on_windows_pipe(app_home, "profiles", "list", "--json"),
        cli(app_home, "profiles", "list", "--json"),
    ):
        assert listed.returncode == 0, output(listed)
        # ASCII whatever the code page: a script reads the same JSON everywhere.
        assert listed.stdout.isascii(), listed.stdout
        assert json.loads(listed.stdout)["profiles"][0]["name"] == NAME


def test_send_json_quoting_a_name_the_code_page_lacks_prints_its_refusal(app_home):
    words = ["send", "--json", "--profile", NAME, "--candidate", "c", "--label", "L"]
    refused = on_windows_pipe(app_home, *words, "--url", "https://example.com/results/1")
    assert refused.returncode == 2, output(refused)
    (problem,) = json.loads(refused.stdout)["errors"]
    assert problem["field"] == "profile"
    assert f"no saved profile is called “{NAME}”" in problem["message"]


def test_send_json_with_a_label_the_code_page_lacks_prints_its_success(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    target = str(fresh_sandbox.candidates[0]["id"])
    sent = cli(
        app_home, "send", "--json", "--candidate", target, "--label", "コーディング評価",
        "--url", "https://example.com/results/1", "--base-url", fresh_sandbox.base_url,
        "--integration-id", DEMO_INTEGRATION_ID, output_encoding="cp1252",
        KOMBO_API_KEY=DEMO_API_KEY, **WINDOWS_PIPE,
    )  # fmt: skip
    # Added once: a script reads that, and does not send it again.
    assert [r.method for r in fresh_sandbox.requests] == ["POST"]
    assert sent.returncode == 0, output(sent)
    assert sent.stdout.isascii(), sent.stdout
    assert json.loads(sent.stdout)["status"] == "success"
