"""Long words in the response panel: an address, a signed link or an ID longer than a line
wraps within the panel at any window size (nothing is cut off on the right), while what
is read out, selected and copied stays the words Kombo sent; and an answer in JSON of
another shape than Kombo's is indented as Kombo's answers are."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QWidget

from kombo_desktop.core.logs import REDACTED
from kombo_desktop.core.text import has_invisible_characters
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.qt.response_panel import ResponsePanel
from kombo_desktop.sandbox import DEMO_API_KEY, Fault
from tests.main_window_support import WAIT_MS, button, submit_and_wait
from tests.qt_helpers import find_by_accessible_name
from tests.response_panel_support import (
    SMALL,
    assert_readable_in_full,
    settle,
    success_with_warnings,
    window_at,
)

SIZES = pytest.mark.parametrize("size", [None, SMALL], ids=["first size", "800x600"])

#: Kombo's log of a request as its dashboard writes it: long, with a query.
REAL_LOG = (
    "https://app.kombo.dev/env/acme-prod/logs/interactions/7f3a9c2e-4b1d-4e8a-9f2b-3c5d7e9a1b2c"
    "?integration_id=workday:HWUTwvyx2wLoSUHphiWVrp28&tab=request"
)
#: A result link signed for a week, as assessment tools hand them out.
SIGNED_URL = (
    "https://assess.example.com/results/5Bt9xQ2?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Feu-west-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=604800&X-Amz-Signature=" + "ab12" * 16
)
#: An address with no place at all to break a line but between its characters.
UNBROKEN_URL = "https://ats.example.com/candidates/" + "a1b2c3d4" * 30 + "/attachments"


# ---- what the checks look at ------------------------------------------------------------------


def messages_area(window: QWidget) -> QScrollArea:
    """The scroll area holding Kombo's words (the outcome box and the warnings)."""
    return find_by_accessible_name(window, "Response messages", QScrollArea)


def assert_nothing_cut_off_on_the_right(window: QWidget) -> None:
    """Every label and box shown in Kombo's words ends within the visible width (there is
    no horizontal scroll bar to reach beyond it), and the text drawn in each label is as
    wide as the label at most: a word wider than its line would be cut off."""
    area = messages_area(window)
    viewport = area.viewport()
    content = area.widget()
    assert content is not None
    shown = [w for w in content.findChildren(QFrame) if w.isVisible()]
    assert shown
    for widget in shown:
        name = widget.accessibleName() or widget.objectName() or type(widget).__name__
        right = widget.mapTo(viewport, widget.rect().topRight()).x()
        assert right < viewport.width(), f"{name} ends at {right}, the view at {viewport.width()}"
        # The text document a label lays its words out in, where it has one.
        document = widget.findChild(QTextDocument) if isinstance(widget, QLabel) else None
        if document is not None:
            widget.grab()  # laid out as it is painted
            # The layout's own width: wider than its lines when a word sticks out of them.
            drawn = document.idealWidth()
            assert drawn <= document.textWidth(), f"{name}: {drawn} px drawn in {widget.width()}"


def assert_no_invisible_characters(*texts: str) -> None:
    """None of ``texts`` (what is read out, selected or copied) holds an invisible
    character: breaks are the layout's, not characters added to the words."""
    for text in texts:
        assert not has_invisible_characters(text), ascii(text)


def copied_from(qtbot, label: QLabel) -> str:
    """What Ctrl+A, Ctrl+C in ``label`` put on the clipboard, as a person copies it."""
    QGuiApplication.clipboard().clear()
    label.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(label.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(label, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert label.hasSelectedText()
    selected = label.selectedText()
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert_no_invisible_characters(selected, copied)
    return copied


def answered_with(qtbot, sandbox, size: QSize | None, fault: Fault) -> MainWindow:
    """The window at ``size``, showing the answer ``fault`` makes."""
    window = window_at(qtbot, sandbox, size)
    sandbox.inject_fault(fault, times=1)
    submit_and_wait(qtbot, window)
    settle()
    if size is not None:
        assert window.size() == size
    return window


# ---- long words wrap within the panel -----------------------------------------------------------


@SIZES
@pytest.mark.parametrize(
    "warning",
    [
        f"The attachment could not be linked: {UNBROKEN_URL}",
        f"The result link was stored, see {REAL_LOG}",
    ],
    ids=["unbroken address", "log address"],
)
def test_a_warning_with_a_long_address_wraps_within_the_panel(qtbot, fresh_sandbox, size, warning):
    window = answered_with(qtbot, fresh_sandbox, size, success_with_warnings([warning]))

    warnings = find_by_accessible_name(window, "Warnings from Kombo", QLabel)
    assert_readable_in_full(warnings)
    assert_nothing_cut_off_on_the_right(window)
    # Read out, selected and copied as Kombo wrote it.
    summary = window.response.summary_text()
    assert warning in summary
    assert window.response.accessibleDescription() == summary
    assert warnings.accessibleDescription() == warning
    assert copied_from(qtbot, warnings) == warning
    assert_no_invisible_characters(warnings.text(), summary)


@SIZES
def test_a_long_log_address_wraps_and_stays_one_link_to_it(qtbot, fresh_sandbox, size, browser):
    fault = Fault.kombo_error("PLATFORM.INPUT_INVALID", 400, log_url=REAL_LOG)
    window = answered_with(qtbot, fresh_sandbox, size, fault)

    facts = find_by_accessible_name(window, "Response facts", QLabel)
    assert_readable_in_full(facts)
    assert_nothing_cut_off_on_the_right(window)
    shown = REAL_LOG.replace("&", "&amp;")
    assert window.response.facts_text().count("<a ") == 1
    assert f'<a href="{shown}"' in window.response.facts_text()
    assert f">{shown}</a>" in window.response.facts_text()
    assert facts.accessibleDescription().endswith(f"Kombo log: {REAL_LOG}")
    assert_no_invisible_characters(facts.accessibleDescription())

    # Tab lands on the link, whole, and Enter opens that address.
    facts.setFocus(Qt.FocusReason.TabFocusReason)
    assert facts.selectedText() == REAL_LOG
    qtbot.keyClick(facts, Qt.Key.Key_Return)
    assert browser.opened == [QUrl(REAL_LOG).toString()]


@SIZES
def test_kombos_message_quoting_a_signed_link_wraps_within_the_panel(qtbot, fresh_sandbox, size):
    message = f"body.url: the ATS refused the address {SIGNED_URL}"
    fault = Fault.kombo_error("REMOTE.INPUT_INVALID", 400, message=message)
    window = answered_with(qtbot, fresh_sandbox, size, fault)

    text = window.response.findChild(QLabel, "outcomeText")
    assert text is not None
    assert_readable_in_full(text)
    assert_nothing_cut_off_on_the_right(window)
    # The message quotes Kombo's words as they came: read out and copied so.
    assert SIGNED_URL in text.text()
    assert SIGNED_URL in window.response.summary_text()
    assert copied_from(qtbot, text) == text.text()
    assert_no_invisible_characters(text.text(), window.response.summary_text())


@pytest.mark.parametrize("state", ["busy", "idle"])
def test_a_long_id_wraps_while_it_is_sent_and_before(qtbot, state):
    # Words of the app's own, quoting what the person typed, not yet selectable.
    target_id = "ats-export:" + "9f8e7d6c5b4a" * 12
    words = f"Adding the result link to candidate {target_id}."
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.resize(340, 480)
    panel.show()
    qtbot.waitExposed(panel)
    if state == "busy":
        panel.show_sending(words)
    else:
        panel.show_idle(words)
    settle()
    assert panel.state() == state
    text = panel.findChild(QLabel, "outcomeText")
    assert text is not None
    assert text.text() == words
    assert_readable_in_full(text)
    assert_nothing_cut_off_on_the_right(panel)
    assert_no_invisible_characters(text.text(), panel.accessibleDescription())


def test_an_id_that_fits_its_line_is_shown_while_sending_without_a_text_document(qtbot):
    # Benchmarked, not timed here: a label laid out as a text document (one whose words
    # can be selected) costs the first Submit's frame many times a plain one. An ID of an
    # ordinary length fits the line, and needs none.
    panel = ResponsePanel()
    qtbot.addWidget(panel)
    panel.resize(520, 480)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_sending("Adding the result link to candidate 5Rnuj1PE4HqEkenDNJarvfmf.")
    settle()
    text = panel.findChild(QLabel, "outcomeText")
    assert text is not None
    assert text.textInteractionFlags() == Qt.TextInteractionFlag.NoTextInteraction
    assert text.findChild(QTextDocument) is None
    assert_readable_in_full(text)


def test_the_wrapped_words_follow_the_panel_when_it_narrows(qtbot, fresh_sandbox):
    warning = f"The attachment could not be linked: {UNBROKEN_URL}"
    window = answered_with(qtbot, fresh_sandbox, None, success_with_warnings([warning]))
    assert_nothing_cut_off_on_the_right(window)
    window.resize(SMALL)
    qtbot.waitUntil(lambda: window.size() == SMALL, timeout=WAIT_MS)
    settle()
    assert_readable_in_full(find_by_accessible_name(window, "Warnings from Kombo", QLabel))
    assert_nothing_cut_off_on_the_right(window)


# ---- JSON of another shape is indented ---------------------------------------------------------


def test_a_gateways_compact_json_error_is_indented_and_copied_so(qtbot, fresh_sandbox):
    # An API gateway in front of Kombo answering with its own JSON, echoing the key.
    body = {"message": "Internal server error", "requestId": "c0ffee-42", "auth": DEMO_API_KEY}
    compact = json.dumps(body, separators=(",", ":"))
    window = answered_with(qtbot, fresh_sandbox, None, Fault.raw(compact, status=502))

    assert window.response.state() == "error"
    expected = json.dumps({**body, "auth": REDACTED}, indent=2)
    assert window.response.raw_text() == expected
    qtbot.mouseClick(button(window, "Copy response"), Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == expected
    assert DEMO_API_KEY not in QGuiApplication.clipboard().text()


def test_an_answer_of_another_shape_is_indented(qtbot, fresh_sandbox):
    window = answered_with(qtbot, fresh_sandbox, None, Fault.wrong_shape())
    assert window.response.state() == "error"
    assert window.response.raw_text() == json.dumps({"ok": True}, indent=2)


def test_an_answer_that_is_no_json_is_shown_as_it_came(qtbot, fresh_sandbox):
    page = "<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>"
    fault = Fault.raw(page, status=502, content_type="text/html")
    window = answered_with(qtbot, fresh_sandbox, None, fault)
    assert window.response.raw_text() == page


def test_a_long_id_in_the_request_line_breaks_instead_of_widening_the_window(qtbot, fresh_sandbox):
    # An ID of an ATS that writes long ones (or pasted with more than the ID): the request
    # line holds it in one word, which must not push the window past its width.
    window = window_at(qtbot, fresh_sandbox, SMALL)
    long_id = "cand" + "x7Q2" * 40
    window.form.set_target_id(long_id)
    line = window.preview.request_line
    qtbot.waitUntil(lambda: long_id in line.text(), timeout=WAIT_MS)
    settle()
    assert window.size() == SMALL
    assert line.minimumSizeHint().width() <= line.width()  # no word wider than its place
    assert line.text().endswith(f"/ats/candidates/{long_id}/result-links")  # as it is sent
