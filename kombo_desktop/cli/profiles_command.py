"""``kombo-desktop profiles``: list, add, edit, set-key, remove, export and import saved
credential profiles.

Exit codes: 0 success, 2 invalid input or unknown profile (nothing changed),
4 the system keyring could not be used (nothing changed, nothing written in plain
text), 1 the profiles file (or the file of an export) could not be written, 130
stopped with Ctrl+C (what was and was not changed is said).
The key is read from standard input (hidden prompt on a terminal, one line from a
pipe), never from an argument, because other users can read a process's arguments.
``export`` and ``import`` move profiles between computers without their keys, by the
rules and words Manage profiles uses (``core.profile_files``).
"""

from __future__ import annotations

import argparse
import codecs
import getpass
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from kombo_desktop.cli.field_problems import print_field_problems
from kombo_desktop.cli.main import EXIT_INTERRUPTED, print_json_object, region_name
from kombo_desktop.core.atomic import file_signature
from kombo_desktop.core.connection import (
    API_KEY_VARIABLE,
    KEY_WITH_ITS_VARIABLE,
    Environment,
    HeldKeys,
    Region,
    fields_holding_a_held_key,
    saved_key_problem,
    sets_the_key_variable,
    validate_api_key,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import set_up_log_file
from kombo_desktop.core.profile_files import NOTHING_EXPORTED, NOTHING_IMPORTED, WRITE_PROFILES
from kombo_desktop.core.profiles import (
    FILE_FIELD_WORDS,
    SETTING_HOLDING_ITS_KEY,
    Profile,
    ProfileStore,
    SavedKeyUnusable,
    profiles_command,
    save_with_key,
    saved_key_words,
    settings_holding_its_key,
    with_this_command,
)
from kombo_desktop.core.secrets import KeyStore, SecretStoreError, SecretStoreUnavailable
from kombo_desktop.core.text import (
    LONGEST_BYTE_ORDER_MARK,
    display_width,
    encoding_of_text_start,
    padded_to_width,
    without_byte_order_mark,
)

if TYPE_CHECKING:
    from kombo_desktop.core.messages import UserMessage

EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_INVALID_INPUT = 2
EXIT_KEYRING = 4

#: What a mistake in the command's arguments means: the command did not start.
NOTHING_DONE = "No profile was read or changed"

_FIELD_LABELS = {
    "profile_name": "NAME",
    "integration_id": "--integration-id",
    "base_url": "--base-url",
    "region": "--region/--base-url",
    "api_key": "API key",
    "profile": "profile",
}
#: ``edit`` takes the new name as ``--name``; NAME is the profile's name as it is.
_EDIT_FIELD_LABELS = {**_FIELD_LABELS, "profile_name": "--name"}

#: The options of ``edit``: what it can change.
_EDIT_OPTIONS = "--name, --integration-id, --region or --base-url"

_EPILOG = (
    "exit codes: 0 success, 1 the profiles file (or the file of an export) could not be "
    "written, 2 invalid input or unknown profile, 4 the system keyring could not be used "
    f"(nothing is ever stored in plain text), {EXIT_INTERRUPTED} stopped with Ctrl+C (it "
    "says what was changed)"
)

#: Why ``KOMBO_API_KEY=…`` is refused where a word of the command is expected: typed after
#: the command's name it is an argument (which other users can read). Never quoted: what
#: follows ``=`` may be a key of any shape.
_KEY_VARIABLE_AS_ARGUMENT = (
    "typed after kombo-desktop it is an argument, not a variable, and the API key is never "
    "given on the command line, where other users of this computer can read it. `profiles "
    "add` and `profiles set-key` read the key from standard input: pipe it in (for example "
    "from a password manager) or type it when asked"
)

#: Why ``KOMBO_API_KEY=…`` is refused as a profile's name: besides, the name is saved in
#: plain text.
_KEY_VARIABLE_AS_NAME = f"{API_KEY_VARIABLE}=… is not a name: {_KEY_VARIABLE_AS_ARGUMENT}"

#: Why ``KOMBO_API_KEY=…`` is refused as the file of ``export`` or ``import``: besides, the
#: file's name would hold the key in clear.
_KEY_VARIABLE_AS_FILE = f"{API_KEY_VARIABLE}=… is not a file name: {_KEY_VARIABLE_AS_ARGUMENT}"


#: ``--region``'s choices, as listed in the help; any case is taken (``region_name``).
_REGIONS = [r.value for r in Region]
_BASE_URL_HELP = (
    "custom API base URL, including the API version path, e.g. https://api.example.com/v1"
)


#: The actions of ``profiles``, as its summaries name them (``register`` adds each).
_ACTIONS = "list, add, edit, set-key, remove, export and import"


def register(commands: Any) -> None:
    """Add the ``profiles`` sub-command with ``list``, ``add``, ``edit``, ``set-key``,
    ``remove``, ``export`` and ``import``."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "profiles",
        help=f"{_ACTIONS} saved credential profiles",
        description=f"Saved profiles, one per customer integration: {_ACTIONS} them. API keys "
        "are kept in the system keyring, never in a file.",
        epilog=_EPILOG,
    )
    actions = parser.add_subparsers(dest="profiles_action", metavar="ACTION", required=True)

    list_parser = actions.add_parser(
        "list",
        help="show the saved profiles (never their keys)",
        description="Show each saved profile: its name, region or base URL, integration ID "
        "and whether an API key is saved for it, with the key's kind (Production, "
        "Development or Unknown). The keys themselves are never shown. They are read from "
        "the keyring, to say which must be saved again (an earlier version saved some with "
        "their quotes).",
        epilog=_EPILOG,
    )
    list_parser.add_argument("--json", action="store_true", help="print one JSON object")
    list_parser.set_defaults(handler=_stopping_cleanly(run_list, "No profile was changed."))

    add_parser = actions.add_parser(
        "add",
        help="save a new profile; the API key is read from standard input",
        description="Save a profile. The API key is read from standard input: typed without "
        "echo on a terminal, or one line from a pipe (e.g. from a password manager).",
        epilog=_EPILOG,
    )
    add_parser.add_argument("name", metavar="NAME", help="a unique name, e.g. the customer")
    add_parser.add_argument(
        "--integration-id", required=True, metavar="ID", help="the customer's integration ID"
    )
    where = add_parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--region", type=region_name, choices=_REGIONS, help="Kombo region, in any case"
    )
    where.add_argument("--base-url", metavar="URL", help=_BASE_URL_HELP)
    add_parser.set_defaults(handler=_stopping_cleanly(run_add, "Nothing was saved."))

    edit_parser = actions.add_parser(
        "edit",
        help="change a profile's name, integration ID, region or base URL (its key stays)",
        description="Change what is given and keep the rest. The profile keeps its API key: "
        "the keyring is not used. E.g. enter the integration ID again after an API key was "
        "taken out of it.",
        epilog=_EPILOG,
    )
    edit_parser.add_argument("name", metavar="NAME", help="the profile's name")
    edit_parser.add_argument("--name", dest="new_name", metavar="NEW", help="a new unique name")
    edit_parser.add_argument("--integration-id", metavar="ID", help="the customer's integration ID")
    new_where = edit_parser.add_mutually_exclusive_group()
    new_where.add_argument(
        "--region", type=region_name, choices=_REGIONS, help="Kombo region, in any case"
    )
    new_where.add_argument("--base-url", metavar="URL", help=_BASE_URL_HELP)
    edit_parser.set_defaults(handler=_stopping_cleanly(run_edit, "No profile was changed."))

    set_key_parser = actions.add_parser(
        "set-key",
        help="replace a profile's API key (read from standard input)",
        description="Store a new API key for a saved profile, e.g. one that was imported "
        "without its key. The key is read from standard input like for `add`.",
        epilog=_EPILOG,
    )
    set_key_parser.add_argument("name", metavar="NAME", help="the profile's name")
    set_key_parser.set_defaults(handler=_stopping_cleanly(run_set_key, "The key was not changed."))

    remove_parser = actions.add_parser(
        "remove",
        help="delete a profile and its API key",
        description="Delete a saved profile and its API key in the system keyring. When the "
        "keyring cannot be reached, is locked or refuses, the profile is kept with its key "
        f"(exit code {EXIT_KEYRING}), so that no key is left in the keyring without it: the "
        "message says why; start or unlock the keyring and try again. On a computer without "
        "any keyring, --without-keyring removes the profile all the same.",
        epilog=_EPILOG,
    )
    remove_parser.add_argument("name", metavar="NAME", help="the profile's name")
    remove_parser.add_argument(
        "--without-keyring",
        action="store_true",
        help="remove the profile even when no keyring can be reached to delete its API key "
        "(a key saved in a keyring earlier stays there)",
    )
    remove_parser.set_defaults(handler=_stopping_cleanly(run_remove, "No profile was removed."))

    export_parser = actions.add_parser(
        "export",
        help="write the profiles to a file, without their keys, for another computer",
        description="Write the saved profiles (all of them, or those named with --name) to "
        "a JSON file, without their API keys, to import on another computer or hand to a "
        "colleague. “.json” is added to a file name given without an extension. A file "
        "already there is left as it is unless --force is given.",
        epilog=_EPILOG,
    )
    export_parser.add_argument("file", metavar="FILE", help="the file to write")
    export_parser.add_argument(
        "--name",
        dest="names",
        action="append",
        metavar="NAME",
        help="export this profile only (give --name again for more)",
    )
    export_parser.add_argument(
        "--force", action="store_true", help="replace FILE if it is already there"
    )
    export_parser.add_argument("--json", action="store_true", help="print one JSON object")
    export_parser.set_defaults(handler=_stopping_cleanly(run_export, f"{NOTHING_EXPORTED}."))

    import_parser = actions.add_parser(
        "import",
        help="add the profiles of an exported file (they come without keys)",
        description="Add the profiles of a file written by `profiles export` or by Export… "
        "in the window. They come without API keys: add each with `profiles set-key`. A "
        "profile already here is skipped, so importing a file twice changes nothing; a "
        "name already taken gets “ (2)”.",
        epilog=_EPILOG,
    )
    import_parser.add_argument("file", metavar="FILE", help="the file to read")
    import_parser.add_argument("--json", action="store_true", help="print one JSON object")
    import_parser.set_defaults(handler=_stopping_cleanly(run_import, f"{NOTHING_IMPORTED}."))


#: Where an action keeps what a Ctrl+C would leave behind at this moment (on its ``args``).
_AFTER_CTRL_C = "after_ctrl_c"

#: Said when Ctrl+C came again while the command was finding out what the first one left.
_OUTCOME_UNKNOWN = "Whether anything was changed is not known: see `kombo-desktop profiles list`."


def _stopping_cleanly(
    run: Callable[[argparse.Namespace], int], nothing_changed: str
) -> Callable[[argparse.Namespace], int]:
    """``run`` stopped by Ctrl+C with one line on stderr saying what was and was not
    changed (with ``--json``, one JSON object on stdout saying it), and
    ``EXIT_INTERRUPTED``, instead of a traceback.

    The keyring and the profiles file's lock may be waited for long, and that is when
    someone presses Ctrl+C. Until ``run`` says a change may have begun
    (``_if_stopped_now``), ``nothing_changed`` is said.
    """

    def nothing_was_changed() -> str:
        return nothing_changed

    def run_stopping_cleanly(args: argparse.Namespace) -> int:
        _if_stopped_now(args, nothing_was_changed)
        try:
            return run(args)
        except KeyboardInterrupt:
            pass
        try:
            outcome = getattr(args, _AFTER_CTRL_C)()
        except KeyboardInterrupt:
            outcome = _OUTCOME_UNKNOWN
        stopped = f"Stopped (Ctrl+C). {outcome}"
        if getattr(args, "json", False):
            _print_stopped_as_json(stopped, known=outcome != _OUTCOME_UNKNOWN)
            return EXIT_INTERRUPTED
        # After a prompt the cursor is still on its line; without one, no blank line.
        start = "\n" if _on_a_terminal(sys.stdin) else ""
        print(f"{start}{stopped}", file=sys.stderr)
        return EXIT_INTERRUPTED

    return run_stopping_cleanly


def _print_stopped_as_json(stopped: str, *, known: bool) -> None:
    """Say ``stopped`` (what a Ctrl+C left) as ``--json`` says every other error: one JSON
    object on stdout, of the same shape, which a script reads in place of the answer it
    asked for. ``known``: whether what was changed could be found out."""
    from kombo_desktop.cli.send_command import report_error
    from kombo_desktop.core.messages import Severity, UserMessage

    # Its exit code, ``EXIT_INTERRUPTED``, is the one the caller returns.
    report_error(
        KeyboardInterrupt(),
        True,
        sys.stdout,
        sys.stderr,
        message=UserMessage(Severity.WARNING, stopped, may_have_been_applied=not known),
    )


def _if_stopped_now(args: argparse.Namespace, outcome: Callable[[], str]) -> None:
    """From now on a Ctrl+C is told with ``outcome()``: what it finds was changed (it
    reads the profiles file again, as the change may have been written just before)."""
    setattr(args, _AFTER_CTRL_C, outcome)


def _on_a_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except ValueError:  # closed
        return False


def _refuses_key_variable_as_name(name: str | None, label: str, err: TextIO) -> bool:
    """True after saying why, when ``name`` is ``KOMBO_API_KEY=…`` (``sets_the_key_variable``):
    a key meant for the environment, which must not be saved in the profiles file as a
    name, nor echoed."""
    if name is None or not sets_the_key_variable(name):
        return False
    print(f"{label}: {_KEY_VARIABLE_AS_NAME}.", file=err)
    return True


def _key_in_environment() -> HeldKeys:
    """The key in ``KOMBO_API_KEY``, whatever its shape: refused in a profile's settings,
    which are saved in clear (``send`` refuses it in every value too)."""
    return HeldKeys.of([os.environ.get(API_KEY_VARIABLE, "")])


def _keys_not_saved_with(profile: Profile, args: argparse.Namespace) -> HeldKeys:
    """The keys an edit of ``profile``'s settings (``args``) must not hold: the one in
    ``KOMBO_API_KEY`` and, when a text is given (a name, an integration ID, a base URL),
    the profile's own, if the keyring can give it. An edit works without a keyring,
    where the profile has no key this command could read, and a region alone never opens
    one (a locked keyring would ask to be unlocked for nothing)."""
    in_environment = _key_in_environment()
    texts = (args.new_name, args.integration_id, args.base_url)
    if all(text is None for text in texts):
        return in_environment
    with suppress(SecretStoreError):
        return HeldKeys.of([*in_environment.keys, KeyStore().get(profile.id) or ""])
    return in_environment


def integration_id_command(profile_name: str) -> str:
    """The command that gives a profile its integration ID, ready to copy."""
    return profiles_command("edit", profile_name, "--integration-id ID")


def with_the_edit_command(profile_name: str) -> str:
    """The command line's ``IntegrationIdRemedy``: the command that enters it, on a line of
    its own at the message's end (``with_this_command``)."""
    return with_this_command(integration_id_command(profile_name))


def profile_store() -> ProfileStore:
    """The profiles file, whose messages tell of commands rather than of the window."""
    return ProfileStore(integration_id_remedy=with_the_edit_command)


def _open_stores() -> tuple[ProfileStore, KeyStore]:
    """The profiles file and the keyring, with logging set up (keys redacted) first: or
    said once on stderr that it could not be, since the profiles can be used without it."""
    set_up_log_file()
    return profile_store(), KeyStore()


def _print_input_error(
    error: InputError, err: TextIO, labels: Mapping[str, str] = _FIELD_LABELS
) -> int:
    print_field_problems(error, lambda field: labels.get(field, field), err)
    return EXIT_INVALID_INPUT


def _settings_holding_the_key(error: InputError) -> str | None:
    """Why ``set-key`` refused a key its profile's settings already hold (``save_with_key``),
    and how to change them: never the profile's name, which may be one of them. None when
    ``error`` says something else."""
    fields = fields_holding_a_held_key(error)
    if not fields or len(fields) != len(error.errors):
        return None
    which, verb, them = _settings_named(fields)
    return (
        f"The profile's {which} {verb} this API key, and would show it: change {them} first "
        f"with {_EDIT_A_SETTING}."
    )


#: The members of ``profiles list --json`` that a form field's setting is listed under.
_JSON_FIELDS = {"profile_name": "name"}

#: Where a profile whose name holds its key is mended: a command would have to name it.
_IN_THE_WINDOW = "in the window (Manage profiles)"

#: How a setting holding a key is changed, without naming the profile (its name may be one).
_EDIT_A_SETTING = "`kombo-desktop profiles edit` (--name, --integration-id or --base-url)"


def _settings_named(fields: Sequence[str]) -> tuple[str, str, str]:
    """The profile's settings ``fields`` as a sentence names them, with the verb and the
    pronoun that go with them: ``("name and integration ID", "hold", "them")``."""
    names = [FILE_FIELD_WORDS.get(field, field) for field in fields]
    if len(names) == 1:
        return names[0], "holds", "it"
    return " and ".join(names), "hold", "them"


def _print_write_failure(error: OSError, err: TextIO, outcome: str) -> int:
    from kombo_desktop.core.messages import describe_failure

    message = describe_failure(error, consequence=outcome, file_action=WRITE_PROFILES)
    print(message.text, file=err)
    return EXIT_WRITE_FAILED


def _print_keyring_error(error: SecretStoreError, err: TextIO, outcome: str) -> int:
    print(error.message, file=err)
    print(outcome, file=err)
    return EXIT_KEYRING


def print_load_warning(problem: str | None, err: TextIO) -> None:
    """Say on ``err`` what reading the profiles file found wrong (``LoadResult.message``:
    a damaged file moved aside, a profile left out), if anything, as a warning: the
    command goes on with the profiles it could read.

    Said from the first read's result: a read after it no longer sees the file it moved
    aside.
    """
    if problem:
        print(f"Warning: {problem}", file=err)


def _environment_label(profile: Profile) -> str:
    return profile.key_environment.value if profile.key_environment else "no key saved"


def _key_words(profile: Profile, *, article: bool = True) -> str:
    """The key saved for ``profile`` as a sentence names it: "a Production key", "a key
    of unknown environment" (one of no shape Kombo's keys have: "an Unknown key" read as
    a key nobody knows); without ``article``, "Production key"."""
    if profile.key_environment is Environment.UNKNOWN:
        words = "key of unknown environment"
    else:
        words = f"{_environment_label(profile)} key"
    if not article:
        return words
    return f"{'an' if words[:1] in 'AEIOU' else 'a'} {words}"


def _key_to_save_again(profile: Profile) -> str:
    """The KEY column of ``profile`` when its saved key cannot be used as it is (said
    under the table): its kind as noted, and that it must be saved again."""
    return f"{_environment_label(profile)}: save it again"


@dataclass
class _SavedKeysRead:
    """What ``profiles list`` learnt from reading the saved keys, by profile id."""

    #: Why the key saved cannot be used as the keyring holds it.
    problems: dict[str, str] = field(default_factory=dict)
    #: The settings that hold the profile's own key (``settings_holding_its_key``).
    holding: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _read_saved_keys(profiles: list[Profile], err: TextIO) -> _SavedKeysRead:
    """By profile id, why the key saved for it cannot be used as the keyring holds it (an
    earlier version saved it with its quotes, say), in the words every place says it with
    (``SavedKeyUnusable``): where to save it again; and which of its settings hold it
    (an earlier version saved them so), to be named rather than shown.

    Every saved key is read, whatever kind its profile notes: the kind was noted from the
    key's start, and a key saved with only its closing quote (``ks_dev_…"``) starts as a
    Development key does, yet cannot be sent. They are read one after the other, and none
    after the first the keyring refuses, so that a locked keyring asks to be unlocked once.
    One that cannot be read leaves the keys listed by their kind as noted: a listing is no
    reason to wait again, or to fail.
    """
    saved = [
        p
        for p in profiles
        # A key left behind when another replaced it is never used: not one to save again.
        if p.key_environment is not None and not p.replaced_key_left
    ]
    read = _SavedKeysRead()
    if not saved:
        return read
    set_up_log_file(err=err)
    key_store = KeyStore()
    for profile in saved:
        try:
            key = key_store.get(profile.id) or ""
        except SecretStoreError:
            break
        holding = settings_holding_its_key(profile, key)
        if holding:
            read.holding[profile.id] = holding
        reason = saved_key_problem(key)
        if reason is None:
            continue
        if "profile_name" in holding:
            # Its name, in the command to copy, would show the key: the window it is.
            read.problems[profile.id] = saved_key_words(reason, _IN_THE_WINDOW)
        else:
            words = SavedKeyUnusable(profile.name, reason).message_for("api_key")
            read.problems[profile.id] = words or reason
    return read


def _shown_settings(profile: Profile, holding: Sequence[str]) -> Profile:
    """``profile`` as listed: each setting of ``holding`` (they hold its key) named in
    place of its text (``SETTING_HOLDING_ITS_KEY``)."""
    if not holding:
        return profile
    named = {
        field: SETTING_HOLDING_ITS_KEY[field]
        for field in holding
        if field in SETTING_HOLDING_ITS_KEY
    }
    return replace(
        profile,
        name=named.get("profile_name", profile.name),
        base_url=named.get("base_url", profile.base_url),
        integration_id=named.get("integration_id", profile.integration_id),
    )


def run_list(args: argparse.Namespace) -> int:
    """Print the profiles: name, region or base URL, integration ID, key environment, and
    for a saved key that cannot be used as it is, that it must be saved again."""
    out, err = sys.stdout, sys.stderr
    store = profile_store()
    print_load_warning(store.load_result.message, err)
    last_used = store.last_used_id
    keys_read = _read_saved_keys(store.profiles(), err)
    key_problems = keys_read.problems
    if args.json:
        rows = []
        for p in store.profiles():
            holding = keys_read.holding.get(p.id, ())
            # A setting holding the profile's key is null, and named among those holding it.
            rows.append(
                {
                    "name": None if "profile_name" in holding else p.name,
                    "region": p.region.value if p.region else None,
                    "base_url": None if "base_url" in holding else p.base_url,
                    "integration_id": None if "integration_id" in holding else p.integration_id,
                    "environment": p.key_environment.value if p.key_environment else None,
                    "key_saved": p.key_environment is not None,
                    "key_problem": key_problems.get(p.id),
                    "settings_holding_key": [_JSON_FIELDS.get(field, field) for field in holding],
                    "last_used": p.id == last_used,
                }
            )
        print_json_object({"profiles": rows}, out)
        return EXIT_OK
    profiles = [_shown_settings(p, keys_read.holding.get(p.id, ())) for p in store.profiles()]
    if not profiles:
        print("No profiles yet. Add one with: kombo-desktop profiles add NAME …", file=out)
        return EXIT_OK
    header = ("NAME", "REGION OR BASE URL", "INTEGRATION ID", "KEY")
    table = [header] + [
        (
            p.name,
            p.base_url_or_region_label,
            # Taken out when an API key stood there (an earlier version's file).
            p.integration_id or "no integration ID",
            _key_to_save_again(p) if p.id in key_problems else _environment_label(p),
        )
        for p in profiles
    ]
    # By the columns a terminal gives each character: "株式会社" takes eight.
    widths = [max(display_width(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [padded_to_width(cell, width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip(), file=out)
    for profile in profiles:
        if profile.id in key_problems:
            print(f"\n“{profile.name}”: {key_problems[profile.id]}", file=out)
        held_in = keys_read.holding.get(profile.id)
        if held_in:
            which, verb, them = _settings_named(held_in)
            # The edit command needs the profile's name, which would show the key.
            where = _IN_THE_WINDOW if "profile_name" in held_in else f"with {_EDIT_A_SETTING}"
            print(
                f"\n“{profile.name}”: its {which} {verb} its API key, which is not shown: "
                f"change {them} {where}.",
                file=out,
            )
    return EXIT_OK


#: Why a piped key was refused when its bytes are not text in the encoding they claim.
_KEY_NOT_TEXT = (
    "is not readable text; save the key as UTF-8 (or UTF-16 with its byte-order mark) "
    "and pipe it in again"
)


def read_api_key(stdin: TextIO | None, err: TextIO, prompt: str) -> str:
    """The key from a hidden prompt on a terminal, or the first line of a pipe: up to
    ``\\n``, ``\\r\\n`` or a lone ``\\r`` (a file saved with old Mac line ends).

    A pipe's bytes are read as a file's are (``core.text.decode_file_text``): UTF-8, or
    UTF-16 or UTF-32 when a byte-order mark says so (PowerShell 5's ``>`` writes UTF-16),
    whatever this computer's own encoding; the mark is no part of the key. Any other
    invisible character is left for ``validate_api_key`` to refuse. Raises ``InputError``
    on ``api_key`` for bytes that are not text in that encoding.

    ``EOFError`` when there is no standard input at all (``None``: closed, as under cron,
    a service or ``<&-``): nobody can enter a key there.
    """
    if stdin is None:
        raise EOFError
    if stdin.isatty():
        return getpass.getpass(prompt, stream=err)
    pipe = getattr(stdin, "buffer", None)
    if pipe is None:
        # A stream of text only (one a caller put in place of standard input).
        return _before_line_end(without_byte_order_mark(stdin.readline())).strip()
    try:
        return _first_line_of(pipe).strip()
    except UnicodeDecodeError:
        # Never quoted: the bytes may hold the key.
        raise InputError([FieldError("api_key", _KEY_NOT_TEXT)]) from None


#: What ends a line: ``\n`` (and so ``\r\n``), or a lone ``\r`` (old Mac files).
_LINE_ENDS = ("\n", "\r")


def _before_line_end(text: str) -> str:
    """``text`` up to its first line end (``_LINE_ENDS``), or all of it."""
    ends = [text.index(end) for end in _LINE_ENDS if end in text]
    return text[: min(ends, default=len(text))]


def _first_line_of(pipe: BinaryIO) -> str:
    """The first line of the text ``pipe`` brings, without its line end (``_LINE_ENDS``),
    decoded strictly as ``core.text.decode_file_text`` decodes a file (its byte-order mark
    dropped).

    Read up to the line's end and no further: a pipe whose writer keeps it open after the
    line is not waited on, nor is a ``\\n`` after a ``\\r``. Raises ``UnicodeDecodeError``
    for bytes that are not text.
    """
    start = b""
    # Enough to tell the encoding by its mark, unless the line is shorter.
    while len(start) < LONGEST_BYTE_ORDER_MARK and not any(
        end.encode("ascii") in start for end in _LINE_ENDS
    ):
        byte = pipe.read(1)
        if not byte:
            break
        start += byte
    decoder = codecs.getincrementaldecoder(encoding_of_text_start(start))(errors="strict")
    pieces = [decoder.decode(start, final=not start)]
    # One byte at a time: a line end is one byte or more, by the encoding.
    while not any(end in pieces[-1] for end in _LINE_ENDS):
        byte = pipe.read(1)
        pieces.append(decoder.decode(byte, final=not byte))
        if not byte:
            break
    return _before_line_end("".join(pieces))


#: What the command line adds where a key was read with its variable's name before it
#: (``KEY_WITH_ITS_VARIABLE``): how to pipe only the key out of a ``.env`` file.
_ONLY_THE_KEY_FROM_ENV_FILE = f"(from a .env file: `grep {API_KEY_VARIABLE} .env | cut -d= -f2-`)"


def _read_key(stdin: TextIO | None, err: TextIO, prompt: str) -> str:
    """The key read (``read_api_key``) and checked (``validate_api_key``, which refuses a
    key copied with what stood around it), or ``InputError`` on ``api_key``."""
    key = read_api_key(stdin, err, prompt)
    try:
        return validate_api_key(key)
    except InputError as exc:
        if exc.message_for("api_key") != KEY_WITH_ITS_VARIABLE:
            raise
        hint = f"{KEY_WITH_ITS_VARIABLE} {_ONLY_THE_KEY_FROM_ENV_FILE}"
        raise InputError([FieldError("api_key", hint)]) from None


def _read_and_save_key(
    store: ProfileStore,
    key_store: KeyStore,
    profile: Profile,
    *,
    is_new: bool,
    stdin: TextIO | None,
    err: TextIO,
    unchanged: str,
    args: argparse.Namespace,
    stopped_while_saving: Callable[[], str],
    key_only: bool = False,
) -> Profile | int:
    """Ask for the key of ``profile``, then save both (``save_with_key``, which is given
    ``key_only``).

    Returns the profile as saved (with its key's environment), or an exit code after
    saying why on ``err``, ending with ``unchanged`` (what was not done).
    ``stopped_while_saving()`` says what a Ctrl+C during the save left (``_if_stopped_now``).
    """
    try:
        key_store.check_available()
        key = _read_key(stdin, err, f"API key for “{profile.name}”: ")
    except SecretStoreError as exc:
        return _print_keyring_error(exc, err, unchanged)
    except InputError as exc:
        _print_input_error(exc, err)
        print(unchanged, file=err)
        return EXIT_INVALID_INPUT
    except EOFError:
        # After a prompt the cursor is still on its line; without one, no blank line.
        start = "\n" if _on_a_terminal(stdin) else ""
        print(f"{start}No API key was entered. {unchanged}", file=err)
        return EXIT_INVALID_INPUT
    _if_stopped_now(args, stopped_while_saving)
    try:
        saved = save_with_key(store, key_store, profile, key, is_new=is_new, key_only=key_only)
    except SecretStoreError as exc:
        return _print_keyring_error(exc, err, unchanged)
    except InputError as exc:
        holding = _settings_holding_the_key(exc) if key_only else None
        if holding is not None:
            # set-key names no setting: the ones at fault are said as the profile's.
            print(holding, unchanged, file=err)
            return EXIT_INVALID_INPUT
        if [problem.field for problem in exc.errors] == ["profile"]:
            # The prompt may wait long: the profile can be removed meanwhile, elsewhere.
            print(
                f"The profile “{profile.name}” was removed while its key was being "
                f"entered. {unchanged}",
                file=err,
            )
            return EXIT_INVALID_INPUT
        _print_input_error(exc, err)
        print(unchanged, file=err)
        return EXIT_INVALID_INPUT
    except OSError as exc:
        return _print_write_failure(exc, err, unchanged)
    return saved


def run_add(args: argparse.Namespace) -> int:
    """Validate, read the key, save it in the keyring, then save the profile."""
    out, err, stdin = sys.stdout, sys.stderr, sys.stdin
    if _refuses_key_variable_as_name(args.name, "NAME", err):
        print("Nothing was saved.", file=err)
        return EXIT_INVALID_INPUT
    store, key_store = _open_stores()
    print_load_warning(store.load_result.message, err)
    try:
        # Check everything before asking for the key, so nobody types a key for nothing.
        profile = store.checked_profile(
            name=args.name,
            integration_id=args.integration_id,
            held=_key_in_environment(),
            region=args.region,
            base_url=args.base_url,
        )
    except InputError as exc:
        return _print_input_error(exc, err)
    saved = _read_and_save_key(
        store,
        key_store,
        profile,
        is_new=True,
        stdin=stdin,
        err=err,
        unchanged="Nothing was saved.",
        args=args,
        stopped_while_saving=lambda: _add_outcome(profile),
    )
    if isinstance(saved, int):
        return saved
    print(
        f"Saved profile “{profile.name}” ({profile.base_url_or_region_label}, "
        f"{_key_words(saved, article=False)}). {key_store.keyring_in_use().sentence}",
        file=out,
    )
    return EXIT_OK


def _add_outcome(profile: Profile) -> str:
    """What a Ctrl+C while ``add`` saved ``profile`` left: read from the file again."""
    if profile_store().get(profile.id) is not None:
        return f"The profile “{profile.name}” had already been saved."
    return "The profile was not saved."


def _named_profile(store: ProfileStore, name: str, err: TextIO) -> Profile | None:
    """The saved profile called ``name``, or ``None`` after saying there is none."""
    try:
        profile = store.require_by_name(name)
    except InputError as exc:
        # "No profile named …" would show what may be a key (an earlier version saved
        # such a name, so it is still looked up).
        if _refuses_key_variable_as_name(name, "NAME", err):
            return None
        # The error already tells of a damaged file: no separate warning repeating it.
        _print_input_error(exc, err)
        return None
    print_load_warning(store.load_result.message, err)
    return profile


def run_set_key(args: argparse.Namespace) -> int:
    """Read a key and store it for an existing profile; the profile file keeps only its class."""
    out, err, stdin = sys.stdout, sys.stderr, sys.stdin
    store, key_store = _open_stores()
    profile = _named_profile(store, args.name, err)
    if profile is None:
        return EXIT_INVALID_INPUT
    if not profile.integration_id:
        # Saving the key saves the profile, which needs one: said before a key is typed.
        print(
            f"“{profile.name}” has no integration ID, so the key was not changed. Give it one "
            f"first {with_the_edit_command(profile.name)}",
            file=err,
        )
        return EXIT_INVALID_INPUT
    saved = _read_and_save_key(
        store,
        key_store,
        profile,
        is_new=False,
        stdin=stdin,
        err=err,
        unchanged="The key was not changed.",
        args=args,
        # The keyring cannot be asked now without perhaps waiting again.
        stopped_while_saving=lambda: (
            "The key may or may not have been changed: to be sure, store it again "
            f"{with_this_command(profiles_command('set-key', profile.name))}"
        ),
        # The prompt may wait long: a profile edited meanwhile keeps its edit.
        key_only=True,
    )
    if isinstance(saved, int):
        return saved
    print(f"Stored {_key_words(saved)} for “{profile.name}”.", file=out)
    return EXIT_OK


def run_edit(args: argparse.Namespace) -> int:
    """Change the settings given of a profile; its id, and so its key, stay as they are."""
    out, err = sys.stdout, sys.stderr
    changes = (args.new_name, args.integration_id, args.region, args.base_url)
    if all(value is None for value in changes):
        print(f"Nothing to change: give {_EDIT_OPTIONS}. {NOTHING_DONE}.", file=err)
        return EXIT_INVALID_INPUT
    if _refuses_key_variable_as_name(args.new_name, "--name", err):
        print(f"{NOTHING_DONE}.", file=err)
        return EXIT_INVALID_INPUT
    # The key goes by the profile's id, which an edit keeps: the keyring is opened only
    # to refuse the key in new settings given as text (``_keys_not_saved_with``).
    set_up_log_file()
    store = profile_store()
    profile = _named_profile(store, args.name, err)
    if profile is None:
        return EXIT_INVALID_INPUT
    region, base_url = profile.region, profile.base_url
    if args.region is not None:
        region, base_url = args.region, None
    elif args.base_url is not None:
        region, base_url = None, args.base_url
    try:
        # As ``add`` checks it, a name taken by another profile included.
        edited = store.checked_profile(
            name=profile.name if args.new_name is None else args.new_name,
            integration_id=(
                profile.integration_id if args.integration_id is None else args.integration_id
            ),
            held=_keys_not_saved_with(profile, args),
            region=region,
            base_url=base_url,
            profile_id=profile.id,
        )
        _if_stopped_now(args, lambda: _edit_outcome(args, edited, profile))
        # Only what was given is written, onto the profile as the file holds it then: a
        # key stored meanwhile (set-key in another terminal) keeps its environment.
        saved = store.update_with(
            profile.id, lambda current: _given_settings(args, edited, current)
        )
    except InputError as exc:
        return _print_input_error(exc, err, _EDIT_FIELD_LABELS)
    except OSError as exc:
        return _print_write_failure(exc, err, f"The profile “{profile.name}” was not changed")
    print(f"Updated profile “{saved.name}”.", file=out)
    return EXIT_OK


def _edit_outcome(args: argparse.Namespace, edited: Profile, profile: Profile) -> str:
    """What a Ctrl+C while ``edit`` saved left: read from the file again (written whole
    or not at all)."""
    current = profile_store().get(profile.id)
    if current is not None and current == _given_settings(args, edited, current):
        return f"The change to “{profile.name}” had already been saved."
    return f"The profile “{profile.name}” was not changed."


def _given_settings(args: argparse.Namespace, edited: Profile, current: Profile) -> Profile:
    """``current`` with the settings the options of ``edit`` gave, as ``edited`` holds
    them checked."""
    changes: dict[str, Any] = {}
    if args.new_name is not None:
        changes["name"] = edited.name
    if args.integration_id is not None:
        changes["integration_id"] = edited.integration_id
    if args.region is not None or args.base_url is not None:
        changes.update(region=edited.region, base_url=edited.base_url)
    return replace(current, **changes)


def _remove_outcome(profile: Profile) -> str:
    """What a Ctrl+C while ``remove`` ran left: read from the file again. A profile kept
    keeps its key (``ProfileStore.remove`` puts back a key it deleted), unless the Ctrl+C
    came in the very moment the keyring was deleting it: the keyring is not asked again
    here, as it may be what kept the command waiting."""
    if profile_store().get(profile.id) is None:
        return f"The profile “{profile.name}” had already been removed."
    return f"The profile “{profile.name}” was kept."


def run_remove(args: argparse.Namespace) -> int:
    """Delete a profile and its key; if the key cannot be deleted, keep the profile."""
    out, err = sys.stdout, sys.stderr
    store, key_store = _open_stores()
    profile = _named_profile(store, args.name, err)
    if profile is None:
        return EXIT_INVALID_INPUT
    _if_stopped_now(args, lambda: _remove_outcome(profile))
    try:
        key_deleted = store.remove(
            profile.id, key_store, even_if_keyring_unreachable=args.without_keyring
        )
    except SecretStoreError as exc:
        # The keyring's message says why the key could not be deleted; this says what
        # that means for the profile.
        kept = (
            f"The profile “{profile.name}” was kept, so that no key is left in the keyring "
            "without it."
        )
        if isinstance(exc, SecretStoreUnavailable):
            # On a computer without any keyring this is the only way to remove a profile.
            command = profiles_command("remove", profile.name, "--without-keyring")
            kept += f" It can be removed all the same {with_this_command(command)}"
        return _print_keyring_error(exc, err, kept)
    except OSError as exc:
        return _print_write_failure(exc, err, f"The profile “{profile.name}” was kept")
    print(_removed_words(profile, key_deleted=key_deleted), file=out)
    return EXIT_OK


def _removed_words(profile: Profile, *, key_deleted: bool) -> str:
    """What ``remove`` says it did, worded for the key ``profile`` notes, as the window's
    profiles dialog words it. Without a keyring, a profile noting no key may have one all
    the same (the note is all there is: an earlier version's file notes none for a key it
    has), so then a key is only said to stay if there was one."""
    removed = f"Removed profile “{profile.name}”"
    has_key = profile.key_environment is not None
    if key_deleted:
        return f"{removed} and its API key." if has_key else f"{removed}."
    if has_key:
        return (
            f"{removed}. No keyring could be reached, so its API key stays in the keyring "
            "it was saved in."
        )
    return (
        f"{removed}. No keyring could be reached: if an API key was saved for it earlier, "
        "it stays in the keyring it was saved in."
    )


# ---- export and import ------------------------------------------------------------------------


def _say_failure(
    error: BaseException,
    message: UserMessage,
    args: argparse.Namespace,
    code: int,
    option_of: Callable[[str], str] | None = None,
) -> int:
    """Say why ``export`` or ``import`` did nothing (``message``, which says so first): on
    stderr, or with ``--json`` as one JSON object on stdout, as ``send --json`` says its
    errors. Returns ``code``, the exit code of ``profiles`` for it (not ``send``'s)."""
    if args.json:
        from kombo_desktop.cli.send_command import report_error

        report_error(error, True, sys.stdout, sys.stderr, message=message, option_of=option_of)
    else:
        print(message.text, file=sys.stderr)
    return code


def _refused(
    problem: FieldError, consequence: str, args: argparse.Namespace, option: str | None
) -> int:
    """Refuse ``problem`` with what that means (``consequence``) before it, naming
    ``option`` (what to change; None when no option would help) in the JSON object;
    ``EXIT_INVALID_INPUT``."""
    from kombo_desktop.core.messages import describe_failure

    error = InputError([problem])
    message = describe_failure(error, consequence=consequence)
    option_of = None if option is None else lambda _field: option
    return _say_failure(error, message, args, EXIT_INVALID_INPUT, option_of)


def _refuses_key_variable_as_file(args: argparse.Namespace, consequence: str) -> int | None:
    """``EXIT_INVALID_INPUT`` after saying why, when FILE is ``KOMBO_API_KEY=…``
    (``sets_the_key_variable``): a file of that name would hold the key in clear in its
    name, and a message naming the file would show it. None for any other FILE."""
    if not sets_the_key_variable(args.file):
        return None
    return _refused(FieldError("file", _KEY_VARIABLE_AS_FILE), consequence, args, "FILE")


def _export_outcome(path: Path, before: tuple[int, int, int] | None) -> str:
    """What a Ctrl+C while ``export`` wrote ``path`` left: written whole or not at all."""
    if file_signature(path) != before:
        return f"The profiles had already been exported to {path}."
    return f"{NOTHING_EXPORTED}."


def _export_ids(store: ProfileStore, names: list[str], args: argparse.Namespace) -> list[str] | int:
    """The ids of the profiles ``--name`` gives, or an exit code after saying which name
    no profile has (nothing is exported then)."""
    ids: list[str] = []
    for name in names:
        try:
            ids.append(store.require_by_name(name).id)
        except InputError as exc:
            # "No profile named …" would show what may be a key.
            if sets_the_key_variable(name):
                problem = FieldError("profile", _KEY_VARIABLE_AS_NAME)
                return _refused(problem, NOTHING_EXPORTED, args, "--name")
            return _refused(exc.errors[0], NOTHING_EXPORTED, args, "--name")
    return ids


def run_export(args: argparse.Namespace) -> int:
    """Write the profiles (all, or those ``--name`` gives) to FILE without their keys:
    ".json" added to a name without an extension, and a file already there kept unless
    ``--force``."""
    from kombo_desktop.core.profile_files import (
        EXPORT_SUFFIX,
        export_failure,
        export_name_problem,
        export_unless_there,
        exported_words,
        with_export_suffix,
    )

    out, err = sys.stdout, sys.stderr
    refused = _refuses_key_variable_as_file(args, NOTHING_EXPORTED)
    if refused is not None:
        return refused
    not_a_file = export_name_problem(args.file)
    if not_a_file is not None:
        return _refused(FieldError("file", not_a_file), NOTHING_EXPORTED, args, "FILE")
    # The keyring is not opened: an export holds no key.
    set_up_log_file()
    store = profile_store()
    print_load_warning(store.load_result.message, err)
    if not store.profiles():
        # As the window's Export… is off then: a file of no profiles is most likely a
        # mistake (another app home than meant), and an import of it does nothing.
        problem = FieldError(
            "profile", "there are no saved profiles to export (add one with `profiles add`)"
        )
        return _refused(problem, NOTHING_EXPORTED, args, None)
    ids = _export_ids(store, args.names or [], args)
    if isinstance(ids, int):
        return ids
    given = Path(args.file)
    path = with_export_suffix(given)
    before = file_signature(path)
    _if_stopped_now(args, lambda: _export_outcome(path, before))
    try:
        count = export_unless_there(store, path, replace=args.force, profile_ids=ids or None)
    except OSError as exc:
        return _say_failure(exc, export_failure(exc, path), args, EXIT_WRITE_FAILED)
    if count is None:
        # A script must not replace a file unasked, as the window asks before it does.
        added = f" (“{EXPORT_SUFFIX}” was added to the name given)" if path != given else ""
        problem = FieldError(
            "file", f"“{path}” is already there{added}: give --force to replace it"
        )
        return _refused(problem, NOTHING_EXPORTED, args, "FILE")
    said = exported_words(count, path)
    if args.json:
        print_json_object(
            {"status": "success", "summary": said, "file": str(path), "exported": count}, out
        )
    else:
        print(said, file=out)
    return EXIT_OK


def _import_outcome(before: set[str]) -> str:
    """What a Ctrl+C while ``import`` saved left: the profiles file, read again, holds the
    profiles imported (written whole, at once) or none of them."""
    added = [p.name for p in profile_store().profiles() if p.id not in before]
    if not added:
        return f"{NOTHING_IMPORTED}."
    names = ", ".join(f"“{name}”" for name in added)
    return f"The profiles had already been imported: {names}."


def run_import(args: argparse.Namespace) -> int:
    """Add the profiles of FILE, without keys, and say what was added, renamed and skipped
    (``ImportResult.message``, the window's words)."""
    from kombo_desktop.core.profile_files import import_failure, read_and_import

    out, err = sys.stdout, sys.stderr
    refused = _refuses_key_variable_as_file(args, NOTHING_IMPORTED)
    if refused is not None:
        return refused
    # The keyring is not opened: imported profiles come without keys.
    set_up_log_file()
    store = profile_store()
    print_load_warning(store.load_result.message, err)
    before = {p.id for p in store.profiles()}
    _if_stopped_now(args, lambda: _import_outcome(before))
    try:
        result = read_and_import(store, Path(args.file), _key_in_environment())
    except InputError as exc:
        # The file's problem (unreadable, empty, not an export): FILE is what to change.
        message = import_failure(exc)
        return _say_failure(exc, message, args, EXIT_INVALID_INPUT, lambda _field: "FILE")
    except OSError as exc:
        return _say_failure(exc, import_failure(exc), args, EXIT_WRITE_FAILED)
    if args.json:
        print_json_object(
            {
                "status": "success",
                "summary": result.message,
                "imported": [p.name for p in result.imported],
                "renamed": [{"from": old, "to": new} for old, new in result.renamed],
                "skipped": list(result.skipped),
                "repeated": list(result.repeated),
                "keys_left_out": list(result.keys_left_out),
            },
            out,
        )
    else:
        print(result.message, file=out)
    return EXIT_OK
