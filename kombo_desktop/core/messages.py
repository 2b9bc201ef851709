"""The one place that turns Kombo's answers and the app's errors into words for people.

The GUI and the command line call ``describe_error`` and ``describe_success`` for
requests (the command line says where, ``ShownIn``: it has no form to correct),
``describe_connection_check`` for a connection test whose key Kombo accepted, and
``describe_failure`` for work on this computer (the keyring, a file, the profile
store); none of them writes its own wording. A field's problem told away from the field
itself is worded by ``sentences.field_problem_sentence``, and any text that must stand as
a sentence goes through ``sentences.as_sentence``. The Find… dialog's words about how
Kombo matches a search are here too (``SEARCH_MATCHES_EXACTLY``, ``no_candidates_match``,
``NONE_ON_THIS_PAGE``), and those on a name typed as an email or a connection that changed
while it was open; a refused search is worded for a search by ``describe_error``.
Every request's outcome names the proxy it went through, if any (``route_facts``).
"""

from __future__ import annotations

import enum
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from kombo_desktop.core.connection import BaseUrlUnusable, Environment, is_loopback_host
from kombo_desktop.core.error_codes import INTEGRATION_NOT_USABLE_NOW, READ_OF_CANDIDATES_REFUSED
from kombo_desktop.core.errors import (
    CANCELLED_BEFORE_SENDING,
    CANCELLED_WHILE_CONNECTING,
    CANCELLED_WHILE_WAITING,
    MAX_RETRY_AFTER_S,
    FaultAfterSending,
    InputError,
    KomboApiError,
    KomboDesktopError,
    NetworkError,
    NetworkErrorKind,
    RateLimitedError,
    RequestInfo,
    RequestPurpose,
    UnexpectedResponseError,
    is_redirect,
)
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.logs import redact
from kombo_desktop.core.secrets import SecretStoreError
from kombo_desktop.core.sentences import (
    NOTHING_SENT,
    as_sentence,
    counted,
    field_problem_sentence,
)
from kombo_desktop.core.text import (
    on_one_line,
    without_control_characters,
    without_direction_controls,
)

if TYPE_CHECKING:
    # Types only: the GUI words a failure on this computer (the keyring, a file) before
    # the network code has loaded, and must not load it to do so.
    from kombo_desktop.core.client import ApiOutcome, ConnectionCheckOutcome
    from kombo_desktop.core.models import Target

#: What a text says of a wait (``_say_wait``): its words, or a whole fact.
_Said = TypeVar("_Said")


def quoted_words(text: str) -> str:
    """``text`` that may quote words from elsewhere (Kombo's message, title and warnings,
    a custom base URL's or a proxy's answer, a keyring backend), safe to show and print:
    any key masked, no control character but line breaks and tabs, and no directional
    formatting character that reaches past the words quoted (``without_direction_controls``).

    Such words reach a terminal as they are: an escape sequence in them would retitle the
    window, clear the screen or write to the clipboard. Shown beside the app's own words,
    a right-to-left override left open in them would turn those around ("rorrE").
    """
    return without_control_characters(without_direction_controls(redact(text)))


def one_line_words(text: str) -> str:
    """Words from elsewhere (a candidate's name, a job, an address Kombo sent) shown on
    one line among the app's own, as ``quoted_words`` makes them safe: a line break in
    them shows as a mark (``text.LINE_BREAK_MARK``), so that no line they start reads as
    the app's ("Candidate ID: …" under a name)."""
    return quoted_words(on_one_line(text))


#: At most this many characters of one of Kombo's messages, titles or codes are shown:
#: a word of thousands of characters takes the GUI thread a noticeable time to lay out
#: (its cost grows faster than its length), at every resize, and nobody reads it there.
#: The raw answer keeps it whole.
KOMBO_WORDS_SHOWN = 2000
#: At most this many characters of each of Kombo's warnings are shown (there may be many).
WARNING_WORDS_SHOWN = 1000
#: At most this many of Kombo's warnings are listed; their count says how many came.
WARNINGS_LISTED = 100
#: At most this many characters of warnings are listed in all: a hundred warnings of a
#: thousand characters each would hold the window still for a second as they are laid
#: out. The first warning is listed whatever its length (``WARNING_WORDS_SHOWN``).
WARNINGS_SHOWN_CHARACTERS = 10_000
#: Where all of an answer can be read when only its start is shown (the response panel).
RESPONSE_BODY = "the response body"


def shown_start(
    text: str, *, whole_in: str | None = RESPONSE_BODY, limit: int = KOMBO_WORDS_SHOWN
) -> str:
    """``text`` from Kombo as it is shown: whole up to ``limit`` characters, else its
    start, then how many characters are left out and where they are (``whole_in``;
    ``None``: nowhere in sight)."""
    left_out = len(text) - limit
    if left_out <= 0:
        return text
    where = f": see {whole_in}" if whole_in else " not shown"
    return f"{text[:limit]}… ({left_out:,} more characters{where})"


def listed_warnings(
    warnings: Sequence[str], *, whole_in: str | None = RESPONSE_BODY, came: int | None = None
) -> tuple[str, ...]:
    """Kombo's ``warnings`` as they are listed and read out (each already in its
    ``warning_words``): the first of them (up to ``WARNINGS_LISTED``, and
    ``WARNINGS_SHOWN_CHARACTERS`` in all), each from its start when long (``shown_start``),
    then how many more came and where they are (``whole_in``; ``None``: nowhere in
    sight). ``came`` is how many came, when ``warnings`` holds only the first of them."""
    listed: list[str] = []
    room = WARNINGS_SHOWN_CHARACTERS
    for warning in warnings[:WARNINGS_LISTED]:
        shown = shown_start(warning, whole_in=whole_in, limit=WARNING_WORDS_SHOWN)
        if listed and len(shown) > room:
            break
        listed.append(shown)
        room -= len(shown)
    more = (len(warnings) if came is None else came) - len(listed)
    if more <= 0:
        return tuple(listed)
    where = f": see {whole_in}" if whole_in else " not listed"
    return (*listed, f"… and {more:,} more {'warning' if more == 1 else 'warnings'}{where}")


#: In place of a warning Kombo sent without words: it is still counted, and shown.
WARNING_WITHOUT_WORDS = "Kombo sent this warning without a message."


def warning_words(warning: str) -> str:
    """One of Kombo's warnings as it is shown and read out: ``quoted_words``, or
    ``WARNING_WITHOUT_WORDS`` when it has none (an empty list item, or a summary that
    counts three warnings and reads two, would look like something lost)."""
    return quoted_words(warning) if warning.strip() else WARNING_WITHOUT_WORDS


def warnings_heading(count: int) -> str:
    """The heading over Kombo's warnings wherever they are listed ("2 warnings from
    Kombo"): the panel of a send and Find…'s results say them alike."""
    return f"{counted(count, 'warning')} from Kombo"


class Severity(enum.Enum):
    """How the outcome should look."""

    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


class Remedy(enum.Enum):
    """What the person can do next; the GUI picks actions from this."""

    NONE = "none"
    FIX_INPUT = "fix the form"
    FIX_PROFILE = "check the profile (key, IP allow-list, integration)"
    FIX_INTEGRATION = "the integration must be changed in Kombo or the ATS"
    WAIT = "wait and try again later"
    RETRY = "try again"
    RETRY_MAY_DUPLICATE = "try again, accepting that a duplicate link may result"


@dataclass(frozen=True)
class Fact:
    """One short labelled fact about an answer, e.g. ``HTTP status: 404``.

    ``link`` marks a value that is a web address to open (Kombo's log of the request).
    """

    label: str
    value: str
    link: bool = False

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"


@dataclass(frozen=True)
class UserMessage:
    """A short plain-language ``text``, the technical ``detail`` and what to do next.

    The detail comes in two parts, so that a view can show the ``facts`` at a glance
    and the ``notes`` one click away without saying anything twice; ``detail`` joins
    them for views that show it all in one place (the command line, a copied report).
    """

    severity: Severity
    text: str
    notes: str = ""
    remedy: Remedy = Remedy.NONE
    log_url: str | None = None
    may_have_been_applied: bool = False
    code: str | None = None
    status_code: int | None = None
    facts: tuple[Fact, ...] = ()

    def __post_init__(self) -> None:
        # Each part may quote text from elsewhere (Kombo's own message and title, httpx
        # and keyring backends) and is shown and copied as it is: made safe to show here,
        # where every message is made.
        object.__setattr__(self, "text", quoted_words(self.text))
        object.__setattr__(self, "notes", quoted_words(self.notes))
        if self.code is not None:
            # Kombo's too: read out after the words ("Code: …"), printed by the CLI.
            object.__setattr__(self, "code", quoted_words(self.code))
        masked = tuple(replace(f, value=quoted_words(f.value)) for f in self.facts)
        object.__setattr__(self, "facts", masked)

    @property
    def detail(self) -> str:
        """The whole technical detail: the facts, one per line, then the notes."""
        return _join(*(str(fact) for fact in self.facts), self.notes)

    @property
    def retry_warning(self) -> str | None:
        """What a person must know before retrying, when a duplicate is possible."""
        if not self.may_have_been_applied:
            return None
        # Only what may follow: this stands under the outcome, whose text already says
        # that the link may have been added, and to whom.
        return DUPLICATE_RISK


#: Why a send that may have added its link is not simply sent again.
DUPLICATE_RISK = "Sending it again can leave a duplicate link in the customer's ATS."


def may_be_added_warning(when: str = "", target: Target | None = None) -> str:
    """The warning before sending again what Kombo may already have added; ``when``
    (" when it was sent on 28 Nov at 14:32") says which send, if not the last one, and
    ``target``, when given, whose link it is (``target_words``), as every answer names it.
    """
    return quoted_words(
        f"Kombo may already have added this result link{_to_target(target)}{when}. {DUPLICATE_RISK}"
    )


class ShownIn(enum.Enum):
    """Where a message is shown: what to do next is said in that place's own words (the
    command line has no form to correct)."""

    WINDOW = "window"
    COMMAND_LINE = "command line"


@dataclass(frozen=True)
class _PlaceWords:
    """The words of a message that differ with where it is shown (``ShownIn``)."""

    #: What to do about a refusal of what was sent.
    correct: str
    #: Said after a fault of the app's own: what the person typed is still there.
    unchanged: str
    #: Said of input refused before sending, above the problems that are then named one
    #: by one (at their fields in the window, by their options on the command line).
    input_refused: str
    #: What to shorten in a result link a server refused as too large, and how to send
    #: it again.
    shorten: str
    #: Where to correct a base URL that no request could be made of (``BaseUrlUnusable``).
    fix_base_url: str
    #: Whether Kombo's words (its message, title and code) are shown from their start
    #: only when long (``shown_start``): a window lays each out on the GUI thread; a
    #: terminal prints them whole, for the person or script reading it.
    shows_start_of_long_words: bool = True


#: What to do about a command that was refused, on the command line.
_CORRECT_THE_COMMAND = "Correct the command and run it again."
#: What to do about input the command line refused before sending. Not "correct the
#: command": the command may be right, and what to fix is elsewhere (a profile without a
#: key, a key variable set in quotes). Each problem named below it says its own remedy.
_CORRECT_WHAT_IS_NAMED = "Correct what is named below, then run the command again."

_PLACE_WORDS: dict[ShownIn, _PlaceWords] = {
    ShownIn.WINDOW: _PlaceWords(
        correct="Correct the form and send again.",
        unchanged=" The form is unchanged.",
        input_refused="Some fields need attention before sending.",
        shorten="Shorten the attributes or the remote fields, then send again.",
        # The form is right: the connection (its bar, or the profile) holds the address.
        fix_base_url="Correct the connection's base URL, then try again.",
    ),
    # A command is run again as it was typed, from the shell's history: nothing to reassure.
    # It has options, not fields, and a script reading it must know that nothing went out.
    ShownIn.COMMAND_LINE: _PlaceWords(
        correct=_CORRECT_THE_COMMAND,
        unchanged="",
        input_refused=f"{NOTHING_SENT} {_CORRECT_WHAT_IS_NAMED}",
        shorten="Shorten the values of --attr or --remote-fields, then run the command again.",
        fix_base_url="Correct --base-url (or the profile's base URL), then run the command again.",
        shows_start_of_long_words=False,
    ),
}


#: A key Kombo refused, with its code or without (a 401): said wherever the key came from,
#: a profile, the connection bar or KOMBO_API_KEY.
_KEY_NOT_ACCEPTED = (
    "Kombo did not accept the API key. Check that it is complete, still active, and meant "
    "for this region."
)

_CODE_TEXT: dict[str, tuple[str, Remedy]] = {
    # "{again}" says when to try again: in a moment, or after the wait Kombo named.
    "PLATFORM.RATE_LIMIT_EXCEEDED": (
        "Kombo is receiving too many requests from this account. {again}",
        Remedy.WAIT,
    ),
    "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED": (
        "Too many requests are running at once for this account. {again}",
        Remedy.WAIT,
    ),
    "REMOTE.RATE_LIMIT_EXCEEDED": (
        "The customer's ATS is limiting requests right now. {again}",
        Remedy.WAIT,
    ),
    "PLATFORM.AUTHENTICATION_INVALID": (_KEY_NOT_ACCEPTED, Remedy.FIX_PROFILE),
    "PLATFORM.IP_NOT_WHITELISTED": (
        "Kombo refused this computer's IP address. Ask for it to be added to the "
        "allowed IPs in the Kombo dashboard.",
        Remedy.FIX_PROFILE,
    ),
    "PLATFORM.INTEGRATION_NOT_FOUND": (
        "Kombo does not know this integration ID. Check the integration ID, and that the "
        "API key is from the same Kombo environment.",
        Remedy.FIX_PROFILE,
    ),
    # "{correct}" says how to correct what was sent, where the message is shown (``ShownIn``).
    "PLATFORM.INPUT_INVALID": (
        "Kombo rejected what was sent. {correct}",
        Remedy.FIX_INPUT,
    ),
    "REMOTE.INPUT_INVALID": (
        "The customer's ATS rejected what was sent. {correct}",
        Remedy.FIX_INPUT,
    ),
    # "{do}", "{doing}" and "{permission}" name what the failed request was for: the
    # same codes answer a search of candidates (see ``_ACTIONS``).
    "INTEGRATION.PERMISSION_MISSING": (
        "The customer's integration is not allowed to {do}. Its scope in Kombo needs "
        "{permission}; trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.ACTION_NOT_AVAILABLE": (
        "This ATS does not support {doing} through Kombo. Trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.ACTION_DISABLED": (
        "{Doing} is turned off for the customer's integration in Kombo. Trying again will "
        "not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.MODEL_NOT_AVAILABLE": (
        "This ATS does not offer the data needed for this request. Trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.MODEL_DISABLED": (
        "The data needed for this request is turned off for the customer's integration in "
        "Kombo. "
        "It must be turned on there; trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.INACTIVE": (
        "The customer's integration is inactive in Kombo. It must be reactivated first; "
        "trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.AUTHENTICATION_INVALID": (
        "Kombo can no longer sign in to the customer's ATS. The customer must reconnect "
        "the integration; trying again will not help.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.SETUP_INCOMPLETE": (
        "The customer's integration is not fully set up yet. Someone must finish the setup "
        "in Kombo.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.QA_FAILED": (
        "The customer's integration failed Kombo's quality check and needs attention "
        "from Kombo or the customer.",
        Remedy.FIX_INTEGRATION,
    ),
    "INTEGRATION.SETUP_SYNC_PENDING": (
        "The customer's integration is still running its first sync. Try again when it "
        "has finished; this can take hours.",
        Remedy.WAIT,
    ),
    "REMOTE.SERVICE_UNAVAILABLE": (
        "The customer's ATS is not answering right now.",
        Remedy.RETRY,
    ),
    "REMOTE.UNKNOWN_HTTP_ERROR": (
        "The customer's ATS answered with an unexpected error.",
        Remedy.RETRY,
    ),
    "PLATFORM.UNKNOWN_ERROR": (
        "Kombo ran into an unexpected error.",
        Remedy.RETRY,
    ),
    "PLATFORM.TASK_TIMED_OUT": (
        "Kombo took too long to finish the request.",
        Remedy.RETRY,
    ),
    "ATS.JOB_CLOSED": (
        # Sending the same again meets the same closed job: only the ATS or another
        # application changes that.
        "The ATS refused because the job is closed. Check in the ATS whether the job can "
        "be reopened, or send the result link to an application for an open job.",
        Remedy.FIX_INPUT,
    ),
    "ATS.APPLICATION_ALREADY_EXISTS": (
        "The ATS refused because this application already exists. Find it in the ATS and "
        "send the result link to it; trying again will not help.",
        Remedy.FIX_INPUT,
    ),
}

#: A rate limit's words where no known code has words of its own: a 429 without a code, or
#: under one this version does not know yet (the client takes both for rate limits).
_TOO_MANY_REQUESTS = "Too many requests. {again}"

#: A request the server stopped waiting for before all of it had arrived (HTTP 408),
#: whoever sent the answer (Kombo, or a proxy or load balancer on the way): it was never
#: acted on, so sending it again is safe. Words for any request: nothing names a send.
_STOPPED_WAITING = (
    "The server stopped waiting for the request before all of it had arrived, so nothing "
    "was added or changed. Try again; if it keeps happening, check the internet connection."
)

#: What a server refused as too large (HTTP 413), Kombo's or one on the way (a proxy's
#: limit answers with a page of its own): sending the same again cannot help, only a
#: shorter one. A send's words; a search's are ``_SEARCH_TOO_LARGE`` (``_too_large_words``).
#: "{shorten}" names what to shorten where the message is shown (``_PlaceWords.shorten``).
_TOO_LARGE = (
    "A server (Kombo's, or one on the way to Kombo) refused the result link as too large. {shorten}"
)

_STATUS_TEXT: list[tuple[range, str, Remedy]] = [
    # Without Kombo's code, the status alone says what to check; "{correct}" says how to
    # correct what was sent where the message is shown (``ShownIn``).
    (range(400, 401), "Kombo rejected the request as invalid. {correct}", Remedy.FIX_INPUT),
    (range(401, 402), _KEY_NOT_ACCEPTED, Remedy.FIX_PROFILE),
    (
        range(403, 404),
        "Kombo refused access. Check the API key and the integration ID; if both are right, "
        "ask for this computer's IP address to be allowed in the Kombo dashboard.",
        Remedy.FIX_PROFILE,
    ),
    (
        range(404, 405),
        "Kombo could not find what was asked for. Check the ID and the base URL.",
        Remedy.FIX_INPUT,
    ),
    (range(408, 409), _STOPPED_WAITING, Remedy.RETRY),
    (
        range(409, 410),
        "The customer's integration is not ready for this request. Try again later; if it "
        "keeps happening, ask whoever manages the integration in Kombo.",
        Remedy.WAIT,
    ),
    (range(413, 414), _TOO_LARGE, Remedy.FIX_INPUT),
    (range(429, 430), _TOO_MANY_REQUESTS, Remedy.WAIT),
    (range(422, 423), "Kombo rejected the request as invalid. {correct}", Remedy.FIX_INPUT),
    (range(400, 500), "Kombo rejected the request. {correct}", Remedy.FIX_INPUT),
    (range(500, 600), "Kombo or the customer's ATS had a problem.", Remedy.RETRY),
    # Kombo's error envelope under a success status, without a code to say more.
    (range(200, 300), "Kombo answered with an error.", Remedy.RETRY),
]

_NETWORK_TEXT: dict[NetworkErrorKind, str] = {
    NetworkErrorKind.CONNECT: "Could not reach Kombo. Check the internet connection.",
    NetworkErrorKind.DNS: "Could not find Kombo's server. Check the internet connection.",
    NetworkErrorKind.TLS: "Could not open a secure connection to Kombo. A proxy or the "
    "computer's clock may be interfering.",
    NetworkErrorKind.CONNECT_TIMEOUT: "Kombo did not answer in time while connecting. "
    "Check the internet connection.",
    NetworkErrorKind.READ_TIMEOUT: "Kombo did not answer in time.",
    NetworkErrorKind.WRITE_TIMEOUT: "Sending to Kombo took too long.",
    NetworkErrorKind.DISCONNECTED: "The connection to Kombo broke before an answer arrived.",
    NetworkErrorKind.OTHER: "A network problem stopped the request.",
}

#: Said after a send's failure that may have added the link ("{to}": " to candidate …",
#: naming whose it was when known, ``_applied_note``).
_APPLIED_NOTE = (
    " The result link may already have been added{to}: check the ATS before sending again."
)
APPLIED_NOTE = _APPLIED_NOTE.format(to="")


#: A connection refused at an address on this computer (the sandbox, say): the internet is
#: not on the way, and nothing listens at that port. "{address}" is its host and port.
_NOTHING_ANSWERS_HERE = (
    "Nothing answers at {address} on this computer. If it is the sandbox, check that it is "
    "running and that the port in the base URL is right."
)
#: A connection refused at a base URL that is not Kombo's own (typed by the person): the
#: address is the first thing to check.
_NOTHING_ANSWERS_THERE = "Could not reach {address}. Check that the base URL is right."
#: A host name of a base URL that is not Kombo's own that could not be found: most often
#: a typing mistake in it.
_NO_SUCH_SERVER = "Could not find the server {host}. Check that the base URL is right."

#: The domain of Kombo's own servers: unreachable, they are worded as ``_NETWORK_TEXT`` says.
_KOMBOS_DOMAIN = "kombo.dev"


def _network_words(error: NetworkError) -> str:
    """What a failure to connect says, for where the request went: Kombo's servers, this
    computer or another address."""
    words = _NETWORK_TEXT[error.kind]
    about_the_address = (NetworkErrorKind.CONNECT, NetworkErrorKind.DNS)
    if error.kind not in about_the_address or error.request.proxy is not None:
        # Through a proxy, the proxy was not reached: its address is not the typed one.
        return words
    parts = urlsplit(error.request.url)
    host = parts.hostname or ""
    if host == _KOMBOS_DOMAIN or host.endswith(f".{_KOMBOS_DOMAIN}"):
        return words
    if error.kind is NetworkErrorKind.DNS:
        return _NO_SUCH_SERVER.format(host=host)
    # Never the sign-in part of an address, should one hold it.
    address = parts.netloc.rpartition("@")[2]
    if is_loopback_host(host):
        return _NOTHING_ANSWERS_HERE.format(address=address)
    return _NOTHING_ANSWERS_THERE.format(address=address)


def target_words(target: Target) -> str:
    """Whose a result link is, as an answer names it: "candidate 5RnuQx…", "application …".

    An answer stays on screen while the form moves on to the next candidate: named, it
    cannot be read as the next one's.
    """
    return f"{target.kind.value} {target.id}"


def _applied_note(target: Target | None) -> str:
    """``APPLIED_NOTE``, naming the candidate or application to check when known."""
    # No more words than that: at the window's first size, the panel shows these without
    # scrolling.
    return _APPLIED_NOTE.format(to=_to_target(target))


def _to_target(target: Target | None) -> str:
    """The words after "added" that name the target when it is known (" to candidate
    5RnuQx…"), else nothing."""
    return "" if target is None else f" to {target_words(target)}"


def _nothing_added(target: Target | None) -> str:
    """That a cancelled send added nothing (no full stop), naming its target when known."""
    return (
        "Nothing was added or changed"
        if target is None
        else f"Nothing was added{_to_target(target)}"
    )


def _while_sending(target: Target | None) -> str:
    return "" if target is None else f" while sending to {target_words(target)}"


def _said_of_target(text: str, *, applied: bool, target: Target | None) -> str:
    """``text`` (a send's failure) saying whose link it was: the applied note names the
    target; a failure that added nothing leads with the target it was not added to."""
    if applied:
        # A sentence first: the text may end with Kombo's own words, often without a full
        # stop, which the note would otherwise run on from.
        return as_sentence(text) + _applied_note(target)
    if target is None:
        return text
    return f"The result link was not added to {target_words(target)}. {text}"


#: A request cancelled while its connection was still being made (``describe_error``): not
#: one byte of it went out, so sending it again is safe.
CANCELLED_WHILE_CONNECTING_TEXT = (
    "Cancelled while still connecting to Kombo. Nothing was added or changed."
)


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


def _time_taken(elapsed_s: float) -> Fact:
    return Fact("Time taken", f"{elapsed_s:.2f} s")


_TIMEOUTS = {
    NetworkErrorKind.CONNECT_TIMEOUT,
    NetworkErrorKind.READ_TIMEOUT,
    NetworkErrorKind.WRITE_TIMEOUT,
}


def _waited_label(kind: NetworkErrorKind) -> str:
    return "No answer after" if kind in _TIMEOUTS else "Failed after"


def _request_line(request: RequestInfo) -> str:
    return f"{request.method} {request.url}"


def route_facts(request: RequestInfo) -> tuple[Fact, ...]:
    """The proxy ``request`` went through (``Through proxy: host:port``, never its sign-in),
    or nothing when it went direct: said of every outcome, a success and Kombo's error as
    much as a failure on the way, so that a copied detail tells support which way it went.
    """
    return () if request.proxy is None else (Fact("Through proxy", request.proxy),)


def is_cancellation(error: BaseException) -> bool:
    """True for a cancelled task (``asyncio.CancelledError``).

    Asked without importing asyncio: a cancelled task exists only once asyncio is loaded,
    and wording a failure on this computer must not load (or wait for) the network code.
    """
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and isinstance(error, asyncio.CancelledError)


#: Kombo Desktop failed on its own side once a request had gone out (``FaultAfterSending``).
FAULT_AFTER_SENDING_TEXT = (
    "Something went wrong inside Kombo Desktop after the request was sent, while it read "
    "Kombo's answer."
)


#: A command stopped (Ctrl+C) before its request was made: while it read the key from the
#: keyring, say. Nothing went out, so sending again is safe.
STOPPED_BEFORE_SENDING_TEXT = "Stopped before sending: nothing was sent."


def describe_stopped_before_sending() -> UserMessage:
    """The message for a command stopped before its request was made (nothing was sent,
    so ``may_have_been_applied`` is false)."""
    return UserMessage(Severity.WARNING, STOPPED_BEFORE_SENDING_TEXT, remedy=Remedy.RETRY)


def describe_error(
    error: BaseException,
    target: Target | None = None,
    *,
    shown_in: ShownIn = ShownIn.WINDOW,
) -> UserMessage:
    """A plain-language message and technical detail for anything a request can raise.

    ``target`` is the candidate or application a result link was sent to: given, the
    words name it (``target_words``), as the answer may be read next to another one.
    ``shown_in`` is where the message is shown: what to do next is said in its words.
    """
    place = _PLACE_WORDS[shown_in]
    if isinstance(error, BaseUrlUnusable):
        # Found as the request was built: the connection's problem, not the form's, and
        # nothing went out.
        problems = " ".join(field_problem_sentence(e) for e in error.errors)
        return UserMessage(
            Severity.ERROR,
            _said_of_target(
                f"{NOTHING_SENT} {problems} {place.fix_base_url}", applied=False, target=target
            ),
            # In the window's technical detail, as every refused field is; the command line
            # has just said it.
            "" if shown_in is ShownIn.COMMAND_LINE else str(error),
            Remedy.FIX_PROFILE,
        )
    if isinstance(error, InputError):
        return UserMessage(
            Severity.ERROR,
            _said_of_target(place.input_refused, applied=False, target=target),
            # Each field's own message, as the field shows it.
            "\n".join(f"{e.field}: {e.message}" for e in error.errors),
            Remedy.FIX_INPUT,
        )
    if isinstance(error, KomboApiError):
        return _describe_api_error(error, target, place)
    if isinstance(error, SecretStoreError):
        # The keyring's own words already say what happened and what to do.
        return UserMessage(
            Severity.ERROR,
            error.message,
            error.detail or type(error).__name__,
            Remedy.FIX_PROFILE,
        )
    if isinstance(error, NetworkError):
        text = _said_of_target(
            _network_words(error), applied=error.may_have_been_applied, target=target
        )
        notes = _join(
            f"Network error: {error.kind.value}",
            _request_line(error.request),
            error.detail,
        )
        return UserMessage(
            Severity.ERROR,
            text,
            notes,
            Remedy.RETRY_MAY_DUPLICATE if error.may_have_been_applied else Remedy.RETRY,
            may_have_been_applied=error.may_have_been_applied,
            # Nothing came back: the time says how long it waited (or how soon it failed),
            # not how long Kombo took.
            facts=(
                Fact(_waited_label(error.kind), f"{error.elapsed_s:.2f} s"),
                *route_facts(error.request),
            ),
        )
    if isinstance(error, UnexpectedResponseError):
        text, remedy = _unexpected_answer_words(error, place)
        text = _said_of_target(text, applied=error.may_have_been_applied, target=target)
        notes = _join(
            f"Not understood: {error.reason}",
            _request_line(error.request),
            f"Content-Type: {error.content_type or '(none)'}",
            "Start of the answer:",
            error.excerpt or "(empty)",
        )
        return UserMessage(
            Severity.ERROR,
            text,
            notes,
            Remedy.RETRY_MAY_DUPLICATE if error.may_have_been_applied else remedy,
            may_have_been_applied=error.may_have_been_applied,
            status_code=error.status_code,
            facts=(
                Fact("HTTP status", str(error.status_code)),
                *_redirect_facts(error),
                _time_taken(error.elapsed_s),
                *route_facts(error.request),
            ),
        )
    if isinstance(error, FaultAfterSending):
        # The request went out: a send may have been added, and its words say so, as a
        # timeout's do, rather than "unchanged".
        return UserMessage(
            Severity.ERROR,
            _said_of_target(
                FAULT_AFTER_SENDING_TEXT, applied=error.may_have_been_applied, target=target
            ),
            _join(f"Fault after sending: {error.detail}", _request_line(error.request)),
            Remedy.RETRY_MAY_DUPLICATE if error.may_have_been_applied else Remedy.RETRY,
            may_have_been_applied=error.may_have_been_applied,
            facts=(_time_taken(error.elapsed_s), *route_facts(error.request)),
        )
    if is_cancellation(error) and error.args == (CANCELLED_WHILE_WAITING,):
        return UserMessage(
            Severity.WARNING,
            f"Cancelled while waiting to try again. {_nothing_added(target)}: Kombo had "
            "refused the last try (too many requests), and nothing was sent after it.",
            "The request was cancelled during the wait Kombo asked for after a rate limit.",
            Remedy.RETRY,
        )
    if is_cancellation(error) and error.args == (CANCELLED_BEFORE_SENDING,):
        return UserMessage(
            Severity.WARNING,
            NOTHING_SENT if target is None else f"Nothing was sent to {target_words(target)}.",
            "The request was cancelled while it waited for its turn, before it went out.",
            Remedy.RETRY,
        )
    if is_cancellation(error) and error.args == (CANCELLED_WHILE_CONNECTING,):
        # As a connect timeout at the same moment is told: nothing reached Kombo, so
        # sending again is safe. (On a retry after a rate limit, Kombo had refused the try
        # before: that one added nothing either.)
        return UserMessage(
            Severity.WARNING,
            CANCELLED_WHILE_CONNECTING_TEXT
            if target is None
            else f"Cancelled while still connecting to Kombo. {_nothing_added(target)}.",
            "The request was cancelled while its connection to Kombo was still being made, "
            "before any of it went out.",
            Remedy.RETRY,
        )
    if is_cancellation(error):
        return UserMessage(
            Severity.WARNING,
            f"Cancelled. The result link may or may not have been added{_to_target(target)}.",
            "The request was cancelled before an answer arrived.",
            Remedy.RETRY_MAY_DUPLICATE,
            may_have_been_applied=True,
        )
    return UserMessage(
        Severity.ERROR,
        f"Something went wrong inside Kombo Desktop{_while_sending(target)}.{place.unchanged}",
        f"{type(error).__name__}: {error}",
        Remedy.RETRY,
    )


@dataclass(frozen=True)
class _Action:
    """What a request was for, in the words the codes' texts need."""

    do: str
    doing: str
    permission: str


_ADD_RESULT_LINK = _Action(
    "add result links", "adding result links", "the “Add result links” permission"
)
_SEARCH_CANDIDATES = _Action(
    "read candidates", "searching candidates", "permission to read candidates"
)
_OTHER_ACTION = _Action("do this", "this action", "permission for this action")

_ACTIONS: dict[RequestPurpose, _Action] = {
    RequestPurpose.ADD_RESULT_LINK: _ADD_RESULT_LINK,
    RequestPurpose.SEARCH_CANDIDATES: _SEARCH_CANDIDATES,
}


def _action_of(request: RequestInfo) -> _Action:
    """What ``request`` was for, as its builder said (``RequestInfo.purpose``)."""
    return _ACTIONS.get(request.purpose, _OTHER_ACTION)


def _wait_words(seconds: float) -> str:
    """A wait of a second or more as a person reads it: seconds up to 90, then minutes, then
    hours (rounded up: advising too early only gets another refusal)."""
    if seconds <= 90:
        return counted(max(math.ceil(seconds), 1), "second")
    if seconds <= 90 * 60:
        return counted(math.ceil(seconds / 60), "minute")
    return counted(math.ceil(seconds / 3600), "hour")


#: The longest wait Kombo may name that is still "a moment"; a longer one is said, so that
#: nobody tries again sooner and is refused again.
MOMENT_S = 5.0


def _advised_wait(error: KomboApiError) -> float | None:
    return error.retry_after_s if isinstance(error, RateLimitedError) else None


def _when_to_try_again(error: KomboApiError) -> str:
    advised = _advised_wait(error)
    if advised is None or advised <= MOMENT_S:
        return "Wait a moment and try again."
    if advised >= MAX_RETRY_AFTER_S:
        return "Try again in a day at the earliest (Kombo asked to wait a day or more)."
    return f"Try again in {_wait_words(advised)} (Kombo asked to wait that long)."


def _say_wait(
    seconds: float,
    *,
    none: _Said,
    under_a_second: _Said,
    length: Callable[[str], _Said],
) -> _Said:
    """A wait of ``seconds`` as one text says it: ``none`` for no wait at all
    (``Retry-After: 0``), ``under_a_second`` below a second (rounded up, it would read as a
    second that nobody asked for), else what ``length`` makes of ``_wait_words``.

    One ladder for every wait told, so that the fact of Kombo's advised wait and the
    progress while the client waits it out never disagree on where its steps fall.
    """
    if seconds <= 0:
        return none
    if seconds < 1:
        return under_a_second
    return length(_wait_words(seconds))


def _advised_wait_fact(advised: float) -> Fact:
    """The wait Kombo asked for; the longest one read is worded as the bound it is, and
    none at all (``Retry-After: 0``) as when it may be tried again."""

    def asked_to_wait(words: str) -> Fact:
        return Fact(
            "Kombo asked to wait", "a day or more" if advised >= MAX_RETRY_AFTER_S else words
        )

    return _say_wait(
        advised,
        none=Fact("Kombo asked to try again", "right away"),
        under_a_second=Fact("Kombo asked to wait", "less than a second"),
        length=asked_to_wait,
    )


def _is_missing_target(error: KomboApiError) -> bool:
    """A result link refused because its candidate or application is not in the ATS.

    Kombo answers that with 404 and ``PLATFORM.INPUT_INVALID``. A 404 without a code is
    no verdict on the ID (a wrong base URL path answers so too), and an unknown
    integration has its own code and its own words.
    """
    return (
        error.request.purpose is RequestPurpose.ADD_RESULT_LINK
        and error.status_code == 404
        and error.code == "PLATFORM.INPUT_INVALID"
    )


_TARGET_NOUNS = {TargetKind.CANDIDATE: "candidate", TargetKind.APPLICATION: "application"}


def _missing_target_text(request: RequestInfo) -> str:
    # No "use Find…": the command line words its answers here too, and has no Find.
    noun = (
        "candidate or application"
        if request.target_kind is None
        else _TARGET_NOUNS[request.target_kind]
    )
    return (
        f"Kombo found no {noun} with this ID in this customer's ATS. Check the ID: it "
        "may be another customer's, or the record may have been removed from the ATS."
    )


#: What to do about an address that is not Kombo's API: said alike by every text that
#: blames the address.
_CHECK_THE_ADDRESS = "Check the region or base URL."

#: A request answered as no Kombo address would: a 404 without Kombo's code at a key check
#: or a search, a web page's 404 at any request, or any web page at the key check (but for
#: a proxy's or a firewall's refusal, ``REFUSED_ON_THE_WAY``). The region or the typed base
#: URL is wrong (Kombo names its own refusals, in JSON).
WRONG_ADDRESS = (
    f"Nothing answering like Kombo's API was found at this address. {_CHECK_THE_ADDRESS}"
)

#: Any request answered with a redirect (a 3xx), which Kombo's API never sends and the
#: client does not follow: the typed base URL points at a web site or an old address, or a
#: proxy (or a network's sign-in page) on the way sends requests elsewhere. Nothing was
#: done. Where it pointed is among the facts (``_redirect_facts``).
REDIRECTED = (
    "This address answered by sending the request elsewhere (a redirect), which Kombo's API "
    f"does not do. {_CHECK_THE_ADDRESS} If it is right, a proxy on the way may be "
    "redirecting requests: ask your IT team."
)

#: A refusal by something between this computer and Kombo: a proxy that wants its own
#: sign-in (407), or a firewall's block page or a sign-in portal (a 401 or 403 that is not
#: JSON: Kombo words its own refusals in JSON). The request did not reach Kombo's API. No
#: "check the proxy settings": the app uses the computer's own (``proxies``), which its IT
#: team sets up, and the same words fit a firewall that no setting gets past.
REFUSED_ON_THE_WAY = (
    "Something between this computer and Kombo, such as a proxy or firewall, refused the "
    "request. Ask your IT team to let this computer reach Kombo."
)

#: A search refused as invalid, in words for the Find… dialog's fields (a send's words
#: would have the person correct a form and an ID that a search does not have).
_SEARCH_REFUSED = "Kombo refused the search. Check the email or names, then search again."
_SEARCH_REFUSED_BY_ATS = (
    "The customer's ATS refused the search. Check the email or names, then search again."
)
_SEARCH_TOO_LARGE = (
    "A server (Kombo's, or one on the way to Kombo) refused the search as too large. "
    "Shorten the email or names, then search again."
)

#: A key check refused as invalid, in words for a check that sends nothing but the key to
#: the region's or the typed address: there is no form to correct, and sending the same
#: again meets the same refusal.
_KEY_CHECK_REFUSED = (
    "Kombo refused to check the API key. Check that the key is complete, and the region or "
    "base URL."
)

#: Words for answers that did not come from Kombo: what they quote is a server's.
_NOT_KOMBOS_WORDS = (WRONG_ADDRESS, REFUSED_ON_THE_WAY)

#: Requests that name no record by its ID: a 404 without Kombo's code can only mean that
#: the address is wrong.
_ADDRESS_ONLY = (RequestPurpose.CHECK_API_KEY, RequestPurpose.SEARCH_CANDIDATES)


#: What only a proxy answers (HTTP 407, "Proxy Authentication Required"), whatever the body.
_PROXY_STATUS = 407
#: What a firewall's block page or a sign-in portal answers when it is a page, not JSON.
_REFUSED_PAGE_STATUSES = (401, 403)
#: "Request Timeout": the server stopped waiting for the rest of the request.
_STOPPED_WAITING_STATUS = 408
#: "Content Too Large": the server will not take a request that big.
_TOO_LARGE_STATUS = 413
#: "Not Found": as a web page rather than Kombo's JSON, no API of Kombo's is at the address.
_NOT_FOUND_STATUS = 404
#: The first status of a refusal (4xx) and of a server's trouble (5xx).
_REFUSAL_STATUS = 400
_SERVER_TROUBLE_STATUS = 500

#: A server in trouble (a 5xx) that answered with anything but Kombo's JSON: a proxy's or a
#: load balancer's page ("502 Bad Gateway", "503 Service Unavailable"), plain text or
#: nothing. Kombo's own servers, or one in front of them, had the problem, not the app;
#: the status is among the facts. (A send's words add that the link may have been added.)
#: For a send that may have been added, these words alone: its note says to check the ATS
#: before sending again, and "trying again usually helps" would say the opposite first.
SERVER_TROUBLE_MAY_HAVE_ADDED = (
    "Kombo's server, or one on the way to it, had a problem and could not answer."
)
SERVER_TROUBLE = f"{SERVER_TROUBLE_MAY_HAVE_ADDED} Trying again in a few minutes usually helps."

#: A refusal (a 4xx) in anything but Kombo's JSON, where no status of its own says more (a
#: 400 or 405 page, say): Kombo words its own refusals in JSON, so the request was most
#: likely refused before it reached Kombo's API, at a wrong address or by a server on the
#: way.
REFUSED_NOT_IN_KOMBOS_WORDS = (
    "A server refused the request with an answer that is not Kombo's. Check the region or "
    "base URL; if it is right, ask your IT team about a proxy on the way to Kombo."
)

#: A success status (2xx) whose answer is JSON not in Kombo's format.
NOT_UNDERSTOOD = "Kombo sent an answer this app does not understand."
#: A success status (2xx) whose answer is no JSON at all (a Wi-Fi sign-in page, a proxy's
#: text): Kombo answers in JSON only, so it may not be Kombo's.
NOT_UNDERSTOOD_PAGE = (
    "A server (Kombo's, or one on the way to it) sent an answer this app does not understand."
)


def _unexpected_answer_words(
    error: UnexpectedResponseError, place: _PlaceWords
) -> tuple[str, Remedy]:
    """The words and remedy for an answer that is not Kombo's JSON, whatever it was for.

    Some statuses say what happened whatever page came with them (a redirect, a 408, a
    413): those are worded as the status alone, as Kombo's envelope without a code is.
    """
    if _refused_on_the_way(error):
        # Nothing for the profile to fix: once the way is open (IT, a sign-in to the
        # portal), the same request goes through.
        return REFUSED_ON_THE_WAY, Remedy.RETRY
    if is_redirect(error.status_code):
        return REDIRECTED, Remedy.FIX_PROFILE
    if error.status_code == _STOPPED_WAITING_STATUS:
        return _status_text(error.status_code)
    if error.status_code == _TOO_LARGE_STATUS:
        return _too_large_words(error.request.purpose, place)
    if _not_kombos_address(error):
        return WRONG_ADDRESS, Remedy.FIX_PROFILE
    if error.status_code >= _SERVER_TROUBLE_STATUS:
        if error.may_have_been_applied:
            return SERVER_TROUBLE_MAY_HAVE_ADDED, Remedy.RETRY
        return SERVER_TROUBLE, Remedy.RETRY
    if error.status_code >= _REFUSAL_STATUS:
        return REFUSED_NOT_IN_KOMBOS_WORDS, Remedy.FIX_PROFILE
    if _looks_like_json(error.excerpt):
        return NOT_UNDERSTOOD, Remedy.RETRY
    return NOT_UNDERSTOOD_PAGE, Remedy.RETRY


def _redirect_facts(error: UnexpectedResponseError) -> tuple[Fact, ...]:
    """Where a redirect pointed, when it named a place (redacted, as every fact is)."""
    if error.redirect_to is None:
        return ()
    return (Fact("Redirected to", error.redirect_to),)


def _too_large_words(purpose: RequestPurpose, place: _PlaceWords) -> tuple[str, Remedy]:
    """The words for a request refused as too large (413), for what it was for: only what
    was typed for it can be shortened, named as ``place`` names it. A key check sends
    nothing but the key: refused as too large, it did not reach Kombo's API, and the
    address is to blame."""
    if purpose is RequestPurpose.SEARCH_CANDIDATES:
        return _SEARCH_TOO_LARGE, Remedy.FIX_INPUT
    if purpose is RequestPurpose.CHECK_API_KEY:
        return WRONG_ADDRESS, Remedy.FIX_PROFILE
    template, remedy = _status_text(_TOO_LARGE_STATUS)
    return template.format(shorten=place.shorten), remedy


def _refused_on_the_way(error: UnexpectedResponseError) -> bool:
    """A proxy's or a firewall's refusal: a 407, or a 401 or 403 whose answer is a page.

    A 401 or 403 in JSON of another shape is an API's answer, not a block page: at the
    key check that is some other API at a wrong address.
    """
    if error.status_code == _PROXY_STATUS:
        return True
    return error.status_code in _REFUSED_PAGE_STATUSES and not _looks_like_json(error.excerpt)


def _looks_like_json(excerpt: str) -> bool:
    # Told by the body, as the client tells JSON: a server's Content-Type may say anything.
    return excerpt.lstrip().startswith(("{", "["))


def _not_kombos_address(error: UnexpectedResponseError) -> bool:
    """An answer that is not Kombo's JSON where Kombo's API should be.

    For any request, a 404: Kombo words its own in JSON (a record it does not know, a
    path it does not serve), so a web page's "Not Found" comes from a server that is not
    Kombo's API. Nothing reached Kombo: a send's words stay free of "may have been added"
    (the client says so, ``UnexpectedResponseError.may_have_been_applied``). At the key
    check, the first request to an address, anything but a server's trouble (5xx, which a
    proxy in front of Kombo may send as its own page) and a refusal on the way there
    (``_refused_on_the_way``, asked first).
    """
    if error.status_code == _NOT_FOUND_STATUS:
        return True
    return error.request.purpose is RequestPurpose.CHECK_API_KEY and error.status_code < 500


def _reworded_for_purpose(error: KomboApiError, place: _PlaceWords) -> tuple[str, Remedy] | None:
    """The words for a refusal that a send's words would misname, for what the request
    was for (as ``place`` says them); ``None`` where the code's or the status's own words
    fit."""
    purpose = error.request.purpose
    codeless = error.code is None
    if codeless and error.status_code == _PROXY_STATUS:
        # Only a proxy answers 407, even in a shape like Kombo's.
        return REFUSED_ON_THE_WAY, Remedy.RETRY
    if purpose in _ADDRESS_ONLY and codeless and error.status_code == 404:
        return WRONG_ADDRESS, Remedy.FIX_PROFILE
    if codeless and error.status_code == _TOO_LARGE_STATUS:
        # Only a send's words (the status's own) name a result link's parts.
        send = purpose is RequestPurpose.ADD_RESULT_LINK
        return None if send else _too_large_words(purpose, place)
    # Without a code, a status whose words say to correct what was sent (400, 422, 405…)
    # refused it as invalid: a search or a key check has no form to correct.
    refused_as_invalid = error.code == "PLATFORM.INPUT_INVALID" or (
        codeless and "{correct}" in _status_text(error.status_code)[0]
    )
    if purpose is RequestPurpose.CHECK_API_KEY and refused_as_invalid:
        return _KEY_CHECK_REFUSED, Remedy.FIX_PROFILE
    if purpose is not RequestPurpose.SEARCH_CANDIDATES:
        return None
    if error.code == "REMOTE.INPUT_INVALID":
        return _SEARCH_REFUSED_BY_ATS, Remedy.FIX_INPUT
    if refused_as_invalid:
        return _SEARCH_REFUSED, Remedy.FIX_INPUT
    return None


def _describe_api_error(
    error: KomboApiError, target: Target | None, place: _PlaceWords
) -> UserMessage:
    known = _CODE_TEXT.get(error.code) if error.code else None
    action = _action_of(error.request)
    # What the texts' placeholders stand for; a text without them ignores them.
    words = {
        "do": action.do,
        "doing": action.doing,
        "Doing": action.doing[:1].upper() + action.doing[1:],
        "permission": action.permission,
        "again": _when_to_try_again(error),
        "correct": place.correct,
        "shorten": place.shorten,
    }
    reworded = _reworded_for_purpose(error, place)
    shown = _kombos_words_shown(error, place)
    # Whether the text is Kombo's own message already (else it is quoted after our words).
    kombos_words_said = False
    # Nothing like Kombo answered at a wrong address or on the way: its words are a server's.
    speaker = "The server" if reworded and reworded[0] in _NOT_KOMBOS_WORDS else "Kombo"
    if reworded is not None:
        text, remedy = reworded
    elif _is_missing_target(error):
        text, remedy = _missing_target_text(error.request), Remedy.FIX_INPUT
    elif known is not None:
        template, remedy = known
        text = template.format(**words)
    elif isinstance(error, RateLimitedError):
        # A rate limit without a code, or under a code this version does not know yet: the
        # wait is what the person needs; Kombo's message is quoted below, its title and
        # code are among the facts.
        text, remedy = _TOO_MANY_REQUESTS.format(**words), Remedy.WAIT
    elif error.code:
        # A code this version does not know yet: show Kombo's own words, or at least its
        # title or the code itself when it sent no message.
        said = error.message.strip() or error.title or error.code
        text, remedy = f"Kombo answered: {shown(said)}", _remedy_for_status(error.status_code)
        kombos_words_said = True
    else:
        template, remedy = _status_text(error.status_code)
        text = template.format(**words)
    text = _said_of_target(text, applied=error.may_have_been_applied, target=target)
    if error.may_have_been_applied:
        remedy = Remedy.RETRY_MAY_DUPLICATE
    if not kombos_words_said and error.message:
        text = _join(text, f"{speaker} said: {shown(error.message)}")
    facts = [Fact("Code", shown(error.code) if error.code else "(none)")]
    if error.title:
        facts.append(Fact("Title", shown(error.title)))
    facts += [Fact("HTTP status", str(error.status_code)), _time_taken(error.elapsed_s)]
    facts += route_facts(error.request)
    advised = _advised_wait(error)
    if advised is not None:
        facts.append(_advised_wait_fact(advised))
    if error.log_url:
        facts.append(Fact("Kombo log", error.log_url, link=True))
    return UserMessage(
        Severity.ERROR,
        text,
        # Kombo's message is not repeated here: the text above already quotes it.
        _request_line(error.request),
        remedy,
        log_url=error.log_url,
        may_have_been_applied=error.may_have_been_applied,
        code=shown(error.code) if error.code else error.code,
        status_code=error.status_code,
        facts=tuple(facts),
    )


def _kombos_words_shown(error: KomboApiError, place: _PlaceWords) -> Callable[[str], str]:
    """How Kombo's words in the answer to ``error`` are shown where ``place`` is: from
    their start when long (``shown_start``), in a window; whole on the command line.
    Only a send's answer shows under its words in the window (the response panel)."""
    if not place.shows_start_of_long_words:
        return lambda words: words
    whole_in = RESPONSE_BODY if error.request.purpose is RequestPurpose.ADD_RESULT_LINK else None
    # Masked before they are cut: a key across the cut would no longer be found whole, and
    # its start would be shown.
    return lambda words: shown_start(quoted_words(words), whole_in=whole_in)


def _status_text(status: int) -> tuple[str, Remedy]:
    for statuses, text, remedy in _STATUS_TEXT:
        if status in statuses:
            return text, remedy
    return f"Kombo answered with HTTP {status}.", Remedy.RETRY


def _remedy_for_status(status: int) -> Remedy:
    return _status_text(status)[1]


def describe_rate_limit_wait(delay_s: float, attempt: int) -> str:
    """Progress while the client waits out a rate limit before trying again."""
    return f"Kombo asked to slow down; trying again {_how_soon(delay_s)} (retry {attempt})."


def _how_soon(delay_s: float) -> str:
    """When a wait of ``delay_s`` ends, from now: "now", "in under a second", "in 3 seconds"."""
    return _say_wait(
        delay_s,
        none="now",
        under_a_second="in under a second",
        length=lambda words: f"in {words}",
    )


#: How a success's text starts, so that it stands on its own (the command line); a view
#: that titles the outcome "Success" already shows the rest after it.
SUCCESS_LEAD = "Success: "


def describe_success(outcome: ApiOutcome, target: Target | None = None) -> UserMessage:
    """The message for a result link that Kombo accepted, warnings counted; ``target``,
    when given, is named (``target_words``): the answer may be read next to another one."""
    text = (
        f"{SUCCESS_LEAD}the result link was added{_to_target(target)}{warnings_counted(outcome)}."
    )
    return UserMessage(
        Severity.WARNING if outcome.warnings else Severity.SUCCESS,
        text,
        _request_line(outcome.request),
        status_code=outcome.status_code,
        facts=_answer_facts(outcome),
    )


def warnings_counted(outcome: ApiOutcome) -> str:
    """ ", with 3 warnings from Kombo" after the words of a success that had warnings; ""
    for one without: each place saying a link was added says them too."""
    count = len(outcome.warnings)
    return f", with {counted(count, 'warning')} from Kombo" if count else ""


def _answer_facts(outcome: ApiOutcome) -> tuple[Fact, ...]:
    return (
        Fact("HTTP status", str(outcome.status_code)),
        _time_taken(outcome.elapsed_s),
        *route_facts(outcome.request),
    )


def _integration_unknown(error: KomboApiError) -> bool:
    # Kombo's rule: the code decides. A 404 without one may as well be a wrong base URL
    # path: that is "could not be checked", with the status's own words.
    return error.code == "PLATFORM.INTEGRATION_NOT_FOUND"


def _read_refused(error: KomboApiError) -> bool:
    if error.code is not None:
        return error.code in READ_OF_CANDIDATES_REFUSED
    return error.status_code == 403


#: A connection test's read refused as if a form were wrong, in words for a test, which
#: has no form to correct. The ATS's refusal means Kombo found the integration and asked
#: the ATS; Kombo's own refusal of the input can only be about what the test sent: the
#: integration ID, to the region's or the typed base URL.
_TEST_REFUSED_BY_ATS = "The customer's ATS refused the test. Try again later."
_TEST_REFUSED = "Kombo refused the test. Check the integration ID, and the region or base URL."
#: A 404 without Kombo's code, in JSON or as a web page: the address is not Kombo's API
#: (Kombo names its own).
_TEST_NOT_FOUND = f"Nothing was found at this address. {_CHECK_THE_ADDRESS}"
#: A 413 without Kombo's code, or a page saying it: the test has nothing to shorten (the
#: search's words would name the Find… dialog's fields), and sends almost nothing.
_TEST_TOO_LARGE = (
    "A server refused the test as too large, though the test sends almost nothing. If it "
    "keeps happening, ask your IT team about a proxy on the way to Kombo."
)
#: Any other refusal: Kombo's own words (quoted after this) are all there is to go on.
_TEST_ERROR = "Kombo answered the test with an error."


def _unchecked_integration_reason(
    error: KomboDesktopError, read_failure: UserMessage
) -> tuple[str, Remedy]:
    """Why a connection test's read failed and what to do: a send's words, but for those
    that would have the person correct the form."""
    if isinstance(error, UnexpectedResponseError) and error.status_code == _TOO_LARGE_STATUS:
        return _TEST_TOO_LARGE, Remedy.NONE
    if isinstance(error, UnexpectedResponseError) and error.status_code == _NOT_FOUND_STATUS:
        # A web page's 404 as a JSON one without Kombo's code: Kombo answered the key at
        # this address a moment ago, so "nothing like Kombo's API" would not fit.
        return _TEST_NOT_FOUND, Remedy.FIX_PROFILE
    if not isinstance(error, KomboApiError):
        return read_failure.text, read_failure.remedy
    # Branched on the answer itself: the read is a search, whose own words (for the
    # Find… dialog's fields) mean nothing here either.
    codeless = error.code is None
    if error.code == "REMOTE.INPUT_INVALID":
        text, remedy = _TEST_REFUSED_BY_ATS, Remedy.RETRY
    elif error.code == "PLATFORM.INPUT_INVALID" or (codeless and error.status_code in (400, 422)):
        text, remedy = _TEST_REFUSED, Remedy.FIX_PROFILE
    elif codeless and error.status_code == 404:
        text, remedy = _TEST_NOT_FOUND, Remedy.FIX_PROFILE
    elif codeless and error.status_code == _TOO_LARGE_STATUS:
        text, remedy = _TEST_TOO_LARGE, Remedy.NONE
    elif read_failure.remedy is not Remedy.FIX_INPUT:
        return read_failure.text, read_failure.remedy
    else:
        text, remedy = _TEST_ERROR, Remedy.NONE
    return _join(text, f"Kombo said: {error.message}" if error.message else None), remedy


def describe_connection_check(result: ConnectionCheckOutcome) -> UserMessage:
    """The message for "Test connection" once Kombo accepted the key.

    A key works for every integration of its environment, so the test also reads one
    candidate with the integration ID: an unknown ID is said here, not at the first send.
    The environment's ID means nothing to a recruiter and stays in the facts.
    """
    environment = result.key_environment
    # "this unknown key" would sound like a problem: a key of another shape is just a key.
    kind = "" if environment is Environment.UNKNOWN else f"{environment.value.lower()} "
    accepted = f"Kombo accepted this {kind}key"
    environment_fact = Fact("Environment", result.key_check.environment_id)
    key_request = _request_line(result.key.request)
    error = result.integration_error
    if error is None:
        read = result.integration
        return UserMessage(
            Severity.SUCCESS,
            f"Connection works: {accepted} and knows integration {result.integration_id}.",
            _join(key_request, _request_line(read.request) if read else None),
            facts=(environment_fact, *route_facts(result.key.request)),
        )
    # The facts and the log are the integration read's: the key's answer was a plain 200.
    read_failure = describe_error(error)
    severity, remedy = Severity.ERROR, read_failure.remedy
    if isinstance(error, KomboApiError) and _integration_unknown(error):
        text = (
            f"{accepted}, but does not know the integration ID {result.integration_id} "
            "for this key. Check the integration ID, and that the key is from the same Kombo "
            "environment as the integration."
        )
        remedy = Remedy.FIX_PROFILE
    elif isinstance(error, KomboApiError) and _read_refused(error):
        severity, remedy = Severity.WARNING, Remedy.NONE
        text = (
            f"The key works: {accepted}. The integration could not be checked here (this "
            "key may not read candidates); it is checked when you send."
        )
    else:
        reason, remedy = _unchecked_integration_reason(error, read_failure)
        # Kombo named the integration's own state (inactive, set-up not finished): it was
        # checked, and cannot be used now.
        checked = isinstance(error, KomboApiError) and error.code in INTEGRATION_NOT_USABLE_NOW
        outcome = "cannot be used now" if checked else "could not be checked"
        text = f"{accepted}, but the integration {result.integration_id} {outcome}. {reason}"
    return replace(
        read_failure,
        severity=severity,
        text=text,
        notes=_join(key_request, read_failure.notes),
        remedy=remedy,
        facts=(environment_fact, *read_failure.facts),
    )


#: How Kombo matches a candidate search, said before a search and after one found nobody:
#: "Muller" does not find "Müller", and "Jos" does not find "José".
SEARCH_MATCHES_EXACTLY = (
    "Names and emails must match exactly, accents included (“Muller” does not find “Müller”)."
)

#: A page of a candidate search that came back empty while Kombo has more pages: nobody
#: on it, which says nothing yet about the pages that follow.
NONE_ON_THIS_PAGE = "No candidates on this page, but more may follow: use Load more."

#: A candidate search that found nobody, and what to try instead.
NO_CANDIDATES_MATCH = (
    "No candidates match. Try the candidate's email, or the name spelled exactly as in "
    "the ATS (accents included)."
)

#: The fields of a name search, as the Find… dialog labels them.
_NAME_FIELDS = {"first_name": "First name", "last_name": "Last name"}

#: Said in Find… when the window's connection moved to another customer's integration
#: while it was open: the rows shown are the other customer's people.
FIND_CONNECTION_CHANGED = (
    "The connection changed to another customer's integration: the results were cleared. "
    "Search again to find candidates there."
)
#: Said in Find… when the window has no connection left to search with (another profile
#: without a key, say), and at a search meanwhile.
FIND_WITHOUT_CONNECTION = (
    "There is no connection to search with now. Close the search and check the connection "
    "in the window."
)
#: Said in the window when an ID was picked in Find… among another customer's people
#: than the connection reaches now: it is not filled in.
PICKED_FOR_ANOTHER_CUSTOMER = (
    "The connection changed to another customer's integration while you picked: the ID "
    "was not filled in. Search again."
)


#: Said in Find… when a search field holds an API key (pasted there by mistake): searched
#: for, it would go to Kombo as a filter, into its request logs.
FIND_KEY_NOT_SEARCHED = (
    "That is an API key, not an email address or a name: nothing was searched. Clear the "
    "field and type the candidate's email or name."
)


def email_field_holds_no_address(text: str) -> str:
    """What Find… says when ``text`` in its Email field has no "@" while a name is typed
    in the name fields as well: which one was meant is not for the dialog to guess."""
    text = quoted_words(text)  # a key pasted there is never shown
    return (
        f"“{text}” in Email is not an email address (it has no @). Clear the Email field to "
        "search by the name fields, or type the whole address."
    )


def searched_as_name(text: str) -> str:
    """The note before Find…'s answer when ``text``, typed into its Email field without an
    "@", was moved into the name fields and searched as a name."""
    return f"“{quoted_words(text)}” has no @, so it was searched as a name."


def no_candidates_match(filters: Mapping[str, str]) -> str:
    """What a search by ``filters`` that found nobody says: ``NO_CANDIDATES_MATCH``, and
    when a whole name seems typed into one name field (words in it, the other empty), how
    to split it: Kombo matches each field exactly, so "Fatima Al-Sayed" as a first name
    finds nobody."""
    names = {field: value for field, value in filters.items() if field in _NAME_FIELDS}
    if "email" in filters or len(names) != 1:
        return NO_CANDIDATES_MATCH
    [(field, value)] = names.items()
    if " " not in value.strip():
        return NO_CANDIDATES_MATCH
    return (
        f"{NO_CANDIDATES_MATCH} If “{value}” is a whole name, put the first name in First "
        f"name and the last name in Last name (only {_NAME_FIELDS[field]} was searched)."
    )


def describe_failure(
    error: BaseException,
    *,
    consequence: str = "",
    file_action: str = "use the file",
) -> UserMessage:
    """Plain words for work on this computer that failed: the keyring, a file, the profiles.

    ``consequence`` tells what the failure means for the person (e.g. "Nothing was
    saved") and comes first. ``file_action`` completes "Could not …" for a file that
    could not be used (an ``OSError``, or a file that is not text), e.g. "read
    /home/me/export.json" or "write the profiles file"; callers that work on a file say
    which. An input error names its field, a keyring error keeps the keyring's own words,
    a cancelled task says so, a request's error is worded by ``describe_error``, and
    anything else is said to be a fault of the app. Keys are masked, as in every
    ``UserMessage``.
    """
    technical = f"{type(error).__name__}: {error}"
    if isinstance(error, UnicodeDecodeError):
        text = f"Could not {file_action}: it is not a text file."
        message = UserMessage(Severity.ERROR, text, technical, Remedy.FIX_INPUT)
    elif isinstance(error, OSError):
        # ``strerror`` is the system's own short reason ("Permission denied"), without the
        # "[Errno 13]" and the temporary file's path that ``str(error)`` would add.
        text = f"Could not {file_action} ({error.strerror or error})."
        message = UserMessage(Severity.ERROR, text, technical, Remedy.RETRY)
    elif is_cancellation(error):
        # Work on this computer, not a request: nothing was or may have been sent.
        message = UserMessage(Severity.WARNING, "Stopped before it finished.", technical)
    elif isinstance(error, KomboDesktopError):
        message = describe_error(error)
        if isinstance(error, InputError):
            # Nothing is sent from here: each field's problem is said, not "before sending".
            reasons = " ".join(field_problem_sentence(e) for e in error.errors)
            message = replace(message, text=reasons)
    else:
        text = "Something unexpected went wrong inside Kombo Desktop."
        message = UserMessage(Severity.ERROR, text, technical, Remedy.RETRY)
    if consequence:
        message = replace(message, text=f"{as_sentence(consequence)} {message.text}")
    return message
