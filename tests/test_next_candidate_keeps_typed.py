"""Next candidate keeps what was typed after the send (core, no Qt).

The form stays editable while a link is on its way: the next candidate's ID, URL or
values typed meanwhile are kept, and only what still holds what was sent is cleared.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from kombo_desktop.core.form_state import FormState, SentLink, TypedSinceSent
from kombo_desktop.core.kinds import TargetKind
from kombo_desktop.core.remote_fields import RemoteFieldsInput

FIRST_ID = "8Xi6iZrwusZqJmDGXs49GBmJ"
SECOND_ID = "3Kq9wZrwusZqJmDGXs49Ab12"
REMOTE = RemoteFieldsInput(workable_on_behalf_of_user_remote_id="u1")

AS_SENT = FormState(
    target_kind=TargetKind.CANDIDATE,
    target_id=FIRST_ID,
    label="Assessment Result",
    url="https://example.com/results/1",
    prefix="Acme:",
    attributes=(("Score", "88%"), ("Time", "2:30h")),
    remote_fields=REMOTE,
)


def next_after(form: FormState, as_sent: FormState) -> FormState:
    """``form`` for the next candidate, keeping what was typed since ``as_sent`` went out."""
    return form.for_next_candidate(typed=form.typed_since(as_sent))


def test_a_form_unchanged_since_the_send_is_cleared_as_before() -> None:
    sent_record = (SentLink("a" * 64, datetime.now(timezone.utc)),)
    form = replace(AS_SENT, sent=sent_record)
    assert not form.typed_since(AS_SENT)
    assert next_after(form, AS_SENT) == form.for_next_candidate()
    cleared = next_after(form, AS_SENT)
    assert (cleared.target_id, cleared.url, cleared.sent) == ("", "", ())
    assert cleared.attributes == (("Score", ""), ("Time", ""))
    assert (cleared.label, cleared.prefix, cleared.remote_fields) == (
        "Assessment Result",
        "Acme:",
        REMOTE,
    )


def test_the_next_id_and_url_typed_after_the_send_are_kept() -> None:
    form = replace(AS_SENT, target_id=SECOND_ID, url="https://example.com/results/2")
    assert form.typed_since(AS_SENT) == TypedSinceSent(target_id=True, url=True)
    cleared = next_after(form, AS_SENT)
    assert (cleared.target_id, cleared.url) == (SECOND_ID, "https://example.com/results/2")
    assert cleared.attributes == (("Score", ""), ("Time", ""))


def test_only_the_field_changed_is_kept() -> None:
    form = replace(AS_SENT, target_id=SECOND_ID)
    cleared = next_after(form, AS_SENT)
    assert (cleared.target_id, cleared.url) == (SECOND_ID, "")


def test_the_same_value_typed_again_counts_as_the_one_sent() -> None:
    # Retyped, or with a space left at its end: nothing of the next candidate's.
    form = replace(AS_SENT, target_id=f" {FIRST_ID} ", attributes=(("Score", "88% "),))
    assert not form.typed_since(AS_SENT)
    assert next_after(form, AS_SENT).target_id == ""


def test_a_value_changed_and_a_row_added_after_the_send_are_kept() -> None:
    form = replace(
        AS_SENT,
        attributes=(("Score", "91%"), ("Time", "2:30h"), ("Notes", "late"), ("", "draft")),
    )
    assert form.typed_since(AS_SENT).attribute_rows == {0, 2, 3}
    cleared = next_after(form, AS_SENT)
    # A value typed before its key keeps its row: the key is still to come.
    assert cleared.attributes == (("Score", "91%"), ("Time", ""), ("Notes", "late"), ("", "draft"))


def test_rows_moved_or_a_key_renamed_since_still_hold_what_was_sent() -> None:
    moved = replace(AS_SENT, attributes=(("Time", "2:30h"), ("Score", "88%")))
    assert next_after(moved, AS_SENT).attributes == (("Time", ""), ("Score", ""))
    renamed = replace(AS_SENT, attributes=(("Total", "88%"), ("Time", "2:30h")))
    assert not renamed.typed_since(AS_SENT)
    assert next_after(renamed, AS_SENT).attributes == (("Total", ""), ("Time", ""))


def test_a_value_sent_once_accounts_for_one_row_its_own_first() -> None:
    as_sent = replace(AS_SENT, attributes=(("Passed", "yes"), ("Retake", "no")))
    # "no" typed into Passed for the next candidate; Retake still holds what was sent.
    form = replace(AS_SENT, attributes=(("Passed", "no"), ("Retake", "no")))
    assert form.typed_since(as_sent).attribute_rows == {0}
    assert next_after(form, as_sent).attributes == (("Passed", "no"), ("Retake", ""))


def test_the_next_candidates_values_are_kept_when_they_swap_the_ones_sent() -> None:
    # Yes/no columns: the next candidate's answers are the last one's, swapped. Before,
    # each was matched by its value alone to the other key's, and both were cleared.
    as_sent = replace(AS_SENT, attributes=(("Passed", "yes"), ("Retake", "no")))
    form = replace(AS_SENT, attributes=(("Passed", "no"), ("Retake", "yes")))
    assert form.typed_since(as_sent).attribute_rows == {0, 1}
    assert next_after(form, as_sent).attributes == (
        ("Passed", "no"),
        ("Retake", "yes"),
    )


def test_without_the_form_as_sent_everything_is_cleared_as_before() -> None:
    form = replace(AS_SENT, target_id=SECOND_ID, attributes=(("Score", "91%"), ("", "x")))
    cleared = form.for_next_candidate()
    assert (cleared.target_id, cleared.url, cleared.attributes) == ("", "", (("Score", ""),))
