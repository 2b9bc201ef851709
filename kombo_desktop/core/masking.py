"""What a key looks like, and text with every key-shaped token masked: standard library only.

The sandbox masks a key pasted as its host with these, and it promises the standard
library alone (no ``platformdirs``, which the log file needs). ``core.logs`` adds the
keys the app registered (``register_secret``) on top of these shapes: one definition of
a key's shape for the log, the messages, the command line and the sandbox.
"""

from __future__ import annotations

import re

REDACTED = "[redacted]"

#: Unicode's invisible formatting characters (category Cf, what
#: ``core.text.has_invisible_characters`` finds), up to Unicode 15.1: a zero-width space or a
#: word joiner copied from a web page inside a key must not leave the rest of it behind.
INVISIBLE_CHARACTERS = (
    r"\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    r"\U000e0020-\U000e007f"
)
#: What a key holds after its ``ks_…_`` start, the one definition of a key's characters
#: (for the log and for ``core.connection``): printable ASCII, up to a quote, a backslash,
#: a bracket, a comma or a semicolon, where a key pasted among words ends. A key of another
#: alphabet may hold ``/``, ``+``, ``=``, ``:`` or ``.``: a bit of text too many taken out
#: is better than a bit of a key left in. A space or a visible character outside ASCII ends
#: it (the quotes of “ks_prod_…”); an invisible one does not (``INVISIBLE_CHARACTERS``),
#: and a full stop, colon, ``!`` or ``?`` at its very end is the sentence's
#: (``Use ks_prod_….``).
#: (Patterns as text here: ``re`` compiles them at first use, not while the window starts.
#: The class lists the characters taken, not those left out: a negated class reaching
#: U+10FFFF costs ``re`` some 10 ms to compile, at the first answer or log line.)
_KEY_CHARACTER = r"(?:[!#-&*+\-./0-:=?-Z^_a-z|~]|[" + INVISIBLE_CHARACTERS + "])"
KEY_BODY = rf"{_KEY_CHARACTER}*(?<![.:!?])"
#: The start of a Kombo key followed by as much as a key holds, wherever it stands: a key
#: pasted right after a word (``acmeks_prod_…``) is still a key. Its first characters are
#: those every key starts with, so that a word followed by a path (``tasks_prod_eu/v1``)
#: is not taken for one.
LONG_KEY_START = r"ks_(?:prod|dev)_(?=[A-Za-z0-9_\-]{16})"
#: Where a Kombo key starts: ``ks_prod_`` or ``ks_dev_`` not inside a word (``tasks_dev_``
#: is a word), or one pasted right after a word (``LONG_KEY_START``).
KOMBO_KEY_START = rf"(?:(?<![A-Za-z0-9_])ks_(?:prod|dev)_|{LONG_KEY_START})"
#: At least 4 of a key's characters after its start: fewer are not taken for a key.
_FOUR_OR_MORE = rf"(?={_KEY_CHARACTER}{{4}})"
#: A Kombo key as such (``mask_key_shapes``), or the start of one cut short: narrower than
#: ``_KEY_PATTERN``, which also takes other ``ks_…_`` tokens out of log lines, where a word
#: too many masked costs nothing.
_KOMBO_KEY = rf"{KOMBO_KEY_START}{_FOUR_OR_MORE}{KEY_BODY}"
_KEY_PATTERN = rf"\bks_[a-z]+_{_FOUR_OR_MORE}{KEY_BODY}"
_BEARER_PATTERN = r"(?i)(bearer\s+)[^\s\"',;]+"
_AUTH_HEADER_PATTERN = r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)[^\s\"',;]+"


def mask_key_shapes(text: str) -> str:
    """``text`` with every Kombo-key-shaped token masked, and nothing else changed: a key,
    or the start of one that a server quoted cut short, is never data."""
    return re.sub(_KOMBO_KEY, REDACTED, text)


def redact_key_shapes(text: str) -> str:
    """``text`` with Kombo keys, other ``ks_…_`` tokens, Bearer tokens and the values of
    ``Authorization`` headers masked: for words that may quote what was typed or sent (a
    log line, a refusal), where a word too many masked costs nothing."""
    text = mask_key_shapes(text)
    text = re.sub(_BEARER_PATTERN, rf"\1{REDACTED}", text)
    text = re.sub(_AUTH_HEADER_PATTERN, rf"\1{REDACTED}", text)
    return re.sub(_KEY_PATTERN, REDACTED, text)
