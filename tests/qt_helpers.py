"""Finding widgets the way assistive technology does: by accessible name."""

from __future__ import annotations

import importlib
from typing import TypeVar, overload

from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAccessible, QClipboard, QFont, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kombo_desktop.core.attribute_rows import AttributeRow
from kombo_desktop.core.form_state import FormState
from kombo_desktop.qt.attributes_editor import AttributesEditor
from kombo_desktop.qt.module_loader import MODEL_MODULES, ModuleLoader
from kombo_desktop.qt.result_link_form import ResultLinkForm

W = TypeVar("W", bound=QWidget)


def find_all_by_accessible_name(root: QWidget, name: str) -> list[QWidget]:
    """Every widget under ``root`` (``root`` included) whose accessible name is ``name``."""
    candidates = [root, *root.findChildren(QWidget)]
    return [widget for widget in candidates if widget.accessibleName() == name]


@overload
def find_by_accessible_name(root: QWidget, name: str) -> QWidget: ...


@overload
def find_by_accessible_name(root: QWidget, name: str, kind: type[W]) -> W: ...


def find_by_accessible_name(root: QWidget, name: str, kind: type[QWidget] = QWidget) -> QWidget:
    """The one widget under ``root`` named ``name`` (of type ``kind``); fails loudly otherwise.

    Hidden widgets count (a collapsed section's editor is still there), but when
    several match, the visible ones are preferred.
    """
    found = [w for w in find_all_by_accessible_name(root, name) if isinstance(w, kind)]
    if len(found) > 1:
        visible = [w for w in found if w.isVisible()]
        found = visible or found
    if len(found) != 1:
        names = sorted(
            {w.accessibleName() for w in root.findChildren(QWidget) if w.accessibleName()}
        )
        raise AssertionError(
            f"expected one {kind.__name__} named {name!r} under {type(root).__name__}, "
            f"found {len(found)}; accessible names present: {names}"
        )
    return found[0]


def top_level(kind: type[W], object_name: str | None = None) -> W | None:
    """A visible top-level widget of ``kind`` (a dialog, a message box), if one is open."""
    for widget in QApplication.topLevelWidgets():
        wanted = object_name is None or widget.objectName() == object_name
        if isinstance(widget, kind) and widget.isVisible() and wanted:
            return widget
    return None


def wait_exposed(qtbot: QtBot, widget: QWidget, timeout: int = 5000) -> None:
    """Wait until ``widget``'s window is on screen (fails after ``timeout`` ms).

    pytest-qt's ``waitExposed`` is a context manager: called on its own, it waits for
    nothing.
    """
    with qtbot.waitExposed(widget, timeout=timeout):
        pass


def wait_active(qtbot: QtBot, widget: QWidget, timeout: int = 5000) -> None:
    """Wait until ``widget``'s window is the active one (fails after ``timeout`` ms)."""
    with qtbot.waitActive(widget, timeout=timeout):
        pass


def focused() -> QWidget | None:
    """The widget with the keyboard focus, in whichever window."""
    return QApplication.focusWidget()


def press_on_focus(
    qtbot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Press ``key`` where the focus is, as a person at the keyboard does."""
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifiers)


def shown_attributes_editor(qtbot: QtBot) -> AttributesEditor:
    """An attributes editor of its own, shown, exposed and active (the keyboard and the
    clipboard reach it)."""
    editor = AttributesEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 400)
    editor.show()
    wait_exposed(qtbot, editor)
    editor.activateWindow()
    return editor


def paste_on_cell(
    editor: AttributesEditor, clipboard: QClipboard, row: int, column: int, text: str
) -> None:
    """Ctrl+V with ``text`` on the cell at ``row``, ``column`` of the table (not editing)."""
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.model.index(row, column))
    clipboard.setText(text)
    QTest.keyClick(editor.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def selected_rows(editor: AttributesEditor) -> list[int]:
    """The rows of the table that are selected, in order."""
    return sorted({index.row() for index in editor.view.selectionModel().selectedRows()})


def cell_editor(qtbot: QtBot, editor: AttributesEditor) -> QLineEdit:
    """The line edit Qt opened in ``editor``'s table, once it shows."""

    def shown() -> QLineEdit | None:
        editors = [w for w in editor.view.viewport().findChildren(QLineEdit) if w.isVisible()]
        return editors[0] if editors else None

    qtbot.waitUntil(lambda: shown() is not None, timeout=3000)
    cell = shown()
    assert cell is not None
    return cell


def open_cell_editor(qtbot: QtBot, editor: AttributesEditor, row: int, column: int) -> QLineEdit:
    """Start editing the cell at ``row``, ``column``; the line edit Qt opened on it."""
    index = editor.model.index(row, column)
    editor.view.setCurrentIndex(index)
    editor.view.edit(index)
    return cell_editor(qtbot, editor)


def filled_form_state(*, attributes: tuple[AttributeRow, ...], prefix: str = "") -> FormState:
    """A form with its target, label and result URL filled in, and ``attributes`` and
    ``prefix`` as given (as a restored draft brings them)."""
    return FormState(
        target_id="8Xi6iZrwusZqJmDGXs49GBmJ",
        label="Assessment Result",
        url="https://example.com/results/1",
        prefix=prefix,
        attributes=attributes,
    )


def shown_form(qtbot: QtBot) -> ResultLinkForm:
    """A shown form whose validation is ready (the models are imported here, up front)."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    form = ResultLinkForm(model_loader=ModuleLoader())
    qtbot.addWidget(form)
    form.resize(760, 1000)
    form.show()
    wait_exposed(qtbot, form)
    assert not form.is_checking()
    return form


class OpenedAddresses(QObject):
    """Takes the addresses the app asks the system to open (no browser starts in tests):
    see the ``browser`` fixture."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def name_of(widget: QWidget) -> str:
    """The name assistive technology reads for ``widget``."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def description_of(widget: QWidget) -> str:
    """The description assistive technology reads for ``widget``."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def texts_shown(root: QWidget, *, but: QWidget | None = None) -> list[str]:
    """Every text ``root`` and its widgets show or give assistive technology: titles,
    labels, buttons, fields (but the field ``but``, where the person typed), text views,
    tooltips, status tips, accessible names and descriptions, the tooltips and
    descriptions of a table's cells, and a main window's status bar. Empty texts left out.

    A table's cells' own texts are not among them: they are what the person typed there.
    """
    texts = [root.windowTitle()]
    if isinstance(root, QMainWindow):
        texts.append(root.statusBar().currentMessage())
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.statusTip(), name_of(widget), description_of(widget)]
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit) and widget is not but:
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)) and widget is not but:
            texts += [widget.toPlainText(), widget.placeholderText()]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += _cell_notes(widget)
    return [text for text in texts if text]


def _cell_notes(view: QAbstractItemView) -> list[str]:
    """The tooltips and accessible descriptions of the cells ``view`` shows."""
    model = view.model()
    roles = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole)
    return [
        str(model.data(model.index(row, column), role) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
        for role in roles
    ]


def shown_tooltip(qtbot, widget: QWidget, tip: str) -> QLabel:
    """Show ``tip`` over ``widget`` as a hover does; the label Qt shows it in."""
    QToolTip.showText(widget.mapToGlobal(widget.rect().center()), tip, widget)

    def shown() -> QLabel | None:
        for top in QApplication.topLevelWidgets():
            if top.metaObject().className() == "QTipLabel" and top.isVisible():
                assert isinstance(top, QLabel)
                return top
        return None

    qtbot.waitUntil(lambda: shown() is not None, timeout=3000)
    label = shown()
    assert label is not None
    return label


def tooltip_words(label: QLabel) -> tuple[str, str]:
    """What ``label`` shows as words, and its document's markup (to look for images and
    styles): it draws rich text when Qt takes its text for markup."""
    text = label.text()
    document = QTextDocument()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGuiNamespace.mightBeRichText(text)
    )
    if rich:
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return document.toPlainText(), document.toHtml()


def scaled(font: QFont, factor: float) -> QFont:
    """``font`` at ``factor`` times its size, in the unit it was given in."""
    resized = QFont(font)
    if font.pointSizeF() > 0:
        resized.setPointSizeF(font.pointSizeF() * factor)
    else:
        resized.setPixelSize(round(font.pixelSize() * factor))
    return resized
