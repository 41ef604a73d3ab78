"""How long the contest's close, export and verification take on the voting benchmark's dataset, and
the memory each command peaks at (each streams the window's counted votes; docs/contest.md).

    .venv/bin/python -m bench.contest_close_bench [--backend postgres] [--votes 1000000]

``anb demo`` seeds the dataset; the rules' window covers its votes; then ``anb contest close``,
``anb contest export`` and ``anb contest verify`` run as an operator runs them, each timed, with the
peak resident memory of its process. The summary goes to docs/results/.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from anb.contest_rules.rules import iso_utc
from anb.db.base import utcnow
from bench.rankings_bench import database
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from bench.voting_data import ANB, seed

# A fresh parent whose only child is the command, so the children's peak RSS is the command's own.
_PEAK_OF_CHILD = (
    "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(done.returncode)"
)


def _timed(env: dict[str, str], *args: str) -> dict[str, Any]:
    """One ``anb`` command: wall seconds, and the peak resident memory of its process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_OF_CHILD, ANB, *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(int(done.stderr.strip().splitlines()[-1]) / 1024, 1),
        "output": done.stdout.strip().splitlines()[-1],
    }


def bench(backend: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    with database(backend, work) as url:
        report = seed(url, work / "data", args.players, args.videos, args.votes)
        env = {"ANB_DATABASE__URL": url, "ANB_DATA_DIR": str(work / "data"), "ANB_CONTEST__CLOSE_GRACE_SECONDS": "0"}
        closes = utcnow() + timedelta(seconds=3)
        _timed(env, "contest", "set", "--opens", iso_utc(utcnow() - timedelta(days=1)), "--closes", iso_utc(closes))
        time.sleep(max(0.0, (closes - utcnow()).total_seconds()) + 0.5)
        figures = {"seed": report, "close": _timed(env, "contest", "close")}
        figures["export"] = _timed(env, "contest", "export", str(work / "export"))
        figures["verify"] = _timed(env, "contest", "verify", str(work / "export" / "contest.json"))
        figures["export_bytes"] = {path.name: path.stat().st_size for path in (work / "export").iterdir()}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    add_summary_option(parser)
    args = parser.parse_args()
    stamp = Stamp.now("bench.contest_close_bench", sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        figures = bench(args.backend, Path(folder), args)
    write_summary("contest-close", stamp, figures, args.summary_dir)
    for step in ("close", "export", "verify"):
        row = figures[step]
        print(f"{step:<7} {row['seconds']:7.1f} s, peak RSS {row['peak_rss_mib']:.0f} MiB: {row['output']}")
    print(f"export files: {figures['export_bytes']}")


if __name__ == "__main__":
    main()
