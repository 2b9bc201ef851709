"""The table of profiles in the profiles dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from kombo_desktop.core.connection import Environment
from kombo_desktop.core.profiles import Profile
from kombo_desktop.core.secrets import KeyStore
from kombo_desktop.qt.environment_badge import ENVIRONMENT_COLOURS, key_environment_sentence

ModelIndex = QModelIndex | QPersistentModelIndex


class ProfileTableModel(QAbstractTableModel):
    """Profiles as rows: name, key environment, region or base URL, integration id.

    The key column comes from the profile file's note of the saved key's environment
    (no keyring access, so painting never blocks) or from a session-only key in memory.
    """

    # The key's environment comes second so its badge stays visible in a narrow dialog.
    COLUMNS = ("Name", "API key", "Region or base URL", "Integration ID")
    NAME_COLUMN = 0
    KEY_COLUMN = 1
    PLACE_COLUMN = 2  # the region or base URL

    def __init__(self, key_store: KeyStore, parent: Any = None) -> None:
        super().__init__(parent)
        self._key_store = key_store
        self._profiles: list[Profile] = []

    def set_profiles(self, profiles: list[Profile]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._profiles = list(profiles)
        self.endResetModel()

    def profile_at(self, row: int) -> Profile | None:
        """The profile of a row, or None outside the table."""
        return self._profiles[row] if 0 <= row < len(self._profiles) else None

    def row_of(self, profile_id: str) -> int:
        """The row of a profile id, or -1."""
        return next((i for i, p in enumerate(self._profiles) if p.id == profile_id), -1)

    def key_state(self, profile: Profile) -> tuple[str, Environment | None]:
        """The key column's words and the environment they describe."""
        session_key = self._key_store.session_key(profile.id)
        if session_key is not None:
            environment = Environment.of_key(session_key)
            return f"{environment.value} (this session only)", environment
        if profile.key_environment is None:
            return "No key", None
        return profile.key_environment.value, profile.key_environment

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of profiles."""
        return 0 if parent.isValid() else len(self._profiles)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, the badge colours of the key column, tooltips (a name in full) and the
        profile id."""
        profile = self.profile_at(index.row()) if index.isValid() else None
        if profile is None:
            return None
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.NAME_COLUMN:
                return profile.name
            if column == self.KEY_COLUMN:
                return self.key_state(profile)[0]
            if column == self.PLACE_COLUMN:
                return profile.base_url_or_region_label
            return profile.integration_id
        if column == self.KEY_COLUMN:
            environment = self.key_state(profile)[1]
            if role == Qt.ItemDataRole.BackgroundRole and environment is not None:
                return QColor(ENVIRONMENT_COLOURS[environment])
            if role == Qt.ItemDataRole.ForegroundRole and environment is not None:
                return QColor("white")
            if role == Qt.ItemDataRole.ToolTipRole:
                if environment is None:
                    return "No API key is saved for this profile yet"
                # A key kept for this session only is saved nowhere: not "the saved key".
                session_only = self._key_store.is_session_only(profile.id)
                key = "The key kept for this session only" if session_only else "The saved key"
                return key_environment_sentence(environment, key)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME_COLUMN:
            # In full: a long name is cut short in its column.
            return profile.name
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PLACE_COLUMN and profile.base_url:
            return profile.base_url
        return None
