"""``send`` says which part of an ``--attr`` holds an API key: its name or its value.

Both were said as "--attr #1: must not contain an API key (…)", and an ``--attr`` is one
word on the command line: the person could not tell the name from the value. Each is now
named, "the attribute name" (never "key", beside an API key) or "the value"; the
``--json`` object keeps its fields and options, only its words change, and the key
itself is printed nowhere.
"""

from __future__ import annotations

import json
from pathlib import Path

from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.text import half_character_problem
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import output, send_attributes, shows_no_key

#: A Kombo key given as an attribute's value, and another as an attribute's name.
KEY_IN_VALUE = "ks_dev_givenAsAValue00000000000000"
KEY_IN_NAME = "ks_prod_givenAsAName1111111111111"
VALUE_HOLDS_KEY = f"the value {KEY_IN_TEXT_PROBLEM}"
NAME_HOLDS_KEY = f"the attribute name {KEY_IN_TEXT_PROBLEM}"


def test_a_key_in_a_value_and_one_in_a_name_are_told_apart(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    attributes = (f"Score={KEY_IN_VALUE}", f"{KEY_IN_NAME}=1", "Notes=")
    plain = send_attributes(app_home, fresh_sandbox, attributes)
    assert plain.returncode == 2, output(plain)
    lines = plain.stderr.splitlines()
    assert f"--attr #1: {VALUE_HOLDS_KEY}" in lines, output(plain)
    assert f"--attr #2: {NAME_HOLDS_KEY}" in lines, output(plain)
    # A problem of the whole ``--attr`` keeps its words, which name the part already.
    assert "--attr #3: Value is empty" in lines, output(plain)
    assert shows_no_key(output(plain), KEY_IN_VALUE, KEY_IN_NAME)

    as_json = send_attributes(app_home, fresh_sandbox, attributes, "--json")
    assert as_json.returncode == 2, output(as_json)
    assert json.loads(as_json.stdout)["errors"] == [
        {"field": "attributes[0].value", "option": "--attr #1", "message": VALUE_HOLDS_KEY},
        {"field": "attributes[1].key", "option": "--attr #2", "message": NAME_HOLDS_KEY},
        {"field": "attributes[2].value", "option": "--attr #3", "message": "Value is empty"},
    ]
    assert shows_no_key(output(as_json), KEY_IN_VALUE, KEY_IN_NAME)
    assert fresh_sandbox.requests == []


def test_half_a_character_in_a_value_is_said_of_the_value(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    # A byte no UTF-8 text holds, as a script cutting a value leaves it: Python reads it
    # as half a character.
    plain = send_attributes(app_home, fresh_sandbox, ["Score=88\udced%"])
    assert plain.returncode == 2, output(plain)
    # Said with the half character escaped, as the value's problem.
    problem = half_character_problem("\\udced")
    assert f"--attr #1: the value {problem}" in plain.stderr.splitlines(), output(plain)
    assert fresh_sandbox.requests == []
