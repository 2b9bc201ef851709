"""Across sessions and around the form: drafts, window layout, demo mode, candidate lookup."""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QWidget,
)

from kombo_desktop.app import launch
from kombo_desktop.core import paths
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.models import TargetKind
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.profile_picker import ProfilePicker
from kombo_desktop.qt.settings import app_settings, settings_path
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.leakcheck import assert_no_file_contains
from tests.main_window_support import (
    WAIT_MS,
    answer_question,
    build_window,
    button,
    candidate_id,
    fill_form,
    line_edit,
    open_search,
    posts,
    submit_and_wait,
    submit_until_sent,
    type_into,
    wait_for_question,
    window_with_draft_read,
)
from tests.qt_helpers import find_by_accessible_name, top_level, wait_exposed


def launch_window(argv: list[str]) -> MainWindow:
    window = launch(argv)
    assert isinstance(window, MainWindow)
    return window


def close(window: MainWindow) -> None:
    window.close()
    assert not window.isVisible()


def test_draft_is_restored_after_a_restart_without_the_key(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    fill_form(
        qtbot,
        window,
        target_id="cand-123",
        label="Coding test",
        url="https://example.com/r/9",
        prefix="Acme:",
        attributes="Score\t91%\nTime\t1:10h\n",
    )
    window.form.remote_fields.set_expanded(True)
    json_editor: QWidget = find_by_accessible_name(window, "Remote fields JSON")
    json_editor.setFocus()
    qtbot.keyClicks(json_editor, '{"icims": {"assessment_package_id": "p1"}}')
    typed = window.form.state()
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        pass  # the debounced save happens on its own while the person pauses
    close(window)

    draft = DraftStore().path
    assert draft.is_file()
    assert json.loads(draft.read_text("utf-8"))["form"]["label"] == "Coding test"
    assert_no_file_contains(paths.data_dir(), DEMO_API_KEY)
    assert_no_file_contains(settings_path(), DEMO_API_KEY)

    again = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: again.form.state() == typed, timeout=WAIT_MS)
    assert line_edit(again, "Label").text() == "Coding test"
    assert again.form.attributes.model.rows() == [("Score", "91%"), ("Time", "1:10h")]


def test_closing_right_after_typing_still_saves_the_draft(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    type_into(qtbot, window, "Label", "typed just before closing")
    assert window.drafts.pending
    close(window)
    restored = DraftStore().load()
    assert restored is not None
    assert restored.label == "typed just before closing"


def test_the_typing_is_on_its_way_to_disk_before_closing_waits_for_the_network(
    qtbot, fresh_sandbox, monkeypatch
):
    # Closing waits for the network thread, which a stuck connection makes long; a kill
    # during that wait must find the typing saved already.
    window = build_window(qtbot, fresh_sandbox)
    type_into(qtbot, window, "Label", "typed before a slow close")
    assert window.drafts.pending
    worker = window.worker
    stop_network = worker.shutdown
    on_disk_then: list[str] = []
    pending_then: list[bool] = []

    def shutdown_later(timeout_s: float = 5.0) -> None:
        # Started, not left to the typing pause's timer (which a kill would stop).
        pending_then.append(window.drafts.pending)
        qtbot.waitUntil(lambda: DraftStore().load() is not None, timeout=WAIT_MS)
        restored = DraftStore().load()
        on_disk_then.append(restored.label if restored is not None else "")
        stop_network(timeout_s)

    monkeypatch.setattr(worker, "shutdown", shutdown_later)
    close(window)
    assert pending_then == [False]
    assert on_disk_then == ["typed before a slow close"]


def test_a_draft_does_not_overwrite_what_was_typed_before_it_arrived(qtbot, fresh_sandbox):
    from kombo_desktop.core.form_state import FormState

    DraftStore().save(FormState(label="old draft", target_id="old-id"))
    bar = ConnectionBar()
    window = MainWindow(bar)
    qtbot.addWidget(window)
    # The draft is read in the background and applied by the event loop; typing that
    # happened before it arrives wins (no event loop has run yet at this point).
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        qtbot.keyClicks(window.form.label, "typed first")
    assert window.form.label.text() == "typed first"
    assert window.form.target_id.text() == ""


def test_a_draft_fills_an_untouched_form(qtbot, fresh_sandbox):
    from kombo_desktop.core.form_state import FormState

    DraftStore().save(FormState(label="old draft", target_id="old-id"))
    window = MainWindow(ConnectionBar())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        pass
    assert window.form.label.text() == "old draft"
    assert window.form.target_id.text() == "old-id"
    assert find_by_accessible_name(window, "Draft status", QLabel).text() == "Draft saved"


def test_a_damaged_draft_does_not_stop_the_window(qtbot, fresh_sandbox):
    store = DraftStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text("{ not json", "utf-8")
    window = build_window(qtbot, fresh_sandbox)
    qtbot.waitUntil(lambda: any(store.path.parent.glob("draft.json.damaged-*")), timeout=WAIT_MS)
    assert window.form.state().is_empty()


def test_window_size_and_splitter_are_remembered(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    # A size the (offscreen) screen can hold, so that restoring does not clamp it.
    wanted = QSize(min(790, QGuiApplication.primaryScreen().availableGeometry().width()), 600)
    window.resize(wanted)
    qtbot.waitUntil(lambda: window.size() == wanted, timeout=WAIT_MS)
    window.splitter.setSizes([300, 490])
    sizes = window.splitter.sizes()
    close(window)
    again = build_window(qtbot, fresh_sandbox)
    assert again.size() == wanted
    assert again.splitter.sizes() == sizes


def test_lookup_fills_the_id_from_a_pick(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    candidate = fresh_sandbox.candidates[3]
    email = candidate["email_addresses"][0]["email_address"]
    dialog = open_search(qtbot, window)
    assert dialog.windowTitle() == "Find candidate"
    search_email = find_by_accessible_name(dialog, "Search email", QLineEdit)
    search_email.setFocus()
    qtbot.keyClicks(search_email, email)
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Search", QPushButton), Qt.MouseButton.LeftButton
    )
    results = find_by_accessible_name(dialog, "Search results", QTreeView)
    qtbot.waitUntil(lambda: results.model().rowCount() == 1, timeout=WAIT_MS)
    results.setCurrentIndex(results.model().index(0, 0))
    use = find_by_accessible_name(dialog, "Use selected", QPushButton)
    assert use.isEnabled()
    qtbot.mouseClick(use, Qt.MouseButton.LeftButton)
    assert line_edit(window, "Target ID").text() == candidate["id"]
    # The picked id counts as typed: the form can be sent to it.
    fill_form(qtbot, window, target_id="")
    submit_and_wait(qtbot, window)
    assert posts(fresh_sandbox)[-1].path == f"/v1/ats/candidates/{candidate['id']}/result-links"


def test_lookup_for_an_application_target(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    window.form.target_type.setCurrentIndex(
        window.form.target_type.findData(TargetKind.APPLICATION.value)
    )
    dialog = open_search(qtbot, window)
    assert dialog.windowTitle() == "Find application"
    dialog.reject()


def test_lookup_without_a_connection_says_what_is_missing(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    line_edit(window, "API key").clear()
    qtbot.mouseClick(button(window, "Find candidate"), Qt.MouseButton.LeftButton)
    assert "Enter the API key" in window.statusBar().currentMessage()
    # Nothing is waiting to open either: once the network code is loaded, still no search.
    qtbot.waitUntil(window.network_ready, timeout=WAIT_MS)
    qtbot.mouseClick(button(window, "Find candidate"), Qt.MouseButton.LeftButton)
    assert top_level(QDialog) is None
    assert "Enter the API key" in window.statusBar().currentMessage()


def test_demo_mode_shows_the_banner_and_sends_to_its_own_sandbox(qtbot):
    window = launch_window(["--demo"])
    qtbot.addWidget(window)
    wait_exposed(qtbot, window)
    banner = find_by_accessible_name(window, "Demo banner", QLabel)
    assert banner.isVisible()
    assert banner.text() == "Demo: sandbox on this computer, nothing is sent to Kombo"
    sandbox = window.demo_sandbox
    assert isinstance(sandbox, Sandbox)
    assert line_edit(window, "Base URL").text() == sandbox.base_url
    assert not window.windowIcon().isNull()

    target = candidate_id(sandbox)
    fill_form(qtbot, window, target_id=target, prefix="Demo:", attributes="Score\t1\n")
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Success")
    assert len(sandbox.result_links(target)) == 1

    window.close()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{sandbox.base_url}/check-api-key", timeout=2.0)


def test_demo_mode_port_and_latency_flags(qtbot):
    with Sandbox() as probe:
        free_port = probe.port
    window = launch_window(["--demo", "--port", str(free_port), "--latency", "50"])
    qtbot.addWidget(window)
    sandbox = window.demo_sandbox
    assert isinstance(sandbox, Sandbox)
    assert sandbox.port == free_port
    assert sandbox.latency_ms == 50
    window.close()


def test_launch_without_demo_starts_empty_and_offline(qtbot):
    window = launch_window([])
    qtbot.addWidget(window)
    assert not find_by_accessible_name(window, "Demo banner", QLabel).isVisible()
    assert window.demo_sandbox is None
    assert not button(window, "Submit").isEnabled()
    # Without demo mode the connection comes from a saved profile; there is none yet.
    assert isinstance(window.connection_source, ProfilePicker)
    assert "Connection: Add a profile in Manage profiles" in button(window, "Submit").toolTip()
    window.close()


def bar_window() -> MainWindow:
    window = MainWindow(ConnectionBar(settings=app_settings()))
    window.show()
    return window


def test_connection_bar_remembers_where_but_never_the_key(qtbot, app_home):
    window = bar_window()
    qtbot.addWidget(window)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    region = bar.region
    region.setCurrentIndex(region.findData("us"))
    line_edit(window, "Integration ID").setText("workday:abc")
    line_edit(window, "API key").setText("ks_prod_remember_me_not_1234")
    window.close()
    again = bar_window()
    qtbot.addWidget(again)
    assert line_edit(again, "Integration ID").text() == "workday:abc"
    again_bar = again.connection_source
    assert isinstance(again_bar, ConnectionBar)
    assert again_bar.region.currentText() == "US"
    assert line_edit(again, "API key").text() == ""
    again.close()
    assert_no_file_contains(app_home, "ks_prod_remember_me_not_1234")


def test_closing_a_form_whose_draft_cannot_be_saved_asks_first(qtbot, fresh_sandbox):
    window = build_window(qtbot, fresh_sandbox)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", "first")
    draft = DraftStore().path
    draft.unlink()
    draft.mkdir()  # the draft file cannot be written: the disk is as full as can be
    with qtbot.waitSignal(window.drafts.saveFailed, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", " second")

    # Before: closed at once, and the form was lost without a word.
    window.close()
    box = wait_for_question(qtbot, "closeLosingForm")
    assert "will not come back" in box.text()
    assert "Could not write the draft file" in box.informativeText()
    answer_question(qtbot, box, "Keep open")
    assert window.isVisible()
    assert line_edit(window, "Label").text() == "first second"

    window.close()
    answer_question(qtbot, wait_for_question(qtbot, "closeLosingForm"), "Close anyway")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    draft.rmdir()


def test_closing_while_sending_a_form_that_cannot_be_saved_asks_about_both(qtbot, fresh_sandbox):
    window = window_with_draft_read(qtbot, fresh_sandbox)
    window.ask_before_closing_while_sending = True
    draft = DraftStore().path
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.mkdir()
    fresh_sandbox.set_latency(10_000)  # still on its way through every question
    with qtbot.waitSignal(window.drafts.saveFailed, timeout=WAIT_MS):
        fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    submit_until_sent(qtbot, window)
    window.close()
    answer_question(qtbot, wait_for_question(qtbot, "closeWhileSending"), "Close anyway")
    # Before: closed there, the answer to "still being sent" taken for this one too, and
    # the form lost without a word.
    answer_question(qtbot, wait_for_question(qtbot, "closeLosingForm"), "Keep open")
    assert window.isVisible()
    # Kept open, a close during the send asks again, both questions in turn.
    window.close()
    answer_question(qtbot, wait_for_question(qtbot, "closeWhileSending"), "Close anyway")
    answer_question(qtbot, wait_for_question(qtbot, "closeLosingForm"), "Close anyway")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    draft.rmdir()


def test_a_form_saved_again_once_the_disk_works_closes_without_asking(qtbot, fresh_sandbox):
    window = window_with_draft_read(qtbot, fresh_sandbox)
    draft = DraftStore().path
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.mkdir()
    with qtbot.waitSignal(window.drafts.saveFailed, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", "first")
    draft.rmdir()
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", " second")
    close(window)
    assert top_level(QMessageBox, "closeLosingForm") is None


def test_a_draft_that_cannot_be_saved_says_so_until_a_save_works_again(qtbot, fresh_sandbox):
    import errno
    import os

    window = build_window(qtbot, fresh_sandbox)
    status = find_by_accessible_name(window, "Draft status", QLabel)
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", "first")
    assert status.text() == "Draft saved"

    # A folder where the draft file goes: the next save fails for real.
    draft = DraftStore().path
    draft.unlink()
    draft.mkdir()
    with qtbot.waitSignal(window.drafts.saveFailed, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", " second")
    reason = (
        f"The draft was not saved. Could not write the draft file ({os.strerror(errno.EISDIR)})."
    )
    assert status.text() == "Draft not saved"
    assert status.toolTip() == reason
    assert window.statusBar().currentMessage() == reason

    draft.rmdir()
    with qtbot.waitSignal(window.drafts.saved, timeout=WAIT_MS):
        type_into(qtbot, window, "Label", " third")
    assert status.text() == "Draft saved"
    close(window)
    restored = DraftStore().load()
    assert restored is not None
    assert restored.label == "first second third"


def test_a_damaged_settings_file_is_set_aside_and_what_could_be_read_kept(qtbot, app_home):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    damaged = b"[General]\nconfirm_production_sends=false\n[main_window\n\x00\xff\xfe junk\n"
    path.write_bytes(damaged)
    DraftStore().save(FormState(label="Coding test", target_id="cand-1"))
    window = launch([])
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.drafts.loaded, timeout=WAIT_MS):
        pass
    # Before: nothing said; the file cut down to what Qt read and written over on close.
    # Said with the draft's restore, not written over by it.
    said = window.statusBar().currentMessage()
    assert said.startswith(
        "Restored the form from the last session. The settings file was damaged: it was "
        "kept as kombo-desktop.ini."
    )
    assert said.endswith(f" in {path.parent}, and what could be read of it is used.")
    [kept] = [p for p in path.parent.iterdir() if p.name.startswith(f"{path.name}.damaged-")]
    assert kept.read_bytes() == damaged
    assert not window.confirm_production_action.isChecked()  # read, and kept
    window.close()
    assert QSettings(str(path), QSettings.Format.IniFormat).status() == QSettings.Status.NoError
