"""The command line names an attribute given twice in the core's words: the window's
"Duplicate key" is said as "Duplicate attribute name" on the command line, where "key"
would read as the API key, and both wordings live in one place."""

from __future__ import annotations

from kombo_desktop.cli.main import build_parser
from kombo_desktop.cli.send_command import build_request
from kombo_desktop.core.attribute_rows import (
    DUPLICATE_ATTRIBUTE_NAME,
    DUPLICATE_KEY,
    find_problems,
)
from kombo_desktop.core.errors import InputError


def test_an_attribute_given_twice_is_named_in_the_cores_words() -> None:
    rows = [("Score", "1"), ("Time", "2h"), ("score", "3")]
    args = build_parser().parse_args(
        ["send", "--candidate", "c", "--label", "L", "--url", "https://example.com/r/1",
         "--prefix", "Acme:", *(f"--attr={key}={value}" for key, value in rows)]
    )  # fmt: skip
    try:
        build_request(args)
    except InputError as refused:
        problems = {problem.field: problem.message for problem in refused.errors}
    else:
        raise AssertionError("two attributes of one name were taken")

    in_the_window = find_problems(rows)[2]
    assert in_the_window.startswith(DUPLICATE_KEY)
    said = problems["attributes[2].key"]
    assert said.startswith(DUPLICATE_ATTRIBUTE_NAME)
    # The rest, the names and their capitals, as the window says it.
    assert said == DUPLICATE_ATTRIBUTE_NAME + in_the_window.removeprefix(DUPLICATE_KEY)
    assert said == "Duplicate attribute name “score” (“Score” in other capitals)"
