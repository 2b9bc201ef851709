"""Find… keeps the width a person gave its Email column, against the real sandbox over
HTTP (qt/lookup_dialog.py).

The dialog fitted the Email column to its addresses on every page it showed: a column
widened by hand to read a long address went back to its fitted width on Load more.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kombo_desktop.qt.lookup_dialog import CandidateLookupDialog
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import button, first_of_pages, run_search, top_rows, wait_idle

_EMAIL = 1


def _widen_by_hand(dialog: CandidateLookupDialog, column: int, by: int) -> int:
    """Drag the right edge of ``column``'s header ``by`` pixels to the right, as a
    person does with the mouse; the column's width after the drag."""
    header = dialog.results.header()
    edge = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    middle = header.viewport().height() // 2
    grab, drop = QPoint(edge, middle), QPoint(edge + by, middle)
    viewport = header.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, grab)
    for step in range(1, by + 1, 10):
        QTest.mouseMove(viewport, QPoint(edge + step, middle))
    QTest.mouseMove(viewport, drop)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, drop)
    return header.sectionSize(column)


def test_a_column_widened_by_hand_keeps_its_width_on_load_more(
    qtbot, worker, connection, fresh_sandbox: Sandbox
) -> None:
    dialog, _picked = first_of_pages(qtbot, worker, connection, fresh_sandbox)
    header = dialog.results.header()
    fitted = header.sectionSize(_EMAIL)
    # Fitted to the address shown, as long as nobody sized it.
    address = top_rows(dialog)[0][_EMAIL]
    assert fitted >= dialog.results.fontMetrics().horizontalAdvance(address)
    widened = _widen_by_hand(dialog, _EMAIL, 80)
    assert widened > fitted + 40, (fitted, widened)

    qtbot.mouseClick(button(dialog, "Load more"), Qt.MouseButton.LeftButton)
    wait_idle(qtbot, dialog)
    assert len(top_rows(dialog)) == 2
    assert header.sectionSize(_EMAIL) == widened

    # A new search keeps it too: the width is the person's, not the page's.
    run_search(qtbot, dialog)
    assert header.sectionSize(_EMAIL) == widened
