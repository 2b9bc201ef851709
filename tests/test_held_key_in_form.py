"""The key the app sends with is refused in the form, whatever its shape, and never saved.

The app takes keys of any shape (a key format Kombo may introduce, a customer's proxy
token), and it knows the one it holds: the connection bar's, or the chosen profile's
from the keyring. Typed or pasted into a field of the form, that key would be written
into the customer's ATS, where every recruiter reads it, and into the draft on disk. So
it is refused at its field (Submit off, nothing sent, nothing to preview or copy), and
the draft keeps "[API key removed]" in its place. The real window against the sandbox,
the real draft file, the real keyring for a saved profile.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.field_marks import is_marked
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_INTEGRATION_ID, Sandbox
from tests.cli_support import cli
from tests.draft_profile_support import (
    choose_profile,
    open_window,
    saved,
)
from tests.leakcheck import files_containing
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    fill_form,
    line_edit,
    press_ctrl_enter,
    type_into,
)

#: A key of no documented shape (no ``ks_prod_``/``ks_dev_``): a proxy's token, say.
ODD_KEY = "pxy-9fK3qZr2/Lm8Xw4Tb6Yc+Hd1="
#: Another one, for a connection changed to another key.
OTHER_KEY = "gateway.7Tq2Wm9Zx4Rb8Kc1Vn6"
PROBLEM = "must not contain an API key"
REMOVED = "[API key removed]"
URL = "https://example.com/results/1"


def window_holding(qtbot: QtBot, sandbox: Sandbox, key: str) -> MainWindow:
    """A shown window whose connection bar holds ``key``, its form ready to be checked."""
    window = build_window(qtbot, sandbox, api_key=key)
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    return window


def bar_of(window: MainWindow) -> ConnectionBar:
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    return bar


def draft_text(window: MainWindow) -> str:
    """What the window's draft file holds, as written."""
    return window.drafts.store.path.read_text(encoding="utf-8")


def draft_state(window: MainWindow) -> FormState:
    state = DraftStore(window.drafts.store.path).load()
    assert state is not None
    return state


def assert_nothing_to_preview_or_copy(
    qtbot, window: MainWindow, clipboard: QClipboard, key: str
) -> None:
    """The preview shows no request, and Copy as curl puts nothing with ``key`` on the
    clipboard (its button is off; called all the same, it copies nothing)."""
    preview = window.preview
    shown = preview.request_line.text() + preview.body_text() + preview.body.placeholderText()
    assert key not in shown
    copy = button(window, "Copy as curl")
    assert not copy.isEnabled()
    clipboard.setText("")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    preview.copy_curl()
    assert key not in clipboard.text()


def assert_submit_refused(window: MainWindow, sentence: str, key: str) -> None:
    """Submit is off, its tooltip says ``sentence``, and never quotes ``key``."""
    submit = button(window, "Submit")
    assert not submit.isEnabled()
    assert sentence in submit.toolTip()
    assert key not in submit.toolTip()


# ---- the window with the connection bar -----------------------------------------------------


def test_the_key_in_use_inside_the_label_is_refused_sent_nowhere_and_kept_in_no_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, app_home: Path, clipboard: QClipboard
) -> None:
    window = window_holding(qtbot, fresh_sandbox, ODD_KEY)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), label=f"Result ({ODD_KEY})")
    # The draft saved while typing has the key taken out; the form still shows it, for
    # the person to remove.
    assert ODD_KEY not in draft_text(window)
    assert draft_state(window).label == f"Result ({REMOVED})"
    label = line_edit(window, "Label")
    assert label.text() == f"Result ({ODD_KEY})"
    assert is_marked(label)
    assert window.form.error_text("label") == f"Label {PROBLEM}"
    assert_submit_refused(window, f"Label {PROBLEM}", ODD_KEY)
    press_ctrl_enter(qtbot, window)
    assert f"Not sent: Label {PROBLEM}" in window.statusBar().currentMessage()
    assert fresh_sandbox.requests == []
    assert_nothing_to_preview_or_copy(qtbot, window, clipboard, ODD_KEY)
    window.close()
    assert files_containing(app_home, ODD_KEY) == []


def test_the_key_with_an_invisible_character_in_an_attribute_is_refused_and_kept_in_no_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    window = window_holding(qtbot, fresh_sandbox, ODD_KEY)
    split = f"{ODD_KEY[:6]}\u200b{ODD_KEY[6:]}"  # a zero-width space copied from a web page
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        fill_form(
            qtbot,
            window,
            target_id=candidate_id(fresh_sandbox),
            prefix="Acme:",
            attributes=f"Score\t88%\nToken\tuse {split} here\n",
        )
    sentence = f"Attributes, row 2: Value cell {PROBLEM}"
    assert window.form.error_text("attributes") == sentence
    assert_submit_refused(window, sentence, split)
    press_ctrl_enter(qtbot, window)
    assert fresh_sandbox.requests == []
    assert_nothing_to_preview_or_copy(qtbot, window, clipboard, split)
    assert split not in draft_text(window)
    assert draft_state(window).attributes == (("Score", "88%"), ("Token", f"use {REMOVED} here"))


@pytest.mark.parametrize(("key", "refused"), [("short12", False), ("short123", True)])
def test_only_a_key_of_eight_characters_or_more_is_looked_for(
    qtbot: QtBot, fresh_sandbox: Sandbox, key: str, refused: bool
) -> None:
    # A key as short as a test's would be found in every other word.
    window = window_holding(qtbot, fresh_sandbox, key)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), label=f"Run {key}")
    assert is_marked(line_edit(window, "Label")) is refused
    assert button(window, "Submit").isEnabled() is not refused


def test_the_form_follows_the_key_in_use_and_the_draft_loses_a_key_that_becomes_it(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = window_holding(qtbot, fresh_sandbox, ODD_KEY)
    bar = bar_of(window)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), label=ODD_KEY)
    label = line_edit(window, "Label")
    assert is_marked(label)
    # Another key typed into the bar: the old one is only text now, the new one refused.
    bar.api_key.selectAll()
    qtbot.keyClicks(bar.api_key, OTHER_KEY)
    assert not is_marked(label)
    assert button(window, "Submit").isEnabled()
    type_into(qtbot, window, "Custom field name prefix", OTHER_KEY)
    assert is_marked(line_edit(window, "Custom field name prefix"))
    assert not button(window, "Submit").isEnabled()
    # A key typed into the form while the connection was not complete yet: once it is,
    # the field is marked and the draft written again without it.
    bar.set_values(api_key=ODD_KEY, integration_id="", base_url=fresh_sandbox.base_url)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        window.drafts.save_now()
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        bar.integration_id.setText(DEMO_INTEGRATION_ID)
    assert is_marked(label)
    assert ODD_KEY not in draft_text(window)
    assert draft_state(window).label == REMOVED
    press_ctrl_enter(qtbot, window)
    assert fresh_sandbox.requests == []


# ---- the window with a saved profile, its key in the keyring -------------------------------


def test_a_profiles_key_from_the_keyring_is_refused_in_the_form_and_kept_in_no_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme proxy", ODD_KEY)
    window = open_window(qtbot, "Acme proxy")
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), url=f"{URL}?t={ODD_KEY}")
    assert is_marked(line_edit(window, "Result URL"))
    assert_submit_refused(window, f"Result URL {PROBLEM}", ODD_KEY)
    press_ctrl_enter(qtbot, window)
    assert fresh_sandbox.requests == []
    assert ODD_KEY not in draft_text(window)
    assert draft_state(window).url == f"{URL}?t={REMOVED}"
    window.close()
    assert files_containing(app_home, ODD_KEY) == []


def test_a_profiles_key_stays_refused_after_another_profile_is_chosen(
    qtbot: QtBot, fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme proxy", ODD_KEY)
    saved(fresh_sandbox, "Globex gateway", OTHER_KEY)
    window = open_window(qtbot, "Acme proxy")
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), url=URL)
    # Acme's key pasted into a field, then Globex chosen for the next customer: the key
    # would be written into Globex's ATS, and into the draft.
    line_edit(window, "Label").clear()
    type_into(qtbot, window, "Label", f"Key {ODD_KEY}")
    choose_profile(qtbot, window, "Globex gateway")
    assert is_marked(line_edit(window, "Label"))
    assert_submit_refused(window, f"Label {PROBLEM}", ODD_KEY)
    press_ctrl_enter(qtbot, window)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        window.drafts.save_now()
    assert ODD_KEY not in draft_text(window)
    assert draft_state(window).label == f"Key {REMOVED}"
    # The key chosen now is refused as well.
    type_into(qtbot, window, "Custom field name prefix", OTHER_KEY)
    assert is_marked(line_edit(window, "Custom field name prefix"))
    window.close()
    assert fresh_sandbox.requests == []
    assert files_containing(app_home, ODD_KEY) == []
    assert files_containing(app_home, OTHER_KEY) == []


# ---- the command line, through the same check ----------------------------------------------


def test_the_command_line_refuses_the_key_from_the_environment_in_an_attribute(
    fresh_sandbox: Sandbox, app_home: Path
) -> None:
    result = cli(
        app_home,
        "send", "--base-url", fresh_sandbox.base_url, "--integration-id", DEMO_INTEGRATION_ID,
        "--candidate", candidate_id(fresh_sandbox), "--label", "L", "--url", URL,
        "--prefix", "Acme:", "--attr", f"Token={ODD_KEY}", "--json",
        KOMBO_API_KEY=ODD_KEY,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    answer = json.loads(result.stdout)
    assert answer["errors"] == [
        {"field": "attributes[0].value", "option": "--attr #1", "message": f"the value {PROBLEM}"}
    ]
    assert ODD_KEY not in result.stdout + result.stderr
    assert fresh_sandbox.requests == []


def test_the_command_line_refuses_a_profiles_key_in_the_label(
    fresh_sandbox: Sandbox, app_home: Path, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme proxy", ODD_KEY)
    result = cli(
        app_home,
        "send", "--profile", "Acme proxy", "--candidate", candidate_id(fresh_sandbox),
        "--label", f"Key {ODD_KEY}", "--url", URL,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"--label: {PROBLEM}" in result.stderr
    assert ODD_KEY not in result.stdout + result.stderr
    assert fresh_sandbox.requests == []


# ---- the check itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "field"),
    [
        (FormState(target_id=f"c1{ODD_KEY}", label="L", url=URL), "target_id"),
        (
            FormState(
                target_id="c1",
                label="L",
                url=URL,
                remote_fields=RemoteFieldsInput(greenhouse_on_behalf_of=ODD_KEY),
            ),
            # Named at the typed input that holds it, in the remote fields' group.
            "remote_fields.greenhouse_on_behalf_of",
        ),
        (
            # As JSON writes it inside a string ("/" as "\/"): sent, it is the key again.
            FormState(
                target_id="c1",
                label="L",
                url=URL,
                remote_fields=RemoteFieldsInput(
                    raw_json=json.dumps({"note": ODD_KEY}).replace("/", "\\/")
                ),
            ),
            "remote_fields",
        ),
    ],
)
def test_the_held_key_is_refused_in_any_value_and_removed_for_the_draft(
    state: FormState, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        state.to_request(held_keys=(ODD_KEY,))
    assert [(e.field, e.message) for e in caught.value.errors] == [(field, PROBLEM)]
    assert ODD_KEY not in str(caught.value)
    kept = json.dumps(state.without_held_keys((ODD_KEY,)).to_dict())
    assert ODD_KEY not in kept
    assert ODD_KEY.replace("/", "\\/") not in kept
    assert REMOVED in kept


def test_the_held_keys_are_never_in_a_repr() -> None:
    from kombo_desktop.core.connection import HeldKeys

    assert ODD_KEY not in repr(HeldKeys.of([ODD_KEY]))


def test_the_held_key_written_in_unicode_escapes_in_the_json_is_refused_and_removed() -> None:
    # JSON copied out of a Go tool: json.Marshal writes <, > and & as \u003c, \u003e and
    # \u0026, so the key's characters are not in the text as typed; the body holds them.
    key = "gw<tok>&9fK3qZr2Lm8"
    typed = (
        json.dumps({"lever": {"note": key, "other": "a\\u0041"}})
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    assert key not in typed
    state = FormState(
        target_id="abc",
        label="Assessment",
        url=URL,
        remote_fields=RemoteFieldsInput(raw_json=typed),
    )
    with pytest.raises(InputError) as caught:
        state.to_request(held_keys=(key,))
    assert [(e.field, e.message) for e in caught.value.errors] == [("remote_fields", PROBLEM)]

    kept = state.without_held_keys((key,)).remote_fields.raw_json
    # The same JSON, the key taken out, every other value as it was.
    assert json.loads(kept) == {"lever": {"note": REMOVED, "other": "a\\u0041"}}
    assert key not in json.loads(kept)["lever"]["note"]
