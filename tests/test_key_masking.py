"""Which keys the log masks: every key that is sent or stored, never a half-typed one.

Keys of any shape are masked once registered (``core.logs.register_secret``). A key
typed into the connection bar builds a connection on every keystroke; were each of
those registered, the partial keys ("vani", "vanil", …) would mask ordinary words.
"""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kombo_desktop.core.client import SyncKomboClient
from kombo_desktop.core.connection import Connection, without_api_keys
from kombo_desktop.core.drafts import DraftStore
from kombo_desktop.core.errors import KomboDesktopError
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.logs import REDACTED, mask_keys, redact
from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.cli_support import cli, output
from tests.qt_helpers import wait_exposed


def test_a_key_typed_into_the_bar_is_masked_whole_and_its_beginnings_are_not(
    qtbot: QtBot,
) -> None:
    window = MainWindow(ConnectionBar())
    window.ask_before_closing_while_sending = False
    qtbot.addWidget(window)
    window.show()
    wait_exposed(qtbot, window)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    QTest.keyClicks(bar.integration_id, "acme-integration")
    key = "vanillasky-7Q2-odd-shaped"
    QTest.keyClicks(bar.api_key, key)
    # Every keystroke gave the window a complete connection (it previews and checks it).
    assert bar.current_connection() is not None

    assert redact("vanilla ice cream, vanillasky") == "vanilla ice cream, vanillasky"

    # Typing ends (Enter, or the field loses focus): from then on the whole key is masked.
    QTest.keyClick(bar.api_key, Qt.Key.Key_Return)
    assert key not in redact(f"sent with {key} today")
    assert redact("vanilla ice cream") == "vanilla ice cream"


def test_a_client_masks_the_key_it_sends_and_not_one_it_only_holds(
    fresh_sandbox: Sandbox,
) -> None:
    key = "scripted-key-without-prefix-4411"
    connection = Connection.create(
        api_key=key, integration_id="acme", base_url=fresh_sandbox.base_url
    )
    # Built, even as a client, is not sent: the window prepares clients for the
    # connection being typed, half-typed keys included.
    with SyncKomboClient(connection):
        pass
    assert key in redact(f"made {key}")

    with SyncKomboClient(connection) as client, contextlib.suppress(KomboDesktopError):
        client.check_api_key()  # the sandbox refuses the key: it was sent all the same
    assert len(fresh_sandbox.requests) == 1
    assert key not in redact(f"sent with {key}")


#: A Kombo key of another alphabet (standard Base64): ``/``, ``+`` and ``=`` in it.
OTHER_ALPHABET_KEY = "ks_prod_abcdefghijklmnop/qrstuv+wxyz="


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"--apikey={OTHER_ALPHABET_KEY}", f"--apikey={REDACTED}"),
        (f"The key {OTHER_ALPHABET_KEY} was refused", f"The key {REDACTED} was refused"),
        ("ks_dev_abc.def:ghi/jkl", REDACTED),
        # What follows a key after a space, a comma or a quote is not part of it.
        (
            f"{OTHER_ALPHABET_KEY} https://example.com/results/1",
            f"{REDACTED} https://example.com/results/1",
        ),
        (f"key={OTHER_ALPHABET_KEY}, region=eu", f"key={REDACTED}, region=eu"),
        (f"“{OTHER_ALPHABET_KEY}” is not a port", f"“{REDACTED}” is not a port"),
        # The full stop (or colon) after a key ends the sentence: a key does not end so.
        (f"Use {OTHER_ALPHABET_KEY}.", f"Use {REDACTED}."),
        (f"Refused {OTHER_ALPHABET_KEY}: try again", f"Refused {REDACTED}: try again"),
        # Words and paths that only look like a key's start stay.
        (
            "https://gw.example.com/tasks_prod_eu/v1 and webhooks_prod_eu/1",
            "https://gw.example.com/tasks_prod_eu/v1 and webhooks_prod_eu/1",
        ),
    ],
)
def test_a_key_is_masked_to_its_last_character_and_no_further(text: str, masked: str) -> None:
    assert mask_keys(text) == masked
    assert redact(text) == masked
    # A key is the same whether it is kept out of the log or out of a profile's name.
    assert without_api_keys(text, REDACTED) == masked


def test_the_command_line_never_prints_the_tail_of_a_key_of_another_alphabet(
    app_home: Path,
) -> None:
    # Pasted as a word of its own, not as an option's value: only its shape tells.
    words = ["send", "--candidate", "c", "--label", "L", "--url", "https://example.com/r/1"]
    result = cli(app_home, *words, OTHER_ALPHABET_KEY)
    assert result.returncode == 2, output(result)
    assert f"error: unrecognized arguments: {REDACTED}\n" in result.stderr
    assert "qrstuv+wxyz" not in output(result)


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060", "\ufeff", "\u00ad"])
def test_a_key_split_by_an_invisible_character_is_masked_and_removed_whole(
    tmp_path: Path, invisible: str
) -> None:
    # Keys copied from web pages and chats bring zero-width characters along.
    tail = "EfGh1234567890XyZ"
    pasted = f"Acme ks_prod_AbCd{invisible}{tail} rest"
    assert mask_keys(pasted) == f"Acme {REDACTED} rest"
    assert redact(pasted) == f"Acme {REDACTED} rest"
    assert without_api_keys(pasted, "[API key removed]") == "Acme [API key removed] rest"
    store = DraftStore(tmp_path / "draft.json")
    store.save(FormState(label=pasted))
    assert tail not in (tmp_path / "draft.json").read_text(encoding="utf-8")


def test_every_invisible_character_is_taken_as_part_of_a_key() -> None:
    # The rule above for every character Unicode calls invisible (category Cf).
    invisible = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    assert invisible
    left = [c for c in invisible if mask_keys(f"ks_prod_AbCd{c}EfGh1234") != REDACTED]
    assert left == []
