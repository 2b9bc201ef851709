"""Find…'s rows, and the words a pick shows under the Target ID, cannot be spoofed by
Kombo's names: no line break, control character or direction override in them reaches
the app's own words, and an ID differing by an invisible character looks different."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QTreeView

from kombo_desktop.core.text import on_one_line
from kombo_desktop.sandbox import Sandbox
from tests.lookup_support import candidate_page
from tests.main_window_support import WAIT_MS, build_window, open_search, picked_label
from tests.qt_helpers import find_by_accessible_name, top_level

RLO = "\u202e"
DIRECTION_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _person(
    cid: str, first: str, last: str, email: str = "anna@example.com", **more: Any
) -> dict[str, Any]:
    return {
        "id": cid,
        "first_name": first,
        "last_name": last,
        "email_addresses": [{"email_address": email, "type": "WORK"}],
        "applications": [],
        **more,
    }


def _found(
    qtbot, sandbox: Sandbox, results: list[dict[str, Any]]
) -> tuple[Any, QDialog, QTreeView]:
    window = build_window(qtbot, sandbox)
    sandbox.inject_fault(candidate_page(results), path_contains="/ats/candidates", times=1)
    dialog = open_search(qtbot, window)
    find_by_accessible_name(dialog, "Search last name", QLineEdit).setText("Smith")
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Search", QPushButton), Qt.MouseButton.LeftButton
    )
    view = find_by_accessible_name(dialog, "Search results", QTreeView)
    qtbot.waitUntil(lambda: view.model().rowCount() == len(results), timeout=WAIT_MS)
    return window, dialog, view


def _row_texts(view: QTreeView, row: int) -> list[str]:
    model = view.model()
    return [str(model.index(row, column).data()) for column in range(model.columnCount())]


def _pick_first(qtbot, window: Any, dialog: QDialog, view: QTreeView) -> str:
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.mouseClick(
        find_by_accessible_name(dialog, "Use selected", QPushButton), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: top_level(QDialog) is None, timeout=WAIT_MS)
    label = picked_label(window)
    assert label.isVisible()
    return label.text()


def test_a_name_with_line_breaks_and_controls_stays_on_one_line(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    window, dialog, view = _found(
        qtbot,
        fresh_sandbox,
        [_person("FFFFFFFFFFFFFFFFFFFFFFFF", "An\x00na\x1b[31m", "Sm\rith\nCandidate ID: GGG")],
    )
    name = _row_texts(view, 0)[0]
    assert name == "Anna[31m Sm\u23ceith\u23ceCandidate ID: GGG"
    assert len(name.splitlines()) == 1
    words = _pick_first(qtbot, window, dialog, view)
    # One line: no fake "Candidate ID: GGG" line under the real field.
    assert words.splitlines() == [words]
    assert words == "Anna[31m Sm\u23ceith\u23ceCandidate ID: GGG · anna@example.com"
    assert window.form.target_id.text() == "FFFFFFFFFFFFFFFFFFFFFFFF"


def test_a_direction_override_in_a_name_reaches_nothing(qtbot, fresh_sandbox: Sandbox) -> None:
    window, dialog, view = _found(
        qtbot,
        fresh_sandbox,
        [
            _person(
                "DDDDDDDDDDDDDDDDDDDDDDDD",
                "Anna",
                "Smith" + RLO,
                remote_deleted_at="2025-01-01T00:00:00Z",
            )
        ],
    )
    for text in _row_texts(view, 0):
        assert not DIRECTION_CONTROLS & set(text)
    assert _row_texts(view, 0)[0] == "Anna Smith (deleted in the ATS)"
    words = _pick_first(qtbot, window, dialog, view)
    assert words == "Anna Smith (deleted in the ATS) · anna@example.com"


def test_ids_that_differ_by_an_invisible_character_look_different(
    qtbot, fresh_sandbox: Sandbox
) -> None:
    plain, hidden = "EEEEEEEEEEEEEEEEEEEEEEEE", "EEEEEEEEEEEEEEEEEEEEE\u200bEEE"
    # An ID holding the escape's own text, a backslash and "u200b": it must not look
    # like the one holding the invisible character.
    literal = "EEEEEEEEEEEEEEEEEEEEE\\u200bEEE"
    _window, _dialog, view = _found(
        qtbot,
        fresh_sandbox,
        [
            _person(plain, "Anna", "Smith"),
            _person(hidden, "Anna", "Smi\u200bth", email="an\u200bna@example.com"),
            _person(literal, "Anna", "Smith"),
        ],
    )
    first, second, third = _row_texts(view, 0), _row_texts(view, 1), _row_texts(view, 2)
    assert first[3] == plain
    assert second[3] == "EEEEEEEEEEEEEEEEEEEEE\\u200bEEE"
    assert third[3] != second[3]
    assert second[1] == "an\\u200bna@example.com"
    tip = str(view.model().index(1, 3).data(Qt.ItemDataRole.AccessibleDescriptionRole))
    assert tip == "Candidate ID: EEEEEEEEEEEEEEEEEEEEE\\u200bEEE"


def test_one_line_words_show_each_break_and_tab_as_themselves_on_one_line() -> None:
    # A tab shown as such would open a column in a list of names.
    assert on_one_line("Anna\tSmith\r\nCandidate ID: X\n") == "Anna Smith\u23ceCandidate ID: X"
