"""The Qt binding in use does not corrupt the interpreter over a long session."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_void_qt_calls_keep_none_alive(qapp):
    # PySide6 6.12.0 dropped a reference to None on each such call; on Python < 3.12
    # that aborts the app after enough typing. pyproject.toml excludes that release.
    field = QLineEdit()
    before = sys.getrefcount(None)
    for _ in range(2000):
        field.setText("x")
        field.setObjectName("field")
    assert sys.getrefcount(None) >= before - 50
