"""Closing right after typing waits for that typing's save: a disk that refuses it (full
since the last save) is asked about before the window goes, as any failed save is; a save
that fails while the app quits is logged; and once saves work again, the status bar stops
saying they do not."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt import main_window
from kombo_desktop.qt.draft_keeper import DraftKeeper
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    answer_question,
    line_edit,
    type_into,
    wait_for_question,
    window_with_draft_read,
)


@pytest.fixture
def refusing_draft() -> Path:
    """The draft's file, for the test to make unwritable: a folder in its place refuses
    every write, as a full disk does."""
    draft = DraftStore().path
    draft.parent.mkdir(parents=True, exist_ok=True)
    return draft


def refuse(draft: Path) -> None:
    if draft.exists():
        draft.unlink()
    draft.mkdir()


def test_typing_refused_by_the_disk_is_asked_about_even_when_closing_at_once(
    qtbot: QtBot, fresh_sandbox: Sandbox, refusing_draft: Path
) -> None:
    window = window_with_draft_read(qtbot, fresh_sandbox)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", "first")
    refuse(refusing_draft)  # the disk filled up since that save
    type_into(qtbot, window, "Label", " second")
    assert window.drafts.pending  # closed within the pause before the save
    window.close()
    # Before: closed at once, the last save failing unseen, and " second" lost.
    box = wait_for_question(qtbot, "closeLosingForm")
    answer_question(qtbot, box, "Keep open")
    assert window.isVisible()
    assert line_edit(window, "Label").text() == "first second"
    refusing_draft.rmdir()


def test_closing_waits_for_the_last_typings_save_not_an_earlier_ones(
    qtbot: QtBot, fresh_sandbox: Sandbox, refusing_draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = threading.Event()
    save = DraftStore.save

    def slow_then_full(store: DraftStore, state: FormState) -> Path | None:
        # A slow disk still writing the first save as the window closes, and full after it.
        if state.label != "first":
            return save(store, state)
        written.wait(WAIT_MS / 1000)
        kept = save(store, state)
        refuse(refusing_draft)
        return kept

    monkeypatch.setattr(DraftStore, "save", slow_then_full)
    window = window_with_draft_read(qtbot, fresh_sandbox)
    type_into(qtbot, window, "Label", "first")
    qtbot.waitUntil(lambda: window.drafts.saving and not window.drafts.pending, timeout=WAIT_MS)
    type_into(qtbot, window, "Label", " second")
    QTimer.singleShot(100, written.set)
    window.close()
    # Before: the first save's outcome ended the wait; the window closed, and the second
    # save, refused, lost " second" without a word.
    answer_question(qtbot, wait_for_question(qtbot, "closeLosingForm"), "Keep open")
    assert line_edit(window, "Label").text() == "first second"
    refusing_draft.rmdir()


def test_typing_saved_on_closing_closes_without_asking(
    qtbot: QtBot, fresh_sandbox: Sandbox, refusing_draft: Path
) -> None:
    window = window_with_draft_read(qtbot, fresh_sandbox)
    type_into(qtbot, window, "Label", "kept")
    assert window.drafts.pending
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    restored = DraftStore().load()
    assert restored is not None
    assert restored.label == "kept"


def test_a_save_failing_as_the_app_quits_is_logged(
    qtbot: QtBot,
    fresh_sandbox: Sandbox,
    refusing_draft: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    window = window_with_draft_read(qtbot, fresh_sandbox)
    refuse(refusing_draft)
    type_into(qtbot, window, "Label", "typed as the session ended")
    with caplog.at_level(logging.WARNING):
        window.shutdown()  # a session ending quits the app: nobody can be asked
    # Before: its failure reached nobody, not even the log.
    assert any("Saving the draft failed" in record.getMessage() for record in caplog.records)
    refusing_draft.rmdir()


def test_a_save_that_works_again_ends_the_status_bars_words_of_failure(
    qtbot: QtBot, fresh_sandbox: Sandbox, refusing_draft: Path
) -> None:
    window = window_with_draft_read(qtbot, fresh_sandbox)
    refuse(refusing_draft)
    with qtbot.waitSignal(window.drafts.saveFailed, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", "first")
    assert "The draft was not saved" in window.statusBar().currentMessage()
    refusing_draft.rmdir()
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", " second")
    # Before: "The draft was not saved" stayed beside "Draft saved" for ten seconds.
    assert window.statusBar().currentMessage() == ""


# --------------------------------------------------------------------------------------
# Closing after the disk refused the last typing's save asks about it as soon as the
# refusal is known, not once the longest wait for the save (``DRAFT_SETTLE_WAIT_MS``) has
# run out: the window waits for the save's outcome, not for the clock.
#
# Nothing here is timed: the app's wait is made a minute long, and the question must come
# while a much shorter mark has not passed yet.

#: The app's longest wait for the last typing's save, made far longer than ``WAIT_MS``.
LONG_SETTLE_WAIT_MS = 60_000
#: A pause in typing that never comes within the test: only closing saves the typing.
TYPING_NEVER_PAUSES_MS = 3_600_000


class KeeperOfSlowTypist(DraftKeeper):
    """The window's draft keeper, for someone who types on: no pause, and so no save by
    itself, for an hour."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(delay_ms=TYPING_NEVER_PAUSES_MS, max_delay_ms=TYPING_NEVER_PAUSES_MS)
        super().__init__(*args, **kwargs)


def test_closing_after_the_disk_refused_the_last_typing_asks_at_once(
    qtbot: QtBot,
    fresh_sandbox: Sandbox,
    refusing_draft: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(main_window, "DRAFT_SETTLE_WAIT_MS", LONG_SETTLE_WAIT_MS)
    monkeypatch.setattr(main_window, "DraftKeeper", KeeperOfSlowTypist)
    window = window_with_draft_read(qtbot, fresh_sandbox)
    refuse(refusing_draft)  # the disk is full
    type_into(qtbot, window, "Label", "typed on a full disk")
    assert window.drafts.pending  # its save waits for a pause in typing
    mark_passed: list[bool] = []
    QTimer.singleShot(WAIT_MS, lambda: mark_passed.append(True))
    window.close()  # saves the typing now, and waits for that save's outcome
    # Before: closing waited the whole DRAFT_SETTLE_WAIT_MS, the window deaf to input,
    # when the save's failure did not end the wait, or when closing did not save the
    # typing at once but waited for a pause in it.
    assert mark_passed == [], "closing waited for the clock, not for the save's outcome"
    box = wait_for_question(qtbot, "closeLosingForm")
    assert window.isVisible()
    assert line_edit(window, "Label").text() == "typed on a full disk"
    answer_question(qtbot, box, "Close anyway")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    refusing_draft.rmdir()


def test_a_save_that_could_not_read_the_form_says_it_settled(qtbot: QtBot, tmp_path: Path) -> None:
    def unreadable() -> FormState:
        raise RuntimeError("the table model is gone")

    keeper = DraftKeeper(DraftStore(tmp_path / "draft.json"), unreadable)
    failures: list[str] = []
    keeper.saveFailed.connect(failures.append)
    # Before: this failure was reported, but never said to have settled: whoever waits
    # for the save's outcome (a closing window) waited on for nothing.
    with qtbot.waitSignal(keeper.settled, timeout=WAIT_MS):
        keeper.save_now()
    assert failures != []
    assert not keeper.unsettled
    keeper.close()
