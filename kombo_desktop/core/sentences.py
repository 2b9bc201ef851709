"""How a field's problem and any other text become sentences, in one place.

Kept apart from ``messages`` (which words Kombo's answers) because the form words its
problems from the first keystroke, long before the network side of the app has loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kombo_desktop.core.connection import FIELD_NAMES as CONNECTION_FIELD_NAMES
from kombo_desktop.core.errors import FieldError

__all__ = [
    "FIELD_NAMES",
    "NOTHING_SENT",
    "as_sentence",
    "counted",
    "field_problem_sentence",
    "listed",
    "said_of_part",
]


#: A cancel that caught the request before it went out: said by the window and by the
#: answer to a job that waited for its turn.
NOTHING_SENT = "Nothing was sent."

#: How a field is named when its problem is told away from the form field itself.
FIELD_NAMES: dict[str, str] = {"profile_name": "profile name", **CONNECTION_FIELD_NAMES}


#: How a field's message starts when it says something about the field ("is required",
#: "must use https"), so that the field's name can go before it ("The API key is
#: required"); other messages are told after the field's name, as a sentence of their
#: own ("Region: Choose EU, US or a custom base URL.").
_PREDICATE_STARTS = (
    "is ",
    "are ",
    "must ",
    "has ",
    "have ",
    "does ",
    "cannot ",
    "contains ",
    "needs ",
)


def field_problem_sentence(
    error: FieldError,
    name: str | None = None,
    *,
    definite: bool = True,
    full_stop: bool = True,
) -> str:
    """``error`` as a sentence that names its field: "The API key is required.".

    ``name`` is what the field is called, by default its entry in ``FIELD_NAMES`` (the
    connection's fields and the profile name); a field without a name is left unnamed,
    its message standing alone. ``definite`` puts "The" before the name; a name that is
    a label of its own ("Result URL") goes without. ``full_stop`` False leaves the text
    as a field's own caption shows it, without a full stop added.
    """
    if name is None:
        name = FIELD_NAMES.get(error.field)
    message = error.message.strip()
    if name is None:
        text = message
    elif message.startswith(_PREDICATE_STARTS):
        text = f"the {name} {message}" if definite else f"{name} {message}"
    else:
        text = f"{_capitalized(name)}: {_capitalized(message)}"
    return as_sentence(text) if full_stop else _capitalized(text)


def said_of_part(error: FieldError, parts: Mapping[str, str]) -> str | None:
    """``error`` said of the part of its field it is about, named by ``parts`` by the end
    of the field's name (``{".value": "Value"}``: "Value must not contain an API key"), or
    ``None``: no part of its field is named there, or its message is a sentence of its own
    ("Value is empty"), which names what it is about already."""
    name = next((name for end, name in parts.items() if error.field.endswith(end)), None)
    message = error.message.strip()
    if name is None or not message.startswith(_PREDICATE_STARTS):
        return None
    return f"{name} {message}"


def _capitalized(text: str) -> str:
    """``text`` with a capital first letter, unless it starts with a key or a path that is
    named before a colon ("icims.package_id: …"): such a name is written as it is."""
    first_word = text.split(" ", 1)[0]
    if first_word.endswith(":"):
        return text
    return text[:1].upper() + text[1:]


def as_sentence(text: str) -> str:
    """``text`` as a sentence of its own: trimmed, with a capital first letter and a full
    stop (unless it already ends a sentence, or trails off with "…")."""
    text = _capitalized(text.strip())
    if not text:
        return text
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def listed(items: Sequence[str]) -> str:
    """``items`` as a person lists them: "A", "A and B", "A, B and C"."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def counted(number: int, noun: str) -> str:
    """``number`` with ``noun``, plural unless it is one: "1 candidate", "3 minutes"."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
