"""Attribute keys made of characters nobody sees (a zero-width space, a word joiner, a
byte-order mark, a no-break space), as cells copied from a chat or a web page bring them.

Such a key is no key: in the window's table and on the command line alike, a row with a
value under it is "Key is empty" and nothing is sent, and a row with nothing visible in
key or value is an empty row, left out. A key with one of them at its end is sent as the
key that is seen.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kombo_desktop.cli.send_command import ATTRIBUTE_NAME_IS_EMPTY
from kombo_desktop.qt.attributes_model import KEY_COLUMN, AttributesModel
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli_env, output
from tests.main_window_support import (
    button,
    candidate_id,
    fill_form,
    posts,
    press_ctrl_enter,
    sent_attributes,
    submit_and_wait,
)

#: Keys that show nothing, one kind of invisible character each, and mixes with spaces.
INVISIBLE_KEYS = [
    pytest.param("\u200b", id="zero-width-space"),
    pytest.param("\u2060", id="word-joiner"),
    pytest.param("\ufeff", id="byte-order-mark"),
    pytest.param("\u00a0\u200b\u00a0", id="no-break-spaces-around-zero-width-space"),
    pytest.param(" \u2060 \ufeff ", id="spaces-word-joiner-byte-order-mark"),
]


def _paste_form(qtbot: Any, window: MainWindow, sandbox: Sandbox, rows: str) -> AttributesModel:
    """A whole form, its attribute ``rows`` pasted into the table as a spreadsheet block;
    the table's model."""
    fill_form(qtbot, window, target_id=candidate_id(sandbox), prefix="Acme:", attributes=rows)
    return window.form.attributes.model


# ---- the window ------------------------------------------------------------------------


@pytest.mark.parametrize("key", INVISIBLE_KEYS)
def test_the_window_marks_an_invisible_key_as_empty_and_sends_nothing(
    qtbot: Any, window: MainWindow, fresh_sandbox: Sandbox, key: str
) -> None:
    model = _paste_form(qtbot, window, fresh_sandbox, f"Score\t1\n{key}\t5\n")
    # Kept as pasted (the paste trims only the spaces), to be corrected in the table.
    assert model.rows()[1] == (key.strip(), "5")

    assert model.problems() == {1: "Key is empty"}
    tooltip = model.data(model.index(1, KEY_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert (
        tooltip == "Key is empty: this row has a value but no key. Type a key or clear the value."
    )
    submit = button(window, "Submit")
    qtbot.waitUntil(lambda: "Attributes, row 2: Key is empty" in submit.toolTip())
    assert not submit.isEnabled()
    press_ctrl_enter(qtbot, window)
    assert not window.busy
    assert posts(fresh_sandbox) == []


@pytest.mark.parametrize("key", INVISIBLE_KEYS)
def test_the_window_leaves_out_a_row_with_nothing_visible_in_it(
    qtbot: Any, window: MainWindow, fresh_sandbox: Sandbox, key: str
) -> None:
    model = _paste_form(qtbot, window, fresh_sandbox, f"Score\t1\n{key}\t\u200b\u2060\n")
    assert len(model.rows()) == 2
    assert model.problems() == {}

    submit_and_wait(qtbot, window)
    assert sent_attributes(fresh_sandbox) == [{"key": "Score", "value": "1"}]


def test_the_window_sends_a_key_pasted_with_an_invisible_end_as_the_key_seen(
    qtbot: Any, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    # The duplicate rule reads "Score\u200b" as "Score": the ATS gets that key too.
    model = _paste_form(qtbot, window, fresh_sandbox, "\ufeffScore\u200b\t100%\nTime\u2060\t2h\n")
    assert model.problems() == {}
    submit_and_wait(qtbot, window)
    assert sent_attributes(fresh_sandbox) == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2h"},
    ]
    assert json.loads(window.preview.body_text())["details"]["attributes"][0]["key"] == "Score"


# ---- the command line ------------------------------------------------------------------


def _send(
    app_home: Path, sandbox: Sandbox, *attributes: str, exit_code: int, as_json: bool = False
) -> Any:
    """``kombo-desktop send`` to the sandbox's first candidate with ``--attr`` each of
    ``attributes``, as a script runs it; it must end with ``exit_code``."""
    command = [
        sys.executable, "-m", "kombo_desktop", "send",
        "--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(sandbox), "--label", "Assessment Result",
        "--url", "https://example.com/results/1", "--prefix", "Acme:",
        *(word for attribute in attributes for word in ("--attr", attribute)),
        *(["--json"] if as_json else []),
    ]  # fmt: skip
    sent = subprocess.run(
        command,
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sent.returncode == exit_code, output(sent)
    return sent


@pytest.mark.parametrize("key", INVISIBLE_KEYS)
def test_the_command_line_says_an_invisible_key_is_empty_and_sends_nothing(
    app_home: Path, fresh_sandbox: Sandbox, key: str
) -> None:
    plain = _send(app_home, fresh_sandbox, "Score=1", f"{key}=5", exit_code=2)
    assert f"--attr #2: {ATTRIBUTE_NAME_IS_EMPTY}" in plain.stderr.splitlines()

    as_json = _send(app_home, fresh_sandbox, "Score=1", f"{key}=5", exit_code=2, as_json=True)
    errors = {e["field"]: e["message"] for e in json.loads(as_json.stdout)["errors"]}
    assert errors == {"attributes[1].key": ATTRIBUTE_NAME_IS_EMPTY}
    assert fresh_sandbox.requests == []


@pytest.mark.parametrize("key", INVISIBLE_KEYS)
def test_the_command_line_leaves_out_an_attribute_with_nothing_visible_in_it(
    app_home: Path, fresh_sandbox: Sandbox, key: str
) -> None:
    _send(app_home, fresh_sandbox, "Score=1", f"{key}=\u2060", exit_code=0)
    assert sent_attributes(fresh_sandbox) == [{"key": "Score", "value": "1"}]


def test_the_command_line_sends_a_key_with_an_invisible_end_as_the_key_seen(
    app_home: Path, fresh_sandbox: Sandbox
) -> None:
    _send(app_home, fresh_sandbox, "\ufeffScore\u200b=100%", "Time\u2060=2h", exit_code=0)
    assert sent_attributes(fresh_sandbox) == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2h"},
    ]
