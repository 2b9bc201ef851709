"""A Kombo key in a large "Remote fields JSON" is looked for once, with its check.

The form is validated at each key typed, on the GUI thread. A pasted JSON of megabytes
whose words hold "ks_" (``tasks_``, ``weeks_``…) took that search through all of it at
every key typed in the Label: now the JSON's check, made off the GUI thread, says whether
a key stands in it, and the form asks that.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from kombo_desktop.core import connection
from kombo_desktop.core.connection import KEY_IN_TEXT_PROBLEM
from kombo_desktop.core.remote_fields import check_json
from kombo_desktop.qt.main_window import MainWindow
from kombo_desktop.sandbox import Sandbox
from tests.main_window_support import (
    WAIT_MS,
    button,
    candidate_id,
    fill_form,
    paste_remote_json,
    type_into,
)
from tests.remote_fields_support import large_json

#: What a JSON exported by an ATS may hold many times over: words with "ks_" in them.
_TASKS = '"tasks_done": "weeks_left tasks_dev_review"'
#: A key of the documented shape, as a test may hold one.
_KEY = "ks_dev_" + "a1B2c3D4e5F6g7H8i9J0" * 2


@contextmanager
def key_searches_on_this_thread(longer_than: int) -> Iterator[list[int]]:
    """The lengths of the texts longer than ``longer_than`` searched for keys on this
    thread (the GUI thread in a window test) while the block runs."""
    searched: list[int] = []
    code = connection._keys_in.__code__

    def watch(frame: FrameType, event: str, _arg: Any) -> None:
        # "call" also when a generator resumes: each step of the search is seen.
        if event == "call" and frame.f_code is code:
            text = frame.f_locals.get("text", "")
            if len(text) > longer_than:
                searched.append(len(text))

    sys.setprofile(watch)
    try:
        yield searched
    finally:
        sys.setprofile(None)


def _large_json_with(member: str) -> str:
    """About four megabytes of another ATS's fields, each holding ``member`` too."""
    return large_json(fields=30_000).replace('"n": ', member + ', "n": ')


def test_typing_in_the_label_does_not_search_a_large_json_for_keys_again(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    paste_remote_json(qtbot, window, _large_json_with(_TASKS))
    qtbot.waitUntil(lambda: not window.form.remote_fields.is_checking_json(), timeout=WAIT_MS)
    assert window.form.error_text("remote_fields") == ""
    with key_searches_on_this_thread(longer_than=100_000) as searched:
        type_into(qtbot, window, "Label", " (second attempt)")
    assert searched == []
    assert window.form.error_text("remote_fields") == ""


def test_a_key_in_a_large_json_is_still_found_and_said_at_the_json(
    qtbot, window: MainWindow, fresh_sandbox: Sandbox
) -> None:
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    text = _large_json_with(_TASKS).replace('"lever"', f'"note": "{_KEY}",\n  "lever"', 1)
    paste_remote_json(qtbot, window, text)
    qtbot.waitUntil(lambda: not window.form.remote_fields.is_checking_json(), timeout=WAIT_MS)
    submit = button(window, "Submit")
    said = f"Remote fields {KEY_IN_TEXT_PROBLEM}"
    qtbot.waitUntil(lambda: said in submit.toolTip(), timeout=WAIT_MS)
    assert not submit.isEnabled()
    # Typing elsewhere keeps it said.
    type_into(qtbot, window, "Label", " (second attempt)")
    assert said in submit.toolTip()
    assert not submit.isEnabled()


def test_the_check_of_a_json_says_whether_a_key_stands_in_its_strings() -> None:
    assert check_json(f'{{"note": "{_KEY}"}}').holds_api_key
    # Written with escapes, it is still the key.
    escaped = _KEY.replace("k", "\\u006b", 1)
    assert check_json(f'{{"note": "{escaped}"}}').holds_api_key
    assert not check_json(f"{{{_TASKS}}}").holds_api_key
    # A JSON refused says nothing of keys: the form reads its text instead.
    assert not check_json(f'{{"note": "{_KEY}"').holds_api_key
