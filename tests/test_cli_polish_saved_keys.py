"""``profiles list`` says when a key an earlier version saved (with its quotes, say) must
be saved again, in the words ``send`` and the window use, whatever kind the profile notes
for it, and still lists every profile when the keyring is locked; and the sandbox masks a
key given as its host with the standard library alone, as it promises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keyring
import pytest

from kombo_desktop.cli.main import main as cli_main
from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import add_with_key, cli, output, run_child, send_args
from tests.keyring_support import (
    LockedKeyring,
    keyring_backend,
    unregistered,
)

#: A key as an earlier version saved it, pasted with its quotes (one token, so it passed).
SAVED_IN_QUOTES = f'"{DEMO_API_KEY}"'


def _saved_in_quotes_earlier(app_home: Path, sandbox: Sandbox, name: str) -> None:
    """A profile ``name`` as an earlier version left it: its key saved with its quotes,
    and so noted as a key of unknown kind."""
    profile = add_with_key(app_home, sandbox, name)
    keyring.set_password(SERVICE_NAME, profile.id, SAVED_IN_QUOTES)
    path = ProfileStore().path
    document = json.loads(path.read_text(encoding="utf-8"))
    for entry in document["profiles"]:
        if entry["name"] == name:
            entry["key_environment"] = "Unknown"
    path.write_text(json.dumps(document), encoding="utf-8")


def _said_by_send(app_home: Path, sandbox: Sandbox, name: str) -> str:
    """What ``send`` says of the key of profile ``name``, saved in quotes, as it refuses
    to send: the words of every place that tells of such a key."""
    refused = cli(app_home, *send_args(sandbox, name))
    assert refused.returncode == 2, output(refused)
    said: str = refused.stderr.split("(API key): ", 1)[1].rstrip("\n")
    assert "cannot be used: it is in quotes" in said
    return said


def _listed(app_home: Path) -> tuple[str, list[dict[str, Any]]]:
    """What ``profiles list`` writes, and the profiles ``profiles list --json`` gives;
    neither shows the key."""
    listed = cli(app_home, "profiles", "list")
    assert listed.returncode == 0, output(listed)
    as_json = cli(app_home, "profiles", "list", "--json")
    assert as_json.returncode == 0, output(as_json)
    assert DEMO_API_KEY not in output(listed) + output(as_json)
    return listed.stdout, json.loads(as_json.stdout)["profiles"]


def test_profiles_list_says_a_key_saved_in_quotes_must_be_saved_again(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    _saved_in_quotes_earlier(app_home, fresh_sandbox, "Acme")
    add_with_key(app_home, fresh_sandbox, "Beta")
    said_by_send = _said_by_send(app_home, fresh_sandbox, "Acme")

    listed, as_json = _listed(app_home)
    rows = {line.split()[0]: line for line in listed.splitlines()[1:3]}
    assert rows["Acme"].endswith("Unknown: save it again")
    assert rows["Beta"].endswith("Development")
    assert listed.endswith(f"\n“Acme”: {said_by_send}\n")
    problems = {row["name"]: row["key_problem"] for row in as_json}
    assert problems == {"Acme": said_by_send, "Beta": None}

    # Saved again with the command it names, it is a key like the others.
    set_key = cli(app_home, "profiles", "set-key", "Acme", stdin=DEMO_API_KEY + "\n")
    assert set_key.returncode == 0, output(set_key)
    listed_again = cli(app_home, "profiles", "list")
    assert "save it again" not in listed_again.stdout
    assert listed_again.stdout.splitlines()[1].endswith("Development")


def test_a_key_saved_with_only_its_closing_quote_is_listed_as_to_save_again(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    # Copied from ``"ks_dev_…"`` starting after the opening quote: one token, which the
    # version before quotes were refused saved as it was, its kind noted from its start.
    profile = add_with_key(app_home, fresh_sandbox, "Acme")
    keyring.set_password(SERVICE_NAME, profile.id, DEMO_API_KEY + '"')
    noted = ProfileStore().require_by_name("Acme").key_environment
    assert noted is Environment.DEVELOPMENT
    said_by_send = _said_by_send(app_home, fresh_sandbox, "Acme")

    listed, [row] = _listed(app_home)
    assert listed.splitlines()[1].endswith("Development: save it again")
    assert listed.endswith(f"\n“Acme”: {said_by_send}\n")
    assert (row["environment"], row["key_problem"]) == ("Development", said_by_send)


@unregistered
class CountedLockedKeyring(LockedKeyring):
    """A locked keyring whose unlock prompt is dismissed each time: how often it was
    asked is counted."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.asked += 1
        return super().get_password(service, username)


@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_profiles_list_asks_a_locked_keyring_once_and_still_lists_every_profile(
    app_home: Path, capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    store = ProfileStore()
    for name, kind in [("Acme", Environment.PRODUCTION), ("Beta", Environment.DEVELOPMENT)]:
        store.add_profile(
            build_profile(
                name=name,
                integration_id=DEMO_INTEGRATION_ID,
                region="eu",
                key_environment=kind,
            )
        )

    locked = CountedLockedKeyring()
    with keyring_backend(locked):
        code = cli_main(["profiles", "list", *(["--json"] if as_json else [])])

    said = capsys.readouterr()
    assert code == 0, said
    # Each key is read to tell one that must be saved again: after the first refusal,
    # none more (each read of a locked keyring may bring up its unlock prompt).
    assert locked.asked == 1
    if as_json:
        rows = json.loads(said.out)["profiles"]
        kinds = [(row["environment"], row["key_problem"]) for row in rows]
        assert kinds == [("Production", None), ("Development", None)]
    else:
        assert [line.split()[-1] for line in said.out.splitlines()[1:]] == [
            "Production",
            "Development",
        ]


def test_the_sandbox_masks_a_key_host_without_loading_more_than_the_standard_library(
    app_home: Path,
) -> None:
    key = "ks_prod_ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"
    report = run_child(
        app_home,
        f"""
import contextlib, io, json, sys
from kombo_desktop.sandbox import run_cli
said = io.StringIO()
with contextlib.redirect_stderr(said), contextlib.redirect_stdout(said):
    code = run_cli({key!r}, 0, 0, None)
loaded = sorted(
    name for name in sys.modules
    if name.split(".")[0] in ("platformdirs", "PySide6", "httpx", "pydantic")
    or name == "kombo_desktop.core.logs"
)
print("REPORT " + json.dumps({{"code": code, "said": said.getvalue(), "loaded": loaded}}))
""",
    )
    assert report["code"] == 1
    assert key not in report["said"]
    assert report["said"].startswith("Cannot serve the Kombo sandbox on [redacted]:0: ")
    assert report["loaded"] == []
