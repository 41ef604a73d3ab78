"""The small summary each benchmark run writes, to be committed beside the doc that quotes it.

``docs/results/<name>-<started>.json`` holds the command line, the commit, the machine (CPU model,
cores, memory, load average at start) and the run's figures: the numbers a doc quotes come from
one of these files (docs/results/README.md says which).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from bench.stamp import REPO, Stamp

RESULTS = REPO / "docs" / "results"


def add_summary_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--summary-dir", type=Path, default=RESULTS, help="where the run's summary JSON goes (default docs/results/)"
    )


def write_summary(name: str, stamp: Stamp, figures: Any, folder: Path = RESULTS) -> Path:
    """Writes the summary of benchmark ``name`` (figures: anything JSON-serialisable or dataclasses)."""
    started = dt.datetime.strptime(stamp.started_utc, "%Y-%m-%d %H:%M:%S UTC")
    path = folder / f"{name}-{started:%Y%m%d-%H%M%S}.json"
    summary = {
        "benchmark": name,
        "command": stamp.command,
        "commit": stamp.versions["commit"],
        "started_utc": stamp.started_utc,
        "machine": {
            "cpu_model": stamp.cpu_model,
            "cores": stamp.cores,
            "memory_gib": stamp.memory_gib,
            "system": stamp.system,
            "load_average_at_start": stamp.load_average_at_start,
        },
        "versions": stamp.versions,
        "figures": figures,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=dataclasses.asdict) + "\n")
    print(f"summary: {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return path
