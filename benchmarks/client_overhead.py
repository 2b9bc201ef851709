"""Client overhead: the project's client against a plain httpx loop, same concurrency.

Both send N result links to one sandbox process on loopback with C requests in
flight. Rounds alternate between the two so that machine noise hits both alike;
the ratio of the median times is printed. Goal: at most 1.15 at N=1000, C=8.

    python benchmarks/client_overhead.py [--n 1000] [--concurrency 8] [--rounds 6]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import httpx

from kombo_desktop.core.client import KomboClient
from kombo_desktop.core.connection import Connection
from kombo_desktop.core.models import ResultLinkRequest, Target, TargetKind
from kombo_desktop.core.requests import USER_AGENT
from kombo_desktop.sandbox import DEMO_API_KEY, DEMO_INTEGRATION_ID

GOAL = 1.15
BODY = {
    "label": "Assessment Result",
    "url": "https://example.com/test-results/5BtP1WC1UboS7CF3yxjKcvjG",
    "details": {
        "custom_field_name_prefix": "Acme:",
        "attributes": [{"key": "Score", "value": "100%"}, {"key": "Time", "value": "2:30h"}],
    },
}


def start_sandbox() -> tuple[subprocess.Popen[str], str]:
    """The sandbox in its own process, so it does not share this process's GIL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kombo_desktop", "sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"http://127\.0\.0\.1:\d+/v1", line)
        if found:
            return process, found.group(0)
    raise RuntimeError("the sandbox did not start")


async def bounded(n: int, concurrency: int, send: Callable[[int], Awaitable[None]]) -> float:
    """Run ``send(i)`` for i < n with at most ``concurrency`` in flight; seconds taken."""
    queue = iter(range(n))

    async def lane() -> None:
        for index in queue:
            await send(index)

    started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    return time.perf_counter() - started


async def with_project_client(base_url: str, ids: list[str], n: int, c: int) -> float:
    connection = Connection.create(
        api_key=DEMO_API_KEY, integration_id=DEMO_INTEGRATION_ID, base_url=base_url
    )
    async with KomboClient(connection, max_connections=c) as client:

        async def send(index: int) -> None:
            # Built per request, as the app does: validation is part of the cost.
            request = ResultLinkRequest.from_form(
                label=BODY["label"],  # type: ignore[arg-type]
                url=BODY["url"],  # type: ignore[arg-type]
                custom_field_name_prefix="Acme:",
                attributes=[("Score", "100%"), ("Time", "2:30h")],
            )
            target = Target.parse(TargetKind.CANDIDATE, ids[index % len(ids)])
            await client.add_result_link(target, request)

        return await bounded(n, c, send)


async def with_plain_httpx(base_url: str, ids: list[str], n: int, c: int) -> float:
    headers = {
        "Authorization": f"Bearer {DEMO_API_KEY}",
        "X-Integration-Id": DEMO_INTEGRATION_ID,
        "Accept": "application/json",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
    async with httpx.AsyncClient(limits=limits, trust_env=False) as client:

        async def send(index: int) -> None:
            url = f"{base_url}/ats/candidates/{ids[index % len(ids)]}/result-links"
            response = await client.post(url, headers=headers, content=json.dumps(BODY))
            response.raise_for_status()
            response.json()

        return await bounded(n, c, send)


def main() -> int:
    """Measure and print the ratio; exit 0 always (a benchmark reports, it does not judge)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    process, base_url = start_sandbox()
    try:
        ids = fetch_ids(base_url)
        asyncio.run(with_plain_httpx(base_url, ids, 50, args.concurrency))  # warm-up
        asyncio.run(with_project_client(base_url, ids, 50, args.concurrency))
        ours: list[float] = []
        plain: list[float] = []
        for round_number in range(args.rounds):
            # Alternate which goes first, so drift in the machine's load hits both alike.
            runs = [(plain, with_plain_httpx), (ours, with_project_client)]
            for times, measure in runs if round_number % 2 == 0 else runs[::-1]:
                times.append(asyncio.run(measure(base_url, ids, args.n, args.concurrency)))
    finally:
        process.terminate()
        process.wait(timeout=10)
    ratio = statistics.median(ours) / statistics.median(plain)
    print(f"N={args.n} concurrency={args.concurrency} rounds={args.rounds}")
    print(f"plain httpx:    median {statistics.median(plain):.3f} s  {fmt(plain)}")
    print(f"kombo-desktop:  median {statistics.median(ours):.3f} s  {fmt(ours)}")
    verdict = "meets" if ratio <= GOAL else "misses"
    print(f"ratio {ratio:.3f} (goal <= {GOAL}: {verdict})")
    return 0


def fmt(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.3f}" for t in times) + "]"


def fetch_ids(base_url: str) -> list[str]:
    """Candidate ids from the sandbox, so every request hits a real candidate."""
    response = httpx.get(
        f"{base_url}/ats/candidates",
        params={"page_size": "250"},
        headers={
            "Authorization": f"Bearer {DEMO_API_KEY}",
            "X-Integration-Id": DEMO_INTEGRATION_ID,
        },
        trust_env=False,
    )
    response.raise_for_status()
    return [c["id"] for c in response.json()["data"]["results"]]


if __name__ == "__main__":
    sys.exit(main())
