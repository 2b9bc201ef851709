"""Does importing profiles cost the same for each, however many there are?

An operations person keeps a profile per customer integration, hundreds of them, and
moves them between computers with export and import. An export of ``--profiles``
profiles (the many) and one of ``--baseline-profiles`` (the few) are each imported into
an empty store, several times, interleaved; the median time per
profile imported is compared. Goal: a profile among the many costs at most 2x one
among the few (a pass over every profile for each one imported grows with their count:
a thousand took twelve seconds).

No keyring is needed: an export holds no keys.

    python benchmarks/profiles_import.py [--profiles 1000] [--baseline-profiles 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

GOAL = 2.0


def exported(count: int) -> str:
    """The text of an export of ``count`` profiles, as ``ProfileStore.export_json``
    writes it, names alike but for their number (as a person names them: "Acme Corp -
    Workday 17")."""
    import json

    from kombo_desktop.core.connection import Region
    from kombo_desktop.core.profiles import EXPORT_FORMAT, FORMAT_VERSION, Profile

    profiles = [
        Profile(
            id=str(n),
            name=f"Acme Corp - Workday {n}",
            integration_id=f"workday:acme-{n}",
            region=Region.EU,
        ).to_json(with_id=False)
        for n in range(count)
    ]
    return json.dumps({"format": EXPORT_FORMAT, "version": FORMAT_VERSION, "profiles": profiles})


def seconds_per_profile(directory: Path, text: str, count: int, run: int) -> float:
    """Import ``text`` into an empty store; the time it took for each profile."""
    from kombo_desktop.core.profiles import ProfileStore

    os.environ["KOMBO_DESKTOP_HOME"] = str(directory / f"import-{count}-{run}")
    store = ProfileStore()
    started = time.perf_counter()
    result = store.import_json(text)
    elapsed = time.perf_counter() - started
    if len(result.imported) != count:
        raise RuntimeError(f"imported {len(result.imported)} of {count} profiles")
    return elapsed / count


def main(argv: list[str] | None = None) -> int:
    """Measure, print the medians and their ratio against the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1000, help="the many (1000)")
    parser.add_argument("--baseline-profiles", type=int, default=100, help="the few (100)")
    parser.add_argument("--rounds", type=int, default=5, help="imports of each (5)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kombo-import-") as home:
        directory = Path(home)
        many, few = args.profiles, args.baseline_profiles
        texts = {count: exported(count) for count in (many, few)}
        times: dict[int, list[float]] = {many: [], few: []}
        for run in range(args.rounds):
            for count in (few, many):  # interleaved: machine noise hits both alike
                times[count].append(seconds_per_profile(directory, texts[count], count, run))
    base = statistics.median(times[few])
    measured = statistics.median(times[many])
    ratio = measured / base
    verdict = "met" if ratio <= GOAL else "MISSED"
    print(f"Importing profiles into an empty store, median of {args.rounds} rounds")
    print(f"  {few:5} profiles: {base * 1e3:7.3f} ms a profile (baseline)")
    print(f"  {many:5} profiles: {measured * 1e3:7.3f} ms a profile ({ratio:.2f}x the baseline's)")
    print(f"  goal: at most {GOAL}x a profile among the few: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
