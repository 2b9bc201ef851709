"""``send`` names an ``--attr`` given twice in its own words when the name holds an API key
too: "Duplicate attribute name (an API key)", as for any other name given twice, never
the window's "Duplicate key", and never the key itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import output, send_attributes, shows_no_key
from tests.many_rows_support import PASTED_KEY

#: The same API key in other capitals: one name to the ATS, but only the first spelling
#: has a key's shape, so the second is refused as the name given twice.
KEY_IN_OTHER_CAPITALS = PASTED_KEY.upper()

#: What ``send`` says of a name holding an API key: "attribute name", never "key".
NAME_HOLDS_KEY = f"the attribute name {KEY_IN_TEXT_PROBLEM}"


@pytest.mark.parametrize(
    ("attributes", "said"),
    [
        (
            [f"{PASTED_KEY}=1", f"{KEY_IN_OTHER_CAPITALS}=2"],
            {
                "--attr #1": NAME_HOLDS_KEY,
                "--attr #2": "Duplicate attribute name (an API key)",
            },
        ),
        (
            [f"{PASTED_KEY}=1", f"{PASTED_KEY}=2"],
            {"--attr #1": NAME_HOLDS_KEY, "--attr #2": NAME_HOLDS_KEY},
        ),
    ],
    ids=["in-other-capitals", "same-spelling"],
)
def test_an_api_key_given_twice_as_a_name_is_said_in_attribute_words(
    fresh_sandbox: Sandbox, app_home: Path, attributes: list[str], said: dict[str, str]
) -> None:
    plain = send_attributes(app_home, fresh_sandbox, attributes)
    assert plain.returncode == 2, output(plain)
    lines = plain.stderr.splitlines()
    for option, problem in said.items():
        assert f"{option}: {problem}" in lines, output(plain)
    assert "Duplicate key" not in output(plain)
    assert shows_no_key(output(plain), PASTED_KEY)

    as_json = send_attributes(app_home, fresh_sandbox, attributes, "--json")
    assert as_json.returncode == 2, output(as_json)
    errors = json.loads(as_json.stdout)["errors"]
    assert {error["option"]: error["message"] for error in errors} == said
    assert shows_no_key(output(as_json), PASTED_KEY)
    assert fresh_sandbox.requests == []
