"""A keyring that asks to be unlocked, and whose prompt is dismissed or cannot be shown.

On a desktop session whose login keyring was not unlocked (over SSH, or right after a
login that did not unlock it), the Secret Service asks for a password in a prompt. When
that prompt is dismissed, or cannot be shown at all, the keyring is locked, and the app
says so, not that the keyring refused access: unlocking it is what helps.

Each test starts a desktop session of its own (D-Bus, with GNOME Keyring started by it
as a desktop does) without a display, so no prompt ever waits for the person running the
tests. Without those programs the tests skip, and under CI they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import SecretStoreDenied, SecretStoreLocked
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID
from tests.cli_support import cli_env, output
from tests.leakcheck import assert_no_file_contains

#: What the session must not pass on: its own keyring, unlocked, and a display to show a
#: prompt on.
_SESSION_VARIABLES = (
    "DBUS_SESSION_BUS_ADDRESS",
    "GNOME_KEYRING_CONTROL",
    "DISPLAY",
    "WAYLAND_DISPLAY",
)


def require_desktop_session_programs() -> None:
    """Skip without D-Bus's session runner and GNOME Keyring, but fail under CI."""
    missing = [
        name for name in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(name)
    ]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} to start a desktop session with a keyring"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must test the keyring's unlock prompt: {reason}")
    pytest.skip(reason)


def in_a_session_with_a_locked_keyring(tmp_path: Path, app_home: Path, *args: str) -> Any:
    """Run ``kombo-desktop ARGS`` (the demo key on its input) in a fresh desktop session
    whose keyring has no unlocked login keyring and can show no prompt."""
    require_desktop_session_programs()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in cli_env(app_home).items() if k not in _SESSION_VARIABLES}
    # The keyring daemon keeps its keyrings there: a new one, with no login keyring yet.
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_RUNTIME_DIR=str(runtime))
    return subprocess.run(
        ["dbus-run-session", "--", sys.executable, "-m", "kombo_desktop", *args],
        input=DEMO_API_KEY + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_keyring_prompt_that_could_not_be_shown_is_said_as_locked_not_as_refused(
    tmp_path: Path, app_home: Path
) -> None:
    added = in_a_session_with_a_locked_keyring(
        tmp_path, app_home, "profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID,
        "--region", "eu",
    )  # fmt: skip
    assert added.returncode == 4, output(added)
    assert SecretStoreLocked.default_message in added.stderr, output(added)
    assert SecretStoreDenied.default_message not in added.stderr, output(added)
    assert ProfileStore().profiles() == []
    if app_home.exists():
        assert_no_file_contains(app_home, DEMO_API_KEY)
