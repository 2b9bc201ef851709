"""The response panel in the real window, at its first size and at 800x600: Kombo's words
are never cut (read in full, or scrolled to), the facts are one tab stop, copies say so,
and Retry waits as long as Kombo asked."""

from __future__ import annotations

import json
import time

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QObject, QPoint, QSize, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QGuiApplication, QRegion
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.response_panel import RAW_LINES_KEPT, ResponsePanel
from kombo_desktop.sandbox import Fault
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    posts,
    submit_and_wait,
)
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import (
    SMALL,
    assert_readable_in_full,
    scroll_area_around,
    settle,
    success_with_warnings,
    window_at,
)

WARNINGS = [
    f"Warning number {n}: the ATS field Custom Score {n} was truncated to 64 characters."
    for n in range(12)
]
LONG_KOMBO_MESSAGE = "Validation failed: " + "; ".join(
    f"body.details.attributes[{n}].value must be a string shorter than 255 characters"
    for n in range(14)
)


def assert_partly_on_screen(widget: QWidget) -> None:
    assert widget.isVisible()
    assert not widget.visibleRegion().isEmpty(), widget.accessibleName()


def said(text: str) -> str:
    """``text`` as heard through ``spoken.announce``: said in words from Qt 6.8 on."""
    return text if hasattr(QtGui, "QAccessibleAnnouncementEvent") else ""


def label(window: MainWindow, object_name: str) -> QLabel:
    found = window.response.findChild(QLabel, object_name)
    assert found is not None
    return found


# ---- nothing of Kombo's words is cut off ----------------------------------------------------


@pytest.mark.parametrize("size", [None, SMALL], ids=["first size", "800x600"])
def test_every_warning_can_be_read(qtbot, fresh_sandbox, size):
    window = window_at(qtbot, fresh_sandbox, size)
    fresh_sandbox.inject_fault(success_with_warnings(WARNINGS), times=1)
    submit_and_wait(qtbot, window)
    settle()

    summary = window.response.summary_text()
    assert summary.startswith("Success")
    assert "12 warnings from Kombo" in summary
    warnings = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    for warning in WARNINGS:
        assert warning in warnings.text()
        assert warning in summary
    assert_readable_in_full(warnings)
    assert_readable_in_full(label(window, "outcomeText"))
    # The raw answer keeps some room, and its button stays in reach.
    assert_partly_on_screen(find_by_accessible_name(window, "Response body"))
    assert_partly_on_screen(button(window, "Copy response"))
    if size is not None:
        assert window.size() == size


@pytest.mark.parametrize("size", [None, SMALL], ids=["first size", "800x600"])
def test_a_long_kombo_message_and_the_log_link_can_be_read(qtbot, fresh_sandbox, size):
    window = window_at(qtbot, fresh_sandbox, size)
    fresh_sandbox.inject_fault(
        Fault.kombo_error(
            "REMOTE.INPUT_INVALID", 400, message=LONG_KOMBO_MESSAGE, title="Invalid input"
        ),
        times=1,
    )
    submit_and_wait(qtbot, window)
    settle()

    summary = window.response.summary_text()
    assert summary.startswith("Error")
    assert "REMOTE.INPUT_INVALID" in summary
    text = label(window, "outcomeText")
    assert LONG_KOMBO_MESSAGE in text.text()
    assert_readable_in_full(text)
    facts = find_by_accessible_name(window, "Response facts", QLabel)
    assert f'<a href="{fresh_sandbox.base_url}/logs/' in facts.text()
    assert_readable_in_full(facts)
    assert_partly_on_screen(find_by_accessible_name(window, "Response body"))


def test_at_800x600_an_error_that_may_have_added_the_link_is_read_in_full(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, SMALL)
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    submit_and_wait(qtbot, window)
    settle()

    message = window.response.message()
    assert message is not None
    assert message.may_have_been_applied
    text = label(window, "outcomeText")
    assert "Kombo said:" in text.text()
    assert_readable_in_full(text)
    assert_readable_in_full(find_by_accessible_name(window, "Response facts", QLabel))
    assert_readable_in_full(label(window, "appliedNote"))
    assert_partly_on_screen(find_by_accessible_name(window, "Retry", QPushButton))
    assert window.size() == SMALL


@pytest.mark.parametrize(
    "fault",
    [Fault.rate_limited(retry_after="240"), Fault.server_error(500)],
    ids=["rate limited", "server error"],
)
def test_with_room_to_spare_kombos_words_do_not_scroll(qtbot, fresh_sandbox, fault):
    window = window_at(qtbot, fresh_sandbox, None)
    fresh_sandbox.inject_fault(fault, times=1)
    submit_and_wait(qtbot, window)
    settle()
    facts = find_by_accessible_name(window, "Response facts", QLabel)
    scroll = scroll_area_around(facts)
    assert scroll is not None
    # The raw answer below has room to give (it is above the least it keeps): the words
    # take it instead of scrolling.
    raw = find_by_accessible_name(window, "Response body")
    assert raw.height() > raw.minimumHeight()
    assert scroll.verticalScrollBar().maximum() == 0
    assert QRegion(facts.rect()).subtracted(facts.visibleRegion()).isEmpty()


def test_words_scrolled_out_of_view_can_be_reached_from_the_keyboard(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, SMALL)
    fresh_sandbox.inject_fault(success_with_warnings(WARNINGS), times=1)
    submit_and_wait(qtbot, window)
    settle()
    warnings = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    scroll = scroll_area_around(warnings)
    assert scroll is not None
    assert scroll.verticalScrollBar().maximum() > 0  # the twelve do not fit at this size
    # A tab stop with a name, so the arrow keys can scroll it.
    assert scroll.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert scroll.accessibleName()

    next_button = button(window, "Next candidate")
    next_button.setFocus()
    landed: QWidget | None = next_button
    for _ in range(30):
        assert landed is not None
        qtbot.keyClick(landed, Qt.Key.Key_Tab)
        landed = QApplication.focusWidget()
        if landed is scroll:
            break
    assert landed is scroll
    bar = scroll.verticalScrollBar()
    for _ in range(20):
        qtbot.keyClick(scroll, Qt.Key.Key_PageDown)
    assert bar.value() == bar.maximum()
    # The last warning's line is in view now.
    bottom = warnings.rect().adjusted(0, warnings.height() - 4, 0, 0)
    assert QRegion(bottom).subtracted(warnings.visibleRegion()).isEmpty()


# ---- the facts are one tab stop -------------------------------------------------------------


def tab_stops_in_the_panel(qtbot, window: MainWindow) -> list[QWidget]:
    """Where Tab lands, once round the window, while in the response panel (with repeats)."""
    start = button(window, "Submit")
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    landed: list[QWidget] = []
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
        assert widget is not None
        if widget is start:
            break
        if window.response.isAncestorOf(widget):
            landed.append(widget)
    return landed


def test_the_facts_with_the_log_link_are_one_tab_stop(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    submit_and_wait(qtbot, window)
    settle()
    facts = find_by_accessible_name(window, "Response facts", QLabel)
    assert "Kombo log" in facts.text()

    landed = tab_stops_in_the_panel(qtbot, window)
    assert landed.count(facts) == 1
    # And that one stop is the link itself: Enter opens it.
    facts.setFocus(Qt.FocusReason.TabFocusReason)
    assert facts.selectedText().startswith(f"{fresh_sandbox.base_url}/logs/")


def test_facts_without_a_link_are_no_tab_stop(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    submit_and_wait(qtbot, window)
    settle()
    facts = find_by_accessible_name(window, "Response facts", QLabel)
    assert "HTTP status" in facts.text()
    assert facts not in tab_stops_in_the_panel(qtbot, window)


# ---- copies say so, both alike --------------------------------------------------------------


def test_copy_response_and_copy_as_curl_both_confirm_the_copy(
    qtbot, fresh_sandbox, monkeypatch: pytest.MonkeyPatch
):
    heard: list[tuple[QObject | None, str]] = []

    def hear(event: QAccessibleEvent) -> None:
        # What assistive technology is told: an announcement's words from Qt 6.8 on, a
        # nudge for the button before (``spoken.announce``).
        message = getattr(event, "message", None)
        heard.append((event.object(), message() if callable(message) else ""))

    monkeypatch.setattr(QAccessible, "updateAccessibility", hear)
    window = window_at(qtbot, fresh_sandbox, None)
    submit_and_wait(qtbot, window)

    copy_response = button(window, "Copy response")
    qtbot.mouseClick(copy_response, Qt.MouseButton.LeftButton)
    assert json.loads(QGuiApplication.clipboard().text())["status"] == "success"
    assert copy_response.text() == "Copied"
    assert window.statusBar().currentMessage() == "Copied the response."
    assert heard[-1] == (copy_response, said("Copied the response."))

    copy_curl = button(window, "Copy as curl")
    qtbot.mouseClick(copy_curl, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text().startswith("curl -X POST")
    assert copy_curl.text() == "Copied"
    assert "Copied a curl command" in window.statusBar().currentMessage()
    assert heard[-1] == (copy_curl, said(window.statusBar().currentMessage()))

    # Both go back to what they do, by themselves.
    qtbot.waitUntil(lambda: copy_response.text() == "Copy response", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: copy_curl.text() == "Copy as curl", timeout=WAIT_MS)


# ---- Retry waits as long as Kombo asked -----------------------------------------------------


def test_retry_is_off_with_a_countdown_until_kombos_wait_is_over(
    qtbot, fresh_sandbox, monkeypatch: pytest.MonkeyPatch
):
    window = window_at(qtbot, fresh_sandbox, None)
    # Longer than the client waits by itself: it reports the answer at once.
    fresh_sandbox.inject_fault(Fault.rate_limited(retry_after="240"), times=1)
    submit_and_wait(qtbot, window)
    assert window.response.summary_text().startswith("Error")
    assert len(posts(fresh_sandbox)) == 1

    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert not retry.isEnabled()
    left = window.response.retry_wait_left_s()
    assert 200 < left <= 240
    assert retry.text().startswith("Retry in ")
    assert retry.text().removeprefix("Retry in ") in ("4:00", "3:59", "3:58")
    assert retry.toolTip().startswith("Kombo asked to wait until ")
    # Clicking it does nothing while Kombo's wait lasts; nor does Submit of the same link,
    # which says why.
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    window.submit()
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1
    assert window.statusBar().currentMessage().startswith("Not sent: Kombo asked to wait until ")

    # The wait is over (the clock moved on): the countdown's timer turns Retry on.
    later = time.monotonic() + left + 1
    monkeypatch.setattr("kombo_desktop.qt.response_panel.monotonic", lambda: later)
    qtbot.waitUntil(retry.isEnabled, timeout=WAIT_MS)
    assert retry.text() == "Retry"
    assert window.response.retry_wait_left_s() == 0
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert window.response.summary_text().startswith("Success")
    assert len(posts(fresh_sandbox)) == 2


def test_without_a_named_wait_retry_is_on_at_once(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    fresh_sandbox.inject_fault(Fault.server_error(503), times=1)
    submit_and_wait(qtbot, window)
    retry = find_by_accessible_name(window, "Retry", QPushButton)
    assert retry.isVisible()
    assert retry.isEnabled()
    assert window.response.retry_wait_left_s() == 0


# ---- the words can be taken away -------------------------------------------------------------


@pytest.mark.parametrize("fault", [None, Fault.server_error(500)], ids=["success", "error"])
def test_the_words_of_an_answer_can_be_selected_to_quote_them(qtbot, fresh_sandbox, fault):
    # Selected with the mouse, as a person quoting Kombo's answer in a ticket would.
    window = window_at(qtbot, fresh_sandbox, None)
    if fault is not None:
        fresh_sandbox.inject_fault(fault, times=1)
    submit_and_wait(qtbot, window)
    settle()
    text = label(window, "outcomeText")
    first_word = QPoint(text.contentsRect().left() + 3, text.fontMetrics().height() // 2)
    qtbot.mouseDClick(text, Qt.MouseButton.LeftButton, pos=first_word)
    assert text.hasSelectedText()
    assert text.text().startswith(text.selectedText())


def test_while_sending_the_panel_says_what_is_happening_in_words(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    target = candidate_id(fresh_sandbox)
    fresh_sandbox.inject_fault(Fault.slow_body(2), times=1)
    qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
    assert window.response.state() == "busy"
    words = f"Adding the result link to candidate {target}."
    assert label(window, "outcomeText").text() == words
    assert window.response.accessibleDescription() == f"Sending… {words}"
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        pass


def test_an_id_that_looks_like_markup_is_shown_as_typed(qtbot, fresh_sandbox):
    window = window_at(qtbot, fresh_sandbox, None)
    markup = "<b>x</b><img src='file:///etc/hosts'>"
    target_id = find_by_accessible_name(window, "Target ID", QLineEdit)
    target_id.clear()
    qtbot.keyClicks(target_id, markup)
    fresh_sandbox.set_latency(500)
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(button(window, "Submit"), Qt.MouseButton.LeftButton)
        text = label(window, "outcomeText")
        assert text.text() == f"Adding the result link to candidate {markup}."
        assert text.textFormat() == Qt.TextFormat.PlainText


def test_words_from_a_server_are_shown_as_words_wherever_they_appear(qapp):
    # Kombo's message quoted by a connection test, a typed base URL in the status bar:
    # every label showing words leaves markup in them as it is.
    from kombo_desktop.qt.spoken import show_text

    shown = QLabel()
    markup = "Kombo said: <img src='file:///etc/hosts'><b>bold</b>"
    show_text(shown, markup)
    assert shown.textFormat() == Qt.TextFormat.PlainText
    assert shown.accessibleDescription() == markup


@pytest.mark.parametrize("size", [QSize(1180, 616), QSize(1024, 700)], ids=str)
def test_the_duplicate_warning_stays_in_view_beside_retry_with_details_open(
    qtbot, fresh_sandbox, size
):
    # 1180x616: the window's first size on a 1920x1080 screen at 150 %.
    window = window_at(qtbot, fresh_sandbox, size)
    fresh_sandbox.inject_fault(Fault.drop_connection(), times=1)
    submit_and_wait(qtbot, window)
    window.response.details_button.click()
    settle()
    text, note = label(window, "outcomeText"), label(window, "appliedNote")
    assert "check the ATS before sending again" in text.text()
    assert "duplicate link" in note.text()
    scroll = scroll_area_around(note)
    assert scroll is not None
    assert scroll.verticalScrollBar().value() == 0
    # Seen whole without scrolling, beside the Retry… they warn about. Before: the words
    # were cut to about a line and a half, while "No answer came back." kept 80 px.
    for words in (text, note):
        assert words.visibleRegion().boundingRect() == words.rect(), words.objectName()
    assert_partly_on_screen(find_by_accessible_name(window, "Retry", QPushButton))


def test_an_answer_with_a_body_keeps_its_lines_in_the_raw_view(qtbot, fresh_sandbox):
    # Only when nothing came back does the raw view give up its room down to one line; a
    # small error body (Kombo's own) keeps its four.
    window = window_at(qtbot, fresh_sandbox, QSize(1180, 616))
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 422), times=1)
    submit_and_wait(qtbot, window)
    settle()
    raw = find_by_accessible_name(window, "Response body", QPlainTextEdit)
    assert raw.toPlainText()
    assert raw.minimumHeight() >= RAW_LINES_KEPT * raw.fontMetrics().lineSpacing()


@pytest.mark.parametrize("points", [9, 16])
def test_the_outcomes_title_is_larger_than_its_words_whatever_the_font(qtbot, points) -> None:
    # The title was 15 px whatever the font: with a 16 pt font, "Success" read as small
    # print above words of 21 px.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    usual = app.font()
    font = QtGui.QFont(usual)
    font.setPointSize(points)
    app.setFont(font)
    try:
        panel = ResponsePanel()
        qtbot.addWidget(panel)
        panel.show()
    finally:
        app.setFont(usual)
    title = panel.findChild(QLabel, "outcomeTitle")
    words = panel.findChild(QLabel, "outcomeText")
    assert title is not None
    assert words is not None
    title.ensurePolished()
    words.ensurePolished()
    title_px = QtGui.QFontInfo(title.font()).pixelSize()
    words_px = QtGui.QFontInfo(words.font()).pixelSize()
    assert title_px > words_px
    assert title_px <= 1.5 * words_px
