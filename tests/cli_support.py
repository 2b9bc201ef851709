"""Running ``python -m kombo_desktop`` as a script would, for the command-line tests, and
code in a fresh interpreter, for what the app loads."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kombo_desktop.core.profiles import Profile

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def cli_env(app_home: Path, **extra: str) -> dict[str, str]:
    """The test's environment (D-Bus session included) without a key, plus the app home."""
    env = {k: v for k, v in os.environ.items() if k != "KOMBO_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    env["KOMBO_DESKTOP_HOME"] = str(app_home)
    env.update(extra)
    return env


def cli(
    app_home: Path, *args: str, stdin: str = "", output_encoding: str | None = None, **env: str
) -> Any:
    """Run ``kombo-desktop ARGS`` to completion; ``env`` adds environment variables.

    ``output_encoding``: how its input and output are read and written, when it is told
    to use another encoding than this system's (``PYTHONIOENCODING``).
    """
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        input=stdin,
        env=cli_env(app_home, **env),
        capture_output=True,
        text=True,
        encoding=output_encoding,
        timeout=60,
    )


def cli_fed_bytes(
    app_home: Path, *args: str, stdin: bytes, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``kombo-desktop ARGS`` to completion with ``stdin``'s very bytes piped in (line
    ends and all, as a file holds them); its output read as UTF-8."""
    result = subprocess.run(
        [sys.executable, "-m", "kombo_desktop", *args],
        input=stdin,
        env=cli_env(app_home, PYTHONIOENCODING="utf-8", **env),
        capture_output=True,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", errors="replace"),
        result.stderr.decode("utf-8", errors="replace"),
    )


def output(result: Any) -> str:
    """Everything a finished command printed, for assertion messages."""
    return str(result.stdout) + str(result.stderr)


def shows_no_key(text: str, *keys: str) -> bool:
    """True when ``text`` holds none of ``keys``, in any capitals (the same key to the
    person who reads it)."""
    folded = text.casefold()
    return not any(key.casefold() in folded for key in keys)


def one_line(text: str) -> str:
    """``text`` with argparse's line wrapping undone, whatever the terminal's width."""
    return " ".join(text.split())


def help_text(app_home: Path, *words: str) -> str:
    """``kombo-desktop WORDS --help`` on one line."""
    result: Any = cli(app_home, *words, "--help")
    assert result.returncode == 0, output(result)
    return one_line(result.stdout)


def window_entry(app_home: Path, *args: str) -> Any:
    """``kombo-desktop-gui ARGS``, as its launcher runs it, with no screen needed."""
    code = "import sys; from kombo_desktop.app import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=60,
    )


def sandbox_command(app_home: Path, *args: str) -> tuple[int, str, str]:
    """Run ``kombo-desktop ARGS`` that may serve a sandbox: the exit code, the first line of
    standard output (the sandbox's address, when it serves) and standard error.

    A sandbox that serves runs until stopped: it is stopped after its first line.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", *args],
        env=cli_env(app_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Whatever happens, the process does not outlive the test.
    killer = threading.Timer(60, process.kill)
    killer.start()
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=60)
        killer.cancel()
    return process.returncode, first_line, err


def run_python(app_home: Path, code: str, *args: str, **env: str) -> Any:
    """Run ``code`` with ``args`` in a fresh interpreter (offscreen, the app home, ``env``
    added) to its end; returns the completed process."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=cli_env(app_home, QT_QPA_PLATFORM="offscreen", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_child(app_home: Path, code: str) -> Any:
    """Run ``code`` in a fresh interpreter; returns the JSON it printed after ``REPORT``."""
    result = run_python(app_home, code)
    lines = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines, result.stdout + result.stderr
    return json.loads(lines[-1].removeprefix("REPORT "))


#: Notes each place in the app's modules that compiles a pattern as its module loads (the
#: first frame outside ``re`` that is a module's top level), as ``file:line``.
_NOTING_COMPILES = """
import json, re, sys
compiled_at_import = []
compile_pattern = re._compile
def noting_compile(pattern, flags):
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == re.__file__:
        frame = frame.f_back
    if (
        frame is not None
        and frame.f_code.co_name == "<module>"
        and "kombo_desktop" in frame.f_code.co_filename
    ):
        compiled_at_import.append(f"{frame.f_code.co_filename}:{frame.f_lineno}")
    return compile_pattern(pattern, flags)
re._compile = noting_compile
"""

_REPORT_COMPILES = """
print("REPORT " + json.dumps(sorted(
    name.rpartition("kombo_desktop")[2] for name in compiled_at_import
)))
"""


def patterns_compiled_at_import(app_home: Path, load: str, then: str = "") -> list[str]:
    """Where the app's modules compile a pattern at their top level while ``load`` (Python
    lines) runs in a fresh interpreter, as ``/package/module.py:line``; ``then`` runs
    after that is noted (to close what ``load`` opened)."""
    code = _NOTING_COMPILES + textwrap.dedent(load) + _REPORT_COMPILES + textwrap.dedent(then)
    compiled = run_child(app_home, code)
    assert isinstance(compiled, list)
    return compiled


def add_with_key(app_home: Path, sandbox: Any, name: str) -> Profile:
    """``profiles add`` for the sandbox, the demo key typed in (into the real keyring); the
    profile saved."""
    from kombo_desktop.core.profiles import ProfileStore
    from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

    added = cli(
        app_home,
        "profiles", "add", name, "--integration-id", DEMO_INTEGRATION_ID,
        "--base-url", sandbox.base_url, stdin=DEMO_API_KEY + "\n",
    )  # fmt: skip
    assert added.returncode == 0, output(added)
    return ProfileStore().require_by_name(name)


def send_remote_fields(app_home: Path, sandbox: Any, raw: str) -> Any:
    """``send`` to the sandbox's first candidate with the demo key and ``--remote-fields
    raw``, as a script runs it; the finished process."""
    from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

    return cli(
        app_home,
        "send", "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", sandbox.candidates[0]["id"], "--label", "L",
        "--url", "https://example.com/results/1", "--remote-fields", raw,
        KOMBO_API_KEY=DEMO_API_KEY, PYTHONIOENCODING="utf-8",
    )  # fmt: skip


def send_attributes(app_home: Path, sandbox: Any, attributes: Sequence[str], *extra: str) -> Any:
    """``send`` to the sandbox's first candidate with the demo key, the prefix "Acme:" and
    an ``--attr`` for each of ``attributes``, then ``extra``; the finished process."""
    from kombo_desktop.sandbox import DEMO_API_KEY

    given = [word for attribute in attributes for word in ("--attr", attribute)]
    return cli(
        app_home, *send_words(sandbox, "--prefix", "Acme:", *given, *extra),
        KOMBO_API_KEY=DEMO_API_KEY,
    )  # fmt: skip


def send_words(sandbox: Any, *extra: str) -> list[str]:
    """``send`` to the sandbox's first candidate, with its base URL and integration ID."""
    return ["send", *send_options(sandbox, *extra)]


def send_options(sandbox: Any, *extra: str) -> list[str]:
    """The options of a ``send`` to the sandbox's first candidate that would go through on
    their own (``send_words`` without the command's name)."""
    from kombo_desktop.sandbox import DEMO_INTEGRATION_ID

    target = sandbox.candidates[0]["id"]
    return [
        "--candidate", target, "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--base-url", sandbox.base_url,
        "--integration-id", DEMO_INTEGRATION_ID, *extra,
    ]  # fmt: skip


def free_port() -> int:
    """A loopback port nothing listens on (free when asked)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def send_args(sandbox: Any, profile: str, *extra: str) -> list[str]:
    """``send`` with the saved profile ``profile`` to the sandbox's first candidate."""
    target = sandbox.candidates[0]["id"]
    return [
        "send", "--profile", profile, "--candidate", target,
        "--label", "Assessment Result", "--url", "https://example.com/results/1", *extra,
    ]  # fmt: skip


def assert_sent_with_demo_credentials(sandbox: Any) -> None:
    """The sandbox's last request was a POST with the demo key and integration ID."""
    from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

    request = sandbox.requests[-1]
    assert request.method == "POST"
    assert request.headers["authorization"] == f"Bearer {DEMO_API_KEY}"
    assert request.headers["x-integration-id"] == DEMO_INTEGRATION_ID


def sub_commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-commands ``parser`` registered, by name."""
    [choices] = [
        action.choices
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
    ]
    return dict(choices)
