"""The attribute rows (``Score = 100%``) as an editable two-column table model.

Rows are kept exactly as typed, empty ones included, so the form never loses
what a person entered; the form hands them on as they are (``FormState`` leaves
blank rows out when sending, and names rows as numbered here). Problems that
would make Kombo Desktop refuse the form (a duplicate key, spaces, invisible
characters and capitals aside, a value without a key, or a key without a value) are
marked live on the affected rows, by the rules of ``attribute_rows`` that the request
is checked with: a key of spaces and invisible characters alone is no key there
either. The icon is on the cell at fault: the key's, or the value's when it is the
value that is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from kombo_desktop.core.attribute_rows import (
    AttributeRow,
    is_blank,
    is_value_problem,
    row_problems_of,
    same_key,
)
from kombo_desktop.core.connection import NO_HELD_KEYS, HeldKeys
from kombo_desktop.qt.field_marks import PROBLEM_TINT
from kombo_desktop.qt.icons import StatusKind, status_pixmap

__all__ = ["KEY_COLUMN", "VALUE_COLUMN", "AttributesModel"]

KEY_COLUMN = 0
VALUE_COLUMN = 1
#: The columns' headings, by column: words about a cell name it so.
HEADERS = ("Key", "Value")

_ROLES_OF_PROBLEMS = [
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.AccessibleDescriptionRole,
]

AnyIndex = QModelIndex | QPersistentModelIndex
#: Every cell's flags, made once: Qt asks them of each cell at each change of a selection
#: (40,000 times for Ctrl+A on 20,000 rows), and combining them anew took most of that time.
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable


class AttributesModel(QAbstractTableModel):
    """Editable ``Key`` / ``Value`` rows with live problem marking."""

    def __init__(self, rows: Iterable[tuple[str, str]] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Each row a tuple, replaced when a cell changes: the rows' tuple (``frozen_rows``)
        # is then made of them at C's pace, not row by row, at each change of thousands.
        self._rows: list[AttributeRow] = [(key, value) for key, value in rows]
        #: The rows as one immutable tuple, made again at each change (``frozen_rows``).
        self._frozen: tuple[AttributeRow, ...] = ()
        #: The keys the window sends with (``set_held_keys``): a mark never names them.
        self._held: HeldKeys = NO_HELD_KEYS
        self._problems: Mapping[int, str] = self._find_problems()
        self._problem_icon: QIcon | None = None

    # ---- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (the table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        """Always two: key and value."""
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Column titles, and row numbers counted from 1 as messages name them."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """Every cell is selectable and editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _CELL_FLAGS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text for display and editing; tooltip, colour and icon for rows with a problem."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[row][column]
        problem = self._problems.get(row)
        if problem is None:
            return None
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return self._problem_tooltip(row, problem)
        if role == Qt.ItemDataRole.BackgroundRole:
            return PROBLEM_TINT
        if role == Qt.ItemDataRole.DecorationRole and column == self._column_of(problem):
            return self._icon()
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Store typed text; problems of every affected row update at once."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = "" if value is None else str(value)
        row, column = index.row(), index.column()
        if self._rows[row][column] == text:
            return True
        key, old_value = self._rows[row]
        self._rows[row] = (text, old_value) if column == KEY_COLUMN else (key, text)
        # Problems are recomputed before any signal, so listeners never see stale ones.
        affected = self._recompute_problems()
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self._announce_problems(affected)
        return True

    # ---- rows as the form sees them ------------------------------------------------------

    def rows(self) -> list[tuple[str, str]]:
        """Every row as typed, empty rows included."""
        return list(self._rows)

    def frozen_rows(self) -> tuple[AttributeRow, ...]:
        """Every row as typed, as one tuple: the very same tuple until a row changes.

        The form reads its state at every key typed in any field; with thousands of rows,
        what was worked out from them is then known again by this tuple, not by reading
        the rows again (``attribute_rows.KeptForLast``).
        """
        return self._frozen

    def set_rows(self, rows: Iterable[tuple[str, str]]) -> None:
        """Replace all rows (loading a draft or a template)."""
        self.beginResetModel()
        self._rows = [(str(key), str(value)) for key, value in rows]
        self._problems = self._find_problems()
        self.endResetModel()

    def problems(self) -> dict[int, str]:
        """Row → problem text, e.g. ``Duplicate key “Score”``, ``Key is empty`` or
        ``Value is empty``."""
        return dict(self._problems)

    def set_held_keys(self, held: HeldKeys) -> None:
        """The keys the window sends with, whatever their shape: a duplicate key holding one
        is marked without naming it (``Duplicate key (an API key)``), as one holding a Kombo
        key; the rows marked again when that changes a mark."""
        if held == self._held:
            return
        self._held = held
        old = self._problems
        # The rows are as they were: their tuple is kept, and what was found from it too.
        self._problems = row_problems_of(self._frozen, held)
        if self._problems is not old:
            self._announce_problems(set(old) | set(self._problems))

    def held_keys(self) -> HeldKeys:
        """The keys given to ``set_held_keys``, that the marks never name."""
        return self._held

    def problem_column(self, row: int) -> int | None:
        """The column of the cell at fault in ``row`` (``KEY_COLUMN`` or ``VALUE_COLUMN``),
        ``None`` when the row has no problem."""
        problem = self._problems.get(row)
        return None if problem is None else self._column_of(problem)

    # ---- editing operations --------------------------------------------------------------

    def insert_rows_at(self, row: int, rows: list[tuple[str, str]]) -> None:
        """Insert ``rows`` before ``row`` (clamped to the table; the end when past it)."""
        self._announce_problems(self._insert_rows(row, rows))

    def _insert_rows(self, row: int, rows: list[tuple[str, str]]) -> set[int]:
        """Insert ``rows`` as ``insert_rows_at`` does, but leave their problems unsaid;
        returns the rows whose marks to announce (``_announce_problems``)."""
        if not rows:
            return set()
        row = max(0, min(row, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row + len(rows) - 1)
        self._rows[row:row] = [(str(key), str(value)) for key, value in rows]
        affected = self._recompute_problems()
        self.endInsertRows()
        return affected

    def append_empty_row(self) -> int:
        """Add an empty row at the end; returns its number."""
        row = len(self._rows)
        self.insert_rows_at(row, [("", "")])
        return row

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Remove the given rows (any order, duplicates and out-of-range numbers ignored)."""
        wanted = sorted({r for r in rows if 0 <= r < len(self._rows)}, reverse=True)
        affected: set[int] = set()
        # Remove contiguous runs from the bottom up, so earlier numbers stay valid.
        while wanted:
            last = first = wanted.pop(0)
            while wanted and wanted[0] == first - 1:
                first = wanted.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            affected |= self._recompute_problems()
            self.endRemoveRows()
        self._announce_problems(affected)

    def duplicate_rows(self, rows: Iterable[int]) -> list[int]:
        """Insert copies of ``rows`` after the last of them, in order; returns the new rows."""
        wanted = sorted({r for r in rows if 0 <= r < len(self._rows)})
        if not wanted:
            return []
        copies = [(self._rows[r][0], self._rows[r][1]) for r in wanted]
        at = wanted[-1] + 1
        self.insert_rows_at(at, copies)
        return list(range(at, at + len(copies)))

    def move_rows(self, rows: Iterable[int], delta: int) -> list[int]:
        """Move the given rows together by ``delta`` places; returns where they ended up.

        The rows keep their spacing, and the other rows their order. The step is
        clamped so that the whole block stays in the table: a block already at the
        top (or bottom) does not move at all. Out-of-range numbers are ignored.
        """
        wanted = sorted({r for r in rows if 0 <= r < len(self._rows)})
        if not wanted:
            return []
        delta = max(-wanted[0], min(delta, len(self._rows) - 1 - wanted[-1]))
        if delta == 0:
            return wanted
        runs: list[tuple[int, int]] = []
        for row in wanted:
            if runs and runs[-1][1] == row - 1:
                runs[-1] = (runs[-1][0], row)
            else:
                runs.append((row, row))
        # Each run lands on its final place while only passing rows that stay put: going
        # up, the top run first; going down, the bottom run first.
        if delta > 0:
            runs.reverse()
        if len(runs) == 1:
            first, last = runs[0]
            # Qt wants the destination as "insert before this row" in the pre-move numbering.
            destination = first + delta if delta < 0 else last + delta + 1
            self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), destination)
            self._move_run(self._rows, first, last, delta)
            affected = self._recompute_problems()
            self.endMoveRows()
        else:
            # Rows picked one by one: one change of the layout, not one move (and one
            # search for marks) a run, which for hundreds of runs took seconds.
            self.layoutAboutToBeChanged.emit()
            order = list(range(len(self._rows)))
            for first, last in runs:
                self._move_run(order, first, last, delta)
            self._rows = [self._rows[row] for row in order]
            now_at = {row: place for place, row in enumerate(order)}
            moved = self.persistentIndexList()
            self.changePersistentIndexList(
                moved, [self.index(now_at[index.row()], index.column()) for index in moved]
            )
            affected = self._recompute_problems()
            self.layoutChanged.emit()
        self._announce_problems(affected)
        return [row + delta for row in wanted]

    @staticmethod
    def _move_run(items: list[Any], first: int, last: int, delta: int) -> None:
        """Move ``items[first:last + 1]`` by ``delta`` places in ``items``."""
        block = items[first : last + 1]
        del items[first : last + 1]
        items[first + delta : first + delta] = block

    def fill_values(self, first_row: int, values: Sequence[str]) -> list[int]:
        """Write ``values`` into the Value cells from ``first_row`` down, as a column pasted
        in a spreadsheet does, adding rows with an empty key past the end; returns the rows
        written.

        One change for the whole column: problems are found and announced once, not once a
        cell, nor once for the cells written over and again for the rows added (the table's
        list of problems would first be read out for a column pasted halfway).
        """
        first_row = max(0, min(first_row, len(self._rows)))
        if not values:
            return []
        written_over = [str(value) for value in values[: len(self._rows) - first_row]]
        for row, value in enumerate(written_over, start=first_row):
            self._rows[row] = (self._rows[row][KEY_COLUMN], value)
        added = [("", str(value)) for value in values[len(written_over) :]]
        # The rows added are checked with the values just written above them: their
        # insertion is the one moment the problems change.
        affected = (
            self._insert_rows(len(self._rows), added) if added else self._recompute_problems()
        )
        if written_over:
            self.dataChanged.emit(
                self.index(first_row, VALUE_COLUMN),
                self.index(first_row + len(written_over) - 1, VALUE_COLUMN),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole],
            )
        self._announce_problems(affected)
        return list(range(first_row, first_row + len(values)))

    # ---- problems ------------------------------------------------------------------------

    def _find_problems(self) -> Mapping[int, str]:
        """The problems of the rows as they are now; every change of the rows comes here,
        before any signal, so ``frozen_rows`` is made again here too."""
        self._frozen = tuple(self._rows)
        # The form checks the same tuple at the next key: it finds these problems kept.
        return row_problems_of(self._frozen, self._held)

    def _recompute_problems(self) -> set[int]:
        """Update the problems; returns the rows that are or were marked."""
        old = self._problems
        self._problems = self._find_problems()
        # Every row that is or was marked is repainted: marks and texts ("row N") move.
        return set(old) | set(self._problems)

    def _announce_problems(self, rows: set[int]) -> None:
        # One signal from the first row to the last, not one per row: each makes the
        # editor list the problems again, and thousands of duplicated rows took seconds.
        # The rows between repaint with them, which is cheap.
        shown = [r for r in rows if r < len(self._rows)]
        if shown:
            self.dataChanged.emit(
                self.index(min(shown), KEY_COLUMN),
                self.index(max(shown), VALUE_COLUMN),
                _ROLES_OF_PROBLEMS,
            )

    @staticmethod
    def _column_of(problem: str) -> int:
        return VALUE_COLUMN if is_value_problem(problem) else KEY_COLUMN

    def _problem_tooltip(self, row: int, problem: str) -> str:
        if is_value_problem(problem):
            return (
                f"{problem}: this row has a key but no value. Type a value, or remove the row "
                "to send without it."
            )
        typed = self._rows[row][KEY_COLUMN]
        if is_blank(typed):
            return f"{problem}: this row has a value but no key. Type a key or clear the value."
        key = same_key(typed)
        first = next(r for r, (k, _v) in enumerate(self._rows) if same_key(k) == key)
        return f"{problem}: row {first + 1} already uses this key. Kombo needs each key only once."

    def _icon(self) -> QIcon:
        if self._problem_icon is None:
            # The app's own error badge (as in the response panel), in the colour of every
            # other mark at fault; the style's icon would load QStyle's large enums in the
            # middle of typing.
            app = QApplication.instance()
            ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
            self._problem_icon = QIcon(status_pixmap(StatusKind.ERROR, 16, ratio))
        return self._problem_icon
