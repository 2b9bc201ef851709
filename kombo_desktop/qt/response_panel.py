"""What came back: success with Kombo's warnings, Kombo's error, or no usable answer.

Plain words first (from ``core.messages``, the one place that words answers), the
technical detail one click away, and the raw answer for whoever needs to dig. The
panel's accessible description carries the outcome, so a screen reader (and a test)
reads the same summary a sighted person sees; an answer's summary is also announced
(``spoken.announce``), since it appears away from the focus.

Kombo's words (the outcome and its warnings) are never cut: they take the room they
need, the raw answer below giving up its own down to a few lines, and scroll beyond
that, at any window size. They wrap within the panel's width, a word too long for a
line (an address, a signed link) broken inside it (``WrappingLabel``).

A long raw answer (up to 1 MiB) is shown only from its start, with a note of its whole
size, as the request preview shows a long body (``exact_text_view.text_start``): laid
out whole, it would freeze the window, a megabyte in one line for most of a second.
"Copy response" copies all of it.

An answer that came back shows in two steps, each within a frame: its outcome first (the
words, the warnings, the panel's description, spoken), then, a frame later, its facts,
technical details and raw answer (``when_answer_shown`` tells when). Shown together,
they took longer than a frame, the first answer most. An error where nothing came back
(no connection, a fault of the app) has little to show, and shows it at once.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from functools import partial
from time import monotonic, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFocusFrame,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.errors import (
    MAX_RETRY_AFTER_S,
    KomboApiError,
    NetworkError,
    RateLimitedError,
    UnexpectedResponseError,
)
from kombo_desktop.core.sentences import NOTHING_SENT, as_sentence
from kombo_desktop.core.text import utf8_size
from kombo_desktop.qt.background_tasks import TaskRunner
from kombo_desktop.qt.buttons import EnterPressedToolButton, pressed_by_enter
from kombo_desktop.qt.copy_confirmation import CopyConfirmation
from kombo_desktop.qt.exact_text_view import ExactTextView, cut_text_note
from kombo_desktop.qt.fixed_pitch import fixed_pitch_font
from kombo_desktop.qt.icons import STATUS_COLOURS, StatusKind, status_pixmap
from kombo_desktop.qt.links import escaped, link_html
from kombo_desktop.qt.module_loader import is_imported
from kombo_desktop.qt.settings import room_for
from kombo_desktop.qt.spoken import announce, load_announcement_classes, show_text
from kombo_desktop.qt.wrapping_label import WrappingLabel, load_wrapping_classes

if TYPE_CHECKING:
    # Loaded with the first answer, not at start-up (core.messages wording, the client).
    from kombo_desktop.core.client import ApiOutcome, RateLimitCallback
    from kombo_desktop.core.messages import UserMessage
    from kombo_desktop.core.models import Target
    from kombo_desktop.qt.worker import Job


_TINTS: dict[str, str] = {
    "idle": "#f3f4f6",
    "busy": "#eef2fb",
    "success": "#e8f5e9",
    "error": "#fdecea",
    "cancelled": "#f1f3f4",
}
_BORDERS: dict[str, str] = {
    "idle": "#d0d4da",
    "busy": "#9aa9d8",
    "success": STATUS_COLOURS[StatusKind.SUCCESS],
    "error": STATUS_COLOURS[StatusKind.ERROR],
    "cancelled": STATUS_COLOURS[StatusKind.CANCELLED],
}


#: The outcome box's links: 5.5:1 or more on each of its tints (WCAG asks 4.5:1 of text).
#: The box keeps its light tint under every theme, so its links cannot take the theme's
#: link colour (a dark theme's light blue, a high-contrast theme's yellow).
_OUTCOME_LINK_COLOUR = "#0b57d0"


#: The outcome's title ("Success", "Error") beside the words under it: this much larger.
_TITLE_SCALE = 1.25


def _outcome_stylesheet(text_points: float) -> str:
    """The outcome box's sheet, its title ``_TITLE_SCALE`` times ``text_points`` (the
    size of the words under it): a fixed size read as small print under a larger font."""
    # One sheet for every state, picked by the box's ``state`` property: a new sheet per
    # state would re-style every widget in the box on each change, a frame's worth of
    # work on pressing Submit. Fixed light tints with dark text, readable under light and
    # dark themes alike.
    return "\n".join(
        (
            *(
                f'QFrame#outcome[state="{state}"] {{ background: {_TINTS[state]};'
                f" border: 1px solid {_BORDERS[state]}; border-left: 5px solid {_BORDERS[state]};"
                " border-radius: 4px; }"
                for state in _TINTS
            ),
            "QFrame#outcome QLabel { color: #1b1b1b; background: transparent; border: none; }",
            "QFrame#outcome QLabel#outcomeTitle"
            f" {{ font-size: {text_points * _TITLE_SCALE:.1f}pt; font-weight: 600; }}",
            "QLabel#appliedNote { color: #7a4100; font-weight: 600; }",
            # A plain bar and chunk: the style's own busy bar paints stripes in many
            # rounded paths, on every step of its animation, while a request is in flight.
            "QFrame#outcome QProgressBar { background: #dde3f3; border: none;"
            " border-radius: 3px; }",
            "QFrame#outcome QProgressBar::chunk { background: #5b6fb5; border-radius: 3px; }",
        )
    )


#: How often a countdown (``WaitCountdown``) moves on (read when a wait starts).
WAIT_TICK_MS = 1000
#: Lines of the raw answer kept in view however much room Kombo's words take.
RAW_LINES_KEPT = 4
#: The lines of the technical details in view at most; more scroll (Kombo's words above
#: them matter more).
DETAIL_LINES_SHOWN = 8
#: Lines of Kombo's words kept in view under the outcome's title however small the window
#: (the rest scrolls): the outcome's sentences and the note that sending again may add a
#: duplicate, beside the Retry it is about.
MESSAGE_LINES_KEPT = 8
#: ... but never more than this share of the height of the screen (1/5).
_SCREEN_SHARE_KEPT = 5
#: Lines of the raw answer's view kept when nothing came back: its one line says so.
RAW_LINES_WHEN_NOTHING_CAME = 1
#: The words' share of spare room against the raw answer's 1: all of it, up to the
#: height they need (their maximum), the rest going to the raw answer.
MESSAGES_STRETCH = 1000
#: The outcome badge's size, in logical pixels.
BADGE_SIZE = 22
#: A raw answer longer than this (in characters) is indented on a background thread, and
#: shown once it is: indenting takes up to 0.1 ms for each thousand characters, and an
#: answer can be up to 1 MiB.
INDENT_IN_BACKGROUND_ABOVE = 8 * 1024
#: The rest of an answer (its facts, details and raw answer) follows its outcome this many
#: milliseconds later, a frame at 60 Hz: the outcome's layout and paint come first, and
#: whatever else is due by then (a key pressed, a timer). Sooner, both could still fall
#: into one go.
REST_OF_ANSWER_AFTER_MS = 16
#: Facts as an answer shows them, laid out before the first answer comes.
_SAMPLE_FACTS = (
    "<b>HTTP status:</b> 201 · <b>Time taken:</b> 0.25 s<br>"
    "<b>Kombo log:</b> <a href='https://example.com/'>https://example.com/</a>"
)
#: In place of the raw answer before the first.
NO_RAW_TEXT = "The answer from Kombo appears here after sending."
#: In place of a long raw answer while it is indented.
PREPARING_RAW_TEXT = "Preparing the response…"
#: In place of the raw answer when an answer came back with nothing in it.
EMPTY_ANSWER_TEXT = "The answer was empty."
#: In place of the raw answer when nothing came back (no connection, a timeout, a cancel).
NO_ANSWER_TEXT = "No answer came back."
#: The idle panel's words while nothing is sent, unless the window says what comes first.
USUAL_INVITATION = "Nothing sent yet. Fill in the form and press Submit (Ctrl+Enter)."

_WARNINGS_STYLESHEET = (
    "QFrame#warnings { background: #fff4e5; border: 1px solid #b26a00;"
    " border-left: 5px solid #b26a00; border-radius: 4px; }\n"
    "QFrame#warnings QLabel { color: #1b1b1b; background: transparent; border: none; }\n"
    "QFrame#warnings QLabel#warningsTitle { font-weight: 600; }"
)


def _load_answer_wording() -> None:
    """Make ready what every answer's words go through: the patterns that mask keys in
    them (``core.messages.quoted_words``), which ``re`` compiles at their first use (some
    4 ms, which would otherwise fall on the first answer's frame)."""
    from kombo_desktop.core.messages import quoted_words

    quoted_words("")


#: How JSON that can hold a key starts (an object, a list, a string): an answer starting
#: otherwise has no string for indenting to decode.
_JSON_TEXT_STARTS = ("{", "[", '"')


def _indented(body: str, *, mask_again: bool) -> tuple[str, bool]:
    """``body`` indented if it is JSON (``pretty_json``), and whether it is; keys masked
    in it again if ``mask_again``, for text the client could mask as text only."""
    from kombo_desktop.core.text import pretty_json

    text = pretty_json(body)
    # pretty_json gives back the very text it was given when that is not JSON. (A bare
    # true or null comes back as itself too: ASCII, it holds nothing to show as escapes.)
    is_json = text is not body
    if not mask_again:
        return text, is_json
    from kombo_desktop.core.logs import mask_keys

    return mask_keys(text), is_json


def offers_retry(message: UserMessage) -> bool:
    """True when sending the same request again makes sense after ``message``."""
    from kombo_desktop.core.messages import Remedy

    return message.remedy in (Remedy.RETRY, Remedy.RETRY_MAY_DUPLICATE, Remedy.WAIT)


def _led_by(word: str, text: str) -> str:
    """``text`` starting with the outcome ``word``, which is added only where it is missing."""
    return text if text.startswith(word) else f"{word}. {text}"


def _countdown(seconds: float) -> str:
    """A wait as a clock counts it down: ``0:45``, ``3:58``, ``1:02:03``."""
    minutes, secs = divmod(math.ceil(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _retry_in(seconds: float) -> str:
    """The Retry button's words while Kombo's wait runs out: "Retry in 0:45"."""
    return f"Retry in {_countdown(seconds)}"


#: Words for the seconds left of a wait: ``words(12.4)`` -> "… trying again in 13 seconds …".
WaitWords = Callable[[float], str]


class WaitCountdown(QObject):
    """The words of a wait (a rate limit a request sits out, Retry held back), kept true
    as it runs out.

    Each second ``show`` gets ``words(seconds left)`` until the wait is over (then
    ``ended``, if given, is called) or ``stop`` is called, so that "trying again in 20
    seconds" does not stay 20. Whoever shows them changes only the text shown: a screen
    reader heard the wait once, when it began, and is not told again every second.
    """

    def __init__(
        self,
        show: Callable[[str], None],
        parent: QObject | None = None,
        *,
        ended: Callable[[], None] | None = None,
        counts_sleep: bool = True,
    ) -> None:
        """A countdown that hands its words to ``show`` and calls ``ended`` when a wait
        runs out; none runs until ``start``.

        With ``counts_sleep``, a wait the person waits out (Retry held back) ends by the
        wall clock too, whichever of the two clocks ends it first: the monotonic clock
        stands still while the computer sleeps, and after an hour's sleep a ten-minute
        wait went on for ten minutes more, past the clock time named for its end. Without
        it, the countdown follows a wait the client sits out on the monotonic clock.
        """
        super().__init__(parent)
        self._show = show
        self._ended = ended
        self._counts_sleep = counts_sleep
        # The end on the monotonic clock and on the wall clock, and the words.
        self._wait: tuple[float, float, WaitWords] | None = None
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._count_down)

    def start(self, until: float, words: WaitWords, *, show_now: bool = False) -> None:
        """Count down to ``until`` (``monotonic()`` time) from the next second on (the
        words the wait began with are shown already), or from now if ``show_now``."""
        self._wait = (until, time() + (until - monotonic()), words)
        self._tick.start(WAIT_TICK_MS)
        if show_now:
            self._count_down()

    def stop(self) -> None:
        """Leave the words shown as they are (whoever stops it replaces them)."""
        self._wait = None
        self._tick.stop()

    def seconds_left(self) -> float:
        """Seconds until the wait counted down is over; 0 when none is."""
        if self._wait is None:
            return 0.0
        until, wall_until, _words = self._wait
        left = until - monotonic()
        if self._counts_sleep:
            left = min(left, wall_until - time())
        return max(left, 0.0)

    @Slot()
    def _count_down(self) -> None:
        if self._wait is None:
            return
        # Read from the clock, not counted in ticks: late ticks (a busy computer) must
        # not stretch the wait.
        left = self.seconds_left()
        self._show(self._wait[2](left))
        if left <= 0:
            self.stop()
            if self._ended is not None:
                self._ended()


class RateLimitWaits(QObject):
    """The rate-limit waits of one request, each shown as it is reported, then counted
    down.

    The client tells of a wait on the network thread (``reporter``), and its words
    (``job.progress``) reach the GUI thread later (``follow``): when the wait ends, and
    its retry number, are noted before the words are reported, so that they are at hand
    when the words arrive.
    """

    def __init__(
        self,
        show: Callable[[str], None],
        count_down: Callable[[float, WaitWords], None],
        parent: QObject,
    ) -> None:
        """Waits whose words go to ``show`` as each is reported, and which are then
        counted down with ``count_down(until, words)`` (``WaitCountdown.start``,
        ``ResponsePanel.count_down_progress``). ``parent`` is whoever shows them: gone
        with it, they show nothing more."""
        super().__init__(parent)
        self._show = show
        self._count_down = count_down
        self._ends: deque[tuple[float, int]] = deque()

    def reporter(self, report: Callable[[str], None]) -> RateLimitCallback:
        """The client's rate-limit callback for a job that reports its progress with
        ``report``: it notes when each wait ends, then reports the wait in words
        (``rate_limit_reporter``). Called on the network thread, by the job."""
        from kombo_desktop.qt.worker import rate_limit_reporter  # loaded: a job runs

        on_rate_limit = rate_limit_reporter(report)
        # The network thread touches the list only, never this object, which lives on
        # the GUI thread.
        ends = self._ends

        def noted(error: RateLimitedError, delay: float, attempt: int) -> None:
            ends.append((monotonic() + delay, attempt))
            on_rate_limit(error, delay, attempt)

        return noted

    def follow(self, job: Job) -> None:
        """Show each wait ``job`` reports, and count it down. Call it before the job can
        report (``ApiWorker.submit``'s ``before_start``, or before the event loop runs)."""
        job.progress.connect(self._shown)
        # Made for each request: gone once it has ended.
        job.finished.connect(self.deleteLater)

    @Slot(str)
    def _shown(self, words: str) -> None:
        self._show(words)
        if not self._ends:
            return
        from kombo_desktop.core.messages import describe_rate_limit_wait

        until, attempt = self._ends.popleft()
        self._count_down(until, partial(describe_rate_limit_wait, attempt=attempt))


class _MessagesArea(QScrollArea):
    """Kombo's words (the outcome and the warnings), as tall as they need to be.

    Its height is bounded by the height its content needs at its width, so the panel's
    layout gives it that room before the raw answer gets any; when the panel is
    smaller, it scrolls. It is a tab stop only while something in it is scrolled out of
    view (there is nothing to do with it otherwise), and then shows the focus with a
    frame.

    The bounds are set when the words or the width change (``fit_to_content``), not
    computed in a size hint: Qt asks for size hints on every layout pass, and a Python
    one there costs a frame while a request is in flight.
    """

    def __init__(self, parent: QWidget) -> None:
        """An empty area: what it shows goes into ``content``."""
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        #: The widget that scrolls: the words go in it.
        self.content = QWidget()
        self.setWidget(self.content)
        self.setAccessibleName("Response messages")
        self._focus_frame = QFocusFrame(self)
        self._focus_frame.hide()
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalScrollBar().rangeChanged.connect(self._take_tab_stop_if_scrolling)

    def fit_to_content(self) -> None:
        """Bound the height by what the content needs at the current width: at most all
        of it, at least a few lines (or all of it when it needs less).

        Measured as if the scroll bar were shown: a scroll bar once shown stays as long
        as the content does not fit beside it, and the narrower width wraps more lines.
        """
        content = self.content
        frame = 2 * self.frameWidth()
        width = self.width() - frame - self.verticalScrollBar().sizeHint().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        if height < 0:
            height = content.sizeHint().height()
        needed = height + frame
        lines = BADGE_SIZE + MESSAGE_LINES_KEPT * self.fontMetrics().lineSpacing()
        # Fewer on a short screen (a laptop's at 150 %): kept, they pushed the foot of the
        # window (Submit, the status bar) past the screen's edge once an answer came.
        lines = min(lines, room_for(self).height() // _SCREEN_SHARE_KEPT)
        self.setMinimumHeight(min(needed, lines))
        self.setMaximumHeight(needed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A new width wraps the words anew: the height they need changes with it."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_to_content()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """The scroll area draws no focus of its own: a frame around it shows it."""
        super().focusInEvent(event)
        self._focus_frame.setWidget(self)
        self._focus_frame.show()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """The focus frame goes with the focus."""
        super().focusOutEvent(event)
        self._focus_frame.setWidget(None)  # type: ignore[arg-type]  # Qt takes none
        self._focus_frame.hide()

    @Slot(int, int)
    def _take_tab_stop_if_scrolling(self, _minimum: int, maximum: int) -> None:
        # A keyboard user reaches the words scrolled out of view with the arrow keys.
        policy = Qt.FocusPolicy.TabFocus if maximum > 0 else Qt.FocusPolicy.NoFocus
        self.setFocusPolicy(policy)


class _LinksLabel(WrappingLabel):
    """A label whose links are its only tab stops: Tab lands on its first link at once
    (Shift+Tab on its last), not first on the label and then on the link."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Entered with Tab or Shift+Tab: on to the first or last link."""
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)

    def set_has_links(self, has_links: bool) -> None:
        """Links can be followed with the mouse and the keyboard; a label without one is
        no tab stop (its words are read as part of the panel)."""
        flags = Qt.TextInteractionFlag.TextSelectableByMouse
        if has_links:
            flags |= (
                Qt.TextInteractionFlag.LinksAccessibleByMouse
                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            )
        self.setTextInteractionFlags(flags)


def _plain_label(parent: QWidget) -> QLabel:
    """A label for words, never read as markup: they carry what the person typed (an ID)
    and what Kombo sent, and a ``<`` in either must show as itself."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _wrapped_label(parent: QWidget) -> WrappingLabel:
    """A ``_plain_label`` whose words take as many lines as they need, long words broken
    (see ``WrappingLabel``)."""
    label = WrappingLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class _ViewInLines(ExactTextView):
    """A view whose least and greatest heights are counted in lines of its font of now
    (``keep_lines``, ``show_at_most``), a larger one set while the app runs included: kept
    as pixels, they were fewer lines in it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._least_lines: int | None = None
        self._most_lines: int | None = None

    def keep_lines(self, lines: int) -> None:
        """Give up room down to ``lines`` lines, and no further."""
        self._least_lines = lines
        height = self._height_of(lines)
        if self.minimumHeight() != height:
            self.setMinimumHeight(height)

    def show_at_most(self, lines: int) -> None:
        """Grow up to ``lines`` lines, and no further (more scroll)."""
        self._most_lines = lines
        self.setMaximumHeight(self._height_of(lines))

    def _height_of(self, lines: int) -> int:
        frame = 2 * self.frameWidth()
        scroll_bar = self.horizontalScrollBar().sizeHint().height()
        margins = 2 * int(self.document().documentMargin())
        return lines * self.fontMetrics().lineSpacing() + frame + scroll_bar + margins

    def changeEvent(self, event: QEvent) -> None:
        """Keep as many lines in a new font or style as before it."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            if self._least_lines is not None:
                self.keep_lines(self._least_lines)
            if self._most_lines is not None:
                self.show_at_most(self._most_lines)


def _monospace_view(name: str, parent: QWidget) -> _ViewInLines:
    """A view named ``name`` of text in the fixed-pitch font, unwrapped."""
    view = _ViewInLines(parent)
    view.setAccessibleName(name)
    view.setFont(fixed_pitch_font())
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return view


class ResponsePanel(QWidget):
    """Shows the state of the last request: idle, sending, success, error or cancelled."""

    #: The person asked to send the same request again (confirmation is the window's job).
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Response")
        self._message: UserMessage | None = None
        self._summary = ""
        self._state = "idle"
        self._invitation = USUAL_INVITATION
        self._warnings: tuple[str, ...] = ()
        # Each outcome's badge, painted once for each pixel ratio (a screen of its own).
        self._badges: dict[tuple[StatusKind, float], QPixmap] = {}
        # Indents long raw answers off the GUI thread; made with the first.
        self._indenter: TaskRunner | None = None
        # Counts the states shown (idle, sending, each answer): what of one is shown later
        # (the rest of an answer, a long raw answer indented in the background) is shown
        # only if no other state was shown since.
        self._states_shown = 0
        # Called once the rest of the answer shown now is shown; None: nothing to wait for.
        self._rest_waiters: list[Callable[[], None]] | None = None

        # Kombo's words: the outcome box and the warnings, scrolled together when long.
        # Made first, so that it comes before the log link in the tab chain (top down).
        self._messages = _MessagesArea(self)
        messages = self._messages.content
        # The outcome box: icon, one-word title, plain-language text, facts.
        self._outcome = QFrame(messages)
        self._outcome.setObjectName("outcome")
        # Style sheets on the two boxes only: one on the whole panel would route every
        # widget in it (the text views, the buttons) through the slower style-sheet style.
        self._outcome.setProperty("state", self._state)
        # A font sized in pixels has no size in points (-1): 9 pt is what such fonts are.
        self._outcome.setStyleSheet(_outcome_stylesheet(max(self.font().pointSizeF(), 9.0)))
        self._icon = QLabel(self._outcome)
        self._icon.setFixedSize(22, 22)
        self._title = _plain_label(self._outcome)
        self._title.setObjectName("outcomeTitle")
        self._text = _wrapped_label(self._outcome)
        self._text.setObjectName("outcomeText")
        self._progress = QProgressBar(self._outcome)
        self._progress.setRange(0, 0)  # indeterminate: the answer's arrival cannot be predicted
        self._progress.setTextVisible(False)
        self._progress.setMaximumHeight(8)
        self._progress.setAccessibleName("Sending")
        self._progress_text = _wrapped_label(self._outcome)
        self._facts = _LinksLabel(self._outcome)
        self._facts.setWordWrap(True)
        self._facts.setTextFormat(Qt.TextFormat.RichText)
        self._facts.setOpenExternalLinks(True)
        self._facts.set_has_links(False)
        self._facts.setAccessibleName("Response facts")
        self._applied = _wrapped_label(self._outcome)
        self._applied.setObjectName("appliedNote")

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self._icon)
        header.addWidget(self._title, 1)
        outcome_layout = QVBoxLayout(self._outcome)
        outcome_layout.setContentsMargins(12, 10, 12, 10)
        outcome_layout.addLayout(header)
        outcome_layout.addWidget(self._text)
        outcome_layout.addWidget(self._progress)
        outcome_layout.addWidget(self._progress_text)
        outcome_layout.addWidget(self._facts)
        outcome_layout.addWidget(self._applied)

        # Kombo's interaction warnings: shown in full, counted, never folded away.
        self._warnings_box = QFrame(messages)
        self._warnings_box.setObjectName("warnings")
        self._warnings_box.setStyleSheet(_WARNINGS_STYLESHEET)
        self._warnings_title = _plain_label(self._warnings_box)
        self._warnings_title.setObjectName("warningsTitle")
        self._warnings_list = WrappingLabel(self._warnings_box)
        self._warnings_list.setWordWrap(True)
        self._warnings_list.setTextFormat(Qt.TextFormat.RichText)
        self._warnings_list.setAccessibleName("Warnings from Kombo")
        self._warnings_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        warnings_layout = QVBoxLayout(self._warnings_box)
        warnings_layout.setContentsMargins(12, 8, 12, 8)
        warnings_layout.addWidget(self._warnings_title)
        warnings_layout.addWidget(self._warnings_list)

        messages_layout = QVBoxLayout(messages)
        messages_layout.setContentsMargins(0, 0, 0, 0)
        messages_layout.setSpacing(8)
        messages_layout.addWidget(self._outcome)
        messages_layout.addWidget(self._warnings_box)
        messages_layout.addStretch(1)

        # Actions on the outcome, created in their order from left to right: Tab follows
        # the order in which widgets are created.
        self.details_button = EnterPressedToolButton(self)
        self.details_button.setText("Details")
        self.details_button.setAccessibleName("Details")
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.toggled.connect(self._show_details)
        self.retry_button = pressed_by_enter(QPushButton("Retry…", self))
        self.retry_button.setAccessibleName("Retry")
        self.retry_button.clicked.connect(self.retryRequested)
        self._retry_label = self.retry_button.text()
        # Kombo named a wait: Retry comes back when it is over (a countdown says when).
        self._retry_countdown = WaitCountdown(
            self.retry_button.setText, self, ended=self._end_retry_wait
        )
        self._retry_until = ""  # the clock time the wait ends at, as shown; "": none
        # While sending, a wait the client sits out (a rate limit) is counted down in the
        # progress note.
        self._progress_countdown = WaitCountdown(self._show_progress_left, self, counts_sleep=False)
        actions = QHBoxLayout()
        actions.addWidget(self.details_button)
        actions.addStretch(1)
        actions.addWidget(self.retry_button)

        self._details = _monospace_view("Technical details", self)
        self._details.show_at_most(DETAIL_LINES_SHOWN)

        # The raw answer.
        self._raw_caption = QLabel("Response body", self)
        self.copy_button = pressed_by_enter(QPushButton("Copy response", self))
        self.copy_button.setAccessibleName("Copy response")
        self.copy_button.clicked.connect(self.copy_response)
        self._copy_confirmation = CopyConfirmation(self.copy_button)
        raw_header = QHBoxLayout()
        raw_header.addWidget(self._raw_caption)
        raw_header.addStretch(1)
        raw_header.addWidget(self.copy_button)
        # Says when only the start of a long answer is shown.
        self._raw_note = _wrapped_label(self)
        self._raw_note.setAccessibleName("Response body note")
        self._raw_note.setVisible(False)
        self._raw = _monospace_view("Response body", self)
        self._raw.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Stretched, it gets the room left over, and gives it up first, down to this.
        self._raw.keep_lines(RAW_LINES_KEPT)
        self._raw_caption.setBuddy(self._raw)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        # Kombo's words take the room they need (their maximum) before the raw answer
        # gets any: room left over goes to the two by these weights.
        layout.addWidget(self._messages, MESSAGES_STRETCH)
        layout.addLayout(actions)
        layout.addWidget(self._details)
        layout.addLayout(raw_header)
        layout.addWidget(self._raw_note)
        layout.addWidget(self._raw, 1)
        self.show_idle()

    # ---- states ---------------------------------------------------------------------------

    def show_idle(self, text: str = "") -> None:
        """Nothing sent yet (or the form moved on to the next candidate); without
        ``text``, the invitation (``set_invitation``)."""
        self._message = None
        self._set_state("idle", "Ready", None, text or self._invitation)
        self._set_raw("")
        # Words of its own ("Restored … already sent", "Ready for the next candidate.") are
        # for a screen reader too; the usual invitation needs no saying.
        self._summary = text
        self._publish()

    def set_invitation(self, text: str | None) -> None:
        """The idle panel's words while nothing is sent (``None``: ``USUAL_INVITATION``):
        what to do first, where that is not filling in the form (a first profile to add,
        a demo's candidate to find). Shown at once when the panel shows the invitation."""
        invitation = text or USUAL_INVITATION
        if invitation == self._invitation:
            return
        self._invitation = invitation
        if self._state == "idle" and not self._summary:
            self.show_idle()

    def show_sending(self, what: str = "") -> None:
        """A request is in flight."""
        self._message = None
        self._set_state("busy", "Sending…", None, what)
        self._progress.setVisible(True)
        self._progress_text.setVisible(False)
        self._set_raw("")
        # Said to a screen reader as the panel's description, as the words are shown.
        self._summary = f"Sending… {what}".strip()
        self._publish()

    @Slot(str)
    def show_progress(self, message: str) -> None:
        """A progress note while sending (e.g. a rate-limit pause and its retry)."""
        self._end_progress_wait()
        self._progress_text.setText(message)
        self._progress_text.setVisible(bool(message))
        self._summary = f"Sending… {message}".strip()
        self._publish()

    def count_down_progress(self, until: float, words: WaitWords) -> None:
        """Keep the progress note shown (``show_progress``) true while a wait runs out:
        each second it becomes ``words(seconds left)`` until ``until`` (``monotonic()``
        time), so that "trying again in 20 seconds" does not stay 20. Only the text shown
        changes: a screen reader heard the wait once, when it began, and is not told
        again every second (``WaitCountdown``)."""
        self._progress_countdown.start(until, words)

    def _show_progress_left(self, words: str) -> None:
        self._progress_text.setText(words)
        # Fewer digits can take fewer lines: the words' room follows them.
        self._messages.fit_to_content()

    def load_answer_classes(self) -> None:
        """Load what showing "Sending…" and the first answer need (the style's class, the
        badge's painting classes, the announcement's, the words' patterns, the facts'
        rich text), so that they cost no frame later. Call it once the network code is
        loaded, while nothing else happens (or while a request waits for its answer):
        the parts run on turns of the event loop of their own, each a few milliseconds."""
        # Not the words' patterns when the network code failed to load: the wording
        # module is not tried again here.
        words = [_load_answer_wording] if is_imported("kombo_desktop.core.messages") else []
        self._load_in_turns(
            [
                *words,
                load_announcement_classes,
                # The style's Python class comes with large enums: loaded now, not on the
                # first Submit (each state change polishes the outcome box through it).
                self._outcome.style,
                self._paint_badges,
                load_wrapping_classes,
                self._rehearse_facts,
            ]
        )

    def _rehearse_facts(self) -> None:
        """Lay out facts such as an answer shows (bold labels, a link) once, out of sight:
        the first rich text of the window costs several times what the next costs (its
        parser, its fonts), which the first answer would pay."""
        facts = self._facts
        if not facts.isHidden() or facts.text():
            return  # an answer shows its own
        facts.set_has_links(True)
        facts.setText(_SAMPLE_FACTS)
        facts.heightForWidth(self._text.width())
        facts.clear()
        facts.set_has_links(False)

    def _badge(self, kind: StatusKind) -> QPixmap:
        """The badge of an outcome of ``kind``, at this panel's pixel ratio."""
        key = (kind, self.devicePixelRatioF())
        badge = self._badges.get(key)
        if badge is None:
            badge = self._badges[key] = status_pixmap(kind, BADGE_SIZE, key[1])
        return badge

    def _paint_badges(self) -> None:
        """Paint each outcome's badge (the first loads the painting classes, which PySide
        makes at first use, enums and all)."""
        for kind in StatusKind:
            self._badge(kind)

    def _load_in_turns(self, steps: list[Callable[[], object]]) -> None:
        """Run the first of ``steps`` now and the rest on later turns of the event loop, so
        that the window paints and reacts between them."""
        steps[0]()
        if len(steps) > 1:
            QTimer.singleShot(0, self, partial(self._load_in_turns, steps[1:]))

    def show_success(self, outcome: ApiOutcome, target: Target | None = None) -> None:
        """Kombo accepted the result link; every warning it gave is listed. ``target``, the
        candidate or application it went to, is named: the form may show another by now."""
        from kombo_desktop.core.messages import SUCCESS_LEAD, describe_success

        message = describe_success(outcome, target)
        self._message = message
        # The title already says "Success": the text goes on from there.
        text = message.text.removeprefix(SUCCESS_LEAD)
        self._set_state("success", "Success", StatusKind.SUCCESS, text[:1].upper() + text[1:])
        self._set_warnings(outcome.warnings)
        status = f"HTTP {outcome.status_code}, {outcome.elapsed_s:.2f} s."
        self._summary = " ".join(
            part
            for part in (_led_by("Success", message.text), self._warnings_summary(), status)
            if part
        )
        self._show_rest(message, partial(self._show_raw_json, outcome.body))
        self._publish(answered=True)

    def show_error(self, error: BaseException, target: Target | None = None) -> None:
        """The request failed: Kombo's error, no usable answer, or a cancellation.
        ``target``, what the result link was sent to, is named (see ``show_success``)."""
        # Loads no network code: an error may be that it could not be loaded.
        from kombo_desktop.core.messages import describe_error, is_cancellation

        message = describe_error(error, target)
        self._message = message
        cancelled = is_cancellation(error)
        if cancelled:
            self._set_state("cancelled", "Cancelled", StatusKind.CANCELLED, message.text)
        else:
            self._set_state("error", "Error", StatusKind.ERROR, message.text)
        # None: no answer came back to show.
        show_raw: Callable[[], None] | None = None
        if isinstance(error, KomboApiError):
            show_raw = partial(self._show_raw_json, error.body)
        elif isinstance(error, UnexpectedResponseError):
            # All of it, not the start the technical details quote: an answer not
            # understood is the one someone must read, and copy for support. JSON of
            # another shape (a gateway's own error, say) indented as Kombo's is, any other
            # text as it came. Masked again once decoded: an answer cut short was masked as
            # text only, and decoding brings back a key written in escapes.
            show_raw = partial(self._show_raw_json, error.body, mask_again=True)
        # Said where the raw answer would be: that nothing came back, not that it will.
        nothing_back = NO_ANSWER_TEXT if cancelled or isinstance(error, NetworkError) else ""
        applied_note = message.retry_warning
        if applied_note:
            self._applied.setText(applied_note)
            self._applied.setVisible(True)
        self.retry_button.setVisible(offers_retry(message))
        # The ellipsis promises a question: only a send that may duplicate asks first.
        self._retry_label = "Retry…" if message.may_have_been_applied else "Retry"
        self.retry_button.setText(self._retry_label)
        if isinstance(error, RateLimitedError) and error.retry_after_s:
            self._wait_before_retry(error.retry_after_s)
        # Ended as a sentence: Kombo's words, quoted last, often have no full stop, and the
        # code read straight after them would sound like part of what Kombo said.
        parts = [as_sentence(_led_by("Cancelled" if cancelled else "Error", message.text))]
        if applied_note:
            # Shown under the outcome: heard with it, as it is seen with it.
            parts.append(as_sentence(applied_note))
        if message.code:
            parts.append(f"Code: {message.code}.")
        if message.status_code is not None:
            parts.append(f"HTTP status: {message.status_code}.")
        self._summary = " ".join(parts)
        self._show_rest(message, show_raw, nothing_back=nothing_back)
        self._publish(answered=True)

    def allow_retry(self, allowed: bool) -> bool:
        """Offer Retry only while ``allowed`` (e.g. while the form holds what was sent) and
        the answer shown calls for it; True if Retry was shown and is now taken away."""
        message = self._message
        offered = allowed and message is not None and offers_retry(message)
        shown = not self.retry_button.isHidden()
        self.retry_button.setVisible(offered)
        return shown and not offered

    @property
    def retry_wait_until(self) -> str:
        """The clock time Retry comes back on, as shown ("14:32:10", "Sat 09:15:00" on a later
        day); empty when not waiting."""
        return self._retry_until

    def retry_wait_left_s(self) -> float:
        """Seconds until Retry is on again after Kombo asked to wait; 0 when not waiting."""
        return self._retry_countdown.seconds_left()

    def show_cancelled(self, target: Target | None = None) -> None:
        """The person cancelled; a POST (to ``target``, named) may still have been applied."""
        import asyncio  # loaded: a request was on its way

        self.show_error(asyncio.CancelledError(), target)

    def show_cancelled_before_sending(self) -> None:
        """The person cancelled before anything went out: nothing to retry with care."""
        self._message = None
        text = NOTHING_SENT
        self._set_state("cancelled", "Cancelled", StatusKind.CANCELLED, text)
        self._make_words_selectable()
        self._set_raw("")
        self._summary = _led_by("Cancelled", text)
        self._publish(answered=True)

    # ---- reading back ---------------------------------------------------------------------

    def summary_text(self) -> str:
        """The outcome in one line: ``Success``/``Error``, warnings, code, status."""
        return self._summary

    def message(self) -> UserMessage | None:
        """The message shown for the last answer, or ``None`` when idle or sending."""
        return self._message

    def state(self) -> str:
        """``idle``, ``busy``, ``success``, ``error`` or ``cancelled``."""
        return self._state

    def raw_text(self) -> str:
        """The raw answer, whole, every character as it came (``ExactTextView``); a long
        one is shown only from its start, a note over it saying so."""
        return self._raw.exact_text()

    def details_text(self) -> str:
        """The technical detail beyond the facts, as shown when Details is open."""
        return self._details.exact_text()

    def facts_text(self) -> str:
        """The facts (code, title, HTTP status, time taken, log link) as rich text."""
        return self._facts.text()

    @Slot()
    def copy_response(self) -> None:
        """Put the raw answer on the clipboard, all of it (when only its start is shown
        too), and say so."""
        # The text given, not read back from the view: that turns a no-break space into a
        # space, and a line separator inside a string into a line break (JSON no more).
        self._copy_confirmation.copy(self._raw.exact_text(), "Copied the response.")

    # ---- internals ------------------------------------------------------------------------

    def _set_state(self, state: str, title: str, icon: StatusKind | None, text: str) -> None:
        # A "Copied" on the button was said of the answer shown before.
        self._copy_confirmation.reset()
        self._states_shown += 1
        # Who waits for the answer shown before (``when_answer_shown``) still hears of it,
        # once its rest is due; who waits from now on, waits for this state's.
        self._rest_waiters = None
        if state != self._state:
            # The sheet's rules for the new state apply once the box is polished again
            # (its own rules only: the words in it look the same in every state).
            self._outcome.setProperty("state", state)
            style = self._outcome.style()
            style.unpolish(self._outcome)
            style.polish(self._outcome)
            self._outcome.update()
        self._state = state
        if icon is None:
            self._icon.clear()
            self._icon.setVisible(False)
        else:
            self._icon.setPixmap(self._badge(icon))
            self._icon.setVisible(True)
        self._title.setText(title)
        # An answer's words can be selected (to quote them in a ticket, say). A label that
        # can be selected is laid out as a text document, many times a layout pass: the
        # words shown while sending are not, so that pressing Submit costs no frame, nor
        # an answer's until the rest of the answer (``_make_words_selectable``), unless a
        # word in them is too long to fit a line: only a document breaks it. Either way
        # they look the same.
        self._text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            if self._text.has_word_wider_than_a_line(text)
            else Qt.TextInteractionFlag.NoTextInteraction
        )
        self._text.setText(text)
        self._text.setVisible(bool(text))
        self._progress.setVisible(False)
        self._progress_text.clear()
        self._progress_text.setVisible(False)
        show_text(self._facts, "")
        self._facts.setVisible(False)
        self._applied.clear()
        self._applied.setVisible(False)
        self._set_warnings(())
        self.retry_button.setVisible(False)
        self._end_progress_wait()
        self._end_retry_wait()
        self._set_details("")

    def _show_rest(
        self,
        message: UserMessage,
        show_raw: Callable[[], None] | None,
        *,
        nothing_back: str = "",
    ) -> None:
        """Show the facts and technical details of ``message`` and the raw answer
        (``show_raw``) a frame later, once the outcome shown now is painted, unless another
        state is shown by then; at once when nothing came back (``show_raw`` None: no
        connection, a fault of the app), which leaves little to show, and what
        ``nothing_back`` says of it (if anything) in place of the raw answer."""
        if show_raw is None:
            self._show_facts_and_details(message)
            self._set_raw("", empty=nothing_back)
            return
        if self._raw.exact_text():
            # Another answer's: gone with it, not shown under this outcome meanwhile.
            self._set_raw("")
        shown = self._states_shown
        waiters: list[Callable[[], None]] = []
        self._rest_waiters = waiters

        def show_rest() -> None:
            if self._rest_waiters is waiters:
                self._rest_waiters = None
            try:
                if shown == self._states_shown:
                    self._show_facts_and_details(message)
                    show_raw()
                    # The facts are among the words the messages area makes room for.
                    self._messages.fit_to_content()
            finally:
                # Also when showing the rest failed: the window waits for this to send
                # again (``when_answer_shown``).
                for callback in waiters:
                    callback()

        QTimer.singleShot(REST_OF_ANSWER_AFTER_MS, self, show_rest)

    def _show_facts_and_details(self, message: UserMessage) -> None:
        """The facts of ``message`` and its technical details; its words made selectable."""
        self._set_facts(message)
        self._set_details(message.notes)
        self._make_words_selectable()

    def _make_words_selectable(self) -> None:
        """Let the answer's words be selected (see ``_set_state``)."""
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def when_answer_shown(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the answer shown now is shown whole, its facts, details
        and raw answer too (at once when it is, or when there is no answer)."""
        if self._rest_waiters is None:
            callback()
        else:
            self._rest_waiters.append(callback)

    def _set_facts(self, message: UserMessage) -> None:
        """The message's facts at a glance.

        Each fact is shown once: here, not again in the technical details (its notes).
        """
        plain = " · ".join(
            f"<b>{escaped(fact.label)}:</b> {escaped(fact.value)}"
            for fact in message.facts
            if not fact.link
        )
        # A link gets a line of its own: a long address would break the line above.
        links = [
            f"<b>{escaped(fact.label)}:</b> {link_html(fact.value, colour=_OUTCOME_LINK_COLOUR)}"
            for fact in message.facts
            if fact.link
        ]
        lines = [line for line in (plain, *links) if line]
        from kombo_desktop.qt.links import is_link_address

        # Only an address given as a link makes the facts a stop for the keyboard: one
        # shown as text (a user name in it, say: ``link_html``) opens nothing.
        has_links = any(fact.link and is_link_address(fact.value) for fact in message.facts)
        # Shown before anything in its box changes: showing a widget brings the box's
        # layout up to date at once, a whole layout pass after a change, which the
        # window's own pass would do again.
        self._facts.setVisible(bool(lines))
        self._facts.set_has_links(has_links)
        show_text(self._facts, "<br>".join(lines))

    def _set_warnings(self, warnings: tuple[str, ...]) -> None:
        count = len(warnings)
        if not count:
            self._warnings = ()
            self._warnings_box.setVisible(False)
            show_text(self._warnings_list, "")
            return
        from kombo_desktop.core.messages import (
            WARNINGS_LISTED,
            listed_warnings,
            warning_words,
            warnings_heading,
        )

        # Kombo's words as every message quotes them: a key masked, no control character;
        # the first of them, each from its start when long, then how many more came
        # (``listed_warnings``): thousands of lines, or a word of thousands of characters,
        # would hold the window still as they are laid out. The raw answer has them all.
        listed = [warning_words(warning) for warning in warnings[:WARNINGS_LISTED]]
        warnings = listed_warnings(listed, came=count)
        self._warnings = warnings
        self._warnings_title.setText(warnings_heading(count))
        show_text(
            self._warnings_list,
            "<ul style='margin-left: -20px'>"
            + "".join(f"<li>{escaped(w)}</li>" for w in warnings)
            + "</ul>",
        )
        self._warnings_box.setVisible(True)

    def _warnings_summary(self) -> str:
        # The success's own words count them ("…, with 2 warnings from Kombo."): counted
        # again here, the number was heard twice in a row.
        if not self._warnings:
            return ""
        return as_sentence("Warnings: " + " | ".join(self._warnings))

    def _set_details(self, detail: str) -> None:
        # Each state change empties it: a text view set again lays out again, even when
        # its text stays the same.
        if detail != self._details.exact_text():
            self._details.set_exact_text(detail)
        self.details_button.setVisible(bool(detail))
        self._show_details(self.details_button.isChecked() and bool(detail))

    @Slot(bool)
    def _show_details(self, shown: bool) -> None:
        visible = shown and bool(self._details.exact_text())
        self._details.setVisible(visible)
        self.details_button.setArrowType(
            Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        )

    def _show_raw_json(self, body: str, *, mask_again: bool = False) -> None:
        """Show the answer ``body`` indented (``pretty_json``), keys masked in what
        indenting decoded if ``mask_again``. A long one is indented on a background thread,
        and shown once it is, unless another answer (or none) is shown by then."""
        # A note on a long answer says the size received, as Kombo sent it (the indented
        # text shown can be several times larger).
        size = utf8_size(body, halves_counted=True)
        if mask_again and not body.lstrip().startswith(_JSON_TEXT_STARTS):
            # A page or plain text: nothing to indent, nor to decode and mask again (the
            # client masked it as text), so it is shown as it came, at once.
            self._set_raw(body, received_size=size, empty=EMPTY_ANSWER_TEXT)
            return
        if len(body) <= INDENT_IN_BACKGROUND_ABOVE:
            text, is_json = _indented(body, mask_again=mask_again)
            self._set_raw(text, received_size=size, empty=EMPTY_ANSWER_TEXT, is_json=is_json)
            return
        self._set_raw("", preparing=True)
        if self._indenter is None:
            self._indenter = TaskRunner(self, name="kombo-answer-indent", finish_at_exit=False)
        shown = self._states_shown
        self._indenter.run(
            partial(_indented, body, mask_again=mask_again),
            partial(self._show_indented, shown, size),
            # Not indented after all (it cannot fail but for a lack of memory): as it came.
            lambda _error: self._show_indented(shown, size, (body, False)),
        )

    def _show_indented(self, shown: int, received_size: int, indented: tuple[str, bool]) -> None:
        if shown == self._states_shown:
            text, is_json = indented
            self._set_raw(text, received_size=received_size, is_json=is_json)

    def _set_raw(
        self,
        text: str,
        *,
        preparing: bool = False,
        received_size: int | None = None,
        empty: str = "",
        is_json: bool = False,
    ) -> None:
        """Show ``text`` as the raw answer (its start when long), ``received_size`` bytes
        as received (``text``'s own size when not given); without text, ``empty`` says
        why (an answer that came back empty, or none), else ``NO_RAW_TEXT``. JSON
        (``is_json``) shows its invisible characters as escapes, other text as they are."""
        self._raw.set_exact_text(text, start_only_if_long=True, is_json=is_json)
        note = ""
        if not self._raw.shows_all():
            note = cut_text_note(
                "The response",
                utf8_size(text, halves_counted=True) if received_size is None else received_size,
                "Copy response",
                inside_a_line=self._raw.cuts_inside_a_line(),
            )
        show_text(self._raw_note, note)
        self._raw_note.setVisible(bool(note))
        has_text = bool(text)
        placeholder = "" if has_text else (PREPARING_RAW_TEXT if preparing else empty)
        # Read with the view's name: its text alone does not say it is not all, and a
        # placeholder is not read at all.
        description = placeholder or note
        if self._raw.accessibleDescription() != description:
            self._raw.setAccessibleDescription(description)
        self.copy_button.setEnabled(has_text)
        self._raw.setPlaceholderText(placeholder or ("" if has_text else NO_RAW_TEXT))
        # Nothing came back (or an empty answer): its one line is all there is to see,
        # and Kombo's words (what may have been added, beside Retry) need the room more.
        self._raw.keep_lines(
            RAW_LINES_WHEN_NOTHING_CAME if empty and not has_text else RAW_LINES_KEPT
        )

    def _wait_before_retry(self, seconds: float) -> None:
        """Retry stays off for ``seconds``, as Kombo asked: sooner would be refused again."""

        # The client bounds the waits it reports, but an error made elsewhere need not be,
        # and Qt's clock arithmetic overflows on huge numbers (the "not" catches NaN too).
        if not seconds <= MAX_RETRY_AFTER_S:
            seconds = MAX_RETRY_AFTER_S
        until = monotonic() + seconds
        now = QDateTime.currentDateTime()
        end = now.addSecs(math.ceil(seconds))
        # A wait that ends on another day names that day: a bare time would read as today.
        # One that ends past a change of summer time names its zone: on the night it ends,
        # 02:30 comes twice, and a bare time could read as now, or as past.
        shown = "HH:mm:ss" if end.date() == now.date() else "ddd HH:mm:ss"
        if end.offsetFromUtc() != now.offsetFromUtc():
            shown += " t"
        at = end.toString(shown)
        self._retry_until = at
        self.retry_button.setEnabled(False)
        self.retry_button.setToolTip(f"Kombo asked to wait until {at}.")
        self.retry_button.setAccessibleDescription(f"Available at {at}, as Kombo asked.")
        self._retry_countdown.start(until, _retry_in, show_now=True)

    def _end_progress_wait(self) -> None:
        self._progress_countdown.stop()

    def _end_retry_wait(self) -> None:
        was_waiting = bool(self._retry_until)
        self._retry_countdown.stop()
        self._retry_until = ""
        self.retry_button.setText(self._retry_label)
        self.retry_button.setToolTip("")
        self.retry_button.setAccessibleDescription("")
        self.retry_button.setEnabled(True)
        if was_waiting and self.retry_button.isVisible():
            announce(self.retry_button, "Retry is available again.")

    def _publish(self, *, answered: bool = False) -> None:
        # The words shown changed: the room they need changed with them.
        self._messages.fit_to_content()
        self.setAccessibleDescription(self._summary)
        if answered:
            # The answer shows away from the focus (still on the form): without being
            # spoken, a screen-reader user would not know the send is over, nor how.
            announce(self, self._summary)
