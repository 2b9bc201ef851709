"""One last question before a result link goes to a customer's live ATS."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QMessageBox, QPushButton, QWidget

from kombo_desktop.qt.questions import build_question, open_question
from kombo_desktop.qt.settings import ProductionConfirmation

#: The question, said alike of a saved profile and of the connection bar's settings.
PRODUCTION_QUESTION = (
    "This connection uses a production key: the result link goes to the customer's live ATS. Send?"
)
#: The question's "Don't ask again" box, named as the Settings menu's item names it.
DONT_ASK_AGAIN = "Don't ask again for production keys"


def build_production_box(parent: QWidget | None, describe: str) -> tuple[QMessageBox, QPushButton]:
    """The confirmation box (not shown) and its "Send" button; "Cancel" is the default,
    and a don't-ask box goes with them."""
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
    dont_ask = QCheckBox(DONT_ASK_AGAIN, box)
    dont_ask.setAccessibleName(DONT_ASK_AGAIN)
    box.setCheckBox(dont_ask)
    return box, send


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
    says where the link goes: the profile, or the connection bar's settings.
    """
    if not setting.enabled():
        on_send()
        return None
    box, send = build_production_box(parent, describe)

    def decided(confirmed: bool) -> None:
        checkbox = box.checkBox()
        if confirmed and checkbox is not None and checkbox.isChecked():
            setting.set_enabled(False)
        if confirmed:
            on_send()

    open_question(box, send, decided)
    return box
