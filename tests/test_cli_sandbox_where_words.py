"""``kombo-desktop sandbox`` given an address or a port it cannot serve on: it says which
option to change, and how, in plain words."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.cli_support import cli, output, sandbox_command

#: ``sandbox``'s exit code for a mistake in its arguments.
ARGUMENT_MISTAKE = 2


def test_an_address_with_its_port_or_its_scheme_says_to_give_the_host_alone(
    app_home: Path,
) -> None:
    # As typed from habit, or copied from the address a sandbox prints: the system would
    # look each up as a name, and say only "Name or service not known".
    for typed, told in (
        ("localhost:8765", "give the port with --port (--host localhost --port 8765)"),
        ("[::1]:8765", "give the port with --port (--host ::1 --port 8765)"),
        ("http://127.0.0.1", "give the host alone, without http://, e.g. 127.0.0.1"),
    ):
        result = cli(app_home, "sandbox", "--host", typed)
        assert result.returncode == ARGUMENT_MISTAKE, output(result)
        assert f"argument --host: “{typed}” is not an address: {told}" in result.stderr
        assert "Name or service not known" not in result.stderr


def test_an_ipv6_address_in_brackets_is_served_on(app_home: Path) -> None:
    # As an IPv6 address is written in a URL (and in the address the sandbox prints).
    with socket.socket(socket.AF_INET6) as probe:
        probe.bind(("::1", 0))  # this computer has IPv6 loopback: the test needs it
    _code, first_line, err = sandbox_command(app_home, "sandbox", "--host", "[::1]")
    assert first_line.startswith("Kombo sandbox running at http://[::1]:"), err
    assert "Traceback" not in err


def test_a_port_in_use_says_to_choose_another(app_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(app_home, "sandbox", "--port", str(port))
    assert result.returncode == 1, output(result)
    assert result.stderr.strip() == (
        f"Cannot serve the Kombo sandbox on 127.0.0.1:{port}: Address already in use. "
        "Choose another port with --port, or leave out --port to use a free one."
    )


def test_an_address_not_of_this_computer_says_to_give_one_that_is(app_home: Path) -> None:
    # A name that never resolves (".invalid" is kept for that).
    result = cli(app_home, "sandbox", "--host", "sandbox.invalid")
    assert result.returncode == 1, output(result)
    said = result.stderr.strip()
    assert said.startswith("Cannot serve the Kombo sandbox on sandbox.invalid:0: ")
    assert "[Errno" not in said
    assert said.endswith("Give --host a name or an IP address of this computer, e.g. 127.0.0.1.")
