"""The freedesktop entry in ``resources/``: the applications menu lists the app once, the
desktop's validator accepts it, and it starts the window's command with the shipped icon."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from importlib.metadata import entry_points
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
DESKTOP_FILE = PROJECT / "resources" / "kombo-desktop.desktop"

#: The main categories of the freedesktop menu specification: a menu shows an entry once
#: under each of these that it names.
MAIN_CATEGORIES = frozenset(
    {
        "AudioVideo",
        "Audio",
        "Video",
        "Development",
        "Education",
        "Game",
        "Graphics",
        "Network",
        "Office",
        "Science",
        "Settings",
        "System",
        "Utility",
    }
)
#: Versions of the desktop entry specification that validators in current distributions
#: know (Debian 12's desktop-file-validate refuses "1.5" as unknown).
KNOWN_VERSIONS = frozenset({"1.0", "1.1", "1.2", "1.3", "1.4"})


def desktop_entry() -> configparser.SectionProxy:
    """The ``[Desktop Entry]`` group, keys as written (the format is case-sensitive)."""
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_applications_menu_lists_the_app_under_one_main_category() -> None:
    # "Office;Network;" listed Kombo Desktop twice, under Office and under Internet.
    categories = [name for name in desktop_entry()["Categories"].split(";") if name]
    assert [name for name in categories if name in MAIN_CATEGORIES] == ["Office"]


def test_the_entry_names_a_version_of_the_specification_validators_know() -> None:
    assert desktop_entry()["Version"] in KNOWN_VERSIONS


def test_desktop_file_validate_finds_nothing_to_say() -> None:
    if shutil.which("desktop-file-validate") is None:
        # CI installs it (``.ci/run``): there a missing validator is a missing check.
        if os.environ.get("CI") == "true":
            pytest.fail("desktop-file-validate is not installed (desktop-file-utils)")
        pytest.skip("desktop-file-validate is not installed (desktop-file-utils)")
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Hints too: each is something a menu shows wrongly.
    assert result.stdout.strip() == "", result.stdout


def test_the_entry_starts_the_window_with_the_icon_the_window_uses() -> None:
    entry = desktop_entry()
    # The command the installed project makes for the window (no console on Windows).
    (command,) = entry_points(group="gui_scripts", name=entry["Exec"].split()[0])
    assert command.value == "kombo_desktop.app:main"
    assert entry["Terminal"] == "false"
    icon_name = entry["Icon"]
    shipped = PROJECT / "kombo_desktop" / "resources" / f"{icon_name}.svg"
    # The icon the README has people copy for the menu is the one the window shows.
    assert (PROJECT / "resources" / f"{icon_name}.svg").read_bytes() == shipped.read_bytes()
