"""A company network on loopback, for the tests that reach Kombo through the computer's
proxy: a real HTTP forward proxy (``ForwardProxy``), as a company network has one, and
Kombo's TLS behind it (``TlsFront``).

Kombo's address is ``https://kombo.test/v1``: a name that no DNS knows, which only the
proxy can reach. The proxy maps it to a TLS front on loopback (with a certificate of a
test CA for ``kombo.test``, ``make_certificates``) in front of the sandbox, as a tunnel
(``CONNECT kombo.test:443``) reaches Kombo's TLS. The client trusts the test CA as a
company's TLS-inspecting proxy's CA is trusted: ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import base64
import datetime
import os
import selectors
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from kombo_desktop.core.connection import is_loopback_host
from kombo_desktop.core.models import ResultLinkRequest

#: Kombo's address in these tests: only the proxy can reach it (see the module's docstring).
KOMBO_HOST = "kombo.test"
KOMBO_URL = f"https://{KOMBO_HOST}/v1"

#: The proxy's own sign-in, as a company's proxy setting carries it.
PROXY_USER = "proxyuser-Qm4x"
PROXY_PASSWORD = "proxypass-Zr8w-never-shown"

#: The result link the tests send through the proxy.
REQUEST = ResultLinkRequest.from_form(label="Assessment Result", url="https://example.com/r/1")


def clear_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy and no extra CA for the test, whatever this machine has set."""
    for name in list(os.environ):
        if name.lower().endswith("_proxy") or name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
            monkeypatch.delenv(name)


@dataclass(frozen=True)
class Certificates:
    """A test CA (``ca_file``, for ``SSL_CERT_FILE``) and its certificate for ``kombo.test``."""

    ca_file: Path
    server: ssl.SSLContext


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(folder: Path) -> Certificates:
    """A new test CA and its certificate for ``kombo.test``, their files in ``folder``."""
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
