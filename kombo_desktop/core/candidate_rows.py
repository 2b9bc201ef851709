"""The words a page of found candidates is shown with, worked out away from the GUI.

Every name, job, stage, address and ID from Kombo is made safe to show among the app's
own words (``messages.one_line_words``: keys masked, on one line, no direction override)
and, for IDs and addresses, with what does not show escaped. A page of 50 candidates with
50 applications each holds some 18,000 such words: worked out on the GUI thread they froze
the Find dialog for a third of a second a page. ``rows_of`` works them out where the
search ran, and the dialog only makes its cells from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kombo_desktop.core.messages import one_line_words, shown_start
from kombo_desktop.core.models import Application, Candidate, CandidatePage
from kombo_desktop.core.sentences import counted
from kombo_desktop.core.text import with_invisible_characters_escaped

__all__ = [
    "DELETED",
    "ApplicationRow",
    "Cell",
    "FoundRow",
    "rows_of",
]

#: Marks a candidate the ATS has deleted, in the list and in the words a pick carries.
DELETED = "(deleted in the ATS)"
#: Shown in a cell for what the ATS did not give: an empty cell reads as not yet loaded,
#: and the Kombo ID put in the Name column instead would read as a name.
NO_NAME = "(no name)"
NO_EMAIL = "(no email)"
NO_JOB = "(no job)"
NO_STAGE = "(no stage)"
_OUTCOMES = {"PENDING": "Pending", "HIRED": "Hired", "DECLINED": "Declined"}
_WORDS_SEPARATOR = " · "


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its ``text``, and what a hover on it shows (``tooltip``; "" for none).
    ``tooltip`` already starts with ``text`` when the column may cut the text short."""

    text: str
    tooltip: str = ""
    #: Read out with the cell, whichever cell has the focus (the text itself is read out).
    description: str = ""


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """One application of a found candidate: its cells, ID and the words a pick carries."""

    cells: tuple[Cell, ...]
    id: str
    words: str


@dataclass(frozen=True, slots=True)
class FoundRow:
    """One found candidate: its cells, ID, the words a pick carries, and its applications."""

    cells: tuple[Cell, ...]
    id: str
    words: str
    applications: tuple[ApplicationRow, ...]


class _Shaper:
    """Shapes Kombo's words for one page, each distinct text once: the same job, stage
    and candidate name come back on row after row."""

    def __init__(self) -> None:
        self._shown: dict[str, str] = {}
        self._exact: dict[str, str] = {}

    def shown(self, words: str | None) -> str:
        """Kombo's ``words`` (a name, a job, a stage) as a cell or a pick's words show
        them: on one line, safe among the app's own words (``one_line_words``: no line
        break starting a line that reads as the app's, no direction override turning
        those around), from their start only when very long."""
        if not words:
            return ""
        shown = self._shown.get(words)
        if shown is None:
            shown = self._shown[words] = shown_start(one_line_words(words), whole_in=None)
        return shown

    def exactly(self, value: str | None) -> str:
        """An ID or an address from Kombo as shown to be checked: as ``shown``, with every
        character that does not show written as its escape (``\\u200b``): two candidates
        whose IDs differ by a zero-width space must not look the same, as the ID picked
        is what is sent."""
        if not value:
            return ""
        exact = self._exact.get(value)
        if exact is None:
            exact = self._exact[value] = with_invisible_characters_escaped(self.shown(value))
        return exact


def _cell(text: str, tooltip: str, *, whole: bool = False) -> Cell:
    """A cell showing ``text``; a hover shows ``tooltip``, after ``text`` itself when
    ``whole`` (a name or an address the column may cut short)."""
    if not tooltip:
        return Cell(text)
    return Cell(text, f"{text}\n{tooltip}" if whole and text else tooltip, tooltip)


def _email_shown(candidate: Candidate, searched: str | None) -> str:
    """The candidate's address to show: the one searched for when it is one of theirs
    (a work address, say), else their first one. Shown another address than the one
    typed, a recruiter would doubt the match."""
    if searched:
        wanted = searched.casefold()
        for entry in candidate.email_addresses or []:
            if entry.email_address and entry.email_address.casefold() == wanted:
                return entry.email_address
    return candidate.primary_email or ""


def _application_row(shaper: _Shaper, whose: str, application: Application) -> ApplicationRow:
    job = shaper.shown(application.job.name if application.job else None)
    stage = shaper.shown(application.current_stage.name if application.current_stage else None)
    outcome = _OUTCOMES.get(application.outcome or "") or shaper.shown(application.outcome)
    shown_id = shaper.exactly(application.id)
    tooltip = f"Application ID: {shown_id}"
    if application.rejection_reason_name:
        tooltip += f"\nRejection reason: {shaper.shown(application.rejection_reason_name)}"
    job_and_stage = f"{job} ({stage})" if job and stage else job or stage
    return ApplicationRow(
        cells=(
            _cell(job or NO_JOB, tooltip, whole=True),
            _cell(stage or NO_STAGE, tooltip, whole=True),
            _cell(outcome or "Unknown", tooltip),
            _cell(shown_id, tooltip),
        ),
        id=application.id,
        words=_WORDS_SEPARATOR.join(part for part in (whose, job_and_stage) if part),
    )


def _found_row(shaper: _Shaper, candidate: Candidate, searched_email: str | None) -> FoundRow:
    name = shaper.shown(candidate.full_name)
    deleted = bool(candidate.remote_deleted_at)
    # Whoever picks a candidate the ATS deleted must still see it, next to the ID.
    whose = f"{name} {DELETED}".lstrip() if deleted else name
    shown_name = f"{name or NO_NAME} {DELETED}" if deleted else name or NO_NAME
    shown_id = shaper.exactly(candidate.id)
    tooltip = f"Candidate ID: {shown_id}"
    email = shaper.exactly(_email_shown(candidate, searched_email))
    applications = tuple(_application_row(shaper, whose, a) for a in candidate.applications)
    return FoundRow(
        cells=(
            _cell(shown_name, tooltip, whole=True),
            _cell(email or NO_EMAIL, tooltip, whole=True),
            _cell(counted(len(applications), "application"), tooltip),
            _cell(shown_id, tooltip),
        ),
        id=candidate.id,
        words=_WORDS_SEPARATOR.join(part for part in (whose, email) if part),
        applications=applications,
    )


def rows_of(page: CandidatePage, searched_email: str | None = None) -> tuple[FoundRow, ...]:
    """``page``'s candidates as the Find dialog shows them, the address searched for
    (``searched_email``) shown for those who have it among theirs."""
    shaper = _Shaper()
    return tuple(_found_row(shaper, candidate, searched_email) for candidate in page.results)
