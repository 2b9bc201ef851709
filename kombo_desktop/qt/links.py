"""Addresses from Kombo's answers, shown as links: only a web address goes to the browser.

Kombo's answer is no trusted source: an address of another scheme (``file:``, a custom
handler) is never offered as a link (``link_html`` gives it as text).
"""

from __future__ import annotations

from kombo_desktop.core.text import is_web_address

__all__ = ["escaped", "link_html"]


def escaped(text: str) -> str:
    """``text`` as rich text shows it literally."""
    # ``html`` (with its entity tables) loads with the first answer, not at start-up.
    import html

    return html.escape(text)


def link_html(url: str, *, colour: str | None = None) -> str:
    """A clickable link for a web address; anything else as plain text. ``colour`` (as
    ``#0b57d0``) replaces the theme's link colour, for a link on a background of the
    app's own."""
    text = escaped(url)
    if not is_web_address(url):
        return text
    style = f' style="color: {colour}"' if colour else ""
    return f'<a href="{text}"{style}>{text}</a>'
