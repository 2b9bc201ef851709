"""Addresses from Kombo's answers, shown as links: only a web address goes to the browser.

Kombo's answer is no trusted source: an address of another scheme (``file:``, a custom
handler), or one carrying a user name or password (``https://app.kombo.dev@evil.example``
reads as Kombo's, and goes elsewhere), is never offered as a link (``link_html`` gives
it as text). Its words from there, shown in a tooltip, are shown as they are, never read
as markup (``tooltip_text``).
"""

from __future__ import annotations

from kombo_desktop.core.text import (
    has_control_characters,
    has_invisible_characters,
    is_web_address,
)

__all__ = ["escaped", "is_link_address", "link_html", "tooltip_text"]


def escaped(text: str) -> str:
    """``text`` as rich text shows it literally: as ``html.escape`` writes it.

    Written out rather than imported: ``html`` (with its entity tables) would load at
    start-up, and an import in here costs each call PySide's import hook (some 8 µs, of
    which a page of Find's results makes 10,000 calls)."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def is_link_address(url: str) -> bool:
    """True when ``url`` may be offered as a link: a web address (http or https) with no
    user name or password in it, and no character that does not show (a space, a line
    break, a direction override turning the address around)."""
    if not is_web_address(url):
        return False
    from urllib.parse import urlsplit

    if (
        has_control_characters(url)
        or has_invisible_characters(url)
        or any(ch.isspace() for ch in url)
    ):
        return False
    try:
        parts = urlsplit(url)
        # Reading the port checks it; a host that is no host (``[::1``) fails above.
        _ = parts.port
    except ValueError:
        return False
    # "https://app.kombo.dev@evil.example/…" goes to evil.example: its start, a user
    # name, only makes it look like Kombo's.
    return parts.username is None and parts.password is None


def link_html(url: str, *, colour: str | None = None) -> str:
    """A clickable link for a web address (``is_link_address``); anything else as plain
    text. ``colour`` (as ``#0b57d0``) replaces the theme's link colour, for a link on a
    background of the app's own."""
    text = escaped(url)
    if not is_link_address(url):
        return text
    style = f' style="color: {colour}"' if colour else ""
    return f'<a href="{text}"{style}>{text}</a>'


def tooltip_text(text: str) -> str:
    """A tooltip showing ``text`` exactly as it is, lines kept, whatever it holds.

    Qt shows a tooltip as rich text when it looks like markup: a name from Kombo holding
    ``<b>`` or ``<img src='file:///…'>`` would be drawn as such, or load a local file, or
    (``<!--``) hide the words after it. Given as rich text made here, with the text
    escaped in it, it is shown as it came.
    """
    return "<p style='white-space:pre-wrap'>" + escaped(text).replace("\n", "<br>") + "</p>"
