"""PySide's per-import source check: ours gives PySide's answers, without ``inspect``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

from kombo_desktop.qt import import_scan


def _modules_to_compare() -> list[ModuleType]:
    names = [
        "kombo_desktop.qt.main_window",  # names PySide6: True
        "kombo_desktop.qt.attributes_model",
        "kombo_desktop.core.form_state",  # Qt-free: False
        "kombo_desktop.core.profiles",
        "json",  # a standard-library package
        "sys",  # built in: no file at all
        "_json",  # an extension module: a file, but not source
        "PySide6.QtCore",  # a PySide extension module
    ]
    return [importlib.import_module(name) for name in names]


@pytest.fixture
def fast_check() -> Callable[[ModuleType], bool]:
    assert import_scan.install() is True
    check = import_scan.installed_check()
    assert check is not None
    return check


def test_launching_the_window_puts_the_fast_check_in_place(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombo_desktop.app import launch

    feature = sys.modules["shibokensupport.feature"]
    check = import_scan.installed_check()
    # PySide's own check, as before anything of ours ran.
    monkeypatch.setattr(feature, "_mod_uses_pyside", getattr(check, "__wrapped__", check))
    assert not getattr(import_scan.installed_check(), "_kombo_reads_bytes", False)

    launch([]).close()

    installed = import_scan.installed_check()
    assert getattr(installed, "_kombo_reads_bytes", False)
    assert import_scan.install() is True  # a second call keeps the one check
    assert import_scan.installed_check() is installed


@pytest.mark.parametrize("module", _modules_to_compare(), ids=lambda module: module.__name__)
def test_the_fast_check_answers_as_pysides_own(
    module: ModuleType, fast_check: Callable[[ModuleType], bool]
) -> None:
    original = fast_check.__wrapped__  # type: ignore[attr-defined]
    assert fast_check(module) == original(module)


def test_qt_modules_count_as_using_pyside_and_core_modules_do_not(
    fast_check: Callable[[ModuleType], bool],
) -> None:
    assert fast_check(sys.modules["kombo_desktop.qt.main_window"]) is True
    assert fast_check(importlib.import_module("kombo_desktop.core.form_state")) is False


def test_an_unreadable_file_is_left_to_pysides_check(tmp_path: Path) -> None:
    module = ModuleType("gone")
    module.__file__ = str(tmp_path / "gone.py")
    answers: list[ModuleType] = []

    def fallback(asked: ModuleType) -> bool:
        answers.append(asked)
        return False

    assert import_scan.uses_pyside(module, fallback) is False
    assert answers == [module]


def test_without_pysides_check_nothing_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", ModuleType("feature"))
    assert import_scan.install() is False
