"""The toolbar's profile picker: choose a customer integration in one click.

It implements the connection-source interface of the main window
(``connectionChanged``, ``current_connection``, ``connection_problem``,
``focus_problem``, ``environment``, ``describe``). Keys are read from the keyring
on a background thread, since that can block on D-Bus or an unlock prompt; until
the key arrives there is no connection and the problem says so. The profiles dialog it
opens reads and writes on the picker's two threads, not on threads of its own.

The picker follows changes another process makes to the profiles file (another window,
``kombo-desktop profiles …``): it watches the file, reads it again on its reading thread
and shows the chosen profile as it is now (its new settings and key, or none once it
was deleted). From the moment a change is seen until it has been read there is no
connection, so nothing is sent with settings the file no longer holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from kombo_desktop.core.connection import Connection, Environment, fields_holding_a_held_key
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import (
    SETTING_HOLDING_ITS_KEY,
    OldKeyMoment,
    Profile,
    ProfileStore,
    ReplacedKeyLeft,
    SavedKeyUnusable,
    connection_for_profile,
    old_key_left_words,
    saved_key_words,
)
from kombo_desktop.core.secrets import KeyStore, SecretStoreError, is_no_keyring
from kombo_desktop.qt.background_tasks import ProfileRunners
from kombo_desktop.qt.environment_badge import show_environment_badge
from kombo_desktop.qt.focus import FocusKeeper
from kombo_desktop.qt.settings import PROFILES_DIALOG_SIZE, restore_dialog_size, save_dialog_size
from kombo_desktop.qt.spoken import announce

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    # The dialog and the network stack load when first needed, not at start-up.
    from kombo_desktop.qt.profiles_dialog import ProfilesDialog
    from kombo_desktop.qt.worker import ApiWorker

log = logging.getLogger(__name__)

#: Calls its argument with the shared worker once the network code is loaded, or with
#: ``None`` if it cannot be (the main window's ``when_network_ready``): the profiles
#: dialog needs that code, and the GUI thread must not import it.
WorkerGate = Callable[[Callable[["ApiWorker | None"], object]], None]

CHOOSE_PROFILE = "Choose a profile"
ADD_PROFILE = "Add a profile in Manage profiles first."
READING_KEY = "Reading the API key…"
#: While a change another process made to the profiles file is being read.
READING_PROFILE = "Reading the profile…"
NO_KEY = "Add this profile's API key in Manage profiles."
#: A profile whose key was replaced by one kept for a session now over, and whose old key
#: the keyring would not delete (``ReplacedKeyLeft``): that one is never used.
OLD_KEY_LEFT = old_key_left_words(OldKeyMoment.READ, "in Manage profiles")
#: Where a saved key that cannot be used as it is (``SavedKeyUnusable``) is saved again.
SAVE_KEY_AGAIN_WHERE = "in Manage profiles"
#: The accessible name of the button that reads the chosen profile's key again once the
#: keyring could not give it (locked, say), as the profiles dialog's "Try again" is named.
READ_KEY_AGAIN = "Read the API key again"
#: What that button shows, and what it shows while it reads (``READING_KEY`` is spoken).
TRY_AGAIN = "Try again"
READING_AGAIN = "Reading…"
#: Shown instead of "Try again" when this computer has no keyring at all, where reading
#: again can never help; Manage profiles keeps a key for this session only. Its accessible
#: name, said in full.
ENTER_SESSION_KEY = "Enter key for this session…"
ENTER_SESSION_KEY_NAME = "Enter the API key for this session"
#: The connection's problem when this computer has no keyring at all: the way on is the
#: button beside it (the keyring's own words, naming keyring services to install, are for
#: the profiles dialog and the command line).
NO_KEYRING_HERE = (
    "There is no keyring on this computer to read the API key from: press “Enter key for "
    "this session…” to use a key until Kombo Desktop closes. It is never saved in a file."
)

#: Said in place of the integration ID of a profile that has none (an API key was taken out
#: of it, in an earlier version's file).
NO_INTEGRATION_ID = "no integration ID"

#: Integration ids longer than this are shortened in ``describe()``.
_SHORT_ID_LENGTH = 24


def _texts_holding_its_key(profile: Profile, error: BaseException) -> set[str]:
    """The integration ID and base URL of ``profile`` that its connection refused, reading
    its key (``error``), because they hold that key."""
    texts = {"integration_id": profile.integration_id, "base_url": profile.base_url or ""}
    return {texts[field] for field in fields_holding_a_held_key(error) if field in texts}


def _settings_to_correct(error: BaseException) -> list[str]:
    """The saved settings ``error`` refuses, that only Manage profiles corrects (saved by
    an earlier version that let them through), as a sentence names them: a base URL at
    fault, and an integration ID holding the profile's key (one missing is said with its
    own remedy)."""
    holding = fields_holding_a_held_key(error)
    names: dict[str, None] = {}  # in the order they are said, each once
    for problem in error.errors if isinstance(error, InputError) else ():
        if problem.field == "base_url":
            names["base URL"] = None
        elif problem.field == "integration_id" and problem.field in holding:
            names["integration ID"] = None
    return list(names)


def _whereabouts(profile: Profile, holding_key: AbstractSet[str], *, short: bool = False) -> str:
    """Where ``profile`` sends, and its integration ID (``short_integration_id`` if
    ``short``): ``EU · greenhouse:abc``. A setting whose text is in ``holding_key`` (it
    holds its profile's own key) is named, not shown."""
    where = profile.base_url_or_region_label
    if profile.base_url in holding_key:
        where = SETTING_HOLDING_ITS_KEY["base_url"]
    integration = profile.integration_id
    if integration in holding_key:
        integration = SETTING_HOLDING_ITS_KEY["integration_id"]
    elif short:
        integration = short_integration_id(integration)
    # A profile read from an earlier version's file may have no integration ID left.
    return f"{where} · {integration or NO_INTEGRATION_ID}"


def short_integration_id(integration_id: str) -> str:
    """``greenhouse:abc…`` for long ids, so the status bar stays readable."""
    if len(integration_id) <= _SHORT_ID_LENGTH:
        return integration_id
    return integration_id[: _SHORT_ID_LENGTH - 1] + "…"


class ProfilePicker(QWidget):
    """A profile combo box, the environment badge of its key and "Manage profiles".

    Load the store (``store.load()``) at startup, before the event loop, so that the
    first read of the profiles file does not happen on the GUI thread.
    """

    connectionChanged = Signal()

    def __init__(
        self,
        store: ProfileStore,
        key_store: KeyStore,
        when_network_ready: WorkerGate,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        """``when_network_ready`` hands over the shared ``ApiWorker`` once the network code
        is loaded (the main window's ``when_network_ready``). ``settings`` (the window's)
        keep the size Manage profiles last had; without them it opens at its own size."""
        super().__init__(parent)
        self._store = store
        self._settings = settings
        self._key_store = key_store
        self._when_network_ready = when_network_ready
        self._runners = ProfileRunners.owned_by(self)
        self._reader = self._runners.reader
        self._writer = self._runners.writer
        self._generation = 0
        self._profile: Profile | None = None
        self._connection: Connection | None = None
        # The connection the chosen profile had while its key is read again after a save
        # that kept where it sends (see connection_being_read_again).
        self._read_again: Connection | None = None
        self._problem: str | None = CHOOSE_PROFILE
        #: Integration IDs and base URLs found holding their profile's own key (saved by
        #: an earlier version) when it was read: named, never shown (``_whereabouts``).
        #: Texts, not profiles: once corrected in Manage profiles, a setting shows again.
        self._texts_holding_key: set[str] = set()
        # Where the problem is fixed: in the profiles dialog (no profile, no key, a bad
        # key), or in the list (choose one; choosing it again reads its key again).
        self._fixed_in_manager = False
        # The chosen profile that was deleted (here or by another process), until the
        # person chooses one (see deleted_choice).
        self._deleted_choice: str | None = None
        # The keys the window this picker serves holds (see refuse_in_exports).
        self._window_held_keys: Callable[[], Iterable[str]] = lambda: ()
        # The keys each Manage profiles read or saved: it is made anew at each opening.
        self._keys_seen_in_manager: set[str] = set()
        self.dialog: ProfilesDialog | None = None
        # "Manage profiles" goes off while the dialog is coming (see open_manager).
        self._focus = FocusKeeper(self)
        # "Try again" goes off while it reads the key (see _show_read_again).
        self._read_again_focus = FocusKeeper(self)
        # Following the profiles file (see _on_file_changed): how many of the store's
        # reads of it the list and the connection show, and whether a change seen is
        # still being read (a second read is asked for when one is seen meanwhile).
        self._reads_shown = store.reads
        self._file_reading = False
        self._file_read_again = False
        # A notice of the watcher came while the writer was busy (see
        # _read_file_again_if_changed_elsewhere).
        self._check_after_writes = False
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_file_changed)
        self._watcher.directoryChanged.connect(self._on_folder_changed)

        self.combo = QComboBox(self)
        self.combo.setAccessibleName("Profile")
        self.combo.setPlaceholderText(CHOOSE_PROFILE)
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setToolTip("The customer integration results are sent to")
        self.badge = QLabel(self)
        self.badge.setAccessibleName("Environment")
        show_environment_badge(self.badge, None)
        # Shown while the keyring could not give the chosen profile's key (locked, the
        # unlock prompt dismissed): its words end "unlock it and try again", and Submit is
        # off meanwhile, so the try needs a control of its own (``read_key_again``).
        self.read_again_button = QPushButton(TRY_AGAIN, self)
        self.read_again_button.setAccessibleName(READ_KEY_AGAIN)
        # A click leaves the focus where the person is: it goes back there once the key
        # is read, and to the button only when a key press had put it there.
        self.read_again_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.read_again_button.setToolTip("Read the API key from the keyring again")
        self.read_again_button.setVisible(False)
        self.read_again_button.clicked.connect(self.read_key_again)
        # Shown instead when no keyring exists here at all (``is_no_keyring``): it opens
        # Manage profiles at the profile's API key, which keeps a key for this session.
        self.session_key_button = QPushButton(ENTER_SESSION_KEY, self)
        self.session_key_button.setAccessibleName(ENTER_SESSION_KEY_NAME)
        self.session_key_button.setToolTip(
            "There is no keyring on this computer: enter the API key in Manage profiles, "
            "to use it until Kombo Desktop closes"
        )
        self.session_key_button.setVisible(False)
        self.session_key_button.clicked.connect(self.enter_session_key)
        # Set by "Enter key for this session…": the dialog opens at the API key field.
        self._open_at_key = False
        self.manage_button = QPushButton("Manage profiles…", self)
        self.manage_button.setAccessibleName("Manage profiles")
        self.manage_button.clicked.connect(self.open_manager)

        caption = QLabel("&Profile", self)
        caption.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.read_again_button)
        layout.addWidget(self.session_key_button)
        layout.addWidget(self.manage_button)

        self.combo.currentIndexChanged.connect(self._on_index_changed)
        self.combo.activated.connect(self._on_activated)
        self.reload()

    def refuse_in_exports(self, held_keys: Callable[[], Iterable[str]]) -> None:
        """Have Manage profiles refuse an export's file name holding one of the keys
        ``held_keys`` gives, asked at each export: the keys the window holds, of every
        profile read in this session, whatever their shape."""
        self._window_held_keys = held_keys

    # ---- the connection-source interface --------------------------------------------------

    def current_connection(self) -> Connection | None:
        """The connection of the chosen profile; None without profile, key, or while reading
        its key or a change another process made to the profiles file."""
        return None if self._file_reading else self._connection

    def connection_problem(self) -> str | None:
        """Why there is no connection, in plain words; None when there is one."""
        if self._connection is None:
            return self._problem
        return READING_PROFILE if self._file_reading else None

    def connection_being_read_again(self) -> Connection | None:
        """While the chosen profile's key is read again after a save that kept where it
        sends (its name or its key changed, say): the connection it had until then; else
        ``None`` (another profile, no key, no profile, or a first read).

        There is no connection meanwhile, since the key saved may be another; this tells
        the window that the customer is still the same, so that what belongs to that
        customer (Retry, whose an ID picked in Find… is) stays for the moment. So it
        is while a change another process made to the profiles file is read: most such
        changes are another profile's, and one of this profile's is followed then.
        """
        if self._connection is None:
            return self._read_again
        return self._connection if self._file_reading else None

    def focus_problem(self) -> None:
        """Focus "Manage profiles" when the problem is fixed there, else the profile list."""
        if self._connection is not None or self._problem == READING_KEY:
            # Nothing to fix while the key is read: on the list, the next key pressed
            # would choose another profile.
            return
        if self.read_again_button.isVisible():
            self.read_again_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.session_key_button.isVisible():
            self.session_key_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._fixed_in_manager and self.manage_button.isEnabled():
            self.manage_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.combo.setFocus(Qt.FocusReason.OtherFocusReason)

    def environment(self) -> Environment | None:
        """The environment of the chosen profile's key (read from the key itself)."""
        connection = self.current_connection()
        return connection.environment if connection is not None else None

    def describe(self) -> str:
        """E.g. ``Acme GmbH · EU · greenhouse:abc…``; never the key."""
        profile = self._profile
        if profile is None:
            return "No profile"
        return f"{profile.name} · {_whereabouts(profile, self._texts_holding_key, short=True)}"

    def _show_tooltips(self, profiles: list[Profile] | None = None) -> None:
        """Have each profile of the list say where it sends and its integration ID:
        ``profiles``, the list's rows in order, or else each row's as the store holds it."""
        for index in range(self.combo.count()):
            if profiles is not None:
                profile: Profile | None = profiles[index]
            else:
                profile = self._store.get(str(self.combo.itemData(index)))
            if profile is not None:
                words = _whereabouts(profile, self._texts_holding_key)
                self.combo.setItemData(index, words, Qt.ItemDataRole.ToolTipRole)

    # ---- more for the window and tests --------------------------------------------------------

    def current_profile(self) -> Profile | None:
        """The chosen profile, if any."""
        return self._profile

    def deleted_choice(self) -> str | None:
        """The id of the chosen profile that was deleted, until a profile is chosen again in
        the list (or by ``select_profile``); else ``None``.

        Meanwhile the profile chosen, if any, was chosen by the picker on its own (the only
        one left, say): not one the person picked for what the window holds.
        """
        return self._deleted_choice

    def select_profile(self, profile_id: str) -> None:
        """Choose a profile by id (as a click in the combo box would)."""
        index = self.combo.findData(profile_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def reload(
        self, *, reread_key: bool = True, fallback_id: str | None = None, remember: bool = True
    ) -> None:
        """Refill the list from the store, keep the choice if it still exists, re-read its key.

        With no choice yet, the last used profile is chosen, or else ``fallback_id``.
        ``reread_key=False`` keeps the key already read (or being read) when the chosen
        profile is unchanged and the store has not read another process's change since
        (which may be a new key); a read that failed is tried again either way.
        ``remember=False`` leaves the note of the profile used last as the file holds it.
        """
        if self._store.reads != self._reads_shown:
            reread_key = True
        self._reads_shown = self._store.reads
        # The file and its folder may be new (the first profile saved here).
        self._watch_file()
        before = self._profile
        wanted = before.id if before is not None else self._store.last_used_id
        profiles = self._store.profiles()
        if before is not None and self._store.get(before.id) is None:
            self._deleted_choice = before.id
        with QSignalBlocker(self.combo):
            self.combo.clear()
            for profile in profiles:
                self.combo.addItem(profile.name, profile.id)
            self._show_tooltips(profiles)
            index = self.combo.findData(wanted) if wanted else -1
            if index < 0 and fallback_id is not None:
                index = self.combo.findData(fallback_id)
            if index < 0 and before is None and len(profiles) == 1:
                # None chosen yet, and none used last (one added on the command line): the
                # only one there is, as after Manage profiles closes.
                index = 0
            self.combo.setCurrentIndex(index)
        if self._deleted_choice is not None and self.combo.currentData() == self._deleted_choice:
            # The profile is back (a damaged file set aside, then mended by hand), and
            # chosen again: the one the window's form was typed for, not another.
            self._deleted_choice = None
        if (
            not reread_key
            and before is not None
            and self._store.get(before.id) == before
            and (self._connection is not None or self._problem == READING_KEY)
        ):
            return
        self._choose(self.combo.currentIndex(), remember=remember)

    @Slot()
    def open_manager(self) -> ProfilesDialog | None:
        """Open the profiles dialog (window-modal); the list follows its changes.

        Returns the dialog; ``None`` while the network code it needs is still loading
        in the background: it then opens once that is done.
        """
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        if not self.manage_button.isEnabled():
            return None  # already waiting for the network code
        # Off until the dialog can open: the feedback that it is coming, and no second one.
        with self._focus.going_off():
            self.manage_button.setEnabled(False)
        self._when_network_ready(self._open_manager_with)
        return self.dialog

    @Slot()
    def enter_session_key(self) -> None:
        """Open Manage profiles at the chosen profile, the focus in its API key field: with
        no keyring on this computer, a key saved there is kept for this session only."""
        self._open_at_key = True
        self.open_manager()

    def _open_manager_with(self, worker: ApiWorker | None) -> None:
        # At the key field too when the chosen profile's problem is that it has none: that
        # is what the person came to add (it was ten Tabs away, behind the list).
        at_key = self._open_at_key or self._problem == NO_KEY
        self._open_at_key = False
        self.manage_button.setEnabled(True)
        # Going off, the button handed its focus on to the form: it takes it back before
        # the dialog opens, so that closing the dialog returns there (as Find… does).
        # Unless the person has moved on meanwhile (the network code may take a while).
        self._focus.give_back()
        if worker is None or self.dialog is not None:
            return  # without the network code the window has said what is wrong
        from kombo_desktop.qt.profiles_dialog import ProfilesDialog

        # The dialog works on the picker's threads: one keyring read at a time (each may
        # bring up an unlock prompt), and one writer of the profiles file.
        # The window's keys are handed on as they are, not through a method of the picker:
        # were the dialog, its child, to hold the last reference to a picker without a
        # parent, deleting the dialog would delete the picker in the middle of it.
        dialog = ProfilesDialog(
            self._store,
            self._key_store,
            worker,
            self._runners,
            self,
            held_keys=self._window_held_keys,
            keys_seen=self._keys_seen_in_manager,
        )
        if self._settings is not None:
            restore_dialog_size(dialog, self._settings, PROFILES_DIALOG_SIZE)
        if self._profile is not None:
            dialog.select_profile(self._profile.id)
            if at_key:
                dialog.focus_key_field()
        dialog.profilesChanged.connect(self.reload)
        dialog.finished.connect(self._on_manager_closed)
        self.dialog = dialog
        dialog.open()

    def keep_dialog_size(self) -> None:
        """Keep the open Manage profiles' size for the next time it opens (in the settings
        given, if any): as it closes, or as the app quits with it open."""
        if self.dialog is not None and self._settings is not None:
            save_dialog_size(self.dialog, self._settings, PROFILES_DIALOG_SIZE)

    @Slot(int)
    def _on_manager_closed(self, _result: int) -> None:
        self.keep_dialog_size()
        dialog, self.dialog = self.dialog, None
        # Without a choice (none yet, or the chosen profile was deleted), the profile just
        # saved is the one the person means to use next; so is the only one there is.
        fallback_id = dialog.last_saved_id if dialog is not None else None
        if fallback_id is None or self._store.get(fallback_id) is None:
            profiles = self._store.profiles()
            fallback_id = profiles[0].id if len(profiles) == 1 else None
        if dialog is not None:
            dialog.deleteLater()
        # Every saved change already reloaded (``profilesChanged``) and read the key
        # again; reading it once more could mean a second unlock prompt.
        self.reload(reread_key=False, fallback_id=fallback_id)

    # ---- choosing -------------------------------------------------------------------------

    @Slot(int)
    def _on_index_changed(self, index: int) -> None:
        self._deleted_choice = None  # chosen in the list: the person's choice
        self._choose(index, remember=True)

    def _choose(self, index: int, *, remember: bool) -> None:
        """Make the profile of row ``index`` (-1: none) the chosen one and read its key;
        ``remember``: note it in the file as the one used last."""
        profile_id = self.combo.itemData(index) if index >= 0 else None
        profile = self._store.get(str(profile_id)) if profile_id else None
        before = self._profile
        same_place = (
            profile is not None
            and before is not None
            and profile.id == before.id
            and profile.same_settings(before)
        )
        # Kept through reads that follow each other (two saves in a row).
        self._read_again = (self._connection or self._read_again) if same_place else None
        self._generation += 1
        self._connection = None
        self._profile = profile
        show_environment_badge(self.badge, None)
        if profile is None:
            if self.combo.count() == 0:
                message = self._store.load_result.message
                self._say_problem(message or ADD_PROFILE, fixed_in_manager=True)
            else:
                self._say_problem(CHOOSE_PROFILE)
            return
        self._say_problem(READING_KEY)
        if remember and self._store.last_used_id != profile.id:
            # Not at start-up, when the last-used profile is chosen again: nothing to write.
            store = self._store
            self._writer.run(
                lambda: store.set_last_used(profile.id),
                self._after_own_write,
                self._on_write_failed,
            )
        self._read_key(profile)

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        # Choosing the same profile again retries a failed read (e.g. after unlocking).
        profile = self._profile
        if profile is not None and self.combo.itemData(index) == profile.id:
            self.read_key_again()

    @Slot()
    def read_key_again(self) -> None:
        """Read the chosen profile's key again once a read of it failed (the keyring was
        locked, say): "Try again", or the profile chosen again in the list."""
        profile = self._profile
        if profile is None or self._connection is not None or self._problem == READING_KEY:
            return
        self._generation += 1
        self._say_problem(READING_KEY, reading_again=self.read_again_button.isVisible())
        self._read_key(profile)

    def _read_key(self, profile: Profile) -> None:
        generation = self._generation
        store, key_store = self._store, self._key_store

        def read() -> Connection | None:
            # None: no key saved. Runs on the background thread (the keyring may block).
            # A key gone from the keyring is noted in the profile, so lists stop naming it.
            try:
                return connection_for_profile(profile, key_store, store=store)
            except ReplacedKeyLeft:
                raise  # no key either, but one that is said (``failed``)
            except InputError as exc:
                if exc.fields == ("api_key",) and exc.errors[0].missing:
                    return None
                raise

        def arrived(connection: object) -> None:
            if generation != self._generation:
                return
            if self._shown_store_changes():
                return  # the key is read again, for the profile as the file holds it now
            self._read_again = None
            if connection is None:
                self._say_problem(NO_KEY, fixed_in_manager=True)
                return
            assert isinstance(connection, Connection)
            self._connection = connection
            self._problem = None
            self._show_read_again(offered=False)
            self._show_session_key(offered=False)
            show_environment_badge(self.badge, connection.environment)
            self.connectionChanged.emit()

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            if self._shown_store_changes():
                return
            self._read_again = None
            held = _texts_holding_its_key(profile, error)
            if held - self._texts_holding_key:
                # Saved by an earlier version: the profile's own key is in a setting, which
                # neither the status bar (``describe``) nor the list's tooltips may show.
                self._texts_holding_key |= held
                self._show_tooltips()
            # A key that is there but wrong is replaced in the dialog; a keyring that
            # could not be read is tried again by "Try again" (or the profile chosen again).
            # With no keyring at all, a key is entered for this session in the dialog.
            bad_key = isinstance(error, InputError)
            no_keyring = is_no_keyring(error)
            self._say_problem(
                self._explain(error),
                fixed_in_manager=bad_key or no_keyring,
                read_again=not (bad_key or no_keyring),
                session_key=no_keyring,
            )

        self._reader.run(read, arrived, failed)

    def _say_problem(
        self,
        problem: str,
        *,
        fixed_in_manager: bool = False,
        read_again: bool = False,
        reading_again: bool = False,
        session_key: bool = False,
    ) -> None:
        """``read_again``: the problem is the keyring's, and "Try again" reads the key again;
        ``reading_again``: "Try again" was pressed, and stays in view while it reads;
        ``session_key``: there is no keyring at all, and "Enter key for this session…"
        leads to where a key is kept for this session."""
        self._problem = problem
        self._fixed_in_manager = fixed_in_manager
        self._show_session_key(offered=session_key)
        if reading_again:
            self._show_read_again_reading()
        else:
            self._show_read_again(offered=read_again, read_ended=problem != READING_KEY)
        self.connectionChanged.emit()

    def _show_session_key(self, *, offered: bool) -> None:
        """Show "Enter key for this session…" (``offered``) or hide it."""
        button = self.session_key_button
        if not offered and button.hasFocus():
            # As "Try again" does: the focus stays on the profile it concerns.
            self.combo.setFocus(Qt.FocusReason.OtherFocusReason)
        button.setVisible(offered)

    def _show_read_again_reading(self) -> None:
        """Keep "Try again" in view, off, while the key it asked for is read: the person
        stays where they pressed it, and gets it back should the keyring still refuse."""
        button = self.read_again_button
        button.setText(READING_AGAIN)
        button.setAccessibleDescription(READING_KEY)
        with self._read_again_focus.going_off():
            button.setEnabled(False)
        # After the focus moved: its new place is said first, and does not cut this off.
        announce(button, READING_KEY)

    def _show_read_again(self, *, offered: bool, read_ended: bool = True) -> None:
        """Show "Try again" (``offered``) or hide it; once a read it started has ended
        (``read_ended``), the focus it had goes back to it, or, with the button gone, to
        where the person was before pressing it, else to the profile it concerns."""
        button = self.read_again_button
        if not offered and button.hasFocus():
            # It goes away (another profile is chosen, say): the focus stays in the
            # picker, on the profile it concerns.
            self.combo.setFocus(Qt.FocusReason.OtherFocusReason)
        button.setText(TRY_AGAIN)
        if button.accessibleDescription():
            # Every change of the description is announced: cleared only when it was set.
            button.setAccessibleDescription("")
        button.setEnabled(True)
        button.setVisible(offered)
        if read_ended:
            # Not while a read goes on (the file changed meanwhile, say): on the list, the
            # next key pressed would choose another profile.
            self._read_again_focus.give_back(self.combo)

    @staticmethod
    def _explain(error: BaseException) -> str:
        # Loaded on the first failure, not at start-up (it is light: no network code).
        from kombo_desktop.core.messages import describe_failure

        if isinstance(error, ReplacedKeyLeft):
            # The core's words name the command line's remedy too: the window's are these.
            return OLD_KEY_LEFT
        if isinstance(error, SavedKeyUnusable):
            return saved_key_words(error.reason, SAVE_KEY_AGAIN_WHERE)
        if is_no_keyring(error):
            return NO_KEYRING_HERE
        settings = _settings_to_correct(error)
        if settings:
            # Saved by an earlier version that let it through: where to change it is said,
            # as for a key that cannot be used.
            from kombo_desktop.core.sentences import as_sentence

            text = as_sentence(describe_failure(error).text)
            corrected = " and the ".join(settings)
            return f"{text} Correct the {corrected} {SAVE_KEY_AGAIN_WHERE}."
        if isinstance(error, SecretStoreError | InputError):
            return describe_failure(error).text
        log.error("Reading a profile's key failed unexpectedly: %r", error)
        consequence = "The API key of this profile could not be read"
        return describe_failure(error, consequence=consequence).text

    def _on_write_failed(self, error: BaseException) -> None:
        # Remembering the last profile is a convenience: a failed write is logged, not shown.
        log.warning("Could not remember the last used profile: %s", error)
        self._shown_store_changes()

    def _after_own_write(self, _result: object = None) -> None:
        self._shown_store_changes()

    # ---- following the profiles file --------------------------------------------------------

    def _watch_file(self) -> bool:
        """Watch the profiles file and its folder, those of them that exist and are not
        watched yet; True when the file was not watched and is now.

        Every write replaces the file by a new one (``write_text_atomic``): the watch of
        the old one ends with it, and the folder's tells when to watch the new one.
        """
        path = self._store.path
        file, folder = str(path), str(path.parent)
        if folder not in self._watcher.directories():
            self._watcher.addPath(folder)
        if file in self._watcher.files():
            return False
        return self._watcher.addPath(file)

    @Slot(str)
    def _on_file_changed(self, _path: str) -> None:
        self._watch_file()
        self._read_file_again_if_changed_elsewhere()

    @Slot(str)
    def _on_folder_changed(self, _path: str) -> None:
        # The folder holds the app's settings too: only a new profiles file (one that
        # replaced the last, or the first) is a change to follow.
        if self._watch_file():
            self._read_file_again_if_changed_elsewhere()

    def _read_file_again_if_changed_elsewhere(self) -> None:
        """Read the file again unless it is as this app last read or wrote it: the
        window's own writes (the profile used last, a save) are seen by the watcher too,
        and must not take the connection away, even for a moment."""
        if self._file_reading:
            self._read_file_again()
            return
        if self._writer.busy:
            # A write of this window's may be under way: the file seen may be its own, not
            # yet noted as such. Told apart once the writes queued by now are done.
            if not self._check_after_writes:
                self._check_after_writes = True
                self._writer.run(lambda: None, self._after_queued_writes, self._after_queued_writes)
            return
        if self._store.changed_on_disk():
            self._read_file_again()
        else:
            # The window's own write may have read another process's change first (a
            # write reads the file again before it writes): the file is then as this
            # store wrote it, but the list and the connection are from before.
            self._shown_store_changes()

    def _after_queued_writes(self, _result: object = None) -> None:
        self._check_after_writes = False
        self._read_file_again_if_changed_elsewhere()

    def _shown_store_changes(self) -> bool:
        """Show the profiles as the store holds them when it has read a change another
        process made since the list and the connection were shown (a write of this
        window's, or a key read noting a key gone, reads the file first); True then.

        Not while a read of the file is under way: its end shows what it finds.
        """
        if self._file_reading or self._store.reads == self._reads_shown:
            return False
        self._show_store_changes()
        return True

    def _show_store_changes(self) -> None:
        # Its note of the profile used last is left as it is: two windows would write it
        # back and forth for ever.
        self.reload(remember=False)
        if self.dialog is not None:
            self.dialog.show_store_changes()

    def _read_file_again(self) -> None:
        """Read the profiles file again on the reading thread; until then there is no
        connection (``current_connection``): it may be about to change."""
        if self._file_reading:
            # The read under way may have come too early for this change.
            self._file_read_again = True
            return
        self._file_reading = True
        self._start_file_read()
        self.connectionChanged.emit()

    def _start_file_read(self) -> None:
        store = self._store
        self._reader.run(store.reload_if_changed, self._on_file_read, self._on_file_read_failed)

    def _on_file_read(self, _read: object = None) -> None:
        if self._file_read_again:
            self._file_read_again = False
            self._start_file_read()
            return
        self._file_reading = False
        if self._store.reads != self._reads_shown:
            # Another process's change, picked up by this read or an earlier one (a write
            # reads the file first; so does the profiles dialog as it opens).
            self._show_store_changes()
        else:
            self.connectionChanged.emit()  # nothing changed: the connection is back

    def _on_file_read_failed(self, error: BaseException) -> None:
        # A file that cannot be read is reported by the store, not raised: this is a fault.
        log.error("Reading the profiles file again failed: %r", error)
        self._on_file_read()
