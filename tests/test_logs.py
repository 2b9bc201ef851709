"""Keys never reach the log file."""

from __future__ import annotations

import datetime
import logging
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from kombo_desktop.core.logs import LOG_BACKUPS, configure_logging, redact, register_secret


def test_redaction_patterns():
    assert "ks_prod_abcdef123456" not in redact("key=ks_prod_abcdef123456 ok")
    assert "secrettoken" not in redact("Authorization: Bearer secrettoken")
    assert "zzz" not in redact("{'authorization': 'zzz'}")
    assert redact("plain words stay") == "plain words stay"


def test_log_file_never_contains_a_key(tmp_path: Path):
    odd_key = "unprefixed-customer-key-9f8e7d"
    register_secret(odd_key)
    path = configure_logging(directory=tmp_path)
    log = logging.getLogger("kombo_desktop.test")
    log.info("sending with %s", "ks_dev_0123456789abcdef")
    # A key pasted right after a word is still a key (the word does not hide it).
    log.info("integration %s", "acmeks_prod_0123456789abcdefXYZ")
    log.warning("headers %r", {"Authorization": f"Bearer {odd_key}"})
    try:
        raise ValueError(f"bad key {odd_key}")
    except ValueError:
        log.exception("failed")
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    written = path.read_text()
    assert "sending with" in written
    assert "failed" in written
    assert "ks_dev_0123456789abcdef" not in written
    assert "0123456789abcdefXYZ" not in written
    assert "integration acme[redacted]" in written
    assert odd_key not in written


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time zones set through TZ")
def test_each_line_says_its_offset_from_utc(tmp_path: Path, monkeypatch) -> None:
    # Matched with Kombo's logs (in UTC) by someone who does not know this computer's time
    # zone. Before: "2026-12-01 08:50:59,436", local time with nothing to say which.
    monkeypatch.setenv("TZ", "IST-5:30")  # POSIX form: India, with no zone files needed
    time.tzset()
    try:
        path = configure_logging(directory=tmp_path)
        logging.getLogger("kombo_desktop.test").warning("a line")
        for handler in logging.getLogger("kombo_desktop").handlers:
            handler.flush()
    finally:
        monkeypatch.undo()
        time.tzset()
    stamp = path.read_text().split(" ", 1)[0]
    written = datetime.datetime.fromisoformat(stamp)
    assert written.utcoffset() == datetime.timedelta(hours=5, minutes=30)
    assert abs(written.timestamp() - time.time()) < 600


def test_httpx_adds_only_its_warnings_so_each_request_is_logged_once(tmp_path: Path):
    # The client logs every request with its outcome; httpx's own INFO line would repeat it.
    path = configure_logging(directory=tmp_path)
    httpx_log = logging.getLogger("httpx")
    httpx_log.info("HTTP Request: POST https://api.kombo.dev/v1/x")
    httpx_log.warning("connection pool is full")
    logging.getLogger("kombo_desktop.core.client").info("POST /x answered 200")
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    written = path.read_text()
    assert "HTTP Request" not in written
    assert "connection pool is full" in written
    assert "answered 200" in written


def test_a_log_that_cannot_be_rotated_keeps_every_record(tmp_path: Path, capsys) -> None:
    # Another process holding the file open refuses its rotation on Windows; here the
    # oldest copy's name is taken by a folder, which cannot be removed to make room.
    path = configure_logging(directory=tmp_path)
    path.with_name(f"{path.name}.2").write_text("an older copy\n")
    taken = path.with_name(f"{path.name}.3")
    taken.mkdir()
    (taken / "kept").write_text("a folder in the oldest copy's place")
    log = logging.getLogger("kombo_desktop.test")
    line = "x" * 200
    for number in range(6_000):  # past the 1 MB a file holds before it is rotated
        log.info("record %d %s", number, line)
    log.info("the last record")
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    written = path.read_text(encoding="utf-8")
    # Before: each record that asked for the rotation was lost, a traceback for each.
    assert "the last record" in written
    assert written.count(line) == 6_000
    assert "Logging error" not in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# A log whose live file cannot be renamed (on Windows, while another process holds it
# open: the window, the demo and the command line write the same file) keeps its older
# copies: the rotation is not tried again at every record, each try moving the copies one
# place along and deleting the oldest, until none was left.


def the_log_handler(path: Path) -> RotatingFileHandler:
    """The handler that writes the log file at ``path``."""
    return next(
        handler
        for handler in logging.getLogger("kombo_desktop").handlers
        if isinstance(handler, RotatingFileHandler) and handler.baseFilename == str(path)
    )


def test_a_log_whose_live_file_cannot_be_renamed_keeps_its_older_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = configure_logging(directory=tmp_path)
    older = [f"older copy {n}" for n in range(1, LOG_BACKUPS + 1)]
    for n, words in enumerate(older, start=1):
        path.with_name(f"{path.name}.{n}").write_text(f"{words}\n", encoding="utf-8")

    def held_open_by_another_process(source: str, _dest: str) -> None:
        raise PermissionError(13, "The process cannot access the file", source)

    handler = the_log_handler(path)
    monkeypatch.setattr(handler, "rotator", held_open_by_another_process)
    log = logging.getLogger("kombo_desktop.test")
    line = "x" * 200
    for number in range(7_000):  # well past the 1 MB a file holds before it is rotated
        log.info("record %d %s", number, line)
    handler.flush()
    kept = {copy.read_text(encoding="utf-8").strip() for copy in tmp_path.glob(f"{path.name}.*")}
    # The one rotation tried moved the copies one place along (the oldest made room);
    # the others are kept. Before: every record past the size tried again, and deleted
    # one more copy each time, until no older copy was left.
    assert kept >= set(older[:-1])
    assert path.read_text(encoding="utf-8").count(line) == 7_000
