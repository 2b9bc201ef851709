"""The computer's proxy: which requests go through it, and that it sees no key.

The end-to-end tests run a real HTTP forward proxy on loopback, as a company network has
one, the only way to Kombo's address (``tests/proxy_servers.py`` tells how).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

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
from kombo_desktop.core.models import Target, TargetKind
from kombo_desktop.core.proxies import choose_proxy, tls_context
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.cli_support import cli, output
from tests.leakcheck import assert_no_file_contains
from tests.proxy_servers import (
    KOMBO_HOST,
    KOMBO_URL,
    PROXY_PASSWORD,
    PROXY_USER,
    REQUEST,
    Certificates,
    ForwardProxy,
    TlsFront,
    make_certificates,
)

# No proxy and no extra CA from this computer: each test sets up the route it tests.
pytestmark = pytest.mark.usefixtures("no_proxy_settings")

# --- which requests go through a proxy -------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"])
def test_an_https_base_url_goes_through_the_computers_proxy(monkeypatch, variable):
    monkeypatch.setenv(variable, "http://proxy.corp.example:3128")
    route = choose_proxy("https://api.kombo.dev/v1").route
    assert route is not None
    assert route.address == "proxy.corp.example:3128"
    assert route.note == "through proxy proxy.corp.example:3128"


def test_the_https_proxy_is_taken_before_the_one_for_everything(monkeypatch):
    monkeypatch.setenv("ALL_PROXY", "http://everything.example:1080")
    monkeypatch.setenv("HTTPS_PROXY", "http://tls.example:3128")
    route = choose_proxy("https://api.kombo.dev/v1").route
    assert route is not None
    assert route.address == "tls.example:3128"


def test_no_proxy_sends_the_hosts_it_names_direct(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("NO_PROXY", "intranet.example, .kombo.dev")
    assert choose_proxy("https://api.kombo.dev/v1").route is None
    assert choose_proxy("https://api.us.kombo.dev/v1").route is None
    assert choose_proxy("https://kombo.example/v1").route is not None


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
    assert choose_proxy(base_url).route is None


def test_a_plain_http_base_url_is_never_handed_to_a_proxy(monkeypatch):
    # Over plain http a proxy would read the Authorization header: such a base URL goes
    # direct (the connection's check allows plain http for this computer only; a script
    # may build a Connection without it).
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.corp.example:3128")
    monkeypatch.setenv("ALL_PROXY", "http://proxy.corp.example:3128")
    connection = Connection(
        base_url="http://kombo.test/v1", integration_id=DEMO_INTEGRATION_ID, api_key=DEMO_API_KEY
    )
    assert choose_proxy(connection.base_url).route is None
    client = KomboClient(connection)
    try:
        assert client.proxy is None
    finally:
        asyncio.run(client.aclose())


def test_a_proxy_setting_with_a_sign_in_is_shown_without_it(monkeypatch):
    monkeypatch.setenv(
        "HTTPS_PROXY", f"http://{PROXY_USER}:{PROXY_PASSWORD}@proxy.corp.example:3128"
    )
    route = choose_proxy("https://api.kombo.dev/v1").route
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
    route = choose_proxy("https://api.kombo.dev/v1").route
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
    assert choose_proxy(base_url).route is None


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
    assert choose_proxy(f"https://{shown}/v1").route is None


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
    assert choose_proxy("https://10.20.30.40/v1").route is None
    assert choose_proxy("https://[fd00::5]/v1").route is None
    assert choose_proxy("https://192.0.2.7/v1").route is not None
    assert choose_proxy("https://api.kombo.dev/v1").route is not None


@pytest.mark.parametrize(
    "setting",
    [f"socks5://{PROXY_USER}:{PROXY_PASSWORD}@socks.example:1080", "http://proxy.example:port"],
)
def test_a_proxy_setting_the_app_cannot_use_is_told_in_the_log_without_its_sign_in(
    monkeypatch, caplog, setting
):
    monkeypatch.setenv("HTTPS_PROXY", setting)
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        assert choose_proxy("https://api.kombo.dev/v1").route is None
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
        assert choose_proxy("https://api.kombo.dev/v1").route is None
    assert "must be %-encoded" in caplog.text
    assert "jdoe" not in caplog.text


def test_a_proxy_setting_the_app_cannot_use_is_told_once_in_the_log_not_per_client(
    monkeypatch, caplog
):
    monkeypatch.setenv("ALL_PROXY", "socks5h://socks.corp.example:1081")
    with caplog.at_level(logging.WARNING, logger="kombo_desktop"):
        for _ in range(3):
            assert choose_proxy("https://api.kombo.dev/v1").route is None
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


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certificates"))


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
