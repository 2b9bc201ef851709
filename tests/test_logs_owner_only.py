"""The log file names candidates' IDs, profiles and what went wrong: like the drafts and
the profiles, only its owner may read it, also after it rotates and when an earlier
version left it readable by everyone."""

from __future__ import annotations

import logging
import stat
import sys
from pathlib import Path

import pytest

from kombo_desktop.core.logs import LOG_BACKUPS, LOG_FILE_NAME, configure_logging

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Unix file modes")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = configure_logging(directory=tmp_path)
    logging.getLogger("kombo_desktop.test").info("candidate 8Xi6iZrwusZqJmDGXs49GBmJ")
    assert mode_of(path) == 0o600


def test_a_log_file_left_readable_by_everyone_is_made_owner_only(tmp_path: Path) -> None:
    earlier = tmp_path / LOG_FILE_NAME
    earlier.write_text("an earlier version's line\n", encoding="utf-8")
    earlier.chmod(0o644)
    # And the copies it rotated to, which hold lines of the same kind.
    rotated = [tmp_path / f"{LOG_FILE_NAME}.{n}" for n in range(1, LOG_BACKUPS + 1)]
    for copy in rotated:
        copy.write_text("an older line\n", encoding="utf-8")
        copy.chmod(0o644)
    path = configure_logging(directory=tmp_path)
    assert path == earlier
    assert [mode_of(kept) for kept in (path, *rotated)] == [0o600] * (LOG_BACKUPS + 1)
    assert path.read_text(encoding="utf-8").startswith("an earlier version's line")


def test_the_file_begun_when_the_log_rotates_is_owner_only_too(tmp_path: Path) -> None:
    path = configure_logging(directory=tmp_path)
    log = logging.getLogger("kombo_desktop.test")
    # Past the size at which the file is rotated (a million bytes): a new one begins.
    for number in range(120):
        log.info("line %d %s", number, "x" * 10_000)
    assert (tmp_path / f"{LOG_FILE_NAME}.1").exists()
    assert path.exists()
    assert mode_of(path) == 0o600
    assert mode_of(tmp_path / f"{LOG_FILE_NAME}.1") == 0o600
