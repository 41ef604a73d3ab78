"""What the contest's voting window costs a vote: accepted votes/s and CPU per vote of a real
``anb serve`` on the voting benchmark's dataset, with no contest rules and with an open window,
the two alternating on the same server so both see the same machine.

    .venv/bin/python -m bench.contest_window_bench [--backend postgres] [--runs 3] [--seconds 10]

With rules set, every vote reads them from the process's cache (re-read every
``ANB_CONTEST__RULES_CACHE_SECONDS``, 1 s here so a change shows quickly) and compares the clock
with the window; without rules, it finds none in the same cache. Last, the CPU of the check alone,
in-process. Medians; the summary goes to docs/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from anb.contest_rules.rules import iso_utc
from anb.contest_rules.rules_cache import rules_cache
from anb.contest_rules.window import check_vote
from anb.db.base import utcnow
from anb.db.engine import create_async_db_engine, create_sync_db_engine, session_factory
from bench.harness.processes import anb_serve_process
from bench.rankings_bench import database, measure_votes
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from bench.voting_data import ANB, seed
from bench.voting_wrk import require_wrk


def _set_window(env: dict[str, str], open_window: bool) -> None:
    if open_window:
        now = utcnow()
        command = [ANB, "contest", "set", "--opens", iso_utc(now - timedelta(days=1)), "--closes",
                   iso_utc(now + timedelta(days=1))]  # fmt: skip
        subprocess.run(command, env={**os.environ, **env}, check=True, capture_output=True)
    else:
        engine = create_sync_db_engine(env["ANB_DATABASE__URL"])
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM contest_rules"))
        engine.dispose()
    time.sleep(2)  # two rules-cache periods: every server process sees the change


def check_cost_us(database_url: str, checks: int = 200_000) -> float:
    """CPU microseconds of the vote path's window check itself (cached rules, clock, comparison),
    in one process, with the rules of an open window loaded."""

    async def measure() -> float:
        engine = create_async_db_engine(database_url, null_pool=True)
        try:
            cache = rules_cache(engine, session_factory(engine), 5.0)
            await cache.get()
            started = time.process_time()
            for _ in range(checks):
                check_vote(await cache.get(), utcnow())
            return (time.process_time() - started) / checks * 1e6
        finally:
            await engine.dispose()

    return asyncio.run(measure())


def bench(backend: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    with database(backend, work) as url:
        report = seed(url, work / "data", args.players, args.videos, args.votes)
        env = {
            "ANB_DATA_DIR": str(work / "data"),
            "ANB_DATABASE__URL": url,
            "ANB_JOBS__CONCURRENCY": "1",
            # Fewer than rankings_bench's 32: the database server is shared with other work on the box.
            "ANB_DATABASE__POOL_SIZE": str(args.pool_size),
            "ANB_RATE_LIMIT__VOTE_PER_USER": "1000000/second",
            "ANB_RATE_LIMIT__VOTE_PER_ADDRESS": "1000000/second",
            "ANB_CONTEST__RULES_CACHE_SECONDS": "1",
        }
        runs: dict[str, list[dict[str, Any]]] = {"no rules": [], "open window": []}
        try:
            with anb_serve_process(env, work / "serve.log", workers=args.workers) as served:
                for _ in range(args.runs):
                    for label, open_window in (("no rules", False), ("open window", True)):
                        _set_window(env, open_window)
                        runs[label].append(measure_votes(served, url, work / "data", work, 1, args.seconds))
        except AssertionError as exc:
            # A server too slow to stop on a loaded machine (SIGKILLed after 20 s) does not void the
            # runs it completed; any other failure does.
            if len(runs["open window"]) < args.runs:
                raise
            print(f"warning: {exc}")
        check_us = check_cost_us(url)
    summary: dict[str, Any] = {
        "seed": report,
        "load_average_at_end": Path("/proc/loadavg").read_text().split()[:3],
        "check_cpu_us": check_us,
    }
    for label, measured in runs.items():
        summary[label] = {
            "accepted_per_second": statistics.median(run["accepted_per_second"] for run in measured),
            "runs": [run["accepted_per_second"] for run in measured],
            "server_cpu_ms_per_vote": statistics.median(run["cpu_ms_per_vote"]["server"] for run in measured),
            "database_cpu_ms_per_vote": statistics.median(run["cpu_ms_per_vote"]["database"] for run in measured),
            "p99_ms": statistics.median(run["http"]["p99_ms"] for run in measured),
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=8, help="database connections per server process")
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    add_summary_option(parser)
    args = parser.parse_args()
    require_wrk()
    stamp = Stamp.now("bench.contest_window_bench", sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        result = bench(args.backend, Path(folder), args)
    for label in ("no rules", "open window"):
        row = result[label]
        runs = ", ".join(f"{rate:.0f}" for rate in row["runs"])
        print(
            f"{label:<12} {row['accepted_per_second']:7.0f} votes/s (runs {runs}); CPU per vote: server"
            f" {row['server_cpu_ms_per_vote']:.2f} ms, database {row['database_cpu_ms_per_vote']:.2f} ms;"
            f" p99 {row['p99_ms']:.1f} ms"
        )
    print(f"the window check alone: {result['check_cpu_us']:.2f} µs of CPU per vote (in-process)")
    write_summary("contest-window", stamp, result, args.summary_dir)


if __name__ == "__main__":
    main()
