"""The app's yes-or-no questions: one way to build them, the cautious answer first.

Each question has one button that goes ahead and one that does not. The one that
does not is the default and answers Esc, so that a stray Enter never sends, deletes
or closes anything. The box and every button carry an accessible name.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton, QWidget

Role = QMessageBox.ButtonRole


def build_question(
    parent: QWidget | None,
    *,
    name: str,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    detail: str = "",
    go: str,
    go_role: QMessageBox.ButtonRole = Role.AcceptRole,
    stay: str | None = None,
) -> tuple[QMessageBox, QPushButton]:
    """The question box (not shown) and its go-ahead button.

    ``name`` is the box's object name (tests and automation find it by it); ``go`` is the
    go-ahead button's text, ``stay`` the other's (``None``: the standard Cancel).
    """
    box = QMessageBox(parent)
    box.setObjectName(name)
    box.setIcon(icon)
    box.setWindowTitle(title)
    # A screen reader names the box by its question, whatever the desktop shows as title.
    box.setAccessibleName(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    go_button = box.addButton(go, go_role)
    go_button.setAccessibleName(go)
    if stay is None:
        stay_button = box.addButton(QMessageBox.StandardButton.Cancel)
        stay_button.setAccessibleName("Cancel")
    else:
        stay_button = box.addButton(stay, Role.RejectRole)
        stay_button.setAccessibleName(stay)
    box.setDefaultButton(stay_button)
    box.setEscapeButton(stay_button)
    return box, go_button


def ask(box: QMessageBox, go: QAbstractButton) -> bool:
    """Show ``box`` and wait for the answer; True when it was ``go``. The box is disposed of."""
    box.exec()
    chosen = box.clickedButton() is go
    box.deleteLater()
    return chosen


def open_question(box: QMessageBox, go: QAbstractButton, on_answer: Callable[[bool], None]) -> None:
    """Show ``box`` without waiting (the window stays live behind it); once answered,
    ``on_answer(True)`` when it was ``go``, else ``on_answer(False)``. The box is disposed of.
    """

    def decided() -> None:
        chosen = box.clickedButton() is go
        box.deleteLater()  # deferred: ``on_answer`` may still read the box
        on_answer(chosen)

    box.finished.connect(decided)
    box.open()
