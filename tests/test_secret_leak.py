"""No API key ever lands in a file: config, data, cache, state, logs, exports.

Profiles are created with unique keys, used by ``send --profile`` against the sandbox
(successes and failures, so error paths and logs are covered) and exported; then
every file the app may write is scanned. The main window's submit and copy-as-curl
are added here once the window exists (use ``assert_no_file_contains``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import pytest

from kombo_desktop.core import paths
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import SERVICE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault
from tests.cli_support import cli, output
from tests.keyring_support import require_real_secret_service
from tests.leakcheck import assert_no_file_contains, files_containing

#: Keys shaped like real ones but unknown to the sandbox: it answers 401 for them.
UNKNOWN_KEYS = ("ks_dev_leakTestUnique_7Q2w9E4r", "ks_prod_leakTestUnique_X8c3V6b1", "zz_odd_12345")


def scan_everything(app_home: Path, secret: str, *extra: Path) -> None:
    for directory in paths.all_dirs():
        assert directory.is_relative_to(app_home)
    assert_no_file_contains(app_home, secret)
    for path in extra:
        assert_no_file_contains(path, secret)


def test_leakcheck_finds_a_planted_secret(tmp_path):
    # The scanner itself must be able to fail, or every test below would pass vacuously.
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "log.txt").write_text("header ks_dev_planted_123 trailer")
    (tmp_path / "wide.txt").write_bytes("ks_dev_wide_456".encode("utf-16-le"))
    assert files_containing(tmp_path, "ks_dev_planted_123") == [tmp_path / "deep/er/log.txt"]
    assert files_containing(tmp_path, "ks_dev_wide_456") == [tmp_path / "wide.txt"]
    with pytest.raises(AssertionError):
        assert_no_file_contains(tmp_path, "ks_dev_planted_123")


@pytest.mark.secret_service
def test_profiles_send_and_export_leave_no_key_in_any_file(fresh_sandbox, app_home, tmp_path):
    require_real_secret_service()
    base_url = fresh_sandbox.base_url
    keys = (DEMO_API_KEY, *UNKNOWN_KEYS)
    names = ["Good", "Unknown dev", "Unknown prod", "Odd key"]
    for name, key in zip(names, keys, strict=True):
        added = cli(
            app_home,
            "profiles", "add", name, "--integration-id", DEMO_INTEGRATION_ID,
            "--base-url", base_url, stdin=key + "\n",
        )  # fmt: skip
        assert added.returncode == 0, output(added)

    target = fresh_sandbox.candidates[0]["id"]

    def send(name: str, *extra: str) -> Any:
        args = ["--candidate", target, "--label", "Result", "--url", "https://example.com/r/1"]
        return cli(app_home, "send", "--profile", name, *args, *extra)

    results = [send(name) for name in names]
    assert results[0].returncode == 0, output(results[0])
    assert all(r.returncode == 1 for r in results[1:]), [output(r) for r in results]
    # A server error and a JSON answer too, so the error paths write their logs.
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    results.append(send("Good", "--json"))
    authorizations = {r.headers.get("authorization") for r in fresh_sandbox.requests}
    assert {f"Bearer {key}" for key in keys} <= authorizations

    export = tmp_path / "exported-profiles.json"
    assert ProfileStore().export_json(export) == len(names)
    results.append(cli(app_home, "profiles", "list", "--json"))

    log_file = paths.log_dir() / "kombo-desktop.log"
    assert log_file.exists()
    assert log_file.stat().st_size > 0
    for key in keys:
        for result in results:
            assert key not in output(result)
        scan_everything(app_home, key, export)

    # Removing a profile deletes its key from the OS keyring, so nothing of it is left.
    ids = [profile.id for profile in ProfileStore().profiles()]
    assert len(ids) == len(names)
    assert all(keyring.get_password(SERVICE_NAME, profile_id) for profile_id in ids)
    for name in names:
        assert cli(app_home, "profiles", "remove", name).returncode == 0
    assert ProfileStore().profiles() == []
    assert [keyring.get_password(SERVICE_NAME, profile_id) for profile_id in ids] == [None] * len(
        ids
    )
