"""The request preview of a large body, as a person uses it: it shows the start of the
body with a note, all of it copied with the keyboard is the whole body sent, and showing
it leaves no copy of the body for the garbage collector, which runs on the GUI thread
(there, megabytes of objects freed at once hold up the window).

A body of the usual size is shown and copied whole, at once, as before.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import DEMO_API_KEY, Sandbox
from tests.curl_support import copied_curl, curl_body
from tests.garbage_support import garbage_found
from tests.main_window_support import (
    WAIT_MS,
    candidate_id,
    fill_form,
    paste_remote_json,
    posts,
    submit_and_wait,
    type_into,
)
from tests.qt_helpers import find_by_accessible_name
from tests.remote_fields_support import large_json

#: The most of the body the preview's view holds (64 KiB of its indented JSON).
SHOWN_LIMIT = 64 * 1024
LABEL = "Assessment Result"
#: An ATS the app models, sent before the others whatever their order in the JSON.
WORKABLE = {"workable": {"on_behalf_of_user_remote_id": "wk-1"}}


def _remote_fields(count: int) -> dict[str, Any]:
    """Another ATS's custom fields as exported (``count`` small objects, numbers of
    both kinds, text beyond ASCII), then one the app models."""
    custom = {
        f"field_{n:04d}": {
            "label": f"Question {n}",
            "value": f"réponse numéro {n} " * 3,
            "score": n * 1.5,
            "options": ["a", "b", {"deep": {"x": n, "flag": n % 2 == 0}}],
        }
        for n in range(count)
    }
    return {"lever": {"custom": custom}, **WORKABLE}


#: About 350 KB as sent (the sandbox takes up to 1 MiB), far more than the preview shows.
LARGE = _remote_fields(2000)


def _indented(body: Any) -> str:
    """The body as the preview shows it."""
    return json.dumps(body, indent=2, ensure_ascii=False)


def _view(window: MainWindow) -> QPlainTextEdit:
    return find_by_accessible_name(window, "Request preview", QPlainTextEdit)


def _shows_label(window: MainWindow, label: str) -> bool:
    shown = window.preview.body_text()
    return f'"label": "{label}"' in shown and '"lever"' in shown


def _copy_all_with_keys(qtbot, window: MainWindow, clipboard: QClipboard) -> None:
    clipboard.setText("")
    view = _view(window)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)


def _custom_fields_in(objects: list[Any]) -> list[Any]:
    """The custom fields of ``LARGE`` among ``objects``: copies of them, as the originals
    are held by the form."""
    return [item for item in objects if isinstance(item, dict) and "options" in item]


def test_a_large_body_shows_its_start_and_copy_as_curl_copies_it_whole(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, clipboard: QClipboard
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    # A body of the usual size: shown whole, and copied whole at once, as before.
    paste_remote_json(qtbot, window, json.dumps(WORKABLE))
    small = {"label": LABEL, "url": "https://example.com/results/1", "remote_fields": WORKABLE}
    assert window.preview.body_text() == _view(window).toPlainText() == _indented(small)
    _copy_all_with_keys(qtbot, window, clipboard)
    assert clipboard.text() == _indented(small)

    paste_remote_json(qtbot, window, json.dumps(LARGE, indent=2, ensure_ascii=False))
    qtbot.waitUntil(lambda: _shows_label(window, LABEL), timeout=WAIT_MS)
    shown = _view(window).toPlainText()
    assert 0 < len(shown) <= SHOWN_LIMIT
    note = find_by_accessible_name(window, "Request preview note", QLabel)
    assert note.isVisible()
    assert note.text().startswith("The body is ")
    assert note.text().endswith(
        ", too long to show here: this is its start. Copy as curl copies all of it."
    )
    # A screen reader hears the note with the preview.
    assert _view(window).accessibleDescription() == note.text()

    _copy_all_with_keys(qtbot, window, clipboard)
    # What the keys copy is what the view holds (the note says so); Copy as curl is the
    # way to all of it.
    copied = clipboard.text()
    assert copied == window.preview.body_text()
    assert shown.startswith(copied[:1000])
    assert DEMO_API_KEY not in copied
    curl = copied_curl(qtbot, window)
    assert DEMO_API_KEY not in curl

    submit_and_wait(qtbot, window)
    sent = posts(fresh_sandbox)[-1].json()
    # Every character, in the order sent: the ATS the app models comes first.
    assert _indented(sent).startswith(copied)
    assert len(copied) <= SHOWN_LIMIT
    assert list(sent["remote_fields"]) == ["workable", "lever"]
    assert json.loads(curl_body(curl)) == sent
    # Its size as sent, in the note, as the response panel gives an answer's.
    size_kb = round(len(json.dumps(sent, ensure_ascii=False).encode("utf-8")) / 1000)
    assert note.text().startswith(f"The body is {size_kb} KB,")


def test_a_large_body_is_shown_without_a_copy_left_for_the_garbage_collector(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    with garbage_found() as garbage:
        paste_remote_json(qtbot, window, json.dumps(LARGE, indent=2, ensure_ascii=False))
        qtbot.waitUntil(lambda: _shows_label(window, LABEL), timeout=WAIT_MS)
    assert len(_custom_fields_in(garbage.objects)) == 0

    # A key typed in the Label: the body is built again, from the same JSON.
    with garbage_found() as garbage:
        type_into(qtbot, window, "Label", " v2")
        qtbot.waitUntil(lambda: _shows_label(window, f"{LABEL} v2"), timeout=WAIT_MS)
    assert len(_custom_fields_in(garbage.objects)) == 0
    assert len(_view(window).toPlainText()) <= SHOWN_LIMIT


@pytest.mark.parametrize(
    ("replacement", "shown"),
    [
        # Still large, with nothing for an ATS the app does not model.
        (json.dumps({"workable": {"on_behalf_of_user_remote_id": "w" * 40_000}}), '"workable"'),
        # Built in the background, but shown whole: no size is counted for it.
        (large_json(fields=150), '"custom_field_00149"'),
    ],
    ids=["nothing-for-another-ats", "shown-whole"],
)
def test_members_counted_for_a_large_body_are_let_go_once_it_is_replaced(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox, replacement: str, shown: str
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    note = find_by_accessible_name(window, "Request preview note", QLabel)
    paste_remote_json(qtbot, window, large_json(fields=40_000))
    qtbot.waitUntil(
        lambda: note.isVisible() and '"lever"' in window.preview.body_text(), timeout=WAIT_MS
    )
    # Counted member by member (the preview keeps each count for the object it is).
    qtbot.waitUntil(window.preview._member_sizes.holds_any, timeout=WAIT_MS)
    # The megabytes counted before are not kept for nothing.
    paste_remote_json(qtbot, window, replacement)
    qtbot.waitUntil(
        lambda: shown in window.preview.body_text() and not window.preview.is_building(),
        timeout=WAIT_MS,
    )
    assert not window.preview._member_sizes.holds_any()
