"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

#: What the writer given to ``create_unless_there`` returns.
_Written = TypeVar("_Written")

#: How ``move_aside`` names a file that could not be read once it is set aside:
#: ``NAME.damaged-<time>`` (a damaged draft, a damaged profiles file).
DAMAGED = "damaged"


#: How many characters of a file's name the temporary file written first keeps in its own:
#: enough to tell whose it is, if one is ever left behind. Not the whole name: with the
#: dots and the random part added, a long name (a person may give one to an export) would
#: be more than a file name may hold.
_NAME_START_IN_TEMPORARY = 32


def _temporary_prefix(path: Path) -> str:
    """How the temporary file written before ``path`` is named: hidden, after its start."""
    return f".{path.name[:_NAME_START_IN_TEMPORARY]}."


def write_text_atomic(path: Path, text: str, *, mode: int = 0o600) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.

    The file is flushed to disk before the rename, so a crash or power loss
    leaves either the previous content or the new one. ``mode`` defaults to
    owner-only, since drafts and profiles are nobody else's business.
    """
    write_bytes_atomic(path, [text.encode("utf-8")], mode=mode)


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What tells the file at ``path`` from another (its inode, change time and size), or
    ``None`` when there is none.

    Every atomic write replaces the file by a new one: its inode tells a change apart even
    when the size is the same and the clock has not ticked since the last write.
    """
    try:
        facts = path.stat()
    except OSError:
        return None
    return (facts.st_ino, facts.st_mtime_ns, facts.st_size)


def write_bytes_atomic(path: Path, pieces: Iterable[bytes], *, mode: int = 0o600) -> None:
    """Write ``pieces`` one after the other to ``path``, as ``write_text_atomic`` writes a
    text: whole or not at all, owner-only by default.

    For a file of megabytes written off the GUI thread: each piece is one short write
    (the system call lets other threads run), where one write of it all would first hold
    every other thread while it is encoded.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def create_unless_there(path: Path, write: Callable[[Path], _Written]) -> _Written | None:
    """``write(temp)``, then give that file the name ``path`` only where nothing is at
    ``path``: what ``write`` returned, or ``None`` (and ``path`` untouched) when something
    is there, a link that leads nowhere too.

    ``write`` writes a temporary file in the folder of ``path`` (created when missing), e.g.
    by ``write_text_atomic``: the file keeps what that gives it (whole, flushed to disk,
    its permissions). Whether anything is at ``path`` is asked by the step that names the
    file (a hard link, which never replaces), not before it: a file created meanwhile,
    however late, is never replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        written = write(temp)
        if not _link_unless_there(temp, path):
            return None
        return written
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _link_unless_there(source: Path, target: Path) -> bool:
    """Give the file ``source`` the name ``target`` as well; False when something is at
    ``target``. Where the file system has no hard links, a copy (``copy_unless_there``)."""
    try:
        os.link(source, target)
    except FileExistsError:
        return False
    except OSError as exc:
        # Not a check-then-replace: the copy is created only where nothing is.
        log.info("No hard link for %s (%s): copied instead", target, exc.strerror or exc)
        return copy_unless_there(source, target)
    return True


def copy_unless_there(source: Path, target: Path) -> bool:
    """Copy the file ``source`` to a new file ``target``, with its permissions and flushed
    to disk; False (``target`` untouched) when something is at ``target``.

    For a file system without hard links (``create_unless_there``): the file is created
    only where nothing is (``O_EXCL``), so nothing is ever replaced. A copy that fails
    is removed, so no half of it is left. Unlike a rename, a reader may see the file
    while it is being written.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags, 0o600)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle, source.open("rb") as original:
            mode = source.stat().st_mode & 0o7777
            if os.chmod in os.supports_fd:
                # By the open handle, not the name: the file it names could be another by now.
                os.chmod(handle.fileno(), mode)
            else:  # Windows before Python 3.13: by name (only the read-only bit counts there)
                os.chmod(target, mode)
            shutil.copyfileobj(original, handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        # The file was created here, just now (O_EXCL): nobody else's is removed.
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        raise
    return True


def move_aside(path: Path, reason: str = DAMAGED) -> Path:
    """Rename ``path`` to a new ``NAME.<reason>-<time>`` beside it (``NAME.damaged-…`` by
    default); returns that name.

    Each file set aside gets a name of its own, so an earlier one is never overwritten:
    it may hold what someone wants to recover. Within one second the names go on
    ``-2``, ``-3``… after the highest taken, never back to one freed since: the names
    stay in the order the files were set aside (``set_aside_files``). Raises ``OSError``
    if the rename fails.
    """
    stamp = datetime.now().strftime(_SET_ASIDE_TIME_FORMAT)
    try:
        taken = [counter for when, counter, _ in _named_set_aside(path, reason) if when == stamp]
    except OSError:
        taken = []  # the rename says whether the folder can be used
    counter = max(taken, default=0) + 1
    while (backup := _set_aside_name(path, reason, stamp, counter)).exists():
        counter += 1
    os.replace(path, backup)
    return backup


#: The time in a name ``move_aside`` gives: local time, to the second.
_SET_ASIDE_TIME_FORMAT = "%Y%m%d-%H%M%S"
#: What follows ``NAME.<reason>-`` in a name ``move_aside`` gives: the time, then a
#: counter from 2 when one was set aside earlier in that second. Text, compiled when used.
_SET_ASIDE_TIME_PATTERN = r"(\d{8}-\d{6})(?:-(\d{1,9}))?"


def _set_aside_name(path: Path, reason: str, stamp: str, counter: int) -> Path:
    """The ``counter``-th name for ``path`` set aside for ``reason`` at ``stamp``."""
    suffix = "" if counter == 1 else f"-{counter}"
    return path.with_name(f"{path.name}.{reason}-{stamp}{suffix}")


def set_aside_files(path: Path, reason: str) -> list[Path]:
    """The files ``move_aside(path, reason)`` made beside ``path``, oldest first; raises
    ``OSError`` when the folder cannot be read.

    Ordered by the time and counter in their names, which say when each was set aside
    (a file's own times are those of its content: a rename keeps them). Only names of
    exactly that shape count: a file a person named ``NAME.<reason>-copy`` is not one.
    """
    return [entry for _when, _counter, entry in _named_set_aside(path, reason)]


def _named_set_aside(path: Path, reason: str) -> list[tuple[str, int, Path]]:
    """Each file ``move_aside(path, reason)`` made, with the time and counter in its
    name, oldest first. None when the folder is missing."""
    import re  # only when files set aside are looked for, never at start-up

    prefix = f"{path.name}.{reason}-"
    try:
        entries = list(path.parent.iterdir())
    except FileNotFoundError:
        return []
    found: list[tuple[str, int, Path]] = []
    for entry in entries:
        if entry.name.startswith(prefix):
            match = re.fullmatch(_SET_ASIDE_TIME_PATTERN, entry.name[len(prefix) :])
            if match is not None:
                found.append((match[1], int(match[2] or 1), entry))
    return sorted(found)


def keep_few_set_aside(
    path: Path, reason: str, latest: Path, *, keep: int, largest: int | None = None
) -> None:
    """Remove the files set aside from ``path`` for ``reason`` (``move_aside(path,
    reason)``) before ``latest``, set aside just now, that nobody needs, so that they stay
    few however often one is set aside. Blocking.

    The policy, in this order:

    - an earlier one that holds the very bytes of ``latest`` goes: ``latest`` holds all
      of it, under the later name, so the names stay in the order the files came. The
      same file set aside again takes one file, not one each time.
    - of the others, the ``keep - 1`` set aside last are kept next to ``latest``, older
      ones go.

    ``latest`` itself is always kept, even when a clock set back gave it an earlier name
    than the others. Only names ``move_aside`` gives count, never a copy a person named
    otherwise. Files larger than ``largest`` bytes (when given) are never read to be
    compared. Removing is best effort, and the caller goes on whatever happens: a file
    that cannot be read is never taken for a copy, one that cannot be removed is left
    where it is, and logged.
    """
    try:
        listed = set_aside_files(path, reason)
    except OSError as exc:
        log.warning("Could not look for the files set aside beside %s: %s", path, exc)
        return
    earlier = [item for item in listed if item != latest]
    copies = [item for item in earlier if _same_bytes(item, latest, largest)]
    others = [item for item in earlier if item not in copies]
    too_old = others[: max(0, len(others) - (keep - 1))]
    for item in copies + too_old:
        try:
            item.unlink()
        except OSError as exc:
            log.warning("Could not remove %s, set aside earlier: %s", item, exc)
        else:
            log.info("Removed %s, set aside earlier and no longer needed", item)


def _same_bytes(first: Path, second: Path, largest: int | None) -> bool:
    """True when both files hold the very same bytes; False when either cannot be read,
    or is larger than ``largest`` (read only when both are the same size)."""
    try:
        size = first.stat().st_size
        if size != second.stat().st_size or (largest is not None and size > largest):
            return False
        return first.read_bytes() == second.read_bytes()
    except OSError:
        return False
