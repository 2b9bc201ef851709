"""The command line where a script or a terminal meets the unexpected: a key typed as an
argument, an empty override beside a profile, a reader that leaves early, a damaged
profiles file, a key file from PowerShell, escape sequences in Kombo's words, and Ctrl+C
while the keyring is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
import pytest

from kombo_desktop.core.errors import KomboApiError, RequestInfo, RequestPurpose
from kombo_desktop.core.messages import describe_error
from kombo_desktop.core.profiles import ProfileStore, build_profile
from kombo_desktop.core.secrets import SERVICE_NAME
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import add_with_key, cli, cli_env, output, send_args
from tests.interrupt_support import interrupted
from tests.keyring_support import require_real_secret_service
from tests.profile_files import add_unreadable_entry

#: A key of no known shape: only knowing where it was typed can mask it.
UNKNOWN_SHAPE_KEY = "Zx81sQ0pLmN3vB7cR2tY9uW4"

#: What a terminal runs: retitle the window (OSC 0, ended by BEL), clear the screen, move
#: the cursor up (over the lines before), and a C1 control (CSI as one character).
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[1A\x9b2J"

DAMAGED = "1 profile was damaged and left out"
KOMBO = "https://api.kombo.dev/v1"
ADD_RESULT_LINK = RequestPurpose.ADD_RESULT_LINK
STOPPED = "Stopped before sending: nothing was sent."


def _send_words(sandbox: Sandbox, *extra: str) -> list[str]:
    """``send`` to the sandbox's first candidate with its base URL and integration ID."""
    return [
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", sandbox.candidates[0]["id"], "--label", "L",
        "--url", "https://example.com/results/1", *extra,
    ]  # fmt: skip


# A key typed as an argument ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        ["after", f"KOMBO_API_KEY={UNKNOWN_SHAPE_KEY}"],
        ["after", f"KOMBO_API_KEY={UNKNOWN_SHAPE_KEY}", "--json"],
        ["before", f"KOMBO_API_KEY={UNKNOWN_SHAPE_KEY}"],
        ["after", "--password", UNKNOWN_SHAPE_KEY],
        ["after", f"--password={UNKNOWN_SHAPE_KEY}", "--json"],
        ["after", "--auth", UNKNOWN_SHAPE_KEY],
        ["after", "--credentials", UNKNOWN_SHAPE_KEY],
    ],
    ids=[
        "variable-after", "variable-after-json", "variable-before", "password",
        "password-json", "auth", "credentials",
    ],
)  # fmt: skip
def test_a_key_typed_as_an_argument_is_never_echoed(
    fresh_sandbox: Sandbox, app_home: Path, typed: list[str]
) -> None:
    where, *words = typed
    command = _send_words(fresh_sandbox)
    result = cli(app_home, *(words + command if where == "before" else command + words))
    assert result.returncode == 2, output(result)
    assert UNKNOWN_SHAPE_KEY not in output(result), output(result)
    assert "[redacted]" in output(result)
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_the_key_variable_typed_as_an_argument_is_told_to_go_in_the_environment(
    fresh_sandbox: Sandbox, app_home: Path, as_json: bool
) -> None:
    extra = ["--json"] if as_json else []
    result = cli(
        app_home, *_send_words(fresh_sandbox, f"KOMBO_API_KEY={UNKNOWN_SHAPE_KEY}", *extra)
    )
    assert result.returncode == 2, output(result)
    said = json.loads(result.stdout)["summary"] if as_json else result.stderr
    assert "KOMBO_API_KEY=[redacted]" in said
    assert "is an argument, not a variable" in said
    assert "set KOMBO_API_KEY in the environment before the command" in said
    # A way that keeps the key out of the shell's history ("export KOMBO_API_KEY=ks_…"
    # typed at the prompt stays in it).
    assert "`read -rs KOMBO_API_KEY && export KOMBO_API_KEY` reads it unseen" in said
    # Not the words for someone who never set it: they did, in the wrong place.
    assert "set the KOMBO_API_KEY environment variable to it" not in said


# An empty override beside a profile ----------------------------------------------------


@pytest.mark.secret_service
@pytest.mark.parametrize(
    ("option", "field"), [("--integration-id", "integration_id"), ("--base-url", "base_url")]
)
def test_an_empty_override_beside_a_profile_is_refused_at_its_option(
    fresh_sandbox: Sandbox, app_home: Path, option: str, field: str
) -> None:
    # `--integration-id "$IID"` with IID unset: not the profile's integration instead.
    require_real_secret_service()
    add_with_key(app_home, fresh_sandbox, "Acme")

    as_json = cli(app_home, *send_args(fresh_sandbox, "Acme", option, "", "--json"))
    assert as_json.returncode == 2, output(as_json)
    assert [e["field"] for e in json.loads(as_json.stdout)["errors"]] == [field]

    plain = cli(app_home, *send_args(fresh_sandbox, "Acme", option, ""))
    assert plain.returncode == 2, output(plain)
    # Named by the option that was given empty, not as the profile's setting.
    assert f"\n{option}: " in plain.stderr, plain.stderr
    assert "--profile “Acme”" not in plain.stderr
    assert fresh_sandbox.requests == []


# A reader that leaves early ------------------------------------------------------------


def _run_with_stdout_closed(
    app_home: Path, words: list[str], *, unbuffered: bool, stdin: bytes = b"", **env: str
) -> subprocess.CompletedProcess[str]:
    """``kombo-desktop WORDS`` writing to a pipe whose reader is gone before anything is
    written (``| head -1`` that has its line, ``| grep -q``); stdout line by line, as with
    ``python -u``, or in blocks, as Python writes to a pipe by default."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "kombo_desktop", *words],
            # PYTHONUNBUFFERED empty is as if it were not set.
            env=cli_env(app_home, PYTHONUNBUFFERED="1" if unbuffered else "", **env),
            input=stdin.decode(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)


def _assert_no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert "BrokenPipeError" not in stderr, stderr
    assert "Exception ignored" not in stderr, stderr


BUFFERING = pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])


@BUFFERING
@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["plain", "json"])
def test_a_link_added_for_a_reader_gone_early_still_exits_0(
    fresh_sandbox: Sandbox, app_home: Path, unbuffered: bool, extra: list[str]
) -> None:
    # Exit code 1 would say Kombo refused it: a `set -o pipefail` script sends it again.
    target = fresh_sandbox.candidates[0]["id"]
    before = len(fresh_sandbox.result_links(target))
    result = _run_with_stdout_closed(
        app_home,
        _send_words(fresh_sandbox, *extra),
        unbuffered=unbuffered,
        KOMBO_API_KEY=DEMO_API_KEY,
    )
    assert len(fresh_sandbox.result_links(target)) == before + 1
    _assert_no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr


@BUFFERING
def test_kombos_refusal_for_a_reader_gone_early_still_exits_1(
    fresh_sandbox: Sandbox, app_home: Path, unbuffered: bool
) -> None:
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403))
    result = _run_with_stdout_closed(
        app_home,
        _send_words(fresh_sandbox, "--json"),
        unbuffered=unbuffered,
        KOMBO_API_KEY=DEMO_API_KEY,
    )
    _assert_no_traceback(result.stderr)
    assert result.returncode == 1, result.stderr


@pytest.mark.secret_service
@BUFFERING
def test_a_profile_saved_for_a_reader_gone_early_still_exits_0(
    fresh_sandbox: Sandbox, app_home: Path, unbuffered: bool
) -> None:
    require_real_secret_service()
    words = ["profiles", "add", "Acme", "--integration-id", DEMO_INTEGRATION_ID, "--region", "eu"]
    result = _run_with_stdout_closed(
        app_home, words, unbuffered=unbuffered, stdin=f"{DEMO_API_KEY}\n".encode()
    )
    _assert_no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in ProfileStore().profiles()] == ["Acme"]


def test_help_for_a_reader_gone_early_still_exits_0(app_home: Path) -> None:
    result = _run_with_stdout_closed(app_home, ["send", "--help"], unbuffered=False)
    _assert_no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr


# A damaged profiles file read by send --profile ----------------------------------------


@pytest.mark.secret_service
@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_send_with_a_profile_says_the_profiles_file_was_damaged_on_stderr(
    fresh_sandbox: Sandbox, app_home: Path, as_json: bool
) -> None:
    require_real_secret_service()
    add_with_key(app_home, fresh_sandbox, "Acme")
    add_unreadable_entry(app_home / "config" / "profiles.json")

    sent = cli(app_home, *send_args(fresh_sandbox, "Acme", *(["--json"] if as_json else [])))
    assert sent.returncode == 0, output(sent)
    assert list((app_home / "config").glob("profiles.json.damaged-*")), "moved aside"
    # The only run that can tell: the next one reads the repaired file.
    assert sent.stderr.count(DAMAGED) == 1, output(sent)
    assert sent.stderr.startswith("Warning: "), sent.stderr
    if as_json:
        assert json.loads(sent.stdout)["status"] == "success"  # still one object
    else:
        assert DAMAGED not in sent.stdout


# A key piped from a file in another encoding -------------------------------------------


#: ``profiles add`` of a profile in the EU region, the key read from standard input.
ADD_ACME = [
    sys.executable, "-m", "kombo_desktop", "profiles", "add", "Acme",
    "--integration-id", DEMO_INTEGRATION_ID, "--region", "eu",
]  # fmt: skip


def _add_with_piped_bytes(app_home: Path, raw: bytes, **env: str) -> Any:
    return subprocess.run(
        ADD_ACME, input=raw, env=cli_env(app_home, **env), capture_output=True, timeout=60
    )


def _said(result: Any) -> str:
    return str((result.stdout + result.stderr).decode("utf-8", "replace"))


@pytest.mark.secret_service
@pytest.mark.parametrize(
    "encoding",
    # PowerShell 5's `echo $key > key.txt` writes UTF-16 LE with its mark.
    ["utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_a_key_file_with_a_wide_byte_order_mark_is_read_as_its_mark_says(
    app_home: Path, encoding: str
) -> None:
    require_real_secret_service()
    raw = f"\ufeff{DEMO_API_KEY}\r\n".encode(encoding)
    added = _add_with_piped_bytes(app_home, raw, PYTHONIOENCODING="utf-8")
    assert added.returncode == 0, _said(added)
    [profile] = ProfileStore().profiles()
    assert profile.name == "Acme"
    assert keyring.get_password(SERVICE_NAME, profile.id) == DEMO_API_KEY


@pytest.mark.secret_service
def test_a_piped_key_that_is_not_text_is_refused_and_nothing_is_saved(app_home: Path) -> None:
    require_real_secret_service()
    added = _add_with_piped_bytes(
        app_home, b"\xff" + DEMO_API_KEY.encode() + b"\n", PYTHONIOENCODING="utf-8"
    )
    said = _said(added)
    assert "Traceback" not in said, said
    # Exit code 1 would mean the profiles file could not be written.
    assert added.returncode == 2, said
    assert "API key: is not readable text" in said
    assert said.rstrip().endswith("Nothing was saved."), said
    assert DEMO_API_KEY not in said
    assert ProfileStore().profiles() == []


@pytest.mark.secret_service
def test_a_piped_key_is_taken_at_its_line_end_while_the_pipe_stays_open(app_home: Path) -> None:
    # A password manager's pipe may stay open after the line: the key is read byte by
    # byte up to its line break, never waiting for the end of the input.
    require_real_secret_service()
    process = subprocess.Popen(
        ADD_ACME,
        env=cli_env(app_home),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdin is not None
    try:
        process.stdin.write(f"{DEMO_API_KEY}\n".encode())
        process.stdin.flush()
        code = process.wait(timeout=60)  # with its input still open
    finally:
        if process.poll() is None:
            process.kill()
        out, err = process.communicate()
    assert code == 0, (out + err).decode("utf-8", "replace")
    assert [p.name for p in ProfileStore().profiles()] == ["Acme"]


# Escape sequences in Kombo's words -----------------------------------------------------


def test_kombos_error_words_reach_the_terminal_without_control_characters(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    fresh_sandbox.inject_fault(
        Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, f"Bad input{ESCAPES}", f"T{ESCAPES}")
    )
    result = cli(app_home, *_send_words(fresh_sandbox), KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 1, output(result)
    assert "Kombo said: Bad input]0;pwned[2J[1A2J\n" in result.stderr
    assert "Title: T]0;pwned" in result.stderr
    for control in "\x1b\x07\x9b":
        assert control not in output(result), repr(output(result))


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["plain", "json"])
def test_warnings_from_a_custom_base_url_reach_the_terminal_without_control_characters(
    fresh_sandbox: Sandbox, app_home: Path, extra: list[str]
) -> None:
    # A custom base URL (or a proxy) answers success with warnings of its own.
    answer = {"status": "success", "data": {}, "warnings": [{"message": f"Careful{ESCAPES}"}]}
    fresh_sandbox.inject_fault(Fault.raw(json.dumps(answer)))
    result = cli(app_home, *_send_words(fresh_sandbox, *extra), KOMBO_API_KEY=DEMO_API_KEY)
    assert result.returncode == 0, output(result)
    if extra:
        assert json.loads(result.stdout)["warnings"] == [f"Careful{ESCAPES}"]  # as data
    else:
        assert "Warning: Careful]0;pwned[2J[1A2J\n" in result.stdout
    for control in "\x1b\x07\x9b":
        assert control not in output(result), repr(output(result))


def test_kombos_words_in_a_message_keep_line_breaks_and_tabs_only() -> None:
    # The window shows the same message: a control character is a box or nothing there.
    error = KomboApiError(
        status_code=400,
        code="SOMETHING.NEW",
        title=f"Title\x00{ESCAPES}",
        message=f"First line\r\n\tsecond{ESCAPES}\x7f",
        log_url=None,
        request=RequestInfo("POST", f"{KOMBO}/ats/candidates/c/result-links", ADD_RESULT_LINK),
        body="{}",
        elapsed_s=0.1,
    )
    message = describe_error(error)
    assert message.text == "Kombo answered: First line\n\tsecond]0;pwned[2J[1A2J"
    shown = message.text + message.detail
    assert "Title: Title]0;pwned[2J[1A2J" in shown
    assert not [
        ch for ch in shown if ch not in "\n\t" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)
    ]


# Ctrl+C while the keyring is read ------------------------------------------------------

#: ``kombo-desktop ARGV`` with a keyring whose read waits, as one behind an unlock prompt
#: nobody answers (over SSH): it says on stderr when a read starts.
_WAITING_KEYRING_MAIN = """
import sys
import keyring
from tests.keyring_support import GatedKeyring

class AnnouncedRead(GatedKeyring):
    def get_password(self, service, username):
        print("keyring read started", file=sys.stderr, flush=True)
        return super().get_password(service, username)

keyring.set_keyring(AnnouncedRead())
from kombo_desktop.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _send_interrupted_at_the_keyring(app_home: Path, words: list[str]) -> tuple[int, str, str]:
    """Run ``WORDS`` with Ctrl+C (SIGINT) once the key is being read from the keyring;
    the exit code, stdout and stderr."""

    def until_the_read_starts(process: subprocess.Popen[str]) -> None:
        # The keyring gives up waiting after 30 s, should the read never start.
        assert process.stderr is not None
        first = process.stderr.readline()
        assert first == "keyring read started\n", first + process.communicate()[1]

    result = interrupted(
        [sys.executable, "-c", _WAITING_KEYRING_MAIN, *words],
        cli_env(app_home),
        until_the_read_starts,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.mark.parametrize("as_json", [False, True], ids=["plain", "json"])
def test_ctrl_c_while_the_keyring_is_read_sends_nothing_and_exits_130(
    fresh_sandbox: Sandbox, app_home: Path, as_json: bool
) -> None:
    ProfileStore().add_profile(
        build_profile(
            name="Acme", integration_id=DEMO_INTEGRATION_ID, base_url=fresh_sandbox.base_url
        )
    )
    extra = ["--json"] if as_json else []
    code, out, err = _send_interrupted_at_the_keyring(
        app_home, send_args(fresh_sandbox, "Acme", *extra)
    )
    assert fresh_sandbox.requests == []
    assert "Traceback" not in err, err
    assert code == 130, (code, out, err)  # Ctrl+C, as the send epilog says
    if as_json:
        answer = json.loads(out)  # one object, as --json promises
        assert answer["status"] == "error"
        assert answer["summary"] == STOPPED
        assert answer["may_have_been_applied"] is False
    else:
        assert err.endswith(f"{STOPPED}\n"), err
        assert out == ""
