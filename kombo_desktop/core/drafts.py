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
"""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kombo_desktop.core import paths
from kombo_desktop.core.atomic import move_aside, set_aside_files, write_text_atomic
from kombo_desktop.core.connection import KEY_REMOVED, without_api_keys
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.text import decode_file_text

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
#: A draft is a few kilobytes; anything far larger is not one of ours.
MAX_DRAFT_BYTES = 4 * 1024 * 1024


class DraftStore:
    """Saves and loads the form's draft at ``path`` (default: ``data_dir()/draft.json``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.data_dir() / DRAFT_FILE_NAME

    def save(self, state: FormState) -> Path | None:
        """Write ``state`` atomically (owner-only permissions); raises ``OSError`` on failure.

        A draft a newer version wrote there is moved aside first, never overwritten: the
        name it now has is returned (``None`` when nothing was set aside). When it cannot
        be moved, nothing is written and the ``OSError`` is raised.
        """
        set_aside = self._set_aside_if_newer()
        document = {
            "format": DRAFT_FORMAT,
            "version": DRAFT_VERSION,
            "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "form": _without_keys(state.to_dict()),
        }
        write_text_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")
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

        A damaged file is moved aside to ``draft.json.damaged`` (never deleted, it
        may still hold something a person wants) and ``None`` is returned. A newer
        version's draft gives what this version understands of it (an empty form when
        that is nothing) and stays where it is: ``save`` sets it aside.
        """
        try:
            document = self._read_document()
            if not isinstance(document, dict) or document.get("format") != DRAFT_FORMAT:
                raise ValueError("the file is not a Kombo Desktop draft")
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
                raise ValueError("the draft has no form")
            return FormState.from_dict(form)
        except FileNotFoundError:
            return None
        except RecursionError:
            # Brackets opened thousands of times over: damage, never a draft.
            log.warning("Could not read the draft %s: it is nested too deeply", self.path)
            self._set_aside()
            return None
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            log.warning("Could not read the draft %s: %s", self.path, exc)
            self._set_aside()
            return None

    def _read_document(self) -> object:
        """The file's JSON; ``OSError``, ``ValueError`` (``UnicodeDecodeError`` among them)
        or ``RecursionError`` when it cannot be read as such.

        A byte-order mark before it is allowed, as for the profiles: the draft is a
        person's work, and a file opened and saved again in Notepad is still that work.
        """
        if self.path.stat().st_size > MAX_DRAFT_BYTES:
            raise ValueError("the file is too large to be a draft")
        return json.loads(decode_file_text(self.path.read_bytes()))

    def clear(self) -> None:
        """Remove the draft file, if any."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _set_aside(self) -> None:
        try:
            move_aside(self.path)
        except OSError as exc:
            log.warning("Could not move the damaged draft aside: %s", exc)

    def _set_aside_if_newer(self) -> Path | None:
        """Move a newer version's draft out of the way of a save; its new name, or ``None``
        when the file is not one (missing, ours, older, damaged: those are written over)."""
        try:
            document = self._read_document()
        except (OSError, ValueError, UnicodeDecodeError, RecursionError):
            return None
        if not (
            isinstance(document, dict)
            and document.get("format") == DRAFT_FORMAT
            and _is_newer_version(document)
        ):
            return None
        # Raises when it cannot be moved: the save then writes nothing over it.
        backup = move_aside(self.path, NEWER_VERSION_SUFFIX)
        log.warning("A newer version's draft was set aside as %s", backup)
        self._keep_few_set_aside(backup)
        return backup

    def _keep_few_set_aside(self, latest: Path) -> None:
        """Remove the newer versions' drafts set aside before ``latest`` (set aside just
        now) that nobody needs, so that they stay few however often two versions take
        turns. Blocking, like ``save``, which calls it.

        The policy, in this order:

        - an earlier one that holds the very bytes of ``latest`` goes: ``latest`` holds
          all of it, under the later name, so the names stay in the order the drafts came.
          The same draft set aside again (put back by hand, or by a folder kept in sync)
          takes one file, not one per turn. One saved again by the newer version differs
          at least in when it was saved (``saved_at``), and is another.
        - of the others, the ``KEPT_NEWER_VERSION_DRAFTS - 1`` set aside last are kept
          next to ``latest``, older ones go. Each holds a form typed in the newer version
          and not seen there since; the latest is the likeliest to be wanted, and a few
          more leave room for turns gone by unnoticed.

        ``latest`` itself is always kept, even when a clock set back gave it an earlier
        name than the others. Only names ``move_aside`` gives count, never a copy a person
        named otherwise. Removing is best effort, and the save goes on whatever happens: a
        file that cannot be read is never taken for a copy, one that cannot be removed is
        left where it is, and logged.
        """
        try:
            listed = set_aside_files(self.path, NEWER_VERSION_SUFFIX)
        except OSError as exc:
            log.warning("Could not look for newer versions' drafts set aside: %s", exc)
            return
        earlier = [path for path in listed if path != latest]
        copies = [path for path in earlier if _same_bytes(path, latest)]
        others = [path for path in earlier if path not in copies]
        too_old = others[: max(0, len(others) - (KEPT_NEWER_VERSION_DRAFTS - 1))]
        for path in copies + too_old:
            try:
                path.unlink()
            except OSError as exc:
                log.warning("Could not remove the newer version's draft %s: %s", path, exc)
            else:
                log.info("Removed the newer version's draft %s, no longer needed", path)


def newer_draft_set_aside_text(backup: Path) -> str:
    """Plain words for the window: a newer version's draft was kept aside at ``backup``."""
    return (
        f"The draft saved by a newer version of Kombo Desktop was set aside as {backup}, "
        "so that nothing in it is lost. This version saves your form as usual."
    )


def _same_bytes(first: Path, second: Path) -> bool:
    """True when both files hold the very same bytes; False when either cannot be read,
    or is larger than a draft can be (read only when both are the same size)."""
    try:
        size = first.stat().st_size
        if size != second.stat().st_size or size > MAX_DRAFT_BYTES:
            return False
        return first.read_bytes() == second.read_bytes()
    except OSError:
        return False


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
