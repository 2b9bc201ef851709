"""One last question before a result link goes to a customer's live ATS."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from kombo_desktop.qt.settings import confirm_production_sends, set_confirm_production_sends

PRODUCTION_QUESTION = (
    "This profile uses a production key: the result link goes to the customer's live ATS. Send?"
)


def build_production_box(parent: QWidget | None, describe: str) -> QMessageBox:
    """The confirmation box (not shown): "Send" and "Cancel" (default), a don't-ask box."""
    box = QMessageBox(parent)
    box.setObjectName("productionConfirmation")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Send with a production key?")
    box.setText(PRODUCTION_QUESTION)
    box.setInformativeText(describe)
    send = box.addButton("Send", QMessageBox.ButtonRole.AcceptRole)
    send.setObjectName("sendButton")
    send.setAccessibleName("Send")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    # Parented to the box: PySide does not hand ownership over in setCheckBox.
    dont_ask = QCheckBox("Don't ask again for production profiles", box)
    dont_ask.setAccessibleName("Don't ask again for production profiles")
    box.setCheckBox(dont_ask)
    box.setAccessibleName("Send with a production key?")
    return box


def confirm_production_send(parent: QWidget, describe: str) -> bool:
    """Ask before a production send; True to send. ``describe`` names the profile.

    Returns True without asking when the ``confirm_production_sends`` setting is off.
    Ticking "Don't ask again" and sending turns that setting off.
    """
    if not confirm_production_sends():
        return True
    box = build_production_box(parent, describe)
    box.exec()
    confirmed = (
        box.clickedButton() is not None
        and box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
    )
    checkbox = box.checkBox()
    if confirmed and checkbox is not None and checkbox.isChecked():
        set_confirm_production_sends(False)
    box.deleteLater()
    return confirmed
