"""Closing right after typing waits for that typing's save: a disk that refuses it (full
since the last save) is asked about before the window goes, as any failed save is; a save
that fails while the app quits is logged; and once saves work again, the status bar stops
saying they do not."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
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
