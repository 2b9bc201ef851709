"""Argument parsing and dispatch for ``kombo-desktop``.

Qt is imported only when the GUI is asked for, so ``send`` and ``sandbox`` start
fast and work on machines without a display.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby
from typing import Any, NoReturn, TextIO, cast

from kombo_desktop import __version__
from kombo_desktop.core.connection import API_KEY_VARIABLE, Region, sets_the_key_variable
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.sentences import listed

#: The highest TCP port number.
MAX_PORT = 65535

#: The exit code of ``send`` and ``profiles`` after Ctrl+C: what a shell reports for a
#: command that SIGINT stopped (128 + 2). A script tells it from a failure of the
#: command's own. ``sandbox`` ends with 0 instead: Ctrl+C is how it is stopped.
EXIT_INTERRUPTED = 130


def port_number(text: str) -> int:
    """``--port``: a TCP port, 0 to 65535 (0: a free one); for ``type=`` of an argument."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= MAX_PORT:
        # argparse puts "argument --port:" before it, naming the option.
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a port: give a whole number from 0 to {MAX_PORT} (0: a free one)"
        )
    return port


def latency_ms(text: str) -> int:
    """``--latency``: milliseconds, 0 to the sandbox's ``MAX_LATENCY_MS``; for ``type=`` of
    an argument."""
    from kombo_desktop.sandbox.demo import MAX_LATENCY_MS

    try:
        delay = int(text)
    except ValueError:
        delay = -1
    if delay < 0:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a delay: give a whole number of milliseconds, 0 or more"
        )
    if delay > MAX_LATENCY_MS:
        # Taken, a delay past what a wait can take broke every answer of the demo.
        raise argparse.ArgumentTypeError(
            f"“{text}” is too long a delay: give at most {MAX_LATENCY_MS} milliseconds (an hour)"
        )
    return delay


def region_name(text: str) -> str:
    """``--region``: a Kombo region named in any case, as the window takes it (``EU``,
    `` us ``), given as its choice (``eu``, ``us``); for ``type=`` of an argument."""
    try:
        return Region.parse(text).value
    except InputError:
        # Not a region: argparse refuses it among the choices, which it lists.
        return text


#: The window's options: a command has no window, so none of them means anything there.
WINDOW_OPTIONS = ("--demo", "--port", "--latency")

#: Where the top-level parser keeps the window's options: apart from ``sandbox``'s own
#: ``--port`` and ``--latency``, whose defaults would overwrite them unseen.
_WINDOW_DEST_PREFIX = "window_"


def add_demo_arguments(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, checked: bool = True
) -> None:
    """``--demo``, ``--port`` and ``--latency``: shared by the GUI entry points.

    They are kept as ``window_demo``, ``window_port`` and ``window_latency``, ``None``
    unless given, so that one given with a command, or ``--port`` or ``--latency`` given
    without ``--demo``, is seen (``window_options_refusal``). ``checked`` False keeps the
    values as typed, a wrong one (``--port x``) included, and one left out (``--port``
    last) as not given: to find which were given, whatever else is wrong.
    """

    def value_of(type_of_value: Callable[[str], int]) -> dict[str, Any]:
        return {"type": type_of_value} if checked else {"nargs": "?"}

    parser.add_argument(
        "--demo",
        dest=f"{_WINDOW_DEST_PREFIX}demo",
        action="store_true",
        default=None,
        help="open the window against a sandbox on this computer; nothing is sent to Kombo",
    )
    parser.add_argument(
        "--port",
        dest=f"{_WINDOW_DEST_PREFIX}port",
        default=None,
        **value_of(port_number),
        metavar="PORT",
        help="demo sandbox port (default: a free one)",
    )
    parser.add_argument(
        "--latency",
        dest=f"{_WINDOW_DEST_PREFIX}latency",
        default=None,
        **value_of(latency_ms),
        metavar="MS",
        help="demo sandbox delay per request, in milliseconds, at most an hour",
    )


def _window_options_parser(*, checked: bool = True) -> argparse.ArgumentParser:
    """A parser of the window's options alone, which leaves every other word alone and
    raises ``argparse.ArgumentError`` for a bad value instead of exiting; ``checked``
    False takes every value as typed (``add_demo_arguments``), and raises only for
    ``--demo=…``."""
    parser = argparse.ArgumentParser(
        prog="kombo-desktop", add_help=False, exit_on_error=False, allow_abbrev=False
    )
    add_demo_arguments(parser, checked=checked)
    return parser


def _beside_window_options(words: list[str]) -> list[str]:
    """``words`` without the window's options and their values, right or wrong (``--port
    x``): where the command's name is looked for."""
    try:
        _given, rest = _window_options_parser(checked=False).parse_known_args(words)
    except argparse.ArgumentError:
        # ``--demo=…``: the full parser names it; the command is looked for among all.
        return words
    return rest


def _given_window_options(args: argparse.Namespace) -> dict[str, Any]:
    """The window's options given to the top-level parser, by option, with their values."""
    given = {}
    for option in WINDOW_OPTIONS:
        value = getattr(args, _WINDOW_DEST_PREFIX + option.removeprefix("--"), None)
        if value is not None:
            given[option] = value
    return given


#: What each of the window's options does, said when it is given with a command.
_WINDOW_OPTION_PURPOSES = {
    "--demo": "opens the window with a sandbox on this computer",
    "--port": "sets the port of the window's demo sandbox",
    "--latency": "sets the delay of the window's demo sandbox",
}


def window_options_refusal(
    args: argparse.Namespace, command_words: Sequence[str] = ()
) -> str | None:
    """Why the window's options cannot go with the command in ``args`` (or, with no
    command, ``--port`` and ``--latency`` without ``--demo``), and what to do instead;
    ``None`` when they can. ``command_words``: what was typed after the command's name,
    whose own options the command suggested instead keeps (``sandbox --rate-limit 5``).

    Dropped without a word they would mislead: ``--demo send`` would send for real,
    ``--port 8765 sandbox`` serve on another port, and ``--latency 400`` open the real
    window instead of a slow demo.
    """
    given = _given_window_options(args)
    command = getattr(args, "command", None)
    if command is None:
        return _demo_options_refusal(given)
    if not given:
        return None
    options = list(given)
    if len(options) == 1:
        refusal = f"{options[0]} {_WINDOW_OPTION_PURPOSES[options[0]]}; it cannot be used"
    else:
        refusal = f"{listed(options)} are options of the window; they cannot be used"
    refusal += f" with {args.command}."
    # ``sandbox`` takes --port and --latency itself, after its name, with its other options
    # as they were typed there; one typed there already is the one it uses.
    own = _sandbox_options_typed(command_words) if args.command == "sandbox" else {}
    moved = [option for option in options if option != "--demo" and option not in own]
    sandbox = _sandbox_command_line({**{o: str(given[o]) for o in moved}, **own})
    if args.command == "send":
        next_step = (
            f"To try send without Kombo, start {_as_code(sandbox)} and pass the base URL it "
            "prints with --base-url."
        )
    elif args.command == "sandbox" and moved:
        # In backticks, as where the command stands inside a sentence: copied to the end of
        # its line, the command would take the full stop, and ``--port 8765.`` is no port.
        # (Not on a line of its own, ``with_this_command``: ``--json`` says the refusal in
        # one sentence with the other mistakes, which would put a full stop after it again.)
        next_step = f"Put {listed(moved)} after `sandbox`: {_as_code(sandbox)}"
        if "--demo" in given:
            next_step += ", without --demo"
        next_step += "."
    elif args.command == "sandbox":
        left_out = listed(options)
        next_step = f"Leave out {left_out}: {_as_code(sandbox)} serves a sandbox by itself."
    else:
        next_step = f"Leave {'it' if len(options) == 1 else 'them'} out."
    return f"{refusal} {next_step}"


def _as_code(command: str) -> str:
    """``command`` marked off from the sentence around it, as Markdown marks code: in
    backticks, more of them on each side than stand together anywhere in it, so that a
    backtick typed in a value (``--host 'a`b'``) does not end it there.

    The command is copied from between them whole, and never with the sentence's full
    stop after it (``--port 8765.`` is no port). It starts with the program's name and
    ends with a quoted value or a word, never with a backtick.
    """
    longest = max((len(list(run)) for char, run in groupby(command) if char == "`"), default=0)
    fence = "`" * (longest + 1)
    return f"{fence}{command}{fence}"


def _sandbox_options_typed(words: Sequence[str]) -> dict[str, str]:
    """``sandbox``'s own options among ``words`` (typed after its name), by option, with
    their values as typed."""
    from kombo_desktop.cli.sandbox_command import options_typed

    return options_typed(words)


def _sandbox_command_line(options: dict[str, str]) -> str:
    """``kombo-desktop sandbox`` with ``options`` (by option, their values as typed),
    each value quoted for a shell where it needs to be (``--host 'my host'``), to be
    copied as it is."""
    return " ".join(["kombo-desktop sandbox", *map(_option_with_value, options.items())])


def _option_with_value(option_and_value: tuple[str, str]) -> str:
    """``--host 127.0.0.1`` as a shell takes it, the value quoted where it needs to be;
    ``--host=-x`` for a value starting with a dash, which argparse would read as an option
    of its own after a space, and refuse ``--host`` as given without its value."""
    import shlex

    option, value = option_and_value
    separator = "=" if value.startswith("-") else " "
    return f"{option}{separator}{shlex.quote(value)}"


def _demo_options_refusal(given: dict[str, Any]) -> str | None:
    """Why ``--port`` and ``--latency`` in ``given`` cannot be used without ``--demo``;
    ``None`` when ``--demo`` was given or neither was."""
    if "--demo" in given:
        return None
    options = [option for option in ("--port", "--latency") if option in given]
    if not options:
        return None
    if len(options) == 1:
        said, them = f"{options[0]} {_WINDOW_OPTION_PURPOSES[options[0]]}; it", "it"
    else:
        said, them = f"{listed(options)} are options of the demo; they", "them"
    return (
        f"{said} cannot be used without --demo. Add --demo to open the demo with {them}, "
        f"or leave {them} out."
    )


def asks_for_json(args: Sequence[str]) -> bool:
    """True when argparse will read ``--json`` in ``args``: the exact option (abbreviations
    are off), never a word after ``--``, which ends the options."""
    options = list(args)
    if "--" in options:
        options = options[: options.index("--")]
    return any(arg == "--json" or arg.startswith("--json=") for arg in options)


def print_json_object(obj: dict[str, Any], out: TextIO) -> None:
    """Print ``obj`` on ``out`` as one line of JSON, the way of every ``--json`` output.

    What is not ASCII is written as ``\\uXXXX``: the same JSON to any reader, and it can
    be printed in any code page (Windows writes piped output in its ANSI code page, which
    has no characters for "株式会社").
    """
    import json

    print(json.dumps(obj, ensure_ascii=True), file=out)


def _report_argument_mistake(messages: Sequence[str], command: str | None) -> int:
    """Print the mistakes in the arguments of ``command`` (``messages``, one per mistake)
    as one JSON object; the exit code.

    Worded for what the command does: ``send`` sent nothing, ``profiles`` read or changed
    no profile.
    """
    from kombo_desktop.cli import profiles_command
    from kombo_desktop.cli.send_command import report_error
    from kombo_desktop.core.errors import FieldError
    from kombo_desktop.core.messages import describe_failure

    problem = InputError([FieldError("arguments", message) for message in messages])
    if command == "send":
        consequence = "Nothing was sent"
    elif command == "profiles":
        consequence = profiles_command.NOTHING_DONE
    else:
        consequence = "Nothing was done"
    described = describe_failure(problem, consequence=consequence)
    return report_error(problem, True, sys.stdout, sys.stderr, message=described)


_UNRECOGNIZED = "unrecognized arguments: "

#: The commands, by name (each registers itself in ``build_parser``).
COMMAND_NAMES = ("send", "sandbox", "profiles")

#: The shape of an option's name (``--candidate``, ``--remote-fields``, ``-h``), as text:
#: compiled at first use, not while the window starts.
_OPTION_NAME_PATTERN = r"-[A-Za-z]|--[a-z][a-z0-9_-]*"

#: Where each command takes the API key from, for someone who gave it as an option;
#: ``{variable}``: the environment variable ``send`` reads.
_KEY_SOURCES = {
    "send": "set the {variable} environment variable to it, or use a saved profile "
    "with --profile NAME",
    "profiles": "`profiles add` and `profiles set-key` read it from standard input",
    "sandbox": "the sandbox takes none (it prints its demo keys when it starts), and "
    "`kombo-desktop send` reads one from the {variable} environment variable or from a "
    "saved profile with --profile NAME",
    # No command: the window, which takes keys only in its saved profiles.
    "": "start without it and add it to a profile under Manage profiles, or save one with "
    "`kombo-desktop profiles add`, which reads it from standard input",
}


#: The words of an option's name that say it holds a key (``--api-key``, ``--apikey``,
#: ``--token``, ``--password``): whole words, so that ``--without-keyring`` is not one.
_KEY_WORDS = frozenset(
    {"key", "apikey", "token", "secret", "password", "passwd", "auth", "credential", "credentials"}
)


def _names_a_key(argument: str) -> bool:
    """True for an option such as ``--api-key``, ``--api_key=…``, ``--token``, and for the
    key's variable typed as an argument (``KOMBO_API_KEY=…``, see ``sets_the_key_variable``):
    as a shell sets a variable for one command, but after the command's name (or in a CI
    step's list of arguments), it reaches the command as an argument, which other users
    can read, never as a variable."""
    if not argument.startswith("-"):
        return sets_the_key_variable(argument)
    name = argument.partition("=")[0].lstrip("-").lower()
    return not _KEY_WORDS.isdisjoint(name.replace("_", "-").split("-"))


def _leaves_the_key_out(value: str) -> bool:
    """True when ``value``, given to an option for a key, cannot be a key: a command's
    name or an option (``--api-key send``, ``--api-key --candidate ID``). The key was left
    out, and the word means what it says: it is neither masked nor skipped as a key."""
    if value in COMMAND_NAMES or value == "--":
        return True
    return re.fullmatch(_OPTION_NAME_PATTERN, value.partition("=")[0]) is not None


#: The actions of ``profiles`` (``profiles list``): words of a command, never a key.
_PROFILE_ACTION_NAMES = ("list", "add", "edit", "set-key", "remove", "export", "import")


def _stands_before_the_key(word: str) -> bool:
    """True for a word typed between a key's option and the key: a command's name
    (``--api-key send KEY``) or ``--`` (``--api-key -- KEY``)."""
    return word in COMMAND_NAMES or word == "--"


def _key_option_value_places(words: Sequence[str]) -> set[int]:
    """Where in ``words`` the value of an option for a key stands as a word of its own:
    the word after ``--api-key``, unless it leaves the key out (``--api-key=VALUE`` holds
    its own).

    A command's name or ``--`` after the option leaves the key out, and the word means
    what it says (``send`` is the command), but the key may come after them: ``--api-key
    send KEY``, ``--api-key -- KEY``, ``--api-key=send KEY``. The first word after them
    that is neither a command's word (``profiles list``) nor an option is taken for it.
    """
    places: set[int] = set()
    for index, word in enumerate(words):
        if not _names_a_key(word):
            continue
        _name, equals, value = word.partition("=")
        if equals and not _stands_before_the_key(value):
            continue  # the option holds its own value, or none
        after = index + 1
        skipped = bool(equals)
        while after < len(words) and _stands_before_the_key(words[after]):
            after += 1
            skipped = True
        if after >= len(words) or _leaves_the_key_out(words[after]):
            continue
        if skipped and words[after] in _PROFILE_ACTION_NAMES:
            continue
        places.add(after)
    return places


def _key_option_values(typed: Sequence[str]) -> set[str]:
    """What ``typed`` gives the options whose names say they hold a key: ``VALUE`` of
    ``--api-key=VALUE`` and the word after ``--api-key``. No option of this app holds a
    key: argparse refuses them all, and may quote their values."""
    values = {typed[index] for index in _key_option_value_places(typed)}
    values.update(
        argument.partition("=")[2]
        for argument in typed
        if _names_a_key(argument) and "=" in argument
    )
    return {value for value in values if value and not _leaves_the_key_out(value)}


def _as_a_word(text: str) -> str:
    """A pattern for ``text`` where it stands as a word of its own: not inside a longer
    word or option (``--api-key`` is not in ``--api-keys``)."""
    return rf"(?<![\w-]){re.escape(text)}(?![\w-])"


def _mask_key_option_values(message: str, typed: Sequence[str]) -> str:
    """``message`` with each value of ``typed``'s key options masked where it stands as
    a word of its own (``--api-key=VALUE``, ``… VALUE``, ``'VALUE'``): whatever its shape,
    ``Zx81sQ0p…`` as well as ``ks_prod_…``; the same letters inside a word stay."""
    from kombo_desktop.core.logs import REDACTED

    # The longest first: a value that holds another is masked whole.
    for value in sorted(_key_option_values(typed), key=len, reverse=True):
        message = re.sub(_as_a_word(value), REDACTED, message)
    return message


def _command_word(words: Sequence[str]) -> str | None:
    """The command asked for in ``words`` (the arguments without the window's options),
    if any: the first word that is not an option, nor the value of a key's option
    (``--api-key KEY send``: the key is refused, not taken for a command; ``--api-key
    send``: the key was left out, and ``send`` is the command).

    When that word names no command (``--api-key --candidate ID send``, which argparse
    refuses for ``ID``), the first command named after it: the refusal still says where
    that command takes its key.
    """
    key_values = _key_option_value_places(words)
    positionals = [
        word
        for index, word in enumerate(words)
        if not word.startswith("-") and index not in key_values and not _names_a_key(word)
    ]
    if not positionals or positionals[0] in COMMAND_NAMES:
        return positionals[0] if positionals else None
    return next((word for word in positionals if word in COMMAND_NAMES), positionals[0])


def _unnamed_key_options(message: str, typed: Sequence[str]) -> str | None:
    """The key options of ``typed`` that ``message`` (masked) does not name, as typed with
    their values masked (``--api-key [redacted]``); ``None`` when it names them all.

    argparse stops at the first mistake it meets: a required option left out is said
    before the arguments it did not know, and a key option would go unmentioned.
    """
    from kombo_desktop.core.logs import REDACTED, redact

    value_places = _key_option_value_places(typed)
    unnamed = []
    for index, word in enumerate(typed):
        name = word.partition("=")[0]
        if not _names_a_key(word) or re.search(_as_a_word(name), message):
            continue
        unnamed.append(f"{word} {REDACTED}" if index + 1 in value_places else word)
    if not unnamed:
        return None
    return redact(_mask_key_option_values(" ".join(unnamed), typed))


#: Where ``send`` takes the key from, for someone who typed ``KOMBO_API_KEY=…`` as an
#: argument: the variable is right, but it must be set in the environment.
_VARIABLE_AS_ARGUMENT = (
    "{variable}=… typed after kombo-desktop is an argument, not a variable: set "
    "{variable} in the environment before the command instead (`read -rs {variable} && "
    "export {variable}` reads it unseen and keeps it out of the shell's history), or use a "
    "saved profile with --profile NAME"
)


def _key_option_hint(
    message: str,
    *,
    key_masked: bool,
    key_option_typed: bool,
    key_variable_typed: bool,
    command: str | None,
) -> str | None:
    """Where the API key goes, when an option meant for it was typed (``key_option_typed``;
    ``key_variable_typed``: ``KOMBO_API_KEY=…`` among them) or ``message`` refuses a key
    that was typed (``key_masked``: masked in the message); ``None`` otherwise."""
    source = _KEY_SOURCES.get(command or "")
    if source is None:
        return None
    if not key_option_typed and not (key_masked and _UNRECOGNIZED in message):
        return None
    never = (
        "The API key is never given on the command line, where other users of this "
        "computer can read it"
    )
    if key_variable_typed and command == "send":
        return f"{never}. {_VARIABLE_AS_ARGUMENT.format(variable=API_KEY_VARIABLE)}."
    return f"{never}: {source.format(variable=API_KEY_VARIABLE)}."


def command_parser_class(
    typed: Sequence[str] = (),
    *,
    json_errors: bool = False,
    command: str | None = None,
) -> type[argparse.ArgumentParser]:
    """The parser class of the command and its sub-commands, and of the window's own
    command line: its refusals never show a key. ``typed``: the words of the command
    line, whose key options' values are masked; ``json_errors`` when ``--json`` was
    given, ``command`` the sub-command that was asked for, if any.

    Every mistake in ``typed`` is said, not only the first argparse meets: the window's
    options typed with a command, or without ``--demo`` (``window_options_refusal``),
    come first, then an option given more than once (``--label A --label B``: which one
    was meant is not known; ``--json --json``: a slip, or a line put together wrong), then
    each value an option refuses (``--port x``), then argparse's own refusal: each required
    argument left out, and what it did not know (``the following arguments are required:
    --url; unrecognized arguments: --frob``).

    A script that asks for JSON reads standard output as one JSON object: a mistake in
    the arguments must come that way too, not as usage text on standard error.
    """
    key_option_typed = any(_names_a_key(argument) for argument in typed)
    key_variable_typed = any(sets_the_key_variable(argument) for argument in typed)
    misplaced_window_options = _misplaced_window_options(list(typed), command)
    # Shared by the parser and its commands' parsers, which argparse runs inside it.
    parsing = _Parsing()

    class CommandParser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # No abbreviations (``--jso`` for ``--json``): a script's options mean the same
            # in every version, even after a new option shares their start.
            kwargs.setdefault("allow_abbrev", False)
            super().__init__(*args, **kwargs)
            # An option of one value (argparse's "store", its default) is given once; those
            # meant to repeat (``--attr``) say so with "append".
            self.register("action", None, _StoredOnce)
            self.register("action", "store", _StoredOnce)
            # A flag too: given twice, it is a slip, or a line put together wrong.
            self.register("action", "store_true", _StoredTrueOnce)
            self.times_given = _TimesGiven()
            #: argparse's refusals of the required arguments left out, as it read the line.
            self.missing: list[str] = []

        def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
            if parsing.depth == 0:
                parsing.wrong_values.clear()
                parsing.noting_wrong_values.clear()
            parsing.depth += 1
            parsing.reading.append(self)
            try:
                parsed, extras = self._parse_past_what_is_missing(*args, **kwargs)
            finally:
                parsing.depth -= 1
                parsing.reading.pop()
            # A wrong value is said once the whole line was read (by the outermost parser:
            # a command's words after its name are read inside), with what else is wrong.
            wrong_values = parsing.depth == 0 and parsing.wrong_values
            if self.times_given.refusal() or wrong_values or self.missing:
                # Said here, with what was not known: argparse itself takes the last value
                # without a word, and stops at a required argument left out. (A command
                # says it, with its own usage: a word unknown before the command's name is
                # not known yet; the window's options there are said all the same.)
                refusing = self
                noting = parsing.noting_wrong_values
                if len(noting) == 1 and self not in noting and not (self.missing or extras):
                    # Only the command's own values are wrong (``sandbox --port x``): its
                    # usage is shown, not the window's, which has a --port of its own. (A
                    # word unknown may be the window's: argparse does not say which parser left it.)
                    (refusing,) = noting
                message = f"{_UNRECOGNIZED}{' '.join(extras)}" if extras else None
                refusing._refuse(message)
            return parsed, extras

        def _parse_past_what_is_missing(
            self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
        ) -> tuple[argparse.Namespace, list[str]]:
            """argparse's ``parse_known_args``, which refuses a required argument left out
            as it ends and so never tells what else it did not know (``--frob``): each such
            refusal is noted in ``missing`` instead, and the line read again by argparse
            without that requirement, until nothing is missing.

            Its arguments are checked before its groups (``--candidate`` or
            ``--application``): those are let go first, then these.
            """
            self.missing = []
            actions = [action for action in self._actions if action.required]
            groups = [group for group in self._mutually_exclusive_groups if group.required]
            # Read again, the values are checked again: their refusals are not said twice.
            wrong_before = len(parsing.wrong_values)
            # Each reading again starts from the namespace as it was given.
            untouched = copy.copy(namespace)
            into = namespace
            try:
                for actions_required, groups_required in (
                    (True, True),
                    (False, True),
                    (False, False),
                ):
                    for action in actions:
                        action.required = actions_required
                    for group in groups:
                        group.required = groups_required
                    del parsing.wrong_values[wrong_before:]
                    self.times_given = _TimesGiven()
                    try:
                        parsed, extras = super().parse_known_args(args, into)
                    except _RequiredLeftOut as left_out:
                        if left_out.refusal not in self.missing:
                            self.missing.append(left_out.refusal)
                        into = copy.copy(untouched)
                        continue
                    return parsed, list(extras)
            finally:
                for action in actions:
                    action.required = True
                for group in groups:
                    group.required = True
            # Nothing is required by then: argparse has nothing left to refuse this way.
            raise AssertionError("a required argument is left out with none required")

        def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
            # argparse stops at the first value an option refuses (``--port x``): the
            # mistakes after it (``--frob``) would go unsaid. Noted, and read on.
            try:
                return super()._get_value(action, arg_string)
            except argparse.ArgumentError as exc:
                if not action.option_strings:
                    raise  # the command's name: the parser of what follows is not known
                parsing.wrong_values.append(str(exc))
                parsing.noting_wrong_values.add(self)
                return _REFUSED_VALUE

        def _check_value(self, action: argparse.Action, value: Any) -> None:
            # One of the choices (``--region``), noted as ``_get_value`` notes a refusal.
            if value is _REFUSED_VALUE:
                return
            key_option = _key_option_before(value, typed)
            if not action.option_strings and key_option is not None:
                # ``--api-key KEY send``: argparse takes the key for the command, and would
                # call the (masked) key an invalid choice. The option is what is wrong.
                raise argparse.ArgumentError(None, f"{key_option} is not an option")
            try:
                super()._check_value(action, value)
            except argparse.ArgumentError as exc:
                if not action.option_strings:
                    raise
                parsing.wrong_values.append(str(exc))
                parsing.noting_wrong_values.add(self)

        def error(self, message: str) -> NoReturn:
            if _refuses_what_is_left_out(message):
                # Noted, and the line read on (``_parse_past_what_is_missing``).
                raise _RequiredLeftOut(message)
            self._refuse(_with_dash_value_hint(message))

        def _refuse(self, message: str | None) -> NoReturn:
            """Say ``message`` (argparse's refusal, if any) with every other mistake
            known, and exit."""
            from kombo_desktop.core.logs import redact

            # What argparse refuses, as argparse would say it all: one sentence.
            argparse_refusal = "; ".join([*self.missing, *([] if message is None else [message])])
            said = [*parsing.wrong_values, *([argparse_refusal] if argparse_refusal else [])]
            # The last names the key options that none of them named, and where a key goes.
            problems = [redact(_mask_key_option_values(text, typed)) for text in said[:-1]]
            problems += [self._masked_with_hint(text) for text in said[-1:]]
            # Also those given twice before a command's name, to the parser that reads
            # this one's words: said with this refusal, or never (it exits).
            readers = [*(p for p in parsing.reading if p is not self), self]
            repeated = [r for r in (p.times_given.refusal() for p in readers) if r is not None]
            problems[:0] = repeated
            if misplaced_window_options is not None and message != misplaced_window_options:
                # argparse stops at the first mistake it meets: ``--latency 5 sandbox
                # --json`` would be refused for --json alone, and refused again for
                # --latency once that is fixed. Both are said, the misplaced option first.
                problems.insert(0, redact(_mask_key_option_values(misplaced_window_options, typed)))
            if json_errors:
                self.exit(_report_argument_mistake(problems, command))
            super().error("\nAlso: ".join(problems))

        def _masked_with_hint(self, message: str) -> str:
            """``message`` with the keys typed masked, naming every key option typed, and
            where the key goes instead when one was."""
            from kombo_desktop.core.logs import redact

            # argparse quotes what was typed ("unrecognized arguments: …"): a key typed
            # on the command line must not come back on the terminal or in a CI log.
            masked = redact(_mask_key_option_values(message, typed))
            hint = _key_option_hint(
                message,
                key_masked=masked != message,
                key_option_typed=key_option_typed,
                key_variable_typed=key_variable_typed,
                command=command,
            )
            # Whichever mistake argparse met first, the key's option is named too.
            unnamed = _unnamed_key_options(masked, typed)
            if unnamed:
                masked += f"; {_UNRECOGNIZED}{unnamed}"
            if hint:
                # On a line of its own on a terminal; one line in a JSON object's text.
                masked += f". {hint}" if json_errors else f"\n{hint}"
            return masked

    return CommandParser


def _key_option_before(value: object, typed: Sequence[str]) -> str | None:
    """The option for a key (``--api-key``) whose value ``value`` is, as typed in ``typed``
    (``--api-key VALUE``); ``None`` when ``value`` is no such value."""
    for place in _key_option_value_places(typed):
        if typed[place] == value:
            option = next(word for word in reversed(typed[:place]) if _names_a_key(word))
            return option.partition("=")[0]
    return None


#: argparse's refusal of an option whose value is missing, as text: compiled at first use.
_VALUE_MISSING = r"argument (-[^\s/:]+)[^:]*: expected one argument"


def _with_dash_value_hint(message: str) -> str:
    """argparse's ``message``, with how to give a value starting with a dash when it says
    an option got none (``--label -x``: argparse takes ``-x`` for an option)."""
    found = re.search(_VALUE_MISSING, message)
    if found is None:
        return message
    option = found.group(1)
    hint = f" (for a value that starts with a dash, write {option}=-x)"
    return message[: found.end()] + hint + message[found.end() :]


class _Parsing:
    """What the parsers of one command line share while they read it: how deep they are
    nested (a command's parser runs inside the top one), and the refusals of the values
    read so far (``argument --port: “x” is not a port …``)."""

    def __init__(self) -> None:
        self.depth = 0
        self.wrong_values: list[str] = []
        #: The parsers that noted those refusals.
        self.noting_wrong_values: set[Any] = set()
        #: The parsers reading the line now, the outermost first.
        self.reading: list[Any] = []


#: What an option whose value was refused holds until the refusal is said.
_REFUSED_VALUE = object()


class _RequiredLeftOut(Exception):
    """argparse's refusal of a required argument left out (``refusal``), raised by the
    parser's ``error`` to be said with what else is wrong."""

    def __init__(self, refusal: str) -> None:
        super().__init__(refusal)
        self.refusal = refusal


def _refuses_what_is_left_out(message: str) -> bool:
    """True for argparse's refusal of a required argument left out, or of a required group
    of which none was given, in the words argparse says them."""
    from gettext import gettext  # as argparse words them

    def said_as(template: str) -> bool:
        # A translation may put the names anywhere: around them, the template's words.
        before, _names, after = gettext(template).partition("%s")
        return (
            bool(before or after)
            and len(message) > len(before) + len(after)
            and message.startswith(before)
            and message.endswith(after)
        )

    return said_as("the following arguments are required: %s") or said_as(
        "one of the arguments %s is required"
    )


class _TimesGiven:
    """How often each option was given to one parser, by its longest name (``-o`` and
    ``--output`` are one option), and which of them are flags, which take no value."""

    def __init__(self) -> None:
        self.times: dict[str, int] = {}
        self.flags: set[str] = set()

    def note(self, action: argparse.Action) -> None:
        """Note that ``action``'s option was given once more."""
        name = max(action.option_strings, key=len)
        self.times[name] = self.times.get(name, 0) + 1
        if action.nargs == 0:
            self.flags.add(name)

    def refusal(self) -> str | None:
        """The refusal of the options given more than once, or ``None`` when there is none."""
        repeated = [option for option, times in self.times.items() if times > 1]
        if not repeated:
            return None
        # A flag given once is as good as given twice: only a value is to be chosen.
        valued = [option for option in repeated if option not in self.flags]
        with_value = ", with the value to use" if valued else ""
        if len(repeated) > 1:
            if valued and len(valued) < len(repeated):
                with_value = f" ({listed(valued)} with the value to use)"
            return f"{listed(repeated)} were each given more than once; give each once{with_value}"
        times = self.times[repeated[0]]
        how_often = "twice" if times == 2 else f"{times} times"
        return f"{repeated[0]} was given {how_often}; give it once{with_value}"


class _CountedWhenGiven(argparse.Action):
    """An argparse action that also counts how often its option is given (in the parser's
    ``times_given``), so that one given twice is refused rather than taken unseen. Put
    before argparse's own action among the bases: that one does the rest."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        """Note that the option was given once more, then act as argparse's action does."""
        times_given = getattr(parser, "times_given", None)
        if option_string is not None and isinstance(times_given, _TimesGiven):
            times_given.note(self)
        super().__call__(parser, namespace, values, option_string)


class _StoredOnce(_CountedWhenGiven, argparse._StoreAction):
    """argparse's "store", counted: of two values given, which one was meant is not known."""


class _StoredTrueOnce(_CountedWhenGiven, argparse._StoreTrueAction):
    """argparse's "store_true", counted: given twice, it is a slip, or a line put together
    wrong."""


def build_parser(
    typed: Sequence[str] = (),
    *,
    json_errors: bool = False,
    command: str | None = None,
) -> argparse.ArgumentParser:
    """The full parser; sub-commands register themselves.

    ``typed``: the words it will parse, for its refusals to mask the values of key
    options and to name every mistake in them (``command_parser_class``).
    ``json_errors``: a sub-command's argument mistakes are printed as one JSON object,
    worded for ``command``, the sub-command that was asked for.
    """
    # Imported here: the commands bring the HTTP client and the models, which opening
    # the window does not need before it shows.
    from kombo_desktop.cli import profiles_command, sandbox_command, send_command

    # The same class at the top: argparse reports unknown arguments from there.
    parser_class = command_parser_class(typed, json_errors=json_errors, command=command)
    parser = parser_class(
        prog="kombo-desktop",
        description="Add assessment result links to candidates and applications through Kombo. "
        "Without a COMMAND, it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kombo-desktop {__version__}")
    window = parser.add_argument_group(
        "window options", "Only without a COMMAND: they open the window or set up its demo."
    )
    add_demo_arguments(window)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    send_command.register(commands)
    sandbox_command.register(commands)
    profiles_command.register(commands)
    return parser


def _write_any_character() -> None:
    """Let standard output and error write what their encoding cannot as ``\\uXXXX``.

    On Windows, output piped or redirected is in the ANSI code page (cp1252 in Western
    Europe), which has no "株式会社": printing a profile's name must not end the command
    with a traceback after its work was done (``profiles add`` saved the key by then).
    """
    for stream in (sys.stdout, sys.stderr):
        # Not every stream can (None without a console, or one a caller put there).
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


class _ReaderMayLeave:
    """Standard output or error for a command whose reader may stop reading early
    (``send … | head -1``, ``| grep -q Warning``): the first write the closed pipe refuses
    sends the rest to nowhere (``os.devnull``) instead of raising ``BrokenPipeError``.

    The command's work is done by the time it prints (a link added, a profile saved):
    nobody reads the rest, and its exit code must still say what happened. A traceback
    would end it with 1 ("Kombo answered with an error"), and a script with ``set -o
    pipefail`` might send the link again.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        # The rest (``encoding``, ``isatty``, ``fileno`` …) as the stream has it.
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        try:
            self._stream.write(text)
        except BrokenPipeError:
            self._reader_left()
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_left()

    def _reader_left(self) -> None:
        """Point the stream's file at ``os.devnull``: what it still holds, and all that is
        written after, goes there (Python's own last flush at exit included, which would
        otherwise fail once more and end the process with 120)."""
        import os

        try:
            nowhere = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(nowhere, self._stream.fileno())
            finally:
                os.close(nowhere)
            self._stream.flush()
        except (OSError, ValueError):
            # No file to point elsewhere (a stream in memory): it cannot break like this.
            pass


@contextmanager
def _readers_may_leave() -> Iterator[None]:
    """Within: standard output and error are ``_ReaderMayLeave``; put back after, flushed,
    so that a reader gone before the last line is found here, not by Python at exit."""
    streams = sys.stdout, sys.stderr
    guarded = [None if stream is None else _ReaderMayLeave(stream) for stream in streams]
    # Typed as the streams they stand for: they write and flush as those do.
    sys.stdout, sys.stderr = (cast(TextIO, stream) for stream in guarded)
    try:
        yield
    finally:
        for stream in guarded:
            if stream is not None:
                stream.flush()
        sys.stdout, sys.stderr = streams


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    _write_any_character()
    from kombo_desktop.core.logs import register_secret

    # The key in the environment is whole (never half-typed): masked from the start, in
    # the log and in any problem that quotes what was typed, whatever its shape, a
    # mistake in the arguments (said before any command runs) included.
    register_secret(os.environ.get(API_KEY_VARIABLE, ""))
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        known, rest = _window_options_parser().parse_known_args(args_list)
        # A command, --help, --version or a mistake (--port without --demo, or twice,
        # among them): the full parser deals with it.
        for_the_full_parser = (
            bool(rest) or window_options_refusal(known) is not None or _repeats_an_option(args_list)
        )
    except argparse.ArgumentError:
        # A bad value for a window option (it also scans a command's arguments): the full
        # parser reports it, as JSON with --json and with any key in it masked.
        for_the_full_parser = True
    if for_the_full_parser:
        with _readers_may_leave():
            args = _parse_command_line(args_list)
            if args.command is not None:
                code: int = args.handler(args)
                return code
    from kombo_desktop.app import main as gui_main

    return gui_main(args_list)


def _parse_command_line(args_list: list[str]) -> argparse.Namespace:
    """``args_list`` parsed by the full parser (which exits on a mistake, after saying it)."""
    # Without the window's own options (and their values, even wrong ones: ``--port x``
    # is no command), the first word is the command.
    command = _command_word(_beside_window_options(args_list))
    parser = build_parser(args_list, json_errors=asks_for_json(args_list), command=command)
    misplaced = _command_options_before_its_name(parser, args_list, command)
    if misplaced is not None:
        parser.error(misplaced)
    args = parser.parse_args(args_list)
    refusal = window_options_refusal(args, _words_after(args_list, command))
    if refusal is not None:
        parser.error(refusal)
    return args


def _command_options_before_its_name(
    parser: argparse.ArgumentParser, args_list: list[str], command: str | None
) -> str | None:
    """The refusal of ``command``'s own options typed before its name, as other programs
    take them (``kombo-desktop --profile Acme send …``), saying where they go; ``None``
    when there are none.

    argparse reads only the window's options there: it would call the option's value no
    command (``invalid choice: 'Acme'``), or the option unknown. Named without their
    values, which may be anything (a key typed into the wrong option).
    """
    if command not in COMMAND_NAMES or command not in args_list:
        return None
    place = args_list.index(command)
    command_parser = dict(_sub_commands(parser))[command]
    typed_before = [word.partition("=")[0] for word in args_list[:place]]
    misplaced = [
        name
        for name in dict.fromkeys(typed_before)
        if name in _option_names(command_parser) and name not in parser._option_string_actions
    ]
    if not misplaced:
        return None
    after = command
    action = next(iter(args_list[place + 1 : place + 2]), "")
    if _sub_commands(command_parser) and action in dict(_sub_commands(command_parser)):
        after = f"{command} {action}"  # ``profiles list``: its options follow the action
    if len(misplaced) == 1:
        said = f"{misplaced[0]} is an option of {command}: type it"
    else:
        said = f"{listed(misplaced)} are options of {command}: type them"
    return f"{said} after `{after}`, not before it"


def _sub_commands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """The commands (or a command's actions) ``parser`` has, by name."""
    return [
        (name, sub_parser)
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name, sub_parser in action.choices.items()
    ]


def _option_names(parser: argparse.ArgumentParser) -> set[str]:
    """Every option ``parser`` and its commands' parsers take (``--json`` of ``profiles
    list``)."""
    names = set(parser._option_string_actions)
    for _name, sub_parser in _sub_commands(parser):
        names |= _option_names(sub_parser)
    return names


def _repeats_an_option(words: Sequence[str]) -> bool:
    """True when an option stands twice among ``words`` (``--port 1 --port 2``), as
    ``--port`` or ``--port=…``: a mistake, which the full parser says."""
    options = [word.partition("=")[0] for word in words if word.startswith("--")]
    return len(options) != len(set(options))


def _words_after(args_list: Sequence[str], command: str | None) -> list[str]:
    """What ``args_list`` holds after ``command``'s name: its own options."""
    if command is None or command not in args_list:
        return []
    return list(args_list[list(args_list).index(command) + 1 :])


def _misplaced_window_options(args_list: list[str], command: str | None) -> str | None:
    """The refusal of the window's options typed before ``command`` in ``args_list`` (with
    no command: of --port and --latency without --demo), as ``window_options_refusal``
    words it once the full parser has read them all; ``None`` when there is none to say.

    Read apart, before the full parser: that parser stops at the first mistake it meets,
    and one after the command (``--latency 5 sandbox --json``) would be said alone.
    """
    if command is not None and (command not in COMMAND_NAMES or command not in args_list):
        # An unknown command: refused as such, and what it was meant to be is not known.
        return None
    before = args_list if command is None else args_list[: args_list.index(command)]
    try:
        # Their values as typed: a wrong one (``--port x``) is named by the full parser,
        # after this, and does not hide that the option is misplaced.
        given, _others = _window_options_parser(checked=False).parse_known_args(before)
    except argparse.ArgumentError:
        # ``--demo=…``, which the full parser names: which options were given is not known.
        return None
    given.command = command
    return window_options_refusal(given, _words_after(args_list, command))


if __name__ == "__main__":
    sys.exit(main())
