"""Find a candidate (or one of their applications) in Kombo and pick its ID.

The search runs through ``ApiWorker``, never on the GUI thread. Results show
one row per candidate with a child row per application; paging follows
Kombo's cursor with "Load more". In Application mode only an application can
be picked (a candidate with exactly one application stands for it). A pick
carries a few words on whose ID it is, for the form to show next to the ID.
An answer moves the focus to the results only when the person waited for it, not
when they went on typing meanwhile. A wait Kombo asks for (a rate limit) is counted
down as the main window's panel counts it; Kombo's warnings on the pages loaded are
shown under the status, and are part of what the status says. What was typed is read
into the address or the name searched by ``core.search_terms``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent, QKeyEvent, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.candidate_rows import Cell, FoundRow, rows_of
from kombo_desktop.core.client import CandidateSearchOutcome, KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.messages import (
    FIND_CONNECTION_CHANGED,
    FIND_WITHOUT_CONNECTION,
    NONE_ON_THIS_PAGE,
    SEARCH_MATCHES_EXACTLY,
    describe_error,
    email_field_holds_no_address,
    is_cancellation,
    listed_warnings,
    no_candidates_match,
    searched_as_name,
    warning_words,
    warnings_heading,
)
from kombo_desktop.core.models import TargetKind
from kombo_desktop.core.search_terms import (
    as_name_searched,
    split_name,
    the_one_address_among_words,
    with_accents_composed,
)
from kombo_desktop.core.sentences import as_sentence, counted
from kombo_desktop.core.text import (
    email_address_in,
    strip_edges,
)
from kombo_desktop.qt.connection_source import integration_of
from kombo_desktop.qt.links import tooltip_text
from kombo_desktop.qt.log_link import KomboLogLink
from kombo_desktop.qt.response_panel import RateLimitWaits, WaitCountdown
from kombo_desktop.qt.settings import room_for
from kombo_desktop.qt.spoken import announce, show_text
from kombo_desktop.qt.worker import ApiWorker, Job

__all__ = ["CandidateLookupDialog"]

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
APPLICATION_IDS_ROLE = Qt.ItemDataRole.UserRole + 3
#: Who or what the row's ID belongs to, in a few words: "Anna Smith · anna@example.com".
WORDS_ROLE = Qt.ItemDataRole.UserRole + 4

_CANDIDATE = "candidate"
_APPLICATION = "application"
#: The last column tells apart two people of the same name (and perhaps the same email,
#: in two records of the ATS) without a hover.
_COLUMNS = ("Name / job", "Email / stage", "Applications / outcome", "Kombo ID")
_EMAIL_COLUMN = 1
#: At most about this many cells are made at a time for a page's rows, the rest at the
#: event loop's next turns: a page of 50 candidates with 50 applications each is 10,000
#: cells, some 60 ms to make, and the dialog paints and takes keys between them. The rows
#: go into the results together once made: added a few at a time, the whole tree was
#: laid out again at each turn.
_CELLS_AT_A_TIME = 800
#: How many rows the columns are fitted to (``QHeaderView.resizeContentsPrecision``).
_ROWS_MEASURED = 100
#: The fewest result rows, and average characters across, the results show at the
#: dialog's smallest.
_ROWS_ALWAYS_SHOWN = 3
_CHARACTERS_ALWAYS_SHOWN = 110
#: The widest the email column grows to fit its longest address, in average characters:
#: a longer one would push the Kombo ID out of sight. It is elided; the tooltip and a
#: wider column (drag its edge) show it whole.
_EMAIL_COLUMN_CHARACTERS = 34
#: Keys that reach the results without choosing a row there: modifiers pressed on their
#: own, Esc (which stops a running search), and Tab and Shift+Tab (which leave; coming
#: back finds the same row current, still chosen by nobody).
_KEYS_THAT_CHOOSE_NO_ROW = frozenset(
    {
        Qt.Key.Key_Tab,
        Qt.Key.Key_Backtab,
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_Escape,
    }
)
#: Said when Enter in the results picks nothing because the row was the dialog's choice.
CHOOSE_A_ROW_FIRST = "Choose a row with the arrow keys or a click, then press Enter to pick it."

#: Said in Application mode for a candidate without applications: the result can still go
#: to the candidate, which is the Target type's other choice.
NO_APPLICATIONS_TO_PICK = (
    "This candidate has no applications to attach the result to. To add it to the "
    "candidate instead, close the search, choose Candidate as the target type, and search "
    "again."
)

#: Where the dialog's focus is: the widget, and the text it holds when it is a search
#: field (typing there is moving on as much as going elsewhere is).
_FocusSpot = tuple[QWidget | None, str | None]


def _is_enter(event: QEvent) -> bool:
    """True for a press of Enter or Return."""
    return (
        event.type() == QEvent.Type.KeyPress
        and isinstance(event, QKeyEvent)
        and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
    )


class _FoundPage(NamedTuple):
    """A page of a search, and its candidates as shown (``rows_of``): plain data, made
    off the GUI thread (Qt objects a thread other than the GUI's frees as the app quits
    abort it: ``garbage``)."""

    search: CandidateSearchOutcome
    rows: tuple[FoundRow, ...]


def _found_page(search: CandidateSearchOutcome, searched_email: str | None) -> _FoundPage:
    """``search``'s page with the words of its rows worked out: run off the GUI thread,
    where a page of 50 candidates with 50 applications each took a third of a second
    (some 18,000 words of Kombo's made safe to show)."""
    return _FoundPage(search, rows_of(search.page, searched_email))


def _row_items(row: FoundRow, tooltips: dict[str, str]) -> list[QStandardItem]:
    """The items of a candidate's row, with a child row for each of their applications.
    ``tooltips`` keeps each tooltip made, by its words: a row's cells share theirs."""
    items = [_read_only(cell, tooltips) for cell in row.cells]
    name_item = items[0]
    name_item.setData(_CANDIDATE, KIND_ROLE)
    name_item.setData(row.id, ID_ROLE)
    name_item.setData([application.id for application in row.applications], APPLICATION_IDS_ROLE)
    name_item.setData(row.words, WORDS_ROLE)
    for application in row.applications:
        application_items = [_read_only(cell, tooltips) for cell in application.cells]
        job_item = application_items[0]
        job_item.setData(_APPLICATION, KIND_ROLE)
        job_item.setData(application.id, ID_ROLE)
        job_item.setData(application.words, WORDS_ROLE)
        name_item.appendRow(application_items)
    return items


def _read_only(cell: Cell, tooltips: dict[str, str]) -> QStandardItem:
    """An item showing ``cell``: its text, and its tooltip on hover."""
    item = QStandardItem(cell.text)
    item.setEditable(False)
    if cell.tooltip:
        tooltip = tooltips.get(cell.tooltip)
        if tooltip is None:
            # Never read as markup: the cell's text and the tooltip's hold Kombo's words.
            tooltip = tooltips[cell.tooltip] = tooltip_text(cell.tooltip)
        item.setToolTip(tooltip)
        # What a hover shows is read out with the cell, whichever cell has the focus (the
        # cell's own text is read out already).
        item.setData(cell.description, Qt.ItemDataRole.AccessibleDescriptionRole)
    return item


class CandidateLookupDialog(QDialog):
    """Search candidates by email or by name and pick a candidate or application ID.

    ``picked`` carries the chosen ID and whose it is in a few words
    ("Anna Smith · anna@example.com", with "(deleted in the ATS)" after the name of a
    candidate the ATS deleted) when the dialog is accepted.
    """

    picked = Signal(str, str)

    def __init__(
        self,
        worker: ApiWorker,
        connection: Connection,
        target_kind: TargetKind,
        parent: QWidget | None = None,
        *,
        page_size: int = 50,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        #: What a search goes out with (``None`` while the window has no connection).
        self._connection: Connection | None = connection
        #: Whose people the rows shown are (see ``follow_connection``).
        self._customer: Connection | None = connection
        #: Said before the answer of the search running (see ``search``); none for Load more.
        self._answer_note = ""
        self._target_kind = target_kind
        self._page_size = page_size
        self._job: Job | None = None
        self._job_appends = False
        self._filters: dict[str, str] = {}
        self._cursor: str | None = None
        #: True while the focus is in the results because the dialog put it there, until
        #: the person presses another key or clicks there: after Enter or Alt+M on Load
        #: more (which hands its focus to the results) an Enter meanwhile was meant for
        #: Load more; after a click on Load more, or after an answer of several
        #: candidates, the current row is the dialog's or Qt's, not the person's. Either
        #: way an Enter meanwhile picks nothing.
        self._no_row_chosen_yet = False
        #: True once the person chose the current row themselves (a click on a row, a key
        #: in the results); not for the row a search selected by itself, nor for the one
        #: Qt makes current when the results take the focus.
        self._row_chosen_by_person = False
        #: Where the focus was when the running search started (see ``_focus_spot``).
        self._focus_at_start: _FocusSpot = (None, None)
        self._candidate_ids: set[str] = set()
        self._picked_once = False
        #: True once the person sized the Email column: from then on its width is theirs.
        self._email_column_sized_by_person = False
        #: True while the dialog sizes the Email column itself (``_fit_email_column``).
        self._fitting_email_column = False
        #: Kombo's warnings on the pages shown, each once, as they are shown (masked), in
        #: the order they came (a dict: thousands are not compared one by one).
        self._warnings: dict[str, None] = {}
        #: Counts down a wait Kombo asked for, as the main window's panel does.
        self._wait_countdown = WaitCountdown(self._show_wait_left, self)
        #: The page whose rows are being made (``_make_some_rows``), its rows still to make
        #: and those made, and the first of its rows in the results.
        self._page_being_shown: _FoundPage | None = None
        self._rows_to_make: deque[FoundRow] = deque()
        self._rows_made: list[list[QStandardItem]] = []
        #: The IDs of the page's candidates being made, until they are shown.
        self._page_ids_not_shown: set[str] = set()
        self._first_new_row = 0
        self._adding_rows = QTimer(self)
        self._adding_rows.setSingleShot(True)
        self._adding_rows.timeout.connect(self._make_some_rows)

        applications = target_kind is TargetKind.APPLICATION
        self.setWindowTitle("Find application" if applications else "Find candidate")
        self.setModal(True)
        # Wide enough for the Kombo ID next to a job name that is not cut short.
        self.resize(880, 520)

        intro = QLabel(
            f"Search by email, or by first and/or last name. {SEARCH_MATCHES_EXACTLY}"
            + (" Then pick the application the result belongs to." if applications else ""),
            self,
        )
        intro.setWordWrap(True)

        self.email_edit = QLineEdit(self)
        self.email_edit.setAccessibleName("Search email")
        self.email_edit.setPlaceholderText("name@example.com (when given, names are not used)")
        self.email_edit.setClearButtonEnabled(True)
        self.first_name_edit = QLineEdit(self)
        self.first_name_edit.setAccessibleName("Search first name")
        self.first_name_edit.setClearButtonEnabled(True)
        self.last_name_edit = QLineEdit(self)
        self.last_name_edit.setAccessibleName("Search last name")
        self.last_name_edit.setClearButtonEnabled(True)
        fields = QFormLayout()
        fields.addRow("&Email:", self.email_edit)
        fields.addRow("&First name:", self.first_name_edit)
        fields.addRow("&Last name:", self.last_name_edit)
        self._search_fields = (self.email_edit, self.first_name_edit, self.last_name_edit)
        for line_edit in self._search_fields:
            # A line edit passes Enter on to the dialog, whose default button may be another
            # one for a moment (a button takes the default while it has the focus); the
            # filter searches and keeps Enter.
            line_edit.installEventFilter(self)

        self.search_button = self._button("&Search", "Search", self.search)
        # Enter where no one else uses it searches; never "Use selected", which would pick
        # a row the user may not have chosen (the single result is selected by itself).
        self.search_button.setDefault(True)
        self.cancel_search_button = self._button(
            "Cancel search", "Cancel search", self.cancel_search
        )
        self.cancel_search_button.setToolTip("Stop the search (Esc)")
        self.cancel_search_button.hide()
        self.busy = QProgressBar(self)
        self.busy.setAccessibleName("Searching")
        self.busy.setRange(0, 0)  # no steps to count: an indeterminate "working" bar
        self.busy.setTextVisible(False)
        self.busy.setMaximumWidth(120)
        self.busy.hide()
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_button)
        search_row.addWidget(self.cancel_search_button)
        search_row.addWidget(self.busy)
        search_row.addStretch(1)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Search status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_button = QToolButton(self)
        self.details_button.setText("Details")
        self.details_button.setAccessibleName("Error details")
        self.details_button.setCheckable(True)
        self.details_button.setToolTip("Show the technical details of the error")
        self.details_button.hide()
        self.details_text = QPlainTextEdit(self)
        self.details_text.setAccessibleName("Error detail text")
        self.details_text.setReadOnly(True)
        self.details_text.setMaximumHeight(110)
        self.details_text.hide()
        self.details_button.toggled.connect(self.details_text.setVisible)
        self.details_text.installEventFilter(self)
        # A tool button takes Space only; Enter would go on to the dialog and search.
        self.details_button.installEventFilter(self)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        self.log_link = KomboLogLink(self)
        # Kept while the rows they came with are shown, whatever the status says next (a
        # Load more that failed, say).
        self.warnings_label = QLabel(self)
        self.warnings_label.setAccessibleName("Warnings from Kombo")
        self.warnings_label.setWordWrap(True)
        self.warnings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings_label.hide()

        self.results_model = QStandardItemModel(0, len(_COLUMNS), self)
        self.results_model.setHorizontalHeaderLabels(list(_COLUMNS))
        self.results = QTreeView(self)
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.results_model)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setAlternatingRowColors(True)
        self.results.setUniformRowHeights(True)
        header = self.results.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized to its addresses up to a cap (``_fit_email_column``), and widened by hand.
        header.setSectionResizeMode(_EMAIL_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        # Columns fit the rows in view and their neighbours: measuring every row of pages of
        # candidates with dozens of applications each froze the dialog at each page.
        header.setResizeContentsPrecision(_ROWS_MEASURED)
        # However small the dialog is made, a few rows show, a name beside its Kombo ID:
        # a list of a row or two cut in the middle is no list to choose from.
        metrics = self.results.fontMetrics()
        frame = 2 * self.results.frameWidth()
        self.results.setMinimumSize(
            metrics.averageCharWidth() * _CHARACTERS_ALWAYS_SHOWN + frame,
            header.sizeHint().height() + _ROWS_ALWAYS_SHOWN * (metrics.height() + 4) + frame,
        )
        header.sectionResized.connect(self._note_column_sized)
        self.results.selectionModel().currentRowChanged.connect(self._update_pick_state)
        self.results.selectionModel().selectionChanged.connect(self._update_pick_state)
        # Double-click "activates" an item; Enter is the filter's (see eventFilter).
        self.results.activated.connect(self._on_activated)
        self.results.installEventFilter(self)
        self.results.pressed.connect(self._on_results_pressed)

        self.load_more_button = self._button("Load &more", "Load more", self.load_more)
        self.load_more_button.hide()
        self.load_more_button.installEventFilter(self)
        self.pick_hint = QLabel(self)
        self.pick_hint.setAccessibleName("Selection hint")
        self.pick_hint.setWordWrap(True)
        more_row = QHBoxLayout()
        more_row.addWidget(self.pick_hint, 1)
        more_row.addWidget(self.load_more_button)

        self.buttons = QDialogButtonBox(self)
        self.use_button = self.buttons.addButton(
            "&Use selected", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.use_button.setAccessibleName("Use selected")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.use_button, self.close_button):
            # Enter on a focused button presses that button, as on the buttons above.
            button.setAutoDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(fields)
        layout.addLayout(search_row)
        layout.addLayout(status_row)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.log_link)
        layout.addWidget(self.details_text)
        layout.addWidget(self.results, 1)
        layout.addLayout(more_row)
        layout.addWidget(self.buttons)
        # Never wider than the screen it opens on, however large the font: the room kept
        # for the results' columns gives way first.
        excess = self.minimumSizeHint().width() - room_for(self).width()
        if excess > 0:
            self.results.setMinimumWidth(
                max(self.results.minimumSizeHint().width(), self.results.minimumWidth() - excess)
            )

        self._update_pick_state()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in a search field starts a search, on a result row picks that row (when it
        can be picked and was chosen), on Details shows or hides them, in their text
        does nothing; in each case it goes no further. The focus coming back to the
        results (by the keyboard) brings their current row into sight."""
        if not _is_enter(event):
            if (
                watched is self.results
                and isinstance(event, QFocusEvent)
                and event.type() == QEvent.Type.FocusIn
                and event.reason() != Qt.FocusReason.MouseFocusReason
            ):
                # Load more scrolls to the rows it brings: a row chosen before may be out
                # of sight, and it is the one Enter picks. (Not for a click: the row under
                # the pointer must stay where it was clicked.)
                self._show_current_row()
            elif watched is self.load_more_button and event.type() == QEvent.Type.Shortcut:
                # Alt+M, its mnemonic, presses it from the keyboard as Enter there does: an
                # Enter that follows at once is meant for Load more too.
                self._no_row_chosen_yet = True
            elif (
                watched is self.results
                and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and event.key() not in _KEYS_THAT_CHOOSE_NO_ROW
            ):
                # Another key in the results (an arrow, a letter, Space) chooses a row.
                self._no_row_chosen_yet = False
                self._row_chosen_by_person = True
            return super().eventFilter(watched, event)
        if watched is self.load_more_button:
            # The Enter that loads more: one that follows at once lands in the results
            # (see ``_set_busy``) and must not pick the row the dialog selected by itself.
            self._no_row_chosen_yet = True
            return False
        if watched in self._search_fields:
            self.search()
            return True
        if watched is self.results:
            # Qt would activate the row and then pass Enter on to the dialog, whose default
            # button (Search) would start over; on macOS it would not activate at all.
            if self._no_row_chosen_yet:
                self._say_pick_hint(CHOOSE_A_ROW_FIRST)
            else:
                # The row picked is seen as it is picked, even when Load more scrolled it away.
                self._show_current_row()
                self._on_activated(self.results.currentIndex())
            return True
        if watched is self.details_button:
            self.details_button.click()
            return True
        if watched is self.details_text:
            # Read-only text: Enter would go on to Search and replace the error being read.
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc stops a running search first (what was typed and found stays); the next
        Esc closes the dialog. Its Close button closes at once."""
        if event.key() == Qt.Key.Key_Escape and self.is_busy():
            self.cancel_search()
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Keep Search the dialog's default whenever it shows."""
        super().showEvent(event)
        # A button box may make its first accept button ("Use selected") the default when
        # it shows: a default button takes Enter from every widget that does not use it,
        # and picking is for the results list (and "Use selected" itself) only.
        for button in self.findChildren(QPushButton):
            button.setDefault(button is self.search_button)

    def _button(self, text: str, accessible: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible)
        # Enter on a focused button presses that button; elsewhere (where no widget uses
        # Enter itself) it presses Search, the dialog's default.
        button.setAutoDefault(True)
        button.clicked.connect(slot)
        return button

    def _show_current_row(self) -> None:
        """Scroll the results so that their current row (the one Enter picks) is in sight."""
        current = self.results.currentIndex()
        if current.isValid():
            self.results.scrollTo(current)

    # ---- public API ----------------------------------------------------------------------

    def selected_id(self) -> str | None:
        """The ID the current selection stands for in this mode, or ``None``."""
        chosen = self._resolve(self._selected_index())
        return str(chosen.data(ID_ROLE)) if chosen.isValid() else None

    def is_busy(self) -> bool:
        """True while a search is running, and until the rows of its answer are all in."""
        return self._job is not None or self._page_being_shown is not None

    def customer(self) -> Connection | None:
        """The connection whose customer's people the rows shown are (``None``: none)."""
        return self._customer

    def follow_connection(self, connection: Connection | None, in_view: Connection | None) -> None:
        """Search with ``connection`` from now on: the window's connection changed.

        ``in_view`` is the customer the window shows (``connection``, or while its key
        is read again, the one it had). Another customer's, or none: the running search
        stops and the rows go, since a pick among another customer's people would fill
        in an ID of theirs; the change is said. The same customer keeps what is shown.
        """
        self._connection = connection
        before, self._customer = self._customer, in_view
        if (before and integration_of(before)) == (in_view and integration_of(in_view)):
            return
        self._abandon_job()
        self._clear_results()
        self._show_status(FIND_CONNECTION_CHANGED if in_view else FIND_WITHOUT_CONNECTION)

    # ---- searching -----------------------------------------------------------------------

    @Slot()
    def search(self) -> None:
        """Start a new search from the fields; an email search ignores the name fields.

        An email copied from a mail client ("Anna Smith <anna@example.com>", a
        ``mailto:`` link) or with a spreadsheet row (the name in the cells beside it) is
        searched as its address, which replaces it in the field.
        Text with no "@" there is a name (the Email field has the focus first, and a
        name is typed into it): it moves into the name fields when they are empty, and
        is searched as a name; beside a name typed there, which one was meant is asked.
        """
        # Copied from mail or chat, a value may bring invisible characters along.
        email = strip_edges(self.email_edit.text())
        first, last = (as_name_searched(edit.text()) for edit in self._search_fields[1:])
        from kombo_desktop.core.connection import contains_api_key
        from kombo_desktop.core.messages import FIND_KEY_NOT_SEARCHED

        if any(contains_api_key(value) for value in (email, first, last)):
            self._show_status(FIND_KEY_NOT_SEARCHED)
            return
        address = the_one_address_among_words(email_address_in(email))
        note = ""
        if address and "@" not in address:
            if first or last:
                self._show_status(email_field_holds_no_address(address))
                self.email_edit.setFocus(Qt.FocusReason.OtherFocusReason)
                self.email_edit.selectAll()
                return
            first, last = split_name(address)
            self._move_name_out_of_email(first, last)
            note, address = searched_as_name(address), ""
        elif address != email:
            self._show_searched_address(address)
        email, first, last = (with_accents_composed(value) for value in (address, first, last))
        filters: dict[str, str]
        if email:
            filters = {"email": email}
        elif first or last:
            filters = {}
            if first:
                filters["first_name"] = first
            if last:
                filters["last_name"] = last
        else:
            self._show_status("Type an email, or a first or last name, to search.")
            self.email_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._start(filters, cursor=None, note=note)

    def _move_name_out_of_email(self, first: str, last: str) -> None:
        """Put the name typed into the Email field into the name fields, and empty it.

        The fields then show what was searched, and a wrong split is corrected there. The
        text changes as typing would change it, so Ctrl+Z in a field brings it back.
        """
        for edit, text in (
            (self.email_edit, ""),
            (self.first_name_edit, first),
            (self.last_name_edit, last),
        ):
            edit.selectAll()
            edit.insert(text)

    def _show_searched_address(self, address: str) -> None:
        """Put ``address`` in the email field in place of what was pasted around it.

        The field then shows what was searched: "No candidates match" is about the address
        the person sees. It replaces the text as typing would, so Ctrl+Z brings back
        what was pasted.
        """
        self.email_edit.selectAll()
        self.email_edit.insert(address)

    @Slot()
    def load_more(self) -> None:
        """Fetch the next page of the last search and add it below the results.

        Enter then picks only a row the person chose: Load more hands its focus to the
        results (see ``_set_busy``), whose current row may be the one a search selected
        by itself, or the first one, made current as the focus came.
        """
        if self._cursor is not None and not self.is_busy():
            if not self._row_chosen_by_person:
                # Clicked (or pressed with Space), Load more gets no Enter that the filter
                # would see; the next Enter in the results must not pick the row nobody
                # chose all the same, as after Enter on Load more.
                self._no_row_chosen_yet = True
            self._start(self._filters, cursor=self._cursor)

    @Slot()
    def cancel_search(self) -> None:
        """Stop the running search, or the rows of its answer still being made; pages
        already shown (before Load more) stay."""
        if self._job is not None:
            self._job.cancel()
        elif self._page_being_shown is not None:
            self._stop_adding_rows()
            self._set_busy(False)
            self._show_status("Search cancelled.")

    def _start(self, filters: dict[str, str], *, cursor: str | None, note: str = "") -> None:
        connection = self._connection
        if connection is None:
            # The window's connection is gone, or its key is being read again after a save.
            self._show_status(FIND_WITHOUT_CONNECTION)
            return
        self._abandon_job()
        if cursor is None:
            # The rows shown answer the previous question: picking one while the new
            # search runs, or after it failed, would fill in someone not searched for.
            self._clear_results()
            # A new search's single result is picked with Enter, as after any search.
            self._no_row_chosen_yet = False
            self._row_chosen_by_person = False
        self._filters = dict(filters)
        self._answer_note = note
        page_size = self._page_size
        query: dict[str, Any] = dict(filters)
        # A wait Kombo asked for is said, not left as a long "Searching…", and counted down.
        waits = RateLimitWaits(self._show_progress, self._wait_countdown.start, self)

        searched_email = filters.get("email")

        async def find(client: KomboClient, report: Callable[[str], None]) -> Any:
            search = await client.find_candidates(
                **query, page_size=page_size, cursor=cursor, on_rate_limit=waits.reporter(report)
            )
            # Off the GUI thread, and off the network thread's loop, which other requests
            # share (``_found_page``).
            return await asyncio.to_thread(_found_page, search, searched_email)

        job = self._worker.submit(connection, find)
        self._job = job
        self._job_appends = cursor is not None
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        waits.follow(job)
        job.finished.connect(self._on_finished)
        self._show_progress("Loading more…" if cursor else "Searching…")
        self._set_busy(True)
        # After Load more handed its focus to the results: that is where the person waits.
        self._focus_at_start = self._focus_spot()

    def _abandon_job(self) -> None:
        """Cancel the running search and ignore whatever it still reports; the rows of its
        answer not added yet are not added."""
        adding = self._page_being_shown is not None
        self._stop_adding_rows()
        job, self._job = self._job, None
        if job is None:
            if adding:
                self._set_busy(False)
            return
        for signal, slot in (
            (job.succeeded, self._on_succeeded),
            (job.failed, self._on_failed),
            (job.cancelled, self._on_cancelled),
            (job.finished, self._on_finished),
        ):
            signal.disconnect(slot)
        # The waits it still reports are no longer this dialog's to show.
        job.progress.disconnect()
        job.cancel()
        self._wait_countdown.stop()
        self._set_busy(False)

    def _clear_results(self) -> None:
        self._stop_adding_rows()
        self.results_model.removeRows(0, self.results_model.rowCount())
        self._candidate_ids.clear()
        self._cursor = None
        self.load_more_button.hide()
        self._warnings.clear()
        self._show_warnings()
        self._update_pick_state()

    def _from_current_job(self) -> bool:
        sender: QObject | None = self.sender()
        return sender is not None and sender is self._job

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if not self._from_current_job() or not isinstance(result, _FoundPage):
            return
        self._add_warnings(result.search.outcome.warnings)
        self._page_being_shown = result
        self._first_new_row = self.results_model.rowCount()
        self._rows_to_make.clear()
        self._rows_made = []
        for row in result.rows:
            if row.id not in self._candidate_ids:
                self._candidate_ids.add(row.id)
                self._rows_to_make.append(row)
        self._page_ids_not_shown = {row.id for row in self._rows_to_make}
        self._make_some_rows()

    @Slot()
    def _make_some_rows(self) -> None:
        """Make the items of the next of the rows of the page being shown, up to
        ``_CELLS_AT_A_TIME`` cells; the rest at the event loop's next turn, and once all
        are made, add them to the results and show the page (``_show_page``)."""
        page = self._page_being_shown
        if page is None:
            return
        cells = 0
        tooltips: dict[str, str] = {}
        while self._rows_to_make and cells < _CELLS_AT_A_TIME:
            row = self._rows_to_make.popleft()
            self._rows_made.append(_row_items(row, tooltips))
            cells += len(row.cells) * (1 + len(row.applications))
        if self._page_being_shown is not page:
            return  # another search began meanwhile
        if self._rows_to_make:
            self._adding_rows.start(0)
            return
        made, self._rows_made = self._rows_made, []
        self._page_being_shown = None
        self._page_ids_not_shown = set()
        for items in made:
            self.results_model.appendRow(items)
        self._show_page(page)
        if self._job is None:
            # The search ended while its rows were being made (``_on_finished``).
            self._set_busy(False)

    def _stop_adding_rows(self) -> None:
        """Make and add none of the rows of the page being shown (a new search, Cancel,
        closing): its candidates count as not shown, for Load more to bring again."""
        self._adding_rows.stop()
        if self._page_being_shown is not None:
            self._candidate_ids -= self._page_ids_not_shown
        self._page_ids_not_shown = set()
        self._rows_to_make.clear()
        self._rows_made = []
        self._page_being_shown = None

    def _show_page(self, result: _FoundPage) -> None:
        """What follows the rows of a page, all in: Load more, the columns' widths, the
        row to choose, where the focus goes, and how many were found."""
        page = result.search.page
        first_new_row = self._first_new_row
        self._cursor = page.next
        self.load_more_button.setVisible(page.next is not None)
        self._fit_email_column()
        if self._target_kind is TargetKind.APPLICATION:
            self.results.expandAll()
        total = self.results_model.rowCount()
        if total == 0:
            # An empty page says nothing about the pages after it.
            self._show_status(
                self._noted(NONE_ON_THIS_PAGE if page.next else no_candidates_match(self._filters)),
                with_warnings=True,
            )
        else:
            waited = self._focus_still_where_search_started()
            if self._is_single_result():
                self.results.setCurrentIndex(self.results_model.index(0, 0))
            elif first_new_row < total and self._job_appends:
                self.results.scrollTo(self.results_model.index(first_new_row, 0))
            if waited:
                # Focus first, words after: said before the focus moves, the count is cut
                # off by the results' name, read out as the focus gets there.
                self._move_focus_to_results()
            # Else the person has moved on (typing a first name to narrow the search down,
            # say): the rest of their typing, and the Enter after it, stay theirs. The
            # count found is said all the same (``_show_status``).
            more = "; more are available (Load more)" if page.next else ""
            self._show_status(
                self._noted(f"{counted(total, 'candidate')} found{more}."), with_warnings=True
            )
        self._update_pick_state()

    def _noted(self, answer: str) -> str:
        """``answer`` after the note on how the search was made, if any."""
        return f"{self._answer_note} {answer}" if self._answer_note else answer

    def _fit_email_column(self) -> None:
        """Fit the email column to its addresses, up to ``_EMAIL_COLUMN_CHARACTERS``: the
        Kombo ID beside it tells two namesakes apart, and must stay in sight. A width the
        person gave it stays (Load more, a new search): they chose it to read the rows."""
        if self._email_column_sized_by_person:
            return
        self._fitting_email_column = True
        try:
            self.results.resizeColumnToContents(_EMAIL_COLUMN)
            cap = self.results.fontMetrics().averageCharWidth() * _EMAIL_COLUMN_CHARACTERS
            header = self.results.header()
            if header.sectionSize(_EMAIL_COLUMN) > cap:
                header.resizeSection(_EMAIL_COLUMN, cap)
        finally:
            self._fitting_email_column = False

    @Slot(int, int, int)
    def _note_column_sized(self, column: int, _old_size: int, _new_size: int) -> None:
        # The other columns size themselves (stretched, or to their contents): only the
        # Email column's edge can be dragged, or double-clicked.
        if column == _EMAIL_COLUMN and not self._fitting_email_column:
            self._email_column_sized_by_person = True

    def _focus_spot(self) -> _FocusSpot:
        """Where the dialog's focus is now (in the dialog even while it is not active)."""
        focus = self.focusWidget()
        return focus, focus.text() if isinstance(focus, QLineEdit) else None

    def _focus_still_where_search_started(self) -> bool:
        """True when the person is still where they started the search (the Search button,
        the field they pressed Enter in with its text as searched) or on Cancel search,
        which hides as the answer comes: waiting for the answer, not doing something else."""
        focus, text = self._focus_spot()
        started_in, text_at_start = self._focus_at_start
        return focus is self.cancel_search_button or (focus is started_in and text == text_at_start)

    def _is_single_result(self) -> bool:
        """True when the search's whole answer is the one row shown: the person searched
        for it, and Enter picks it. A first page of one row with more to load is not."""
        return not self._job_appends and self.results_model.rowCount() == 1 and self._cursor is None

    def _move_focus_to_results(self) -> None:
        """Take the person who waited to the answer."""
        self.results.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._job_appends and not self._is_single_result():
            # Taking the focus, the results make their first row current: nobody chose
            # it. (The single result of a search is the searched one, picked with Enter.)
            self._no_row_chosen_yet = True

    @Slot(object)
    def _on_failed(self, error: object) -> None:
        if not self._from_current_job():
            return
        exc = error if isinstance(error, BaseException) else RuntimeError(str(error))
        if is_cancellation(exc):  # cancelled during a rate-limit wait: a cancel all the same
            self._show_status("Search cancelled.")
            return
        message = describe_error(exc)
        self._show_status(message.text, detail=message.detail, log_url=message.log_url)

    def _show_wait_left(self, words: str) -> None:
        """The wait's words as it runs out: shown only. The status's description keeps
        the words said as the wait began, so that a screen reader is not told every
        second (``WaitCountdown``)."""
        self.status_label.setText(words)

    @Slot()
    def _on_cancelled(self) -> None:
        if self._from_current_job():
            self._show_status("Search cancelled.")

    @Slot()
    def _on_finished(self) -> None:
        if self._from_current_job():
            self._job = None
            self._wait_countdown.stop()
            if self._page_being_shown is None:
                # Else once its rows are all in (``_make_some_rows``).
                self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        cancel_had_focus = self.cancel_search_button.hasFocus()
        if busy and self.load_more_button.hasFocus():
            # Disabled, Load more would hand its focus on to "Use selected" or Cancel, where
            # a second Enter would pick or close; the rows it loads come into the results.
            # There a second Enter picks nothing until the person chooses a row.
            self.results.setFocus(Qt.FocusReason.OtherFocusReason)
        self.busy.setVisible(busy)
        self.cancel_search_button.setVisible(busy)
        if cancel_had_focus and not busy and not self.results_model.rowCount():
            # Hidden, Cancel search would hand its focus to the empty results: Search is
            # where the next step starts (again, or Shift+Tab to change what is searched).
            self.search_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.load_more_button.setEnabled(not busy)
        if busy:
            self.results.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.results.unsetCursor()

    @Slot()
    def _on_results_pressed(self) -> None:
        self._no_row_chosen_yet = False
        self._row_chosen_by_person = True

    def _show_status(
        self,
        text: str,
        *,
        detail: str | None = None,
        log_url: str | None = None,
        with_warnings: bool = False,
    ) -> None:
        """Show how a search ended (or why none started), and have it said: the status
        shows below the results, away from the focus (the search field, say). An answer
        (``with_warnings``) is said with Kombo's warnings, which came with it."""
        self._display_status(text, detail=detail, log_url=log_url)
        if self.isVisible():
            said = self.status_label.accessibleDescription() if with_warnings else text
            announce(self.status_label, said)

    def _show_progress(self, text: str) -> None:
        """Show what is being done; not said, as its outcome will be (``_show_status``)."""
        self._display_status(text)

    def _display_status(
        self, text: str, *, detail: str | None = None, log_url: str | None = None
    ) -> None:
        # New words end the countdown of a wait (the search ended, or tries again).
        self._wait_countdown.stop()
        self.status_label.setText(text)
        self._describe_status()
        self.log_link.show_log(log_url)
        # Never read as markup: the detail quotes Kombo's code and title.
        self.status_label.setToolTip(tooltip_text(detail) if detail else "")
        self.details_text.setPlainText(detail or "")
        self.details_button.setVisible(bool(detail))
        if not detail:
            self.details_button.setChecked(False)

    def _describe_status(self) -> None:
        """The status's accessible description: what it shows, then Kombo's warnings on
        the rows shown (set only when new: each change is announced)."""
        description = " ".join(
            part for part in (self.status_label.text(), self._warnings_sentence()) if part
        )
        if self.status_label.accessibleDescription() != description:
            self.status_label.setAccessibleDescription(description)

    def _add_warnings(self, warnings: tuple[str, ...]) -> None:
        """Show Kombo's ``warnings`` on a page with those of the pages before it, each
        masked and stripped as any of Kombo's words are, and once however many pages
        repeat it. The status's description takes them with its next words."""
        self._warnings.update(dict.fromkeys(map(warning_words, warnings)))
        self._show_warnings()

    def _show_warnings(self) -> None:
        count = len(self._warnings)
        # The first of them, each from its start when long: the dialog has no raw answer
        # to read the rest in, and thousands of lines would freeze it as they are laid out.
        listed = "\n".join(
            f"• {warning}" for warning in listed_warnings(list(self._warnings), whole_in=None)
        )
        show_text(
            self.warnings_label,
            f"{warnings_heading(count)}:\n{listed}" if count else "",
        )
        self.warnings_label.setVisible(bool(count))

    def _warnings_sentence(self) -> str:
        """Kombo's warnings on the rows shown, in one sentence ("" for none)."""
        if not self._warnings:
            return ""
        listed = listed_warnings(list(self._warnings), whole_in=None)
        return as_sentence(f"{warnings_heading(len(self._warnings))}: " + " | ".join(listed))

    # ---- results -------------------------------------------------------------------------

    def _selected_index(self) -> QModelIndex:
        rows = self.results.selectionModel().selectedRows(0)
        if rows:
            return rows[0]
        current = self.results.currentIndex()
        return current.siblingAtColumn(0) if current.isValid() else QModelIndex()

    def _resolve(self, index: QModelIndex) -> QModelIndex:
        """The row whose ID ``index`` stands for in this dialog's mode (invalid: none)."""
        if not index.isValid():
            return QModelIndex()
        index = index.siblingAtColumn(0)
        kind = index.data(KIND_ROLE)
        if self._target_kind is TargetKind.CANDIDATE:
            if kind == _APPLICATION:
                return index.parent()
            return index if kind == _CANDIDATE else QModelIndex()
        if kind == _APPLICATION:
            return index
        if kind == _CANDIDATE and len(index.data(APPLICATION_IDS_ROLE) or []) == 1:
            # The candidate's only application, its one child row.
            return self.results_model.index(0, 0, index)
        return QModelIndex()

    @Slot()
    def _update_pick_state(self) -> None:
        index = self._selected_index()
        resolved = self._resolve(index).isValid()
        self.use_button.setEnabled(resolved)
        hint = ""
        if not resolved and index.isValid() and self._target_kind is TargetKind.APPLICATION:
            count = len(index.siblingAtColumn(0).data(APPLICATION_IDS_ROLE) or [])
            hint = (
                NO_APPLICATIONS_TO_PICK
                if count == 0
                else "Pick one of this candidate's applications."
            )
        show_text(self.pick_hint, hint)

    def _say_pick_hint(self, text: str) -> None:
        """Show ``text`` under the results and have it said: an Enter that picks nothing
        has no other answer, and the hint is away from the focus (the results)."""
        show_text(self.pick_hint, text)
        announce(self.pick_hint, text)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if self._resolve(index).isValid():
            self.results.setCurrentIndex(index)
            self.accept()
        elif self.pick_hint.text():
            # A row that stands for no ID here (a candidate with several applications):
            # the hint shown under the results says why, and is said for this press.
            self._say_pick_hint(self.pick_hint.text())

    # ---- closing -------------------------------------------------------------------------

    def accept(self) -> None:
        """Close with the selected ID (emits ``picked``); nothing happens without one."""
        chosen = self._resolve(self._selected_index())
        if not chosen.isValid() or self._picked_once:
            return
        self._picked_once = True
        self.picked.emit(str(chosen.data(ID_ROLE)), str(chosen.data(WORDS_ROLE) or ""))
        super().accept()

    def done(self, result: int) -> None:
        """Closing in any way stops a search that is still running."""
        self._abandon_job()
        super().done(result)
