"""Names the form needs before the models load: target kinds, Oracle's document categories.

``core.models`` re-exports them; they live here so that building the form does not
import pydantic.
"""

from __future__ import annotations

import enum
from typing import Literal, get_args

OracleDocumentCategory = Literal[
    "IRC_CANDIDATE_RESUME", "IRC_CANDIDATE_COVERLETTER", "MISC", "IRC_INTERNAL"
]
ORACLE_DOCUMENT_CATEGORIES: tuple[str, ...] = get_args(OracleDocumentCategory)


class TargetKind(enum.Enum):
    """What a result link is attached to."""

    CANDIDATE = "candidate"
    APPLICATION = "application"

    @property
    def collection(self) -> str:
        """The path segment of this kind under ``/ats``."""
        return "candidates" if self is TargetKind.CANDIDATE else "applications"
