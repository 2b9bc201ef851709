"""Colours the app chooses itself, under dark and high-contrast themes and when the theme
changes while the window is open: each must read (WCAG's 4.5:1 for text) against the
background it actually gets, and nothing may be said by colour alone."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from kombo_desktop.qt.connection_bar import ConnectionBar
from kombo_desktop.qt.field_marks import is_marked, set_text_tone
from kombo_desktop.qt.icons import StatusKind
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID, Fault, Sandbox
from tests.main_window_support import (
    WAIT_MS,
    build_window,
    button,
    candidate_id,
    fill_form,
    submit_and_wait,
    type_over,
)
from tests.qt_helpers import find_by_accessible_name

Role = QPalette.ColorRole

#: Breeze Dark's colours (KDE's dark theme).
DARK = {
    Role.Window: "#31363b",
    Role.WindowText: "#eff0f1",
    Role.Base: "#232629",
    Role.Text: "#eff0f1",
    Role.Button: "#31363b",
    Role.ButtonText: "#eff0f1",
    Role.Link: "#1d99f3",
    Role.LinkVisited: "#9b59b6",
}
#: A high-contrast theme as Windows gives it: white on black, links in yellow.
HIGH_CONTRAST = {
    Role.Window: "#000000",
    Role.WindowText: "#ffffff",
    Role.Base: "#000000",
    Role.Text: "#ffffff",
    Role.Button: "#000000",
    Role.ButtonText: "#ffffff",
    Role.Link: "#ffff00",
    Role.LinkVisited: "#ffff00",
}
LIGHT = {
    Role.Window: "#efefef",
    Role.WindowText: "#000000",
    Role.Base: "#ffffff",
    Role.Text: "#000000",
    Role.Button: "#efefef",
    Role.ButtonText: "#000000",
    Role.Link: "#0000ff",
    Role.LinkVisited: "#ff00ff",
}
#: The outcome box's background for an error: its tints are the same under every theme.
ERROR_TINT = "#fdecea"


def contrast(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio, worked out here rather than taken from the app."""

    def luminance(colour: QColor) -> float:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = colour.redF(), colour.greenF(), colour.blueF()
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def set_theme(qapp: QApplication) -> Iterator[Callable[[dict[QPalette.ColorRole, str]], None]]:
    """Gives the application a theme's colours, as the desktop does; the palette it had
    is put back after the test."""
    before = QPalette(qapp.palette())

    def apply(colours: dict[QPalette.ColorRole, str]) -> None:
        palette = QPalette(qapp.palette())
        for role, colour in colours.items():
            palette.setColor(role, QColor(colour))
        qapp.setPalette(palette)

    yield apply
    qapp.setPalette(before)


def text_colour(label: QLabel) -> QColor:
    return label.palette().color(label.foregroundRole())


def reads(label: QLabel, background: str) -> bool:
    return contrast(text_colour(label), QColor(background)) >= 4.5


def frame_colour(field: QLineEdit) -> QColor:
    sheet = field.styleSheet()
    start = sheet.index("solid ") + len("solid ")
    return QColor(sheet[start : start + 7])


@pytest.mark.parametrize("kind", list(StatusKind), ids=lambda kind: kind.value)
@pytest.mark.parametrize(
    "theme", [LIGHT, DARK, HIGH_CONTRAST], ids=["light", "dark", "high contrast"]
)
def test_every_tone_reads_on_every_theme(qtbot, set_theme, kind, theme):
    # The profiles dialog's connection test says its success, warning or failure so.
    set_theme(theme)
    label = QLabel("Connected")
    qtbot.addWidget(label)
    set_text_tone(label, kind)
    assert reads(label, theme[Role.Window]), text_colour(label).name()


def url_at_fault(qtbot, window) -> tuple[QLineEdit, QLabel]:
    type_over(qtbot, window, "Result URL", "not a url")
    url = find_by_accessible_name(window, "Result URL", QLineEdit)
    problem = find_by_accessible_name(window, "Result URL problem", QLabel)
    qtbot.waitUntil(lambda: is_marked(url) and problem.isVisible(), timeout=WAIT_MS)
    return url, problem


@pytest.mark.parametrize("theme", [DARK, HIGH_CONTRAST], ids=["dark", "high contrast"])
def test_a_field_at_fault_reads_on_a_dark_theme(qtbot, fresh_sandbox: Sandbox, set_theme, theme):
    set_theme(theme)
    window = build_window(qtbot, fresh_sandbox)
    url, problem = url_at_fault(qtbot, window)
    # Before: the light theme's dark red, 2.2:1 on Breeze Dark's window.
    assert reads(problem, theme[Role.Window]), text_colour(problem).name()
    # A frame is no text, but must still stand out from the field (3:1).
    assert contrast(frame_colour(url), QColor(theme[Role.Base])) >= 3


def test_a_theme_changed_while_the_window_is_open_is_followed(
    qtbot, fresh_sandbox: Sandbox, set_theme
):
    set_theme(LIGHT)
    window = build_window(qtbot, fresh_sandbox)
    url, problem = url_at_fault(qtbot, window)
    label = find_by_accessible_name(window, "Label", QLineEdit)
    assert reads(problem, LIGHT[Role.Window])

    for theme in (DARK, LIGHT):
        set_theme(theme)
        # Before: the field at fault stayed a white box on the dark theme (and a dark one
        # on the light theme), its problem text in the tone of the theme it was set under.
        qtbot.waitUntil(
            lambda theme=theme: url.palette().color(Role.Base) == QColor(theme[Role.Base]),
            timeout=WAIT_MS,
        )
        assert url.palette().color(Role.Text) == label.palette().color(Role.Text)
        assert reads(problem, theme[Role.Window]), text_colour(problem).name()
        assert contrast(frame_colour(url), QColor(theme[Role.Base])) >= 3
        assert is_marked(url)


def link_colour_painted(label: QLabel) -> QColor | None:
    """The colour the label's link is painted in: the commonest strongly coloured pixel
    (its other words are near black or white, and smoothed edges are rarer)."""
    image = label.grab().toImage()
    coloured = Counter(
        image.pixelColor(x, y).name()
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).hsvSaturation() > 150
    )
    return QColor(coloured.most_common(1)[0][0]) if coloured else None


def test_the_log_link_reads_on_the_outcome_box_under_a_high_contrast_theme(
    qtbot, fresh_sandbox: Sandbox, set_theme
):
    set_theme(HIGH_CONTRAST)
    window = build_window(qtbot, fresh_sandbox)
    fill_form(qtbot, window, target_id=candidate_id(fresh_sandbox))
    fresh_sandbox.inject_fault(Fault.kombo_error("PLATFORM.INPUT_INVALID", 400), times=1)
    submit_and_wait(qtbot, window)
    facts = find_by_accessible_name(window, "Response facts", QLabel)

    def laid_out() -> bool:
        return facts.isVisible() and facts.height() > 0

    qtbot.waitUntil(lambda: "<a href" in facts.text() and laid_out(), timeout=WAIT_MS)
    link = link_colour_painted(facts)
    assert link is not None
    # Before: painted in the theme's yellow, 1.06:1 on the box's light tint.
    assert contrast(link, QColor(ERROR_TINT)) >= 4.5, link.name()


def test_every_connection_field_at_fault_is_named_not_only_framed(qtbot, app_home):
    bar = ConnectionBar()
    qtbot.addWidget(bar)
    bar.set_values(
        api_key=f'"{DEMO_API_KEY}"',
        integration_id=DEMO_API_KEY,
        base_url="https://api.kombo.dev/v1",
    )
    assert is_marked(bar.integration_id)
    assert is_marked(bar.api_key)
    problem = bar.connection_problem()
    assert problem is not None
    # Before: the integration ID's problem alone; the key's quotes were shown by its red
    # frame only (and a tooltip).
    assert bar.integration_id.toolTip() in problem
    assert bar.api_key.toolTip() in problem
    assert DEMO_API_KEY not in problem

    bar.set_values(api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url="")
    assert bar.connection_problem() is None


def test_a_window_names_both_connection_problems_at_submit(qtbot, fresh_sandbox: Sandbox):
    window = build_window(qtbot, fresh_sandbox)
    bar = window.connection_source
    assert isinstance(bar, ConnectionBar)
    bar.set_values(
        api_key=f'"{DEMO_API_KEY}"', integration_id=DEMO_API_KEY, base_url=fresh_sandbox.base_url
    )
    submit = button(window, "Submit")
    qtbot.waitUntil(lambda: not submit.isEnabled(), timeout=WAIT_MS)
    assert bar.integration_id.toolTip() in submit.toolTip()
    assert bar.api_key.toolTip() in submit.toolTip()
