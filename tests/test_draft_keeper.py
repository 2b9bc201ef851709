"""Draft saves while typing: every failure is reported, and a restored draft is not rewritten."""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.draft_keeper import DraftKeeper
from kombo_desktop.qt.main_window import MainWindow
from tests.main_window_support import WAIT_MS

#: Short, so that the debounce does not slow the tests down.
DELAY_MS = 10


class CountingStore(DraftStore):
    """The real store, counting the writes it is asked for."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(path)
        self.writes = 0

    def save(self, state: FormState) -> None:
        self.writes += 1
        super().save(state)


class BrokenStore(DraftStore):
    """A store with a bug: ``save`` raises something that is not an ``OSError``."""

    def save(self, state: FormState) -> None:
        raise TypeError(f"cannot serialise {state.label!r}")


class FakeForm:
    """Holds the state the keeper reads, as the form's ``state()`` would."""

    def __init__(self, state: FormState | None = None) -> None:
        self.state = state if state is not None else FormState()

    def read(self) -> FormState:
        return self.state


@pytest.fixture
def form() -> FakeForm:
    return FakeForm(FormState(label="Coding test", target_id="cand-1"))


@pytest.fixture
def draft_path(tmp_path: Path) -> Path:
    return tmp_path / "drafts" / "draft.json"


@pytest.fixture
def keepers() -> Iterator[list[DraftKeeper]]:
    """Keepers made by a test; each is closed (its writer thread stopped) afterwards."""
    made: list[DraftKeeper] = []
    yield made
    for keeper in made:
        keeper.close()


def make_keeper(keepers: list[DraftKeeper], store: DraftStore, form: FakeForm) -> DraftKeeper:
    keeper = DraftKeeper(store, form.read, delay_ms=DELAY_MS)
    keepers.append(keeper)
    return keeper


def record_saved(keeper: DraftKeeper) -> list[bool]:
    saved: list[bool] = []
    keeper.saved.connect(lambda: saved.append(True))
    return saved


def test_typing_that_never_pauses_is_saved_all_the_same(
    qtbot: QtBot, keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    # A change every 20 ms, never the 200 ms pause a save waits for: before, nothing was
    # saved for as long as the typing went on, and a crash then took all of it.
    keeper = DraftKeeper(CountingStore(draft_path), form.read, delay_ms=200, max_delay_ms=400)
    keepers.append(keeper)
    saved = record_saved(keeper)
    for key in range(60):
        form.state = FormState(label="Coding test", target_id=f"cand-{key}")
        keeper.schedule()
        qtbot.wait(20)
        if saved:
            break
    assert saved, "no save while the typing went on"
    assert DraftStore(draft_path).load() is not None


def test_a_save_failing_with_a_bug_is_reported_in_plain_words(
    qtbot: QtBot,
    keepers: list[DraftKeeper],
    form: FakeForm,
    draft_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keeper = make_keeper(keepers, BrokenStore(draft_path), form)
    saved = record_saved(keeper)
    with (
        caplog.at_level(logging.ERROR, logger="kombo_desktop.qt.draft_keeper"),
        qtbot.waitSignal(keeper.saveFailed, timeout=WAIT_MS) as failed,
    ):
        keeper.schedule()
    assert failed.args == [
        "The draft was not saved. Something unexpected went wrong inside Kombo Desktop."
    ]
    keeper.close()
    assert saved == []
    assert not draft_path.exists()
    # The detail is for whoever reads the log, not for the window.
    assert any(
        record.exc_info is not None and isinstance(record.exc_info[1], TypeError)
        for record in caplog.records
    )


def test_a_form_that_cannot_be_read_is_reported_and_close_still_finishes(
    qtbot: QtBot, keepers: list[DraftKeeper], draft_path: Path
) -> None:
    def unreadable() -> FormState:
        raise RuntimeError("the table model is gone")

    keeper = DraftKeeper(CountingStore(draft_path), unreadable, delay_ms=DELAY_MS)
    keepers.append(keeper)
    failures: list[str] = []
    keeper.saveFailed.connect(failures.append)
    keeper.schedule()
    keeper.close()  # a pending save is taken now, and fails
    assert failures == [
        "The draft was not saved. Something unexpected went wrong inside Kombo Desktop."
    ]
    assert not draft_path.exists()


def test_a_disk_failure_names_the_reason(
    qtbot: QtBot, keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    # A folder where the draft file should go: the rename onto it fails for real.
    draft_path.mkdir(parents=True)
    keeper = make_keeper(keepers, DraftStore(draft_path), form)
    saved = record_saved(keeper)
    with qtbot.waitSignal(keeper.saveFailed, timeout=WAIT_MS) as failed:
        keeper.save_now()
    reason = os.strerror(errno.EISDIR)
    assert failed.args == [f"The draft was not saved. Could not write the draft file ({reason})."]
    keeper.close()
    assert saved == []


def test_the_next_save_after_a_failure_writes_and_says_saved(
    qtbot: QtBot, keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    draft_path.mkdir(parents=True)
    store = CountingStore(draft_path)
    keeper = make_keeper(keepers, store, form)
    with qtbot.waitSignal(keeper.saveFailed, timeout=WAIT_MS):
        keeper.save_now()
    draft_path.rmdir()  # the person freed the place
    # The same form again: the failed save wrote nothing, so this one must not be skipped.
    with qtbot.waitSignal(keeper.saved, timeout=WAIT_MS):
        keeper.save_now()
    assert store.writes == 2
    assert DraftStore(draft_path).load() == form.state


def test_a_save_after_a_bug_writes_once_the_store_works_again(
    qtbot: QtBot, keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    class FlakyStore(DraftStore):
        fail = True

        def save(self, state: FormState) -> None:
            if self.fail:
                raise ValueError("not this time")
            super().save(state)

    store = FlakyStore(draft_path)
    keeper = make_keeper(keepers, store, form)
    with qtbot.waitSignal(keeper.saveFailed, timeout=WAIT_MS):
        keeper.save_now()
    store.fail = False
    with qtbot.waitSignal(keeper.saved, timeout=WAIT_MS):
        keeper.save_now()
    assert DraftStore(draft_path).load() == form.state


def test_saving_what_was_just_saved_writes_nothing(
    qtbot: QtBot, keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    store = CountingStore(draft_path)
    keeper = make_keeper(keepers, store, form)
    with qtbot.waitSignal(keeper.saved, timeout=WAIT_MS):
        keeper.save_now()
    keeper.schedule()
    keeper.close()  # writes the pending save, or skips it: either way it has finished
    assert store.writes == 1


def test_close_writes_a_pending_change(
    keepers: list[DraftKeeper], form: FakeForm, draft_path: Path
) -> None:
    keeper = make_keeper(keepers, DraftStore(draft_path), form)
    keeper.schedule()
    assert keeper.pending
    keeper.close()
    assert DraftStore(draft_path).load() == form.state


def saved_label(store: DraftStore) -> str | None:
    state = store.load()
    return state.label if state is not None else None


def test_a_restored_draft_is_not_saved_again_but_a_change_is(qtbot: QtBot) -> None:
    restored = FormState(label="From last session", target_id="cand-7", prefix="Acme:")
    DraftStore().save(restored)
    store = CountingStore()
    on_disk = store.path.read_bytes()
    window = MainWindow(ConnectionBar(), draft_store=store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        pass
    assert window.form.state() == restored
    # Showing the draft counts as a change of the form; let that save come due.
    qtbot.waitUntil(lambda: not window.drafts.pending, timeout=WAIT_MS)

    QTest.keyClicks(window.form.label, " (edited)")
    qtbot.waitUntil(lambda: saved_label(store) == "From last session (edited)", timeout=WAIT_MS)
    assert store.path.read_bytes() != on_disk
    window.close()  # waits for every queued write
    assert store.writes == 1  # the edit, and nothing for the restore


def test_a_restored_draft_left_alone_is_not_rewritten_on_close(qtbot: QtBot) -> None:
    DraftStore().save(FormState(label="From last session", target_id="cand-7"))
    store = CountingStore()
    on_disk = store.path.read_bytes()
    modified = store.path.stat().st_mtime_ns
    window = MainWindow(ConnectionBar(), draft_store=store)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        pass
    assert window.drafts.pending  # the restore scheduled a save...
    window.close()  # ...which closing carries out, and waits for
    assert store.writes == 0
    assert store.path.read_bytes() == on_disk
    assert store.path.stat().st_mtime_ns == modified
