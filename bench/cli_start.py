"""How long each ``anb`` command takes to start: the cost paid before it does anything.

    .venv/bin/python -m bench.cli_start [--runs 15] [--source DIR] [--summary-dir DIR]

Each command runs ``--help`` in a fresh interpreter (click answers it once the command's module is
imported: the import cost and nothing else). ``--source`` measures another checkout of the
project (its ``anb`` package directory's parent), e.g. an older commit made with ``git worktree``,
in the same run, so both columns share the machine's load. Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp

REPO = Path(__file__).resolve().parent.parent
COMMANDS = [[], ["process"], ["serve"], ["worker"], ["jobs"]]


def start_seconds(args: list[str], source: str | None) -> float:
    checkout = Path(source).resolve() if source else REPO
    # "python -c" puts its working directory first on the path: the checkout's own anb is imported.
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from anb.cli import main; main()", *args, "--help"],
        cwd=checkout,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--source", default=None, help="another checkout to measure beside this one")
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.cli_start", sys.argv[1:] if argv is None else argv)
    figures: dict[str, dict[str, float]] = {}
    sources = [("this checkout", None)] + ([("--source", args.source)] if args.source else [])
    print(f"{'command':<16}" + "".join(f"{name:>16}" for name, _ in sources) + "   (median seconds)")
    for command in COMMANDS:
        times: list[list[float]] = [[] for _ in sources]
        for run in range(args.runs + 1):
            # Interleaved, so a change in the machine's load touches every column alike; the first
            # round only fills the page cache.
            for column, (_, source) in enumerate(sources):
                seconds = start_seconds(command, source)
                if run:
                    times[column].append(seconds)
        medians = [statistics.median(column) for column in times]
        label = " ".join(["anb", *command, "--help"])
        print(f"{label:<16}" + "".join(f"{m:>16.3f}" for m in medians))
        figures[label] = {name: round(m, 3) for (name, _), m in zip(sources, medians, strict=True)}
    write_summary(
        "cli-start", stamp, {"median_seconds": figures, "runs": args.runs, "source": args.source}, args.summary_dir
    )


if __name__ == "__main__":
    main()
