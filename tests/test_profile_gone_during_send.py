"""The profile a result link was sent with, deleted while the link is on its way.

The link went with that profile's key: its answer does not pair the form with the profile
chosen now (none, or one the picker chose on its own, another customer's maybe). The
window still says the form's profile is gone after the answer, the draft keeps the deleted
profile, and the next start says it is gone. Retry does not go with another profile.

The real window (``launch``), the real keyring, the real sandbox (slowed down, so that the
deletion lands while the link waits for its answer), the real command line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.cli_support import cli, output
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
    candidate_id,
    fill_form,
    posts,
    submit_until_sent,
)
from tests.qt_helpers import find_by_accessible_name

LATENCY_MS = 5000


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def added_in_draft(draft: FormState) -> bool:
    """True once the draft records the link as added (the answer's save, not the one as
    it went out)."""
    return any(link.confirmed for link in draft.sent)


def send_slowly_for(qtbot: QtBot, window: MainWindow, sandbox: Sandbox) -> None:
    """Type a form for the sandbox's first candidate and send it; its answer waits."""
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    sandbox.set_latency(LATENCY_MS)
    submit_until_sent(qtbot, window)


def remove_on_the_command_line(app_home: Path, name: str) -> None:
    """``kombo-desktop profiles remove NAME``, run to its end; it must succeed."""
    result = cli(app_home, "profiles", "remove", name)
    assert result.returncode == 0, output(result)


def wait_for_the_answer(qtbot: QtBot, window: MainWindow) -> None:
    # The deletion was seen before the answer came: what these tests are about.
    assert window.busy, "the answer came before the deletion was seen: a longer latency"
    assert GONE_WORDS in status(window)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass


def assert_a_new_window_says_the_profile_is_gone(qtbot: QtBot, target_id: str) -> None:
    again = open_window(qtbot)
    assert again.form.state().target_id == target_id
    assert GONE_WORDS in status(again)
    again.close()


def test_a_profile_removed_on_the_command_line_while_its_link_is_on_its_way_stays_gone(
    qtbot: QtBot,
    fresh_sandbox: Sandbox,
    app_home: Path,
    real_keyring: None,
    heard: list[tuple[object, str]],
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    send_slowly_for(qtbot, window, fresh_sandbox)
    remove_on_the_command_line(app_home, "Acme")  # the window sees it through the file
    picker = picker_of(window)
    qtbot.waitUntil(lambda: picker.deleted_choice() == acme.id, timeout=WAIT_MS)
    heard.clear()
    wait_for_the_answer(qtbot, window)

    # The success is shown, and so is, still, that the form's profile is gone.
    assert window.response.summary_text().startswith("Success")
    assert "Result link added" in status(window)
    assert GONE_WORDS in status(window)
    assert any(GONE_WORDS in text for _widget, text in heard)
    window.close()
    draft = draft_on_disk()
    assert added_in_draft(draft)
    assert draft.profile_id == acme.id
    assert_a_new_window_says_the_profile_is_gone(qtbot, candidate_id(fresh_sandbox))


def test_a_link_sent_with_a_profile_deleted_meanwhile_does_not_pair_the_form_with_the_one_left(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Globex, the only profile left, is chosen by the picker itself: the link went with
    # Acme's key, and the form is still Acme's, not Globex's.
    acme = saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")
    window = open_window(qtbot, "Acme")
    send_slowly_for(qtbot, window, fresh_sandbox)
    delete_in_manage_profiles(qtbot, window, acme, monkeypatch)
    qtbot.waitUntil(lambda: chosen_name(window) == "Globex", timeout=WAIT_MS)
    wait_for_the_answer(qtbot, window)

    assert window.response.summary_text().startswith("Success")
    # Without a close: a crash right after must not bring the form back with Globex.
    qtbot.waitUntil(lambda: added_in_draft(draft_on_disk()), timeout=WAIT_MS)
    assert draft_on_disk().profile_id == acme.id
    assert GONE_WORDS in status(window)
    window.close()
    assert draft_on_disk().profile_id == acme.id
    assert_a_new_window_says_the_profile_is_gone(qtbot, candidate_id(fresh_sandbox))


def test_a_failed_link_whose_profile_was_deleted_meanwhile_is_not_retried_with_the_one_left(
    qtbot: QtBot, fresh_sandbox: Sandbox, real_keyring: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme = saved(fresh_sandbox, "Acme")
    saved(fresh_sandbox, "Globex")  # the same integration and key: only the profile differs
    window = open_window(qtbot, "Acme")
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    send_slowly_for(qtbot, window, fresh_sandbox)
    delete_in_manage_profiles(qtbot, window, acme, monkeypatch)
    qtbot.waitUntil(lambda: chosen_name(window) == "Globex", timeout=WAIT_MS)
    wait_for_the_answer(qtbot, window)

    assert window.response.summary_text().startswith("Error")
    assert GONE_WORDS in status(window)
    # Retry would send with the deleted profile while Globex is shown: it is not offered,
    # and asked for all the same it sends nothing.
    assert not find_by_accessible_name(window, "Retry", QPushButton).isVisible()
    window.retry()
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert status(window).startswith("Not sent again")
    window.close()
    assert draft_on_disk().profile_id == acme.id
    assert_a_new_window_says_the_profile_is_gone(qtbot, candidate_id(fresh_sandbox))
