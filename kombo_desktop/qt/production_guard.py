"""One last question before a result link goes to a customer's live ATS."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from kombo_desktop.qt.questions import build_question
from kombo_desktop.qt.settings import ProductionConfirmation

PRODUCTION_QUESTION = (
    "This profile uses a production key: the result link goes to the customer's live ATS. Send?"
)


def build_production_box(parent: QWidget | None, describe: str) -> QMessageBox:
    """The confirmation box (not shown): "Send" and "Cancel" (default), a don't-ask box."""
    box, send = build_question(
        parent,
        name="productionConfirmation",
        icon=QMessageBox.Icon.Warning,
        title="Send with a production key?",
        text=PRODUCTION_QUESTION,
        detail=describe,
        go="Send",
    )
    send.setObjectName("sendButton")
    # Parented to the box: PySide does not hand ownership over in setCheckBox.
    dont_ask = QCheckBox("Don't ask again for production profiles", box)
    dont_ask.setAccessibleName("Don't ask again for production profiles")
    box.setCheckBox(dont_ask)
    return box


def ask_production_send(
    parent: QWidget,
    describe: str,
    on_send: Callable[[], None],
    *,
    setting: ProductionConfirmation,
) -> QMessageBox | None:
    """Ask before a production send without blocking; ``on_send`` runs if the person agrees.

    Returns the open box, or ``None`` when ``setting`` is off (then ``on_send`` has
    already run). Ticking "Don't ask again" and sending turns ``setting`` off, so whatever
    follows its ``changed`` signal (the Settings menu) updates at once. ``describe``
    names the profile.
    """
    if not setting.enabled():
        on_send()
        return None
    box = build_production_box(parent, describe)

    def decided() -> None:
        clicked = box.clickedButton()
        confirmed = (
            clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
        )
        checkbox = box.checkBox()
        if confirmed and checkbox is not None and checkbox.isChecked():
            setting.set_enabled(False)
        box.deleteLater()
        if confirmed:
            on_send()

    box.finished.connect(decided)
    box.open()
    return box
