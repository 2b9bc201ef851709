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


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    """``--demo``, ``--port`` and ``--latency``: shared by the GUI entry points."""
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window against a sandbox on this computer; nothing is sent to Kombo",
    )
    parser.add_argument(
        "--port", type=port_number, default=0, help="demo sandbox port (default: a free one)"
    )
    parser.add_argument(
        "--latency", type=latency_ms, default=0, metavar="MS", help="demo sandbox delay per request"
    )


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
            message = redact(message)
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
    add_demo_arguments(parser)
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
        if args.command is not None:
            code: int = args.handler(args)
            return code
    from kombo_desktop.app import main as gui_main

    return gui_main(args_list)


if __name__ == "__main__":
    sys.exit(main())
