"""The form's draft on disk, so that a crash or a power cut loses nothing that was typed.

One small JSON file, written atomically (a reader sees the previous draft or the new
one, never half of either). Qt-free and blocking: the GUI calls it from a background
thread. A draft holds what the form holds, and the form never holds an API key; nor
does the record of what was sent from it (``FormState.sent``): fingerprints of the link
and where it went, and when.

A draft a newer version wrote (a larger ``version``: after going back to an older
version, or with two versions sharing one home folder) is restored as far as this
version understands it, and is never overwritten: left as it is while the form still
holds all of it this version reads, and set aside under a name that says whose it is
(``draft.json.newer-version-<time>``) before this version writes a draft of its own. Two
versions taking turns on one home folder would set one aside at each turn: the same draft
set aside again replaces its earlier copy, and only the ``KEPT_NEWER_VERSION_DRAFTS`` set
aside last are kept.

A draft is at most ``MAX_DRAFT_BYTES`` on disk, saved and loaded alike: ``save`` refuses a
form larger than that (``DraftTooLargeError``, its words for the window) rather than
write a file the next start would refuse, and ``load`` takes nothing larger for a draft.
A draft that cannot be read (cut short by a crash, too large, not JSON) is moved aside
(``draft.json.damaged-<time>``), never deleted, and ``DraftStore.damaged`` says why and
where for the window; only the ``KEPT_DAMAGED_DRAFTS`` set aside last are kept.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kombo_desktop.core import paths
from kombo_desktop.core.atomic import DAMAGED, keep_few_set_aside, move_aside, write_bytes_atomic
from kombo_desktop.core.connection import KEY_REMOVED, without_api_keys
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.pacing import paced
from kombo_desktop.core.text import decode_file_text, indented_json_pieces

log = logging.getLogger(__name__)

DRAFT_FILE_NAME = "draft.json"
#: The demo's own draft, next to it: a demo (which may be open next to the real window)
#: neither overwrites nor restores the form of real work.
DEMO_DRAFT_FILE_NAME = "demo-draft.json"
DRAFT_FORMAT = "kombo-desktop-draft"
#: Still 1 with the record of what was sent (``form.sent``) and the profile the form was
#: filled in with (``form.profile_id``): members added, which a draft written before them
#: lacks (it loads with nothing sent, and no profile) and older versions ignore.
DRAFT_VERSION = 1
#: How a newer version's draft set aside is named: ``draft.json.newer-version-<time>``.
NEWER_VERSION_SUFFIX = "newer-version"
#: How many newer versions' drafts set aside are kept beside the draft, the latest first.
KEPT_NEWER_VERSION_DRAFTS = 5
#: The largest draft saved, and read: a form is a few kilobytes, but a remote-fields
#: JSON pasted in it may be megabytes, and inside the draft each of its quotes and line
#: breaks takes a backslash more. Anything larger is no draft of ours (a huge foreign file
#: put in its place is never read whole).
MAX_DRAFT_BYTES = 16 * 1024 * 1024
#: How many damaged drafts set aside are kept beside the draft, the latest first: a draft
#: damaged at each start (a folder kept in sync, a program that writes it) must not fill
#: the folder.
KEPT_DAMAGED_DRAFTS = 5
#: A draft of at least this many bytes is known by its digest once written or read
#: (``_KnownFile``), so that it need not be parsed again; a smaller one is parsed again,
#: which costs less than loading the digest's library (megabytes of memory) at start-up.
DIGESTED_FROM_BYTES = 256 * 1024


@dataclass(frozen=True)
class _KnownFile:
    """What this store knows of the file by its bytes: their digest, and the form it wrote
    in it (``None`` for a file it only read)."""

    digest: bytes
    #: The form this store wrote in those bytes.
    written: FormState | None
    #: Whether those bytes are a newer version's draft.
    newer: bool


class DraftTooLargeError(ValueError):
    """The form is too large to keep as a draft: nothing was written."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the draft would take {size} bytes, more than {MAX_DRAFT_BYTES}")
        #: How many bytes the draft would have taken.
        self.size = size


@dataclass(frozen=True)
class DamagedDraft:
    """A draft ``load`` could not read: why, in plain words, and where it is kept now."""

    #: Completes "The draft … could not be restored: …", e.g. "it is not valid JSON".
    reason: str
    #: Its name once moved aside; ``None`` when it could not be moved.
    kept_as: Path | None
    #: Why it could not be moved aside (the system's words), when it could not.
    move_error: str = ""


class _DamageError(ValueError):
    """A file in the draft's place that is no draft this version can read; its text is
    the plain reason (see ``DamagedDraft.reason``)."""


class DraftStore:
    """Saves and loads the form's draft at ``path`` (default: ``data_dir()/draft.json``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.data_dir() / DRAFT_FILE_NAME
        #: What the last ``load`` found wrong with the file and did with it; ``None`` when
        #: it found a draft, or none.
        self.damaged: DamagedDraft | None = None
        # The bytes last written or read here, by their digest: a file that still holds
        # them need not be parsed again (megabytes with a large JSON). Used by one thread
        # at a time, as the store is.
        self._known: _KnownFile | None = None

    def save(self, state: FormState) -> Path | None:
        """Write ``state`` atomically (owner-only permissions); raises ``OSError`` on failure.

        A form whose draft would be larger than ``MAX_DRAFT_BYTES`` raises
        ``DraftTooLargeError`` and nothing is written: ``load`` would refuse that file, and
        the form would be lost at the next start without a word. The draft saved before
        stays as it is.

        A draft a newer version wrote there is moved aside first, never overwritten: the
        name it now has is returned (``None`` when nothing was set aside). When it cannot
        be moved, nothing is written and the ``OSError`` is raised.
        """
        document = {
            "format": DRAFT_FORMAT,
            "version": DRAFT_VERSION,
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "form": _without_keys(state.to_dict()),
        }
        # ``json.dumps(document, ensure_ascii=False, indent=2) + "\n"`` in UTF-8, in short
        # pieces with pauses between them: one call for a JSON of megabytes would hold every
        # other thread, the window's among them, for tens of milliseconds.
        pieces = [piece.encode("utf-8") for piece in paced(indented_json_pieces(document))]
        pieces.append(b"\n")
        # Measured as written (UTF-8, line breaks as they are), as ``load`` measures it.
        size = sum(len(piece) for piece in pieces)
        if size > MAX_DRAFT_BYTES:
            raise DraftTooLargeError(size)
        set_aside = self._set_aside_if_newer()
        digest = _sha256(pieces) if size >= DIGESTED_FROM_BYTES else None
        self._known = None  # until the new bytes are in place
        write_bytes_atomic(self.path, paced(pieces))
        if digest is not None:
            self._known = _KnownFile(digest, written=state, newer=False)
        return set_aside

    def holds(self, state: FormState) -> bool:
        """True when the file holds ``state`` exactly as ``save`` would write it, or is a
        newer version's draft of which all this version understands is ``state``.

        Only reads: a missing, damaged or foreign file holds nothing and is left as it is.
        A writer that skips saving what it knows the file holds asks this first, since
        something else (another window on the same files) may have written it since. A
        newer version's draft counts as holding what this version read from it: writing
        that back would add nothing, and would set aside a file for no change.
        """
        known = self._known
        if known is not None and known.written is not None and known.written == state:
            # Still the very bytes this store wrote for ``state``? Then they hold it, with
            # no need to parse megabytes (their digest lets other threads run meanwhile).
            with contextlib.suppress(OSError):
                if self._digest_of_file() == known.digest:
                    return True
        try:
            document = self._read_document()
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: brackets opened thousands of times over, damage.
            return False
        if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
            return False
        if _is_newer_version(document):
            return bool(_as_written(_understood_form(document)) == _as_written(state))
        return bool(document.get("form") == _as_written(state))

    def load(self) -> FormState | None:
        """The saved form, or ``None`` when there is none or it cannot be read.

        A damaged file is moved aside to ``draft.json.damaged-<time>`` (never deleted, it
        may still hold something a person wants), ``damaged`` says why and where, and
        ``None`` is returned. A newer version's draft gives what this version understands
        of it (an empty form when that is nothing) and stays where it is: ``save`` sets it
        aside.
        """
        self.damaged = None
        self._known = None
        try:
            document = self._read_document(remember=True)
            if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
                raise _DamageError("it is not a Kombo Desktop draft")
            if _is_newer_version(document):
                log.info(
                    "The draft %s was saved by a newer version (%s); restoring what this "
                    "version understands of it",
                    self.path,
                    document.get("version"),
                )
                return _understood_form(document)
            form = document.get("form")
            if not isinstance(form, dict):
                raise _DamageError("it holds no form")
            return FormState.from_dict(form)
        except FileNotFoundError:
            return None
        except RecursionError:
            # Brackets opened thousands of times over: damage, never a draft.
            log.warning("Could not read the draft %s: it is nested too deeply", self.path)
            self._set_aside("it is not valid JSON")
            return None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            log.warning("Could not read the draft %s: %s", self.path, exc)
            self._set_aside(_damage_reason(exc))
            return None

    def _read_document(self, *, remember: bool = False) -> object:
        """The file's JSON; ``OSError``, ``ValueError`` (``UnicodeDecodeError`` among them)
        or ``RecursionError`` when it cannot be read as such. With ``remember``, a draft
        read is known by its bytes afterwards (``_known``): whether it is a newer version's
        is then told without parsing it again.

        A byte-order mark before it is allowed, as for the profiles: the draft is a
        person's work, and a file opened and saved again in Notepad is still that work.
        """
        if self.path.stat().st_size > MAX_DRAFT_BYTES:
            raise _DamageError("it is too large to be a draft")
        data = self.path.read_bytes()
        document = json.loads(decode_file_text(data))
        if (
            remember
            and len(data) >= DIGESTED_FROM_BYTES
            and isinstance(document, dict)
            and document.get("format") == DRAFT_FORMAT
        ):
            newer = _is_newer_version(document)
            self._known = _KnownFile(_sha256([data]), written=None, newer=newer)
        return document

    def _digest_of_file(self) -> bytes | None:
        """The SHA-256 of the file's bytes (``None`` when it is too large to be a draft);
        ``OSError`` when it cannot be read."""
        if self.path.stat().st_size > MAX_DRAFT_BYTES:
            return None
        return _sha256([self.path.read_bytes()])

    def clear(self) -> None:
        """Remove the draft file, if any."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _set_aside(self, reason: str) -> None:
        """Move the damaged draft out of the way, keep the few set aside last, and note
        in ``damaged`` what happened (``reason``: why it could not be read)."""
        try:
            backup = move_aside(self.path, DAMAGED)
        except OSError as exc:
            log.warning("Could not move the damaged draft aside: %s", exc)
            self.damaged = DamagedDraft(reason, None, str(exc.strerror or exc))
            return
        log.warning("The damaged draft was moved to %s", backup)
        self.damaged = DamagedDraft(reason, backup)
        # Files larger than a draft are never read to be compared: kept, a few at most.
        keep_few_set_aside(
            self.path, DAMAGED, backup, keep=KEPT_DAMAGED_DRAFTS, largest=MAX_DRAFT_BYTES
        )

    def _set_aside_if_newer(self) -> Path | None:
        """Move a newer version's draft out of the way of a save; its new name, or ``None``
        when the file is not one (missing, ours, older, damaged: those are written over)."""
        known = self._known
        try:
            if known is not None and self._digest_of_file() == known.digest:
                # Bytes this store wrote or read already: their version is known without
                # parsing megabytes again.
                newer = known.newer
            else:
                document = self._read_document()
                newer = (
                    isinstance(document, dict)
                    and document.get("format") == DRAFT_FORMAT
                    and _is_newer_version(document)
                )
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not newer:
            return None
        # Raises when it cannot be moved: the save then writes nothing over it.
        backup = move_aside(self.path, NEWER_VERSION_SUFFIX)
        log.warning("A newer version's draft was set aside as %s", backup)
        self._keep_few_set_aside(backup)
        return backup

    def _keep_few_set_aside(self, latest: Path) -> None:
        """Remove the newer versions' drafts set aside before ``latest`` (set aside just
        now) that nobody needs (``keep_few_set_aside``), so that they stay few however
        often two versions take turns. Blocking, like ``save``, which calls it.

        An earlier one that holds the very bytes of ``latest`` goes: the same draft set
        aside again (put back by hand, or by a folder kept in sync) takes one file, not one
        per turn. One saved again by the newer version differs at least in when it was
        saved (``saved_at``), and is another. Each of the others holds a form typed in the
        newer version and not seen there since; the latest is the likeliest to be wanted,
        and a few more leave room for turns gone by unnoticed.
        """
        keep_few_set_aside(
            self.path,
            NEWER_VERSION_SUFFIX,
            latest,
            keep=KEPT_NEWER_VERSION_DRAFTS,
            largest=MAX_DRAFT_BYTES,
        )


def newer_draft_set_aside_text(backup: Path) -> str:
    """Plain words for the window: a newer version's draft was kept aside at ``backup``."""
    return (
        f"The draft saved by a newer version of Kombo Desktop was set aside as {backup}, "
        "so that nothing in it is lost. This version saves your form as usual."
    )


def damaged_draft_text(damaged: DamagedDraft) -> str:
    """Plain words for the window: the draft of the last session could not be restored,
    why, and where it is kept (or that it could not be moved, and will be written over)."""
    said = f"The draft from your last session could not be restored: {damaged.reason}."
    if damaged.kept_as is None:
        return (
            f"{said} It could not be moved aside ({damaged.move_error}), so it will be "
            "replaced by the form you type now."
        )
    return (
        f"{said} It was kept as {damaged.kept_as.name} in {damaged.kept_as.parent}, and "
        "the form starts empty."
    )


def draft_too_large_text(error: DraftTooLargeError) -> str:
    """Plain words for the window: the form is too large to keep as a draft."""
    return (
        f"The draft was not saved: the form is too large to keep "
        f"({_megabytes(error.size)}; a draft holds up to {_megabytes(MAX_DRAFT_BYTES)}). "
        "The form as it is now will not come back after a restart."
    )


def _megabytes(size: int) -> str:
    """``size`` bytes as a person reads it: "16 MB", "17.3 MB" (never "16.0 MB")."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def _damage_reason(error: BaseException) -> str:
    """Why a draft could not be read, in plain words (see ``DamagedDraft.reason``)."""
    if isinstance(error, _DamageError):
        return str(error)
    if isinstance(error, UnicodeDecodeError):
        return "it is not a text file"
    if isinstance(error, json.JSONDecodeError):
        # Valid up to where it ends (in a text, or where more was to come): written in
        # part, as when the computer stopped meanwhile.
        if error.msg.startswith("Unterminated string") or error.pos >= len(error.doc.rstrip()):
            return "it is incomplete"
        return "it is not valid JSON"
    if isinstance(error, OSError):
        return f"it could not be read ({error.strerror or error})"
    # What is not a form: a member of the wrong kind (``FormState.from_dict``).
    return "it is not a Kombo Desktop draft"


def _is_newer_version(document: dict[str, Any]) -> bool:
    """True when a draft says it is of a later format than this version writes.

    No version, or one that is not a number, is read as this version's, as before.
    """
    version = document.get("version")
    return (
        isinstance(version, int | float)
        and not isinstance(version, bool)
        and version > DRAFT_VERSION
    )


def _understood_form(document: dict[str, Any]) -> FormState:
    """What this version can show of a newer version's draft: the members it knows."""
    form = document.get("form")
    return FormState.from_dict(form) if isinstance(form, dict) else FormState()


def _sha256(pieces: Iterable[bytes]) -> bytes:
    """The SHA-256 digest of ``pieces`` put together."""
    import hashlib  # OpenSSL's library: loaded for a large draft only (DIGESTED_FROM_BYTES)

    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.digest()


def _as_written(state: FormState) -> Any:
    """``state``'s form as ``save`` writes it, through JSON: tuples become lists, keys
    are replaced."""
    return json.loads(json.dumps(_without_keys(state.to_dict()), ensure_ascii=False))


def _without_keys(value: Any) -> Any:
    """``value`` (a draft's JSON) with every Kombo key in its texts replaced by
    ``KEY_REMOVED``: a key typed into a field is refused for sending there, and must not
    reach the disk either."""
    if isinstance(value, str):
        return without_api_keys(value, KEY_REMOVED)
    if isinstance(value, dict):
        return {key: _without_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_without_keys(item) for item in value]
    return value
