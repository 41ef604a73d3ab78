"""``python -m bench`` lists every benchmark, and a benchmark run writes its summary for docs/results/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.__main__ import BENCH, ENTRY_POINTS
from bench.results import write_summary
from bench.stamp import Stamp


def test_every_benchmark_is_listed_with_how_to_run_it() -> None:
    scripts = {f"bench.{path.stem}" for path in BENCH.glob("*_bench.py")}
    assert scripts <= set(ENTRY_POINTS)
    listing = subprocess.run(
        [sys.executable, "-m", "bench"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    for module in ENTRY_POINTS:
        assert f"{module} — " in listing
        assert f".venv/bin/python -m {module}" in listing, f"{module}: its docstring shows no command"


def test_a_summary_holds_the_command_commit_machine_and_figures(tmp_path: Path) -> None:
    stamp = Stamp.now("bench.upload_bench", ["--runs", "1"])
    path = write_summary("upload", stamp, {"10MB": {"ratio": 0.5}}, tmp_path)
    summary = json.loads(path.read_text())
    assert path.name.startswith("upload-") and path.suffix == ".json"
    assert summary["command"].endswith("-m bench.upload_bench --runs 1")
    assert len(summary["commit"]) >= 7 and summary["commit"] != "unavailable"
    assert summary["machine"]["cores"] >= 1 and summary["machine"]["memory_gib"] > 0
    assert len(summary["machine"]["load_average_at_start"]) == 3
    assert summary["figures"] == {"10MB": {"ratio": 0.5}}


def test_the_start_of_every_anb_command_is_measured(tmp_path: Path) -> None:
    from bench import cli_start

    cli_start.main(["--runs", "1", "--summary-dir", str(tmp_path)])
    (summary,) = tmp_path.glob("cli-start-*.json")
    figures = json.loads(summary.read_text())["figures"]["median_seconds"]
    assert set(figures) == {" ".join(["anb", *command, "--help"]) for command in cli_start.COMMANDS}
    assert all(0 < column["this checkout"] < 60 for column in figures.values())
