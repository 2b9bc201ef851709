"""The connection source of the toolbar until profiles exist: region, integration id, key.

It implements the same small interface as the profile picker (``connectionChanged``,
``current_connection``, ``connection_problem``, ``focus_problem``, ``environment``,
``describe``), so the window works with either. The key lives in this widget's memory only.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSettings, QSignalBlocker, QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayoutItem,
    QLineEdit,
    QWidget,
)

from kombo_desktop.core.connection import (
    FIELD_NAMES,
    Connection,
    Environment,
    HeldKeys,
    Region,
    contains_api_key,
    looks_like_api_key,
    validate_api_key,
    validate_integration_id,
)
from kombo_desktop.core.errors import FieldError, InputError
from kombo_desktop.core.logs import register_secret
from kombo_desktop.core.sentences import field_problem_sentence
from kombo_desktop.qt.environment_badge import show_environment_badge
from kombo_desktop.qt.field_marks import mark_field

CUSTOM = "custom"

#: Why the demo's region and base URL cannot be changed (tooltip, screen readers).
SANDBOX_ONLY = "The demo sends only to the sandbox on this computer"
#: What the key field always says about itself (its tooltip while it is fine).
KEY_KEPT_IN_MEMORY = "Kept in memory only: never saved to disk"
#: The demo's one region: the sandbox it started on this computer (a short word, as the
#: regions' are: the bar must fit a small screen; the tooltip says more).
SANDBOX_REGION = "Sandbox"

# Only where requests go is remembered between runs; never the key.
_SETTINGS_REGION = "connection/region"
_SETTINGS_BASE_URL = "connection/base_url"
_SETTINGS_INTEGRATION = "connection/integration_id"


class _RowsWhenNarrow(QBoxLayout):
    """Its parts side by side while its room holds them all, one above the other when it
    does not; the least width it asks is its widest part's.

    The bar is the toolbar's one widget, and a toolbar cannot wrap a widget: side by side
    alone, its fields' least widths added up were the window's least width (776 px, 925 px
    with a 13 pt font, 1,043 px with 16 pt: past an 800 or 1,024 px screen's edge).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(QBoxLayout.Direction.LeftToRight, parent)

    def minimumSize(self) -> QSize:
        """As narrow as the widest part (one above the other), as high as laid out now."""
        margins = self.contentsMargins()
        widest = max((part.minimumSize().width() for part in self._parts()), default=0)
        return QSize(widest + margins.left() + margins.right(), super().minimumSize().height())

    def setGeometry(self, rect: QRect) -> None:
        """Lay the parts out in ``rect``: side by side if they fit, else in rows."""
        if rect.width() >= self._width_side_by_side():
            direction = QBoxLayout.Direction.LeftToRight
        else:
            direction = QBoxLayout.Direction.TopToBottom
        if direction != self.direction():
            # The height this asks changes with it: the toolbar and the window follow.
            self.setDirection(direction)
        super().setGeometry(rect)

    def _parts(self) -> list[QLayoutItem]:
        items = (self.itemAt(index) for index in range(self.count()))
        return [item for item in items if item is not None and not item.isEmpty()]

    def _width_side_by_side(self) -> int:
        margins = self.contentsMargins()
        parts = self._parts()
        widths = sum(part.minimumSize().width() for part in parts)
        spacing = self.spacing() * max(0, len(parts) - 1)
        return widths + spacing + margins.left() + margins.right()


def _problem_at_once(validate: Callable[[str], str], text: str) -> str:
    """What ``validate`` finds wrong with ``text``, as a sentence for its field; "" when
    nothing is, or when it is only empty (not filled in yet, not wrong)."""
    try:
        validate(text)
    except InputError as exc:
        if not exc.errors[0].missing:
            return field_problem_sentence(exc.errors[0])
    return ""


class ConnectionBar(QWidget):
    """Region or base URL, integration ID and a masked API key, in one row."""

    connectionChanged = Signal()

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        # Set in the demo (``keep_to_sandbox``): every request goes there, whatever happens.
        self._sandbox_url: str | None = None
        self.region = QComboBox(self)
        self.region.setAccessibleName("Region")
        self.region.addItem("EU", Region.EU.value)
        self.region.addItem("US", Region.US.value)
        self.region.addItem("Custom", CUSTOM)
        self.region.setToolTip("Kombo region of the customer's account, or a custom base URL")

        self.base_url = QLineEdit(self)
        self.base_url.setAccessibleName("Base URL")
        self.base_url.setPlaceholderText("https://api.kombo.dev/v1")
        self.base_url.setMinimumWidth(110)

        self.integration_id = QLineEdit(self)
        self.integration_id.setAccessibleName("Integration ID")
        self.integration_id.setPlaceholderText("workday:HWUTwvyx2wLoSUHphiWVrp28")
        self.integration_id.setMinimumWidth(110)

        self.api_key = QLineEdit(self)
        self.api_key.setAccessibleName("API key")
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("ks_prod_… or ks_dev_…")
        self.api_key.setMinimumWidth(90)
        self.api_key.setToolTip(KEY_KEPT_IN_MEMORY)

        self.environment_badge = QLabel(self)
        self.environment_badge.setAccessibleName("Environment")

        # Each field's input by the name a ``FieldError`` gives it: a problem leads to it.
        self._inputs: dict[str, QWidget] = {
            "region": self.region,
            "base_url": self.base_url,
            "integration_id": self.integration_id,
            "api_key": self.api_key,
        }

        # Two parts, in a row or one above the other as the room asks: where requests go,
        # and with what.
        layout = _RowsWhenNarrow(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        where, what = QHBoxLayout(), QHBoxLayout()
        for part in (where, what):
            part.setSpacing(6)
            layout.addLayout(part)
        for part, caption, widget in (
            (where, "Region", self.region),
            (where, "Base URL", self.base_url),
            (what, "Integration", self.integration_id),
            (what, "API key", self.api_key),
        ):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            part.addWidget(label)
            part.addWidget(widget)
            if widget is self.base_url:
                self._base_url_label = label
        what.addWidget(self.environment_badge)

        if settings is not None:
            self._restore(settings)
        self._show_base_url()
        self._update_badge()
        self._mark_integration_id()
        self._mark_api_key()
        self.region.currentIndexChanged.connect(self._on_edited)
        for edit in (self.base_url, self.integration_id, self.api_key):
            edit.textChanged.connect(self._on_edited)
        self.api_key.editingFinished.connect(self._register_key)

    # ---- the connection-source interface ------------------------------------------------

    def current_connection(self) -> Connection | None:
        """The connection to use, or ``None`` while something is missing or invalid."""
        try:
            return self._create()
        except InputError:
            return None

    def connection_problem(self) -> str | None:
        """What is missing (``"Enter the API key"``) or wrong (``"The base URL must use
        https …."``), in plain words; ``None`` when complete. Every field at fault is
        named, the first first: each one's frame alone would say it by colour only."""
        problems = [
            f"Enter the {FIELD_NAMES.get(error.field, error.field)}"
            if error.missing
            else field_problem_sentence(error)
            for error in self._errors()
        ]
        if len(problems) < 2:
            return problems[0] if problems else None
        return " ".join(p if p.endswith(".") else f"{p}." for p in problems)

    def focus_problem(self) -> None:
        """Put the focus in the field ``connection_problem`` names; nothing when complete."""
        first = self._first_error()
        field = self._inputs.get(first.field) if first is not None else None
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def environment(self) -> Environment | None:
        """Production or development, read from the key's prefix; ``None`` without a key."""
        key = self.api_key.text().strip()
        return Environment.of_key(key) if key else None

    def describe(self) -> str:
        """Where requests go, for the status bar; never the key, not even one pasted into
        the base URL or the integration ID (the label shows on every screenshot)."""
        if self._region_value() == CUSTOM:
            where = _described(
                _rememberable_base_url(self.base_url.text(), self._own_key()),
                self.base_url.text(),
                empty="custom base URL (not set)",
                holding_a_key="custom base URL (holds an API key)",
            )
        else:
            where = f"Kombo {self.region.currentText()}"
        integration = _described(
            _rememberable(self.integration_id.text(), self._own_key()),
            self.integration_id.text(),
            empty="no integration ID",
            holding_a_key="integration ID (holds an API key)",
        )
        parts = [where, integration]
        environment = self.environment()
        if environment is not None:
            parts.append(f"{environment.value} key")
        return " · ".join(parts)

    # ---- filling in -----------------------------------------------------------------------

    def set_values(
        self,
        *,
        api_key: str,
        integration_id: str,
        region: Region | None = None,
        base_url: str | None = None,
    ) -> None:
        """Fill every field at once (demo mode, tests); emits ``connectionChanged`` once."""
        blockers = [QSignalBlocker(widget) for widget in self._inputs.values()]
        if base_url:
            self.region.setCurrentIndex(self.region.findData(CUSTOM))
            self.base_url.setText(base_url)
        else:
            self.region.setCurrentIndex(self.region.findData((region or Region.EU).value))
            self.base_url.clear()
        self.integration_id.setText(integration_id)
        self.api_key.setText(api_key)
        # setText leaves the cursor at the end, and a narrow field would open on the tail
        # of a long value ("…reenhouse:sandbox…"): show each one from its start.
        for edit in (self.base_url, self.integration_id, self.api_key):
            edit.setCursorPosition(0)
        del blockers
        self._register_key()
        self._on_edited()

    def keep_to_sandbox(self, base_url: str) -> None:
        """Send only to ``base_url`` (the demo's sandbox on this computer) from now on.

        The region and base URL show it and cannot be changed, so that the demo's "nothing
        is sent to Kombo" stays true; the integration ID and key stay editable (the demo's
        production-badge key, say), and what is typed there goes to the sandbox alone.
        """
        self._sandbox_url = base_url
        blockers = [QSignalBlocker(self.region), QSignalBlocker(self.base_url)]
        # No Kombo region to pick, not even by arrow keys or the mouse wheel.
        self.region.clear()
        self.region.addItem(SANDBOX_REGION, CUSTOM)
        self.region.setEnabled(False)
        self.base_url.setText(base_url)
        self.base_url.setCursorPosition(0)
        self.base_url.setReadOnly(True)
        for widget in (self.region, self.base_url):
            widget.setToolTip(SANDBOX_ONLY)
            widget.setAccessibleDescription(SANDBOX_ONLY)
        del blockers
        self._on_edited()

    # ---- internals ------------------------------------------------------------------------

    def _region_value(self) -> str:
        return str(self.region.currentData())

    def _first_error(self) -> FieldError | None:
        """The problem ``connection_problem`` tells first and ``focus_problem`` goes to."""
        errors = self._errors()
        return errors[0] if errors else None

    def _errors(self) -> list[FieldError]:
        try:
            self._create()
        except InputError as exc:
            return list(exc.errors)
        return []

    def _create(self) -> Connection:
        if self._sandbox_url is not None:
            return Connection.create(
                api_key=self.api_key.text(),
                integration_id=self.integration_id.text(),
                base_url=self._sandbox_url,
            )
        value = self._region_value()
        if value == CUSTOM:
            return Connection.create(
                api_key=self.api_key.text(),
                integration_id=self.integration_id.text(),
                base_url=self.base_url.text(),
            )
        return Connection.create(
            api_key=self.api_key.text(),
            integration_id=self.integration_id.text(),
            region=Region(value),
        )

    @Slot()
    def _register_key(self) -> None:
        # Registered once typing ends, not per keystroke: partial keys would mask ordinary text.
        key = self.api_key.text().strip()
        if key:
            register_secret(key)

    @Slot()
    def _on_edited(self) -> None:
        self._stay_on_sandbox()
        self._show_base_url()
        self._update_badge()
        self._mark_integration_id()
        self._mark_api_key()
        if self._settings is not None:
            self._save(self._settings)
        self.connectionChanged.emit()

    def _stay_on_sandbox(self) -> None:
        """In the demo, put back the sandbox in the region and base URL if code changed
        them (a person cannot): what the bar shows is where requests go."""
        url = self._sandbox_url
        if url is None or (self.region.currentIndex() == 0 and self.base_url.text() == url):
            return
        blockers = [QSignalBlocker(self.region), QSignalBlocker(self.base_url)]
        self.region.setCurrentIndex(0)
        self.base_url.setText(url)
        self.base_url.setCursorPosition(0)
        del blockers

    def _show_base_url(self) -> None:
        custom = self._region_value() == CUSTOM
        self.base_url.setVisible(custom)
        self._base_url_label.setVisible(custom)

    def _update_badge(self) -> None:
        show_environment_badge(self.environment_badge, self.environment())

    def _mark_integration_id(self) -> None:
        """Mark the integration ID at once when what it holds cannot be used (an API key
        pasted there above all), not only when sending is tried."""
        problem = _problem_at_once(validate_integration_id, self.integration_id.text())
        mark_field(self.integration_id, problem)
        self.integration_id.setToolTip(problem)

    def _mark_api_key(self) -> None:
        """Mark the API key at once when it cannot be used as it is (a key pasted with its
        quotes or its ``.env`` line, say), as the integration ID is. The words never
        quote the key."""
        problem = _problem_at_once(validate_api_key, self.api_key.text())
        mark_field(self.api_key, problem)
        self.api_key.setToolTip(problem or KEY_KEPT_IN_MEMORY)

    def _restore(self, settings: QSettings) -> None:
        region = settings.value(_SETTINGS_REGION, Region.EU.value)
        index = self.region.findData(str(region))
        if index >= 0:
            self.region.setCurrentIndex(index)
        base_url = str(settings.value(_SETTINGS_BASE_URL, "") or "")
        if contains_api_key(base_url):
            # An API key an earlier version kept there: taken out of the file, not shown.
            settings.remove(_SETTINGS_BASE_URL)
            base_url = ""
        self.base_url.setText(base_url)
        integration_id = str(settings.value(_SETTINGS_INTEGRATION, "") or "")
        if looks_like_api_key(integration_id):
            # An API key an earlier version kept there: taken out of the file, not shown.
            settings.remove(_SETTINGS_INTEGRATION)
            integration_id = ""
        self.integration_id.setText(integration_id)

    def _save(self, settings: QSettings) -> None:
        settings.setValue(_SETTINGS_REGION, self._region_value())
        key = self._own_key()
        settings.setValue(_SETTINGS_BASE_URL, _rememberable_base_url(self.base_url.text(), key))
        settings.setValue(_SETTINGS_INTEGRATION, _rememberable(self.integration_id.text(), key))

    def _own_key(self) -> HeldKeys:
        """The key in the bar's key field, whatever its shape: never kept in the settings
        file or described, wherever else in the bar it was typed."""
        return HeldKeys.of([self.api_key.text()])


def _rememberable(integration_id: str, own_key: HeldKeys) -> str:
    """``integration_id`` trimmed, as the settings file may keep it: never an API key
    pasted into the field, of Kombo's shape or the bar's own key (the field or the
    connection then tells what is wrong, and "" is kept)."""
    value = integration_id.strip()
    return "" if looks_like_api_key(value) or own_key.found_in(value) else value


def _described(kept: str, typed: str, *, empty: str, holding_a_key: str) -> str:
    """A field's part of the connection's description: what the settings file may keep of
    it (``kept``, by the ``_rememberable`` rules), else ``holding_a_key`` when text was
    typed (it held a key), else ``empty``."""
    if kept:
        return kept
    return holding_a_key if typed.strip() else empty


def _rememberable_base_url(base_url: str, own_key: HeldKeys) -> str:
    """``base_url`` trimmed, as the settings file may keep it: never one holding an API
    key, of Kombo's shape or the bar's own (the connection then says what is wrong, and
    "" is kept)."""
    value = base_url.strip()
    return "" if own_key.any_key_in(value) else value
