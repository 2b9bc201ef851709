"""Argument parsing and dispatch for ``kombo-desktop``.

Qt is imported only when the GUI is asked for, so ``send`` and ``sandbox`` start
fast and work on machines without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from kombo_desktop import __version__


def add_demo_arguments(parser: argparse.ArgumentParser) -> None:
    """``--demo``, ``--port`` and ``--latency``: shared by the GUI entry points."""
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window against a sandbox on this computer; nothing is sent to Kombo",
    )
    parser.add_argument("--port", type=int, default=0, help="demo sandbox port (default: free)")
    parser.add_argument(
        "--latency", type=int, default=0, metavar="MS", help="demo sandbox delay per request"
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser; sub-commands register themselves."""
    # Imported here: the commands bring the HTTP client and the models, which opening
    # the window does not need before it shows.
    from kombo_desktop.cli import profiles_command, sandbox_command, send_command

    parser = argparse.ArgumentParser(
        prog="kombo-desktop",
        description="Add assessment result links to candidates and applications through Kombo. "
        "Without a sub-command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"kombo-desktop {__version__}")
    add_demo_arguments(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    send_command.register(commands)
    sandbox_command.register(commands)
    profiles_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    window_options = argparse.ArgumentParser(prog="kombo-desktop", add_help=False)
    add_demo_arguments(window_options)
    _, rest = window_options.parse_known_args(args_list)
    if rest:  # a command, --help, --version or a mistake: the full parser deals with it
        args = build_parser().parse_args(args_list)
        if args.command is not None:
            code: int = args.handler(args)
            return code
    from kombo_desktop.app import main as gui_main

    return gui_main(args_list)


if __name__ == "__main__":
    sys.exit(main())
