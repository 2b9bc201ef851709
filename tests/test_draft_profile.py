"""The draft remembers the profile its form was typed for, and the window closed last keeps
its own form: the real profile picker, the real keyring, the real draft file."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot

from kombo_desktop.app import launch
from kombo_desktop.core.drafts import DRAFT_FORMAT, DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.draft_keeper import DraftKeeper
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.draft_profile_support import (
    GONE_WORDS,
    choose_profile,
    chosen_name,
    delete_in_manage_profiles,
    draft_on_disk,
    open_window,
    saved,
)
from tests.main_window_support import WAIT_MS, fill_form, line_edit


def wait_saved(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        window.drafts.save_now()


def test_the_window_closed_last_keeps_its_typed_form(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    # Two windows on the same files (two versions, or two computers sharing a home folder).
    saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")
    first = open_window(qtbot, "Acme")
    fill_form(qtbot, first, target_id="acmeCandidate0000000001", url="https://example.com/acme")
    wait_saved(qtbot, first)
    second = open_window(qtbot, "Globex")
    for name in ("Target ID", "Result URL"):
        line_edit(second, name).clear()
    fill_form(qtbot, second, target_id="globexCandidate00000002", url="https://example.com/g")
    wait_saved(qtbot, second)
    second.close()
    first.close()  # the person closes the Acme window last
    assert draft_on_disk().target_id == "acmeCandidate0000000001"


def test_a_restored_draft_comes_back_with_the_profile_it_was_typed_for(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")
    first = open_window(qtbot, "Acme")
    second = open_window(qtbot, "Globex")  # chosen later: the profile used last
    fill_form(qtbot, first, target_id="acmeCandidate0000000001", url="https://example.com/acme")
    second.close()
    first.close()
    draft_file = DraftStore().path.read_text(encoding="utf-8")
    assert json.loads(draft_file)["form"]["profile_id"] == acme.id
    assert DEMO_API_KEY not in draft_file  # the profile's id, never its key
    assert ProfileStore().last_used_id != acme.id

    third = open_window(qtbot)
    assert third.form.state().target_id == "acmeCandidate0000000001"
    assert chosen_name(third) == "Acme"
    # ...and it is the one remembered as used last from now on.
    qtbot.waitUntil(lambda: ProfileStore().last_used_id == acme.id, timeout=WAIT_MS)
    assert GONE_WORDS not in third.statusBar().currentMessage()


def test_another_profile_chosen_for_a_typed_form_is_saved_with_the_draft(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id="candidate00000000000001")
    wait_saved(qtbot, window)
    choose_profile(qtbot, window, "Globex")
    # Without a close: a crash right after must not bring the form back with Acme.
    qtbot.waitUntil(lambda: draft_on_disk().profile_id == globex.id, timeout=WAIT_MS)
    window.close()


def test_a_draft_typed_for_a_deleted_profile_says_so_every_start_until_another_is_chosen(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None, heard: list[tuple[object, str]]
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    initech = saved(fresh_sandbox, "Initech")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id="acmeCandidate0000000001")
    window.close()
    ProfileStore().set_last_used(globex.id)  # another window chose it since
    ProfileStore().remove(acme.id, KeyStore())

    again = open_window(qtbot)
    assert again.form.state().target_id == "acmeCandidate0000000001"
    message = again.statusBar().currentMessage()
    assert GONE_WORDS in message
    assert any(GONE_WORDS in text for _widget, text in heard)
    # Left as it is and closed, the form is still not paired with Globex at the next start.
    assert chosen_name(again) == "Globex"
    again.close()
    heard.clear()
    third = open_window(qtbot)
    assert GONE_WORDS in third.statusBar().currentMessage()
    assert any(GONE_WORDS in text for _widget, text in heard)
    # Choosing a profile for it settles whose it is.
    choose_profile(qtbot, third, "Initech")
    third.close()
    assert draft_on_disk().profile_id == initech.id


def test_a_form_whose_profile_is_deleted_while_it_is_open_says_so_at_the_next_start(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    saved(fresh_sandbox, "Initech")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id="acmeCandidate0000000001")
    wait_saved(qtbot, window)
    # Deleted in Manage profiles, the form still in the window.
    delete_in_manage_profiles(qtbot, window, acme, monkeypatch)
    qtbot.waitUntil(lambda: chosen_name(window) is None, timeout=WAIT_MS)
    ProfileStore().set_last_used(globex.id)  # another window chose it since
    window.close()

    again = open_window(qtbot)
    assert again.form.state().target_id == "acmeCandidate0000000001"
    assert GONE_WORDS in again.statusBar().currentMessage()
    again.close()


def test_a_form_whose_profile_is_deleted_leaving_one_other_is_not_paired_with_that_one(
    qtbot: QtBot,
    fresh_sandbox: Sandbox,
    real_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
    heard: list[tuple[object, str]],
) -> None:
    # Globex, the only profile left, is chosen by the picker itself: not the person's
    # choice for a form typed for Acme.
    acme = saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    fill_form(qtbot, window, target_id="acmeCandidate0000000001")
    wait_saved(qtbot, window)
    delete_in_manage_profiles(qtbot, window, acme, monkeypatch)
    qtbot.waitUntil(lambda: chosen_name(window) == "Globex", timeout=WAIT_MS)
    # Said at once, not only at the next start.
    assert GONE_WORDS in window.statusBar().currentMessage()
    assert any(GONE_WORDS in text for _widget, text in heard)
    window.close()
    assert draft_on_disk().profile_id == acme.id

    again = open_window(qtbot)
    assert again.form.state().target_id == "acmeCandidate0000000001"
    assert GONE_WORDS in again.statusBar().currentMessage()
    again.close()


def test_a_draft_from_an_older_version_restores_with_the_profile_used_last(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None
) -> None:
    saved(fresh_sandbox, "Acme")
    globex = saved(fresh_sandbox, "Globex")
    ProfileStore().set_last_used(globex.id)
    form = FormState(target_id="olderCandidate000000001", label="Coding test").to_dict()
    form = {name: value for name, value in form.items() if name != "profile_id"}  # as before
    path = DraftStore().path
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": DRAFT_FORMAT, "version": 1, "form": form}
    path.write_text(json.dumps(document), encoding="utf-8")

    window = open_window(qtbot)
    assert window.form.state().target_id == "olderCandidate000000001"
    assert chosen_name(window) == "Globex"
    assert window.statusBar().currentMessage() == "Restored the form from the last session."
    window.close()


def test_a_window_closed_before_its_draft_arrived_leaves_the_draft_alone(qtbot: QtBot) -> None:
    # Close always saves the form: not the empty one a draft on its way is about to fill.
    DraftStore().save(FormState(target_id="keptCandidate000000001"))
    on_disk = DraftStore().path.read_bytes()
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.close()  # no event processed: the draft read has not reached the window
    assert DraftStore().path.read_bytes() == on_disk


def test_close_puts_back_a_form_another_writer_replaced(qtbot: QtBot) -> None:
    ours = FormState(target_id="ourCandidate0000000001", profile_id="p-ours")
    keeper = DraftKeeper(DraftStore(), lambda: ours)
    with qtbot.waitSignal(keeper.saved, timeout=WAIT_MS):
        keeper.save_now()
    DraftStore().save(FormState(target_id="theirCandidate00000002"))  # another window
    keeper.close()
    assert draft_on_disk() == ours


def test_the_profile_id_goes_through_the_draft_file_and_odd_values_are_dropped() -> None:
    state = FormState(target_id="abc", profile_id="5f202f74c9684e72b1b6f0ff17113c7a")
    assert FormState.from_dict(state.to_dict()) == state
    for odd in (None, "", 7, ["p1"]):
        assert FormState.from_dict({"target_id": "abc", "profile_id": odd}).profile_id is None
