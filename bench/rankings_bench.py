"""Public lists and votes of a real ``anb serve`` on a seeded dataset, against the server's own floor.

    .venv/bin/python -m bench.rankings_bench [--backends postgres,sqlite] [--runs 3] [--seconds 10]

For each backend: ``anb demo`` seeds 100,000 players, 10,000 published videos and 1,000,000 votes;
``anb serve`` (2 server processes, ``ANB_BENCH_ROUTES=true``) then answers wrk (64 connections,
2 threads) for the global ranking, the ranking of each city in rotation and the public list.
Each is measured against the floor: ``/api/bench/floor``, a JSON body of the same size straight
from memory on the same server, runs interleaved so both see the same machine. Last, wrk casts
votes never cast before (fresh voters, tokens signed with the server's key); accepted votes are
counted in the database, with the CPU the server processes and the database's backends spent per
accepted vote. Medians of ``--runs`` runs; JSON in bench/out/.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from bench.capacity.sampler import Watch, cpu_used_between, tree_cpu_seconds
from bench.harness.postgres import scratch_database
from bench.harness.processes import Served, anb_serve_process
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from bench.voting_data import seed, vote_lines, vote_rows
from bench.voting_wrk import Load, require_wrk, run_wrk

CONNECTIONS = 64
TARGET_P99_RATIO, TARGET_RPS_RATIO, TARGET_VOTES = 1.5, 0.7, 1000


@contextmanager
def database(backend: str, work: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{work / 'bench.sqlite3'}"
        return
    with scratch_database() as url:
        yield url


def _median_load(loads: list[Load]) -> dict[str, float]:
    return {
        "rps": statistics.median(load.requests_per_second for load in loads),
        "p50_ms": statistics.median(load.p50_ms for load in loads),
        "p99_ms": statistics.median(load.p99_ms for load in loads),
        "non_2xx": sum(load.non_2xx + load.errors for load in loads),
    }


def _endpoints(base_url: str) -> dict[str, list[str]]:
    cities = [city["key"] for city in httpx.get(f"{base_url}/api/public/cities", timeout=30).json()]
    return {
        "rankings (global)": ["/api/public/rankings"],
        "rankings (by city)": [f"/api/public/rankings?city={quote(key)}" for key in cities],
        "public list": ["/api/public/videos"],
    }


def _body_size(base_url: str, paths: list[str]) -> int:
    sizes = [len(httpx.get(base_url + path, timeout=30).content) for path in paths]
    return round(statistics.mean(sizes))


def measure_lists(base_url: str, work: Path, runs: int, seconds: float) -> dict[str, Any]:
    results = {}
    for label, paths in _endpoints(base_url).items():
        size = _body_size(base_url, paths)
        floor = [f"/api/bench/floor?bytes={size}"]
        for lines in (floor, paths):  # warm-up: code paths loaded, every cache filled
            run_wrk(base_url, lines, work, seconds=2, connections=CONNECTIONS)
        floors, loads = [], []
        for _ in range(runs):
            floors.append(run_wrk(base_url, floor, work, seconds=seconds, connections=CONNECTIONS))
            loads.append(run_wrk(base_url, paths, work, seconds=seconds, connections=CONNECTIONS))
        endpoint, base = _median_load(loads), _median_load(floors)
        results[label] = {
            "body_bytes": size,
            "endpoint": endpoint,
            "floor": base,
            "rps_ratio": endpoint["rps"] / base["rps"],
            "p99_ratio": endpoint["p99_ms"] / base["p99_ms"],
        }
    return results


def measure_votes(served: Served, database_url: str, data_dir: Path, work: Path, runs: int, seconds: float) -> dict:
    # Where a vote's CPU goes: the server processes, and the database's backends (PostgreSQL names
    # the database in each backend's title; SQLite runs inside the server).
    watches = {
        "server": Watch("server", str(served.pid)),
        "database": Watch("database", f"cmdline:{database_url.rsplit('/', 1)[1]}"),
    }
    rates, loads, cpu = [], [], []
    for _ in range(runs):
        # More fresh votes than the server can take in the time: every accepted one is a real insert.
        lines = vote_lines(database_url, data_dir, voters=4000, videos_each=12)
        before = vote_rows(database_url)
        cpu_before = {label: tree_cpu_seconds(watch) for label, watch in watches.items()}
        loads.append(run_wrk(served.base_url, lines, work, seconds=seconds, connections=CONNECTIONS))
        used = {label: cpu_used_between(cpu_before[label], tree_cpu_seconds(watch)) for label, watch in watches.items()}
        accepted = vote_rows(database_url) - before
        rates.append(accepted / seconds)
        cpu.append({label: 1000 * value / accepted if accepted else float("nan") for label, value in used.items()})
    return {
        "accepted_per_second": statistics.median(rates),
        "runs": rates,
        "cpu_ms_per_vote": {label: statistics.median(run[label] for run in cpu) for label in watches},
        "http": _median_load(loads),
    }


def _load_average() -> float:
    # Other work on the box skews every figure: recorded next to them.
    return float(Path("/proc/loadavg").read_text().split()[0])


def bench_backend(backend: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    folder = work / backend
    folder.mkdir()
    with database(backend, folder) as url:
        started = time.perf_counter()
        report = seed(url, folder / "data", args.players, args.videos, args.votes)
        seeded = time.perf_counter() - started
        env = {
            "ANB_DATA_DIR": str(folder / "data"),
            "ANB_DATABASE__URL": url,
            "ANB_BENCH_ROUTES": "true",
            "ANB_JOBS__CONCURRENCY": "1",
            # One pooled connection per concurrent request of each server process (docs/voting.md).
            "ANB_DATABASE__POOL_SIZE": "32",
            # All load comes from one address and a few thousand users: limits are not under test.
            "ANB_RATE_LIMIT__VOTE_PER_USER": "1000000/second",
            "ANB_RATE_LIMIT__VOTE_PER_ADDRESS": "1000000/second",
        }
        with anb_serve_process(env, folder / "serve.log", workers=args.workers) as served:
            load_before = _load_average()
            lists = measure_lists(served.base_url, folder, args.runs, args.seconds)
            votes = measure_votes(served, url, folder / "data", folder, args.runs, args.seconds)
    return {
        "seed": {"seconds": seeded, "report": report},
        "lists": lists,
        "votes": votes,
        "load_average": [load_before, _load_average()],
    }


def _print(backend: str, result: dict[str, Any]) -> None:
    print(f"\n{backend}: {result['seed']['report']}; load average {result['load_average']}")
    print(f"{'endpoint':<20} {'rps':>8} {'p99 ms':>8} {'floor rps':>10} {'floor p99':>10} {'rps %':>6} {'p99 x':>6}")
    for label, row in result["lists"].items():
        ok = row["rps_ratio"] >= TARGET_RPS_RATIO and row["p99_ratio"] <= TARGET_P99_RATIO
        print(
            f"{label:<20} {row['endpoint']['rps']:8.0f} {row['endpoint']['p99_ms']:8.2f} {row['floor']['rps']:10.0f}"
            f" {row['floor']['p99_ms']:10.2f} {100 * row['rps_ratio']:6.0f} {row['p99_ratio']:6.2f}"
            f" {'ok' if ok else 'MISSED'}"
        )
    votes = result["votes"]
    target = "ok" if votes["accepted_per_second"] >= TARGET_VOTES else "below 1,000/s"
    cpu = votes["cpu_ms_per_vote"]
    print(
        f"{'votes':<20} {votes['accepted_per_second']:8.0f} accepted/s (p99 {votes['http']['p99_ms']:.1f} ms) {target};"
        f" CPU per vote: server {cpu['server']:.2f} ms, database {cpu['database']:.2f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="postgres,sqlite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="server processes of anb serve")
    parser.add_argument("--players", type=int, default=100_000)
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.rankings_bench", sys.argv[1:] if argv is None else argv)
    require_wrk()
    work = Path(tempfile.mkdtemp(prefix="anb-rankings-bench-"))
    results = {}
    for backend in args.backends.split(","):
        results[backend] = bench_backend(backend, work, args)
        _print(backend, results[backend])
    write_summary("rankings", stamp, results, args.summary_dir)


if __name__ == "__main__":
    main()
