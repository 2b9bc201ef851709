"""The computer's network settings the client honours: its proxy, and the extra CA that a
company proxy inspecting TLS needs.

The proxy is the one the standard library reads as the computer's (``urllib.request``):
the ``HTTPS_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` environment variables in any case,
else the Windows registry or macOS's system configuration. It is decided once per
client, whose base URL never changes. Two rules keep the API key Kombo's alone:

- This computer (``connection.is_loopback_host``: ``localhost``, 127.0.0.0/8, ``::1``,
  in any spelling) is never reached through a proxy: the sandbox and the demo run there,
  and a proxy would see the key and the candidates.
- Only https base URLs go through a proxy. For those the proxy opens a tunnel (``CONNECT
  host:443``) and sees the host name and encrypted bytes, never a header (unless it
  inspects TLS with a CA the person chose to trust, see ``tls_context``). A plain http
  request would be handed to the proxy whole, ``Authorization: Bearer …`` included, so a
  plain http base URL is never proxied. ``connection.validate_base_url`` allows plain
  http for this computer only, which is direct anyway; one to another host (a script's
  own ``Connection``) goes direct too rather than past a proxy in clear text.

A setting the app cannot use (a SOCKS proxy, one it cannot read) is told once in the log
and, in a few words without the setting, in each failure's technical detail
(``ProxyChoice.unused``); the client then goes direct.

The client's own ``trust_env`` stays off, since httpx would then also take a
``~/.netrc`` password in place of the key's ``Authorization`` header: this module reads
what is wanted of the environment, and nothing else.

Nothing here is Qt; ``choose_proxy`` may look a host name up on Windows and macOS (their
proxy exceptions can name addresses), so it is called where the client is made, off the
GUI thread.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import ssl
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import SplitResult, urlsplit

import certifi
import httpx

from kombo_desktop.core.connection import is_loopback_host

log = logging.getLogger(__name__)

#: The proxies httpx speaks without extra packages. A SOCKS setting would need one that
#: the app does not ship: such a setting is told in the log and the client goes direct.
_SUPPORTED_SCHEMES = ("http", "https")

#: The SOCKS settings named as such in what is told (any other scheme is not named).
_SOCKS_SCHEMES = ("socks", "socks4", "socks4a", "socks5", "socks5h")

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class ProxyRoute:
    """A proxy the client's requests go through.

    ``url`` is the setting as the computer gives it, and may carry the proxy's own sign-in
    (``http://user:password@proxy:3128``): it is for httpx only and never shown or
    logged. ``address`` (``host:port``) is what people and the log are told: each
    request's ``RequestInfo.proxy``, which every outcome's detail names.
    """

    url: str = field(repr=False)
    address: str
    #: ``http`` or ``https``: the way to the proxy itself (an https one needs the CA too).
    scheme: str = "http"

    @property
    def note(self) -> str:
        """The route in the words of the log: ``through proxy host:port``."""
        return f"through proxy {self.address}"


@dataclass(frozen=True)
class ProxyChoice:
    """How requests to one base URL go: through ``route``, or direct (``route`` is ``None``).

    ``unused`` says, for the technical detail, why the computer's proxy setting was not
    used when it is set but the app cannot use it (never the setting itself); empty
    otherwise.
    """

    route: ProxyRoute | None = None
    unused: str = ""


def choose_proxy(base_url: str) -> ProxyChoice:
    """The way to ``base_url``: the computer's proxy, or direct and, if a setting could not
    be used, why (see ``ProxyChoice``)."""
    parts = urlsplit(base_url)
    host = parts.hostname
    if parts.scheme.lower() != "https" or not host or is_loopback_host(host):
        return ProxyChoice()
    settings = urllib.request.getproxies()
    setting = settings.get("https") or settings.get("all")
    if not setting or _in_exempt_range(host, settings.get("no", "")):
        return ProxyChoice()
    # Asked only when a proxy is set: the system's exceptions may look the host up.
    if urllib.request.proxy_bypass(host):
        return ProxyChoice()
    return _route_of(setting)


def _in_exempt_range(host: str, no_proxy: str) -> bool:
    """True when ``host`` is an address inside a range of ``NO_PROXY`` (``10.0.0.0/8``).

    The standard library matches ``NO_PROXY`` as names only; curl and most tools read
    ranges too, and a company's setting written for them must exempt the same hosts.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in no_proxy.split(","):
        entry = entry.strip()
        if "/" not in entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            continue
        if address.version == network.version and address in network:
            return True
    return False


#: What to say of a setting that could not be read (never the setting: it may hold a
#: password), in the log and the technical detail.
_UNREADABLE = "it could not be read"
_UNENCODED_SIGN_IN = "it could not be read (special characters in its password must be %-encoded)"
_NO_HOST = "it names no usable host and port"


def _route_of(setting: str) -> ProxyChoice:
    """The route for one proxy setting, or why the app cannot use it (told in the log)."""
    url = setting.strip()
    if "://" not in url:
        # A bare "proxy:3128", as people write it in HTTPS_PROXY: an http proxy, as the
        # standard library and curl read it.
        url = f"http://{url}"
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" of an IPv6 address
        return _unused(setting, _UNREADABLE)
    scheme = parts.scheme.lower()
    # What is told names the kind of setting, never the setting itself: it may hold a
    # password.
    if scheme in _SOCKS_SCHEMES:
        return _unused(setting, f"a {scheme} proxy, which this app cannot use")
    if scheme not in _SUPPORTED_SCHEMES:
        # Not named: a password with "://" in it and no scheme before it would be read as
        # one, its user name the "scheme".
        return _unused(setting, "it names no http or https proxy")
    if "@" in parts.path + parts.query + parts.fragment:
        # A password with a "/", "?" or "#" written as is: the URL ends the proxy's address
        # there, and its user name and the start of its password would be read as
        # "host:port" (and shown as such).
        return _unused(setting, _UNENCODED_SIGN_IN)
    address = _address_of(parts, scheme)
    if address is None:
        return _unused(setting, _NO_HOST)
    try:
        # What httpx will make of it, tried here: a host it cannot encode would otherwise
        # fail where the client is made.
        httpx.Proxy(url)
    except (httpx.InvalidURL, ValueError):
        return _unused(setting, _UNREADABLE)
    return ProxyChoice(ProxyRoute(url=url, address=address, scheme=scheme))


def _address_of(parts: SplitResult, scheme: str) -> str | None:
    """``host:port`` of a proxy setting, to show; ``None`` when it names none."""
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    host = parts.hostname
    if not host:
        return None
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}"


#: The settings already told in the log (as digests: a setting may hold a password), so
#: that each is told once per run, not once per client.
_told: set[str] = set()


def _unused(setting: str, why: str) -> ProxyChoice:
    """Direct, with ``why`` the computer's proxy setting was not used, told in the log."""
    digest = hashlib.sha256(setting.encode("utf-8", "surrogatepass")).hexdigest()
    if digest not in _told:
        _told.add(digest)
        log.warning("The computer's proxy setting was not used: %s", why)
    return ProxyChoice(unused=f"the computer's proxy setting was not used: {why}")


def tls_context() -> ssl.SSLContext | None:
    """The certificates to trust: the usual ones plus those of ``SSL_CERT_FILE`` and the
    folders of ``SSL_CERT_DIR``; ``None`` when neither is set (httpx's own default, the
    same roots).

    A company proxy that inspects TLS signs Kombo's certificate with the company's own CA,
    which people hand to programs through these variables. It is trusted in addition to
    the usual roots, not instead of them: a file with the company's CA alone must not
    break the way to Kombo where no proxy is in between. A file or folder that cannot be
    read is told in the log and left out (the connection then fails as a TLS failure).
    """
    cafile = os.environ.get("SSL_CERT_FILE", "").strip()
    # A list of folders, as OpenSSL reads it (":" between them, ";" on Windows).
    capaths = [p.strip() for p in os.environ.get("SSL_CERT_DIR", "").split(os.pathsep)]
    capaths = [p for p in capaths if p]
    if not cafile and not capaths:
        return None
    context = ssl.create_default_context(cafile=certifi.where())
    if cafile:
        try:
            context.load_verify_locations(cafile=cafile)
        except (OSError, ssl.SSLError) as exc:
            log.warning("SSL_CERT_FILE could not be read, left out: %s", exc)
    for capath in capaths:
        if os.path.isdir(capath):
            context.load_verify_locations(capath=capath)
        else:
            log.warning("SSL_CERT_DIR names something that is not a folder, left out")
    return context
