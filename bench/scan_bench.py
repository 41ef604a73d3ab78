"""What one fraud scan costs on a million recent votes: time, CPU and memory of the scanning process.

    .venv/bin/python -m bench.scan_bench [--votes 1000000] [--runs 3] [--source DIR] [--summary-dir DIR]

A scratch PostgreSQL database gets ``anb demo``'s data (100,000 players, 10,000 published videos,
``--votes`` votes), spread over the last 47 hours (the demo casts every vote at one instant), with
``--new-share`` of them cast by accounts a few hours old (the rest by old ones), so every vote is in
the scan's 48 h lookback and the rules have new accounts to look at. Each run scans in a fresh
interpreter and rolls back (every run sees the same ledger): wall time, the process's CPU time and
its peak resident memory. ``--source`` scans with another checkout's code (e.g. an older commit made
with ``git worktree``), interleaved run by run with this one's so both share the machine's load.
Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import psycopg

from bench.harness.postgres import scratch_database
from bench.results import add_summary_option, write_summary
from bench.stamp import REPO, Stamp
from bench.voting_data import seed

# Run in the measured checkout's interpreter: the scan in a unit that is rolled back.
SCAN = """
import asyncio, dataclasses, json, resource, time
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.integrity.scan import scan

async def main():
    settings = Settings()
    engine = create_async_db_engine(settings.resolved_database_url, null_pool=True)
    async with session_factory(engine)() as db:
        wall, cpu = time.perf_counter(), time.process_time()
        result = await scan(db, settings.integrity)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        await db.rollback()
    await engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": wall, "cpu_seconds": cpu, "peak_mib": peak, **dataclasses.asdict(result)}))

asyncio.run(main())
"""


def spread_votes(url: str, new_share: float) -> None:
    """Votes over the last 47 hours; ``new_share`` of them by accounts 1–20 hours old when voting."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE votes SET created_at = now() - random() * interval '47 hours', voter_age_seconds = 9e6")
        conn.execute(
            "UPDATE votes SET voter_age_seconds = 3600 + floor(random() * 68400) WHERE random() < %s", [new_share]
        )
        conn.execute("VACUUM ANALYZE votes")


def scan_once(url: str, checkout: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(checkout), "ANB_DATABASE__URL": url}
    done = subprocess.run([sys.executable, "-c", SCAN], cwd=checkout, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the scan with {checkout} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--new-share", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--source", default=None, help="another checkout to measure beside this one")
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.scan_bench", sys.argv[1:] if argv is None else argv)
    sources = {"this checkout": REPO} | ({"--source": Path(args.source).resolve()} if args.source else {})
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in sources}
    with scratch_database() as url, tempfile.TemporaryDirectory(prefix="anb-scan-bench-") as work:
        print(seed(url, Path(work) / "data", 100_000, 10_000, args.votes))
        spread_votes(url, args.new_share)
        for run in range(args.runs):
            for name, checkout in sources.items():
                runs[name].append(scan_once(url, checkout))
                print(f"run {run + 1} {name}: {runs[name][-1]}", flush=True)
    figures: dict[str, Any] = {"votes": args.votes, "new_share": args.new_share, "runs": runs, "median": {}}
    for name, measured in runs.items():
        medians = {key: statistics.median(r[key] for r in measured) for key in ("seconds", "cpu_seconds", "peak_mib")}
        figures["median"][name] = {key: round(value, 2) for key, value in medians.items()}
        print(f"{name}: {figures['median'][name]}")
    write_summary("scan", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
