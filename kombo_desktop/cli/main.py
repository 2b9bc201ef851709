"""Argument parsing and dispatch for ``kombo-desktop``.

Qt is imported only when the GUI is asked for, so ``send`` and ``sandbox`` start
fast and work on machines without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from kombo_desktop import __version__

#: The highest TCP port number.
MAX_PORT = 65535


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
    """``--latency``: milliseconds, 0 or more; for ``type=`` of an argument."""
    try:
        delay = int(text)
    except ValueError:
        delay = -1
    if delay < 0:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a delay: give a whole number of milliseconds, 0 or more"
        )
    return delay


def region_name(text: str) -> str:
    """``--region``: a Kombo region named in any case, as the window takes it (``EU``,
    `` us ``), given as its choice (``eu``, ``us``); for ``type=`` of an argument."""
    # Loaded here: opening the window goes through this module before it needs them.
    from kombo_desktop.core.connection import Region
    from kombo_desktop.core.errors import InputError

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
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, *, beside_commands: bool = False
) -> None:
    """``--demo``, ``--port`` and ``--latency``: shared by the GUI entry points.

    ``beside_commands``: ``parser`` also has sub-commands. The options are then kept as
    ``window_demo``, ``window_port`` and ``window_latency``, ``None`` unless given, so that
    one given with a command is seen (``window_options_refusal``).
    """
    prefix = _WINDOW_DEST_PREFIX if beside_commands else ""
    parser.add_argument(
        "--demo",
        dest=f"{prefix}demo",
        action="store_true",
        default=None if beside_commands else False,
        help="open the window against a sandbox on this computer; nothing is sent to Kombo",
    )
    parser.add_argument(
        "--port",
        dest=f"{prefix}port",
        type=port_number,
        default=None if beside_commands else 0,
        metavar="PORT",
        help="demo sandbox port (default: a free one)",
    )
    parser.add_argument(
        "--latency",
        dest=f"{prefix}latency",
        type=latency_ms,
        default=None if beside_commands else 0,
        metavar="MS",
        help="demo sandbox delay per request",
    )


def _given_window_options(args: argparse.Namespace) -> dict[str, Any]:
    """The window's options given to the top-level parser, by option, with their values."""
    given = {}
    for option in WINDOW_OPTIONS:
        value = getattr(args, _WINDOW_DEST_PREFIX + option.removeprefix("--"), None)
        if value is not None:
            given[option] = value
    return given


def _listed(options: Sequence[str]) -> str:
    """``--demo``, ``--demo and --port``, ``--demo, --port and --latency``."""
    if len(options) == 1:
        return options[0]
    return f"{', '.join(options[:-1])} and {options[-1]}"


#: What each of the window's options does, said when it is given with a command.
_WINDOW_OPTION_PURPOSES = {
    "--demo": "opens the window with a sandbox on this computer",
    "--port": "sets the port of the window's demo sandbox",
    "--latency": "sets the delay of the window's demo sandbox",
}


def window_options_refusal(args: argparse.Namespace) -> str | None:
    """Why the window's options cannot go with the command in ``args``, and what to do
    instead; ``None`` when none was given or no command was.

    Dropped without a word they would mislead: ``--demo send`` would send for real, and
    ``--port 8765 sandbox`` serve on another port.
    """
    given = _given_window_options(args)
    if args.command is None or not given:
        return None
    options = list(given)
    if len(options) == 1:
        refusal = f"{options[0]} {_WINDOW_OPTION_PURPOSES[options[0]]}; it cannot be used"
    else:
        refusal = f"{_listed(options)} are options of the window; they cannot be used"
    refusal += f" with {args.command}."
    # ``sandbox`` takes --port and --latency itself, after its name.
    moved = [option for option in options if option != "--demo"]
    sandbox = " ".join(["kombo-desktop sandbox", *(f"{o} {given[o]}" for o in moved)])
    if args.command == "send":
        next_step = (
            f"To try send without Kombo, start `{sandbox}` and pass the base URL it prints "
            "with --base-url."
        )
    elif args.command == "sandbox" and moved:
        next_step = f"Put {_listed(moved)} after `sandbox`: {sandbox}"
        if "--demo" in given:
            next_step += ", without --demo"
        next_step += "."
    elif args.command == "sandbox":
        next_step = "Leave out --demo: `kombo-desktop sandbox` serves a sandbox by itself."
    else:
        next_step = f"Leave {'it' if len(options) == 1 else 'them'} out."
    return f"{refusal} {next_step}"


def asks_for_json(args: Sequence[str]) -> bool:
    """True when argparse will read ``--json`` in ``args``: the exact option (abbreviations
    are off), never a word after ``--``, which ends the options."""
    options = list(args)
    if "--" in options:
        options = options[: options.index("--")]
    return any(arg == "--json" or arg.startswith("--json=") for arg in options)


def _report_argument_mistake(message: str, command: str | None) -> int:
    """Print a mistake in the arguments of ``command`` as one JSON object; the exit code.

    Worded for what the command does: ``send`` sent nothing, ``profiles`` read or changed
    no profile.
    """
    from kombo_desktop.cli import profiles_command
    from kombo_desktop.cli.send_command import report_error
    from kombo_desktop.core.errors import FieldError, InputError
    from kombo_desktop.core.messages import describe_failure

    problem = InputError([FieldError("arguments", message)])
    if command == "send":
        consequence = "Nothing was sent"
    elif command == "profiles":
        consequence = profiles_command.NOTHING_DONE
    else:
        consequence = "Nothing was done"
    described = describe_failure(problem, consequence=consequence)
    return report_error(problem, True, sys.stdout, sys.stderr, message=described)


_UNRECOGNIZED = "unrecognized arguments: "

#: Where each command takes the API key from, for someone who gave it as an option;
#: ``{variable}``: the environment variable ``send`` reads.
_KEY_SOURCES = {
    "send": "set the {variable} environment variable to it, or use a saved profile "
    "with --profile NAME",
    "profiles": "`profiles add` and `profiles set-key` read it from standard input",
}


def _names_a_key(argument: str) -> bool:
    """True for an option such as ``--api-key``, ``--api_key=…``, ``--token``."""
    if not argument.startswith("-"):
        return False
    name = argument.partition("=")[0].lstrip("-").lower()
    return any(word in name for word in ("key", "token", "secret"))


def _key_option_hint(message: str, key_typed: bool, command: str | None) -> str | None:
    """Where the API key goes, when ``message`` refuses an option meant for it or a key
    that was typed (``key_typed``: masked in the message); ``None`` otherwise."""
    source = _KEY_SOURCES.get(command or "")
    if source is None or not message.startswith(_UNRECOGNIZED):
        return None
    refused = message.removeprefix(_UNRECOGNIZED).split()
    if not key_typed and not any(_names_a_key(argument) for argument in refused):
        return None
    from kombo_desktop.cli.send_command import API_KEY_VARIABLE

    return (
        "The API key is never given on the command line, where other users of this "
        f"computer can read it: {source.format(variable=API_KEY_VARIABLE)}."
    )


def _command_parser_class(json_errors: bool, command: str | None) -> type[argparse.ArgumentParser]:
    """The parser class of the command and its sub-commands; ``json_errors`` when
    ``--json`` was given, ``command`` the sub-command that was asked for, if any.

    A script that asks for JSON reads standard output as one JSON object: a mistake in
    the arguments must come that way too, not as usage text on standard error.
    """

    class CommandParser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # No abbreviations (``--jso`` for ``--json``): a script's options mean the same
            # in every version, even after a new option shares their start.
            kwargs.setdefault("allow_abbrev", False)
            super().__init__(*args, **kwargs)

        def error(self, message: str) -> NoReturn:
            from kombo_desktop.core.logs import redact

            # argparse quotes what was typed ("unrecognized arguments: …"): a key typed
            # on the command line must not come back on the terminal or in a CI log.
            masked = redact(message)
            hint = _key_option_hint(message, masked != message, command)
            if hint:
                # On a line of its own on a terminal; one line in a JSON object's text.
                masked += f". {hint}" if json_errors else f"\n{hint}"
            message = masked
            if json_errors:
                self.exit(_report_argument_mistake(message, command))
            super().error(message)

    return CommandParser


def build_parser(
    *, json_errors: bool = False, command: str | None = None
) -> argparse.ArgumentParser:
    """The full parser; sub-commands register themselves.

    ``json_errors``: a sub-command's argument mistakes are printed as one JSON object,
    worded for ``command``, the sub-command that was asked for.
    """
    # Imported here: the commands bring the HTTP client and the models, which opening
    # the window does not need before it shows.
    from kombo_desktop.cli import profiles_command, sandbox_command, send_command

    # The same class at the top: argparse reports unknown arguments from there.
    parser_class = _command_parser_class(json_errors, command)
    parser = parser_class(
        prog="kombo-desktop",
        description="Add assessment result links to candidates and applications through Kombo. "
        "Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kombo-desktop {__version__}")
    window = parser.add_argument_group(
        "window options", "Only without a COMMAND: they open the window or set up its demo."
    )
    add_demo_arguments(window, beside_commands=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    send_command.register(commands)
    sandbox_command.register(commands)
    profiles_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    window_options = argparse.ArgumentParser(
        prog="kombo-desktop", add_help=False, exit_on_error=False, allow_abbrev=False
    )
    add_demo_arguments(window_options)
    try:
        _, rest = window_options.parse_known_args(args_list)
    except argparse.ArgumentError:
        # A bad value for a window option (it also scans a command's arguments): the full
        # parser reports it, as JSON with --json and with any key in it masked.
        rest = args_list
    if rest:  # a command, --help, --version or a mistake: the full parser deals with it
        # The window's own options are out of ``rest``: the first word is the command.
        command = next((arg for arg in rest if not arg.startswith("-")), None)
        parser = build_parser(json_errors=asks_for_json(args_list), command=command)
        args = parser.parse_args(args_list)
        refusal = window_options_refusal(args)
        if refusal is not None:
            parser.error(refusal)
        if args.command is not None:
            code: int = args.handler(args)
            return code
    from kombo_desktop.app import main as gui_main

    return gui_main(args_list)


if __name__ == "__main__":
    sys.exit(main())
