"""The computer's proxy: which requests go through it, and that it sees no key.

The end-to-end tests run a real HTTP forward proxy on loopback (``ForwardProxy``), as a
company network has one. Kombo's address is ``https://kombo.test/v1``: a name that no
DNS knows, which only the proxy can reach. The proxy maps it to a TLS front on
loopback (``TlsFront``, with a certificate of a test CA for ``kombo.test``) in front of
the sandbox, as a tunnel (``CONNECT kombo.test:443``) reaches Kombo's TLS. The client
trusts the test CA as a company's TLS-inspecting proxy's CA is trusted: ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import logging
import os
import selectors
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kombo_desktop.core.client import KomboClient, Timeouts
from kombo_desktop.core.connection import Connection, is_loopback_host, validate_base_url
from kombo_desktop.core.crash_report import format_redacted
from kombo_desktop.core.errors import (
    InputError,
    KomboDesktopError,
    NetworkError,
    NetworkErrorKind,
    UnexpectedResponseError,
)
from kombo_desktop.core.logs import configure_logging
from kombo_desktop.core.messages import REFUSED_ON_THE_WAY, describe_error
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.proxies import proxy_for, tls_context
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output
from tests.leakcheck import assert_no_file_contains

#: Kombo's address in these tests: only the proxy can reach it (see the module's docstring).
KOMBO_HOST = "kombo.test"
KOMBO_URL = f"https://{KOMBO_HOST}/v1"

#: The proxy's own sign-in, as a company's proxy setting carries it.
PROXY_USER = "proxyuser-Qm4x"
PROXY_PASSWORD = "proxypass-Zr8w-never-shown"

REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")


def clear_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy and no extra CA for the test, whatever this machine has set."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from no proxy and no extra CA, whatever this machine has set."""
    clear_proxy_settings(monkeypatch)


# --- which requests go through a proxy -------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
def test_an_https_base_url_goes_through_the_computers_proxy(monkeypatch, variable):
    monkeypatch.setenv(variable, "http://proxy.corp.example:3128")
    route = proxy_for("https://api.kombo.dev/v1")
    assert route is not None
    assert route.address == "proxy.corp.example:3128"
    assert route.note == "through proxy proxy.corp.example:3128"


def test_the_https_proxy_is_taken_before_the_one_for_everything(monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "http://everything.example:1080")
    monkeypatch.setenv("HTTPS_PROXY", "http://tls.example:3128")
    route = proxy_for("https://api.kombo.dev/v1")
    assert route is not None
    assert route.address == "tls.example:3128"


def test_no_proxy_sends_the_hosts_it_names_direct(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example, .kombo.dev")
    assert proxy_for("https://api.kombo.dev/v1") is None
    assert proxy_for("https://api.us.kombo.dev/v1") is None
    assert proxy_for("https://kombo.example/v1") is not None


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8765/v1",
        "http://127.10.20.30/v1",
        "https://127.0.0.1/v1",
        "http://[::1]:8765/v1",
        "http://localhost:8765/v1",
        "https://localhost/v1",
        "https://LOCALHOST/v1",
        "https://[::ffff:127.0.0.1]/v1",
    ],
)
def test_this_computer_is_never_reached_through_a_proxy(monkeypatch, base_url):
    # The sandbox and the demo run here: a proxy would see the key and the candidates.
    for variable in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(variable, "http://proxy.corp.example:3128")
    assert proxy_for(base_url) is None


def test_a_plain_http_base_url_is_never_handed_to_a_proxy(monkeypatch):
    # Over plain http a proxy would read the Authorization header: such a base URL goes
    # direct (the connection's check allows plain http for this computer only; a script
    # may build a Connection without it).
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.corp.example:3128")
    connection = Connection(
        base_url="http://kombo.test/v1", integration_id=DEMO_INTEGRATION_ID, api_key=DEMO_API_KEY
    )
    assert proxy_for(connection.base_url) is None
    client = KomboClient(connection)
    try:
        assert client.proxy is None
    finally:
        asyncio.run(client.aclose())


def test_a_proxy_setting_with_a_sign_in_is_shown_without_it(monkeypatch):
    monkeypatch.setenv(
        "HTTPS_PROXY", f"http://{PROXY_USER}:{PROXY_PASSWORD}@proxy.corp.example:3128"
    )
    route = proxy_for("https://api.kombo.dev/v1")
    assert route is not None
    assert route.address == "proxy.corp.example:3128"
    for shown in (route.address, route.note, repr(route), str(route)):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


@pytest.mark.parametrize(
    ("setting", "address"),
    [
        ("proxy.corp.example:3128", "proxy.corp.example:3128"),  # no scheme: an http proxy
        ("http://proxy.corp.example", "proxy.corp.example:80"),
        ("https://proxy.corp.example", "proxy.corp.example:443"),
        ("http://[2001:db8::1]:3128", "[2001:db8::1]:3128"),
    ],
)
def test_the_proxys_address_is_read_as_the_standard_library_reads_it(monkeypatch, setting, address):
    monkeypatch.setenv("HTTPS_PROXY", setting)
    route = proxy_for("https://api.kombo.dev/v1")
    assert route is not None
    assert route.address == address
    # The way to the proxy itself: an https one is trusted with the company's CA too.
    assert route.scheme == ("https" if setting.startswith("https:") else "http")


@pytest.mark.parametrize(
    "base_url",
    [
        "https://127.1/v1",
        "https://2130706433/v1",
        "https://0x7f000001/v1",
        "https://127.000.000.001/v1",
        "https://0177.0.0.1/v1",
    ],
)
def test_this_computer_in_every_spelling_the_resolver_reads_is_never_proxied(monkeypatch, base_url):
    host = urlsplit(base_url).hostname
    assert host is not None
    # A direct connection's lookup reads each as this computer.
    assert socket.getaddrinfo(host, 443)[0][4][0] == "127.0.0.1"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    assert proxy_for(base_url) is None


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "127.0.0.1",
        "[::ffff:127.0.0.1]",
        "::ffff:7f00:1",
        "127.1",
        "0x7f000001",
        "0.0.0.0",  # noqa: S104 - a connection to it reaches this computer
        "[::]",
    ],
)
def test_one_rule_says_what_this_computer_is(monkeypatch, host):
    # Plain http is allowed for this computer (the key stays on it), and this computer is
    # never proxied: both ask the same rule, so the two never disagree.
    assert is_loopback_host(host)
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    assert validate_base_url(f"http://{shown}:8765/v1") == f"http://{shown}:8765/v1"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    assert proxy_for(f"https://{shown}/v1") is None


@pytest.mark.parametrize("host", ["localhost.", "127.0.0.1.", "127.1.", "0.", "kombo.localhost"])
def test_a_name_the_resolver_may_ask_dns_for_gets_no_plain_http(host):
    # The key would go in clear text to whatever DNS answers for it.
    assert not is_loopback_host(host)
    with pytest.raises(InputError):
        validate_base_url(f"http://{host}:8765/v1")


@pytest.mark.parametrize("host", ["10.0.0.1", "kombo.test", "cafe", "0xa", "::ffff:10.0.0.1"])
def test_other_hosts_are_not_this_computer(host):
    assert not is_loopback_host(host)


def test_no_proxy_address_ranges_send_an_address_inside_them_direct(monkeypatch):
    # curl and most tools read "10.0.0.0/8" in NO_PROXY; a company's setting relies on it.
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "localhost, 10.0.0.0/8, fd00::/8")
    assert proxy_for("https://10.20.30.40/v1") is None
    assert proxy_for("https://[fd00::5]/v1") is None
    assert proxy_for("https://192.0.2.7/v1") is not None
    assert proxy_for("https://api.kombo.dev/v1") is not None


@pytest.mark.parametrize(
    "setting",
    [f"socks5://{PROXY_USER}:{PROXY_PASSWORD}@socks.example:1080", "http://proxy.example:port"],
)
def test_a_proxy_setting_the_app_cannot_use_is_told_in_the_log_without_its_sign_in(
    monkeypatch, caplog, setting
):
    monkeypatch.setenv("HTTPS_PROXY", setting)
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        assert proxy_for("https://api.kombo.dev/v1") is None
    assert "proxy" in caplog.text
    assert PROXY_USER not in caplog.text
    assert PROXY_PASSWORD not in caplog.text


@pytest.mark.parametrize(
    "setting",
    [
        f"http://{PROXY_USER}:{PROXY_PASSWORD}@[proxy.corp.example:3128",  # an unclosed "["
        f"http://{PROXY_USER}:{PROXY_PASSWORD}@pr\u00e4xy\u200b.example:3128",  # no valid name
    ],
)
def test_a_malformed_proxy_setting_is_told_in_the_log_and_the_client_goes_direct(
    monkeypatch, caplog, setting
):
    monkeypatch.setenv("HTTPS_PROXY", setting)
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        client = KomboClient(
            Connection.create(
                api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=KOMBO_URL
            )
        )
    asyncio.run(client.aclose())
    assert client.proxy is None
    assert "proxy setting was not used" in caplog.text
    assert PROXY_USER not in caplog.text
    assert PROXY_PASSWORD not in caplog.text


def test_the_command_line_with_a_malformed_proxy_setting_reports_a_failure_not_a_crash(
    tmp_path,
):
    result = cli(
        tmp_path,
        "send", "--base-url", KOMBO_URL, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", "cand-1", "--label", "Assessment Result", "--url", "https://example.com/r",
        KOMBO_API_KEY=DEMO_API_KEY,
        HTTPS_PROXY=f"http://{PROXY_USER}:{PROXY_PASSWORD}@[proxy.corp.example:3128",
    )  # fmt: skip
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, output(result)[-600:]
    assert "proxy setting was not used" in output(result)
    assert PROXY_PASSWORD not in output(result)


@pytest.mark.parametrize(
    "setting",
    [
        "http://jdoe:2024/Winter@proxy.corp.example:3128",  # a "/" in the password
        "http://jdoe:7781#x@proxy.corp.example:3128",  # a "#"
        "jdoe:90?q@proxy.corp.example:3128",  # a "?", and no scheme
    ],
)
def test_a_password_with_unencoded_special_characters_is_never_shown_as_the_address(
    monkeypatch, caplog, setting
):
    # Read as a URL, such a setting ends at the "/", "#" or "?": its user name and the
    # start of its password would be taken for the proxy's "host:port", and shown.
    monkeypatch.setenv("HTTPS_PROXY", setting)
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        assert proxy_for("https://api.kombo.dev/v1") is None
    assert "must be %-encoded" in caplog.text
    assert "jdoe" not in caplog.text


def test_a_proxy_setting_the_app_cannot_use_is_told_once_in_the_log_not_per_client(
    monkeypatch, caplog
):
    monkeypatch.setenv("ALL_PROXY", "socks5h://socks.corp.example:1081")
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        for _ in range(3):
            assert proxy_for("https://api.kombo.dev/v1") is None
    told = [r for r in caplog.records if "socks5h" in r.getMessage()]
    assert len(told) == 1, caplog.text


def test_an_unreadable_ca_file_is_told_in_the_log_and_the_usual_roots_stay(
    monkeypatch, caplog, tmp_path
):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        context = tls_context()
    assert context is not None
    assert context.cert_store_stats()["x509_ca"] > 0
    assert "SSL_CERT_FILE" in caplog.text


# --- a real proxy on loopback ------------------------------------------------------------


@dataclass(frozen=True)
class Certificates:
    """A test CA (``ca_file``, for ``SSL_CERT_FILE``) and its certificate for ``kombo.test``."""

    ca_file: Path
    server: ssl.SSLContext


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(folder: Path) -> Certificates:
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Kombo Desktop test CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(KOMBO_HOST))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(KOMBO_HOST)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "test-ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = folder / "kombo-test.pem"
    chain.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        + leaf.public_bytes(serialization.Encoding.PEM)
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(chain)
    return Certificates(ca_file, server)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


#: How long a relay waits on a quiet socket before it gives up (tests end long before).
_QUIET_S = 30.0


def _pipe(a: socket.socket, b: socket.socket, seen_from_a: bytearray | None = None) -> None:
    """Copy bytes both ways until either side closes; what ``a`` sent goes to ``seen_from_a``."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            ready = selector.select(_QUIET_S)
            if not ready:
                return
            for key, _events in ready:
                source: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    data = source.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if source is a and seen_from_a is not None:
                    seen_from_a += data
                key.data.sendall(data)


class _QuietServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-way (a refused certificate) is no test failure."""


class TlsFront:
    """Kombo's TLS on loopback: takes the TLS of ``kombo.test`` and relays to the sandbox."""

    def __init__(self, certificates: Certificates, upstream: tuple[str, int]) -> None:
        front = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                front.handle(self.request)

        self._certificates = certificates
        self._upstream = upstream
        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port: int = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def handle(self, raw: socket.socket) -> None:
        raw.settimeout(_QUIET_S)
        with (
            self._certificates.server.wrap_socket(raw, server_side=True) as tls,
            socket.create_connection(self._upstream, timeout=_QUIET_S) as upstream,
        ):
            _pipe(tls, upstream)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class ForwardProxy:
    """An HTTP forward proxy on loopback, as a company network has one.

    It opens tunnels (``CONNECT host:port``) and forwards plain requests (absolute-form
    ``GET http://host/…``) to the hosts of ``routes``, or to a loopback host as named. It
    asks for ``sign_in`` (407) when given; ``tunnel_status`` answers every tunnel with that
    status instead of opening it, ``stall_tunnels`` opens tunnels that lead nowhere,
    ``ignore_tunnels`` never answers a ``CONNECT`` at all, and ``hang_up_on_tunnels`` reads
    one and hangs up without a word (a proxy that crashed, or drops what its rules refuse).
    Everything it could read in clear text (request heads, the bytes a client sent into a
    tunnel) is kept in ``seen``.
    """

    def __init__(
        self,
        routes: dict[str, tuple[str, int]],
        *,
        sign_in: tuple[str, str] | None = None,
        tunnel_status: int | None = None,
        stall_tunnels: bool = False,
        ignore_tunnels: bool = False,
        hang_up_on_tunnels: bool = False,
    ) -> None:
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                proxy.handle(self.connection, self.rfile)

        self.routes = routes
        self.sign_in = sign_in
        self.tunnel_status = tunnel_status
        self.stall_tunnels = stall_tunnels
        self.ignore_tunnels = ignore_tunnels
        self.hang_up_on_tunnels = hang_up_on_tunnels
        self.tunnels: list[str] = []
        self.forwarded: list[str] = []
        self.seen = bytearray()
        self._lock = threading.Lock()
        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self.port: int = self._server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def url(self, *, user: str | None = None, password: str | None = None) -> str:
        """The proxy setting, with a sign-in when given."""
        sign_in = f"{user}:{password}@" if user is not None else ""
        return f"http://{sign_in}{self.address}"

    def handle(self, client: socket.socket, rfile: Any) -> None:
        client.settimeout(_QUIET_S)
        head = [rfile.readline(65537)]
        while head[-1] not in (b"\r\n", b"\n", b""):
            head.append(rfile.readline(65537))
        with self._lock:
            self.seen += b"".join(head)
        method, target, _version = head[0].decode("latin-1").split()
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.decode("latin-1").partition(":") for line in head[1:-1])
        }
        if not self._signed_in(headers.get("proxy-authorization", "")):
            client.sendall(
                b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                b'Proxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n'
            )
            return
        if method == "CONNECT":
            self._tunnel(client, target)
        else:
            self._forward(client, rfile, method, target, head[1:-1], headers)

    def _signed_in(self, authorization: str) -> bool:
        if self.sign_in is None:
            return True
        expected = base64.b64encode(":".join(self.sign_in).encode()).decode()
        return authorization == f"Basic {expected}"

    def _upstream(self, host: str, port: int) -> tuple[str, int] | None:
        # Only loopback: the proxy must never reach anything else from a test.
        if host in self.routes:
            return self.routes[host]
        return (host, port) if is_loopback_host(host) else None

    def _tunnel(self, client: socket.socket, target: str) -> None:
        with self._lock:
            self.tunnels.append(target)
        if self.hang_up_on_tunnels:
            return
        host, _, port = target.rpartition(":")
        upstream = self._upstream(host.strip("[]"), int(port))
        if self.tunnel_status is not None or upstream is None:
            status = self.tunnel_status or 502
            client.sendall(f"HTTP/1.1 {status} Refused\r\nContent-Length: 0\r\n\r\n".encode())
            return
        if not self.ignore_tunnels:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if self.stall_tunnels or self.ignore_tunnels:
            while client.recv(65536):  # read what comes, answer nothing, until it hangs up
                pass
            return
        with socket.create_connection(upstream, timeout=_QUIET_S) as server:
            _pipe(client, server, self.seen)

    def _forward(
        self,
        client: socket.socket,
        rfile: Any,
        method: str,
        target: str,
        header_lines: list[bytes],
        headers: dict[str, str],
    ) -> None:
        with self._lock:
            self.forwarded.append(f"{method} {target}")
        parts = urlsplit(target)
        upstream = self._upstream(parts.hostname or "", parts.port or 80)
        if upstream is None:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        body = rfile.read(int(headers.get("content-length", "0")))
        with self._lock:
            self.seen += body
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = [
            line
            for line in header_lines
            if not line.lower().startswith((b"connection:", b"proxy-"))
        ]
        request = f"{method} {path} HTTP/1.1\r\n".encode() + b"".join(kept)
        with socket.create_connection(upstream, timeout=_QUIET_S) as server:
            server.sendall(request + b"Connection: close\r\n\r\n" + body)
            while data := server.recv(65536):
                client.sendall(data)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def tls_front(certificates: Certificates, fresh_sandbox: Sandbox) -> Iterator[TlsFront]:
    front = TlsFront(certificates, ("127.0.0.1", fresh_sandbox.port))
    yield front
    front.close()


@pytest.fixture
def company_network(
    monkeypatch: pytest.MonkeyPatch, certificates: Certificates, tls_front: TlsFront
) -> Iterator[ForwardProxy]:
    """A proxy that is the only way to Kombo, set as the computer's proxy, and its CA trusted."""
    proxy = ForwardProxy({KOMBO_HOST: ("127.0.0.1", tls_front.port)})
    monkeypatch.setenv("HTTPS_PROXY", proxy.url())
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
    yield proxy
    proxy.close()


@pytest.fixture
def kombo() -> Connection:
    """The demo credentials at Kombo's address, which only the proxy can reach."""
    return Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=KOMBO_URL
    )


async def _check_key(connection: Connection, **kwargs: Any) -> Any:
    async with KomboClient(connection, **kwargs) as client:
        return await client.check_api_key()


def _proxy_address(connection: Connection) -> str | None:
    """The proxy a client for ``connection`` goes through, as the client tells it."""

    async def ask() -> str | None:
        async with KomboClient(connection) as client:
            return client.proxy.address if client.proxy else None

    return asyncio.run(ask())


async def _add_link(connection: Connection, sandbox: Sandbox, **kwargs: Any) -> Any:
    target = Target.parse(TargetKind.CANDIDATE, sandbox.candidates[0]["id"])
    async with KomboClient(connection, **kwargs) as client:
        return await client.add_result_link(target, REQUEST)


def _failure(coroutine: Any) -> KomboDesktopError:
    with pytest.raises(KomboDesktopError) as caught:
        asyncio.run(coroutine)
    return caught.value


def test_a_request_goes_through_the_computers_proxy_in_a_tunnel_the_proxy_cannot_read(
    company_network, kombo, fresh_sandbox
):
    outcome, check = asyncio.run(_check_key(kombo))
    assert outcome.status_code == 200
    assert check.environment_id
    assert company_network.tunnels == [f"{KOMBO_HOST}:443"]
    assert company_network.forwarded == []
    # The request reached Kombo (here the sandbox) with its key, and the proxy saw it
    # only encrypted.
    assert fresh_sandbox.requests[-1].path == "/v1/check-api-key"
    assert company_network.seen  # it did relay the exchange
    assert DEMO_API_KEY.encode() not in company_network.seen
    assert b"check-api-key" not in company_network.seen
    assert _proxy_address(kombo) == company_network.address


def test_this_computer_is_reached_directly_even_with_every_proxy_variable_set(
    monkeypatch, connection, fresh_sandbox
):
    proxy = ForwardProxy({})
    try:
        for variable in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
            monkeypatch.setenv(variable, proxy.url())
        outcome, _check = asyncio.run(_check_key(connection))
        assert outcome.status_code == 200
        assert proxy.tunnels == []
        assert proxy.forwarded == []
        assert DEMO_API_KEY.encode() not in proxy.seen
        assert _proxy_address(connection) is None
    finally:
        proxy.close()


def test_the_proxys_own_sign_in_opens_the_way_and_is_never_shown_or_written(
    monkeypatch, certificates, tls_front, kombo, fresh_sandbox, tmp_path
):
    log_path = configure_logging(logging.DEBUG, directory=tmp_path / "logs")
    proxy = ForwardProxy(
        {KOMBO_HOST: ("127.0.0.1", tls_front.port)}, sign_in=(PROXY_USER, PROXY_PASSWORD)
    )
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
        monkeypatch.setenv("HTTPS_PROXY", proxy.url(user=PROXY_USER, password=PROXY_PASSWORD))
        outcome, _check = asyncio.run(_check_key(kombo))
        assert outcome.status_code == 200
        # Then every kind of failure through the same signed-in proxy: a refused tunnel,
        # a failed TLS (the company's CA not trusted), a proxy that is gone.
        proxy.tunnel_status = 403
        failures = [_failure(_add_link(kombo, fresh_sandbox))]
        proxy.tunnel_status = None
        monkeypatch.delenv("SSL_CERT_FILE")
        failures.append(_failure(_check_key(kombo)))
    finally:
        proxy.close()
    failures.append(_failure(_check_key(kombo)))
    assert [type(f) for f in failures] == [UnexpectedResponseError, NetworkError, NetworkError]
    for failure in failures:
        message = describe_error(failure)
        report = format_redacted(type(failure), failure, failure.__traceback__)
        assert f"Through proxy: {proxy.address}" in message.detail
        for shown in (message.text, message.detail, str(failure), report):
            assert PROXY_USER not in shown
            assert PROXY_PASSWORD not in shown
    written = log_path.read_text()
    assert f"through proxy {proxy.address}" in written
    for secret in (PROXY_USER, PROXY_PASSWORD, DEMO_API_KEY):
        assert_no_file_contains(log_path.parent, secret)


def test_a_proxy_that_wants_its_sign_in_is_said_as_a_refusal_on_the_way(
    monkeypatch, certificates, tls_front, kombo, fresh_sandbox
):
    proxy = ForwardProxy(
        {KOMBO_HOST: ("127.0.0.1", tls_front.port)}, sign_in=(PROXY_USER, PROXY_PASSWORD)
    )
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca_file))
        monkeypatch.setenv("HTTPS_PROXY", proxy.url())  # no sign-in in the setting
        failure = _failure(_add_link(kombo, fresh_sandbox))
    finally:
        proxy.close()
    assert isinstance(failure, UnexpectedResponseError)
    assert failure.status_code == 407
    # The proxy answered the tunnel's request: nothing of the link went out.
    assert not failure.may_have_been_applied
    assert fresh_sandbox.requests == []
    message = describe_error(failure)
    assert message.text == REFUSED_ON_THE_WAY
    assert not message.may_have_been_applied
    assert f"Through proxy: {proxy.address}" in message.detail


def test_a_proxy_that_cannot_reach_kombo_says_nothing_was_added(
    company_network, kombo, fresh_sandbox
):
    company_network.tunnel_status = 502
    failure = _failure(_add_link(kombo, fresh_sandbox))
    assert isinstance(failure, NetworkError)
    assert failure.kind is NetworkErrorKind.CONNECT
    assert not failure.may_have_been_applied
    message = describe_error(failure)
    assert not message.may_have_been_applied
    assert f"Through proxy: {company_network.address}" in message.detail


def test_without_the_companys_ca_the_secure_connection_fails_through_the_proxy(
    company_network, monkeypatch, kombo
):
    # A TLS-inspecting proxy's certificate is trusted only through SSL_CERT_FILE.
    monkeypatch.delenv("SSL_CERT_FILE")
    failure = _failure(_check_key(kombo))
    assert isinstance(failure, NetworkError)
    assert failure.kind is NetworkErrorKind.TLS
    assert f"Through proxy: {company_network.address}" in describe_error(failure).detail


def test_a_tunnel_that_never_opens_is_known_to_have_sent_nothing(
    company_network, kombo, fresh_sandbox
):
    # The proxy says the tunnel is open, and then nothing answers: the whole-exchange
    # limit ends the TLS handshake, before any byte of the link went out.
    company_network.stall_tunnels = True
    failure = _failure(_add_link(kombo, fresh_sandbox, timeouts=Timeouts(30, 30, total=1.0)))
    assert isinstance(failure, NetworkError)
    assert failure.kind is NetworkErrorKind.CONNECT_TIMEOUT
    assert not failure.may_have_been_applied
    assert f"Through proxy: {company_network.address}" in describe_error(failure).detail


def test_a_proxy_that_never_answers_the_tunnels_request_is_known_to_have_sent_nothing(
    company_network, kombo, fresh_sandbox
):
    # The proxy takes the CONNECT and says nothing: the wait for its answer runs out on
    # the read limit, though the request itself never left.
    company_network.ignore_tunnels = True
    failure = _failure(_add_link(kombo, fresh_sandbox, timeouts=Timeouts(connect=30, read=1.0)))
    assert isinstance(failure, NetworkError)
    assert failure.kind is NetworkErrorKind.CONNECT_TIMEOUT
    assert not failure.may_have_been_applied
    assert not describe_error(failure).may_have_been_applied


def test_a_proxy_that_hangs_up_on_the_tunnels_request_says_nothing_was_added(
    company_network, kombo, fresh_sandbox
):
    # The proxy read the CONNECT and closed: the link's request never left this computer.
    company_network.hang_up_on_tunnels = True
    failure = _failure(_add_link(kombo, fresh_sandbox))
    assert isinstance(failure, NetworkError)
    assert company_network.tunnels == [f"{KOMBO_HOST}:443"]
    assert fresh_sandbox.requests == []
    assert failure.kind is NetworkErrorKind.CONNECT
    assert not failure.may_have_been_applied
    assert not describe_error(failure).may_have_been_applied


def test_a_link_dropped_after_the_tunnel_opened_may_have_been_added(
    company_network, kombo, fresh_sandbox
):
    # Once the tunnel is open the request goes out: a drop then may come after Kombo took it.
    fresh_sandbox.inject_fault(Fault.drop_connection())
    failure = _failure(_add_link(kombo, fresh_sandbox))
    assert isinstance(failure, NetworkError)
    assert failure.kind is NetworkErrorKind.DISCONNECTED
    assert failure.may_have_been_applied
    assert describe_error(failure).may_have_been_applied


def test_a_proxy_setting_the_app_cannot_use_is_told_in_the_technical_detail(monkeypatch, kombo):
    # A SOCKS proxy (often set as ALL_PROXY): the app goes direct, and the direct attempt
    # fails. IT, reading the detail, must learn that the proxy was left out, and why.
    monkeypatch.setenv("ALL_PROXY", f"socks5://{PROXY_USER}:{PROXY_PASSWORD}@127.0.0.1:9")
    message = describe_error(_failure(_check_key(kombo)))
    assert (
        "the computer's proxy setting was not used: a socks5 proxy, which this app cannot use"
        in message.detail
    )
    for shown in (message.text, message.detail):
        assert PROXY_USER not in shown
        assert PROXY_PASSWORD not in shown


def test_a_proxy_whose_name_is_not_found_is_not_blamed_on_kombos_address(monkeypatch, kombo):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.invalid:3128")
    failure = _failure(_check_key(kombo))
    assert isinstance(failure, NetworkError)
    message = describe_error(failure)
    # Only the proxy's name was looked up here, and not found; Kombo's address is right.
    assert "server address" not in message.text
    assert "the proxy's name could not be found" in message.detail
    assert "Through proxy: proxy.corp.invalid:3128" in message.detail


def test_ssl_cert_dir_as_a_list_of_folders_trusts_the_companys_ca(
    company_network, monkeypatch, certificates, tmp_path, kombo
):
    folder = tmp_path / "company-cas"
    folder.mkdir()
    # A CA folder as OpenSSL reads it: each certificate under its subject's hash.
    subject_hash = subprocess.run(
        ["openssl", "x509", "-hash", "-noout", "-in", str(certificates.ca_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (folder / f"{subject_hash}.0").write_bytes(certificates.ca_file.read_bytes())
    monkeypatch.delenv("SSL_CERT_FILE")
    # OpenSSL reads SSL_CERT_DIR as a list (":" between folders, ";" on Windows).
    monkeypatch.setenv("SSL_CERT_DIR", os.pathsep.join([str(tmp_path / "not-there"), str(folder)]))
    outcome, _check = asyncio.run(_check_key(kombo))
    assert outcome.status_code == 200
