"""The HTTP side of the sandbox: a threaded ``http.server`` speaking HTTP/1.1 with keep-alive."""

from __future__ import annotations

import contextlib
import copy
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast

from kombo_desktop.sandbox.faults import Fault
from kombo_desktop.sandbox.responses import Response, error
from kombo_desktop.sandbox.routes import Target, answer_log_link, handle_api, parse_target
from kombo_desktop.sandbox.state import RecordedRequest, SandboxState

MAX_BODY_BYTES = 1024 * 1024
# A refused body is still read and thrown away, up to this much and for this long: a socket
# closed with data unread in it is reset by the kernel, and the client loses the refusal
# with it. Bounded, so that a client sending without end cannot hold a thread.
REFUSED_BODY_DISCARD_BYTES = 64 * 1024 * 1024
REFUSED_BODY_DISCARD_SECONDS = 10.0
_DISCARD_CHUNK_BYTES = 64 * 1024
# How long the server waits for a connection before it looks whether it is to stop: an
# hour, as a stop wakes it (``Sandbox._shut_down``). Polled every 50 ms, an idle demo
# woke the computer 20 times a second.
_IDLE_WAIT_SECONDS = 3600.0
# How often a stop pokes the server while it has not ended.
_POKE_EVERY_SECONDS = 0.05
# An idle keep-alive connection holds a thread; let it go after a while.
IDLE_TIMEOUT_SECONDS = 60.0
# Small writes make a slow body arrive in several pieces, like a struggling upstream.
_SLOW_CHUNK_BYTES = 16
_JOIN_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class _Refusal:
    """A request refused before its body was read, and how much of the body is still to
    come (``None``: unknown)."""

    response: Response
    unread_bytes: int | None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KomboSandbox/1.0"
    sys_version = ""
    # Headers and body are separate writes; without this, Nagle plus delayed ACKs add ~40 ms.
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT_SECONDS

    @property
    def _state(self) -> SandboxState:
        return cast("_SandboxHTTPServer", self.server).state

    def do_GET(self) -> None:
        with self._state.answering():
            self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        if self._state.verbose:
            super().log_message(format, *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Replaced by _log_line, which also knows faults and timings.
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer malformed requests (bad request line, unknown method...) with JSON too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            # The stdlib assumes HTTP/0.9 for an unparsable request line and would then send a
            # bare body without status line; every client today expects a full response.
            self.request_version = self.protocol_version
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        response = error(
            code,
            "PLATFORM.INPUT_INVALID" if 400 <= code < 500 else None,
            phrase,
            message or explain or phrase,
            self._state.new_log_url(),
        )
        self._send(response)

    def _dispatch(self) -> None:
        state = self._state
        # First: a fault added once this request is seen (recorded) is for the next one.
        arrived = state.faults.mark()
        started = time.perf_counter()
        headers = {name.lower(): value for name, value in self.headers.items()}
        body, refusal = self._read_body(headers)
        state.record(RecordedRequest(self.command, self.path, headers, body))
        if refusal is not None:
            self._send(refusal.response, started=started)
            self._discard_refused_body(refusal.unread_bytes)
            return
        target = parse_target(self.path)
        log_id = target.log_id
        if log_id is not None:
            # A log_url is opened in a browser, without the API key, so it skips the checks.
            self._send(answer_log_link(state, self.command, target, log_id), started=started)
            return
        if state.latency_seconds > 0:
            state.stopping.wait(state.latency_seconds)
        retry_after = state.acquire_rate_token()
        if retry_after is not None:
            self._send(_rate_limit_response(state, retry_after), started=started)
            return
        link_target = target.result_link_target
        link_id = link_target[1] if link_target else None
        fault = state.faults.take(target.decoded_path, link_id, arrived=arrived)
        if fault is None:
            self._send(handle_api(state, self.command, target, headers, body), started=started)
        else:
            self._apply_fault(fault, state, target, headers, body, started)

    def _apply_fault(
        self,
        fault: Fault,
        state: SandboxState,
        target: Target,
        headers: dict[str, str],
        body: bytes,
        started: float,
    ) -> None:
        if fault.kind == "drop":
            self._drop()
            self._log_line("dropped (fault)", 0, started)
        elif fault.kind == "slow_body":
            response = handle_api(state, self.command, target, headers, body)
            self._send(response, started=started, body_delay=fault.delay_seconds)
        elif fault.kind == "trickle_body":
            response = handle_api(state, self.command, target, headers, body)
            self._send(response, started=started, chunk_interval=fault.delay_seconds)
        elif fault.kind == "stall_midway":
            response = fault.render(state.new_log_url)
            stall = (fault.stall_after_bytes, fault.delay_seconds)
            self._send(response, started=started, stall=stall)
        else:
            self._send(fault.render(state.new_log_url), started=started)

    def _read_body(self, headers: dict[str, str]) -> tuple[bytes, _Refusal | None]:
        """The body by Content-Length, or a refusal (after which the connection is closed)."""
        if headers.get("transfer-encoding", "identity").strip().lower() != "identity":
            self.close_connection = True
            message = "Send the body with Content-Length; chunked is not supported."
            return b"", _Refusal(self._refusal(411, message), unread_bytes=None)
        raw_length = headers.get("content-length")
        if raw_length is None:
            return b"", None
        lengths = {value.strip() for value in self.headers.get_all("Content-Length") or []}
        if len(lengths) > 1:
            # Which one frames the body cannot be told (RFC 9112 6.3): what is left over
            # would be read as the next request.
            self.close_connection = True
            message = "The request has several Content-Length headers that differ."
            return b"", _Refusal(self._refusal(400, message), unread_bytes=None)
        raw_length = raw_length.strip()
        if not (raw_length.isascii() and raw_length.isdigit()):
            self.close_connection = True
            message = "The Content-Length header is not a number."
            return b"", _Refusal(self._refusal(400, message), unread_bytes=None)
        length = int(raw_length)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            message = f"The request body is larger than {MAX_BODY_BYTES} bytes."
            return b"", _Refusal(self._refusal(413, message), unread_bytes=length)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            self.close_connection = True  # the client went away mid-body
        return body, None

    def _discard_refused_body(self, unread_bytes: int | None) -> None:
        """Read and throw away what the client still sends after a refusal, then let the
        connection close (the refusal said ``Connection: close``).

        The refusal is sent first and the sending side closed, as RFC 9112 advises: a client
        that reads while it sends has its answer at once, one that sends first finds it
        waiting. Reading stops at the declared length (when it is known), at
        ``REFUSED_BODY_DISCARD_BYTES``, after ``REFUSED_BODY_DISCARD_SECONDS``, when the
        client closes, or when the sandbox stops. ``unread_bytes`` is what is left of the
        body, ``None`` when that is unknown (chunked, or no usable ``Content-Length``).
        """
        with contextlib.suppress(OSError):  # a client already gone needs no more
            self.connection.shutdown(socket.SHUT_WR)
        left = REFUSED_BODY_DISCARD_BYTES
        if unread_bytes is not None:
            left = min(left, unread_bytes)
        deadline = time.monotonic() + REFUSED_BODY_DISCARD_SECONDS
        # Timed out, reset, or shut by stop(): the connection ends in any case.
        with contextlib.suppress(OSError):
            while left > 0 and not self._state.stopping.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.connection.settimeout(remaining)
                chunk = self.rfile.read1(min(left, _DISCARD_CHUNK_BYTES))
                if not chunk:
                    break  # the client closed its side
                left -= len(chunk)

    def _refusal(self, status: int, message: str) -> Response:
        return error(
            status,
            "PLATFORM.INPUT_INVALID",
            HTTPStatus(status).phrase,
            message,
            self._state.new_log_url(),
        )

    def _send(
        self,
        response: Response,
        *,
        started: float | None = None,
        body_delay: float = 0.0,
        chunk_interval: float = 0.0,
        stall: tuple[int, float] | None = None,
    ) -> None:
        """Write a whole response; a client that hung up just ends the connection.

        ``body_delay`` holds the whole body back; ``chunk_interval`` pauses before each
        small piece of it; ``stall`` (bytes, seconds) pauses once, after that many bytes.
        """
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and response.body:
                if stall is not None:
                    self._write_with_a_stall(response.body, *stall)
                elif body_delay > 0 or chunk_interval > 0:
                    self._write_slowly(response.body, body_delay, chunk_interval)
                else:
                    self.wfile.write(response.body)
        except OSError:
            self.close_connection = True
        if started is not None:
            self._log_line(str(response.status), len(response.body), started)

    def _write_slowly(self, body: bytes, delay: float, chunk_interval: float) -> None:
        if self._state.stopping.wait(delay):
            self.close_connection = True  # the sandbox is stopping: give up on this body
            return
        for start in range(0, len(body), _SLOW_CHUNK_BYTES):
            if chunk_interval > 0 and self._state.stopping.wait(chunk_interval):
                self.close_connection = True  # stopping, as above
                return
            self.wfile.write(body[start : start + _SLOW_CHUNK_BYTES])
            self.wfile.flush()

    def _write_with_a_stall(self, body: bytes, after_bytes: int, seconds: float) -> None:
        self.wfile.write(body[:after_bytes])
        self.wfile.flush()
        if self._state.stopping.wait(seconds):
            self.close_connection = True  # the sandbox is stopping: give up on this body
            return
        self.wfile.write(body[after_bytes:])

    def _drop(self) -> None:
        self.close_connection = True
        # Already gone is the outcome the fault wants anyway.
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _log_line(self, outcome: str, size: int, started: float) -> None:
        # The request line only: headers (and with them the API key) are never logged.
        if self._state.verbose:
            elapsed_ms = (time.perf_counter() - started) * 1000.0
            sys.stderr.write(
                f'{self.client_address[0]} "{self.command} {self.path}" '
                f"{outcome} {size}B {elapsed_ms:.1f}ms\n"
            )


def _rate_limit_response(state: SandboxState, retry_after: int) -> Response:
    return error(
        429,
        "PLATFORM.RATE_LIMIT_EXCEEDED",
        "Rate limit exceeded",
        f"Too many requests. Retry after {retry_after} second(s).",
        state.new_log_url(),
        headers=(("Retry-After", str(retry_after)),),
    )


class _SandboxHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The client benchmark opens several connections at once; the default backlog is 5.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: SandboxState) -> None:
        self.state = state
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can stall for seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket | tuple[bytes, socket.socket]) -> None:
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.discard(request)
        super().shutdown_request(request)

    def close_open_connections(self) -> None:
        """End kept-alive connections, so that no request is answered after stop()."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            # The handler thread may have closed it meanwhile.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer is routine here; tracebacks would only clutter test output.
        if self.state.verbose:
            super().handle_error(request, client_address)


class _SandboxHTTPServerV6(_SandboxHTTPServer):
    address_family = socket.AF_INET6


class Sandbox:
    """A local stand-in for the Kombo API, speaking real HTTP on loopback.

    The socket is bound when the object is made (so :attr:`base_url` is known at once);
    :meth:`start` serves it on a daemon thread. A stopped sandbox cannot be started again.
    ``extra_candidates`` (in the API's candidate shape, as :attr:`candidates` gives them,
    each with an ID of its own) are served after the seeded ones: a page of candidates
    with dozens of applications each, say, which the seed does not hold.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: int = 0,
        rate_limit_per_second: float | None = None,
        *,
        verbose: bool = False,
        extra_candidates: Sequence[dict[str, Any]] = (),
    ) -> None:
        self._state = SandboxState(latency_ms, rate_limit_per_second, verbose, extra_candidates)
        server_class = _SandboxHTTPServerV6 if ":" in host else _SandboxHTTPServer
        self._httpd = server_class((host, port), self._state)
        self._host = host
        self._state.log_url_prefix = f"{self.base_url}/logs/"
        self._lifecycle = threading.Lock()
        self._thread: threading.Thread | None = None
        self._serving = False
        self._stopped = False

    @property
    def port(self) -> int:
        """The TCP port actually bound (useful with ``port=0``)."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT/v1``, the value to configure as the API base URL."""
        host = self._dialable_host()
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/v1"

    def _dialable_host(self) -> str:
        host = self._host
        if host in ("", "0.0.0.0"):  # noqa: S104 -- only mapping a wildcard to a dialable host
            return "127.0.0.1"
        if host == "::":
            return "::1"
        return host

    def start(self) -> Sandbox:
        """Serve on a daemon thread; returns ``self``. Calling it again does nothing."""
        with self._lifecycle:
            if self._stopped:
                raise RuntimeError("a stopped Sandbox cannot be started again")
            if self._serving:
                return self
            self._serving = True
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": _IDLE_WAIT_SECONDS},
                name=f"kombo-sandbox-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until :meth:`stop` (from another thread) or an exception.

        The sandbox is stopped when this returns or raises (e.g. ``KeyboardInterrupt``).
        """
        with self._lifecycle:
            if self._stopped:
                raise RuntimeError("a stopped Sandbox cannot be started again")
            if self._serving:
                raise RuntimeError("the Sandbox is already serving")
            self._serving = True
        try:
            self._httpd.serve_forever(poll_interval=_IDLE_WAIT_SECONDS)
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving, close the socket and every open connection. Safe to call twice."""
        with self._lifecycle:
            if self._stopped:
                return
            self._stopped = True
            serving = self._serving
        self._state.stopping.set()
        if serving:
            self._shut_down()
        self._httpd.server_close()
        self._httpd.close_open_connections()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(_JOIN_TIMEOUT_SECONDS)

    def _shut_down(self) -> None:
        """End ``serve_forever``, which waits for a connection for up to an hour: asked to
        stop, it looks at the request only once woken, so connections are made to it
        until it has ended."""
        stopper = threading.Thread(
            target=self._httpd.shutdown, name=f"kombo-sandbox-stop-{self.port}", daemon=True
        )
        stopper.start()
        # Bounded, as joining the serving thread is: a server that cannot be reached (a
        # firewall on loopback) is closed under it instead of holding the stop for ever.
        give_up = time.monotonic() + _JOIN_TIMEOUT_SECONDS
        while stopper.is_alive() and time.monotonic() < give_up:
            with contextlib.suppress(OSError):
                socket.create_connection((self._dialable_host(), self.port), timeout=1).close()
            stopper.join(_POKE_EVERY_SECONDS)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def latency_ms(self) -> int:
        """The delay added to every answer, in milliseconds."""
        return round(self._state.latency_seconds * 1000)

    def set_latency(self, ms: int) -> None:
        """Delay every answer by ``ms`` milliseconds (requests still run concurrently)."""
        self._state.set_latency(ms)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 past ``per_second`` requests per second; ``None`` lifts the limit."""
        self._state.set_rate_limit(per_second)

    def inject_fault(
        self,
        fault: Fault,
        *,
        candidate_id: str | None = None,
        path_contains: str | None = None,
        times: int | None = None,
    ) -> None:
        """Make matching requests fail with ``fault``.

        ``candidate_id`` matches result-link posts to that candidate or application id (either
        endpoint, compared after percent-decoding); ``path_contains`` matches any request whose
        decoded path contains the text; both given, both must match; neither, every request.
        ``times`` limits how many requests the fault hits (``None``: until cleared). When
        several faults match, the one injected first wins.
        """
        self._state.faults.add(
            fault, target_id=candidate_id, path_contains=path_contains, times=times
        )

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._state.faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        return self._state.requests()

    @property
    def peak_concurrent_requests(self) -> int:
        """The most requests answered at once since start or ``clear_requests``.

        Above 1 proves that requests overlapped, without timing anything.
        """
        return self._state.peak_in_flight

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        self._state.clear_requests()

    def result_links(self, target_id: str) -> list[dict[str, Any]]:
        """The bodies accepted for that candidate or application id, oldest first."""
        return self._state.links(target_id)

    @property
    def candidates(self) -> list[dict[str, Any]]:
        """The seeded candidates in the API's candidate shape (a deep copy)."""
        return copy.deepcopy(self._state.candidates)
