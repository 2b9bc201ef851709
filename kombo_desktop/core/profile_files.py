"""Profiles exported to a file and imported from one: the rules and the words that Manage
profiles and ``kombo-desktop profiles export|import`` share.

An export is the profiles without their keys (``ProfileStore.export_json``); a name given
without an extension gets ".json" (``with_export_suffix``), and a file already there is
replaced only when the caller says so (``export_unless_there``). An import reads any
file, whatever its name, as text of any common encoding (``read_and_import``); what it
did is said by ``ImportResult.message``, what stopped it by ``import_failure``.

Both may be slow (fsync, a file on a network share): GUI code calls them off the GUI
thread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kombo_desktop.core.atomic import create_unless_there
from kombo_desktop.core.connection import HeldKeys
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.profiles import ImportResult, ProfileStore
from kombo_desktop.core.sentences import counted
from kombo_desktop.core.text import decode_file_text

if TYPE_CHECKING:
    from kombo_desktop.core.messages import UserMessage

#: Added to the name of an export's file given without a suffix (``with_export_suffix``).
EXPORT_SUFFIX = ".json"

#: What every change to a profile does to a file (for "Could not …" when it fails).
WRITE_PROFILES = "write the profiles file"

#: What a failed export means for the person.
NOTHING_EXPORTED = "Nothing was exported"

#: What a failed import means for the person.
NOTHING_IMPORTED = "Nothing was imported"


def with_export_suffix(path: Path) -> Path:
    """``path``, with ".json" added to its name unless that has a suffix of its own.

    A suffix is what follows the last dot of the name when it holds a letter and no space
    ("acme.json", "acme.profiles"): the person typed it on purpose, and the file is
    named as typed; the import reads any file, whatever its name. Any other name
    ("acme-profiles", "Acme v1.2", "Acme Inc. export") gets ".json", so that the
    system opens the file with a program that reads it.
    """
    name = path.name
    _stem, dot, suffix = name.rpartition(".")
    if dot and any(c.isalpha() for c in suffix) and not any(c.isspace() for c in suffix):
        return path
    # A name that ends with a dot ("acme.") takes the suffix after that dot.
    ending = EXPORT_SUFFIX.removeprefix(".") if name.endswith(".") else EXPORT_SUFFIX
    return path.with_name(name + ending)


def export_name_problem(given: str, held: HeldKeys | None = None) -> str | None:
    """Why ``given``, what was given as the file an export writes, is refused, in words
    that start with what is at fault; ``None`` when it names a file.

    A name holding an API key would keep the key in clear in the file's name, in every
    listing of its folder and in the words that name the file: it is never repeated.
    ``held``, the keys the caller holds, are found in it whatever their shape. A
    folder ("exports/", ".", an existing folder's name) names no file: the ".json" rule
    would write beside it ("exports.json"), or fail. Asks the disk whether ``given`` is a
    folder: GUI code asks ``export_name_text_problem`` on the GUI thread, and this one
    off it.
    """
    problem = export_name_text_problem(given, held)
    if problem is None and Path(given).is_dir():
        return _is_a_folder(given)
    return problem


def export_name_text_problem(given: str, held: HeldKeys | None = None) -> str | None:
    """What ``export_name_problem`` finds in ``given`` without asking the disk: a key (of
    the ``ks_…`` shapes, or one of ``held``), no name, a name that can only be a folder
    ("exports/", ".")."""
    from kombo_desktop.core.connection import (
        HELD_KEY_IN_TEXT_PROBLEM,
        KEY_IN_TEXT_PROBLEM,
        contains_api_key,
    )

    if contains_api_key(given):
        return f"The file's name {KEY_IN_TEXT_PROBLEM}"
    # Said without the ``ks_…`` hint: a held key of another shape does not start so.
    if held is not None and held.found_in(given):
        return f"The file's name {HELD_KEY_IN_TEXT_PROBLEM}"
    if not given.strip():
        return "The file's name is empty: give the name of the file to write"
    if given.endswith(("/", os.sep)) or Path(given).name in ("", ".", ".."):
        return _is_a_folder(given)
    return None


def _is_a_folder(given: str) -> str:
    """What an export to the folder ``given`` is told."""
    example = Path(given) / "kombo-profiles.json"
    return f"“{given}” is a folder: give the name of a file in it, e.g. {example}"


def export_unless_there(
    store: ProfileStore,
    path: Path,
    *,
    replace: bool,
    profile_ids: list[str] | None = None,
) -> int | None:
    """``store.export_json(path, profile_ids)``: how many profiles were written; but with
    ``replace`` False only when nothing is at ``path`` (None then: nothing was written).

    Nothing there is not asked first: the export is written beside ``path`` and named
    only if nothing is there by then (``create_unless_there``), so that a file created
    meanwhile is not replaced. A link that leads nowhere is there too.
    """
    if replace:
        return store.export_json(path, profile_ids)
    return create_unless_there(path, lambda temp: store.export_json(temp, profile_ids))


def exported_words(count: int, path: Path) -> str:
    """What a finished export says: how many profiles went to ``path``, and that no key did."""
    return f"Exported {counted(count, 'profile')} to {path}. The file holds no API keys."


def export_failure(error: BaseException, path: Path) -> UserMessage:
    """Why the export to ``path`` failed, in plain words: nothing was exported."""
    from kombo_desktop.core.messages import describe_failure

    return describe_failure(error, consequence=NOTHING_EXPORTED, file_action=f"write {path}")


#: The largest file an import reads: an export of thousands of profiles is a few hundred
#: kilobytes.
LARGEST_IMPORT_BYTES = 10 * 1024 * 1024


def _too_large_to_import(path: Path, size: int) -> str:
    megabytes = size / (1024 * 1024)
    return (
        f"{path} is too large to be a profiles export ({megabytes:.0f} MB; an export is at "
        f"most {LARGEST_IMPORT_BYTES // (1024 * 1024)} MB): choose the file Export made"
    )


def read_and_import(store: ProfileStore, path: Path, held: HeldKeys) -> ImportResult:
    """Add the profiles of the file at ``path`` (``ProfileStore.import_json``, given
    ``held``).

    A file that cannot be read, or is not text, raises ``InputError`` on ``import`` as the
    file's other problems do (an empty file, one that is not an export): so that a failed
    read is never told as a failed write of the profiles file, which is an ``OSError``.
    """
    try:
        size = path.stat().st_size
        if size > LARGEST_IMPORT_BYTES:
            # Read whole, a file chosen by mistake (a video, a disk image) would take the
            # memory of the app, and the window with it, before its format was looked at.
            raise InputError([FieldError("import", _too_large_to_import(path, size))])
        text = decode_file_text(path.read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        from kombo_desktop.core.messages import describe_failure

        reason = describe_failure(exc, file_action=f"read {path}").text
        raise InputError([FieldError("import", reason)]) from None
    return store.import_json(text, held)


def import_failure(error: BaseException) -> UserMessage:
    """Why an import failed, in plain words: nothing was imported. A problem of the file
    (``read_and_import``) names it; what is left is saving the profiles file."""
    from kombo_desktop.core.messages import describe_failure

    return describe_failure(error, consequence=NOTHING_IMPORTED, file_action=WRITE_PROFILES)
