"""Edits in the profiles dialog's form that are not saved yet, and the question about them.

The form as last loaded or saved is kept: anything else in it is an unsaved edit. Such
edits are never left behind (for another profile, a new one, a copy, an import, or
closing) without asking "Save changes to …?": the person saves, discards or stays.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from kombo_desktop.qt.profile_fields import FormValues, ProfileFields


class UnsavedChoice(Enum):
    """The answer to "Save changes to …?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_save_or_discard(parent: QWidget, question: str) -> UnsavedChoice:
    """Show the "Unsaved changes" box with ``question``; Esc or closing it is Cancel."""
    box = QMessageBox(parent)
    box.setObjectName("unsavedChanges")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Unsaved changes")
    box.setText(question)
    box.setInformativeText("Your changes are lost if you do not save them.")
    # Our own texts, not Qt's standard buttons: some desktop themes call Discard
    # "Close without Saving", wrong when the person only picks another profile.
    role = QMessageBox.ButtonRole
    save = box.addButton("Save", role.AcceptRole)
    discard = box.addButton("Discard", role.DestructiveRole)
    cancel = box.addButton("Cancel", role.RejectRole)
    for button in (save, discard, cancel):
        button.setAccessibleName(button.text())
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is save:
        return UnsavedChoice.SAVE
    if clicked is discard:
        return UnsavedChoice.DISCARD
    return UnsavedChoice.CANCEL


class FormOwner(Protocol):
    """The dialog whose form is watched: it asks about the edits and saves them."""

    def ask_to_save(self, question: str) -> UnsavedChoice:
        """Ask whether to save the form's edits before they are left behind."""
        ...

    def unsaved_question(self) -> str:
        """The question "Save changes to …?", worded for what the form shows."""
        ...

    def save_form(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Save the form; ``then`` runs once it is saved, ``otherwise`` if it is not."""
        ...


class UnsavedEdits(QObject):
    """Tells the form's unsaved edits, and asks about them before they are left behind.

    The form says when it was loaded (``loaded``) and how a save goes (``saving``,
    ``saved``, ``save_failed``); everything else in it is an edit.
    """

    def __init__(self, owner: FormOwner, fields: ProfileFields, parent: QObject) -> None:
        """Watch ``fields``, the form of ``owner``; goes with ``parent`` (the owner too)."""
        super().__init__(parent)
        # Weakly: the owner holds this object, and a cycle would keep the owner's wrapper
        # alive after its widget is deleted. Asked through each time, since a test may
        # answer the question in the owner's stead.
        self._owner = weakref.ref(owner)
        self._fields = fields
        # The form as last loaded or saved: anything else in it is an unsaved edit.
        self._clean = FormValues("", "", "", "", "")
        # Counts each loading of the form (a profile, or a new one): a save's outcome
        # concerns the form it was started from only.
        self._generation = 0
        # While a save runs: the form as it was before, which a failed save goes back to.
        self._before_save: FormValues | None = None
        # What to do once the person has answered about a move asked for meanwhile.
        self._deferred: tuple[Callable[[], None], Callable[[], None]] | None = None

    @property
    def generation(self) -> int:
        """Which loading of the form it holds: a save's outcome concerns that one only."""
        return self._generation

    def has_changes(self) -> bool:
        """True if the form differs from the profile as loaded or last saved."""
        return self._fields.values() != self._clean

    # ---- what the form holds ----------------------------------------------------------------

    def loaded(self) -> None:
        """The form was just filled with a profile as stored (or emptied for a new one)."""
        self._generation += 1
        self._before_save = None  # a save still running concerns the form left behind
        self._clean = self._fields.values()

    def kept_as_new(self) -> None:
        """The profile the form was loaded from is gone (deleted by another process):
        what the form holds is a new profile's, every field of it an edit."""
        self._generation += 1
        self._before_save = None
        self._clean = self._fields.blank_values()

    def stored_key_read(self, stored: str) -> None:
        """The key the profile holds has been read: that is no edit, whatever was typed."""
        if self._before_save is not None:
            # A save of this form runs. Should it fail, the form goes back to what the
            # profile holds, this key included.
            self._before_save = replace(self._before_save, key=stored)
        if self._before_save is None or not self._clean.key:
            # No key typed is being saved: the key read stays the profile's (and is
            # about to fill the empty field).
            self._clean = replace(self._clean, key=stored)

    def saving(self, form: FormValues) -> None:
        """``form`` is being saved. Being saved is not unsaved: closing meanwhile waits
        for the save, asking nothing."""
        self._before_save = self._clean
        self._clean = form

    def saved(self) -> None:
        """The save has succeeded: what it saved is what the profile holds."""
        self._before_save = None

    def save_failed(self, generation: int) -> None:
        """The save started from loading ``generation`` of the form has failed."""
        before, self._before_save = self._before_save, None
        if before is not None and generation == self._generation:
            # Unless another profile was loaded meanwhile, its edits are unsaved again.
            self._clean = before

    # ---- leaving the form -------------------------------------------------------------------

    def leave(self, proceed: Callable[[], None], stay: Callable[[], None] | None = None) -> None:
        """Run ``proceed`` (which shows another profile, a new form, or closes) once the
        form's edits are saved or discarded; ``stay`` runs instead when the person
        cancels or the save fails."""
        owner = self._owner()
        if owner is None:
            return  # the dialog is gone: nothing is left to leave
        if not self.has_changes():
            proceed()
            return
        choice = owner.ask_to_save(owner.unsaved_question())
        if choice is UnsavedChoice.DISCARD:
            proceed()
        elif choice is UnsavedChoice.SAVE:
            owner.save_form(proceed, stay)
        elif stay is not None:
            stay()

    def leave_soon(self, proceed: Callable[[], None], stay: Callable[[], None]) -> None:
        """As ``leave``, once the event that asked to leave has been handled.

        For a move in the list: a question in the middle of the click or key press would
        leave the list half updated. Of several moves meanwhile, the last one is asked.
        """
        self._deferred = (proceed, stay)
        QTimer.singleShot(0, self, self._leave_deferred)

    def _leave_deferred(self) -> None:
        deferred, self._deferred = self._deferred, None
        if deferred is not None:
            self.leave(*deferred)
