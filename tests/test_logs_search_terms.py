"""A candidate search's email and name never reach the log file or a crash report: the log
is kept for months and sent along with questions to support; what was searched by stays."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.crash_report import format_redacted, install_exception_hook
from kombo_desktop.core.logs import REDACTED, configure_logging
from kombo_desktop.sandbox import Sandbox

EMAIL = "anna.schmidt@example.com"
FIRST_NAME, LAST_NAME = "Zoë", "Müller-Lüdenscheidt"


def logged(path: Path) -> str:
    """The log file's text once every line is written."""
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_a_searchs_email_and_name_stay_out_of_the_log(
    tmp_path: Path, connection: Connection, fresh_sandbox: Sandbox
) -> None:
    path = configure_logging(directory=tmp_path)
    with SyncKomboClient(connection) as client:
        client.find_candidates(email=EMAIL)
        client.find_candidates(first_name=FIRST_NAME, last_name=LAST_NAME)
    text = logged(path)
    for personal in ("anna.schmidt", "example.com", "Zo", "M%C3%BCller", "Müller"):
        assert personal not in text, text
    # Each search is still a line, saying what it searched by and how it went.
    assert f"/ats/candidates?page_size=50&email={REDACTED} -> 200" in text, text
    assert f"first_name={REDACTED}&last_name={REDACTED} -> 200" in text, text


def test_a_crash_report_quoting_a_search_keeps_its_email_out(
    tmp_path: Path, capsys, fresh_sandbox: Sandbox
) -> None:
    path = configure_logging(directory=tmp_path)
    address = f"{fresh_sandbox.base_url}/ats/candidates?email=anna.schmidt%40example.com"
    previous = install_exception_hook(lambda _error: None)
    try:
        try:
            raise RuntimeError(f"Unexpected answer to GET {address}")
        except RuntimeError as error:
            report = format_redacted(type(error), error, error.__traceback__)
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        sys.excepthook = previous
    for text in (report, logged(path), capsys.readouterr().err):
        assert "anna.schmidt" not in text, text
        assert f"/ats/candidates?email={REDACTED}" in text, text
