"""The command line's refusals name every mistake, and what they suggest can be copied: a
flag given twice is refused as an option of one value given twice is, a required argument
left out is named with the other mistakes of the line (the unknown ones among them), and
the sandbox command suggested stays one command a person can copy when a value typed
holds a backtick."""

from __future__ import annotations

import json
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kombo_desktop.cli.main import build_parser
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.cli_support import add_with_key, cli, one_line, output, send_words, window_entry


def _refusal(result: Any) -> str:
    """What a refused command said was wrong, on one line: standard error after
    "error: ", nothing printed on standard output."""
    assert result.returncode == 2, output(result)
    assert result.stdout == "", output(result)
    return one_line(result.stderr).partition(" error: ")[2]


def _json_problems(result: Any) -> list[str]:
    """The problems of a refused command's ``--json`` object, in order."""
    assert result.returncode == 2, output(result)
    return [problem["message"] for problem in json.loads(result.stdout)["errors"]]


# ---- a flag given twice -------------------------------------------------------------------------


def test_json_given_twice_to_send_is_refused_and_nothing_is_sent(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    twice = cli(
        app_home, *send_words(fresh_sandbox), "--json", "--json", KOMBO_API_KEY=DEMO_API_KEY
    )
    assert _json_problems(twice) == ["--json was given twice; give it once"]
    assert fresh_sandbox.requests == []


def test_a_flag_is_refused_in_the_words_of_an_option_of_one_value(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    add_with_key(app_home, fresh_sandbox, "Acme")
    listed = cli(app_home, "profiles", "list", "--json", "--json", "--json")
    assert _json_problems(listed) == ["--json was given 3 times; give it once"]

    removed = cli(app_home, "profiles", "remove", "Acme", "--without-keyring", "--without-keyring")
    assert _refusal(removed) == "--without-keyring was given twice; give it once"
    assert "Acme" in cli(app_home, "profiles", "list").stdout

    # With an option of one value: each named, and that one's value is to be chosen.
    both = cli(app_home, "profiles", "edit", "Acme", "--name", "B", "--name", "C")
    assert _refusal(both) == "--name was given twice; give it once, with the value to use"
    mixed = cli(
        app_home,
        *send_words(fresh_sandbox, "--json", "--label", "Other", "--json"),
        KOMBO_API_KEY=DEMO_API_KEY,
    )
    assert _json_problems(mixed) == [
        # Only the option of one value has a value to choose.
        "--label and --json were each given more than once; give each once (--label with "
        "the value to use)"
    ]
    assert fresh_sandbox.requests == []


def test_demo_given_twice_is_refused_before_any_window(app_home: Path) -> None:
    # With a wrong value beside it: before, the wrong value alone was said.
    result = window_entry(app_home, "--demo", "--demo", "--latency", "soon")
    assert result.returncode == 2, output(result)
    problems = one_line(result.stderr).partition(" error: ")[2].split(" Also: ")
    assert problems == [
        "--demo was given twice; give it once",
        "argument --latency: “soon” is not a delay: give a whole number of milliseconds, 0 or more",
    ]


# ---- a required argument left out, with other mistakes ------------------------------------------


def test_a_target_left_out_is_named_with_an_unknown_option(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    words = ["send", "--label", "L", "--url", "https://example.com/results/1", "--frob", "x"]
    said = "one of the arguments --candidate --application is required; unrecognized " + (
        "arguments: --frob x"
    )
    plain = cli(app_home, *words, KOMBO_API_KEY=DEMO_API_KEY)
    assert _refusal(plain) == said
    # Said by send, with its own usage, as before.
    assert one_line(plain.stderr).startswith("usage: kombo-desktop send ")

    as_json = cli(app_home, *words, "--json", KOMBO_API_KEY=DEMO_API_KEY)
    assert _json_problems(as_json) == [said]
    assert (
        json.loads(as_json.stdout)["summary"] == f"Nothing was sent. {said[0].upper()}{said[1:]}."
    )
    assert fresh_sandbox.requests == []


def test_every_required_argument_left_out_is_named_with_every_other_mistake(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = cli(app_home, "send", "--timeout", "soon", "--frob", KOMBO_API_KEY=DEMO_API_KEY)
    assert _refusal(result).split(" Also: ") == [
        "argument --timeout: “soon” is not a number of seconds: give a number above 0, e.g. 60",
        "the following arguments are required: --label, --url; one of the arguments "
        "--candidate --application is required; unrecognized arguments: --frob",
    ]

    added = cli(app_home, "profiles", "add", "--region", "mars", "--colour=blue")
    assert _refusal(added).split(" Also: ") == [
        "argument --region: invalid choice: 'mars' (choose from 'eu', 'us')",
        "the following arguments are required: NAME, --integration-id; unrecognized "
        "arguments: --colour=blue",
    ]
    no_action = cli(app_home, "profiles", "--frob")
    assert _refusal(no_action) == (
        "the following arguments are required: ACTION; unrecognized arguments: --frob"
    )
    assert fresh_sandbox.requests == []


def test_a_required_argument_left_out_alone_is_said_as_before(app_home: Path) -> None:
    sent = cli(app_home, "send", "--candidate", "c", "--label", "L")
    assert _refusal(sent) == "the following arguments are required: --url"


# ---- the sandbox command suggested, with a backtick typed ---------------------------------------


def _code_spans(text: str) -> list[str]:
    """The code spans of ``text`` as CommonMark reads them: a run of backticks opens one,
    the next run of as many closes it, and one space inside each end is dropped when both
    ends have one."""
    spans: list[str] = []
    at = 0
    while (start := text.find("`", at)) >= 0:
        end = start
        while end < len(text) and text[end] == "`":
            end += 1
        fence = text[start:end]
        close = end
        while (close := text.find(fence, close)) >= 0:
            after = close + len(fence)
            if (close == 0 or text[close - 1] != "`") and text[after : after + 1] != "`":
                break
            close = after
            while close < len(text) and text[close] == "`":
                close += 1
        if close < 0:
            at = end  # no closing run: the backticks are text
            continue
        content = text[end:close]
        if len(content) > 2 and content[0] == content[-1] == " " and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        at = close + len(fence)
    return spans


def _suggested_sandbox(said: str) -> list[str]:
    """The words of the one sandbox command ``said`` marks off as code."""
    [command] = [span for span in _code_spans(said) if span.startswith("kombo-desktop sandbox")]
    return shlex.split(command)


@pytest.mark.parametrize("host", ["my`host", "a``b`", "`x"])
@pytest.mark.parametrize(
    "before", [["--latency", "5"], ["--demo", "--latency", "5"]], ids=["latency", "demo"]
)
def test_a_suggested_sandbox_command_with_a_backtick_is_one_command(
    app_home: Path, host: str, before: list[str]
) -> None:
    refused = cli(app_home, *before, "sandbox", "--host", host)
    words = _suggested_sandbox(_refusal(refused))
    assert words == ["kombo-desktop", "sandbox", "--latency", "5", "--host", host]
    # Copied as it is, it is the sandbox with both.
    args = build_parser().parse_args(words[1:])
    assert (args.host, args.latency) == (host, 5)


def test_a_backtick_in_the_sandbox_suggested_for_send_or_left_alone_is_one_command(
    app_home: Path,
) -> None:
    # A window option before send: its value as typed goes to the sandbox suggested, in
    # the JSON object too.
    for_send = cli(app_home, "--latency", "1`2", "send", "--candidate", "c", "--json")
    refusal = _json_problems(for_send)[0]
    assert _suggested_sandbox(refusal) == ["kombo-desktop", "sandbox", "--latency", "1`2"]

    # --demo before sandbox, whose own options are kept.
    left_out = cli(app_home, "--demo", "sandbox", "--host", "h`")
    assert _suggested_sandbox(_refusal(left_out)) == ["kombo-desktop", "sandbox", "--host", "h`"]


# ---- an option given twice before the command's name ------------------------------------


@pytest.mark.parametrize(
    ("words", "repeated"),
    [
        (["--demo", "--demo", "send"], "--demo was given twice; give it once"),
        (["--demo", "--demo", "profiles"], "--demo was given twice; give it once"),
        (
            ["--port", "1", "--port", "2", "send"],
            "--port was given twice; give it once, with the value to use",
        ),
    ],
)
def test_an_option_given_twice_before_a_command_refused_for_its_own_words_is_named(
    app_home: Path, words: list[str], repeated: str
) -> None:
    # The command's parser refuses its own words (left out): the option given twice to
    # the parser around it is named too, not left for the next try.
    said = _refusal(cli(app_home, *words))
    assert repeated in said.split(" Also: "), said


# ---- argparse's words translated ----------------------------------------------------------


def _write_catalogue(path: Path, messages: dict[str, str]) -> None:
    """A GNU message catalogue (``.mo``) translating ``messages``, in UTF-8."""
    import struct

    entries = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(entries)
    originals = b"".join(key.encode() + b"\0" for key in keys)
    translations = b"".join(entries[key].encode() + b"\0" for key in keys)
    start = 7 * 4 + 16 * len(keys)
    table: list[int] = []
    at = 0
    for key in keys:
        table += [len(key.encode()), start + at]
        at += len(key.encode()) + 1
    at = 0
    for key in keys:
        table += [len(entries[key].encode()), start + len(originals) + at]
        at += len(entries[key].encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 28, 28 + 8 * len(keys), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + struct.pack(f"{len(table)}i", *table) + originals + translations)


@pytest.fixture
def names_first_translation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """argparse's refusal of arguments left out, translated with the names first (as a
    language may put them), for gettext's default domain, which argparse words through."""
    import gettext

    _write_catalogue(
        tmp_path / "xx" / "LC_MESSAGES" / "messages.mo",
        {"the following arguments are required: %s": "%s : arguments obligatoires"},
    )
    monkeypatch.setenv("LANGUAGE", "xx")
    before = gettext.bindtextdomain("messages")
    gettext.bindtextdomain("messages", str(tmp_path))
    gettext._translations.clear()  # type: ignore[attr-defined]
    yield
    gettext.bindtextdomain("messages", before)
    gettext._translations.clear()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["send", "--candidate", "c", "--label", "L", "--url", "u", "--frob"], "--frob"),
        (
            ["send", "--candidate", "c", "--label", "L", "--frob"],
            "--url : arguments obligatoires; unrecognized arguments: --frob",
        ),
        (["--frob"], "--frob"),
    ],
)
def test_every_refusal_is_said_under_a_translation_that_puts_the_names_first(
    names_first_translation: None,
    words: list[str],
    named: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kombo_desktop.cli.main import main

    with pytest.raises(SystemExit) as ended:
        main(words)
    assert ended.value.code == 2
    assert named in one_line(capsys.readouterr().err)
