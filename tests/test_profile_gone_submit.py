"""A form typed for a profile deleted since is sent with the profile chosen now only once
the person says so: that profile may be the picker's own choice, another customer's. The
real profile picker and keyring, the real window, the sandbox."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.profiles import ProfileStore, default_profiles_path
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.sandbox import Sandbox
from tests.draft_profile_support import (
    GONE_WORDS,
    chosen_name,
    delete_in_manage_profiles,
    draft_on_disk,
    open_window,
    picker_of,
    saved,
)
from tests.main_window_support import (
    WAIT_MS,
    answer_question,
    button,
    candidate_id,
    click_submit,
    fill_form,
    posts,
    wait_for_question,
)
from tests.profiles_support import wait_for_notices_so_far


def answer(qtbot: QtBot, name: str) -> None:
    """Answer the question before sending a form typed for a deleted profile."""
    box = wait_for_question(qtbot, "goneProfileConfirmation")
    assert "no longer exists" in box.text()
    answer_question(qtbot, box, name)


def test_a_form_whose_profile_was_deleted_is_sent_with_the_one_left_only_when_asked_to(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    delete_in_manage_profiles(qtbot, window, acme, monkeypatch)
    qtbot.waitUntil(lambda: chosen_name(window) == "Globex", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: button(window, "Submit").isEnabled(), timeout=WAIT_MS)

    # Before: sent at once with Globex, another customer, the warning only in the status bar.
    click_submit(qtbot, window)
    answer(qtbot, "Cancel")
    assert posts(fresh_sandbox) == []
    assert GONE_WORDS in window.statusBar().currentMessage()

    click_submit(qtbot, window)
    answer(qtbot, "Send")
    qtbot.waitUntil(lambda: not window.busy, timeout=WAIT_MS)
    assert len(posts(fresh_sandbox)) == 1
    assert window.response.summary_text().startswith("Success")
    # The person chose Globex for the form: it goes with it from now on.
    window.close()
    assert draft_on_disk().profile_id == globex.id


def test_a_restored_draft_for_a_deleted_profile_asks_before_it_is_sent(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    window.close()
    ProfileStore().set_last_used(globex.id)
    ProfileStore().remove(acme.id, KeyStore())

    again = open_window(qtbot)
    qtbot.waitUntil(lambda: button(again, "Submit").isEnabled(), timeout=WAIT_MS)
    assert chosen_name(again) == "Globex"
    click_submit(qtbot, again)
    answer(qtbot, "Cancel")
    assert posts(fresh_sandbox) == []
    again.close()


def test_a_profile_back_in_a_mended_profiles_file_is_the_forms_own_again(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Beta")
    window = open_window(qtbot, "Beta")
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    picker = picker_of(window)
    file = default_profiles_path()
    whole = file.read_text(encoding="utf-8")
    # A hand edit cuts the file short while the window is open: set aside, no profiles.
    file.write_text(whole[:-20], encoding="utf-8")
    wait_for_notices_so_far(qtbot, picker)
    assert picker.deleted_choice() is not None
    # The edit is mended: the same profiles, Beta chosen again.
    file.write_text(whole, encoding="utf-8")
    wait_for_notices_so_far(qtbot, picker)
    qtbot.waitUntil(lambda: button(window, "Submit").isEnabled(), timeout=WAIT_MS)
    assert chosen_name(window) == "Beta"
    # Before: "typed for a profile that no longer exists" stayed, and Submit asked whether
    # to send with "the profile chosen now", which was the form's own.
    assert picker.deleted_choice() is None
    assert GONE_WORDS not in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    assert len(posts(fresh_sandbox)) == 1
