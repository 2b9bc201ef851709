"""The attributes table of the main form, with its buttons, keyboard and clipboard handling.

Typing edits a cell in place and reaches the table at once, so sending, the preview
and the draft never miss a cell still being edited; Esc puts back what the cell held.
Tab walks Key → Value → next row's Key; Enter in the last row's Value adds a row, and
Enter or a typed character in the empty table starts its first row.
A block copied from a spreadsheet or a CSV file is pasted as rows below the selected
ones (``core.paste.parse_key_value_block``; a notice under the table says when columns
beyond the second were left out), or fills in the values of the rows from the current
one down when its keys are theirs, in order (or in any order, when those rows all wait
for their values, as after "Next candidate"); one copied column pasted on a Value cell
fills the values down from it (``core.paste.column_cells``); one copied cell goes into
the current cell (``core.paste.single_cell_text``); a cell being edited pastes the same
way, from the keyboard, its menu or a drop; and selected rows copy out as tab-separated
text that spreadsheets understand. A sheet's column headings over the next candidate's
rows are left out, and a row of names over one row of values is read across (a notice
says either). What a paste of rows or a removal did ("Filled 2 values, added 1 row.") is
said to a screen reader. Ctrl+Z takes back removals, pastes and a cell's typing, one by
one. Ctrl+Shift+A adds a row from anywhere in the window; the other keys act on the table
while it has the focus.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QIcon, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.attribute_rows import is_blank, same_key
from kombo_desktop.core.paste import (
    PastedRows,
    column_cells,
    is_assignment_line,
    is_value_only,
    parse_key_value_block,
    single_cell_text,
)
from kombo_desktop.core.sentences import as_sentence, counted
from kombo_desktop.qt.attributes_model import KEY_COLUMN, VALUE_COLUMN, AttributesModel
from kombo_desktop.qt.buttons import EnterPressedToolButton
from kombo_desktop.qt.field_marks import mark_field, style_as_problem_text
from kombo_desktop.qt.line_edits import keeping_any_length
from kombo_desktop.qt.spoken import announce, show_text
from kombo_desktop.qt.url_field import RowPastingLineEdit

if TYPE_CHECKING:
    from PySide6.QtGui import QFocusEvent

    AnyIndex = QModelIndex | QPersistentModelIndex

__all__ = ["AttributesEditor", "copy_text_for_rows"]

_TEXT_ROLES = {int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.EditRole.value)}
_MAX_PROBLEMS_LISTED = 3
#: What the table always says about itself to a screen reader (after any problem).
_TABLE_DESCRIPTION = (
    "Key and value pairs shown with the result link. Paste rows from a spreadsheet with "
    "Ctrl+V. Ctrl+Tab leaves the table."
)
#: What a cell editor says about itself to a screen reader when its row has no problem.
_CELL_EDITOR_HINT = "Enter keeps the text, Esc puts back what the cell held, Tab goes on."
#: Said under the table after a paste whose rows had more than two columns.
EXTRA_COLUMNS_NOTICE = "Only the first two columns were used: key and value."
#: Said when a block's first row was left out as its headings (``_headings_row``).
HEADINGS_NOTICE = (
    "The first row pasted was taken for column headings and left out (Ctrl+Z undoes the paste)."
)
#: Said when a row of keys over a row of values was read across (``PastedRows.read_across``).
READ_ACROSS_NOTICE = (
    "Read across: the first row as keys, the second as their values (Ctrl+Z undoes it)."
)
#: How many removals, pastes and cells' typing Ctrl+Z can take back, one after the other.
MAX_UNDO_STEPS = 100


def _is_block_paste(text: str) -> bool:
    """True when ``text`` pasted in a cell editor should become rows rather than go into
    the cell.

    Line breaks inside the text or a tab mean a block (one spreadsheet cell, or one line
    from a text editor, ends with a line break, which does not count). One line is just
    text, even one that reads as a key and a value (``Score = 100%``): the person is
    typing into this cell.
    """
    inner = text.strip("\r\n")
    return "\n" in inner or "\r" in inner or "\t" in inner


@dataclass(frozen=True)
class _UndoStep:
    """What Ctrl+Z in the table takes back: its name, the rows before, what to select."""

    name: str
    rows: list[tuple[str, str]]
    selected: list[int]
    column: int


def _tsv_cell(text: str) -> str:
    # Quote as spreadsheets do, so that copying and pasting back gives the same rows.
    if any(ch in text for ch in "\t\n\r") or text.lstrip().startswith('"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def copy_text_for_rows(rows: Sequence[tuple[str, str]]) -> str:
    """Rows as tab-separated lines, the format spreadsheets paste as cells."""
    return "".join(f"{_tsv_cell(key)}\t{_tsv_cell(value)}\n" for key, value in rows)


def _row_runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """``rows`` as runs of rows one after the other: ``[1, 2, 3, 7]`` → ``[(1, 3), (7, 7)]``."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _pasted_words(filled: int, added: int) -> str:
    """What a paste did, in short words: "Filled 2 values, added 1 row."."""
    done = []
    if filled:
        done.append(f"filled {counted(filled, 'value')}")
    if added:
        done.append(f"added {counted(added, 'row')}")
    return as_sentence(", ".join(done))


def _cell_editor_name(model: QAbstractItemModel, index: AnyIndex) -> str:
    """What a screen reader calls the editor of a cell: "Key of attribute 2"."""
    column = model.headerData(index.column(), Qt.Orientation.Horizontal)
    return f"{column} of attribute {index.row() + 1}"


class _CellLineEdit(RowPastingLineEdit):
    """A cell's editor: it widens as its text grows, and every paste (Ctrl+V, Paste in its
    menu, text dropped on it) goes through its delegate's ``paste_into``.

    Qt's own cell editor widens too, but it is private to Qt and its menu's Paste and a
    drop would put a copied block, or a cell's line end, into the cell as it is. This one
    grows as Qt's does: from the cell towards the table's far edge (its left edge, right
    to left), never narrower than the cell, and at that edge its text scrolls.
    """

    def __init__(
        self, delegate: _CellDelegate, parent: QWidget, view: QAbstractItemView, index: AnyIndex
    ) -> None:
        super().__init__(parent)
        self._delegate = delegate
        # The cell is looked up in the table at each fit, not kept: scrolling moves the
        # editor with its row but tells the delegate nothing, and a rectangle kept from
        # before would put the editor back over another row at the next key.
        self._view = view
        self._index = QPersistentModelIndex(index)
        # As Qt's cell editor in the usual styles: a frame would move the text away from
        # where the cell showed it.
        self.setFrame(False)
        # A line edit cuts text at 32767 characters, a cell takes any length (a long
        # report pasted on the table): the next key in the editor would have put the cut
        # text into the table, and the rest would have been lost without a word.
        keeping_any_length(self)
        self.textChanged.connect(self.fit_to_cell)

    @Slot()
    def fit_to_cell(self) -> None:
        """Cover the cell where the table shows it now (scrolled, its row moved, its column
        resized), as wide as the text asks."""
        parent = self.parentWidget()
        # No rectangle when the row is gone or its column hidden (Qt hides the editor then).
        cell = self._view.visualRect(self._index)
        if parent is None or not cell.isValid():
            return
        # What the line edit keeps around its text (margins, the style's padding), as Qt's
        # cell editor counts it: its size hint less the 17 "x" it makes room for. Read
        # through C++: the style's enums would take a while to load here, mid-typing.
        metrics = self.fontMetrics()
        around_text = self.sizeHint().width() - 17 * metrics.horizontalAdvance("x")
        right_to_left = self.isRightToLeft()
        to_the_edge = cell.right() + 1 if right_to_left else parent.width() - cell.left()
        # A cell that goes past the edge (the table scrolled sideways) is covered whole.
        room = max(to_the_edge, cell.width())
        # A long text is measured only as far as the room goes (a character takes a pixel
        # at least; invisible ones do not, and then it is measured whole): measuring all
        # of a long report at each key would make typing in it slow.
        shown = self.displayText()
        text_width = metrics.horizontalAdvance(shown[:room])
        if text_width < room < len(shown):
            text_width = metrics.horizontalAdvance(shown)
        # One pixel more for the cursor after the last letter, or the text scrolls by one.
        width = min(max(around_text + text_width + 1, cell.width()), room)
        left = cell.right() + 1 - width if right_to_left else cell.left()
        self.setGeometry(left, cell.top(), width, cell.height())

    def paste_text(self, text: str) -> bool:
        """Paste ``text`` as the table does (``_CellDelegate.paste_into``); ``False``
        when it is plain text for the line edit's own paste."""
        return self._delegate.paste_into(self, text)


class _CellDelegate(QStyledItemDelegate):
    """The table's delegate: cells are edited in a ``_CellLineEdit``, which widens with its
    text as Qt's own cell editor does.

    Typing goes into the model at once, as in the form's other fields, so what is
    sent, previewed and saved as a draft is what the cell shows; Esc puts back the
    text the cell held when editing began. The editor is named after its column and
    row for screen readers. A block pasted into a cell (by any way, ``_CellLineEdit``)
    is pasted as on the table; one copied spreadsheet cell goes in at the cursor,
    without its quotes and line end.
    """

    #: The editor a block was pasted or dropped on, and the block's text.
    block_paste = Signal(QWidget, str)

    def __init__(self, view: QAbstractItemView) -> None:
        """The delegate of ``view``'s cells."""
        super().__init__(view)
        self._view = view
        self._before: dict[QWidget, tuple[QPersistentModelIndex, str]] = {}

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        """The line edit, named for screen readers and committing as it is typed into."""
        editor = _CellLineEdit(self, parent, self._view, index)
        self._speak_for(editor, index)
        text = index.data(Qt.ItemDataRole.EditRole)
        self._before[editor] = (QPersistentModelIndex(index), "" if text is None else text)
        # textEdited comes with every change the person makes (typing, pasting, undo
        # and redo, an input method, a drop), never with setText: the model holds the
        # cell's text at all times, so nothing that reads the rows has to commit first.
        editor.textEdited.connect(lambda _text, e=editor: self.commitData.emit(e))
        editor.destroyed.connect(lambda _obj=None, e=editor: self._before.pop(e, None))
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        """Show the cell's text, unless the editor holds it already."""
        self._speak_for(editor, index)
        # Each keystroke is committed and comes back here: setting the same text again
        # would move the cursor to the end and forget the editor's undo steps.
        if isinstance(editor, QLineEdit) and editor.text() == index.data(Qt.ItemDataRole.EditRole):
            return
        super().setEditorData(editor, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        """Place the editor over the whole cell, wider when its text asks for it
        (``_CellLineEdit.fit_to_cell``); a row moved while editing is renamed.

        The whole cell, not the room beside the problem icon: the icon comes and goes
        as the key is typed, and the editor must not jump sideways under the cursor.
        """
        if isinstance(editor, _CellLineEdit):
            # ``option.rect`` is where the table shows the cell, which the editor reads too.
            editor.fit_to_cell()
        else:
            editor.setGeometry(option.rect)
        self._speak_for(editor, index)

    def open_editors(self) -> list[QWidget]:
        """The cell editors open now (one at most, in practice)."""
        return list(self._before)

    def editing(self, index: QModelIndex) -> tuple[QWidget, str] | None:
        """The editor open on the cell at ``index`` and the text the cell held when its
        editing began; ``None`` when no editor is open there."""
        for editor, (edited, text) in self._before.items():
            if edited.isValid() and edited == QPersistentModelIndex(index):
                return editor, text
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+Tab in a cell editor leaves the table, as on a cell (``_AttributesView``);
        Qt's own filter would take it for Tab, and open the next cell."""
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and _modifiers_held(event) & _CONTROL_KEY
        ):
            QApplication.sendEvent(self._view, event)
            return True
        return super().eventFilter(watched, event)

    def revert(self, editor: QWidget) -> None:
        """Put back the text the editor's cell held when editing began."""
        index, text = self._before.get(editor, (QPersistentModelIndex(), ""))
        if index.isValid():  # not when the row was removed meanwhile
            index.model().setData(index, text, Qt.ItemDataRole.EditRole)

    @staticmethod
    def _speak_for(editor: QWidget, index: AnyIndex) -> None:
        name = _cell_editor_name(index.model(), index)
        problem = index.data(Qt.ItemDataRole.AccessibleDescriptionRole)
        description = problem or _CELL_EDITOR_HINT
        # Every change is announced by assistive technology: set only what is new.
        if editor.accessibleName() != name:
            editor.setAccessibleName(name)
        if editor.accessibleDescription() != description:
            editor.setAccessibleDescription(description)

    def paste_into(self, editor: QLineEdit, text: str) -> bool:
        """Paste ``text`` into the cell ``editor`` edits, or as rows when it holds several
        (``block_paste``); ``False`` when it is plain text for the line edit's own paste.

        One spreadsheet cell goes in at the cursor without its quotes and its line end.
        """
        cell = single_cell_text(text, commas_separate=False)
        if cell is not None and any(ch in text for ch in "\t\n\r"):
            # One cell as a spreadsheet copies it: without the quotes and the line
            # break after it, which the line edit would paste too (plain text on one
            # line is left to the line edit's own paste). Line breaks inside
            # the cell are kept (the line edit shows them as spaces): the value is
            # sent as it was written, as when the cell is pasted on without editing.
            editor.insert(cell)
            return True
        if _is_block_paste(text):
            self.block_paste.emit(editor, text)
            return True
        return False


def control_key_modifier(platform: str = sys.platform) -> Qt.KeyboardModifier:
    """The modifier the Control key gives on ``platform``: on macOS Qt calls the Command
    key Ctrl (Cmd+Tab is the system's app switcher), and the Control key Meta."""
    if platform == "darwin":
        return Qt.KeyboardModifier.MetaModifier
    return Qt.KeyboardModifier.ControlModifier


#: What leaves the table with Tab: Ctrl+Tab, Control+Tab on a Mac.
_CONTROL_KEY = control_key_modifier()


def _modifiers_held(event: QKeyEvent) -> Qt.KeyboardModifier:
    """The modifier keys held down with ``event``'s key.

    Qt's keypad flag is left out, as no key is held for it: Qt sets it on every arrow
    key on macOS, and on keys pressed on a numeric keypad (its Delete and arrows with
    Num Lock off), which mean what the same keys elsewhere on the keyboard mean.
    """
    return event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


def _types_a_character(event: QKeyEvent) -> bool:
    """True when ``event`` types a visible character into a cell, as Qt's views start
    editing on (no Ctrl, Alt or Meta held); Space is left to the table."""
    text = event.text()
    held = event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    )
    return bool(text.strip()) and text.isprintable() and held == Qt.KeyboardModifier.NoModifier


class _AttributesView(QTableView):
    """A table view that hands clipboard, Delete and Enter keys to its editor widget."""

    def __init__(self, owner: AttributesEditor) -> None:
        super().__init__(owner)
        self._owner = owner

    def event(self, event: QEvent) -> bool:
        """Control+Tab reaches ``keyPressEvent`` on a Mac too, where Qt calls Control
        Meta: Qt's own Tab handling, which stops only for its Ctrl (the Command key
        there) and Alt, would move to the next cell first."""
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and _modifiers_held(event) & _CONTROL_KEY
        ):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Paste, copy, delete rows, Enter to edit, and no plain arrow on Alt+Up/Down."""
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and (
            _modifiers_held(event) == Qt.KeyboardModifier.AltModifier
        ):
            # The move keys reach the table only when the block is at the edge (the move
            # action is off): as plain arrows they would collapse the selection.
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and (
            _modifiers_held(event) & _CONTROL_KEY
        ):
            # Out of the table: Tab walks its cells, two a row, and with many rows only
            # Ctrl+Tab gets past them (the cell being edited keeps what was typed).
            self._owner.close_cell_editor()
            forward = event.key() == Qt.Key.Key_Tab and not (
                _modifiers_held(event) & Qt.KeyboardModifier.ShiftModifier
            )
            QWidget.focusNextPrevChild(self, forward)
            event.accept()
            return
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and self._starts_the_first_row(event):
            return
        if not editing:
            if event.matches(QKeySequence.StandardKey.Paste):
                self._owner.paste()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                self._owner.copy_selected_rows()
                return
            if (
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and _modifiers_held(event) == Qt.KeyboardModifier.NoModifier
            ):
                self._owner.remove_selected()
                return
            if (
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.currentIndex().isValid()
            ):
                self.edit(self.currentIndex())
                return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        """Text from an input method (a Japanese or Chinese word, a dead key's accented
        letter) starts the empty table's first row, and replaces the current cell's text,
        as a typed key does.

        Qt's table drops such text in an empty table (no cell to edit), and drops a
        commit that arrives without composing first (it opens the editor, but does not
        hand it the text). Composing text goes through Qt's own handling once there is a
        cell: it keeps the focus on the table until the word is committed, since moving
        the focus would end the composition.
        """
        composing = bool(event.preeditString())
        committing = bool(event.commitString())
        editing = self.state() == QAbstractItemView.State.EditingState
        if editing or not (composing or committing):
            super().inputMethodEvent(event)
            return
        model = self.model()
        if model is not None and model.rowCount() == 0:
            self._owner.add_row(open_editor=False)
        current = self.currentIndex()
        if composing or not current.isValid():
            super().inputMethodEvent(event)
            return
        if self.edit(current, QAbstractItemView.EditTrigger.AnyKeyPressed, event):
            editor = self.indexWidget(current)
            if editor is not None:
                QApplication.sendEvent(editor, event)
                return
        super().inputMethodEvent(event)

    def _starts_the_first_row(self, event: QKeyEvent) -> bool:
        """In the empty table, Enter or a typed character starts a row; True when it did.

        As typing on a cell starts editing it: a keyboard user who tabbed into the empty
        table can start it without knowing Ctrl+Shift+A. The character goes into the new
        Key cell's editor; Enter opens that editor empty. The editor takes the focus and
        a screen reader says its name ("Key of attribute 1"). What Ctrl+Z takes back is
        kept (``AttributesEditor.add_row``).
        """
        model = self.model()
        if model is None or model.rowCount() > 0:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if _modifiers_held(event) != Qt.KeyboardModifier.NoModifier:
                return False
            self._owner.add_row()
            return True
        if not _types_a_character(event):
            return False
        self._owner.add_row()
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            # As Qt hands the key that starts editing a cell to the cell's editor.
            QApplication.sendEvent(editor, event)
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Reached from the keyboard without a current cell, the table starts on the first
        row's Value when that row waits for its value, as after "Next candidate" (the keys
        kept, every value empty); elsewhere on its Key, as Qt starts any table.

        Started on the Key, the first value typed or pasted there (``95%``, a copied cell)
        would have replaced the kept key instead of filling in its value.
        """
        model = self._owner.model
        if (
            not self.currentIndex().isValid()
            and event.reason() != Qt.FocusReason.MouseFocusReason
            and model.rowCount() > 0
            and model.problem_column(0) == VALUE_COLUMN
        ):
            self.selectionModel().setCurrentIndex(
                model.index(0, VALUE_COLUMN), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        super().focusInEvent(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Tab stops at the last cell (and Shift+Tab at the first) instead of wrapping.

        An invalid index lets the focus leave the table, so keyboard users are not trapped.
        """
        model = self.model()
        current = self.currentIndex()
        if model is not None and current.isValid():
            last_row = model.rowCount() - 1
            if (
                cursorAction == QAbstractItemView.CursorAction.MoveNext
                and current.row() == last_row
                and current.column() == VALUE_COLUMN
            ):
                return QModelIndex()
            if (
                cursorAction == QAbstractItemView.CursorAction.MovePrevious
                and current.row() == 0
                and current.column() == KEY_COLUMN
            ):
                return QModelIndex()
        return super().moveCursor(cursorAction, modifiers)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Esc puts the cell's text back; Enter in the last row's Value adds a row."""
        current = QPersistentModelIndex(self.currentIndex())
        if hint == QAbstractItemDelegate.EndEditHint.RevertModelCache:
            # What was typed is in the model already (see _CellDelegate).
            self._owner.revert_editor(editor)
        super().closeEditor(editor, hint)
        model = self.model()
        if (
            hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
            and model is not None
            and current.isValid()
            and current.column() == VALUE_COLUMN
            and current.row() == model.rowCount() - 1
        ):
            self._owner.add_row()


class AttributesEditor(QWidget):
    """The attributes table with Add / Remove / Duplicate / Move buttons and a problem line.

    ``changed`` is emitted whenever a row's text, the number or the order of rows changes.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AttributesModel(parent=self)

        self.view = _AttributesView(self)
        self.view.setObjectName("attributesTable")
        self.view.setAccessibleName("Attributes")
        self.view.setAccessibleDescription(_TABLE_DESCRIPTION)
        self.view.setModel(self.model)
        self._delegate = _CellDelegate(self.view)
        self._delegate.block_paste.connect(self._paste_from_editor)
        self.view.setItemDelegate(self._delegate)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setTabKeyNavigation(True)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(KEY_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(KEY_COLUMN, 180)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 10)

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("attributeProblems")
        self.problem_label.setAccessibleName("Attribute problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
        style_as_problem_text(self.problem_label)
        self.problem_label.hide()
        # Something worth knowing about the last paste that stops nothing: in the usual
        # text colour, not the problems' one, and gone with the next change.
        self.notice_label = QLabel(self)
        self.notice_label.setObjectName("attributeNotice")
        self.notice_label.setAccessibleName("Attribute notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.notice_label.hide()

        self.add_action = self._action(
            "Add attribute",
            "Add",
            "Ctrl+Shift+A",
            self.add_row,
            QIcon.fromTheme("list-add"),
            # Adding a row is how the table is started, so it is in reach from any field.
            context=Qt.ShortcutContext.WindowShortcut,
        )
        self.remove_action = self._action(
            "Remove attribute",
            "Remove",
            None,
            self.remove_selected,
            QIcon.fromTheme("list-remove"),
            shortcut_hint="Delete; Ctrl+Z puts it back",
        )
        # Rows go with one key press (a pasted block stays selected, Delete held goes on
        # to the next row), and a paste, or a key pressed on a cell, writes over it:
        # removals, pastes and typing are taken back one by one, the last first, until
        # the table changes otherwise.
        self.undo_action = self._action(
            "Undo remove", "Undo remove", "Ctrl+Z", self.undo, QIcon.fromTheme("edit-undo")
        )
        self._undo_steps: list[_UndoStep] = []
        # True while the table changes by a step that can be taken back (or by taking one
        # back): that change leaves the earlier steps valid, any other forgets them.
        self._changing_by_step = False
        # True while an action changes rows and selection: the buttons are brought up to
        # date once, after it (``_updating_actions_once``), not at each signal on the way.
        self._holding_action_updates = False
        # The row a key started in the table emptied by a step, and the step that takes
        # it back once it holds text (``add_row``); None when there is none.
        self._started_row: QPersistentModelIndex | None = None
        self._start_step: _UndoStep | None = None
        # The cell editor text was typed into, and the step that takes that typing back
        # ("Undo typing", ``_follow_typing``); None before any.
        self._typing: tuple[QWidget, _UndoStep] | None = None
        self.duplicate_action = self._action(
            "Duplicate attribute",
            "Duplicate",
            "Ctrl+D",
            self.duplicate_selected,
            QIcon.fromTheme("edit-copy"),
        )
        self.move_up_action = self._action(
            "Move attribute up",
            # Arrows as text: the style's arrow icons would load QStyle's large enums at
            # start-up, and a glyph reads the same on every desktop.
            "\N{UPWARDS ARROW} Up",
            "Alt+Up",
            lambda: self.move_selected(-1),
            None,
        )
        self.move_down_action = self._action(
            "Move attribute down",
            "\N{DOWNWARDS ARROW} Down",
            "Alt+Down",
            lambda: self.move_selected(1),
            None,
        )
        self.copy_action = QAction("Copy rows", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selected_rows)
        self.paste_action = QAction("Paste rows", self)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.paste_action.triggered.connect(self.paste)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QToolButton] = {}
        for action in (
            self.add_action,
            self.remove_action,
            self.duplicate_action,
            self.move_up_action,
            self.move_down_action,
        ):
            button = EnterPressedToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAccessibleName(action.text())
            button.setAutoRaise(True)
            buttons.addWidget(button)
            self.buttons[action.text()] = button
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(buttons)

        model = self.model
        model.dataChanged.connect(self._on_data_changed)
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._on_rows_changed)
        # Rows picked one by one move in one change of the layout (``move_rows``).
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self._on_rows_changed)
        for signal in (model.rowsInserted, model.rowsMoved, model.modelReset, model.layoutChanged):
            signal.connect(self._forget_undo)
        selection = self.view.selectionModel()
        selection.selectionChanged.connect(self._update_actions)
        selection.currentChanged.connect(self._update_actions)
        self._update_actions()

    def _action(
        self,
        text: str,
        short_text: str,
        shortcut: str | None,
        slot: Callable[[], object],
        icon: QIcon | None,
        *,
        shortcut_hint: str | None = None,
        context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    ) -> QAction:
        action = QAction(text, self)
        action.setIconText(short_text)
        if icon is not None:
            action.setIcon(icon)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # By default only while the attributes have focus: the rest of the window
            # keeps its keys (Ctrl+Z, Ctrl+D and Alt+arrows mean other things there).
            action.setShortcutContext(context)
        hint = shortcut_hint or (
            QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            if shortcut
            else None
        )
        action.setToolTip(f"{text} ({hint})" if hint else text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ---- operations (also what the buttons do) -------------------------------------------

    def selected_rows(self) -> list[int]:
        """Rows that are selected (each of their cells), or the current row when nothing is
        selected."""
        # Read from the selection's ranges: ``selectedRows`` asks the model's ``flags`` of
        # every cell selected, in Python, and this runs at every change of the selection
        # (Ctrl+A on 20,000 rows took 0.4 s).
        columns = self.model.columnCount()
        whole: set[int] = set()
        cells_of: dict[int, set[int]] = {}
        selection = self.view.selectionModel().selection()
        for block in (selection.at(i) for i in range(selection.count())):
            rows_in_block = range(block.top(), block.bottom() + 1)
            if block.left() == 0 and block.right() == columns - 1:
                whole.update(rows_in_block)
                continue
            for row in rows_in_block:
                cells_of.setdefault(row, set()).update(range(block.left(), block.right() + 1))
        whole.update(row for row, cells in cells_of.items() if len(cells) == columns)
        rows = sorted(whole)
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return rows

    @Slot()
    def add_row(self, *, open_editor: bool = True) -> int:
        """Append an empty row and start typing its key (its editor opened unless
        ``open_editor`` is false: its key cell current); returns the row.

        The steps Ctrl+Z takes back are kept: a row added after a removal (by Add, or by
        Enter in the last value), by mistake or to look, must not lose the rows removed.
        The row added is a step of its own once text is typed into it ("Undo add"):
        Ctrl+Z takes it back with that text, and the next Ctrl+Z the step before. While it
        is empty (or its text typed and taken back with Esc), it is no step: Ctrl+Z takes
        back the step before at once, and the empty row with it.
        """
        before = self.model.rows()
        with self._keeping_undo():
            row = self.model.append_empty_row()
            index = self.model.index(row, KEY_COLUMN)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            if open_editor:
                self.view.edit(index)
        if self._undo_steps:
            self._started_row = QPersistentModelIndex(self.model.index(row, KEY_COLUMN))
            self._start_step = _UndoStep("Undo add", before, [], KEY_COLUMN)
        return row

    @Slot()
    def remove_selected(self) -> None:
        """Remove the selected rows; the row after them becomes current."""
        pressed = self.buttons["Remove attribute"].hasFocus()
        # Remove clicked while a cell is edited: its row may go, and the focus with its
        # editor, to nothing. Closed first, the table takes the focus it had, where
        # Ctrl+Z works, and what was typed is kept (its own step).
        self.close_cell_editor()
        with self._updating_actions_once():
            removed = self._remove_selected()
        if removed and pressed and not self.model.rowCount():
            # The last row gone, Remove went off and Qt handed its focus on, out of the
            # attributes (to "Advanced"): the (empty) table keeps it, where Ctrl+Z works.
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_selected(self) -> bool:
        """Remove the selected rows, select the row after them; False when none is selected."""
        rows = self.selected_rows()
        if not rows:
            return False
        column = max(self.view.currentIndex().column(), KEY_COLUMN)
        before = self.model.rows()
        with self._keeping_undo():
            self.model.remove_rows(rows)
        self._remember_undo(_UndoStep("Undo remove", before, rows, column))
        if self.model.rowCount():
            row = min(rows[0], self.model.rowCount() - 1)
            self._select_rows([row], column)
        # The next row, now current, is read out: that the rows went would go unsaid.
        announce(self.view, f"Removed {counted(len(rows), 'row')}.")
        return True

    @Slot()
    def undo(self) -> None:
        """Take back the last removal, paste, row added, duplicated or moved, or cell's
        typing: the rows as they were, the same selected.

        Pressed again, it takes back the one before, and so on.
        """
        if not self._undo_steps:
            return
        step = self._undo_steps.pop()
        self._forget_started_row()
        with self._updating_actions_once():
            with self._keeping_undo():
                self.model.set_rows(step.rows)
            self._select_rows([row for row in step.selected if row < len(step.rows)], step.column)
            self._name_undo()

    def _remember_undo(self, step: _UndoStep) -> None:
        # After the change, which kept the steps before it (``_keeping_undo``). A step
        # after the started row's covers it: typing in it then is any other change.
        if step is not self._start_step:
            self._forget_started_row()
        if self._typing is not None and step is not self._typing[1]:
            # Rows moved (or added, removed) while a cell is edited: typing on is a step of
            # its own, which takes back only what is typed from here, the rows kept.
            self._typing = None
        self._undo_steps.append(step)
        # The oldest go first: a long session of removals keeps the recent ones.
        del self._undo_steps[:-MAX_UNDO_STEPS]
        self._name_undo()

    def _name_undo(self) -> None:
        """Name the undo action after the step Ctrl+Z takes back next (it stays named after
        the last one taken back when none is left, and is then off)."""
        if self._undo_steps:
            name = self._undo_steps[-1].name
            self.undo_action.setText(name)
            self.undo_action.setIconText(name)
            hint = self.undo_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            self.undo_action.setToolTip(f"{name} ({hint})")
        self._update_actions()

    @contextmanager
    def _keeping_undo(self) -> Iterator[None]:
        """The table changes by a removal, a paste or Ctrl+Z: the rows each earlier step
        puts back are still the rows as they were before it, so the steps are kept."""
        self._changing_by_step = True
        try:
            yield
        finally:
            self._changing_by_step = False

    @contextmanager
    def _updating_actions_once(self) -> Iterator[None]:
        """Bring the buttons up to date once, after the action run inside.

        An action changes rows, the current cell and the selection, each a signal that
        would walk the selected rows again: thousands of pasted rows made that seconds.
        """
        if self._holding_action_updates:  # inside another action, which updates them
            yield
            return
        self._holding_action_updates = True
        try:
            yield
        finally:
            self._holding_action_updates = False
            self._update_actions()

    @Slot()
    def duplicate_selected(self) -> None:
        """Copy the selected rows below the last of them and select the copies; Ctrl+Z
        takes the copies back."""
        rows = self.selected_rows()
        before = self.model.rows()
        with self._updating_actions_once():
            with self._keeping_undo():
                new_rows = self.model.duplicate_rows(rows)
            if new_rows:
                self._remember_undo(_UndoStep("Undo duplicate", before, rows, KEY_COLUMN))
                self._select_rows(new_rows, KEY_COLUMN)

    def move_selected(self, delta: int) -> None:
        """Move the selected rows up (``-1``) or down (``1``) together, keeping them selected.

        The rows move as a block: when one of them is at the edge, none moves.
        """
        action = self.move_up_action if delta < 0 else self.move_down_action
        pressed = self.buttons[action.text()].hasFocus()
        with self._updating_actions_once():
            moved = self._move_selected(delta)
        if moved and pressed and not action.isEnabled():
            # At the edge now, the button pressed went off and Qt handed its focus on, out
            # of the attributes (to "Advanced"): the table, on the rows moved, keeps it.
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _move_selected(self, delta: int) -> bool:
        """Move the selected rows by ``delta`` and select them; False when none is selected."""
        rows = self.selected_rows()
        if not rows:
            return False
        current = self.view.currentIndex()
        before = self.model.rows()
        with self._keeping_undo():
            moved = self.model.move_rows(rows, delta)
        shift = moved[0] - rows[0]
        column = max(current.column(), KEY_COLUMN)
        if shift:
            self._remember_undo(_UndoStep("Undo move", before, rows, column))
        current_row = current.row() + shift if current.row() in rows else moved[0]
        self._select_rows(moved, column, current_row=current_row)
        return True

    def focus_row(self, row: int | None, column: int | None = None) -> QWidget:
        """Give the table the focus, on ``row`` (a row at fault) when there is one; returns
        the widget focused.

        The table itself takes the focus, not a cell editor: it says what is wrong with
        it (its description lists the problems), and the current row is the one at fault,
        its current cell the one at fault (the value, when that is what is missing: a key
        typed there starts filling it in). The table's mark tells that cell; ``column``
        tells it in a row the table does not mark (one only the form's check refuses, an
        API key pasted into its value), else the key.
        """
        if row is not None and 0 <= row < self.model.rowCount():
            marked = self.model.problem_column(row)
            at_fault = marked if marked is not None else column
            self._select_rows([row], KEY_COLUMN if at_fault is None else at_fault)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return self.view

    def close_cell_editor(self) -> None:
        """Close the open cell editor, keeping what was typed in it; the table takes the
        focus the editor had.

        A send takes the table as it is: left open, the editor would take the Esc meant to
        cancel the send, and put back the text its cell held before editing.
        """
        for editor in self._delegate.open_editors():
            # Nothing to commit: every change typed is in the model already (_CellDelegate).
            # No hint: neither Esc's (put the text back) nor Enter's (add a row).
            self._delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def revert_editor(self, editor: QWidget) -> None:
        """Put back the text ``editor``'s cell held when editing began (Esc)."""
        self._delegate.revert(editor)

    @Slot()
    def copy_selected_rows(self) -> None:
        """Put the selected rows on the clipboard as tab-separated text."""
        rows = self.selected_rows()
        if not rows:
            return
        all_rows = self.model.rows()
        QApplication.clipboard().setText(copy_text_for_rows([all_rows[r] for r in rows]))

    @Slot()
    def paste(self) -> None:
        """Paste the clipboard's text (``paste_text``)."""
        self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Paste ``text`` as a spreadsheet would: one cell's text goes into the current
        cell (``_cell_text_pasted``); more goes as ``_paste_block`` says: rows whose keys
        are those of the rows from the current one down fill in their values (in any order
        when all those rows wait for their values), one column of cells on a Value cell
        fills the values down from it, and any other rows are added below the selected
        ones. Ctrl+Z takes any of them back in one step.

        Columns beyond the second are left out, and a notice under the table says so.
        """
        if not text.strip():
            return
        current = self.view.currentIndex()
        with self._updating_actions_once():
            selected = self.selected_rows()
            undo = _UndoStep(
                "Undo paste", self.model.rows(), selected, max(current.column(), KEY_COLUMN)
            )
            cell_text = self._cell_text_pasted(text, current)
            if cell_text is None:
                self._paste_block(
                    text, current, below=selected[-1] if selected else None, undo=undo
                )
                return
            with self._keeping_undo():
                if not current.isValid():
                    row = self.model.append_empty_row()
                    current = self.model.index(row, KEY_COLUMN)
                self.model.setData(current, cell_text, Qt.ItemDataRole.EditRole)
            self.view.setCurrentIndex(current)
            self._remember_undo(undo)

    def _cell_text_pasted(self, text: str, current: QModelIndex) -> str | None:
        """What a paste of ``text`` puts into the ``current`` cell, or None when it is rows.

        One cell, as a spreadsheet copies it (``single_cell_text``: a comment with line
        breaks in it included), goes into the cell. So does one line with commas in it
        (``Strong communication, needs coaching on SQL``) pasted on the empty value of a
        row that has a key: that key is waiting for its value. Anywhere else such a line
        reads as a key and a value, a row of its own, and so does ``Score: 100%`` even there.
        """
        cell = single_cell_text(text)
        if cell is None and self._awaits_its_value(current) and not is_assignment_line(text):
            cell = single_cell_text(text, commas_separate=False)
        # Trimmed, as the keys and values of pasted rows are.
        return None if cell is None else cell.strip()

    def _awaits_its_value(self, index: QModelIndex) -> bool:
        """True for the empty Value cell of a row that has a key."""
        if not index.isValid() or index.column() != VALUE_COLUMN:
            return False
        key = self.model.index(index.row(), KEY_COLUMN).data(Qt.ItemDataRole.EditRole)
        return not is_blank(key or "") and is_blank(index.data(Qt.ItemDataRole.EditRole) or "")

    def _paste_block(
        self, text: str, current: QModelIndex, *, below: int | None, undo: _UndoStep
    ) -> None:
        """Paste ``text``, more than one cell, at ``current``; remember ``undo``.

        Rows whose keys are those of the rows from the current one down fill in their
        values (``_matched_first_row``), and any rows past the table's last one are added
        after it; when those rows all wait for their values, the keys may come in any
        order (``_values_by_key``). Else, on a Value cell, one column fills the values
        down (``_column_of_values``). Anything else is rows, added below row ``below``.
        What was done is said (``_pasted_words``).
        """
        pasted = parse_key_value_block(text)
        headings = self._headings_row(pasted)
        if headings:
            pasted = replace(pasted, rows=pasted.rows[1:])
        first = self._matched_first_row(pasted)
        said = ""
        # A column of values has no second column to speak of: the cells had commas.
        columns_left_out = pasted.extra_columns_left_out
        if first is not None:
            filled = self.model.rowCount() - first
            matched_values = [value for _key, value in pasted.rows[:filled]]
            said = self._fill_values(
                first, matched_values, undo=undo, rows_after=pasted.rows[filled:]
            )
        elif (by_key := self._values_by_key(pasted)) is not None:
            values_by_row, rows_after = by_key
            top, bottom = min(values_by_row), max(values_by_row)
            table = self.model.rows()
            # The rows between those filled keep their (blank) values as they are.
            values = [values_by_row.get(row, table[row][1]) for row in range(top, bottom + 1)]
            said = self._fill_values(
                top, values, undo=undo, rows_after=rows_after, filled=len(values_by_row)
            )
        elif (column := self._column_of_values(text, current)) is not None:
            said = self._fill_values(current.row(), column, undo=undo)
            columns_left_out = False
        else:
            with self._keeping_undo():
                self.insert_pasted_rows(list(pasted.rows), below=below)
            if pasted.rows:
                self._remember_undo(undo)
                said = _pasted_words(0, len(pasted.rows))
        notices = [
            READ_ACROSS_NOTICE if pasted.read_across else "",
            HEADINGS_NOTICE if headings else "",
            EXTRA_COLUMNS_NOTICE if columns_left_out else "",
        ]
        notice = " ".join(filter(None, notices))
        if notice:
            # Said with what the paste did: a second announcement may cut the first short.
            self._show_notice(notice, spoken=False)
            said = f"{said} {notice}".strip()
        if said:
            # The new current cell is all a screen reader reads otherwise: whether the
            # paste filled values in or added rows would go unsaid.
            announce(self.view, said)

    def _column_of_values(self, text: str, current: QModelIndex) -> tuple[str, ...] | None:
        """The cells of ``text`` when it is one column pasted on the Value cell
        ``current`` (``column_cells``), else None.

        Lines with commas (``SQL, Python``) are rows, unless each lands on the empty value
        of a row with a key: as for one such line (``_cell_text_pasted``), those keys are
        waiting for their values, and the lines are comments, not keys.
        """
        if current.column() != VALUE_COLUMN:
            return None
        values = column_cells(text)
        if values is not None:
            return values
        values = column_cells(text, commas_separate=False)
        if values is None or current.row() + len(values) > self.model.rowCount():
            return None
        rows = range(current.row(), current.row() + len(values))
        awaiting = all(self._awaits_its_value(self.model.index(row, VALUE_COLUMN)) for row in rows)
        return values if awaiting else None

    def _headings_row(self, pasted: PastedRows) -> bool:
        """True when the block's first row reads as its column headings (``Metric``,
        ``Result``) and is none of the attributes: each row under it has the key of a
        row waiting for its value, from the current one down (``_values_by_key``), and
        its own key is none of the table's.

        After "Next candidate" the next person's rows are pasted with the headings of
        the sheet they were copied from: added as a row, those headings would be sent as
        an attribute for every candidate, at the table's end where nobody looks.
        Headings of the known words (``Key``, ``Value``) the block's reading drops.
        """
        rows = pasted.rows
        # A heading is never a value ("85%", a web address): such a first row is the
        # next candidate's own, a row more.
        if len(rows) < 2 or pasted.read_across or is_value_only(rows[0][1]):
            return False
        first_key = same_key(rows[0][0])
        if any(same_key(key) == first_key for key, _value in self.model.rows()):
            return False
        under = self._values_by_key(replace(pasted, rows=rows[1:]))
        return under is not None and not under[1]

    def _matched_first_row(self, pasted: PastedRows) -> int | None:
        """The current row when the pasted rows' keys are the keys of the rows from it
        down, in the same order (``same_key``: as the table compares keys); else None.
        Pasted rows may go past the table's last row when the rows they match are all
        waiting for their values: the rows past it are rows to add.

        After "Next candidate" the keys stay and the values are empty: the next
        candidate's rows, copied with their keys, are that candidate's values, not
        rows to add under the same keys as duplicates; and a row that candidate has
        more (a comment) is one more row, not a reason to add the others again. Rows
        with their values in place keep them from a block that only starts with their
        keys: it is rows to add.
        """
        row = self.view.currentIndex().row()
        keys = [key for key, _value in pasted.rows]
        if not 0 <= row < self.model.rowCount() or not keys:
            return None
        table_rows = self.model.rows()[row : row + len(keys)]
        if len(table_rows) < len(keys) and not all(is_blank(value) for _key, value in table_rows):
            return None
        matched = all(
            not is_blank(key) and same_key(key) == same_key(table_key)
            for key, (table_key, _value) in zip(keys, table_rows, strict=False)
        )
        return row if matched else None

    def _values_by_key(
        self, pasted: PastedRows
    ) -> tuple[dict[int, str], list[tuple[str, str]]] | None:
        """The pasted values by the row whose key they have, and the pasted rows whose
        keys the table has not (to add at its end), when every row from the current one
        down waits for its value; else None.

        After "Next candidate" the keys stay and the values are empty: the next
        candidate's rows copied in another order (another sheet, sorted) are still those
        keys' values, not rows to add under the same keys. Each pasted key must be the
        key (``same_key``) of one waiting row at most, and be pasted once; one key at
        least must match, with a value. A table with values in it, or keys twice, is left to the
        other ways of pasting: which value a paste was meant to write over is unsure.
        """
        current = self.view.currentIndex().row()
        table = self.model.rows()
        if not 0 <= current < len(table):
            return None
        waiting: dict[str, int] = {}
        for row in range(current, len(table)):
            key, value = table[row]
            if is_blank(key) and is_blank(value):
                continue  # an empty row is no row waiting, and in no one's way
            if is_blank(key) or not is_blank(value) or same_key(key) in waiting:
                return None
            waiting[same_key(key)] = row
        keys_above = {same_key(key) for key, _value in table[:current]}
        values_by_row: dict[int, str] = {}
        rows_after: list[tuple[str, str]] = []
        for key, value in pasted.rows:
            keyed = not is_blank(key)
            matched = waiting.get(same_key(key)) if keyed else None
            if matched in values_by_row:
                return None  # the same key pasted twice
            if matched is not None:
                values_by_row[matched] = value
            elif keyed and same_key(key) in keys_above:
                return None  # added at the end, the key would be there twice
            else:
                rows_after.append((key, value))
        # Keys alone (a column of keys copied) fill nothing in: they are no values.
        if all(is_blank(value) for value in values_by_row.values()):
            return None
        return values_by_row, rows_after

    def _fill_values(
        self,
        first_row: int,
        values: Sequence[str],
        *,
        undo: _UndoStep,
        rows_after: Sequence[tuple[str, str]] = (),
        filled: int | None = None,
    ) -> str:
        """Write ``values`` into the Value cells from ``first_row`` down (rows past the end
        added with an empty key), then add ``rows_after`` at the end; select those rows;
        remember ``undo``, which takes back both at once. Returns what was done, to say
        (``_pasted_words``): ``filled`` values, when not every one written was pasted."""
        rows_before = self.model.rowCount()
        with self._keeping_undo():
            written = self.model.fill_values(first_row, values)
            if rows_after:
                end = self.model.rowCount()
                self.model.insert_rows_at(end, list(rows_after))
                written += range(end, end + len(rows_after))
        if not written:
            return ""
        # As a spreadsheet leaves a pasted range: selected, its top cell current.
        self._select_rows(written, VALUE_COLUMN)
        self._remember_undo(undo)
        if filled is None:
            filled = min(len(values), rows_before - first_row)
        return _pasted_words(filled, self.model.rowCount() - rows_before)

    def insert_pasted_rows(self, rows: list[tuple[str, str]], *, below: int | None) -> None:
        """Insert parsed rows below row ``below`` (at the end for None) and select them.

        A paste goes below the last selected row, as Duplicate puts its copies: pasted
        rows stay selected, so a second paste goes after the first block, not into it.
        The first pasted row is current, as a spreadsheet leaves its top cell after a
        paste, where a screen reader starts reading. When row ``below`` is entirely
        empty, the rows take its place, so pasting into a fresh form leaves no blank row.
        """
        if not rows:
            return
        if below is None or not 0 <= below < self.model.rowCount():
            at = self.model.rowCount()
        else:
            at = below + 1
            key, value = self.model.rows()[below]
            if not key.strip() and not value.strip():
                at = below
                self.model.remove_rows([at])
        self.model.insert_rows_at(at, rows)
        self._select_rows(list(range(at, at + len(rows))), KEY_COLUMN)

    @Slot(QWidget, str)
    def _paste_from_editor(self, editor: QWidget, text: str) -> None:
        # Keep what was typed in the cell, close the editor, then paste ``text`` as on the
        # table, from the editor's cell (its row selected now, whatever was selected
        # before editing began).
        self._delegate.commitData.emit(editor)
        self._delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        current = self.view.currentIndex()
        if current.isValid():
            self._select_rows([current.row()], current.column())
        self.paste_text(text)

    def _select_rows(self, rows: list[int], column: int, *, current_row: int | None = None) -> None:
        if not rows:
            return
        # One range per run of rows, not one per row: Qt walks every range for every row
        # it asks about, and a pasted block of thousands of rows would take seconds.
        selection = QItemSelection()
        for first, last in _row_runs(rows):
            selection.append(
                QItemSelectionRange(
                    self.model.index(first, KEY_COLUMN), self.model.index(last, VALUE_COLUMN)
                )
            )
        selection_model = self.view.selectionModel()
        current = self.model.index(rows[0] if current_row is None else current_row, column)
        selection_model.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.view.scrollTo(current)

    # ---- context menu --------------------------------------------------------------------

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        selected = self.selected_rows()
        if index.isValid() and index.row() not in selected:
            self._select_rows([index.row()], index.column())
            selected = [index.row()]
        from PySide6.QtWidgets import QMenu  # only when asked for: not on the start-up path

        menu = QMenu(self)
        self.copy_action.setEnabled(bool(selected))
        self.paste_action.setEnabled(bool(QApplication.clipboard().text().strip()))
        for action in (self.add_action, self.duplicate_action, self.remove_action):
            menu.addAction(action)
        if self._undo_steps:
            menu.addAction(self.undo_action)
        menu.addSeparator()
        menu.addAction(self.move_up_action)
        menu.addAction(self.move_down_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        menu.addAction(self.paste_action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    # ---- change tracking -----------------------------------------------------------------

    def _on_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: list[int]
    ) -> None:
        self._update_problems()
        # Problem highlighting also signals dataChanged; only text changes are "changed".
        if not roles or _TEXT_ROLES.intersection(int(getattr(r, "value", r)) for r in roles):
            if self._in_started_row(top_left, bottom_right):
                self._follow_started_row()
            elif not self._follow_typing(top_left, bottom_right):
                self._forget_undo()
            self._show_notice("")
            self.changed.emit()

    @Slot()
    def _on_rows_changed(self) -> None:
        self._update_problems()
        self._update_actions()
        self._show_notice("")
        self.changed.emit()

    def _show_notice(self, text: str, *, spoken: bool = True) -> None:
        """Show ``text`` under the table and say it now (unless the caller says it with
        more: not ``spoken``), or hide the notice with ``""``."""
        if text == self.notice_label.text():
            return
        show_text(self.notice_label, text)
        self.notice_label.setVisible(bool(text))
        if text and spoken:
            # The notice appears away from the focus (on the table or a cell): say it.
            announce(self.view, text)

    @Slot()
    def _forget_undo(self) -> None:
        # Putting the rows back as they were is only right while nothing else changed.
        if self._changing_by_step:
            return
        self._forget_started_row()
        # Typing on in the editor open now takes back only what is typed from here.
        self._typing = None
        if self._undo_steps:
            self._undo_steps.clear()
            self._update_actions()

    def _forget_started_row(self) -> None:
        self._started_row = None
        self._start_step = None

    def _in_started_row(self, top_left: QModelIndex, bottom_right: QModelIndex) -> bool:
        """True when the cells from ``top_left`` to ``bottom_right`` are in the row a key
        started (``add_row``), and only there."""
        started = self._started_row
        if started is None or not started.isValid() or self._changing_by_step:
            return False
        return top_left.row() == bottom_right.row() == started.row()

    def _follow_typing(self, top_left: QModelIndex, bottom_right: QModelIndex) -> bool:
        """Make text typed into a cell's editor a step ("Undo typing"): a key pressed on a
        cell by mistake replaces all its text, and Ctrl+Z must bring it back once the
        editor has closed, as in a spreadsheet. Typed back to what the cell held (Esc, or
        by hand), it is no step. False when the change is not typing in an open editor."""
        if self._changing_by_step or top_left != bottom_right:
            return False
        editing = self._delegate.editing(top_left)
        if editing is None:
            return False
        editor, before = editing
        if self._typing is None or self._typing[0] is not editor:
            rows = self.model.rows()
            key, value = rows[top_left.row()]
            rows[top_left.row()] = (
                (before, value) if top_left.column() == KEY_COLUMN else (key, before)
            )
            step = _UndoStep("Undo typing", rows, [top_left.row()], top_left.column())
            self._typing = (editor, step)
        step = self._typing[1]
        remembered = bool(self._undo_steps) and self._undo_steps[-1] is step
        typed_back = (top_left.data(Qt.ItemDataRole.EditRole) or "") == before
        if typed_back and remembered:
            self._undo_steps.pop()
            self._name_undo()
        elif not typed_back and not remembered:
            self._remember_undo(step)
        return True

    def _follow_started_row(self) -> None:
        """Text typed in the row a key started makes it a step ("Undo add"); taken out
        again (Esc, or every character deleted), the row is no step."""
        started, step = self._started_row, self._start_step
        if started is None or step is None:
            return
        empty = all(
            is_blank(self.model.index(started.row(), column).data(Qt.ItemDataRole.EditRole) or "")
            for column in (KEY_COLUMN, VALUE_COLUMN)
        )
        remembered = bool(self._undo_steps) and self._undo_steps[-1] is step
        if empty and remembered:
            self._undo_steps.pop()
            self._name_undo()
        elif not empty and not remembered:
            self._remember_undo(step)

    def _update_problems(self) -> None:
        problems = self.model.problems()
        if not problems:
            show_text(self.problem_label, "")
            self.problem_label.hide()
            mark_field(self.view, "", description=_TABLE_DESCRIPTION)
            return
        listed = [
            f"{text[:1].lower()}{text[1:]} (row {row + 1})"
            for row, text in sorted(problems.items())[:_MAX_PROBLEMS_LISTED]
        ]
        more = "…" if len(problems) > _MAX_PROBLEMS_LISTED else ""
        text = f"{counted(len(problems), 'problem')}: " + "; ".join(listed) + more
        show_text(self.problem_label, text)
        self.problem_label.show()
        # The rows at fault are tinted by the model; the frame says the table as a whole
        # needs attention, as a line edit at fault does.
        mark_field(self.view, text, description=_TABLE_DESCRIPTION)

    @Slot()
    def _update_actions(self) -> None:
        if self._holding_action_updates:
            return
        rows = self.selected_rows()
        count = self.model.rowCount()
        self.remove_action.setEnabled(bool(rows))
        self.undo_action.setEnabled(bool(self._undo_steps))
        self.duplicate_action.setEnabled(bool(rows))
        # The selected rows move as a block, so the block's edges decide.
        self.move_up_action.setEnabled(bool(rows) and rows[0] > 0)
        self.move_down_action.setEnabled(bool(rows) and rows[-1] < count - 1)
