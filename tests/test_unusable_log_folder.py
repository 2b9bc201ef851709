"""A log folder that cannot be made is no reason not to work.

The command line says so once on stderr, in the window's words, and goes on without the
log file: ``send`` still sends and answers (under ``--json`` with exactly one JSON object
on stdout), and ``profiles`` still saves and removes.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli, cli_env, output
from tests.keyring_support import require_real_secret_service


def file_where_the_log_folder_should_be(app_home: Path) -> str:
    app_home.mkdir(parents=True)
    (app_home / "log").write_text("a file where the log folder should be", encoding="utf-8")
    return f"File exists: {app_home / 'log'}"


def file_where_the_home_folder_should_be(app_home: Path) -> str:
    app_home.parent.mkdir(parents=True, exist_ok=True)
    app_home.write_text("a file where the home folder should be", encoding="utf-8")
    return f"Not a directory: {app_home / 'log'}"


def said_once(reason: str) -> str:
    """What stderr says, and all it says, when the log file could not be set up."""
    return f"Kombo Desktop: could not set up the log file ({reason}); carrying on without it.\n"


def send(app_home: Path, base_url: str, candidate: str, *extra: str) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", "send", "--base-url", base_url,
         "--integration-id", DEMO_INTEGRATION_ID, "--candidate", candidate, "--label",
         "L", "--url", "https://example.com/r/1", *extra],
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    "unusable", [file_where_the_log_folder_should_be, file_where_the_home_folder_should_be]
)
def test_send_without_a_log_folder_still_sends_and_answers_in_words_and_json(
    fresh_sandbox: Sandbox, app_home: Path, unusable: Callable[[Path], str]
) -> None:
    reason = unusable(app_home)
    target = fresh_sandbox.candidates[0]["id"]
    plain = send(app_home, fresh_sandbox.base_url, target)
    as_json = send(app_home, fresh_sandbox.base_url, target, "--json")
    # Exit 1 would say that Kombo refused the link.
    assert (plain.returncode, as_json.returncode) == (0, 0), output(plain) + output(as_json)
    assert plain.stdout.startswith("Success"), output(plain)
    assert json.loads(as_json.stdout)["status"] == "success"  # one JSON object, nothing else
    assert plain.stderr == as_json.stderr == said_once(reason)
    assert len(fresh_sandbox.requests) == 2


def test_without_a_log_file_log_lines_are_not_printed_in_its_place(app_home: Path) -> None:
    # The client logs a warning for a connection refused; without a file, Python would
    # print it on stderr as it is, past the log's masking.
    reason = file_where_the_log_folder_should_be(app_home)
    as_json = send(app_home, f"http://127.0.0.1:{closed_port()}/v1", "c1", "--json")
    assert as_json.returncode == 3, output(as_json)
    assert json.loads(as_json.stdout)["status"] == "error"
    assert as_json.stderr == said_once(reason)


@pytest.mark.secret_service
def test_profiles_are_saved_edited_and_removed_without_a_log_folder(app_home: Path) -> None:
    require_real_secret_service()
    reason = file_where_the_log_folder_should_be(app_home)
    added = cli(
        app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--region", "eu", stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    assert added.stderr == said_once(reason)
    assert ProfileStore().find_by_name("Acme") is not None
    edited = cli(app_home, "profiles", "edit", "Acme", "--integration-id", "workday:other")
    assert edited.returncode == 0, output(edited)
    assert edited.stderr == said_once(reason)
    edited_profile = ProfileStore().find_by_name("Acme")
    assert edited_profile is not None
    assert edited_profile.integration_id == "workday:other"
    removed = cli(app_home, "profiles", "remove", "Acme")
    assert removed.returncode == 0, output(removed)
    assert removed.stderr == said_once(reason)
    assert ProfileStore().find_by_name("Acme") is None
