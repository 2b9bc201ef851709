"""``kombo-desktop send``: add one result link from a script or a terminal.

Exit codes: 0 success (warnings included), 1 Kombo answered with an error,
2 invalid input (nothing was sent), 3 network failure, unexpected answer or a fault of the
app's own, 130 stopped with Ctrl+C, 143 stopped by SIGTERM (both say whether the link may
have been added).
The key comes from ``KOMBO_API_KEY`` or a saved profile, never from an argument,
because other users can read a process's arguments.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from kombo_desktop.cli.field_problems import print_field_problems
from kombo_desktop.cli.main import EXIT_INTERRUPTED, print_json_object, region_name
from kombo_desktop.core.attribute_rows import (
    DUPLICATE_ATTRIBUTE_NAME,
    DUPLICATE_KEY,
    KEY_IS_EMPTY,
)
from kombo_desktop.core.connection import (
    API_KEY_VARIABLE,
    DEFAULT_TOTAL_TIMEOUT_S,
    FIELD_NAMES,
    Connection,
    Region,
)
from kombo_desktop.core.errors import (
    FaultAfterSending,
    FieldError,
    InputError,
    KomboApiError,
    KomboDesktopError,
    NetworkError,
    RateLimitedError,
    UnexpectedResponseError,
)
from kombo_desktop.core.form_state import FormState, attribute_row_of, field_group, in_screen_order
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.logs import redact, set_up_log_file
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.core.secrets import SecretStoreError
from kombo_desktop.core.sentences import said_of_part

if TYPE_CHECKING:
    # The client, the models and the messages (httpx, pydantic) load when ``send`` runs,
    # not whenever the command line is parsed.
    from kombo_desktop.core.client import ApiOutcome
    from kombo_desktop.core.messages import UserMessage
    from kombo_desktop.core.models import ResultLinkRequest, Target

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_KOMBO_ERROR = 1
EXIT_INVALID_INPUT = 2
EXIT_NETWORK = 3
#: A send that failed once it had gone out (a timeout, a connection dropped, a server fault
#: on the way, an answer not understood): the link may already be in the ATS, and sending
#: it again may add it twice. A code of its own, so that a script's loop tells it from a
#: refusal that added nothing without reading ``--json``.
EXIT_MAY_HAVE_BEEN_ADDED = 4

#: The exit code of ``send`` stopped by SIGTERM (``timeout``, ``kill``, a CI job cancelled):
#: what a shell reports for a command that SIGTERM stopped (128 + 15), told apart from
#: Ctrl+C's ``EXIT_INTERRUPTED``.
EXIT_TERMINATED = 143

_EPILOG = (
    f"exit codes: {EXIT_OK} the link was added (warnings included), {EXIT_KOMBO_ERROR} Kombo "
    f"answered with an error (nothing was added), {EXIT_INVALID_INPUT} invalid input, an "
    "unknown profile or a keyring that could not be used (nothing was sent), "
    f"{EXIT_NETWORK} no answer or an unexpected one (network failure) or a fault of the "
    f"app's own, nothing added, {EXIT_MAY_HAVE_BEEN_ADDED} the link may already have been "
    "added (a timeout, a connection dropped, a fault on the way or of the app's own after it "
    f"went out): check the ATS before sending again, {EXIT_INTERRUPTED} stopped with Ctrl+C "
    "(it says whether the link may have been added), "
    f"{EXIT_TERMINATED} stopped by SIGTERM (kill, a cancelled CI job), which says the same"
)


def register(commands: Any) -> None:
    """Add the ``send`` sub-command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "send",
        help="add a result link to a candidate or an application",
        description="Add a result link through Kombo. The API key is read from the "
        f"{API_KEY_VARIABLE} environment variable or from a saved profile.",
        epilog=_EPILOG,
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--candidate", metavar="ID", help="Kombo candidate ID")
    target.add_argument("--application", metavar="ID", help="Kombo application ID")
    parser.add_argument("--label", required=True, help="display name of the link")
    parser.add_argument("--url", required=True, help="the result URL")
    parser.add_argument(
        "--prefix",
        default="",
        help="what Kombo puts before each attribute's name in the ATS, e.g. 'Acme:' "
        "(needed with --attr, and sent only with it)",
    )
    parser.add_argument(
        "--attr",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an attribute such as 'Score=100%%' (repeatable)",
    )
    parser.add_argument(
        "--remote-fields",
        metavar="JSON",
        help="ATS-specific fields (Kombo's remote_fields) as a JSON object",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        type=region_name,
        choices=[r.value for r in Region],
        help="Kombo region, in any case",
    )
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="custom API base URL, including the API version path, e.g. https://api.example.com/v1",
    )
    parser.add_argument("--integration-id", metavar="ID", help="the customer's integration ID")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        help="use a saved profile's key, region or base URL and integration ID; --region, "
        "--base-url and --integration-id, when given, override the profile's values",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        default=DEFAULT_TOTAL_TIMEOUT_S,
        help="seconds to wait for Kombo's whole answer (default: %(default)g, as the window)",
    )
    parser.set_defaults(handler=run)


def _seconds(text: str) -> float:
    """``--timeout``: a number of seconds, for ``type=`` of an argument. One that is not
    above 0 is refused with the other problems of the input (``build_request``)."""
    try:
        return float(text)
    except ValueError:
        # argparse puts "argument --timeout:" before it, naming the option; its own words
        # ("invalid float value") are a programmer's.
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a number of seconds: give a number above 0, e.g. 60"
        ) from None


def _parse_attributes(raw: list[str]) -> list[tuple[str, str]]:
    """``--attr`` values as (key, value) rows: split at the first ``=``, each side
    trimmed as the window trims a pasted row (``Score = 100%`` sends ``100%``)."""
    attributes = []
    for index, item in enumerate(raw):
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(
                [FieldError(f"attributes[{index}]", f"“{item}” must be written KEY=VALUE")]
            )
        attributes.append((key.strip(), value.strip()))
    return attributes


#: What ``send`` says of ``--remote-fields`` given empty.
REMOTE_FIELDS_GIVEN_EMPTY = "is empty: give a JSON object, or leave the option out"

#: What ``send`` says of an ``--attr`` with nothing before its ``=`` (``=100%``).
ATTRIBUTE_NAME_IS_EMPTY = "Attribute name is empty (the part before “=”)"

#: How the window's attribute table starts the problem of a key used twice, before the key
#: in quotes or, for one holding an API key, the words that stand for it
#: (``core.attribute_rows.find_problems``: ``Duplicate key “Score”``, ``Duplicate key (an
#: API key)``).
_DUPLICATE_KEY_SAID = f"{DUPLICATE_KEY} "


#: What ``send`` calls each part of an ``--attr``, by the end of the field names of the
#: parts: never "key", beside an API key. In small letters: after "--attr #1: " the line
#: goes on as the options' other problems do.
_ATTRIBUTE_PARTS = {".key": "the attribute name", ".value": "the value"}


def _in_attribute_words(error: FieldError) -> FieldError:
    """``error``, or for an ``--attr`` at fault, that problem in the words of ``--attr``:
    ``ATTRIBUTE_NAME_IS_EMPTY`` for nothing before its ``=``, ``Duplicate attribute name
    “score” …`` for a name given twice (``Duplicate attribute name (an API key)`` for one
    holding an API key, never named), and a problem said of its name or its value naming
    which: ``the attribute name must not contain an API key (…)``, ``the value must …``.

    The window's attribute table has a "Key" column, and its words say "Key is empty" and
    "Duplicate key": on the command line, beside an API key, that reads as the API key.
    """
    if attribute_row_of(error.field) is None:
        return error
    if error.message == KEY_IS_EMPTY:
        return replace(error, message=ATTRIBUTE_NAME_IS_EMPTY)
    if error.message.startswith(_DUPLICATE_KEY_SAID):
        named = error.message.removeprefix(DUPLICATE_KEY)
        return replace(error, message=DUPLICATE_ATTRIBUTE_NAME + named)
    said = said_of_part(error, _ATTRIBUTE_PARTS)
    return error if said is None else replace(error, message=said)


def resolve_connection(args: argparse.Namespace, err: TextIO | None = None) -> Connection:
    """The connection from a profile or from flags plus ``KOMBO_API_KEY``.

    What reading the profiles file found wrong (a damaged file moved aside) is said on
    ``err`` (standard error by default), away from ``--json``'s one object: this read is
    the only one that can tell, as the file is repaired after it.
    """
    if args.profile:
        from kombo_desktop.cli.profiles_command import print_load_warning, with_the_edit_command
        from kombo_desktop.core.profiles import connection_for_profile_name

        return connection_for_profile_name(
            args.profile,
            region=args.region,
            base_url=args.base_url,
            integration_id=args.integration_id,
            integration_id_remedy=with_the_edit_command,
            tell_load_problem=lambda problem: print_load_warning(problem, err or sys.stderr),
        )
    errors: list[FieldError] = []
    if args.region is None and args.base_url is None:
        errors.append(FieldError("region", "give --region eu|us, or --base-url URL"))
    connection: Connection | None = None
    try:
        # The key, the integration id and a base URL are checked by the core alone.
        connection = Connection.create(
            api_key=os.environ.get(API_KEY_VARIABLE, ""),
            integration_id=args.integration_id or "",
            region=Region.parse(args.region) if args.region else None,
            base_url=args.base_url,
        )
    except InputError as exc:
        errors.extend(_with_key_source(error) for error in exc.errors)
    if errors or connection is None:
        raise InputError(errors)
    return connection


def _with_key_source(error: FieldError) -> FieldError:
    """``error``, or for a missing key, where a key comes from on the command line."""
    if error.field != "api_key" or not error.missing:
        return error
    return FieldError(
        "api_key",
        f"set the {API_KEY_VARIABLE} environment variable to the key, or use --profile NAME",
        missing=True,
    )


def build_request(
    args: argparse.Namespace, *, held_keys: tuple[str, ...] = ()
) -> tuple[Target, ResultLinkRequest]:
    """The target and body from the arguments, by the form's rules; all errors at once.

    ``held_keys`` (the key the command sends with) are refused in every value, as the
    window refuses its own: whatever their shape, they must not reach the ATS."""
    errors: list[FieldError] = []
    attributes: list[tuple[str, str]] = []
    try:
        attributes = _parse_attributes(args.attr)
    except InputError as exc:
        errors.extend(exc.errors)
    on_application = args.candidate is None
    state = FormState(
        target_kind=TargetKind.APPLICATION if on_application else TargetKind.CANDIDATE,
        target_id=args.application if on_application else args.candidate,
        label=args.label,
        url=args.url,
        prefix=args.prefix,
        attributes=tuple(attributes),
        remote_fields=RemoteFieldsInput(raw_json=args.remote_fields or ""),
    )
    try:
        target, request = state.to_request(held_keys=held_keys)
    except InputError as exc:
        errors.extend(_in_attribute_words(error) for error in exc.errors)
    if args.remote_fields is not None and not args.remote_fields.strip():
        # A script's unset variable (--remote-fields "$RF"): sent without them, an iCIMS
        # package or a Greenhouse user would be left out without a word.
        errors.append(FieldError("remote_fields", REMOTE_FIELDS_GIVEN_EMPTY))
    if not math.isfinite(args.timeout) or args.timeout <= 0:
        # NaN, infinity and nothing at all are no way to wait; say so before sending.
        errors.append(FieldError("timeout", "must be a number of seconds above 0"))
    if errors:
        raise InputError(in_screen_order(errors))
    return target, request


class _StopSignal:
    """Whether SIGTERM stopped ``send``: it stops it as Ctrl+C does, with the same words,
    and ``EXIT_TERMINATED``."""

    def __init__(self) -> None:
        self.by_sigterm = False

    def on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM as Ctrl+C where no request runs: noted, and raised as it."""
        self.by_sigterm = True
        raise KeyboardInterrupt


@contextmanager
def _sigterm_stops_like_ctrl_c(stop: _StopSignal) -> Iterator[None]:
    """Within: SIGTERM stops the command as Ctrl+C does (``stop`` notes it), rather than
    ending Python at once.

    ``timeout 30 kombo-desktop send …``, ``kill`` and a CI job cancelled send SIGTERM: ended
    at once, the command would print nothing, not even ``--json``'s object, and nobody
    could tell whether the link was added.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    if not in_main_thread or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        # Only the main thread gets signals; a handler someone else put there stays theirs.
        yield
        return
    previous = signal.signal(signal.SIGTERM, stop.on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Send one result link and report; returns the exit code."""
    stop = _StopSignal()
    with _sigterm_stops_like_ctrl_c(stop):
        code = _send(args, out, err, stop)
    return EXIT_TERMINATED if stop.by_sigterm and code == EXIT_INTERRUPTED else code


def _send(
    args: argparse.Namespace, out: TextIO | None, err: TextIO | None, stop: _StopSignal
) -> int:
    """``run``'s work: ``stop`` notes a SIGTERM that stopped it."""
    import asyncio

    from kombo_desktop.core.client import SyncKomboClient, Timeouts
    from kombo_desktop.core.messages import describe_rate_limit_wait

    out = out or sys.stdout
    err = err or sys.stderr
    # Said once on stderr when it cannot be: stdout still gets the answer, --json's too.
    set_up_log_file(err=err)
    try:
        # The key in the environment is refused in the values with every other problem; a
        # profile's is read from the keyring only once they are otherwise right.
        in_environment = () if args.profile else (os.environ.get(API_KEY_VARIABLE, ""),)
        target, request = build_request(args, held_keys=in_environment)
        connection = resolve_connection(args, err)
        if args.profile:
            target, request = build_request(args, held_keys=(connection.api_key,))
    except InputError as exc:
        if args.json:
            return report_error(exc, True, out, err, option_of=lambda field: _flag_of(field, args))
        return _report_input_error(exc, args, err)
    except KomboDesktopError as exc:
        return report_error(exc, args.json, out, err)
    except KeyboardInterrupt as exc:
        # Ctrl+C before the request was made (the keyring may wait long for an unlock
        # that nobody answers): Ctrl+C's documented exit code, and nothing was sent.
        from kombo_desktop.core.messages import describe_stopped_before_sending

        stopped = describe_stopped_before_sending()
        return report_error(exc, args.json, out, err, message=stopped)
    if (args.prefix or "").strip() and request.details is None:
        # Kombo takes a prefix only with attributes: say it was left out, not just drop it.
        print("Note: --prefix is sent only with --attr; it was left out.", file=err)

    def on_rate_limit(error: RateLimitedError, delay: float, attempt: int) -> None:
        if not args.json:
            print(describe_rate_limit_wait(delay, attempt), file=err)

    # "How long to wait" is for the whole answer, not for each piece of it.
    seconds = args.timeout
    timeouts = Timeouts(connect=min(10.0, seconds), read=seconds, total=seconds)
    try:
        with (
            SyncKomboClient(connection, timeouts=timeouts) as client,
            _ctrl_c_cancels_request(stop),
        ):
            outcome = client.add_result_link(target, request, on_rate_limit=on_rate_limit)
    except KomboDesktopError as exc:
        return report_error(exc, args.json, out, err, target=target)
    except asyncio.CancelledError as exc:
        # Ctrl+C cancelled the request: the client's own cancellation says what is known,
        # in the same words as a cancel in the window (nothing added during a rate-limit
        # wait or while still connecting, ``errors.cancelled_with_nothing_sent``; once
        # the request is out, it may have been).
        return report_error(exc, args.json, out, err, target=target)
    except KeyboardInterrupt:
        # Interrupted where the request could not be cancelled (a second Ctrl+C, or while
        # the client starts or closes): whether it was added is not known.
        return report_error(asyncio.CancelledError(), args.json, out, err, target=target)
    except Exception as exc:  # a fault of the app's own: said as one, never a traceback
        # A traceback would end the command with 1, "Kombo answered with an error", and
        # without --json's object.
        from kombo_desktop.core.crash_report import format_redacted

        log.error(
            "Unexpected error while sending:\n%s",
            format_redacted(type(exc), exc, exc.__traceback__),
        )
        return report_error(exc, args.json, out, err, target=target)
    return _report_success(outcome, target, args.json, out)


@contextmanager
def _ctrl_c_cancels_request(stop: _StopSignal) -> Iterator[None]:
    """Within: Ctrl+C (and SIGTERM, when ``stop`` handles it) cancels the request running
    on the client's event loop, rather than stopping Python wherever it is.

    Python's own ``KeyboardInterrupt`` leaves the request where it was, so nothing could
    say what was done. Cancelled, the client says it: cancelled during its wait after a
    rate limit (``CANCELLED_WHILE_WAITING``: Kombo refused the last try and nothing went
    out since) or while its connection was still being made (``CANCELLED_WHILE_CONNECTING``:
    none of it went out), it raises a cancellation that says nothing was sent
    (``errors.cancelled_with_nothing_sent``); cancelled once the request is out, a plain
    cancellation (it may have been added). A second Ctrl+C, or one while no request runs,
    interrupts as ever. As ``asyncio.run`` does it, which the sync client's own loop does
    not.
    """
    import asyncio

    in_main_thread = threading.current_thread() is threading.main_thread()
    # Only the main thread gets signals; a handler someone else put there stays theirs. (A
    # job a script started with ``&`` ignores Ctrl+C, and is stopped with SIGTERM.)
    stopping = []
    if in_main_thread and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        stopping.append(signal.SIGINT)
    if in_main_thread and signal.getsignal(signal.SIGTERM) == stop.on_sigterm:
        stopping.append(signal.SIGTERM)
    if not stopping:
        yield
        return
    cancelled = False

    def cancel_request(signum: int, frame: FrameType | None) -> None:
        nonlocal cancelled
        if signum == signal.SIGTERM:
            stop.by_sigterm = True
        try:
            loop = asyncio.get_running_loop()  # the client's, when this interrupts it
        except RuntimeError:
            raise KeyboardInterrupt from None
        running = [task for task in asyncio.all_tasks(loop) if not task.done()]
        if cancelled or not running:
            raise KeyboardInterrupt
        cancelled = True
        for task in running:
            task.cancel()
        # The loop may be waiting for a long timer (the rate-limit wait): wake it.
        loop.call_soon_threadsafe(lambda: None)

    previous = {signum: signal.signal(signum, cancel_request) for signum in stopping}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def exit_code_for(error: BaseException) -> int:
    """The documented exit code for an error; a keyring problem means nothing was sent.
    A failure after which the link may already have been added is
    ``EXIT_MAY_HAVE_BEEN_ADDED``, whatever failed. Ctrl+C (the request cancelled, or stopped
    where it could not be) is ``EXIT_INTERRUPTED``, as for ``profiles``, whatever it left."""
    import asyncio

    if isinstance(error, KeyboardInterrupt | asyncio.CancelledError):
        return EXIT_INTERRUPTED
    if isinstance(error, InputError | SecretStoreError):
        return EXIT_INVALID_INPUT
    if (
        isinstance(
            error, KomboApiError | NetworkError | UnexpectedResponseError | FaultAfterSending
        )
        and error.may_have_been_applied
    ):
        return EXIT_MAY_HAVE_BEEN_ADDED
    if isinstance(error, KomboApiError):
        return EXIT_KOMBO_ERROR
    return EXIT_NETWORK


def _report_success(outcome: ApiOutcome, target: Target, as_json: bool, out: TextIO) -> int:
    from kombo_desktop.core.messages import describe_success, route_facts, warning_words

    # Named, as the window names it: a script's log of many sends tells each line's row.
    message = describe_success(outcome, target)
    if as_json:
        obj = _json_object(
            "success", message, warnings=list(outcome.warnings), target=_target_object(target)
        )
        print_json_object(obj, out)
        return EXIT_OK
    for warning in outcome.warnings:
        # Kombo's words, or a proxy's: no escape sequence of theirs reaches the terminal. A
        # warning without words is still one, said as such (an empty "Warning: " line
        # would read as something lost).
        print(f"Warning: {warning_words(warning)}", file=out)
    print(message.text, file=out)
    # The way it went, as an error's detail says it: whoever reads a pasted success must
    # know whether a proxy was in between. (Nothing when it went direct.)
    for fact in route_facts(outcome.request):
        print(fact, file=out)
    return EXIT_OK


def report_error(
    error: BaseException,
    as_json: bool,
    out: TextIO,
    err: TextIO,
    *,
    message: UserMessage | None = None,
    option_of: Callable[[str], str] | None = None,
    target: Target | None = None,
) -> int:
    """Print ``error`` in plain words or as one JSON object; returns the exit code.

    ``error`` is what stopped the command: one of the app's errors, or the cancellation
    of the request. ``message`` is how it is worded, by default ``describe_error``'s
    words for a request that was to be sent, as the command line says them.
    ``option_of(field)``: what the plain output calls the option each problem of an
    ``InputError`` is about (``--candidate``, ``--attr #1``), for the JSON object's
    ``option``; ``None`` there without it (a mistake in the arguments, which names its
    option in its message). ``target``, the candidate or application the link was for once
    the request was made, is the JSON object's ``target``.
    """
    from kombo_desktop.core.messages import ShownIn, describe_error

    if isinstance(error, InputError):
        # Found before anything went out (a base URL the request cannot be written with):
        # the command's input is at fault, not the row, and ``target`` stays ``null``.
        target = None
    # Named, as a success is: in a log of many sends, each line tells its row.
    message = message or describe_error(error, target, shown_in=ShownIn.COMMAND_LINE)
    code = exit_code_for(error)
    if as_json:
        extra: dict[str, Any] = {}
        if isinstance(error, KomboApiError):
            extra = {"title": error.title, "message": error.message}
        if isinstance(error, RateLimitedError):
            # Nothing was added and the command gave up: a script must know to wait, and
            # how long Kombo asked (``None`` when it named no wait).
            extra.update(rate_limited=True, retry_after_seconds=_whole_seconds(error))
        if isinstance(error, InputError):
            # A message may quote what was typed, and a key may have been typed anywhere.
            # ``field`` stays as it was for the scripts that read it; ``option`` is what
            # a person types.
            extra = {
                "errors": [
                    {
                        "field": e.field,
                        "option": option_of(e.field) if option_of else None,
                        "message": redact(e.message),
                    }
                    for e in error.errors
                ]
            }
        if target is not None:
            extra["target"] = _target_object(target)
        print_json_object(_json_object("error", message, **extra), out)
        return code
    print(message.text, file=err)
    if message.detail:
        print(message.detail, file=err)
    return code


#: The option each field comes from, so that a problem names what to change.
_FIELD_FLAGS = {
    "label": "--label",
    "url": "--url",
    "custom_field_name_prefix": "--prefix",
    "remote_fields": "--remote-fields",
    "region": "Region",
    "base_url": "--base-url",
    "integration_id": "--integration-id",
    "api_key": "API key",
    "profile": "--profile",
    "timeout": "--timeout",
}


def _flag_of(field: str, args: argparse.Namespace) -> str:
    """``attributes[1].key`` → ``--attr #2``; ``url`` → ``--url``; a setting that came from
    a profile → ``--profile “Acme”``."""
    row = attribute_row_of(field)
    if row is not None and row < len(args.attr):
        return f"--attr #{row + 1}"
    group = field_group(field)
    if group == "target_id":
        return "--candidate" if args.candidate is not None else "--application"
    # A connection setting not given as an option (the key never is) came from the
    # profile: name the profile and which of its settings.
    if args.profile and group in FIELD_NAMES and getattr(args, group, None) is None:
        return f"--profile “{args.profile}” ({FIELD_NAMES[group]})"
    return _FIELD_FLAGS.get(group, field)


def _report_input_error(error: InputError, args: argparse.Namespace, err: TextIO) -> int:
    """Each problem on a line of its own, named by the option to change."""
    from kombo_desktop.core.messages import ShownIn, describe_error

    print(describe_error(error, shown_in=ShownIn.COMMAND_LINE).text, file=err)
    print_field_problems(error, lambda field: _flag_of(field, args), err)
    return EXIT_INVALID_INPUT


def _whole_seconds(error: RateLimitedError) -> int | None:
    """The wait Kombo asked for in whole seconds, rounded up: a script's ``sleep`` and
    shell arithmetic take it as it is, and never try again too early."""
    wait = error.retry_after_s
    # Finite and at most a day: the client bounds what it reads from ``Retry-After``.
    return None if wait is None else math.ceil(wait)


def _json_object(status: str, summary: UserMessage, **extra: Any) -> dict[str, Any]:
    """The ``--json`` object: every key in every object, ``None`` or false where it does
    not apply, so that a script reads one shape; ``extra`` fills in what does."""
    obj: dict[str, Any] = {
        "status": status,
        "summary": summary.text,
        "warnings": [],
        "code": summary.code,
        "title": None,
        "message": None,
        "log_url": summary.log_url,
        "http_status": summary.status_code,
        "may_have_been_applied": summary.may_have_been_applied,
        "rate_limited": False,
        "retry_after_seconds": None,
        "target": None,
    }
    obj.update(extra)
    return obj


def _target_object(target: Target) -> dict[str, str]:
    """``target`` in ``--json``'s object: ``{"kind": "candidate", "id": …}``."""
    return {"kind": target.kind.value, "id": target.id}
