"""The preview, "Copy as curl" and Retry hold exactly what Submit sends now.

Each keeps the request it was given while the form "has not changed". Compared as Python
values, remote fields corrected from ``true`` to ``1``, or with their keys reordered,
would not have changed; sent, they are another body. So a correction like that must
reach the preview, the copied curl command and Retry as it reaches Submit.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Fault, Sandbox
from tests.curl_support import copied_curl, curl_body
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    click_submit,
    fill_form,
    paste_remote_json,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name


def _fill(qtbot, window: MainWindow, sandbox: Sandbox, remote_json: str) -> None:
    qtbot.waitUntil(lambda: not window.form.is_checking(), timeout=WAIT_MS)
    fill_form(qtbot, window, target_id=candidate_id(sandbox))
    paste_remote_json(qtbot, window, remote_json)


def test_the_preview_follows_true_corrected_to_1(qtbot, window, fresh_sandbox):
    _fill(qtbot, window, fresh_sandbox, '{"lever": {"consent": true}}')
    assert '"consent": true' in window.preview.body_text()
    # The ATS wants the number 1, not a yes/no: the person corrects it.
    paste_remote_json(qtbot, window, '{"lever": {"consent": 1}}')
    assert '"consent": 1' in window.preview.body_text()
    assert '"consent": true' not in window.preview.body_text()


def test_copy_as_curl_copies_what_submit_sends_after_true_corrected_to_1(
    qtbot, window, fresh_sandbox
):
    _fill(qtbot, window, fresh_sandbox, '{"lever": {"consent": true}}')
    paste_remote_json(qtbot, window, '{"lever": {"consent": 1}}')
    copied = curl_body(copied_curl(qtbot, window))
    submit_and_wait(qtbot, window)
    sent = posts(fresh_sandbox)[-1].body.decode()
    assert '"consent": 1' in sent
    assert copied == sent


def test_copy_as_curl_copies_what_submit_sends_after_the_keys_are_reordered(
    qtbot, window, fresh_sandbox
):
    _fill(qtbot, window, fresh_sandbox, '{"lever": {"a": "1", "b": "2"}}')
    paste_remote_json(qtbot, window, '{"lever": {"b": "2", "a": "1"}}')
    assert window.preview.body_text().index('"b"') < window.preview.body_text().index('"a"')
    copied = curl_body(copied_curl(qtbot, window))
    submit_and_wait(qtbot, window)
    assert copied == posts(fresh_sandbox)[-1].body.decode()


def test_a_correction_from_true_to_1_takes_retry_away(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    _fill(qtbot, window, fresh_sandbox, '{"lever": {"consent": true}}')
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    # Retry would send true, which the form no longer holds: it goes, and Submit sends 1.
    paste_remote_json(qtbot, window, '{"lever": {"consent": 1}}')
    assert not retry.isVisible()
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        click_submit(qtbot, window)
    assert '"consent": 1' in posts(fresh_sandbox)[-1].body.decode()


def test_retry_stays_for_json_written_otherwise_but_sent_the_same(qtbot, window, fresh_sandbox):
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    _fill(qtbot, window, fresh_sandbox, '{"lever": {"consent": true}}')
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    paste_remote_json(qtbot, window, '{"lever": {"consent": 1}}')
    assert not retry.isVisible()
    # Back to true, spaced and broken over lines otherwise: the same body, Retry again.
    paste_remote_json(qtbot, window, '{\n  "lever": {"consent":true}\n}')
    assert retry.isVisible()
