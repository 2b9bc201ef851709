"""Start-up: the window shows before the models load, says so, and catches up by itself.

The models (pydantic), the keyring and the log file's handlers load after the first
paint. Until the models are there the form is "checking": Submit is off and says so,
what is typed is kept, and the first validation runs on its own once they arrive.
"""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

import kombo_desktop.core.models  # noqa: F401  (imported here: see the "ready at once" test)
from kombo_desktop.core.form_state import FormState
from kombo_desktop.core.remote_fields import RemoteFieldsInput
from kombo_desktop.qt.module_loader import MODEL_MODULES, ModuleLoader, is_imported
from kombo_desktop.qt.remote_fields_editor import RemoteFieldsEditor
from kombo_desktop.qt.result_link_form import CHECKING_TEXT, ResultLinkForm
from tests.cli_support import patterns_compiled_at_import, run_child

# A real start, as `kombo-desktop-gui` does it, in a fresh interpreter: what is loaded
# when the window first shows, what the person sees then, and what happens next.
_CHILD = textwrap.dedent(
    """
    import json, logging, sys
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from kombo_desktop.app import launch
    from kombo_desktop.core import paths

    window = launch([])
    # Before any event is processed, so that no timer can have started a load yet.
    form = window.form
    report = {
        "loaded_at_first_show": sorted(
            name for name in ("pydantic", "keyring", "httpx", "logging.handlers")
            if name in sys.modules
        ),
        "checking": form.is_checking(),
        "submit_enabled": form.submit_button.isEnabled(),
        "submit_tip": form.submit_button.toolTip(),
        "hint": form.hint.text(),
        "preview": window.preview.body.placeholderText(),
    }
    logging.getLogger("kombo_desktop.test").warning("logged before the log file existed")
    # Typing before the models arrive.
    QTest.keyClicks(form.target_id, "cand-1")
    QTest.keyClicks(form.url, "not a url")

    def wait(condition):
        loop = QEventLoop()
        timer = QTimer()
        timer.timeout.connect(lambda: loop.quit() if condition() else None)
        timer.start(20)
        QTimer.singleShot(60000, loop.quit)
        loop.exec()

    log_file = paths.log_dir() / "kombo-desktop.log"
    wait(lambda: not form.is_checking() and log_file.exists())
    for handler in logging.getLogger("kombo_desktop").handlers:
        handler.flush()
    report.update(
        checking_after=form.is_checking(),
        target_id=form.target_id.text(),
        url=form.url.text(),
        url_error=form.error_text("url"),
        submit_enabled_after=form.submit_button.isEnabled(),
        submit_tip_after=form.submit_button.toolTip(),
        hint_after=form.hint.text(),
        preview_after=window.preview.body.placeholderText(),
        log=log_file.read_text(encoding="utf-8") if log_file.exists() else "",
    )
    window.close()
    print("REPORT " + json.dumps(report))
    """
)


def test_window_shows_before_the_models_and_validates_by_itself(app_home: Path) -> None:
    report = run_child(app_home, _CHILD)

    # At the first show: none of the heavy modules, and the form says it is checking.
    assert report["loaded_at_first_show"] == []
    assert report["checking"] is True
    assert report["submit_enabled"] is False
    assert report["submit_tip"] == CHECKING_TEXT
    assert report["hint"] == CHECKING_TEXT
    assert report["preview"] == CHECKING_TEXT

    # Then, with no action: validated, with what was typed meanwhile kept and judged.
    assert report["checking_after"] is False
    assert report["target_id"] == "cand-1"
    assert report["url"] == "not a url"
    assert "Result URL" in report["url_error"]
    assert report["submit_enabled_after"] is False
    assert report["submit_tip_after"].startswith("Cannot send yet")
    assert "Label" in report["hint_after"]
    assert report["preview_after"].startswith("The preview appears when the form is complete")
    # Nothing logged before the file was set up is lost.
    assert "logged before the log file existed" in report["log"]


@pytest.fixture
def late_loader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleLoader:
    """A loader that is not ready yet: one of its modules was never imported here."""
    name = f"late_module_{uuid.uuid4().hex}"
    (tmp_path / f"{name}.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return ModuleLoader((*MODEL_MODULES, name))


def test_form_keeps_typing_during_the_load_and_validates_when_ready(
    qtbot: QtBot, late_loader: ModuleLoader
) -> None:
    form = ResultLinkForm(model_loader=late_loader)
    qtbot.addWidget(form)
    assert form.is_checking()
    assert not form.submit_button.isEnabled()
    assert form.submit_button.toolTip() == CHECKING_TEXT
    assert form.hint.text() == CHECKING_TEXT

    QTest.keyClicks(form.target_id, "cand-1")
    QTest.keyClicks(form.label, "Assessment Result")
    QTest.keyClicks(form.url, "ftp://example.com/r/1")
    # A send attempted meanwhile (Ctrl+Enter: Submit itself is off) is refused with the
    # reason; nothing is judged yet.
    with qtbot.waitSignal(form.submitBlocked, timeout=5000) as blocked:
        form.request_submit()
    assert blocked.args == [CHECKING_TEXT]
    assert form.current_request() is None
    assert form.error_text("url") == ""
    assert form.is_checking()

    with qtbot.waitSignal(form.checked, timeout=30000):
        late_loader.start()
    assert not form.is_checking()
    assert (form.target_id.text(), form.label.text()) == ("cand-1", "Assessment Result")
    assert form.url.text() == "ftp://example.com/r/1"
    # The attempted send makes every problem speak at once the check can run.
    assert "https://" in form.error_text("url")
    assert form.is_marked_invalid("url")
    assert not form.submit_button.isEnabled()

    form.url.clear()
    QTest.keyClicks(form.url, "https://example.com/r/1")
    assert form.current_request() is not None
    assert form.submit_button.isEnabled()


def test_draft_restored_during_the_load_is_validated_when_ready(
    qtbot: QtBot, late_loader: ModuleLoader
) -> None:
    form = ResultLinkForm(model_loader=late_loader)
    qtbot.addWidget(form)
    form.set_state(
        FormState(
            target_id="cand-2",
            label="Result",
            url="https://example.com/r/2",
            remote_fields=RemoteFieldsInput(raw_json='{"icims": 1}'),
        )
    )
    assert form.is_checking()
    assert form.remote_fields.error() is None
    assert not form.submit_button.isEnabled()

    with qtbot.waitSignal(form.checked, timeout=30000):
        late_loader.start()
    assert form.state().target_id == "cand-2"
    assert form.remote_fields.error() is not None
    assert form.current_request() is None
    assert "Remote fields" in form.submit_button.toolTip()


def test_loader_is_ready_at_once_when_its_modules_are_imported(qtbot: QtBot) -> None:
    loader = ModuleLoader()
    assert all(is_imported(name) for name in MODEL_MODULES)
    assert loader.is_ready()
    assert loader.is_started()
    form = ResultLinkForm(model_loader=loader)
    qtbot.addWidget(form)
    assert not form.is_checking()
    assert form.submit_button.toolTip().startswith("Cannot send yet")


def test_remote_fields_check_waits_until_enabled(qtbot: QtBot) -> None:
    editor = RemoteFieldsEditor()
    qtbot.addWidget(editor)
    editor.set_checks_enabled(False)
    editor.set_expanded(True)
    editor.raw_json.setPlainText('{"oracle": {"override_document_category": "NOPE"}}')
    assert editor.error() is None
    assert editor.raw_json.property("invalid") is False

    editor.set_checks_enabled(True)
    assert "oracle" in (editor.error() or "")
    assert editor.raw_json.property("invalid") is True


def test_kombo_desktop_without_a_command_opens_the_window_without_the_commands_modules(
    app_home: Path,
) -> None:
    # `kombo-desktop` (and `--demo`) goes to the window; the commands' HTTP client and
    # models are not loaded on the way, so the window is not kept waiting for them.
    child = textwrap.dedent(
        """
        import json, sys
        import kombo_desktop.app as app
        opened = []
        app.main = lambda argv: opened.append(argv) or 0
        from kombo_desktop.cli.main import main
        code = main(["--demo", "--latency", "5"])
        heavy = sorted(name for name in ("httpx", "pydantic") if name in sys.modules)
        print("REPORT " + json.dumps({"code": code, "opened": opened, "heavy": heavy}))
        """
    )
    report = run_child(app_home, child)
    assert report == {"code": 0, "opened": [["--demo", "--latency", "5"]], "heavy": []}


def test_wording_a_failure_on_this_computer_loads_no_network_code(app_home: Path) -> None:
    # A keyring or file failure can happen before the network code has loaded in the
    # background; wording it on the GUI thread must not load (or wait for) that code.
    child = textwrap.dedent(
        """
        import json, sys
        from kombo_desktop.core.messages import describe_failure
        from kombo_desktop.core.secrets import SecretStoreError
        text = describe_failure(SecretStoreError("the keyring is locked")).text
        heavy = sorted(name for name in ("httpx", "pydantic") if name in sys.modules)
        print("REPORT " + json.dumps({"text": text, "heavy": heavy}))
        """
    )
    report = run_child(app_home, child)
    assert report["heavy"] == []
    assert "keyring is locked" in report["text"]


def test_the_modules_the_window_starts_with_compile_no_pattern_as_they_load(
    app_home: Path,
) -> None:
    # Compiling a pattern costs the start-up a little each time: the app's modules keep
    # patterns as text, compiled at their first use. Module-level code of the app that
    # compiles one while the window starts is named here.
    load = """
        from PySide6.QtWidgets import QApplication
        from kombo_desktop.app import launch
        window = launch([])
        QApplication.processEvents()
    """
    assert patterns_compiled_at_import(app_home, load, then="window.close()") == []
