"""What a vote's rate-limit check costs on each backend: the two keys of a vote (user, address),
checked ``--hits`` times in a row from one process, wall time per check; medians of ``--runs``.

    .venv/bin/python -m bench.ratelimit_bench [--hits 5000] [--runs 3]

memory (tests), sqlite (the embedded service: a shared file, one write transaction on the event
loop's thread) and redis (production: one Lua script round trip to the local Redis).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from anb.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter, SqliteRateLimiter, SqliteStore
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp


@dataclass(frozen=True)
class Rate:
    requests: int
    period_seconds: float


VOTE = Rate(1_000_000, 1)  # never refused: the cost of an admitted check is what a vote pays


def _limiter(backend: str, folder: Path) -> RateLimiter:
    if backend == "sqlite":
        return SqliteRateLimiter(SqliteStore(folder / f"{uuid.uuid4().hex}.sqlite3"))
    if backend == "redis":
        return RedisRateLimiter("redis://127.0.0.1:6379/0", prefix=f"anb-bench:{uuid.uuid4().hex}:")
    return MemoryRateLimiter()


async def _run(backend: str, hits: int, folder: Path) -> float:
    limiter = _limiter(backend, folder)
    try:
        await limiter.hit([("warm", VOTE)])
        started = time.perf_counter()
        for n in range(hits):
            await limiter.hit([(f"vote:user:{n % 500}", VOTE), (f"vote:address:{n % 50}", VOTE)])
        return (time.perf_counter() - started) / hits * 1e6
    finally:
        await limiter.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hits", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    add_summary_option(parser)
    args = parser.parse_args()
    stamp = Stamp.now("bench.ratelimit_bench", sys.argv[1:], tools=("redis",))
    folder = Path(tempfile.mkdtemp(prefix="anb-ratelimit-bench-"))
    results = {}
    for backend in ("memory", "sqlite", "redis"):
        runs = [asyncio.run(_run(backend, args.hits, folder)) for _ in range(args.runs)]
        results[backend] = {
            "microseconds_per_check": round(statistics.median(runs), 1),
            "runs": [round(r, 1) for r in runs],
        }
        median = results[backend]["microseconds_per_check"]
        print(f"{backend:<8} {median:8.1f} µs per vote check (runs {results[backend]['runs']})")
    write_summary("ratelimit", stamp, results, args.summary_dir)


if __name__ == "__main__":
    main()
