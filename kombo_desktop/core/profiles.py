"""Credential profiles: one per customer integration, everything but the key in one JSON file.

The file (``profiles.json`` in the config directory) holds a format version, the
profiles and the id of the last used one. Keys live in the OS keyring
(``core.secrets.KeyStore``) under each profile's stable id, so a rename never
loses a key.

A damaged or unreadable file is moved aside (``profiles.json.damaged-<time>``)
and the store starts empty; ``LoadResult.message`` says what happened so the GUI
and the command line can tell the person. The copy set aside keeps everything but
the API keys written in it, for recovery. A file damaged again at each start (by a
program that writes it wrongly, a folder kept in sync) would fill the folder: the same
content set aside again replaces its earlier copy, and only the
``KEPT_DAMAGED_FILES`` set aside last are kept.

An earlier version let an API key into a profile's integration ID or name. Such a
profile is still read, under its id (so its key in the keyring stays its own): the
key-shaped integration ID is left empty, to be entered again, and a key in the name
is replaced by "[API key removed]". The file is rewritten at once without the key,
and ``LoadResult.message`` says so. A profile of the file without integration ID is
therefore read as one (``connection_for_profile`` says it is missing); saving it
needs one, but a duplicate of it is made without one, as its original is. Where the
person is told to enter it again depends on where they are: the window names Manage
profiles (``in_the_window``), the command line its command (an
``IntegrationIdRemedy`` given to the store).

Import and export use the same shape without keys. On import every profile gets
a new id (an imported profile must never pick up a key left in the keyring by
another profile). A profile whose settings (region or base URL, integration id)
match an existing one of the same name, or of that name plus " (n)", is skipped,
so importing a file twice changes nothing; a name already taken by a different
profile gets " (2)", " (3)"… (a long name is shortened to make room: the check for
"already here" knows that form too). Imported profiles have no key until one is added.
A key found in an imported entry is left out of it as a load leaves it out (so an
earlier version's export still imports), and the person is told that the file holds one.

Methods that change the store re-read the file first if another process changed
it, then write it atomically, holding a lock file beside it (``profiles.json.lock``)
from that read to the write: two processes saving at the same moment (two windows, a
window and the command line) each keep the other's change. One that cannot take the
lock within ``LOCK_TIMEOUT_S`` raises ``ProfilesFileBusy``, an ``OSError`` like any
failed write. An edit writes only what it changes onto the profile as the file holds it
then (``ProfileStore.update_with``), so that a key stored meanwhile by another process
keeps its environment in the file. They may be slow (fsync): GUI code calls them off
the GUI thread. The store is safe to use from several threads. ``reload_if_changed``
reads the file again when another process has changed it, for a window that follows
such changes.

Names are compared as a person sees them: case, the spaces between words, invisible
characters (a zero-width space pasted along) and the Unicode form (``é`` typed as one
character or as ``e`` and an accent) are not told apart, so two names that look alike
cannot be two profiles. A name is kept as it is seen: in one Unicode form (NFC), without
invisible characters (but for the joiners of ``text.JOINERS``, which change how a word
looks).
"""

from __future__ import annotations

import enum
import errno
import json
import logging
import re
import shlex
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from kombo_desktop.core import paths
from kombo_desktop.core.atomic import (
    DAMAGED,
    file_signature,
    keep_few_set_aside,
    move_aside,
    write_text_atomic,
)
from kombo_desktop.core.attribute_rows import visible_key
from kombo_desktop.core.connection import (
    API_KEY_VARIABLE,
    FIELD_NAMES,
    KEY_IN_TEXT_PROBLEM,
    KEY_REMOVED,
    NO_HELD_KEYS,
    Connection,
    Environment,
    HeldKeys,
    Region,
    base_url_sending_problem,
    contains_api_key,
    integration_id_without_quotes,
    looks_like_api_key,
    saved_key_problem,
    validate_base_url,
    validate_integration_id,
    without_api_keys,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore, SecretStoreError
from kombo_desktop.core.sentences import as_sentence, counted
from kombo_desktop.core.text import (
    as_compared,
    decode_file_text,
    has_control_characters,
    has_line_break_or_tab,
    strip_edges,
    without_invisible_characters,
)

if TYPE_CHECKING:
    from filelock import BaseFileLock
    from typing_extensions import Unpack

log = logging.getLogger(__name__)

PROFILES_FILE_NAME = "profiles.json"
FILE_FORMAT = "kombo-desktop-profiles"
EXPORT_FORMAT = "kombo-desktop-profiles-export"
FORMAT_VERSION = 1
MAX_NAME_LENGTH = 100
#: How long a change waits for another process's change of the file to end.
LOCK_TIMEOUT_S = 5.0
#: How many damaged profiles files set aside are kept beside the file, the latest first.
KEPT_DAMAGED_FILES = 5

#: Why a JSON file nested deeper than Python reads is not used.
TOO_DEEP = "it is not valid JSON (it is nested too deeply to be read)"

NO_KEY_NOTE = "Imported profiles have no API key yet: add each profile's key before using it."

#: What an import that added no profile (all already here, say) starts with.
NONE_IMPORTED = "No profiles were imported."

#: Where an integration ID taken out of a profile (it was an API key) is entered again.
IN_THE_WINDOW = "(in the window: Manage profiles)"

#: Given a profile's name, the words that end "enter the integration ID again …": where
#: or how the person enters it, which depends on where they are (window, command line; a
#: command is shown by ``with_this_command``, on a line of its own).
IntegrationIdRemedy = Callable[[str], str]


def in_the_window(_profile_name: str) -> str:
    """The window's ``IntegrationIdRemedy``: Manage profiles, whatever the profile."""
    return IN_THE_WINDOW


def profiles_command(action: str, profile_name: str, options: str = "") -> str:
    """``kombo-desktop profiles ACTION NAME OPTIONS`` as a person copies it into a shell.

    The name is quoted for a shell; one starting with a dash would read as an option, so
    it comes last, after ``--`` (``profiles edit --integration-id ID -- -Acme``).
    """
    name = shlex.quote(profile_name)
    if profile_name.startswith("-"):
        words = [action, options, "--", name]
    else:
        words = [action, name, options]
    return " ".join(["kombo-desktop profiles", *(word for word in words if word)])


#: Before a command that a message shows on a line of its own (``with_this_command``).
_COMMAND_INDENT = "  "


def with_this_command(command: str) -> str:
    """The end of a message that tells a person to run ``command``: "with this command:",
    then the command alone on the next line, indented, with nothing after it.

    Copied from there, the command takes no punctuation of the sentence along: a full
    stop after ``… -- -Acme`` would name the profile ``-Acme.``. What follows the message
    goes on a line of its own (``_then``).
    """
    return f"with this command:\n{_COMMAND_INDENT}{command}"


def _ends_with_command(text: str) -> bool:
    """True when ``text`` ends with a command on a line of its own (``with_this_command``)."""
    return "\n" in text and text.rpartition("\n")[2].startswith(_COMMAND_INDENT)


def _sentence(text: str) -> str:
    """``text`` with its full stop, unless it ends with a command: nothing goes after one."""
    return text if _ends_with_command(text) else f"{text}."


def _then(text: str, more: str) -> str:
    """``more`` after ``text``: on the next line when ``text`` ends with a command, so
    that the command stays alone on its line, else after a space."""
    return f"{text}\n{more}" if _ends_with_command(text) else f"{text} {more}"


def default_profiles_path() -> Path:
    """Where the profiles file lives: ``config_dir() / "profiles.json"``."""
    return paths.config_dir() / PROFILES_FILE_NAME


def new_profile_id() -> str:
    """A fresh stable profile id (uuid4 hex)."""
    import uuid  # with ``platform`` behind it: worth loading only when a profile is made

    return uuid.uuid4().hex


@dataclass(frozen=True)
class Profile:
    """One customer integration: where to send and as whom. Never holds the key.

    Exactly one of ``region`` and ``base_url`` is set. ``key_environment`` is the
    environment of the key last saved in the keyring for this profile (None: no key
    saved there), so lists can show it without opening the keyring; the key itself
    remains the authority once read.

    ``replaced_key_left``: a key kept for this session only replaced the one saved in the
    keyring, and the keyring would not delete that one. Once the session is over it must
    not come back as the profile's key without a word (the lists say "No key"): while
    this is set, a key found in the keyring is never used (``stored_key``). A file
    written before this was noted reads as False.
    """

    id: str
    name: str
    integration_id: str
    region: Region | None = None
    base_url: str | None = None
    key_environment: Environment | None = None
    replaced_key_left: bool = False

    @property
    def base_url_or_region_label(self) -> str:
        """``EU``, ``US`` or the custom base URL, for lists and summaries."""
        if self.base_url:
            return self.base_url
        return (self.region or Region.EU).label

    def same_settings(self, other: Profile) -> bool:
        """True when both send to the same place as the same integration (name ignored)."""
        return (
            self.region == other.region
            and self.base_url == other.base_url
            and self.integration_id == other.integration_id
        )

    def to_json(self, *, with_id: bool = True) -> dict[str, Any]:
        """The profile as stored in the file (``with_id`` False for exports)."""
        data: dict[str, Any] = {}
        if with_id:
            data["id"] = self.id
        data.update(
            {
                "name": self.name,
                "region": self.region.value if self.region else None,
                "base_url": self.base_url,
                "integration_id": self.integration_id,
            }
        )
        if with_id:
            data["key_environment"] = self.key_environment.value if self.key_environment else None
            if self.replaced_key_left:
                # Written only when set: the file stays as earlier versions wrote it.
                data["replaced_key_left"] = True
        return data


@dataclass(frozen=True)
class LoadResult:
    """What ``ProfileStore.load`` found; ``message`` is set when the file was damaged or
    an API key was taken out of it."""

    profiles: tuple[Profile, ...]
    message: str | None = None
    backup_path: Path | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did, and a summary in plain words."""

    imported: tuple[Profile, ...] = ()
    skipped: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    #: The profiles whose entry in the file held an API key (left out of them), imported
    #: or not.
    keys_left_out: tuple[str, ...] = ()
    #: Profiles the file holds more than once, imported once (each name said once).
    repeated: tuple[str, ...] = ()
    #: Of ``skipped``, those already here under another name (an earlier import of the
    #: same file renamed them): (the name in the file, the name here).
    skipped_as: tuple[tuple[str, str], ...] = ()

    @property
    def message(self) -> str:
        """E.g. ``Imported 2 profiles (…). Imported profiles have no API key yet…``, or
        ``No profiles were imported. Skipped because they already exist: …``."""
        parts: list[str] = []
        count = len(self.imported)
        parts.append(f"Imported {counted(count, 'profile')}." if count else NONE_IMPORTED)
        if self.renamed:
            pairs = ", ".join(f"“{old}” as “{new}”" for old, new in self.renamed)
            parts.append(f"Renamed because the name was taken: {pairs}.")
        if self.skipped:
            here = dict(self.skipped_as)
            names = ", ".join(
                f"“{n}” (here as “{here[n]}”)" if n in here else f"“{n}”"
                for n in dict.fromkeys(self.skipped)
            )
            parts.append(f"Skipped because they already exist: {names}.")
        if self.repeated:
            names = ", ".join(f"“{n}”" for n in self.repeated)
            parts.append(f"Imported once, though the file holds them more than once: {names}.")
        without_id = [p.name for p in self.imported if not p.integration_id]
        if without_id:
            names = ", ".join(f"“{n}”" for n in without_id)
            parts.append(f"No integration ID yet (enter it before using them): {names}.")
        if self.keys_left_out:
            # The file still holds the key in clear: the person should know to get rid of it.
            names = ", ".join(f"“{n}”" for n in self.keys_left_out)
            parts.append(
                f"The file holds an API key, which was not imported, for: {names}. Keys are "
                "never kept in a file: delete that file, or take the key out of it."
            )
        if count:
            parts.append(NO_KEY_NOTE)
        return " ".join(parts)


# --- validation ------------------------------------------------------------------------------


def _control_character_problem(name: str) -> str:
    """What a name holding a control character is told: a line break or a tab, when one
    is there, else the control character (BEL, ESC…) that no one sees."""
    if not has_line_break_or_tab(name):
        return "must not contain a control character (it may have been pasted with it)"
    return "must not contain line breaks or tabs"


def validate_profile_name(name: str) -> str:
    """The name as it is seen (``_visible_name``), inner runs of spaces made one, or
    ``InputError`` on ``profile_name``.

    Uniqueness is checked elsewhere.
    """
    value = _visible_name(name)
    if not value:
        raise InputError([FieldError("profile_name", "is required", missing=True)])
    # Checked before the spaces are collapsed, which would turn a line break into a space.
    if has_control_characters(value):
        raise InputError([FieldError("profile_name", _control_character_problem(value))])
    # "Acme  GmbH" and "Acme GmbH" look the same in every list: they are one name, kept
    # in one spelling, as the spaces around a name are dropped.
    value = _collapse_spaces(value)
    # The name is saved in plain text and shown in every list: a key pasted into it (or
    # next to a customer's name, in brackets, after a slash) must not get there. The
    # message never quotes the key.
    if contains_api_key(value):
        raise InputError([FieldError("profile_name", KEY_IN_TEXT_PROBLEM)])
    if len(value) > MAX_NAME_LENGTH:
        raise InputError(
            [FieldError("profile_name", f"must be at most {MAX_NAME_LENGTH} characters")]
        )
    return value


class ProfileFields(TypedDict, total=False):
    """The optional fields of ``build_profile``, for functions that pass them on."""

    region: Region | str | None
    base_url: str | None
    profile_id: str | None
    key_environment: Environment | None
    replaced_key_left: bool


def build_profile(
    *,
    name: str,
    integration_id: str,
    region: Region | str | None = None,
    base_url: str | None = None,
    profile_id: str | None = None,
    key_environment: Environment | None = None,
    replaced_key_left: bool = False,
    integration_id_required: bool = True,
) -> Profile:
    """A validated profile; every field at fault reported at once as ``InputError``.

    Fields: ``profile_name``, ``integration_id``, ``base_url``, ``region``. A
    ``base_url`` given as text, even empty, means a custom URL was chosen (an empty one
    beside a region is no choice): it is checked by ``validate_base_url``, as every
    custom URL is, so an empty one is reported at ``base_url``; with neither, the
    problem is reported at ``region``.

    ``integration_id_required`` False lets an empty integration ID through: only for a
    profile read from the profiles file, where one stays empty once an API key was taken
    out of it, until the person enters it again (saving checks it as ever).
    """
    errors: list[FieldError] = []
    checked_name = checked_integration = ""
    checked_region: Region | None = None
    checked_url: str | None = None
    try:
        checked_name = validate_profile_name(name)
    except InputError as exc:
        errors.extend(exc.errors)
    if integration_id_required or integration_id.strip():
        try:
            checked_integration = validate_integration_id(integration_id)
        except InputError as exc:
            errors.extend(exc.errors)
    if isinstance(region, str):
        try:
            region = Region.parse(region)
        except InputError as exc:
            errors.extend(exc.errors)
            region = None
    url_typed = bool((base_url or "").strip())
    if url_typed and region is not None:
        errors.append(FieldError("region", "choose a region or a custom base URL, not both"))
    elif base_url is not None and (url_typed or region is None):
        # A custom URL, even one left empty, is judged by the one rule for custom URLs, so
        # that a profile and the connection bar say the same about it.
        try:
            checked_url = validate_base_url(base_url)
        except InputError as exc:
            errors.extend(exc.errors)
    elif region is None:
        if not any(error.field == "region" for error in errors):  # said once is enough
            errors.append(FieldError("region", "choose EU, US or a custom base URL"))
    else:
        checked_region = region
    if errors:
        raise InputError(errors)
    return Profile(
        id=profile_id or new_profile_id(),
        name=checked_name,
        integration_id=checked_integration,
        region=checked_region,
        base_url=checked_url,
        key_environment=key_environment,
        replaced_key_left=replaced_key_left,
    )


def revalidated(profile: Profile, *, integration_id_required: bool = True) -> Profile:
    """``profile`` checked again field by field (``InputError`` names what is wrong).

    ``integration_id_required`` is passed on to ``build_profile``.
    """
    return build_profile(
        name=profile.name,
        integration_id=profile.integration_id,
        region=profile.region,
        base_url=profile.base_url,
        profile_id=profile.id,
        key_environment=profile.key_environment,
        replaced_key_left=profile.replaced_key_left,
        integration_id_required=integration_id_required,
    )


def _profile_from_json(
    data: object, *, with_id: bool = True, integration_id_required: bool = True
) -> Profile:
    """A profile from a file entry, the reverse of ``Profile.to_json``.

    ``with_id`` False reads an entry as an export carries it: any id or key environment
    in it is ignored, and the profile gets a new id. ``integration_id_required`` is
    passed on to ``build_profile``. ``ValueError`` explains what is wrong with the entry.
    """
    if not isinstance(data, dict):
        raise ValueError("is not an object")
    profile_id: str | None = None
    environment: Environment | None = None
    replaced_key_left = False
    if with_id:
        raw_id = data.get("id")
        if not isinstance(raw_id, str) or not raw_id.strip():
            raise ValueError("has no id")
        profile_id = raw_id.strip()
        raw_environment = data.get("key_environment")
        if isinstance(raw_environment, str):
            try:
                environment = Environment(raw_environment)
            except ValueError:
                environment = Environment.UNKNOWN
        replaced_key_left = data.get("replaced_key_left") is True
    texts = {}
    for key in ("name", "integration_id"):
        value = data.get(key)
        if not isinstance(value, str):
            raise ValueError(f"has no {key}")
        texts[key] = value
    # An earlier version saved (and exported) an ID copied with its quotes, which Kombo
    # never knew: read as the ID that was meant, not refused as damaged.
    texts["integration_id"] = integration_id_without_quotes(texts["integration_id"])
    region = data.get("region")
    base_url = data.get("base_url")
    if region is not None and not isinstance(region, str):
        raise ValueError("has an invalid region")
    if base_url is not None and not isinstance(base_url, str):
        raise ValueError("has an invalid base_url")
    try:
        return build_profile(
            name=texts["name"],
            integration_id=texts["integration_id"],
            region=region,
            base_url=base_url,
            profile_id=profile_id,
            key_environment=environment,
            replaced_key_left=replaced_key_left,
            integration_id_required=integration_id_required,
        )
    except InputError as exc:
        # In words, not the form's field names: said of a file being imported or set aside.
        # "its region: …": a field's words may be an order ("choose a region…") as well
        # as what it is ("must be EU or US").
        said = "; ".join(
            f"its {FILE_FIELD_WORDS.get(error.field, error.field)}: {error.message}"
            for error in exc.errors
        )
        raise ValueError(f"is invalid ({said})") from None


#: A profile's fields as the words about a profiles file name them.
FILE_FIELD_WORDS = {**FIELD_NAMES, "profile_name": "name"}


def _take_keys_out(entry: object, held: HeldKeys = NO_HELD_KEYS) -> tuple[object, tuple[str, ...]]:
    """A profiles file entry without the API key an earlier version let into its name,
    base URL or integration ID, and where a key was found ("name", "base URL",
    "integration ID"). A key of Kombo's shape, or one of ``held`` (the keys an import's
    caller holds, whatever their shape).

    A key-shaped integration ID is emptied (one holding a key of ``held`` too), a key in
    the name replaced by ``KEY_REMOVED``, a base URL cut where its key began
    (``_address_without_key``); the rest of the entry is kept, its id first of all (the
    key in the keyring goes by it).
    """
    if not isinstance(entry, dict):
        return entry, ()
    cleaned = dict(entry)
    places: list[str] = []
    name = entry.get("name")
    if isinstance(name, str) and held.any_key_in(name):
        without = held.removed_from(without_api_keys(name, KEY_REMOVED), KEY_REMOVED)
        # A key shorter than the words put in its place could make the name too long.
        cleaned["name"] = _collapse_spaces(without)[:MAX_NAME_LENGTH]
        places.append("name")
    base_url = entry.get("base_url")
    if isinstance(base_url, str) and held.any_key_in(base_url):
        cleaned.update(_address_without_key(base_url, entry.get("region"), held))
        places.append("base URL")
    integration_id = entry.get("integration_id")
    if isinstance(integration_id, str) and (
        looks_like_api_key(integration_id) or held.found_in(integration_id)
    ):
        cleaned["integration_id"] = ""
        places.append("integration ID")
    return cleaned, tuple(places)


def _holds_api_key(entry: object, held: HeldKeys) -> bool:
    """Whether a field of an imported entry (``api_key``, say, written by hand or by
    another program) holds an API key in clear: of Kombo's shape, or one of ``held``."""
    return isinstance(entry, dict) and any(
        isinstance(value, str) and held.any_key_in(value) for value in entry.values()
    )


def _address_without_key(base_url: str, region: object, held: HeldKeys) -> dict[str, object]:
    """Where a profile whose base URL held an API key sends requests once it is taken out
    (the entry's new ``base_url``, and ``region`` if that changes).

    The URL as far as the first key began: where a key ends in a URL cannot be told (a
    ``/`` may be part of one), and a key is pasted onto the end of an address, so what is
    left is the address that was meant (``https://api.kombo.dev/v1/ks_prod_…`` becomes
    the EU address). When no usable address is left, the key standing in the host
    (``https://eu-ks_prod_….example.com`` would leave ``https://eu-``, a host nobody
    chose), the entry's region, or else EU, where every new profile starts. Either way
    the profile's key goes only to a host the person chose or to Kombo's own, and the
    profiles list shows where.
    """
    cut = held.first_key_start(base_url)
    if cut is not None and cut >= _end_of_host(base_url):
        with suppress(InputError):
            # A query or fragment mark the key stood in is left out with it (``…/v1?``).
            return {"base_url": validate_base_url(base_url[:cut].rstrip("?#"))}
    return {"base_url": None, "region": region or Region.EU.value}


def _end_of_host(url: str) -> int:
    """Where the scheme, host and port of ``url`` end: at its path, query or fragment."""
    scheme_end = url.find("//")
    start = 0 if scheme_end < 0 else scheme_end + 2
    ends = [at for at in (url.find(mark, start) for mark in "/?#") if at >= 0]
    return min(ends, default=len(url))


def _keys_taken_out_message(
    found: list[tuple[str, tuple[str, ...]]], *, written: bool, remedy: IntegrationIdRemedy
) -> str:
    """What the person is told of the keys ``_take_keys_out`` found: per profile (its
    name as now kept), where the key was, and what to do (``remedy``: where to enter an
    integration ID again; a command ends its line, ``_then``); ``written`` False when the
    file could not be rewritten without them."""
    removed = (
        "removed from the profiles file"
        if written
        else "left out, but the profiles file could not be rewritten without it yet"
    )
    sentences = []
    for name, places in found:
        sentence = f"An API key was found in the {' and the '.join(places)} of profile “{name}” "
        sentence += f"and {removed}"
        if "integration ID" in places:
            sentence += f"; enter the integration ID again {remedy(name)}"
        sentences.append(_sentence(sentence))
    message = ""
    for sentence in sentences:
        message = _then(message, sentence) if message else sentence
    return message


def _take_keys_out_of_copy(path: Path) -> bool:
    """Take the API keys out of a file set aside, keeping the rest of it for recovery.

    True when a key was taken out. A copy that cannot be read or rewritten keeps what
    it holds (logged).
    """
    if not path.is_file():
        return False  # a folder that stood in the file's place is left as it was
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log.warning("Could not check %s for API keys: %s", path, exc)
        return False
    # Bytes that are not UTF-8 were never readable as profiles: nothing to recover there.
    text = raw.decode("utf-8", errors="replace")
    if not contains_api_key(text):
        return False
    try:
        write_text_atomic(path, without_api_keys(text, KEY_REMOVED))
    except OSError as exc:
        log.error("Could not take an API key out of %s: %s", path, exc)
        return False
    return True


def _keep_few_damaged(path: Path, latest: Path) -> None:
    """Remove the damaged profiles files set aside before ``latest`` that nobody needs:
    an earlier copy of the same bytes, and all but the ``KEPT_DAMAGED_FILES`` set aside
    last (``atomic.keep_few_set_aside``, as for drafts). Files named otherwise by a person
    are never touched."""
    keep_few_set_aside(path, DAMAGED, latest, keep=KEPT_DAMAGED_FILES)


def _entries_of(document: object, formats: tuple[str, ...]) -> list[object]:
    """The profile entries of a parsed file; ``ValueError`` for a wrong shape or version."""
    if not isinstance(document, dict):
        raise ValueError("it is not a JSON object")
    if document.get("format") not in formats:
        raise ValueError("it is not a Kombo Desktop profiles file")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValueError("it has no format version")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"it was written by a newer Kombo Desktop (format version {version}; this version "
            f"reads up to {FORMAT_VERSION})"
        )
    entries = document.get("profiles")
    if not isinstance(entries, list):
        raise ValueError("its “profiles” is not a list")
    return entries


def _write_document(path: Path, document: dict[str, Any]) -> None:
    """Write a profiles file or an export atomically; both are laid out the same way."""
    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _collapse_spaces(text: str) -> str:
    """``text`` without surrounding whitespace and with each inner run of it as one space."""
    return " ".join(text.split())


def _visible_name(name: str) -> str:
    """``name`` as a person sees it: in one Unicode form, without whitespace at its ends
    and without invisible characters, but for ``text.JOINERS``, which change how it looks.

    An invisible character is taken out rather than refused: nobody can find it in the
    field to delete it, and a name is only read and typed, never sent anywhere. A name
    an earlier version saved with one is read the same way, not set aside as damaged.
    """
    return visible_key(without_invisible_characters(name, keep_joiners=True))


def _name_key(name: str) -> str:
    """What two names must share to count as the same (``text.as_compared``: what a person
    sees of them, case and runs of spaces ignored), as attribute keys do."""
    return as_compared(name)


def _sorting_key(name: str) -> str:
    """``name``'s place in an alphabetical list: its ``_name_key`` without accents (a
    letter's marks taken off, "Ä" read as "A"), as most languages' lists file them."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", _name_key(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _same_or_numbered(name_key: str, base: str, base_key: str) -> bool:
    """True for ``base`` itself and ``base (2)``, ``base (3)``… (compared by ``_name_key``:
    ``name_key`` and ``base_key`` are those of the name and of ``base``), also when
    ``base`` was shortened to leave room for the number (``_numbered_name``)."""
    if name_key == base_key:
        return True
    head, opening, tail = name_key.rpartition(" (")
    number = tail.removesuffix(")")
    if not opening or number == tail or not number.isdecimal():
        return False
    return head == base_key or name_key == _name_key(_numbered_name(base, int(number)))


def _numbered_name(base: str, number: int) -> str:
    """``base (number)``, with ``base`` shortened as needed to stay within ``MAX_NAME_LENGTH``."""
    suffix = f" ({number})"
    return base[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix


def unique_name(base: str, taken: set[str]) -> str:
    """``base``, or when it is taken ``copy_name``'s name for it: ``base (2)``,
    ``base (3)``…, the first not in ``taken`` (``_name_key``s), numbered as a copy of the
    original when ``base`` is a copy already ("Acme (2)" taken gives "Acme (3)", not
    "Acme (2) (2)")."""
    if _name_key(base) not in taken:
        return base
    return copy_name(base, taken)


def _first_free_numbered(base: str, taken: set[str]) -> str:
    """The first of ``base (2)``, ``base (3)``… not in ``taken`` (``_name_key``s)."""
    number = 2
    while True:
        candidate = _numbered_name(base, number)
        if _name_key(candidate) not in taken:
            return candidate
        number += 1


#: The largest number in brackets that ends a name and counts as a copy's number
#: (``copy_name``): a larger one is part of the name, as the year of "Team (2024)".
LARGEST_COPY_NUMBER = 99


def _without_copy_number(name: str) -> str:
    """``name`` without the copy's number that ends it (``copy_name``), else ``name``."""
    head, _opening, tail = name.rpartition(" (")
    number = tail.removesuffix(")")
    if not head or number == tail:
        return name
    # Only as copies are numbered: ASCII digits, no leading zero, 2 to the largest.
    if not (number.isascii() and number.isdigit()) or number.startswith("0"):
        return name
    return head if 2 <= int(number) <= LARGEST_COPY_NUMBER else name


def copy_name(name: str, taken: set[str]) -> str:
    """The name of a copy of the profile called ``name``: the first of ``base (2)``,
    ``base (3)``… not in ``taken`` (``_name_key``s).

    ``base`` is ``name`` without the copy's number that ends it, so that a copy of a copy
    is numbered as a copy of the original is ("Acme (2)" gives "Acme (3)", not
    "Acme (2) (2)"). The rule is simple: a number in brackets after a space at the end of
    the name is a copy's number when it is written as copies are numbered (digits, no
    leading zero) and is from 2 to ``LARGEST_COPY_NUMBER``. Any other is part of the
    name, as a year is: a copy of "Team (2024)" is "Team (2024) (2)". The number is the
    first free one, as for a copy of the original: beside "Acme" and "Acme (3)", a copy
    of "Acme (3)" is "Acme (2)".
    """
    return _first_free_numbered(_without_copy_number(name), taken)


def _with_names_apart(profiles: list[Profile]) -> tuple[list[Profile], list[tuple[str, str]]]:
    """``profiles`` (as the file holds them) with no two names alike, and each rename as
    (name before, name after).

    Names an earlier version told apart may be one name now (a zero-width space pasted
    along). Every name that is unique keeps naming its profile (a script may send to
    "Acme (2)"): only a later profile of a clash is renamed, to a name no profile has.
    """
    taken = {_name_key(profile.name) for profile in profiles}
    claimed: set[str] = set()
    apart: list[Profile] = []
    renamed: list[tuple[str, str]] = []
    for profile in profiles:
        key = _name_key(profile.name)
        if key in claimed:
            new_name = unique_name(profile.name, taken)
            renamed.append((profile.name, new_name))
            profile = replace(profile, name=new_name)
            key = _name_key(new_name)
            taken.add(key)
        claimed.add(key)
        apart.append(profile)
    return apart, renamed


def _renamed_message(renamed: list[tuple[str, str]], *, written: bool) -> str:
    """What the person is told of the profiles ``_with_names_apart`` renamed."""
    saved = "" if written else " (the profiles file could not be saved with the new name yet)"
    sentences = [
        _sentence(
            f"Two saved profiles were both called “{before}”: the second is now called "
            f"“{after}”{saved}"
        )
        for before, after in renamed
    ]
    message = ""
    for sentence in sentences:
        message = _then(message, sentence) if message else sentence
    return message


# --- the store -------------------------------------------------------------------------------


class ProfilesFileBusy(OSError):
    """Another process (a window, the command line) held the profiles file's lock for
    longer than ``LOCK_TIMEOUT_S``: nothing was written. An ``OSError``, so that it is
    told wherever a failed write of the file is (``messages.describe_failure``)."""

    def __init__(self) -> None:
        """The system's way of saying "busy", in words a person reads."""
        super().__init__(errno.EBUSY, "it is busy: another Kombo Desktop is saving; try again")


@dataclass(frozen=True)
class _State:
    """One consistent view of the file; replaced as a whole, never changed in place."""

    profiles: tuple[Profile, ...] = ()
    last_used_id: str | None = None


class ProfileStore:
    """The profiles file: load, query and change profiles; keys stay in the ``KeyStore``.

    Queries read an immutable snapshot and never wait for a write in progress; changes
    are serialized by a lock and publish a new snapshot once the file is written.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        integration_id_remedy: IntegrationIdRemedy = in_the_window,
    ) -> None:
        """``integration_id_remedy``: where this store's messages (``load_result``) tell the
        person to enter an integration ID taken out of a profile: the window's by default."""
        self.path = path or default_profiles_path()
        self.integration_id_remedy = integration_id_remedy
        self._state = _State()
        self._loaded = False
        self._load_result = LoadResult(())
        self._told: LoadResult | None = None  # the result whose message was shown
        self._signature: tuple[int, int, int] | None = None
        self._reads = 0
        # How many times this store wrote the file (``forget_missing_key`` asks whether it
        # did while the keyring was asked).
        self._writes = 0
        self._lock = threading.RLock()
        # The lock other processes see (``_changing``), made with the first change.
        self._file_lock: BaseFileLock | None = None

    # loading --------------------------------------------------------------------------------

    def load(self) -> LoadResult:
        """(Re)read the file. A damaged one is moved aside and reported, never raised."""
        with self._lock:
            state, self._load_result = self._read()
            # Published in one assignment: a reader sees the old profiles or the new ones.
            self._state = state
            self._loaded = True
            self._reads += 1
            return self._load_result

    def reload_if_changed(self) -> bool:
        """Read the file again if it changed since this store last read or wrote it (another
        process saved or deleted a profile); True when it was read again.

        Reads the disk: GUI code calls it off the GUI thread.
        """
        with self._lock:
            before = self._reads
            self._refresh()
            return self._reads != before

    def changed_on_disk(self) -> bool:
        """True when the file is not the one this store last read or wrote: another process
        changed it. One ``stat``, no read: cheap enough for the GUI thread to tell a
        change made elsewhere from this store's own write."""
        return self._file_signature() != self._signature

    @property
    def reads(self) -> int:
        """How many times the file was read: it changes when a change another process made
        is picked up, by ``reload_if_changed`` or before a write, whoever asked for it."""
        return self._reads

    @property
    def load_result(self) -> LoadResult:
        """What the last load found (its ``message`` tells of a damaged file; ``None``
        once ``message_told``)."""
        self._ensure_loaded()
        result = self._load_result
        return replace(result, message=None) if result is self._told else result

    def message_told(self) -> None:
        """The load's message was shown to the person: it is not for showing again (it
        would go on asking for what may be done by then)."""
        # No lock: the GUI thread calls this (opening Manage profiles), and a thread may
        # hold the lock through a slow write. One assignment; a later load is a new result.
        self._told = self._load_result

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self.load()

    def _snapshot(self) -> _State:
        self._ensure_loaded()
        return self._state

    def _file_signature(self) -> tuple[int, int, int] | None:
        # Another process's change (of a key's environment, say) is told apart even when
        # the size is the same and the clock has not ticked since the last write.
        return file_signature(self.path)

    def _refresh(self) -> None:
        """Pick up changes another process (the command line, another window) made."""
        if not self._loaded or self._file_signature() != self._signature:
            self.load()

    def _read(self) -> tuple[_State, LoadResult]:
        self._signature = self._file_signature()
        if not self.path.exists() and not self.path.is_symlink():
            return _State(), LoadResult(())
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            return _State(), self._set_aside(f"it could not be read ({exc.strerror or exc})")
        try:
            document = json.loads(decode_file_text(raw))
        except (UnicodeDecodeError, ValueError):
            return _State(), self._set_aside("it is not valid JSON")
        except RecursionError:
            # Brackets opened thousands of times over: damage, never a profiles file.
            return _State(), self._set_aside(TOO_DEEP)
        try:
            entries = _entries_of(document, (FILE_FORMAT,))
        except ValueError as exc:
            return _State(), self._set_aside(str(exc))
        problems: list[str] = []
        kept: list[Profile] = []
        keys_found: dict[str, tuple[str, ...]] = {}
        seen_ids: set[str] = set()
        for index, entry in enumerate(entries, start=1):
            entry, key_places = _take_keys_out(entry)
            try:
                # An integration ID emptied of a key (now or at an earlier start) is to be
                # entered again: the profile is kept, not left out as damaged.
                profile = _profile_from_json(entry, integration_id_required=False)
            except ValueError as exc:
                problems.append(f"entry {index} {exc}")
                continue
            if profile.id in seen_ids:
                problems.append(f"entry {index} repeats the id of another profile")
                continue
            seen_ids.add(profile.id)
            kept.append(profile)
            if key_places:
                keys_found[profile.id] = key_places
        kept, renamed = _with_names_apart(kept)
        assert isinstance(document, dict)
        last_used = document.get("last_used_id")
        state = _State(
            tuple(kept),
            last_used if isinstance(last_used, str) and last_used in seen_ids else None,
        )
        if not problems and not keys_found and not renamed:
            return state, LoadResult(state.profiles)
        message: str | None = None
        backup: Path | None = None
        if problems:
            count = len(problems)
            result = self._set_aside(
                f"{count} profile{' was' if count == 1 else 's were'} damaged and left out: "
                + "; ".join(problems),
                keep_profiles=True,
            )
            message, backup = result.message, result.backup_path
        # The readable profiles must survive the next start, not only this session; a key
        # must not stay in plain text a moment longer. A damaged file that could not be
        # moved aside is not written over: it holds what the person may want to recover.
        written = (not problems or backup is not None) and self._write_repaired(state)
        if keys_found:
            names = {profile.id: profile.name for profile in kept}
            found = _keys_taken_out_message(
                [(names[pid], places) for pid, places in keys_found.items()],
                written=written,
                remedy=self.integration_id_remedy,
            )
            message = _then(found, message) if message else found
        if renamed:
            told = _renamed_message(renamed, written=written)
            message = _then(message, told) if message else told
        return state, LoadResult(state.profiles, message, backup)

    def _write_repaired(self, state: _State) -> bool:
        """Write ``state``, read from the file and repaired, back over it; True when written.

        Under the file's lock, and only when the file is still the one read: a change
        another process made meanwhile is not written over (the next read repairs that
        one). A failure is logged; the repair holds for this session all the same.
        """
        read = self._signature
        try:
            with self._changing():
                if self._file_signature() != read:
                    log.warning("The profiles file changed while it was read: not rewritten")
                    return False
                self._write(state)
                return True
        except OSError as exc:
            log.error("Could not rewrite the profiles file: %s", exc)
            return False

    def _set_aside(self, reason: str, *, keep_profiles: bool = False) -> LoadResult:
        """Move the damaged file out of the way and say so in plain words."""
        try:
            backup = move_aside(self.path, DAMAGED)
        except OSError as exc:
            log.error("Could not move the damaged profiles file aside: %s", exc)
            message = (
                f"The profiles file {self.path} is damaged: {reason}. It could not be moved "
                f"aside ({exc.strerror or exc}), so saving profiles may fail until it is "
                "removed or repaired."
            )
            return LoadResult((), message, None)
        self._signature = None
        log.warning("Profiles file damaged (%s); moved to %s", reason, backup)
        # Kept for recovery, perhaps for good: an API key written in it must not be.
        keys_note = (
            " The API keys written in it were removed from that copy."
            if _take_keys_out_of_copy(backup)
            else ""
        )
        # Compared as kept, keys taken out: the same damage set aside again is one file.
        _keep_few_damaged(self.path, backup)
        if keep_profiles:
            message = (
                f"Some saved profiles could not be read: {reason}. The original file was "
                f"kept as {backup}.{keys_note}"
            )
        else:
            message = (
                f"The profiles file could not be used: {reason}. It was set aside as "
                f"{backup}, and there are no profiles now.{keys_note} API keys in the "
                "system keyring were not touched."
            )
        return LoadResult((), message, backup)

    def _write(self, state: _State) -> None:
        document = {
            "format": FILE_FORMAT,
            "version": FORMAT_VERSION,
            "last_used_id": state.last_used_id,
            "profiles": [p.to_json() for p in state.profiles],
        }
        _write_document(self.path, document)
        self._signature = self._file_signature()

    def _commit(self, state: _State) -> None:
        """Write ``state``, then publish it; on failure nothing changes."""
        self._write(state)
        self._state = state
        self._writes += 1

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """Hold the file for a change, from reading it again to writing it: the other
        threads of this process and the other processes (a lock file beside it) wait.

        Reentrant. Raises ``ProfilesFileBusy`` when another process holds it for longer
        than ``LOCK_TIMEOUT_S``, and ``OSError`` when the lock file cannot be made.
        """
        from filelock import Timeout  # loaded with the first change, not at start-up

        with self._lock:
            lock = self._lock_file()
            try:
                lock.acquire(timeout=LOCK_TIMEOUT_S)
            except Timeout:
                log.warning("The profiles file stayed locked by another process")
                raise ProfilesFileBusy() from None
            try:
                yield
            finally:
                lock.release()

    def _lock_file(self) -> BaseFileLock:
        if self._file_lock is None:
            from filelock import FileLock

            lock_path = self.path.with_name(f"{self.path.name}.lock")
            self._file_lock = FileLock(lock_path, mode=0o600)
        # The lock file is made in the folder of the profiles file, which a first change
        # may have to make.
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self._file_lock

    # queries ---------------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        """Every profile, sorted by name as a list of names is read: capitals and accents
        aside ("Ärzte-Verband" among the A's, not after "Zeta"), then as written."""
        profiles = self._snapshot().profiles
        return sorted(profiles, key=lambda p: (_sorting_key(p.name), _name_key(p.name), p.id))

    def get(self, profile_id: str) -> Profile | None:
        """The profile with this id, or None."""
        return next((p for p in self._snapshot().profiles if p.id == profile_id), None)

    def find_by_name(self, name: str) -> Profile | None:
        """The profile with this name, or None.

        Names are compared as a person sees them (``_name_key``), as when they are checked
        for uniqueness: case, spaces around the name and how many stand between its
        words, invisible characters and the Unicode form make no difference.
        """
        key = _name_key(name)
        return next((p for p in self._snapshot().profiles if _name_key(p.name) == key), None)

    def require_by_name(self, name: str) -> Profile:
        """The profile with this name (as ``find_by_name``), or ``InputError`` on ``profile``.

        The message names the profile and where to see the saved ones. When the file was
        damaged at load, what happened is added: the profile may be one that was left out.
        """
        profile = self.find_by_name(name)
        if profile is not None:
            return profile
        message = f"no saved profile is called “{name.strip()}” (see: kombo-desktop profiles list)"
        damage = self.load_result.message
        if damage:
            message += f". {damage}"
        raise InputError([FieldError("profile", message)])

    @property
    def last_used_id(self) -> str | None:
        """The id of the profile used last, if it still exists."""
        return self._snapshot().last_used_id

    # changes ----------------------------------------------------------------------------------

    def _require(self, profile_id: str) -> Profile:
        profile = self.get(profile_id)
        if profile is None:
            raise InputError([FieldError("profile", "this profile no longer exists")])
        return profile

    def _check_name_free(self, name: str, except_id: str | None = None) -> None:
        # Names are unique (a load renames clashes; adding, editing, importing and
        # duplicating keep them apart), so ``find_by_name`` finds the only possible holder.
        other = self.find_by_name(name)
        if other is not None and other.id != except_id:
            raise InputError(
                [FieldError("profile_name", f"“{other.name}” is already the name of a profile")]
            )

    def checked_profile(
        self,
        *,
        name: str,
        integration_id: str,
        held: HeldKeys = NO_HELD_KEYS,
        **fields: Unpack[ProfileFields],
    ) -> Profile:
        """``build_profile`` plus the name checked against the other profiles, and every
        field that is saved as text checked for the keys of ``held``.

        ``held``: the keys the caller holds, whatever their shape (a proxy's token saved
        as a key, which ``contains_api_key`` cannot tell from a name). Every field at
        fault is reported at once, a name already taken included, so a form can mark
        them all in one go. Nothing is saved.
        """
        errors: list[FieldError] = []
        profile: Profile | None = None
        try:
            profile = build_profile(name=name, integration_id=integration_id, **fields)
        except InputError as exc:
            errors.extend(exc.errors)
        if profile is not None and profile.base_url is not None:
            # Refused when a connection is made of it: said at the field as it is typed,
            # not first at a send (a profile saved with one earlier still loads).
            problem = base_url_sending_problem(profile.base_url)
            if problem is not None:
                errors.append(FieldError("base_url", problem))
        if name.strip() and not any(error.field == "profile_name" for error in errors):
            try:
                self._check_name_free(name, except_id=fields.get("profile_id"))
            except InputError as exc:
                errors[:0] = exc.errors  # the name comes first in every form
        typed = {"profile_name": name, "base_url": fields.get("base_url")}
        errors = held.refused_in({**typed, "integration_id": integration_id}, errors)
        if errors or profile is None:
            raise InputError(errors)
        return profile

    def add_profile(self, profile: Profile, *, integration_id_required: bool = True) -> Profile:
        """Validate and save ``profile`` as a new one; returns it as saved.

        ``integration_id_required`` False lets a profile without integration ID through:
        only for the copy of one that has none (``duplicate``).
        """
        profile = revalidated(profile, integration_id_required=integration_id_required)
        with self._changing():
            self._refresh()
            self._check_name_free(profile.name)
            if self.get(profile.id) is not None:
                raise InputError([FieldError("profile", "a profile with this id already exists")])
            state = self._state
            self._commit(replace(state, profiles=(*state.profiles, profile)))
        log.info("Added profile %s", profile.id)
        return profile

    def update(self, profile: Profile) -> Profile:
        """Replace the profile with the same id by ``profile`` (validated); returns it.

        Everything is written as given, the environment of the key included. An edit of
        a profile read earlier goes through ``update_with``, which keeps what it does not
        change as the file holds it when written.
        """
        checked = revalidated(profile)
        with self._changing():
            self._refresh()
            self._require(checked.id)
            self._check_name_free(checked.name, except_id=checked.id)
            state = self._state
            profiles = tuple(checked if p.id == checked.id else p for p in state.profiles)
            self._commit(replace(state, profiles=profiles))
        log.info("Updated profile %s", checked.id)
        return checked

    def update_with(self, profile_id: str, change: Callable[[Profile], Profile]) -> Profile:
        """Change a profile as the file holds it at the moment of writing; returns it.

        ``change`` gets the profile as read again then and returns it changed (validated
        as ``update`` validates; its id is kept). What it leaves alone is written back as
        the file holds it, not as it was when the edit began: a key stored meanwhile by
        another process (``profiles set-key``) keeps its environment. ``change`` runs
        under the store's lock, just before the write: it must be quick.

        The lock is shared with other processes (a lock file beside the profiles file,
        ``_changing``): a change they make waits until this one is written, and then
        starts from it. ``ProfilesFileBusy`` when one of them holds it too long.
        """
        with self._changing():
            self._refresh()
            current = self._require(profile_id)
            # The lock is held from this read to the write: no change made in this process
            # or another comes between them.
            return self.update(replace(change(current), id=profile_id))

    def duplicate(self, profile_id: str, key_store: KeyStore) -> Profile:
        """A copy under a new id and the name "Name (2)" (``copy_name``: a copy of
        "Name (2)" is "Name (3)"), with the original's key.

        The key is kept where the original's is (the keyring, or this session only) and
        saved as ``save_with_key`` saves any key: if the copy cannot be written, its key
        is removed again. It is copied as it is, unchecked: one that an earlier version
        saved in a form refused now (in quotes, say) is corrected later, in either profile
        (``SavedKeyUnusable`` says how). A profile without integration ID (an API key was
        taken out of it) is copied without one: the copy asks for it wherever the original
        does.
        May block on the keyring: call it off the GUI thread.
        """
        with self._lock:
            self._refresh()
            source = self._require(profile_id)
            taken = {_name_key(p.name) for p in self._state.profiles}
            copy = replace(
                source,
                id=new_profile_id(),
                name=copy_name(source.name, taken),
                key_environment=None,
                replaced_key_left=False,
            )
        # The key the original's session key replaced is not its key: not copied either.
        key = (
            key_store.session_key(source.id)
            if source.replaced_key_left
            else key_store.get(source.id)
        )
        return save_with_key(
            self,
            key_store,
            copy,
            key,
            is_new=True,
            session_only=key_store.is_session_only(source.id),
            integration_id_required=bool(source.integration_id),
            key_as_stored=True,
        )

    def remove(
        self, profile_id: str, key_store: KeyStore, *, even_if_keyring_unreachable: bool = False
    ) -> bool:
        """Delete a profile and its key. If the key cannot be deleted, the profile stays.

        Raises ``SecretStoreError`` in that case (``SecretStoreUnavailable`` when the
        keyring cannot be reached, ``SecretStoreLocked``, ``SecretStoreDenied``), so no
        key is left in the keyring without a profile pointing at it.

        ``even_if_keyring_unreachable``: the person chose to delete the profile although
        no keyring can be reached (on a computer that has none, a profile could not be
        deleted otherwise); a key saved in a keyring earlier stays there. Returns False
        in that case, True when the key was deleted too (or there was none).
        """
        # Read first, to be put back if the file cannot be written (another process holds
        # it): "the profile was kept" must mean with its key. The keyring is not asked
        # while the file is held, so that other processes never wait for its prompt.
        previous: str | None = None
        previous_known = previous_session_only = False
        with suppress(SecretStoreError):
            previous = key_store.get(profile_id)
            previous_session_only = key_store.is_session_only(profile_id)
            previous_known = True
        key_deleted = key_store.delete(profile_id, even_if_unreachable=even_if_keyring_unreachable)
        if not key_deleted:
            log.warning("Removing profile %s although its key could not be deleted", profile_id)
        try:
            with self._changing():
                self._refresh()
                state = self._state
                if self.get(profile_id) is None:
                    return key_deleted
                self._commit(
                    _State(
                        tuple(p for p in state.profiles if p.id != profile_id),
                        None if state.last_used_id == profile_id else state.last_used_id,
                    )
                )
        except BaseException:
            if key_deleted and previous_known and previous is not None:
                _put_key_back(
                    key_store,
                    profile_id,
                    previous,
                    session_only=previous_session_only,
                    undoing_memory_only=False,
                )
            raise
        log.info("Removed profile %s", profile_id)
        return key_deleted

    def forget_missing_key(self, profile_id: str, key_store: KeyStore) -> bool:
        """Note that a profile has no key when the keyring holds none for it.

        For a key removed outside the app (a keyring reset, a new login keyring): lists
        read ``key_environment`` and would go on naming a key that is gone. The keyring
        is asked without the store's lock: it may wait long (an unlock prompt), and the
        GUI thread, the writer and quitting must not wait with it. So that a key saved
        meanwhile is never noted as gone, nothing is noted when the file was written while
        the keyring was asked, by this store or another process (the next read notes it
        then). True when the note changed. Never raises: a failure is logged, and the note
        is corrected at the next read. May block on the keyring.
        """
        try:
            with self._lock:
                self._refresh()
                noted = self.get(profile_id)
                if noted is None or noted.key_environment is None:
                    return False
                writes, reads = self._writes, self._reads
            if key_store.get(profile_id) is not None:
                return False
            # Other processes wait from here on only: never for a keyring.
            with self._changing():
                self._refresh()
                if self._writes != writes or self._reads != reads:
                    # Written meanwhile, here or by another process: a key may have been
                    # saved again (of the same environment, the note reads the same), so
                    # the answer is not known to hold. The next read notes it.
                    return False
                profile = self.get(profile_id)
                if profile is None or profile.key_environment != noted.key_environment:
                    return False  # deleted, or saved with another key, meanwhile
                state = self._state
                cleared = replace(profile, key_environment=None)
                profiles = tuple(cleared if p.id == profile_id else p for p in state.profiles)
                self._commit(replace(state, profiles=profiles))
        except (OSError, SecretStoreError) as exc:
            log.warning("Could not note that profile %s has no key: %s", profile_id, exc)
            return False
        log.info("Profile %s has no key in the keyring any more", profile_id)
        return True

    def forget_replaced_key(self, profile_id: str) -> bool:
        """Note that the key a profile's session key replaced is gone from the keyring
        (``Profile.replaced_key_left`` cleared). True when the note is clear now. Never
        raises: a failure is logged, and the next read of the key deletes nothing and
        clears it then."""
        try:
            with self._changing():
                self._refresh()
                profile = self.get(profile_id)
                if profile is None or not profile.replaced_key_left:
                    return True
                cleared = replace(profile, replaced_key_left=False)
                state = self._state
                profiles = tuple(cleared if p.id == profile_id else p for p in state.profiles)
                self._commit(replace(state, profiles=profiles))
        except OSError as exc:
            log.warning("Could not note that profile %s has no old key left: %s", profile_id, exc)
            return False
        log.info("The replaced key of profile %s is gone from the keyring", profile_id)
        return True

    def set_last_used(self, profile_id: str | None) -> None:
        """Remember the profile used last (unknown ids are ignored)."""
        with self._changing():
            self._refresh()
            if profile_id is not None and self.get(profile_id) is None:
                return
            if self._state.last_used_id == profile_id:
                return
            self._commit(replace(self._state, last_used_id=profile_id))

    # import and export -------------------------------------------------------------------------

    def export_json(self, path: Path, profile_ids: list[str] | None = None) -> int:
        """Write the profiles (all, or those in ``profile_ids``) to ``path`` atomically,
        without keys or ids; returns how many were written."""
        chosen = [p for p in self.profiles() if profile_ids is None or p.id in profile_ids]
        document = {
            "format": EXPORT_FORMAT,
            "version": FORMAT_VERSION,
            "profiles": [p.to_json(with_id=False) for p in chosen],
        }
        _write_document(path, document)
        log.info("Exported %d profiles", len(chosen))
        return len(chosen)

    def import_json(self, text: str, held: HeldKeys = NO_HELD_KEYS) -> ImportResult:
        """Add the profiles of an export (or a profiles file); see the module doc for clashes.

        The whole file is checked first: ``InputError`` on field ``import`` names the
        first problem, and then nothing is imported. A key in a profile's name, base URL
        or integration ID is taken out and said (``ImportResult.keys_left_out``): one of
        Kombo's shape, or one of ``held``, the keys the caller holds, whatever their shape.
        """
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            # Where, not the parser's own words ("Expecting value"); an empty file (a copy
            # cut short, a download that failed) said as such.
            problem = (
                "the file is empty"
                if not text.strip()
                else f"the file is not valid JSON (line {exc.lineno}, column {exc.colno})"
            )
            raise InputError([FieldError("import", problem)]) from None
        except ValueError as exc:
            raise InputError(
                [FieldError("import", f"the file is not valid JSON ({exc})")]
            ) from None
        except RecursionError:
            raise InputError(
                [FieldError("import", f"the file cannot be imported: {TOO_DEEP}")]
            ) from None
        try:
            entries = _entries_of(document, (EXPORT_FORMAT, FILE_FORMAT))
        except ValueError as exc:
            raise InputError(
                [FieldError("import", f"the file cannot be imported: {exc}")]
            ) from None
        incoming: list[tuple[Profile, bool]] = []
        for index, entry in enumerate(entries, start=1):
            # As a load does: a key an earlier version let into a name, a base URL or an
            # integration ID (to be entered again) is taken out, not a reason to refuse the
            # whole file; a key in any other field of the entry is never read.
            cleaned, places = _take_keys_out(entry, held)
            try:
                profile = _profile_from_json(cleaned, with_id=False, integration_id_required=False)
            except ValueError as exc:
                # Named as in the file, to be found there (a key it held taken out).
                name = cleaned.get("name") if isinstance(cleaned, dict) else None
                named = isinstance(name, str) and name.strip()
                which = f"profile {index} (“{name}”)" if named else f"profile {index}"
                raise InputError([FieldError("import", f"{which} {exc}")]) from None
            incoming.append((profile, bool(places) or _holds_api_key(entry, held)))
        imported: list[Profile] = []
        skipped: list[str] = []
        skipped_as: list[tuple[str, str]] = []
        renamed: list[tuple[str, str]] = []
        # Each name once, in order: said for every entry that held a key, imported or not
        # (skipped as already here, repeated), since the file still holds it in clear.
        keys_left_out: dict[str, None] = {}
        repeated: dict[str, None] = {}  # ordered, each name once
        with self._changing():
            self._refresh()
            profiles = list(self._state.profiles)
            # Each name's key worked out once: worked out again for every profile against
            # every other, a thousand profiles took twelve seconds to import.
            name_keys = [_name_key(p.name) for p in profiles]
            taken = set(name_keys)
            imported_ids: set[str] = set()
            for profile, held_key in incoming:
                base_key = _name_key(profile.name)
                same = next(
                    (
                        p
                        for p, key in zip(profiles, name_keys, strict=True)
                        if _same_or_numbered(key, profile.name, base_key)
                        and p.same_settings(profile)
                    ),
                    None,
                )
                if same is not None and same.id in imported_ids:
                    # Not there before this file: it holds the profile twice.
                    repeated[same.name] = None
                    if held_key:
                        keys_left_out[same.name] = None
                    continue
                if same is not None:
                    # Already here, maybe renamed by an earlier import of the same file:
                    # then said under its name here, which another profile's may be like.
                    skipped.append(profile.name)
                    if same.name != profile.name:
                        skipped_as.append((profile.name, same.name))
                    if held_key:
                        keys_left_out[profile.name] = None
                    continue
                name = unique_name(profile.name, taken)
                if name != profile.name:
                    renamed.append((profile.name, name))
                fresh = replace(profile, name=name, id=new_profile_id(), key_environment=None)
                profiles.append(fresh)
                name_keys.append(_name_key(name))
                taken.add(name_keys[-1])
                imported.append(fresh)
                imported_ids.add(fresh.id)
                if held_key:
                    keys_left_out[name] = None
            if imported:
                self._commit(replace(self._state, profiles=tuple(profiles)))
        log.info("Imported %d profiles, skipped %d", len(imported), len(skipped))
        return ImportResult(
            tuple(imported),
            tuple(skipped),
            tuple(renamed),
            tuple(keys_left_out),
            tuple(repeated),
            tuple(skipped_as),
        )


# --- connections -------------------------------------------------------------------------------


#: A setting of a profile holding its own API key, named in place of its text (which
#: would show the key), by form field.
SETTING_HOLDING_ITS_KEY = {
    "profile_name": "name (holds an API key)",
    "base_url": "custom base URL (holds an API key)",
    "integration_id": "integration ID (holds an API key)",
}


def settings_holding_its_key(profile: Profile, key: str) -> tuple[str, ...]:
    """The settings of ``profile`` kept as text (``profile_name``, ``base_url``,
    ``integration_id``) that hold ``key``, its own, whatever its shape: an earlier version
    saved them so, and shown they would show it. Empty for no key."""
    if not key:
        return ()
    held = HeldKeys.of([key, *_parts_of_a_copied_key(key)])
    return tuple(problem.field for problem in held.refused_in(_texts_saved_of(profile)))


#: What an earlier version may have saved around a key: quote marks, and the separator
#: of a list or a line of a shell (``"…";``).
_AROUND_A_COPIED_KEY = "\"'“”‘’„«»`;,"


def _parts_of_a_copied_key(stored: str) -> list[str]:
    """The key itself in ``stored``, a key as an earlier version saved it with its quotes,
    its ``.env`` or shell line or its ``Bearer`` (``"gw.7Tq…"``, ``KOMBO_API_KEY=gw.7Tq…``):
    a setting holding the key holds it without them. Only the key's own value is taken,
    never another value on the same line (``KOMBO_INTEGRATION_ID=…``). Empty when
    ``stored`` is the key as it is."""
    text = strip_edges(stored)
    assigned = re.search(rf"{API_KEY_VARIABLE}\s*=\s*(\S+)", text)
    bearer = re.match(r"(?i)bearer\s+(\S+)", text)
    found = assigned or bearer
    key = (found.group(1) if found else text).strip(_AROUND_A_COPIED_KEY)
    return [key] if key and key != stored else []


def _texts_saved_of(profile: Profile) -> dict[str, str | None]:
    """The fields of ``profile`` that the profiles file keeps as text, by form field."""
    return {
        "profile_name": profile.name,
        "base_url": profile.base_url,
        "integration_id": profile.integration_id,
    }


def save_with_key(
    store: ProfileStore,
    key_store: KeyStore,
    profile: Profile,
    new_key: str | None,
    *,
    is_new: bool,
    session_only: bool = False,
    integration_id_required: bool = True,
    key_only: bool = False,
    edited_from: Profile | None = None,
    key_as_stored: bool = False,
) -> Profile:
    """Store the key first, then the profile; returns the profile as saved.

    ``new_key``: ``None`` keeps the stored key, ``""`` deletes it, anything else is
    stored (in memory only with ``session_only``). An edited profile is written onto the
    one the file holds at that moment (``ProfileStore.update_with``): a kept key keeps
    the environment noted there, not the one ``profile`` was read with (another process
    may have stored a key since), and with ``key_only`` the settings are left as the
    file holds them too (``profiles set-key`` changes the key alone). With
    ``edited_from``, the profile as the edit began, only the settings the edit changed
    are written (the name, the integration ID, where it sends): another process's change
    of the others since then is kept.
    ``integration_id_required`` False: only for a new profile copied from one without
    integration ID (``ProfileStore.duplicate``). ``key_as_stored``: ``new_key`` was read
    from ``key_store`` (another profile's, copied) and is stored unchecked
    (``KeyStore.set``). A key that cannot be stored or deleted raises
    ``SecretStoreError`` before the profile is written, and nothing changes. If the
    profile then cannot be written, the keyring is put back as it was: a new profile's
    key is removed and an edited profile gets its previous key again, so "nothing was
    saved" stays true.
    A key kept for this session only that replaces one the keyring may hold is noted
    (``Profile.replaced_key_left``) before that one is deleted, so that it never comes
    back unnoticed: the note is cleared once it is deleted, and stays (as it does in the
    profile returned) when the keyring refuses. A key saved in the keyring, or deleted
    from it, clears the note.
    May block on the keyring: call it off the GUI thread.
    """
    if new_key:
        # The key must not be in the file in clear beside itself, whatever its shape
        # (``checked_profile`` checks a form for every key its caller holds): nor be stored
        # for a profile whose settings already hold it (``key_only``), which would be as
        # if it were saved there.
        problems = HeldKeys.of([new_key]).refused_in(_texts_saved_of(profile))
        if problems:
            raise InputError(problems)
    previous: str | None = None
    previous_known = is_new or new_key is None
    previous_session_only = False
    if not previous_known:
        try:
            previous = key_store.get(profile.id)
            previous_session_only = key_store.is_session_only(profile.id)
            previous_known = True
        except SecretStoreError:
            pass  # nothing readable to put back; the save itself may still work
    # Whether a key of the keyring replaced by this save is left there; None: as noted.
    replaced_left: bool | None = None
    if new_key == "":
        # A key held in memory only was never in a keyring: with no keyring in reach it
        # is cleared all the same (the profile keeps pointing at anything stored there).
        deleted = key_store.delete(
            profile.id, even_if_unreachable=key_store.is_session_only(profile.id)
        )
        replaced_left = False if deleted else None
        profile = replace(profile, key_environment=None)
    elif new_key is not None:
        key_store.set(profile.id, new_key, session_only=session_only, as_stored=key_as_stored)
        environment = None if session_only else Environment.of_key(new_key)
        if not session_only:
            replaced_left = False  # the keyring's entry now holds the new key
        elif not is_new and not (previous_known and (previous is None or previous_session_only)):
            # Noted before the profile says "no key in the keyring": deleted just below.
            replaced_left = True
        profile = replace(profile, key_environment=environment)
    if replaced_left is not None:
        profile = replace(profile, replaced_key_left=replaced_left)
    try:
        if is_new:
            saved = store.add_profile(profile, integration_id_required=integration_id_required)
        else:
            baseline = profile if key_only else edited_from
            saved = _write_edit(
                store,
                profile,
                key_changed=new_key is not None,
                replaced_left_changed=replaced_left is not None,
                baseline=baseline,
            )
    except BaseException:
        if new_key is not None and previous_known:
            _put_key_back(
                key_store,
                profile.id,
                previous,
                session_only=previous_session_only,
                undoing_memory_only=session_only,
            )
        raise
    if replaced_left and _delete_replaced_key(store, key_store, saved.id):
        saved = replace(saved, replaced_key_left=False)
    return saved


def _write_edit(
    store: ProfileStore,
    profile: Profile,
    *,
    key_changed: bool,
    replaced_left_changed: bool,
    baseline: Profile | None,
) -> Profile:
    """Write what an edit of ``profile`` changed onto the profile as the file holds it:
    its settings that differ from ``baseline`` (all of them without one), the environment
    of its key if ``key_changed``, its ``replaced_key_left`` if ``replaced_left_changed``."""

    def change(current: Profile) -> Profile:
        if baseline is None:
            edited = profile
        else:
            edited = replace(current, **_changed_settings(baseline, profile))
        environment = profile.key_environment if key_changed else current.key_environment
        left = profile.replaced_key_left if replaced_left_changed else current.replaced_key_left
        return replace(edited, key_environment=environment, replaced_key_left=left)

    return store.update_with(profile.id, change)


def _delete_replaced_key(store: ProfileStore | None, key_store: KeyStore, profile_id: str) -> bool:
    """Delete the key that a session key of ``profile_id`` replaced from the keyring, and
    clear the note of it (``Profile.replaced_key_left``) in ``store``; True when the key
    is gone. A keyring that refuses is logged, and the note stays."""
    try:
        key_store.delete_stored(profile_id)
    except SecretStoreError as exc:
        log.warning("The replaced key of profile %s is still in the keyring: %s", profile_id, exc)
        return False
    if store is not None:
        store.forget_replaced_key(profile_id)
    return True


def _changed_settings(before: Profile, after: Profile) -> dict[str, Any]:
    """The settings ``after`` gives other than ``before`` (field name → value): the name,
    the integration ID, and where it sends (the region and the base URL go together)."""
    changes: dict[str, Any] = {}
    if after.name != before.name:
        changes["name"] = after.name
    if after.integration_id != before.integration_id:
        changes["integration_id"] = after.integration_id
    if (after.region, after.base_url) != (before.region, before.base_url):
        changes.update(region=after.region, base_url=after.base_url)
    return changes


def _put_key_back(
    key_store: KeyStore,
    profile_id: str,
    key: str | None,
    *,
    session_only: bool,
    undoing_memory_only: bool,
) -> None:
    """Put ``key`` back for ``profile_id`` (``None``: none), undoing a failed save.

    ``key`` is the one stored before, put back as it was (``KeyStore.set``'s
    ``as_stored``), even in a form refused now. ``undoing_memory_only``: the key being
    undone was kept in memory only, so no keyring is needed to take it away. Never
    raises: the caller goes on to raise why the save failed, which a failure here must
    not replace; it is logged.
    """
    try:
        if key is None:
            key_store.delete(profile_id, even_if_unreachable=undoing_memory_only)
        else:
            key_store.set(profile_id, key, session_only=session_only, as_stored=True)
    except SecretStoreError as exc:
        log.warning("Could not put back the key of profile %s: %s", profile_id, exc.detail)
    except Exception:  # whatever it is, the save's own failure is what the person is told
        log.exception("Putting back the key of profile %s failed unexpectedly", profile_id)


class OldKeyMoment(enum.Enum):
    """When a profile's key left in the keyring is told of (``old_key_left_words``): a key
    kept for a session only replaced it, and the keyring would not delete it
    (``Profile.replaced_key_left``)."""

    #: The key kept for this session only was saved in its place just now: that one is used.
    SAVED = "saved"
    #: The profile's key was read: none can be used (``ReplacedKeyLeft``).
    READ = "read"
    #: The profile is deleted without it.
    DELETED = "deleted"


def old_key_left_words(moment: OldKeyMoment, save_new_key_where: str = "") -> str:
    """What is said of a profile whose key, replaced by a key kept for a session only,
    the keyring would not delete, at ``moment``: one source for every place that tells of
    it (the window's list, its Manage profiles, the command line).

    At ``READ`` no key can be used, and the words say the two ways out: delete the old key
    in the keyring's app, or save a new key in its place ``save_new_key_where`` ("here",
    "in Manage profiles", or ending with ``with_this_command``: nothing follows a command).
    """
    left = "the key it had before could not be deleted from the system keyring"
    in_keyring_app = f"in your keyring's app (under “{SERVICE_NAME}”)"
    if moment is OldKeyMoment.SAVED:
        return as_sentence(
            f"{left} and is still there, unused. Save the new key again once the keyring works"
        )
    if moment is OldKeyMoment.DELETED:
        return as_sentence(f"{left} and stays there: delete it {in_keyring_app}")
    assert save_new_key_where, "where a new key is saved is said when none can be used"
    return _sentence(
        f"No API key can be used for this profile: {left}, and is not used. Delete it "
        f"{in_keyring_app}, or save a new key in its place {save_new_key_where}"
    )


class ReplacedKeyLeft(InputError):
    """A profile has no key that may be used: the one in the keyring was replaced by a key
    kept for a session only, now over, and the keyring would not delete it
    (``Profile.replaced_key_left``). An ``InputError`` on ``api_key`` (``missing``), as a
    profile without key, worded to say what is left and how it goes."""

    def __init__(self, profile_name: str) -> None:
        """The error of the profile called ``profile_name``."""
        self.profile_name = profile_name
        # The command comes last, to be copied as it is (``with_this_command``).
        command = with_this_command(profiles_command("set-key", profile_name))
        text = old_key_left_words(
            OldKeyMoment.READ, f"in the window (Manage profiles) or {command}"
        )
        super().__init__([FieldError("api_key", text, missing=True)])


def saved_key_words(reason: str, save_again_where: str) -> str:
    """What is said of a profile whose key, as the keyring holds it, cannot be used for
    ``reason`` (``connection.saved_key_problem``: an earlier version saved it with its
    quotes, say): one source for every place that tells of it (the window's list, its
    Manage profiles, the command line).

    Nothing that was typed is at fault, and the key is out of sight (but at Manage
    profiles' key field), so the words say where it is saved again: ``save_again_where``
    ("here", "in Manage profiles", or ending with ``with_this_command``: nothing follows
    a command).
    """
    return _sentence(
        f"The API key saved for this profile cannot be used: it {reason}. Save only the key "
        f"again {save_again_where}"
    )


class SavedKeyUnusable(InputError):
    """The key saved for a profile cannot be sent as the keyring holds it (an earlier
    version saved it with its quotes or its ``.env`` line, say; ``reason`` says which,
    never the key). An ``InputError`` on ``api_key``, worded as a problem of the saved key
    with where to save it again: nothing was typed that could be corrected."""

    def __init__(self, profile_name: str, reason: str) -> None:
        """The error of the profile called ``profile_name``, whose key ``reason``."""
        self.profile_name = profile_name
        self.reason = reason
        # The command comes last, to be copied as it is (``with_this_command``).
        command = with_this_command(profiles_command("set-key", profile_name))
        text = saved_key_words(reason, f"in the window (Manage profiles) or {command}")
        super().__init__([FieldError("api_key", text)])


def _usable_key(store: ProfileStore | None, key_store: KeyStore, profile: Profile) -> str | None:
    """The key of ``profile`` from ``key_store``, but never one that a session key replaced
    (``Profile.replaced_key_left``, as ``profile`` or ``store`` notes it): that one is
    deleted now, and ``ReplacedKeyLeft`` raised when the keyring still refuses."""
    noted = store.get(profile.id) if store is not None else None
    left = profile.replaced_key_left or (noted is not None and noted.replaced_key_left)
    if not left or key_store.is_session_only(profile.id):
        return key_store.get(profile.id)
    if store is not None:
        # Another process may have saved a key in the keyring since, clearing the note:
        # that key is the profile's, not one to delete.
        store.reload_if_changed()
        current = store.get(profile.id)
        if current is None or not current.replaced_key_left:
            return key_store.get(profile.id)
    if not _delete_replaced_key(store, key_store, profile.id):
        raise ReplacedKeyLeft(profile.name)
    return None


def stored_key(store: ProfileStore, key_store: KeyStore, profile: Profile) -> str | None:
    """The key of ``profile`` from ``key_store``; None when none is saved.

    A key the profile is noted to have but the keyring no longer holds is noted as gone
    (``ProfileStore.forget_missing_key``), so that every list says what the read found.
    A key that a key kept for a session only replaced is never returned (see
    ``Profile.replaced_key_left``): it is deleted, and the note of it cleared; when the
    keyring refuses again, ``ReplacedKeyLeft`` says so.
    Raises ``SecretStoreError`` when the keyring cannot be read. May block on the keyring.
    """
    key = _usable_key(store, key_store, profile)
    if key is None and profile.key_environment is not None:
        store.forget_missing_key(profile.id, key_store)
    return key


def connection_for_profile(
    profile: Profile,
    key_store: KeyStore,
    *,
    store: ProfileStore | None = None,
    region: Region | None = None,
    base_url: str | None = None,
    integration_id: str | None = None,
) -> Connection:
    """The connection of a profile with its key from ``key_store``; overrides win.

    An override given (not ``None``) wins even when empty, and is checked as it is: an
    empty ``integration_id`` or ``base_url`` is refused at its field, as without a
    profile, never quietly replaced by the profile's (a script's unset variable must not
    send to the profile's integration).

    Raises ``InputError`` on ``api_key`` when the profile has no key (``missing``), on
    ``integration_id`` when it has none (an API key was taken out of it) and none is
    given, and ``SecretStoreError`` when the keyring cannot be read. A key that a session
    key replaced is never used (``ReplacedKeyLeft``, an ``InputError`` on ``api_key``,
    when it is still in the keyring: see ``stored_key``), nor one saved in a form that
    cannot be sent (``SavedKeyUnusable``, an ``InputError`` on ``api_key`` too, which says
    where to save it again). With ``store``, a key found gone is noted in the profile
    (see ``stored_key``), and a missing integration ID is said as that store says it
    (``integration_id_remedy``; else as the window does).
    May block on the keyring.
    """
    key = (
        _usable_key(None, key_store, profile)
        if store is None
        else stored_key(store, key_store, profile)
    )
    if key is None:
        raise InputError(
            [
                FieldError(
                    "api_key",
                    # The command comes last, to be copied as it is (``with_this_command``).
                    "no API key is saved on this computer for this profile; add one in the "
                    "window (Manage profiles) or "
                    f"{with_this_command(profiles_command('set-key', profile.name))}",
                    missing=True,
                )
            ]
        )
    key_problem = saved_key_problem(key)
    if key_problem is not None:
        raise SavedKeyUnusable(profile.name, key_problem)
    if integration_id is None and not profile.integration_id:
        # Said as what happened to the profile: "is required" names a field that the
        # window's profile list does not have.
        remedy = in_the_window if store is None else store.integration_id_remedy
        raise InputError(
            [
                FieldError(
                    "integration_id",
                    f"is missing from this profile; enter it again {remedy(profile.name)}",
                    missing=True,
                )
            ]
        )
    if base_url is not None:
        region = None
    elif region is None:
        region, base_url = profile.region, profile.base_url
    return Connection.create(
        api_key=key,
        integration_id=profile.integration_id if integration_id is None else integration_id,
        region=region,
        base_url=base_url,
    )


def connection_for_profile_name(
    name: str,
    *,
    region: str | None = None,
    base_url: str | None = None,
    integration_id: str | None = None,
    integration_id_remedy: IntegrationIdRemedy = in_the_window,
    tell_load_problem: Callable[[str], None] | None = None,
) -> Connection:
    """The connection of the saved profile called ``name``; explicit values override it,
    even when empty (see ``connection_for_profile``).

    ``tell_load_problem`` is given what reading the profiles file found wrong (a damaged
    file moved aside, a profile left out: ``LoadResult.message``) once the profile is
    found, before the keyring is read: this read is the only one that can tell, as the
    file is repaired after it. (For an unknown name, the ``InputError`` says it.)

    Raises ``InputError`` on field ``profile`` for an unknown name, on ``api_key`` for a
    profile without key, on ``integration_id`` for one without integration ID (said with
    ``integration_id_remedy``), and ``SecretStoreError`` when the keyring cannot be read.
    """
    store = ProfileStore(integration_id_remedy=integration_id_remedy)
    profile = store.require_by_name(name)
    problem = store.load_result.message
    if problem and tell_load_problem is not None:
        tell_load_problem(problem)
    return connection_for_profile(
        profile,
        KeyStore(),
        store=store,
        region=None if region is None else Region.parse(region),
        base_url=base_url,
        integration_id=integration_id,
    )
