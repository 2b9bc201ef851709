"""The question before a production send, as it reads where no profile is in use: the
connection bar of a first start or of the demo."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox

from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.sandbox import DEMO_PROD_API_KEY, Sandbox
from tests.main_window_support import WAIT_MS, build_window, button, candidate_id, fill_form, posts
from tests.qt_helpers import find_by_accessible_name, top_level


def test_the_question_speaks_of_the_connection_when_no_profile_is_in_use(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox, api_key=DEMO_PROD_API_KEY)
    assert isinstance(window.connection_source, ConnectionBar)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))

    button(window, "Submit").click()
    qtbot.waitUntil(
        lambda: top_level(QMessageBox, "productionConfirmation") is not None, timeout=WAIT_MS
    )
    box = top_level(QMessageBox, "productionConfirmation")
    assert box is not None
    assert box.text() == (
        "This connection uses a production key: the result link goes to the customer's live "
        "ATS. Send?"
    )
    # Where the link would go, from the bar's own settings.
    assert fresh_sandbox.base_url in box.informativeText()
    dont_ask = find_by_accessible_name(box, "Don't ask again for production keys", QCheckBox)
    assert "profile" not in f"{box.text()} {box.informativeText()} {dont_ask.text()}".lower()

    with qtbot.waitSignal(box.finished, timeout=WAIT_MS):
        next(b for b in box.buttons() if b.text() == "Cancel").click()
    assert posts(fresh_sandbox) == []
