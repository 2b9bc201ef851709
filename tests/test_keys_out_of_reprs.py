"""Every dataclass field of the app that holds an API key is left out of its ``repr``: a
traceback's locals, a debugger or a ``%r`` in a log line must never show the key."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re

import kombo_desktop

#: Field names that hold a key's text (``api_key``, ``new_key``, ``keys``), not what is
#: said about one (``key_environment``, ``holds_api_key``, ``keys_left_out``).
_HOLDS_A_KEY = re.compile(r"(^|_)(key|keys|secret|token|password)$")


def _app_dataclasses() -> list[type]:
    """The dataclasses defined in the app's modules (``__main__`` runs the app: left out)."""
    found = []
    for info in pkgutil.walk_packages(kombo_desktop.__path__, "kombo_desktop."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and dataclasses.is_dataclass(value)
            and value.__module__ == module.__name__
        ]
    return found


def test_no_dataclass_shows_a_key_in_its_repr() -> None:
    holding = [
        (cls, field)
        for cls in _app_dataclasses()
        for field in dataclasses.fields(cls)
        if _HOLDS_A_KEY.search(field.name) and "str" in str(field.type)
    ]
    # The scan finds what it is for: the connection's key and Manage profiles' new key.
    names = {f"{cls.__name__}.{field.name}" for cls, field in holding}
    assert {"Connection.api_key", "_SaveRequest.new_key", "FormValues.key"} <= names
    shown = sorted(
        f"{cls.__module__}.{cls.__name__}.{field.name}" for cls, field in holding if field.repr
    )
    # Before: _SaveRequest.new_key (Manage profiles' save of a new key) was in its repr.
    assert shown == []
