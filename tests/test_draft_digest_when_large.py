"""A draft is known by its digest only when it is large: a small one costs no digest library.

The digest (``hashlib``) loads OpenSSL's library, megabytes of memory; the window saves and
restores a draft from its first moments, and a draft of a few lines is parsed again for
less.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kombo_desktop.core.drafts import DIGESTED_FROM_BYTES, DraftStore
from kombo_desktop.core.form_state import FormState
from tests.cli_support import run_child

_SMALL_DRAFT_ROUND = textwrap.dedent(
    """
    import json, sys
    from kombo_desktop.core.drafts import DraftStore
    from kombo_desktop.core.form_state import FormState

    store = DraftStore()
    state = FormState(label="Coding assessment", url="https://example.com/results/1")
    store.save(state)
    restored = DraftStore(store.path)
    loaded = restored.load()
    report = {
        "restored": loaded == state,
        "holds": restored.holds(state),
        "saved_again": restored.save(state) is None,
        "digest_library_loaded": "hashlib" in sys.modules,
    }
    print("REPORT", json.dumps(report))
    """
)


def test_saving_and_restoring_a_small_draft_loads_no_digest_library(app_home: Path) -> None:
    report = run_child(app_home, _SMALL_DRAFT_ROUND)
    assert report == {
        "restored": True,
        "holds": True,
        "saved_again": True,
        "digest_library_loaded": False,
    }


@pytest.mark.parametrize("url", ["https://example.com/results/1", "x" * DIGESTED_FROM_BYTES])
def test_a_draft_changed_by_another_writer_is_not_taken_as_held(tmp_path: Path, url: str) -> None:
    # Small, it is parsed again; large, known by its digest: either way, what another
    # window wrote there since is seen.
    path = tmp_path / "draft.json"
    ours, theirs = FormState(label="ours", url=url), FormState(label="theirs", url=url)
    store = DraftStore(path)
    store.save(ours)
    assert store.holds(ours)
    # Another window on the same files writes its own form there.
    DraftStore(path).save(theirs)
    assert not store.holds(ours)
    assert store.holds(theirs)
