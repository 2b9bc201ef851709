"""What the main window needs from whatever picks the connection (a bar, a profile picker).

The window depends on this interface only, so the simple ``ConnectionBar`` and the
``ProfilePicker`` are interchangeable without touching the form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

from kombo_desktop.core.connection import Connection, Environment

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from kombo_desktop.core.profiles import Profile

_MEMBERS = (
    "connectionChanged",
    "current_connection",
    "connection_problem",
    "focus_problem",
    "environment",
    "describe",
)


@runtime_checkable
class ConnectionSource(Protocol):
    """A widget that knows where requests go and with which key."""

    #: Emitted whenever the connection, its problem or its description may have changed.
    connectionChanged: SignalInstance

    def current_connection(self) -> Connection | None:
        """The connection to use, or ``None`` while it is incomplete or invalid."""

    def connection_problem(self) -> str | None:
        """What is missing, in plain words (``"Enter the API key"``); ``None`` when complete."""

    def focus_problem(self) -> None:
        """Put the focus where the connection's problem is fixed; nothing when complete."""

    def environment(self) -> Environment | None:
        """The key's environment, or ``None`` without a key."""

    def describe(self) -> str:
        """Where requests go, for the status bar; never the key."""


@runtime_checkable
class ReadsKeysAgain(Protocol):
    """A connection source that reads a key again from time to time (the profile picker,
    after each save): it says whether the moment without a connection is only that."""

    def connection_being_read_again(self) -> Connection | None:
        """The connection whose key is being read again, ``None`` when there is none."""


@runtime_checkable
class ChoosesProfiles(Protocol):
    """A connection source made of saved profiles (the profile picker; the demo's bar is
    not): the draft remembers which one the form goes with, and chooses it again."""

    def current_profile(self) -> Profile | None:
        """The chosen profile, if any."""

    def select_profile(self, profile_id: str) -> None:
        """Choose the profile ``profile_id``; nothing when there is none by that id."""

    def deleted_choice(self) -> str | None:
        """The id of the chosen profile once it was deleted, until the person chooses one
        (what is chosen meanwhile was chosen for them)."""

    def refuse_in_exports(self, held_keys: Callable[[], Iterable[str]]) -> None:
        """Have the profiles' own screens refuse a key ``held_keys`` gives (the keys the
        window holds, asked when needed) where a key must not go: an export's file name."""

    def keep_dialog_size(self) -> None:
        """Keep the size of the profiles' own dialog, if open, for when it opens next."""


def integration_of(connection: Connection) -> tuple[str, str]:
    """Which customer's integration ``connection`` reaches, whatever its key: two
    connections that reach the same one find the same people, and an ID found with one
    names the same candidate with the other."""
    return connection.base_url, connection.integration_id


def as_connection_source(widget: QWidget) -> ConnectionSource:
    """``widget`` seen through the interface; ``TypeError`` if it lacks a member."""
    missing = [name for name in _MEMBERS if not hasattr(widget, name)]
    if missing:
        raise TypeError(f"{type(widget).__name__} is not a connection source: no {missing}")
    return cast(ConnectionSource, widget)
