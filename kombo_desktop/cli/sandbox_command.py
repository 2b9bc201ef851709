"""``kombo-desktop sandbox``: a local Kombo on loopback for demos, scripts and tests."""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

from kombo_desktop.cli.main import latency_ms, port_number

#: The options of ``sandbox``, each taking a value, in the order its help lists them.
OPTIONS = ("--host", "--port", "--latency", "--rate-limit")


def register(commands: Any) -> None:
    """Add the ``sandbox`` sub-command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "sandbox",
        help="serve a local Kombo sandbox",
        description="Serve the Kombo endpoints this app uses, on this computer, with demo "
        "credentials. Stop with Ctrl+C.",
    )
    parser.add_argument(
        "--host",
        type=_listen_address,
        default="127.0.0.1",
        help="address to listen on (default: %(default)s)",
    )
    # The same checks as the window's --demo: a port out of range or a negative delay is
    # a mistake in the arguments (exit code 2, the option named), not a traceback.
    parser.add_argument(
        "--port", type=port_number, default=0, help="port (default: %(default)s, a free one)"
    )
    parser.add_argument(
        "--latency",
        type=latency_ms,
        default=0,
        metavar="MS",
        help="delay per request, in milliseconds, at most an hour (default: %(default)s)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_requests_per_second,
        default=None,
        metavar="PER_SECOND",
        help="refuse requests as too many (HTTP 429) above this many per second "
        "(default: no limit)",
    )
    parser.set_defaults(handler=run)


def options_typed(words: Sequence[str]) -> dict[str, str]:
    """The options of ``sandbox`` among ``words`` (what was typed after its name), by
    option in the order of its help, with their values as typed (not checked: a value it
    refuses is refused where it is parsed); the rest of ``words`` is left out.

    For a command put right to keep them: ``kombo-desktop --latency 5 sandbox --rate-limit
    3`` is ``kombo-desktop sandbox --latency 5 --rate-limit 3``.
    """
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    for option in OPTIONS:
        parser.add_argument(option)
    try:
        given, _others = parser.parse_known_args(list(words))
    except argparse.ArgumentError:
        # An option without its value: none can be kept as typed.
        return {}
    values = {
        option: getattr(given, option.removeprefix("--").replace("-", "_")) for option in OPTIONS
    }
    return {option: value for option, value in values.items() if value is not None}


def _listen_address(text: str) -> str:
    """``--host``: the address as typed (an IPv6 address in brackets, ``[::1]``, without
    them), unless it holds an API key (pasted into the wrong option), a scheme
    (``http://127.0.0.1``) or a port (``localhost:8765``): refused as a mistake in the
    arguments (exit code 2), saying what to give instead, the key masked as in every other
    option's refusal, rather than quoted back when it cannot be served on; for ``type=`` of
    an argument."""
    from kombo_desktop.core.connection import KEY_SHAPE
    from kombo_desktop.core.logs import redact

    masked = redact(text)
    # argparse puts "argument --host:" before each refusal, naming the option.
    if masked != text:
        raise argparse.ArgumentTypeError(
            f"“{masked}” is not an address: it holds an API key ({KEY_SHAPE}); give a host "
            "name or an IP address, e.g. 127.0.0.1"
        )
    scheme, separator, _rest = text.partition("://")
    if separator:
        # Copied from the address the sandbox prints: the system would look the whole of
        # it up as a name, and say only that no such name is known.
        raise argparse.ArgumentTypeError(
            f"“{text}” is not an address: give the host alone, without {scheme}://, e.g. "
            "127.0.0.1 (the port goes in --port)"
        )
    with_port = _host_and_port(text)
    if with_port is not None:
        host, port = with_port
        raise argparse.ArgumentTypeError(
            f"“{text}” is not an address: give the port with --port (--host {host} --port {port})"
        )
    if text.startswith("[") and text.endswith("]"):
        # As an IPv6 address is written in a URL; the system takes it without brackets.
        return text[1:-1]
    return text


def _host_and_port(text: str) -> tuple[str, str] | None:
    """``localhost:8765`` or ``[::1]:8765`` as its host and port; ``None`` for a host
    alone, an IPv6 address without brackets (``::1``) included."""
    host, colon, port = text.rpartition(":")
    if not colon or not host or not port.isdigit():
        return None
    if host.startswith("[") and host.endswith("]"):
        return host[1:-1], port
    if ":" in host:
        return None  # an IPv6 address, whose last part may be all digits
    return host, port


def _requests_per_second(text: str) -> float:
    """``--rate-limit``: a number of requests per second above 0, for ``type=`` of an
    argument: refused as a mistake in the arguments, the option named, as --port and
    --latency are."""
    try:
        rate = float(text)
    except ValueError:
        rate = math.nan
    if not rate > 0:
        # argparse puts "argument --rate-limit:" before it, naming the option; its own
        # words ("invalid float value") are a programmer's.
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a rate: give a number of requests per second above 0, e.g. 5"
        )
    return rate


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from kombo_desktop.sandbox import run_cli

    return run_cli(args.host, args.port, args.latency, args.rate_limit)
