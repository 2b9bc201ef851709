"""Find secrets in files: the check behind every "the key is never written" test."""

from __future__ import annotations

from pathlib import Path


def _encodings(secret: str) -> list[bytes]:
    # UTF-8 for JSON, INI and logs; UTF-16 in case a Qt or platform file stores wide text.
    return [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]


def files_containing(root: Path, secret: str) -> list[Path]:
    """Every regular file under ``root`` (or ``root`` itself) whose bytes contain ``secret``."""
    assert secret, "an empty secret would match every file"
    needles = _encodings(secret)
    candidates = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    found: list[Path] = []
    for path in candidates:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if any(needle in data for needle in needles):
            found.append(path)
    return found


def assert_no_file_contains(root: Path, secret: str) -> None:
    """Fail, naming the files, when any file under ``root`` contains ``secret``.

    Also fails when ``root`` does not exist, so a wrong path cannot pass silently.
    """
    assert root.exists(), f"{root} does not exist: nothing was scanned"
    leaked = files_containing(root, secret)
    assert not leaked, f"the secret was written to: {', '.join(str(p) for p in leaked)}"
