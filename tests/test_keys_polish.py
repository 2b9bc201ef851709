"""A key copied with what stood around it (its ``.env`` line, quotes, a label) is refused
wherever a key is entered, with the command line's words, and never quoted back; the words
about an old key left in the keyring are the same wherever they are said.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from kombo_desktop.core.connection import validate_api_key
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.profiles import ProfileStore, ReplacedKeyLeft, stored_key
from kombo_desktop.core.secrets import SERVICE_NAME, KeyStore
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.sandbox import Sandbox
from tests.keys_support import COPIED_KEY, old_key_left_then_restarted, picker_telling
from tests.main_window_support import (
    assert_the_connection_stops_a_send,
    build_window,
    line_edit,
)
from tests.profiles_support import (
    TIMEOUT,
    click,
    fill_form,
    show_dialog,
    widget,
)

WITH_ITS_VARIABLE = "has KOMBO_API_KEY= before the key: give only the key"
IN_QUOTES = "is in quotes: give only the key, without them"
WITH_ITS_LABEL = "has more than the key around it (a label, an option or a word): give only the key"

#: A key as it is copied with what stood around it, and what the field at fault says.
COPIED = {
    "env line": (f"KOMBO_API_KEY={COPIED_KEY}", WITH_ITS_VARIABLE),
    "env line quoted": (f'kombo_api_key="{COPIED_KEY}"', WITH_ITS_VARIABLE),
    "double quotes": (f'"{COPIED_KEY}"', IN_QUOTES),
    "single quotes": (f"'{COPIED_KEY}'", IN_QUOTES),
    "export": (f"export KOMBO_API_KEY={COPIED_KEY}", WITH_ITS_LABEL),
    "bearer": (f"Bearer {COPIED_KEY}", WITH_ITS_LABEL),
    "label": (f"API key: {COPIED_KEY}", WITH_ITS_LABEL),
}


def copied(*names: str) -> pytest.MarkDecorator:
    """The test is run for each of ``COPIED`` named (all of them when none is)."""
    chosen = names or tuple(COPIED)
    return pytest.mark.parametrize(
        ("pasted", "words"), [COPIED[name] for name in chosen], ids=list(chosen)
    )


# ---- the one check ---------------------------------------------------------------------------


@copied()
def test_every_key_entry_refuses_a_key_copied_with_what_stood_around_it(
    pasted: str, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        validate_api_key(pasted)
    assert caught.value.errors == (FieldError("api_key", words),)
    assert COPIED_KEY not in str(caught.value)


# ---- Manage profiles -----------------------------------------------------------------------


@copied("env line", "double quotes", "bearer")
@pytest.mark.usefixtures("real_keyring")
def test_manage_profiles_refuses_such_a_key_at_its_field_and_keeps_what_was_typed(
    qtbot, worker, pasted: str, words: str
) -> None:
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    fill_form(dialog, name="Acme", key=pasted)

    click(qtbot, dialog, "Save profile")
    assert dialog.field_error("api_key") == words
    assert dialog.status_text() == "Nothing was saved. Correct the marked fields and save again."
    assert widget(dialog, "API key", QLineEdit).text() == pasted
    assert dialog.has_unsaved_changes()
    assert ProfileStore().find_by_name("Acme") is None

    # "Test connection" refuses it the same way, before anything is sent.
    click(qtbot, dialog, "Test connection")
    assert dialog.field_error("api_key") == words
    assert COPIED_KEY not in dialog.status_text() + dialog.field_error("api_key")


# ---- the connection bar --------------------------------------------------------------------


def test_the_connection_bar_refuses_a_key_in_quotes_at_its_field(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox, api_key=f'"{COPIED_KEY}"')
    problem = "The API key is in quotes: give only the key, without them."
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    assert bar.connection_problem() == problem
    key_edit = line_edit(window, "API key")
    assert is_marked(key_edit)
    assert key_edit.toolTip() == problem
    edit = assert_the_connection_stops_a_send(
        qtbot, window, fresh_sandbox, problem=problem, field="API key", key=COPIED_KEY
    )
    assert edit.text() == f'"{COPIED_KEY}"'  # kept as pasted, to be corrected

    edit.setText(COPIED_KEY)
    assert not is_marked(edit)
    assert edit.toolTip() == "Kept in memory only: never saved to disk"
    assert bar.connection_problem() is None


# ---- an old key left in the keyring ----------------------------------------------------------


def test_an_old_key_left_in_the_keyring_is_told_in_the_same_words_everywhere(qtbot, worker) -> None:
    """The command line, the window's profile list and Manage profiles say the same: what
    is left, where to find it in the keyring's app, and where to save a new key."""
    same = (
        "No API key can be used for this profile: the key it had before could not be "
        "deleted from the system keyring, and is not used. Delete it in your keyring's "
        f"app (under “{SERVICE_NAME}”), or save a new key in its place "
    )
    with old_key_left_then_restarted() as (_backend, restarted, profile):
        picker = picker_telling(qtbot, worker, "keyring", profile.id)
        assert picker.connection_problem() == f"{same}in Manage profiles."

        dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
        dialog.select_profile(profile.id)
        qtbot.waitUntil(lambda: "keyring" in dialog.field_error("api_key"), timeout=TIMEOUT)
        assert dialog.field_error("api_key") == f"{same}here."

        with pytest.raises(ReplacedKeyLeft) as raised:
            stored_key(restarted, KeyStore(), profile)
        said = raised.value.message_for("api_key") or ""
        assert said.startswith(f"{same}in the window (Manage profiles) or with this command:")
