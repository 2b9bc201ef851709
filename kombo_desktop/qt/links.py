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


def link_html(url: str) -> str:
    """A clickable link for a web address; anything else as plain text."""
    text = escaped(url)
    return f'<a href="{text}">{text}</a>' if is_web_address(url) else text
