"""The live preview of the request the form will send, and "Copy as curl".

Built by ``core.requests`` (the same code the client sends with), so the preview is
exactly what goes over the wire. A copied curl command names the key
``$KOMBO_API_KEY``: the key itself never reaches the clipboard.

The preview follows every key typed, so it stays cheap however large the body is (a
pasted "Remote fields JSON" can be megabytes): it shows at most the start of the body
(``SHOWN_BODY_LIMIT``) with a note of the whole size; what did not change is not built
again; a request holding much text is built on a background thread once typing pauses,
the latest one only, giving the interpreter back to the GUI thread as it goes
(``core.pacing``); and the curl command, all of the body, is written when it is copied.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kombo_desktop.core.connection import Connection
from kombo_desktop.core.identity_cache import LastSeenByIdentity
from kombo_desktop.core.text import json_size
from kombo_desktop.qt.background_tasks import TaskRunner
from kombo_desktop.qt.buttons import pressed_by_enter
from kombo_desktop.qt.copy_confirmation import CopyConfirmation
from kombo_desktop.qt.exact_text_view import (
    SHOWN_TEXT_LIMIT,
    ExactTextView,
    cut_inside_a_line,
    cut_text_note,
    text_start,
)
from kombo_desktop.qt.fixed_pitch import fixed_pitch_font
from kombo_desktop.qt.spoken import HeldDescription, HeldUntil, show_text
from kombo_desktop.qt.wrapping_label import WrappingLabel

if TYPE_CHECKING:
    # A request to show exists only once the models (pydantic) have loaded.
    from kombo_desktop.core.models import ResultLinkRequest, Target
    from kombo_desktop.core.requests import PreparedCall

log = logging.getLogger(__name__)

#: At most this many characters of the body are shown: more makes every change of the
#: preview slow (a text view lays out all it holds), and nobody reads megabytes there.
#: The answer shown in the response panel is held to the same.
SHOWN_BODY_LIMIT = SHOWN_TEXT_LIMIT
#: A request holding more text than this is built on a background thread. Below it,
#: building takes well under a millisecond and the preview changes with the key typed.
BUILD_IN_BACKGROUND_ABOVE = 16 * 1024
#: How long typing must pause before a large request is built: each build shares the
#: interpreter with the GUI thread for a moment (a new JSON's size is counted), so none
#: is started for a form that changes again at the next key.
BUILD_DELAY_MS = 100
#: Shown while a large request is built and there is nothing older to show meanwhile.
PREPARING_TEXT = "Preparing the preview…"

_Inputs = tuple["Target", "ResultLinkRequest"]


@dataclass(frozen=True)
class _Built:
    """A call as the preview shows it: the start of its body, and the whole body's size
    (in bytes as sent) when only the start is shown.

    A call built in the background keeps no body: megabytes of objects kept for a copy
    that may never come would weigh on every garbage collection (on the GUI thread).
    """

    call: PreparedCall
    shown_body: str
    whole_size: int | None
    cut_inside_a_line: bool
    in_background: bool


def _build(target: Target, request: ResultLinkRequest) -> _Built:
    """What the preview shows for this request, built with the client's own code; touches
    no widget."""
    from kombo_desktop.core.requests import result_link_call

    call = result_link_call(target, request)
    start, cut = call.body_text_start(SHOWN_BODY_LIMIT)
    return _built(call, start, cut, call.body_size, in_background=False)


def _build_large(
    target: Target, request: ResultLinkRequest, sizes: LastSeenByIdentity[int]
) -> _Built:
    """``_build`` for a request holding much text, on the builder's thread.

    Only the start of the body is encoded, and its size counted in small pieces (each
    member for another ATS once for the object it is: ``_body_size``), with pauses: the
    builder's thread holds the interpreter while it works, and the GUI thread waits for
    it at each call into Python while the window paints. The body holds the JSON's own
    objects, not copies (``ResultLinkRequest.to_body``), and is not kept.
    """
    from kombo_desktop.core.requests import result_link_call

    call = result_link_call(target, request)
    start, cut = call.body_text_start(SHOWN_BODY_LIMIT)
    remote = request.remote_fields
    passed_through = remote.passed_through() if remote is not None else {}
    count = functools.partial(_body_size, call.body or {}, passed_through, sizes)
    built = _built(dataclasses.replace(call, body=None), start, cut, count, in_background=True)
    if built.whole_size is None:
        # Shown whole, so not counted: the members counted for an earlier body are let go.
        sizes.forget()
    return built


def _built(
    call: PreparedCall, start: str, cut: bool, whole_size: Callable[[], int], *, in_background: bool
) -> _Built:
    """``call``, whose body starts with ``start`` (``cut``: that is not all of it), as the
    preview shows it; ``whole_size`` counts the body as sent, asked only when the body is
    not shown whole."""
    # A long value is one long line, which Qt lays out again at every key typed: the view
    # shows its start (``text_start``), and Ctrl+A still copies the whole ``start``.
    shown = text_start(start)
    size = whole_size() if cut or shown != start else None
    return _Built(call, start, size, cut_inside_a_line(start, shown), in_background)


def _body_size(
    body: dict[str, Any], passed_through: dict[str, Any], sizes: LastSeenByIdentity[int]
) -> int:
    """How many bytes ``body`` is as sent, its ``remote_fields`` holding ``passed_through``
    (the members for other ATSs): each of those is counted once for the object it is,
    ``sizes`` keeping the counts of the last call.

    The same JSON text is parsed once into objects shared by every request built from it,
    which only read them (as ``form_state.sent_fingerprint`` counts on): a key typed in the
    Label leaves them as they are, and a change of the JSON brings new ones.
    """
    if not passed_through:
        # None of the members counted before is in this body: they are let go.
        sizes.forget()
        return _size_as_sent(body)
    # Each counted apart: ``null`` in its place here.
    remote_fields = {**body["remote_fields"], **dict.fromkeys(passed_through)}
    others = _size_as_sent({**body, "remote_fields": remote_fields})
    counted = sizes.values_of(passed_through, _size_as_sent)
    return others + sum(size - len("null") for size in counted.values())


def _size_as_sent(value: object) -> int:
    """How many bytes ``value`` is as sent, counted with pauses: on the builder's thread,
    they let the window paint."""
    return json_size(value, paced=True)


def _curl(target: Target, request: ResultLinkRequest, base_url: str, integration_id: str) -> str:
    """The curl command for this request, written on the builder's thread: with pauses,
    in which the window paints."""
    from kombo_desktop.core.requests import result_link_call

    return result_link_call(target, request).as_curl(base_url, integration_id, paced=True)


def _holds_more_text_than(request: ResultLinkRequest, limit: int) -> bool:
    """True when ``request`` holds more than about ``limit`` characters.

    Walks the request only until it has seen that many, so the answer costs about as
    much for megabytes as for a small form.
    """
    from pydantic import BaseModel  # loaded: a request exists

    budget = limit
    pending: list[Any] = [request]
    while pending:
        value = pending.pop()
        budget -= 4  # quotes, separators, brackets
        if isinstance(value, str):
            budget -= len(value)
        elif isinstance(value, BaseModel):
            pending.extend(member for _name, member in value)  # fields, extras included
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple):
            pending.extend(value)
        if budget < 0:
            return True
    return False


def cut_body_note(whole_size: int, *, inside_a_line: bool = False) -> str:
    """The words under the request line when only the start of the body is shown."""
    return cut_text_note("The body", whole_size, "Copy as curl", inside_a_line=inside_a_line)


class RequestPreview(QWidget):
    """Method, URL and JSON body of the request in the form; read-only."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connection: Connection | None = None
        #: The target and request last given to ``show_request`` (None: a problem shown).
        self._inputs: _Inputs | None = None
        #: ``_inputs`` as built for showing; None while that is being done in the background.
        self._built: _Built | None = None
        #: The inputs being built in the background, if any (one at a time: the latest).
        self._building: _Inputs | None = None
        self._shown_body = ""
        #: The members for other ATSs last counted, by the object each is (``_body_size``).
        #: Used by the builder's thread only (``_build_large``), where the objects it lets
        #: go of are freed.
        self._member_sizes: LastSeenByIdentity[int] = LastSeenByIdentity()
        self._builder = TaskRunner(self, name="kombo-preview", finish_at_exit=False)
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(BUILD_DELAY_MS)
        self._build_timer.timeout.connect(self._build_latest)
        caption = QLabel("Request", self)
        bold = caption.font()
        bold.setWeight(QFont.Weight.DemiBold)
        caption.setFont(bold)
        self.copy_curl_button = pressed_by_enter(QPushButton("Copy as curl", self))
        self.copy_curl_button.setAccessibleName("Copy as curl")
        self.copy_curl_button.clicked.connect(self.copy_curl)
        self._copy_confirmation = CopyConfirmation(self.copy_curl_button)
        header = QHBoxLayout()
        header.addWidget(caption)
        header.addStretch(1)
        header.addWidget(self.copy_curl_button)

        # A long ID or base URL breaks inside its word instead of widening the window.
        self.request_line = WrappingLabel(self)
        self.request_line.setAccessibleName("Request line")
        self.request_line.setTextFormat(Qt.TextFormat.PlainText)
        self.request_line.setWordWrap(True)
        self.request_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fixed = fixed_pitch_font()
        self.request_line.setFont(fixed)

        self.cut_note = QLabel(self)
        self.cut_note.setAccessibleName("Request preview note")
        self.cut_note.setTextFormat(Qt.TextFormat.PlainText)
        self.cut_note.setWordWrap(True)
        self.cut_note.setVisible(False)

        # Copied whole or in part, it is the JSON sent (a no-break space stays one).
        self.body = ExactTextView(self)
        self.body.setAccessibleName("Request preview")
        self.body.setFont(fixed)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        caption.setBuddy(self.body)
        # Every change of the description is announced, and what the form still needs
        # changes at almost every key typed elsewhere: that is said once a person moves
        # to the body, and kept up to date while they stay (``_describe_body``).
        self._body_description = HeldDescription(self.body, until=HeldUntil.FOCUS_IN)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(header)
        layout.addWidget(self.request_line)
        layout.addWidget(self.cut_note)
        layout.addWidget(self.body, 1)
        self.show_problem("The preview appears here as the form is filled in.")

    def show_request(
        self, target: Target, request: ResultLinkRequest, connection: Connection | None
    ) -> None:
        """Show the call for a valid form; curl needs a connection (for the URL and id)."""
        self._connection = connection
        large = _holds_more_text_than(request, BUILD_IN_BACKGROUND_ABOVE)
        if self._is_shown(target, request, large=large):
            # Only the connection can have changed: the body stays as built.
            self._show_copy_state()
            if self._built is not None:
                self._show_request_line(self._built.call)
            return
        self._inputs = (target, request)
        self._built = None
        self._show_copy_state()
        if not large:
            self._build_timer.stop()
            self._show_built(_build(target, request))
            self._forget_member_sizes()
            return
        if not self._shown_body:
            self.body.setPlaceholderText(PREPARING_TEXT)
            self._describe_body(PREPARING_TEXT)
        self._build_timer.start()

    def _is_shown(self, target: Target, request: ResultLinkRequest, *, large: bool) -> bool:
        """True when ``target`` and ``request`` send exactly what ``_inputs`` does.

        Compared exactly, not with ``==``: a form corrected from ``true`` to ``1``, or with
        its keys reordered, is equal as Python sees it but sent otherwise. A request holding
        much text counts only as the very object shown (the connection changed, not the
        form): proving two of them the same would hold the GUI thread for longer than
        building the new one in the background takes it.
        """
        from kombo_desktop.core.requests import same_result_link  # loaded: a request exists

        if self._inputs is None:
            return False
        if request is self._inputs[1]:
            return target == self._inputs[0]
        return not large and same_result_link((target, request), self._inputs)

    def show_problem(self, text: str) -> None:
        """No request can be built yet; say why instead."""
        self._inputs = None
        self._built = None
        self._build_timer.stop()
        show_text(self.request_line, "")
        self.request_line.setVisible(False)
        # A screen reader does not read a placeholder: the empty preview would be heard
        # as blank, not as what the form still needs.
        self._show_cut_note(None, otherwise_said=text)
        self._set_body("")
        self.body.setPlaceholderText(text)
        self._show_copy_state()
        self._forget_member_sizes()

    def shutdown(self) -> None:
        """Build nothing more: the window closes. A build under way is not waited for (it
        only reads), and its answer is dropped; the builder's thread ends with it."""
        self._build_timer.stop()
        self._builder.shutdown()

    def body_text(self) -> str:
        """The JSON body as shown, every character as sent (only its start when it is long:
        see ``cut_note``)."""
        return self.body.exact_text()

    def is_building(self) -> bool:
        """True while a large request waits for typing to pause or is being built off the
        GUI thread; the preview shows an older one, or none, meanwhile."""
        return self._inputs is not None and self._built is None

    @Slot()
    def copy_curl(self) -> None:
        """Put the curl command for the form as it is on the clipboard, and say so.

        Written now, with all of the body: a large one off the GUI thread (it is copied a
        moment later), even while its preview is still being built.
        """
        connection = self._connection
        if self._inputs is None or connection is None:
            return
        built = self._built
        if built is not None and not built.in_background:
            self._copy(built.call.as_curl(connection.base_url, connection.integration_id))
            return
        target, request = self._inputs
        self._builder.run(
            functools.partial(
                _curl, target, request, connection.base_url, connection.integration_id
            ),
            self._copy,
            self._on_copy_failed,
        )

    def _copy(self, curl: str) -> None:
        self._copy_confirmation.copy(
            curl, "Copied a curl command; it reads the key from $KOMBO_API_KEY."
        )

    def _forget_member_sizes(self) -> None:
        """No large body is shown: let go of its members counted, on the builder's thread
        (where megabytes of objects are freed without holding up the GUI thread)."""
        if self._member_sizes.holds_any():
            self._builder.run(self._member_sizes.forget)

    @Slot()
    def _build_latest(self) -> None:
        """Build ``_inputs`` in the background, unless a build is already out: the latest
        inputs are built when it is back (what was typed meanwhile is never built)."""
        inputs = self._inputs
        if inputs is None or self._built is not None or self._building is not None:
            return
        self._building = inputs
        target, request = inputs
        self._builder.run(
            functools.partial(_build_large, target, request, self._member_sizes),
            functools.partial(self._on_built, inputs),
            functools.partial(self._on_build_failed, inputs),
        )

    def _on_built(self, inputs: _Inputs, built: _Built) -> None:
        self._building = None
        if inputs is self._inputs:
            self._show_built(built)
        else:
            self._build_again()

    def _on_build_failed(self, inputs: _Inputs, error: BaseException) -> None:
        self._building = None
        # The kind only: the message may quote what was typed.
        log.error("The request preview could not be built (%s)", type(error).__name__)
        if inputs is self._inputs:
            self.show_problem("The preview could not be shown.")
        else:
            self._build_again()

    def _build_again(self) -> None:
        """The form changed while a build was out: build it now, unless typing goes on
        (the timer then builds it) or a smaller form was shown meanwhile."""
        if self._built is None and not self._build_timer.isActive():
            self._build_latest()

    def _on_copy_failed(self, error: BaseException) -> None:
        log.error("The curl command could not be written (%s)", type(error).__name__)

    def _show_built(self, built: _Built) -> None:
        self._built = built
        self._show_request_line(built.call)
        self._show_cut_note(built.whole_size, inside_a_line=built.cut_inside_a_line)
        self._set_body(built.shown_body)

    def _show_request_line(self, call: PreparedCall) -> None:
        connection = self._connection
        base_url = connection.base_url if connection is not None else "{base URL}"
        # In its description too: a screen reader reads where the request goes.
        show_text(self.request_line, f"{call.method} {call.url(base_url)}")
        self.request_line.setVisible(True)

    def _show_cut_note(
        self, whole_size: int | None, *, inside_a_line: bool = False, otherwise_said: str = ""
    ) -> None:
        """Say that the body shown is cut, or hide the note; without a note the body's
        accessible description is ``otherwise_said``."""
        note = "" if whole_size is None else cut_body_note(whole_size, inside_a_line=inside_a_line)
        show_text(self.cut_note, note)
        self.cut_note.setVisible(bool(note))
        # Read with the preview's name: its text alone does not say it is not all.
        self._describe_body(note or otherwise_said, is_note=bool(note))

    def _describe_body(self, description: str, *, is_note: bool = False) -> None:
        """Make ``description`` the body's accessible description while it has the focus;
        elsewhere it is said only when ``is_note`` (the body shown is cut)."""
        # The note changes only when a large body is built, once typing pauses.
        self._body_description.describe(description, meanwhile=description if is_note else "")

    def _show_copy_state(self) -> None:
        if self._inputs is None:
            self.copy_curl_button.setEnabled(False)
            self.copy_curl_button.setToolTip("Complete the form first")
        elif self._connection is None:
            self.copy_curl_button.setEnabled(False)
            self.copy_curl_button.setToolTip("Set up the connection first")
        else:
            self.copy_curl_button.setEnabled(True)
            # Quoted for a POSIX shell: cmd or PowerShell read the same text otherwise.
            self.copy_curl_button.setToolTip(
                "Copy a curl command for this request, for a POSIX shell (bash, zsh); "
                "the key is written as $KOMBO_API_KEY"
            )

    def _set_body(self, text: str) -> None:
        # Compared with what was set, not read back: reading a text view copies it out.
        if text == self._shown_body:
            return
        self._shown_body = text
        # Keep the scroll position while typing.
        bar = self.body.verticalScrollBar()
        position = bar.value()
        # The body is JSON, built by the app: its invisible characters shown as escapes.
        self.body.set_exact_text(text, start_only_if_long=True, is_json=True)
        bar.setValue(position)
