"""``profiles set-key`` when its profile is removed elsewhere while the key is being
entered (a prompt can wait as long as the person at it): it says so in words, stores no
key for a profile that is gone, and says the key was not changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import add_with_key, cli_env
from tests.keyring_support import keyring_gains_no_entry_holding, require_real_secret_service

#: A key of no known shape, so that only where it went can tell it apart.
NEW_KEY = "Qm7vX2pL9sT4wR8nB3cY6zK1"

# ``set-key`` as the command line runs it, its standard input announcing the first read on
# stderr: the test removes the profile once the command waits for the key, not before.
_ANNOUNCED_READ_MAIN = """
import io
import sys

class AnnouncedReads(io.RawIOBase):
    def __init__(self, raw):
        self._raw = raw
        self._announced = False
    def readable(self):
        return True
    def readinto(self, buffer):
        if not self._announced:
            self._announced = True
            print("key read started", file=sys.stderr, flush=True)
        return self._raw.readinto(buffer)

sys.stdin = io.TextIOWrapper(io.BufferedReader(AnnouncedReads(sys.stdin.buffer.raw), 1))
from kombo_desktop.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.secret_service
def test_set_key_for_a_profile_removed_while_its_key_is_typed_says_so_and_stores_nothing(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    require_real_secret_service()
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    process = subprocess.Popen(
        [sys.executable, "-c", _ANNOUNCED_READ_MAIN, "profiles", "set-key", "Acme"],
        env=cli_env(app_home),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stderr is not None
    try:
        first = process.stderr.readline()
        assert first == "key read started\n", first + process.communicate()[1]
        ProfileStore().remove(profile.id, KeyStore())
        with keyring_gains_no_entry_holding(NEW_KEY):
            out, err = process.communicate(NEW_KEY + "\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    # Before: "profile: this profile no longer exists", a field the command has not.
    assert err == (
        "The profile “Acme” was removed while its key was being entered. The key was not changed.\n"
    ), err
    assert process.returncode == 2
    assert out == ""
    assert NEW_KEY not in err
    assert ProfileStore().profiles() == []
