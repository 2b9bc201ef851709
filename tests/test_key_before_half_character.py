"""A value holding both an API key and half a character is refused for the key: a leaked
key matters more, and it is what must be taken out first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli_env

#: A key of another account pasted into a value, with half a character after it (a byte
#: that is not UTF-8 in a command-line argument).
PASTED = "ks_prod_pastedIntoAValue1234567 \udc80"


@pytest.mark.parametrize(
    ("state", "field"),
    [
        (
            FormState(target_id="c1", label="L", url="https://example.com/r", prefix="P",
                      attributes=(("Score", PASTED),)),
            "attributes[0].value",
        ),
        (FormState(target_id="c1", label=PASTED, url="https://example.com/r"), "label"),
    ],
)  # fmt: skip
def test_the_key_is_said_rather_than_the_half_character(state: FormState, field: str) -> None:
    with pytest.raises(InputError) as caught:
        state.to_request()
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, KEY_IN_TEXT_PROBLEM)]


def test_the_command_line_names_the_key_in_an_attribute_value(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = subprocess.run(
        [
            sys.executable, "-m", "kombo_desktop", "send",
            "--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
            "--candidate", "c1", "--label", "L", "--url", "https://example.com/r",
            "--prefix", "P", "--attr", f"Score={PASTED}",
        ],
        env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f"--attr #1: the value {KEY_IN_TEXT_PROBLEM}" in result.stderr
    assert "half of a character" not in result.stderr
    assert "pastedIntoAValue" not in result.stderr
    assert fresh_sandbox.requests == []
