"""What the window shows can be read and told apart at its usual size: the action buttons
stand apart, a dozen attribute rows show without scrolling inside the table while there
is room, and Manage profiles' keyring note (which may say keys cannot be saved) is in a
readable colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.worker import ApiWorker
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import build_window, button, candidate_id, fill_form
from tests.profiles_support import show_dialog, shown_window
from tests.qt_helpers import find_by_accessible_name


def test_submit_cancel_and_next_candidate_stand_apart(qtbot: QtBot, fresh_sandbox: Sandbox) -> None:
    window = build_window(qtbot, fresh_sandbox)
    submit, cancel, next_one = (
        button(window, name).geometry() for name in ("Submit", "Cancel", "Next candidate")
    )
    # Before: no space at all, three buttons read as one bar.
    assert cancel.left() - submit.right() > 4
    assert next_one.left() - cancel.right() > 4


def test_a_dozen_attribute_rows_show_without_scrolling_in_the_table(
    qtbot: QtBot, fresh_sandbox: Sandbox
) -> None:
    window = build_window(qtbot, fresh_sandbox)
    window.resize(1280, 820)
    rows = "".join(f"Metric {n}\t{n}0%\n" for n in range(1, 13))
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox), prefix="Acme:", attributes=rows)
    view = window.form.attributes.view
    qtbot.waitUntil(lambda: view.model().rowCount() == 12)
    last = view.rowViewportPosition(11) + view.rowHeight(11)
    # Before: about seven rows showed, the rest scrolled inside the table, while the
    # height under the form stayed empty.
    assert 0 < last <= view.viewport().height()


def _contrast(first: QColor, second: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_keyring_note_is_readable(qtbot: QtBot, worker: ApiWorker, memory_keyring) -> None:
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    note = dialog.backend_label
    qtbot.waitUntil(lambda: bool(note.text()))
    image: QImage = note.grab().toImage()
    background = image.pixelColor(0, 0)
    darkest = min(
        (image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
        key=lambda colour: colour.lightnessF(),
    )
    # Before: the window's dim grey, 1.7:1 against the dialog's background.
    assert _contrast(darkest, background) >= 4.5


def test_in_half_a_laptops_screen_the_hint_goes_under_the_buttons(qtbot: QtBot, app_home) -> None:
    store = ProfileStore()
    store.load()
    window = shown_window(qtbot, store)
    hint = find_by_accessible_name(window, "Submit hint", QLabel)
    submit = button(window, "Submit")
    window.resize(1280, 820)
    # Beside them, with room to spare.
    qtbot.waitUntil(lambda: hint.geometry().top() < submit.geometry().bottom())
    window.resize(683, 728)  # half of a 1366x768 screen
    qtbot.waitUntil(lambda: window.width() == 683)
    qtbot.waitUntil(lambda: hint.geometry().top() > submit.geometry().bottom())
    # Before: beside them, a column of a word or two a line, the action bar grown tall
    # over the form. Under them, a few lines at most.
    lines = hint.height() // hint.fontMetrics().lineSpacing()
    assert lines <= 3, hint.text()
