"""Indenting an answer (``core.text.pretty_json``) against ``json.dumps(indent=2)``.

``pretty_json`` lays an answer out as ``json.dumps(json.loads(body), indent=2,
ensure_ascii=False)`` does, but keeps each number as it was written and a key given
twice. Both indent the same answer of about 1 MiB (the most the client reads), mixed
as answers are: strings, numbers, booleans, nulls, nested objects and lists. Rounds
alternate between the two so that machine noise hits both alike; the best time of each
is printed, and the ratio. Goal: at most 1.2x ``json.dumps``.

One frame (16 ms) is far too short for either at that size: the response panel indents
answers longer than ``INDENT_IN_BACKGROUND_ABOVE`` on a background thread. The time for
an answer of that size, the most indented on the GUI thread, is printed too.

    python benchmarks/pretty_json.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

GOAL = 1.2
_ROOT = Path(__file__).resolve().parent.parent


def _answer(size: int) -> str:
    """A Kombo error answer of about ``size`` characters, its details many small objects."""
    details: list[object] = []
    body = {"status": "error", "error": {"code": "PLATFORM.INPUT_INVALID", "details": details}}
    length = len(json.dumps(body))
    while length < size:
        n = len(details)
        detail = {
            "field": f"remote_fields.custom.question_{n}",
            "message": f"Expected a number, got text ({n}) — «{n % 7}»",
            "value": n * 1.25,
            "count": n,
            "required": n % 2 == 0,
            "hint": None,
            "path": ["remote_fields", "custom", n],
        }
        details.append(detail)
        length += len(json.dumps(detail)) + 2  # and the separator before it
    return json.dumps(body)


def _best_ms(indent: Callable[[str], str], body: str, times: list[float]) -> None:
    started = time.perf_counter()
    indent(body)
    times.append((time.perf_counter() - started) * 1000)


def main(argv: list[str] | None = None) -> int:
    """Time both on the same answer, alternating; print the best times and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="rounds of each (default 7)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(_ROOT))

    from kombo_desktop.core.text import pretty_json
    from kombo_desktop.qt.response_panel import INDENT_IN_BACKGROUND_ABOVE

    def dumps(body: str) -> str:
        return json.dumps(json.loads(body), indent=2, ensure_ascii=False)

    large = _answer(1024 * 1024)
    if pretty_json(large) != dumps(large):
        raise RuntimeError("pretty_json laid the answer out otherwise than json.dumps")
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(args.rounds):
        _best_ms(dumps, large, baseline)
        _best_ms(pretty_json, large, ours)
    small = _answer(INDENT_IN_BACKGROUND_ABOVE)
    at_threshold: list[float] = []
    for _ in range(args.rounds):
        _best_ms(pretty_json, small, at_threshold)

    ratio = min(ours) / min(baseline)
    print(f"Indenting an answer of {len(large) / 1024:.0f} KiB, best of {args.rounds}")
    print(f"  json.dumps(indent=2): {min(baseline):7.1f} ms (baseline)")
    print(f"  pretty_json:          {min(ours):7.1f} ms")
    print(f"  ratio to baseline: {ratio:.2f}x")
    print(f"  goal: at most {GOAL}x: {'met' if ratio <= GOAL else 'MISSED'}")
    print(
        f"  pretty_json of {len(small) / 1024:.0f} KiB (the most indented on the GUI thread):"
        f" {min(at_threshold):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
