"""``kombo-desktop send`` and ``kombo-desktop sandbox`` as a script would run them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.cli.send_command import (
    ATTRIBUTE_NAME_IS_EMPTY,
    EXIT_KOMBO_ERROR,
    EXIT_MAY_HAVE_BEEN_ADDED,
    EXIT_NETWORK,
)
from kombo_desktop.core.connection import DEFAULT_TOTAL_TIMEOUT_S
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, cli_env, free_port
from tests.leakcheck import assert_no_file_contains


def send(app_home: Path, sandbox: Sandbox, *args: str, key: str | None = DEMO_API_KEY) -> Any:
    extra = {"KOMBO_API_KEY": key} if key is not None else {}
    base = ["--base-url", sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID]
    return subprocess.run(
        [sys.executable, "-m", "kombo_desktop", "send", *base, *args],
        env=cli_env(app_home, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_success_with_warnings_plain_and_json(fresh_sandbox, app_home):
    target = fresh_sandbox.candidates[3]["id"]
    args = [
        "--candidate", target, "--label", "Assessment Result",
        "--url", "https://example.com/r/9", "--prefix", "An overly long prefix for ATS:",
        "--attr", "Score=100%", "--attr", "Time=2:30h",
    ]  # fmt: skip
    plain = send(app_home, fresh_sandbox, *args)
    assert plain.returncode == 0, plain.stderr
    assert "Warning:" in plain.stdout
    # Named, as the window names it: a log of many sends tells each line's row.
    assert f"Success: the result link was added to candidate {target}, with 1 warning" in (
        plain.stdout
    )
    assert fresh_sandbox.requests[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2:30h"},
    ]

    as_json = send(app_home, fresh_sandbox, *args, "--json")
    assert as_json.returncode == 0
    result = json.loads(as_json.stdout)
    assert result["status"] == "success"
    assert result["http_status"] == 200
    assert len(result["warnings"]) == 1
    assert result["target"] == {"kind": "candidate", "id": target}
    assert f"added to candidate {target}" in result["summary"]
    assert DEMO_API_KEY not in plain.stdout + plain.stderr + as_json.stdout + as_json.stderr


def test_kombo_error_exits_1_with_code_and_log_url(fresh_sandbox, app_home):
    fresh_sandbox.inject_fault(Fault.kombo_error("INTEGRATION.PERMISSION_MISSING", 403))
    args = ["--application", "x", "--label", "L", "--url", "https://e.com/1", "--json"]
    result = send(app_home, fresh_sandbox, *args)
    assert result.returncode == 1
    answer = json.loads(result.stdout)
    assert answer["target"] == {"kind": "application", "id": "x"}
    assert answer["code"] == "INTEGRATION.PERMISSION_MISSING"
    assert answer["http_status"] == 403
    assert answer["log_url"].startswith("http")
    assert "Add result links" in answer["summary"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--url", "not a url"], "url"),
        (["--url", "https://e.com", "--attr", "noequals"], "attributes[0]"),
        (["--url", "https://e.com", "--attr", "k=v"], "custom_field_name_prefix"),
        (["--url", "https://e.com", "--remote-fields", "{"], "remote_fields"),
        # Refused like in the form: Python's JSON would keep the last key or send NaN.
        (["--url", "https://e.com", "--remote-fields", '{"a": 1, "a": 2}'], "remote_fields"),
        (["--url", "https://e.com", "--remote-fields", '{"x": {"score": NaN}}'], "remote_fields"),
        # Half a character, which no body can carry: escaped in the JSON, or a byte that
        # is not UTF-8 in an argument (Python reads it as one).
        (["--url", "https://e.com", "--remote-fields", '{"x": {"n": "\\ud83d"}}'], "remote_fields"),
        (["--url", "https://e.com", "--label", "Caf\udce9"], "label"),
        (["--url", "https://e.com", "--prefix", "P:", "--attr", "Sc\udce9=1"], "attributes[0].key"),
        (["--url", "https://e.com", "--candidate", "a\tb"], "target_id"),
        (["--url", "https://e.com", "--timeout", "nan"], "timeout"),
        (["--url", "https://e.com", "--timeout", "0"], "timeout"),
        (["--url", "https://e.com", "--timeout", "-5"], "timeout"),
    ],
)
def test_invalid_input_exits_2_and_sends_nothing(fresh_sandbox, app_home, args, field):
    target = [] if "--candidate" in args else ["--candidate", "c"]
    label = [] if "--label" in args else ["--label", "L"]
    result = send(app_home, fresh_sandbox, *target, *label, *args, "--json")
    assert result.returncode == 2
    answer = json.loads(result.stdout)
    assert field in [e["field"] for e in answer["errors"]]
    assert answer["target"] is None
    assert fresh_sandbox.requests == []


def test_half_a_character_in_the_remote_fields_is_named_not_a_crash(fresh_sandbox, app_home):
    # Python's JSON reads "\ud83d" (half an emoji): sent, the body could not be encoded.
    raw = '{"lever": {"note": "great \\ud83d"}}'
    args = ["--candidate", "c", "--label", "L", "--url", "https://e.com/1"]
    result = send(app_home, fresh_sandbox, *args, "--remote-fields", raw)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--remote-fields: Not valid JSON: “lever.note” contains half of a character" in (
        result.stdout + result.stderr
    )
    assert fresh_sandbox.requests == []


def test_attribute_rows_follow_the_forms_rules(fresh_sandbox, app_home):
    # The same rows the form's table marks are refused, at the same rows, in the same words
    # but for "key": on the command line, beside an API key, it would read as the API key.
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com", "--prefix", "Acme:"]
    rows = ["--attr", "Score=1", "--attr", "=", "--attr", "Score=2", "--attr", "=late"]
    result = send(app_home, fresh_sandbox, *base, *rows, "--json")
    assert result.returncode == 2
    errors = {e["field"]: e["message"] for e in json.loads(result.stdout)["errors"]}
    assert errors == {
        "attributes[2].key": "Duplicate attribute name “Score”",
        "attributes[3].key": ATTRIBUTE_NAME_IS_EMPTY,
    }
    assert fresh_sandbox.requests == []


def test_attributes_are_trimmed_around_the_equals_sign_as_in_the_window(fresh_sandbox, app_home):
    # As a row pasted into the window's table: "Score = 100%" is key "Score", value "100%".
    target = fresh_sandbox.candidates[3]["id"]
    base = ["--candidate", target, "--label", "L", "--url", "https://e.com/1", "--prefix", "A:"]
    rows = ["--attr", "Score = 100%", "--attr", " Time=2:30 h ", "--attr", "Note= a = b "]
    result = send(app_home, fresh_sandbox, *base, *rows)
    assert result.returncode == 0, result.stderr
    assert fresh_sandbox.requests[-1].json()["details"]["attributes"] == [
        {"key": "Score", "value": "100%"},
        {"key": "Time", "value": "2:30 h"},
        {"key": "Note", "value": "a = b"},
    ]


def test_a_prefix_without_attributes_is_said_to_be_left_out(fresh_sandbox, app_home):
    target = fresh_sandbox.candidates[3]["id"]
    args = ["--candidate", target, "--label", "L", "--url", "https://e.com/1", "--prefix", "A:"]
    for extra in ([], ["--json"]):
        result = send(app_home, fresh_sandbox, *args, *extra)
        assert result.returncode == 0, result.stderr
        assert "details" not in fresh_sandbox.requests[-1].json()
        assert "Note: --prefix is sent only with --attr; it was left out." in result.stderr
    json.loads(result.stdout)  # still one JSON object on stdout


def test_a_key_echoed_back_by_the_server_is_not_printed(fresh_sandbox, app_home):
    echoed = f"Bad request (key {DEMO_API_KEY})"
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, echoed, echoed))
    args = ["--candidate", "c", "--label", "L", "--url", "https://e.com/1", "--json"]
    result = send(app_home, fresh_sandbox, *args)
    assert result.returncode == 1
    assert json.loads(result.stdout)["code"] == "PLATFORM.INPUT_INVALID"
    assert DEMO_API_KEY not in result.stdout + result.stderr
    assert_no_file_contains(app_home, DEMO_API_KEY)  # the log file included


def test_missing_key_exits_2(fresh_sandbox, app_home):
    result = send(
        app_home,
        fresh_sandbox,
        "--candidate",
        "c",
        "--label",
        "L",
        "--url",
        "https://e.com",
        key=None,
    )
    assert result.returncode == 2
    assert "KOMBO_API_KEY" in result.stderr
    assert fresh_sandbox.requests == []


def test_a_connection_dropped_after_sending_exits_4_and_warns_of_duplicates(
    fresh_sandbox, app_home
):
    fresh_sandbox.inject_fault(Fault.drop_connection())
    result = send(
        app_home, fresh_sandbox, "--candidate", "c", "--label", "L", "--url", "https://e.com"
    )
    assert result.returncode == EXIT_MAY_HAVE_BEEN_ADDED
    assert "may already have been added" in result.stderr


def test_nothing_answering_exits_3_nothing_added(app_home):
    base = ["--base-url", f"http://127.0.0.1:{free_port()}/v1"]
    result = cli(
        app_home,
        "send",
        *base,
        *("--integration-id", DEMO_INTEGRATION_ID, "--candidate", "c", "--label", "L"),
        *("--url", "https://e.com", "--json"),
        KOMBO_API_KEY=DEMO_API_KEY,
    )
    assert result.returncode == EXIT_NETWORK, result.stdout + result.stderr
    assert json.loads(result.stdout)["may_have_been_applied"] is False


@pytest.mark.parametrize(
    ("fault", "code", "applied"),
    [
        # Kombo's own error for a fault on its side: it may have been done before it broke.
        (Fault.server_error(503), EXIT_MAY_HAVE_BEEN_ADDED, True),
        (Fault.kombo_error("PLATFORM.TASK_TIMED_OUT", 504), EXIT_MAY_HAVE_BEEN_ADDED, True),
        (Fault.html_error(502), EXIT_MAY_HAVE_BEEN_ADDED, True),
        # A refusal added nothing: Kombo answered with an error.
        (Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), EXIT_KOMBO_ERROR, False),
    ],
    ids=["503 in Kombo's format", "504 timed out", "502 page", "400 refused"],
)
def test_a_script_tells_may_have_been_added_from_refused_by_the_exit_code(
    fresh_sandbox, app_home, fault, code, applied
):
    # Before: each of the first three exited 1 or 3 as a refusal did, and a loop that
    # re-sent the rows that failed with 1 added those links twice.
    fresh_sandbox.inject_fault(fault)
    args = ["--candidate", "c", "--label", "L", "--url", "https://e.com", "--json"]
    result = send(app_home, fresh_sandbox, *args)
    assert result.returncode == code, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["may_have_been_applied"] is applied
    # Whose link it is, as a success and the window say it: the row to check.
    assert "to candidate c" in answer["summary"]


def test_timeout_flag(fresh_sandbox, app_home):
    fresh_sandbox.inject_fault(Fault.slow_body(5))
    args = [
        "--candidate",
        "c",
        "--label",
        "L",
        "--url",
        "https://e.com",
        "--timeout",
        "0.5",
        "--json",
    ]
    result = send(app_home, fresh_sandbox, *args)
    assert result.returncode == EXIT_MAY_HAVE_BEEN_ADDED
    assert "did not answer in time" in json.loads(result.stdout)["summary"]


def test_timeout_bounds_the_whole_answer_not_each_piece(fresh_sandbox, app_home):
    # A piece every 0.5 s never trips a 3 s limit per read; the whole answer (a dozen
    # pieces) takes longer than 3 s.
    fresh_sandbox.inject_fault(Fault.trickle_body(0.5))
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    result = send(app_home, fresh_sandbox, *base, "--timeout", "3", "--json")
    assert result.returncode == EXIT_MAY_HAVE_BEEN_ADDED, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert "did not answer in time" in answer["summary"]
    assert answer["may_have_been_applied"] is True


def test_the_help_says_how_long_send_waits_by_default(app_home):
    help_text = " ".join(cli(app_home, "send", "--help").stdout.split())
    assert f"(default: {DEFAULT_TOTAL_TIMEOUT_S:g}, as the window)" in help_text


def test_the_key_is_not_an_argument(fresh_sandbox, app_home):
    help_text = cli(app_home, "send", "--help").stdout
    assert "--integration-id" in help_text
    assert "--api-key" not in help_text
    # Not hidden either: an attempt is refused before anything is sent.
    args = ["--api-key", "ks_dev_x", "--candidate", "c", "--label", "L", "--url", "https://e.com"]
    attempt = send(app_home, fresh_sandbox, *args, key=None)
    assert attempt.returncode == 2
    assert "unrecognized arguments: --api-key" in attempt.stderr
    assert fresh_sandbox.requests == []


def test_sandbox_command_serves_and_stops_on_ctrl_c(app_home):
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", "sandbox", "--port", "0", "--latency", "1"],
        env=cli_env(app_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = ""
        while "http://" not in banner or DEMO_INTEGRATION_ID not in banner:
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            banner += line
        assert DEMO_API_KEY in banner  # the sandbox's own demo key is public on purpose
        base_url = re.search(r"http://127\.0\.0\.1:\d+/v1", banner)
        assert base_url is not None
        result = subprocess.run(
            [
                sys.executable, "-m", "kombo_desktop", "send", "--base-url", base_url.group(0),
                "--integration-id", DEMO_INTEGRATION_ID, "--candidate", "unknown-id",
                "--label", "L", "--url", "https://e.com", "--json",
            ],
            env=cli_env(app_home, KOMBO_API_KEY=DEMO_API_KEY),
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip
        assert result.returncode == 1
        assert json.loads(result.stdout)["http_status"] == 404
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0


def test_plain_output_names_the_option_to_change(fresh_sandbox, app_home):
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com", "--prefix", "Acme:"]
    rows = ["--attr", "Score=1", "--attr", "=", "--attr", "Score=2"]
    result = send(app_home, fresh_sandbox, *base, *rows)
    assert result.returncode == 2
    # The row as typed, counted from 1 as a person counts the --attr options.
    assert "--attr #3: Duplicate attribute name “Score”" in result.stderr.splitlines()
    assert fresh_sandbox.requests == []


def test_keys_that_differ_only_in_capitals_are_one_key(fresh_sandbox, app_home):
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com", "--prefix", "Acme:"]
    result = send(app_home, fresh_sandbox, *base, "--attr", "Score=1", "--attr", "score=2")
    assert result.returncode == 2
    said = "--attr #2: Duplicate attribute name “score” (“Score” in other capitals)"
    assert said in result.stderr.splitlines()
    assert fresh_sandbox.requests == []


def test_a_timeout_that_cannot_be_waited_is_named_as_the_option(fresh_sandbox, app_home):
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    result = send(app_home, fresh_sandbox, *base, "--timeout", "nan")
    assert result.returncode == 2, result.stderr
    assert "--timeout: must be a number of seconds above 0" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert fresh_sandbox.requests == []


def test_missing_connection_options_are_named_once_each(app_home):
    result = cli(app_home, "send", "--application", "a1", "--label", "L", "--url", "https://e.com")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert "--integration-id: is required" in lines
    assert "Region: give --region eu|us, or --base-url URL" in lines
    assert (
        "API key: set the KOMBO_API_KEY environment variable to the key, or use --profile NAME"
        in lines
    )


def test_a_key_typed_into_the_wrong_option_is_never_printed(fresh_sandbox, app_home):
    # A key pasted where KEY=VALUE belongs is quoted by the problem: masked, in both outputs.
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    plain = send(app_home, fresh_sandbox, *base, "--attr", DEMO_API_KEY)
    as_json = send(app_home, fresh_sandbox, *base, "--attr", DEMO_API_KEY, "--json")
    for result in (plain, as_json):
        assert result.returncode == 2
        assert DEMO_API_KEY not in result.stdout + result.stderr
    assert_no_file_contains(app_home, DEMO_API_KEY)  # the log file included
    assert any(line.startswith("--attr #1: ") for line in plain.stderr.splitlines())
    assert json.loads(as_json.stdout)["errors"][0]["field"] == "attributes[0]"


def test_a_key_of_any_shape_in_the_environment_is_never_printed(fresh_sandbox, app_home):
    # Not shaped like a Kombo key, so only knowing it is the key can mask it.
    key = "scripted-key-without-prefix-7781"
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    plain = send(app_home, fresh_sandbox, *base, "--attr", key, key=key)
    as_json = send(app_home, fresh_sandbox, *base, "--attr", key, "--json", key=key)
    for result in (plain, as_json):
        assert result.returncode == 2
        assert key not in result.stdout + result.stderr
    assert_no_file_contains(app_home, key)  # the log file included


def test_an_argument_mistake_with_json_is_one_json_object(fresh_sandbox, app_home):
    # --label and --url missing: argparse's own mistake, answered like every other one.
    result = send(app_home, fresh_sandbox, "--candidate", "c", "--json")
    assert result.returncode == 2
    answer = json.loads(result.stdout)
    assert answer["status"] == "error"
    (problem,) = answer["errors"]
    assert problem["field"] == "arguments"
    assert "--label" in problem["message"]
    assert "--url" in problem["message"]
    assert fresh_sandbox.requests == []


def test_an_unknown_argument_with_json_is_one_json_object(fresh_sandbox, app_home):
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    result = send(app_home, fresh_sandbox, *base, "--json", "--bogus")
    assert result.returncode == 2
    (problem,) = json.loads(result.stdout)["errors"]
    assert problem == {
        "field": "arguments",
        "option": None,
        "message": "unrecognized arguments: --bogus",
    }
    assert fresh_sandbox.requests == []


def test_an_argument_mistake_without_json_prints_the_usage(fresh_sandbox, app_home):
    result = send(app_home, fresh_sandbox, "--candidate", "c")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("usage: kombo-desktop send")


@pytest.mark.parametrize("as_json", [False, True])
def test_a_key_typed_as_an_argument_is_not_echoed_in_the_usage_error(
    fresh_sandbox, app_home, as_json
):
    base = ["--candidate", "c", "--label", "L", "--url", "https://e.com"]
    extra = ["--json"] if as_json else []
    result = send(app_home, fresh_sandbox, *base, *extra, "--api-key", DEMO_API_KEY, key=None)
    assert result.returncode == 2
    assert "unrecognized arguments: --api-key" in result.stdout + result.stderr
    assert DEMO_API_KEY not in result.stdout + result.stderr
    assert not app_home.exists()  # refused before anything was written


def test_a_huge_answer_cut_short_leaves_nothing_running_behind(fresh_sandbox, app_home):
    # The rest of a cut answer is not read; the command still ends cleanly, without
    # Python's "Task was destroyed but it is pending!" on stderr for the unread stream.
    page = "<html><body>" + "x" * (3 * 1024 * 1024) + "</body></html>"
    fresh_sandbox.inject_fault(Fault.raw(page, 500, "text/html"), times=1)
    result = send(
        app_home, fresh_sandbox, "--candidate", "c", "--label", "L", "--url", "https://e.com"
    )
    assert result.returncode == EXIT_MAY_HAVE_BEEN_ADDED, result.stderr
    assert "the answer was cut after its first 1 MiB" in result.stderr
    assert "Task was destroyed" not in result.stderr
    assert "Traceback" not in result.stderr
