"""The app's questions as a person meets them: the real box, answered by hand.

Each test lets the real ``QMessageBox`` open (offscreen), finds it as the active modal
window, reads what it says and offers (the buttons, the one Enter presses, the one Esc
presses, its icon and its window icon), then clicks a button or presses Esc, and checks
that the answer did what its button says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from kombo_desktop.core.profiles import ProfileStore
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.icons import app_icon
from kombo_desktop.qt.production_guard import PRODUCTION_QUESTION, ask_production_send
from kombo_desktop.qt.profiles_dialog import SESSION_ONLY_BUTTON, ProfilesDialog
from kombo_desktop.qt.settings import ProductionConfirmation, app_settings
from kombo_desktop.sandbox import DEMO_API_KEY, Fault
from tests import main_window_support
from tests.keyring_support import keyring_backend
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    candidate_id,
    click_submit,
    posts,
    submit_and_wait,
)
from tests.profiles_support import (
    TIMEOUT,
    add_profile,
    click,
    click_row,
    current_row_name,
    show_dialog,
    type_into,
    widget,
)
from tests.qt_helpers import find_by_accessible_name

pytestmark = pytest.mark.usefixtures("real_questions", "app_window_icon")

#: An answer given with the Esc key instead of a button.
ESC = None
Icon = QMessageBox.Icon


@dataclass(frozen=True)
class SeenBox:
    """What a person finds in a question box."""

    name: str
    title: str
    text: str
    detail: str
    buttons: frozenset[str]
    #: What a screen reader calls each button.
    spoken_buttons: frozenset[str]
    enter: str
    esc: str
    icon: Icon
    icon_shown: bool
    window_icon: int


def _plain(text: str) -> str:
    # "&Save" is shown as "Save" with an underlined mnemonic.
    return text.replace("&", "")


def _spoken(button: QAbstractButton) -> str:
    interface = QAccessible.queryAccessibleInterface(button)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def _what_is_shown(box: QMessageBox) -> SeenBox:
    default, escape = box.defaultButton(), box.escapeButton()
    return SeenBox(
        name=box.objectName(),
        title=box.windowTitle(),
        text=box.text(),
        detail=box.informativeText(),
        buttons=frozenset(_plain(b.text()) for b in box.buttons()),
        spoken_buttons=frozenset(_spoken(b) for b in box.buttons()),
        enter=_plain(default.text()) if default is not None else "",
        esc=_plain(escape.text()) if escape is not None else "",
        icon=box.icon(),
        icon_shown=not box.iconPixmap().isNull(),
        window_icon=box.windowIcon().cacheKey(),
    )


def expected(
    *,
    name: str,
    title: str,
    text: str,
    detail: str,
    buttons: set[str],
    enter: str,
    esc: str,
    icon: Icon,
) -> SeenBox:
    """A box that shows its icon and the app's icon, and names each button as it reads."""
    return SeenBox(
        name=name,
        title=title,
        text=text,
        detail=detail,
        buttons=frozenset(buttons),
        spoken_buttons=frozenset(buttons),
        enter=enter,
        esc=esc,
        icon=icon,
        icon_shown=True,
        window_icon=QApplication.windowIcon().cacheKey(),
    )


class Person:
    """Answers question boxes in turn, each once it is the active modal window.

    Whatever a box offers, it is closed (with its Esc answer when the wanted button is
    missing), so a test never waits for ever; what went wrong is in ``problems``.
    """

    def __init__(self, qtbot) -> None:
        self._qtbot = qtbot
        self._answers: list[str | None] = []
        self.seen: list[SeenBox] = []
        self.problems: list[str] = []
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._look)

    def will_answer(self, *answers: str | None) -> None:
        """Answer the next boxes with these button texts (``ESC``: press Esc)."""
        self._answers.extend(answers)
        if not self._timer.isActive():
            self._timer.start()

    def wait_until_answered(self) -> list[SeenBox]:
        """Until every answer is given; returns the boxes seen."""
        self._qtbot.waitUntil(lambda: not self._answers, timeout=TIMEOUT)
        assert self.problems == []
        return self.seen

    def stop(self) -> None:
        self._timer.stop()

    def _look(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        if not self._answers:
            # A box no answer was planned for: close it (the cautious answer) and fail.
            self.problems.append(f"unexpected box {box.objectName()!r}: {box.text()!r}")
            box.reject()
            return
        answer = self._answers.pop(0)
        self.seen.append(_what_is_shown(box))
        if answer is ESC:
            QTest.keyClick(box, Qt.Key.Key_Escape)
            return
        chosen = next((b for b in box.buttons() if _plain(b.text()) == answer), None)
        if chosen is None:
            self.problems.append(f"no button {answer!r} in the box {box.objectName()!r}")
            box.reject()  # no button chosen: the cautious answer, and the test goes on
            return
        self._qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)


@pytest.fixture
def person(qtbot) -> Iterator[Person]:
    someone = Person(qtbot)
    yield someone
    someone.stop()
    assert someone.problems == []


@pytest.fixture
def app_window_icon(qapp) -> Iterator[None]:
    """The application's icon, set as at start-up (``app.launch``)."""
    before = QApplication.windowIcon()
    QApplication.setWindowIcon(app_icon())
    yield
    QApplication.setWindowIcon(before)


# ---- the profiles dialog: "Save changes?" ---------------------------------------------------


def save_changes_box(text: str) -> SeenBox:
    return expected(
        name="unsavedChanges",
        title="Unsaved changes",
        text=text,
        detail="Your changes are lost if you do not save them.",
        buttons={"Save", "Discard", "Cancel"},
        enter="Save",
        esc="Cancel",
        icon=Icon.Question,
    )


def dialog_on_acme_with_a_new_name(qtbot, worker) -> tuple[ProfilesDialog, str]:
    """Profiles Acme and Beta; Acme shown, renamed to "Acme GmbH" and not saved.

    Returns the dialog and Acme's id.
    """
    acme = add_profile(ProfileStore(), "Acme")
    add_profile(ProfileStore(), "Beta")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(acme.id)
    type_into(dialog, "Profile name", "Acme GmbH")
    assert dialog.has_unsaved_changes()
    return dialog, acme.id


def saved_name(profile_id: str) -> str | None:
    profile = ProfileStore().get(profile_id)
    return profile.name if profile is not None else None


@pytest.mark.parametrize(("answer", "saved"), [("Save", "Acme GmbH"), ("Discard", "Acme")])
def test_save_changes_then_save_or_discard_does_so_and_shows_the_row_chosen(
    qtbot, worker, memory_keyring, person, answer: str, saved: str
):
    dialog, acme = dialog_on_acme_with_a_new_name(qtbot, worker)
    person.will_answer(answer)
    click_row(qtbot, dialog, "Beta")
    assert person.wait_until_answered() == [save_changes_box("Save changes to “Acme”?")]
    name = widget(dialog, "Profile name", QLineEdit)
    qtbot.waitUntil(lambda: name.text() == "Beta", timeout=TIMEOUT)
    assert saved_name(acme) == saved
    assert current_row_name(dialog) == "Beta"


@pytest.mark.parametrize("answer", ["Cancel", ESC], ids=["cancel", "esc"])
def test_save_changes_then_cancel_or_esc_keeps_the_row_and_the_edit(
    qtbot, worker, memory_keyring, person, answer
):
    dialog, acme = dialog_on_acme_with_a_new_name(qtbot, worker)
    person.will_answer(answer)
    click_row(qtbot, dialog, "Beta")
    assert person.wait_until_answered() == [save_changes_box("Save changes to “Acme”?")]
    assert current_row_name(dialog) == "Acme"
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme GmbH"
    assert dialog.has_unsaved_changes()
    assert saved_name(acme) == "Acme"


def new_profile_typed(qtbot, worker) -> ProfilesDialog:
    """A shown dialog whose form holds a new profile "Acme" that is not saved yet."""
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    type_into(dialog, "Profile name", "Acme")
    type_into(dialog, "Integration ID", "acme-integration")
    type_into(dialog, "API key", DEMO_API_KEY)
    return dialog


@pytest.mark.parametrize("answer", ["Save", "Discard"])
def test_closing_with_edits_then_save_or_discard_closes(
    qtbot, worker, memory_keyring, person, answer
):
    dialog = new_profile_typed(qtbot, worker)
    person.will_answer(answer)
    with qtbot.waitSignal(dialog.finished, timeout=TIMEOUT):
        dialog.close()
    assert person.wait_until_answered() == [save_changes_box("Save the new profile “Acme”?")]
    assert not dialog.isVisible()
    saved = ProfileStore().find_by_name("Acme")
    if answer == "Save":
        assert saved is not None
        assert KeyStore().get(saved.id) == DEMO_API_KEY
    else:
        assert saved is None
        assert memory_keyring.passwords == {}


def test_closing_with_edits_then_cancel_stays_open_with_the_edits(
    qtbot, worker, memory_keyring, person
):
    dialog = new_profile_typed(qtbot, worker)
    person.will_answer("Cancel")
    dialog.close()
    assert person.wait_until_answered() == [save_changes_box("Save the new profile “Acme”?")]
    assert dialog.isVisible()
    assert widget(dialog, "Profile name", QLineEdit).text() == "Acme"
    assert widget(dialog, "API key", QLineEdit).text() == DEMO_API_KEY
    assert ProfileStore().profiles() == []


# ---- the profiles dialog: deleting, and a key no keyring takes ------------------------------


def delete_box() -> SeenBox:
    return expected(
        name="confirmDelete",
        title="Delete profile",
        # Acme was saved without a key: nothing is said of one.
        text="Delete the profile “Acme”?",
        detail="This cannot be undone.",
        buttons={"Delete profile", "Cancel"},
        enter="Cancel",
        esc="Cancel",
        icon=Icon.Question,
    )


def keyring_unreachable() -> AbstractContextManager[KeyringBackend]:
    """No keyring at all, as on a computer without one."""
    return keyring_backend(FailKeyring())  # type: ignore[no-untyped-call]


NO_KEYRING_DETAIL_END = "If its API key was saved in a keyring earlier, it stays there."


def delete_only_box(detail: str) -> SeenBox:
    return expected(
        name="confirmDeleteWithoutKeyring",
        title="Delete profile",
        text="Delete the profile “Acme” without deleting its API key?",
        detail=detail,
        buttons={"Delete profile only", "Cancel"},
        enter="Cancel",
        esc="Cancel",
        icon=Icon.Warning,
    )


def delete_acme_without_a_keyring(
    qtbot, worker, person: Person, *answers: str | None
) -> list[SeenBox]:
    """Press Delete profile on Acme while no keyring can be reached; answer the boxes."""
    profile = add_profile(ProfileStore())
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    person.will_answer(*answers)
    click(qtbot, dialog, "Delete profile")
    seen = person.wait_until_answered()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    return seen


def test_delete_profile_only_deletes_the_profile_when_no_keyring_can_be_reached(
    qtbot, worker, person
):
    with keyring_unreachable():
        seen = delete_acme_without_a_keyring(
            qtbot, worker, person, "Delete profile", "Delete profile only"
        )
        qtbot.waitUntil(lambda: ProfileStore().find_by_name("Acme") is None, timeout=TIMEOUT)
    first, second = seen
    assert first == delete_box()
    assert "No secure system keyring can be reached" in second.detail
    assert second.detail.endswith(NO_KEYRING_DETAIL_END)
    assert second == delete_only_box(second.detail)


@pytest.mark.parametrize("answer", ["Cancel", ESC], ids=["cancel", "esc"])
def test_delete_profile_only_refused_keeps_the_profile(qtbot, worker, person, answer):
    with keyring_unreachable():
        seen = delete_acme_without_a_keyring(qtbot, worker, person, "Delete profile", answer)
    assert [box.name for box in seen] == ["confirmDelete", "confirmDeleteWithoutKeyring"]
    assert seen[1] == delete_only_box(seen[1].detail)
    assert ProfileStore().find_by_name("Acme") is not None


def test_delete_then_esc_deletes_nothing(qtbot, worker, memory_keyring, person):
    profile = add_profile(ProfileStore())
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.select_profile(profile.id)
    person.will_answer(ESC)
    click(qtbot, dialog, "Delete profile")
    assert person.wait_until_answered() == [delete_box()]
    assert not dialog.busy  # no write started
    assert ProfileStore().get(profile.id) is not None


def test_a_key_no_keyring_takes_is_kept_for_the_session_only_when_the_person_says_so(
    qtbot, worker, person
):
    with keyring_unreachable():
        dialog = new_profile_typed(qtbot, worker)
        person.will_answer(ESC)
        click(qtbot, dialog, "Save profile")
        (seen,) = person.wait_until_answered()
        qtbot.waitUntil(lambda: "Nothing was saved" in dialog.status_text(), timeout=TIMEOUT)
        assert ProfileStore().profiles() == []

        person.will_answer(SESSION_ONLY_BUTTON)
        click(qtbot, dialog, "Save profile")
        person.wait_until_answered()
        qtbot.waitUntil(lambda: "Saved" in dialog.status_text(), timeout=TIMEOUT)
        profile = ProfileStore().find_by_name("Acme")
        assert profile is not None
        assert dialog._key_store.is_session_only(profile.id)
    assert seen == expected(
        name="keyringProblem",
        title="The API key could not be saved",
        text=seen.text,
        detail=(
            "Kombo Desktop never writes API keys to a file. Keep the key in memory until "
            "Kombo Desktop closes, or cancel and try again later."
        ),
        # The reason in technical words is behind "Show Details...".
        buttons={SESSION_ONLY_BUTTON, "Cancel", "Show Details..."},
        enter="Cancel",
        esc="Cancel",
        icon=Icon.Warning,
    )
    assert "keyring" in seen.text


# ---- sending: production, retry, closing while sending --------------------------------------


def test_a_production_send_goes_out_only_on_send(qtbot, person):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    setting = ProductionConfirmation(app_settings(), parent)
    sent: list[str] = []

    person.will_answer(ESC)
    ask_production_send(parent, "Live Customer · EU", lambda: sent.append("esc"), setting=setting)
    (seen,) = person.wait_until_answered()
    assert sent == []

    person.will_answer("Send")
    ask_production_send(parent, "Live Customer · EU", lambda: sent.append("send"), setting=setting)
    person.wait_until_answered()
    qtbot.waitUntil(lambda: sent == ["send"], timeout=TIMEOUT)
    assert seen == expected(
        name="productionConfirmation",
        title="Send with a production key?",
        text=PRODUCTION_QUESTION,
        detail="Live Customer · EU",
        buttons={"Send", "Cancel"},
        enter="Cancel",
        esc="Cancel",
        icon=Icon.Warning,
    )


def test_retry_after_a_send_that_may_have_been_applied_asks_and_esc_sends_nothing(
    qtbot, fresh_sandbox, person
):
    window = build_window(qtbot, fresh_sandbox)
    main_window_support.fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    fresh_sandbox.inject_fault(Fault.server_error(500), times=1)
    submit_and_wait(qtbot, window)
    message = window.response.message()
    assert message is not None
    assert message.retry_warning
    retry = find_by_accessible_name(window, "Retry", QPushButton)

    person.will_answer(ESC)
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    (seen,) = person.wait_until_answered()
    assert not window.busy
    assert len(posts(fresh_sandbox)) == 1

    person.will_answer("Send again")
    with qtbot.waitSignal(window.requestFinished, timeout=WAIT_MS):
        qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    person.wait_until_answered()
    assert len(posts(fresh_sandbox)) == 2
    assert seen == expected(
        name="retryConfirmation",
        title="Send again?",
        # The question stands alone: it names the candidate the panel's outcome names.
        text=(
            "Kombo may already have added this result link to candidate "
            f"{candidate_id(fresh_sandbox)}. Sending it again can leave a duplicate link in "
            "the customer's ATS."
        ),
        detail="If you can, check the candidate in the ATS first.",
        buttons={"Send again", "Don't send"},
        enter="Don't send",
        esc="Don't send",
        icon=Icon.Warning,
    )


def test_closing_while_sending_asks_and_only_close_anyway_closes(qtbot, fresh_sandbox, person):
    fresh_sandbox.set_latency(3000)
    window = build_window(qtbot, fresh_sandbox)
    window.ask_before_closing_while_sending = True
    main_window_support.fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    click_submit(qtbot, window)
    assert window.busy

    person.will_answer(ESC)
    window.close()
    (seen,) = person.wait_until_answered()
    assert window.isVisible()
    assert window.busy  # the send goes on

    person.will_answer("Close anyway")
    window.close()
    person.wait_until_answered()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=TIMEOUT)
    assert seen == expected(
        name="closeWhileSending",
        title="A result link is being sent",
        text=(
            "A result link is still being sent. If you close now, you will not see "
            "whether Kombo added it."
        ),
        detail="",
        buttons={"Close anyway", "Keep open"},
        enter="Keep open",
        esc="Keep open",
        icon=Icon.Warning,
    )
