"""Logging to a rotating file in the user log directory, with secrets redacted.

Redaction happens in a filter on the handler, so no code path can write a key:
anything shaped like a Kombo key or a Bearer header is masked, and so is every
key the app registered with ``register_secret`` (keys of unknown shape included).
"""

from __future__ import annotations

import logging
import re
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

from kombo_desktop.core import paths

LOG_FILE_NAME = "kombo-desktop.log"
REDACTED = "[redacted]"

_KEY_PATTERN = re.compile(r"\bks_(?:prod|dev|[a-z]+)_[A-Za-z0-9_\-]{4,}")
_BEARER_PATTERN = re.compile(r"(?i)(bearer\s+)[^\s\"',;]+")
_AUTH_HEADER_PATTERN = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)[^\s\"',;]+")

_known_secrets: set[str] = set()
_known_lock = threading.Lock()


def register_secret(secret: str) -> None:
    """Mask ``secret`` in every log line from now on (keys of any shape)."""
    secret = secret.strip()
    if len(secret) >= 4:
        with _known_lock:
            _known_secrets.add(secret)


def redact(text: str) -> str:
    """``text`` with keys, Bearer tokens and registered secrets masked."""
    with _known_lock:
        known = sorted(_known_secrets, key=len, reverse=True)
    for secret in known:
        text = text.replace(secret, REDACTED)
    text = _BEARER_PATTERN.sub(rf"\1{REDACTED}", text)
    text = _AUTH_HEADER_PATTERN.sub(rf"\1{REDACTED}", text)
    return _KEY_PATTERN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and traceback text) with ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, redacted, so arguments cannot smuggle a key."""
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_configured: list[logging.Handler] = []


def configure_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Send the ``kombo_desktop`` and ``httpx`` loggers to the rotating file; returns its path.

    Calling it again replaces the handler, so tests can point it elsewhere.
    """
    directory = directory or paths.log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE_NAME
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    handler.addFilter(RedactingFilter())
    for old in _configured:
        for name in ("kombo_desktop", "httpx"):
            logging.getLogger(name).removeHandler(old)
        old.close()
    _configured[:] = [handler]
    for name in ("kombo_desktop", "httpx"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(level)
    return path
