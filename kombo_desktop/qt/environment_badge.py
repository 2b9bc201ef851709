"""The coloured environment badge ("Production", "Development") the toolbars and dialogs show."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kombo_desktop.core.connection import Environment
from kombo_desktop.qt.spoken import show_text

#: Badge colours; the badge always carries the word too, so colour is never the only cue.
ENVIRONMENT_COLOURS: dict[Environment, str] = {
    Environment.PRODUCTION: "#b3261e",
    Environment.DEVELOPMENT: "#2e7d32",
    Environment.UNKNOWN: "#6d6d6d",
}


def key_environment_sentence(environment: Environment, key: str = "This key") -> str:
    """What the badge of ``environment`` means, said of ``key`` ("This key", "The saved
    key"): for a tooltip. An unknown environment is no third kind of Kombo environment: the
    key does not start as Kombo's keys do."""
    if environment is Environment.UNKNOWN:
        return (
            f"{key} does not start with ks_prod_ or ks_dev_, so which Kombo environment it "
            "belongs to is not known"
        )
    return f"{key} belongs to the {environment.value} environment"


def show_environment_badge(label: QLabel, environment: Environment | None) -> None:
    """Show "Production", "Development" or "Unknown" in its colour; hide for None."""
    if environment is None:
        show_text(label, "")
        label.setToolTip("")
        label.setVisible(False)
        return
    # The badge has a fixed accessible name ("Environment"): the word itself must be read.
    show_text(label, environment.value)
    label.setStyleSheet(
        f"QLabel {{ color: white; background: {ENVIRONMENT_COLOURS[environment]}; "
        "border-radius: 3px; padding: 1px 6px; font-weight: 600; }"
    )
    label.setToolTip(key_environment_sentence(environment))
    label.setVisible(True)


def keep_badge_room(label: QLabel) -> None:
    """Have ``label`` (shown with ``show_environment_badge``) take the room of its widest
    word whatever it shows, and while it is hidden: what is laid out around it stays put
    as it comes and goes (hidden while a key is read, say)."""
    from PySide6.QtCore import Qt

    widest = 0
    for environment in Environment:
        show_environment_badge(label, environment)
        widest = max(widest, label.sizeHint().width())
    show_environment_badge(label, None)
    label.setMinimumWidth(widest)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    policy = label.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    label.setSizePolicy(policy)
