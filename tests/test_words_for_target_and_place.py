"""The warning before Retry names whose link it is, and the command line's words for a
refusal tell what to correct there: it has no form.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from kombo_desktop.core import messages
from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.errors import KomboApiError
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.messages import describe_error, may_be_added_warning
from kombo_desktop.core.models import ResultLinkRequest, Target
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli_env
from tests.main_window_support import candidate_id, fill_form, submit_and_wait

DUPLICATE = "Sending it again can leave a duplicate link in the customer's ATS."
WINDOW_CORRECTION = "Correct the form and send again."
COMMAND_CORRECTION = "Correct the command and run it again."


def _send_failing_with(
    sandbox: Sandbox, connection: Connection, target: Target, fault: Fault
) -> KomboApiError:
    """What the client raises for a result link sent to ``target`` that ``fault`` answers."""
    request = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")
    sandbox.inject_fault(fault, times=1)
    with SyncKomboClient(connection) as client, pytest.raises(KomboApiError) as failed:
        client.add_result_link(target, request)
    return failed.value


# ---- the Retry warning names the target --------------------------------------------------------


def test_the_warning_before_sending_again_names_the_target_before_when_it_was_sent() -> None:
    target = Target.parse(TargetKind.CANDIDATE, "5RnuQxPGnYSTC7LHr2KDcaYc")
    assert may_be_added_warning(" when it was sent on 28 Nov at 14:32", target) == (
        "Kombo may already have added this result link to candidate "
        f"5RnuQxPGnYSTC7LHr2KDcaYc when it was sent on 28 Nov at 14:32. {DUPLICATE}"
    )


def test_the_panel_names_the_candidate_once_above_its_retry_warning(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    first = candidate_id(fresh_sandbox, 0)
    fill_form(qtbot, window, target_id=first)
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    submit_and_wait(qtbot, window)

    # The outcome just above names the candidate and says the link may have been added:
    # the warning under it says only what sending again may do (it said it all again).
    outcome = window.response.findChild(QLabel, "outcomeText")
    assert outcome is not None
    assert f"candidate {first}" in outcome.text()
    warning = window.response.findChild(QLabel, "appliedNote")
    assert warning is not None
    assert warning.isVisible()
    assert "may already have been added" in outcome.text()
    assert warning.text() == DUPLICATE


# ---- the command line's words for a refusal ------------------------------------------------


def _send(app_home: Path, sandbox: Sandbox, *args: str) -> Any:
    """``kombo-desktop send`` of one link to the sandbox's first candidate, as a script runs it."""
    command = [
        sys.executable, "-m", "kombo_desktop", "send",
        "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/r/1", *args,
    ]  # fmt: skip
    return subprocess.run(
        command,
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        ("PLATFORM.INPUT_INVALID", "Kombo rejected what was sent."),
        ("REMOTE.INPUT_INVALID", "The customer's ATS rejected what was sent."),
    ],
)
def test_a_refusal_on_the_command_line_says_to_correct_the_command(
    fresh_sandbox: Sandbox, app_home: Path, code: str, refusal: str
) -> None:
    fresh_sandbox.inject_fault(Fault.kombo_error(code, 400), times=1)
    plain = _send(app_home, fresh_sandbox)
    assert plain.returncode == 1, plain.stderr
    # Named, as the window names it: a log of many sends tells each line's row.
    not_added = f"The result link was not added to candidate {candidate_id(fresh_sandbox)}. "
    assert plain.stderr.startswith(f"{not_added}{refusal} {COMMAND_CORRECTION}\n")
    assert "the form" not in plain.stderr

    fresh_sandbox.inject_fault(Fault.kombo_error(code, 400), times=1)
    as_json = _send(app_home, fresh_sandbox, "--json")
    assert as_json.returncode == 1, as_json.stderr
    summary = json.loads(as_json.stdout)["summary"]
    assert summary.startswith(f"{not_added}{refusal} {COMMAND_CORRECTION}\n")
    assert "the form" not in summary


@pytest.mark.parametrize("code", ["PLATFORM.INPUT_INVALID", "REMOTE.INPUT_INVALID"])
def test_one_refusal_is_worded_for_where_it_is_shown(
    fresh_sandbox: Sandbox, connection: Connection, code: str
) -> None:
    target = Target.parse(TargetKind.CANDIDATE, candidate_id(fresh_sandbox))
    error = _send_failing_with(fresh_sandbox, connection, target, Fault.kombo_error(code, 400))

    in_window = describe_error(error)
    on_command_line = describe_error(error, shown_in=messages.ShownIn.COMMAND_LINE)
    assert WINDOW_CORRECTION in in_window.text
    assert describe_error(error, shown_in=messages.ShownIn.WINDOW) == in_window
    assert COMMAND_CORRECTION in on_command_line.text
    assert "the form" not in on_command_line.text
    # Only the advice differs: the rest of the answer is the same one.
    assert on_command_line.text == in_window.text.replace(WINDOW_CORRECTION, COMMAND_CORRECTION)
    assert on_command_line.detail == in_window.detail
    assert on_command_line.remedy is in_window.remedy


def test_a_fault_of_the_app_on_the_command_line_says_nothing_of_a_form() -> None:
    fault = RuntimeError("boom")
    assert describe_error(fault).text == (
        "Something went wrong inside Kombo Desktop. The form is unchanged."
    )
    assert describe_error(fault, shown_in=messages.ShownIn.COMMAND_LINE).text == (
        "Something went wrong inside Kombo Desktop."
    )
