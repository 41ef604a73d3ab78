"""New votes cast at the embedded service on SQLite, at saturation (docs/voting.md).

    .venv/bin/python -m bench.sqlite_votes [--processes 1 2] [--seconds 20] [--connections 32]

``anb demo`` seeds 50 players and 300 published videos; ``anb serve`` (SQLite, local disk, jobs to an
unconsumed queue, rate limits raised) then takes votes never cast before from wrk (fresh voters,
tokens signed with the server's key, bench/voting_data.py) for ``--seconds``. Prints votes/s and the
latency percentiles per number of server processes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

from bench.capacity.target import BROKER_URL, raised_rate_limits
from bench.harness.processes import anb_serve_process
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from bench.voting_data import seed, vote_lines
from bench.voting_wrk import require_wrk, run_wrk
from deploy.local.backing import delete_queues


def run(processes: int, seconds: int, connections: int) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="anb-sqlite-votes-"))
    url, data = f"sqlite:///{work / 'anb.sqlite3'}", work / "data"
    seed(url, data, players=50, videos=300, votes=0)
    lines = vote_lines(url, data, voters=2000, videos_each=5)
    queue = f"anb-bench-{uuid.uuid4().hex[:8]}"
    env = {"ANB_DATABASE__URL": url, "ANB_DATA_DIR": str(data), "ANB_JOBS__BACKEND": "celery",
           "ANB_JOBS__BROKER_URL": BROKER_URL, "ANB_JOBS__QUEUE_NAME": queue, **raised_rate_limits()}  # fmt: skip
    try:
        with anb_serve_process(env, work / "serve.log", processes, startup_timeout=600) as served:
            load = run_wrk(served.base_url, lines, work, seconds=seconds, connections=connections)
    finally:
        delete_queues(BROKER_URL, queue)
    return {
        "votes_per_second": load.requests_per_second,
        "p50_ms": load.p50_ms,
        "p99_ms": load.p99_ms,
        "not_2xx": load.non_2xx + load.errors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.sqlite_votes", sys.argv[1:] if argv is None else argv)
    require_wrk()
    figures = {}
    for processes in args.processes:
        figures[f"{processes} server processes"] = found = run(processes, args.seconds, args.connections)
        print(
            f"{processes} server process(es): {found['votes_per_second']:.0f} votes/s, p50 {found['p50_ms']:.0f} ms, "
            f"p99 {found['p99_ms']:.0f} ms, {found['not_2xx']:.0f} not 2xx",
            flush=True,
        )
    write_summary("sqlite-votes", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
