"""Logging to a rotating file in the user log directory, with secrets redacted.

Redaction happens in a filter on the handler, so no code path can write a key:
anything shaped like a Kombo key or a Bearer header is masked, and so is every
key the app registered with ``register_secret`` (keys of unknown shape included),
and the values of web addresses' queries (a search's email or name). The files are
readable by their owner only.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, cast

from kombo_desktop.core import paths

# A key's shape and its masking live where the sandbox can use them without the log's
# ``platformdirs``; still importable from here, where the app's modules take them.
from kombo_desktop.core.masking import INVISIBLE_CHARACTERS as INVISIBLE_CHARACTERS
from kombo_desktop.core.masking import KEY_BODY as KEY_BODY
from kombo_desktop.core.masking import KOMBO_KEY_START as KOMBO_KEY_START
from kombo_desktop.core.masking import LONG_KEY_START as LONG_KEY_START
from kombo_desktop.core.masking import REDACTED as REDACTED
from kombo_desktop.core.masking import mask_key_shapes, redact_key_shapes

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_FILE_NAME = "kombo-desktop.log"
#: How many full log files are kept besides the one written (``….log.1`` is the newest).
LOG_BACKUPS = 3

_known_secrets: set[str] = set()
_known_lock = threading.Lock()


def register_secret(secret: str) -> None:
    """Mask ``secret`` in every log line from now on (keys of any shape), also as JSON
    writes it (see ``_json_spellings``)."""
    secret = secret.strip()
    if len(secret) >= 4:
        with _known_lock:
            _known_secrets.update(_json_spellings(secret))


def _json_spellings(secret: str) -> set[str]:
    """``secret`` and how JSON encoders write it inside a string: with ``\\/`` for ``/``
    (PHP's default) and ``\\uXXXX`` for what is not ASCII. An answer cut short cannot be
    decoded, so a key it quotes must be found as it was written."""
    spellings = {secret}
    for ascii_only in (True, False):
        written = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        spellings.update((written, written.replace("/", "\\/")))
    return spellings


def mask_known_secrets(text: str) -> str:
    """``text`` with every registered secret masked, and nothing else changed.

    For data that must stay as it is (a candidate's "Work authorization: …" is not a
    header): only the exact keys this app sent or stored are taken out.
    """
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED)
    return text


def mask_keys(text: str) -> str:
    """``text`` with every registered secret and every Kombo-key-shaped token masked.

    For data that must otherwise stay as it is (an answer from Kombo): a key, or the start
    of one that a server quoted cut short, is never data; the broader patterns of
    ``redact`` (``Authorization: …``) could be.
    """
    return mask_key_shapes(mask_known_secrets(text))


def redact(text: str) -> str:
    """``text`` with keys, Bearer tokens and registered secrets masked."""
    return redact_key_shapes(mask_known_secrets(text))


#: A web address with a query, and its query: a search's filters (a candidate's email
#: or name, a cursor that may encode them) are personal data, not for a log file that is
#: kept for months and sent along with a question to support.
_URL_QUERY_PATTERN = r"""(https?://[^\s?#"'<>]*\?)([^\s#"'<>]*)"""
#: Query parameters whose values say nothing of a person: kept, for the log's reader.
_PLAIN_QUERY_NAMES = frozenset({"page_size"})


def hide_query_values(text: str) -> str:
    """``text`` with the values of every web address's query masked (but ``page_size``):
    the names stay, so a log line still says what was searched by, not for whom."""
    if "?" not in text:
        return text
    return re.sub(_URL_QUERY_PATTERN, _hide_in_query, text)


def _hide_in_query(match: re.Match[str]) -> str:
    pairs = []
    for pair in match.group(2).split("&"):
        name, equals, value = pair.partition("=")
        hidden = equals and value and name not in _PLAIN_QUERY_NAMES
        pairs.append(f"{name}={REDACTED}" if hidden else pair)
    return match.group(1) + "&".join(pairs)


def redact_for_log(text: str) -> str:
    """``text`` as the log file and a crash report may keep it: ``redact``ed, and without
    the values of web addresses' queries (``hide_query_values``)."""
    return hide_query_values(redact(text))


class _LocalTimeWithOffset(logging.Formatter):
    """Times as ``2026-12-01T04:20:59.357+01:00``: local, with their offset from UTC.

    Without it a line could not be matched with Kombo's logs (in UTC) by anyone not
    knowing this computer's time zone, and the hour repeated as summer time ends, or
    lines written before and after a change of zone, would read alike.
    """

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        import datetime

        when = datetime.datetime.fromtimestamp(record.created).astimezone()
        return when.isoformat(timespec="milliseconds")


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) with ``redact_for_log``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, so arguments cannot smuggle a key."""
        record.msg = redact_for_log(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_for_log(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_for_log(record.stack_info)
        return True


_configured: list[logging.Handler] = []
_LOGGER_NAMES = ("kombo_desktop", "httpx")


def _level_for(name: str, level: int) -> int:
    # httpx logs every request at INFO, which the client already logs with its outcome
    # and timing: keep only its warnings, so each request is one line in the file.
    return max(level, logging.WARNING) if name == "httpx" else level


#: Records held before the file is set up; a start-up never logs anywhere near this many.
MAX_HELD_RECORDS = 1000


class _HeldRecords(logging.Handler):
    """Keeps records in memory until ``configure_logging`` writes them to the file."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        #: Set once the file is set up: a record that raced the switch goes there.
        self.target: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        """Hold ``record`` (the oldest are dropped beyond ``MAX_HELD_RECORDS``)."""
        with _held_lock:
            target = self.target
            if target is None:
                self.records.append(record)
                del self.records[:-MAX_HELD_RECORDS]
        if target is not None:
            target.handle(record)


_held: list[_HeldRecords] = []
_held_lock = threading.Lock()


def hold_log_records(level: int = logging.INFO) -> None:
    """Keep the app's log records in memory until ``configure_logging`` runs.

    Setting up the file loads ``logging.handlers``; the GUI does that in the background
    after its window shows, and nothing logged meanwhile is lost.
    """
    with _held_lock:
        if _held or _configured:
            return
        holder = _HeldRecords()
        _held.append(holder)
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        logger.addHandler(holder)
        logger.setLevel(_level_for(name, level))


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send the ``kombo_desktop`` and ``httpx`` loggers to the rotating file; returns its path.

    Records held by ``hold_log_records`` are written first. Calling it again replaces
    the handler, so tests can point it elsewhere. Safe to call from any thread.
    """
    directory = directory or paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    handler = _owner_only_rotating_handler()(
        path, maxBytes=1_000_000, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    # Written by an earlier version, readable by everyone: the handler kept the file, and
    # the copies it rotated to hold the same lines (searches not masked then among them).
    for kept in (path, *(path.with_name(f"{path.name}.{n}") for n in range(1, LOG_BACKUPS + 1))):
        with contextlib.suppress(OSError):
            os.chmod(kept, LOG_FILE_MODE)
    handler.setFormatter(
        _LocalTimeWithOffset("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    handler.addFilter(RedactingFilter())
    with _held_lock:
        held = list(_held)
        _held.clear()
        for old in _configured:
            for name in _LOGGER_NAMES:
                logging.getLogger(name).removeHandler(old)
            old.close()
        _configured[:] = [handler]
        for name in _LOGGER_NAMES:
            logger = logging.getLogger(name)
            logger.addHandler(handler)
            for holder in held:
                logger.removeHandler(holder)
            logger.setLevel(_level_for(name, level))
        for holder in held:
            holder.target = handler
        records = [record for holder in held for record in holder.records]
    for record in records:
        if record.levelno >= level:
            handler.handle(record)
    return path


#: The log names candidates' IDs, profiles and what went wrong: nobody else's business, as
#: drafts and profiles are not (``atomic.write_text_atomic``).
LOG_FILE_MODE = 0o600


@functools.cache
def _owner_only_rotating_handler() -> type[RotatingFileHandler]:
    """A ``RotatingFileHandler`` whose files, the first and each one after a rotation, are
    made readable by their owner only (Python's are made readable by everyone)."""
    # logging.handlers (sockets, pickle, queues) is only needed here, not by every importer.
    from logging.handlers import RotatingFileHandler

    class OwnerOnlyRotatingFileHandler(RotatingFileHandler):
        def doRollover(self) -> None:
            # The window, the demo and the command line write the same file: on Windows,
            # where a file another process holds open cannot be renamed, the rotation
            # fails, and each record that asked for it was lost (a traceback on the
            # command line's stderr for each). The file then grows past its size for this
            # process (it is rotated at a later start); its records are kept.
            try:
                super().doRollover()
            except OSError:
                self.maxBytes = 0  # no more tries: each would fail alike

        def _open(self) -> io.TextIOWrapper:
            # Text mode (the handler's "a"): what the base class opens, made owner-only.
            stream = open(  # noqa: SIM115 - the handler owns and closes the stream
                self.baseFilename,
                self.mode,
                encoding=self.encoding,
                errors=self.errors,
                opener=_open_owner_only,
            )
            return cast(io.TextIOWrapper, stream)

    return OwnerOnlyRotatingFileHandler


def _open_owner_only(path: str, flags: int) -> int:
    return os.open(path, flags, LOG_FILE_MODE)


def current_log_file() -> Path | None:
    """The file the app's log goes to, or ``None`` while it has none (not set up yet, or it
    could not be made)."""
    with _held_lock:
        handlers = list(_configured)
    for handler in handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def set_up_log_file(directory: Path | None = None, *, err: TextIO | None = None) -> Path | None:
    """Set up the log file as ``configure_logging`` does; returns its path, or ``None``.

    When it cannot be (a file where its folder should be, a home that cannot be written
    to), this says so once on ``err`` (by default stderr) and the app carries on without
    it: no log file is no reason not to work. The window and the command line both set
    the file up here.
    """
    try:
        return configure_logging(directory=directory)
    except Exception as exc:  # whatever stopped it, the work goes on; said, not raised
        print(
            f"Kombo Desktop: could not set up the log file ({_failure_words(exc)}); "
            "carrying on without it.",
            file=err or sys.stderr,
        )
        _log_nowhere()
        return None


def _failure_words(error: Exception) -> str:
    """The system's own reason and the path, without the "[Errno 20]" of ``str(error)``."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error) or type(error).__name__


def _log_nowhere() -> None:
    """Drop the app's log records: with no handler at all, Python would print warnings on
    stderr as they are, without ``RedactingFilter`` (the records held for the window stay
    held, as they are when the file is not set up yet)."""
    for name in _LOGGER_NAMES:
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())
