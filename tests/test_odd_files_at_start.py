"""Odd files where the app keeps its own are no reason not to start: a profiles file of
brackets nested thousands deep is set aside as any damaged one is, and a file where the
config folder goes leaves the settings in memory for the session, said once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_desktop.app import launch
from kombo_desktop.core.errors import InputError
from kombo_desktop.core.profiles import ProfileStore, default_profiles_path
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.settings import ProductionConfirmation, app_settings
from tests.profiles_support import show_dialog, wait_for_status

#: Nested deeper than Python's JSON reader goes: 5 kB of damage.
NESTED = "[" * 5000


def nested_profiles_file() -> Path:
    path = default_profiles_path()
    path.parent.mkdir(parents=True)
    path.write_text(NESTED, encoding="utf-8")
    return path


def test_a_deeply_nested_profiles_file_is_set_aside_as_damaged() -> None:
    path = nested_profiles_file()
    result = ProfileStore().load()
    assert result.message is not None
    assert result.message.startswith("The profiles file could not be used")
    assert "nested too deeply" in result.message
    assert result.backup_path is not None
    assert result.backup_path.read_text(encoding="utf-8") == NESTED  # kept for recovery
    assert not path.exists()
    assert result.profiles == ()


def test_the_window_opens_and_says_it_set_a_deeply_nested_profiles_file_aside(qtbot) -> None:
    nested_profiles_file()
    window = launch([])
    qtbot.addWidget(window)
    assert "could not be used" in window.statusBar().currentMessage()


def test_a_deeply_nested_file_to_import_is_refused_in_plain_words(
    qtbot, worker, memory_keyring, tmp_path: Path
) -> None:
    with pytest.raises(InputError) as refused:
        ProfileStore().import_json(NESTED)
    assert refused.value.fields == ("import",)
    assert "nested too deeply" in refused.value.errors[0].message

    export = tmp_path / "profiles-export.json"
    export.write_text(NESTED, encoding="utf-8")
    dialog = show_dialog(qtbot, ProfileStore(), KeyStore(), worker)
    dialog.import_from(export)
    status = wait_for_status(qtbot, dialog, "Nothing was imported")
    assert "nested too deeply" in status


def test_a_file_where_the_config_folder_goes_leaves_the_settings_in_memory(
    qtbot, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app_home.mkdir(parents=True)
    (app_home / "config").write_text("", encoding="utf-8")
    window = launch([])
    qtbot.addWidget(window)
    assert window.isVisible()

    # A setting changed in this session holds for the session.
    ProductionConfirmation(app_settings()).set_enabled(False)
    assert ProductionConfirmation(app_settings()).enabled() is False
    said = capsys.readouterr().err
    assert said.count("settings are kept until Kombo Desktop closes, not saved") == 1, said
    assert f"could not make the settings folder (File exists: {app_home / 'config'})" in said
    assert "Traceback" not in said
