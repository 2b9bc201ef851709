"""Ctrl+C (SIGINT) to a running ``kombo-desktop`` command at a chosen moment, for the tests
of what the command says was left behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kombo_desktop.core import paths
from kombo_desktop.core.logs import LOG_FILE_NAME
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import add_with_key, cli_env

#: How long a test waits for the moment it acts at, before it gives up (a bound on a
#: hang, not a wait: the test goes on as soon as it is there).
REACH_S = 30.0


@dataclass(frozen=True)
class Written:
    """What the running command has written so far: its stderr, and its log since it
    started."""

    stderr_path: Path
    log_path: Path
    log_start: int

    def stderr(self) -> str:
        """Everything on the command's stderr until now."""
        return self.stderr_path.read_text(encoding="utf-8")

    def log(self) -> str:
        """The lines the command added to the app's log until now."""
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(self.log_start)
            return log.read().decode("utf-8", errors="replace")


def interrupted(
    argv: list[str],
    env: dict[str, str],
    until: Callable[[subprocess.Popen[str]], None],
    *,
    stderr: int | IO[str] = subprocess.PIPE,
    stop_with: int = signal.SIGINT,
    before: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` with Ctrl+C (SIGINT, or the signal ``stop_with``) once ``until(process)``
    returns; what it printed (no stderr when ``stderr`` is a file). ``before`` runs in the
    child before the command starts. A command still running at the end is killed."""
    process = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True, preexec_fn=before
    )
    try:
        until(process)
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_for(process: subprocess.Popen[str], reached: Callable[[], bool]) -> None:
    """Return once ``reached()`` is true; fail if the command ends first or never gets there."""
    deadline = time.monotonic() + REACH_S
    while not reached():
        assert process.poll() is None, "the command ended before the moment to interrupt it"
        assert time.monotonic() < deadline, f"the command did not get there in {REACH_S} s"
        time.sleep(0.05)


def send_interrupted(
    app_home: Path,
    sandbox: Sandbox,
    *args: str,
    once: Callable[[Written], bool],
    base_url: str | None = None,
) -> Any:
    """``send ARGS`` for the sandbox's first candidate, at ``base_url`` (the sandbox's
    unless told), with Ctrl+C (SIGINT) as soon as ``once`` is true of what the command has
    written (or of the sandbox)."""
    target = sandbox.candidates[0]["id"]
    command = [
        sys.executable, "-m", "kombo_desktop", "send",
        "--base-url", base_url or sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", target, "--label", "L", "--url", "https://e.com/1", *args,
    ]  # fmt: skip
    log_path = paths.log_dir() / LOG_FILE_NAME
    # stderr goes to a file, to be read while the command runs (Python flushes it at
    # each line); the log is read from where this command starts writing to it.
    written = Written(
        stderr_path=app_home.parent / "send-stderr.txt",
        log_path=log_path,
        log_start=log_path.stat().st_size if log_path.exists() else 0,
    )
    with written.stderr_path.open("w", encoding="utf-8") as stderr:
        result = interrupted(
            command,
            cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
            lambda process: wait_for(process, lambda: once(written)),
            stderr=stderr,
        )
    result.stderr = written.stderr()
    return result


@contextmanager
def profiles_file_held() -> Iterator[None]:
    """Hold the profiles file's lock, as another window saving would: a command that
    changes the file waits for it."""
    from filelock import FileLock

    path = ProfileStore().path
    with FileLock(str(path.with_name(f"{path.name}.lock"))):
        yield


def waiting_for_the_lock(process: subprocess.Popen[str]) -> bool:
    """True while the command sleeps between its tries to take the profiles file's lock:
    nothing else it does before then sleeps."""
    wchan = Path(f"/proc/{process.pid}/wchan")
    return "nanosleep" in wchan.read_text(encoding="ascii", errors="replace")


def profiles_interrupted(app_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``profiles ARGS`` with Ctrl+C once it waits for the profiles file's lock."""
    with profiles_file_held():
        return interrupted(
            [sys.executable, "-m", "kombo_desktop", "profiles", *args],
            cli_env(app_home),
            lambda process: wait_for(process, lambda: waiting_for_the_lock(process)),
        )


def profiles_of_one_name(app_home: Path, sandbox: Sandbox) -> tuple[Path, dict[str, Any]]:
    """Two profiles for ``sandbox``, then given one name by hand in the profiles file:
    reading the file renames one and writes that back, which waits for the file's lock.
    The file, and what was written into it."""
    add_with_key(app_home, sandbox, "Acme")
    add_with_key(app_home, sandbox, "Beta")
    path = ProfileStore().path
    document = json.loads(path.read_text(encoding="utf-8"))
    for entry in document["profiles"]:
        entry["name"] = "Acme"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path, document
