"""The AWS model's arithmetic on results written the way the kit writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.capacity.__main__ import main
from tests.capacity.markdown import table

_STATS_HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,"
    "Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
)
_HISTORY_HEADER = "Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,95%"


def _web_run(directory: Path) -> Path:
    """A passing 10-user ramp: 300 requests over 60 s, API at half a core, 5 req/s once all users ran."""
    (directory / "ramp-10_stats.csv").write_text(f"{_STATS_HEADER}\n,Aggregated,300,0,10,10,1,90,100,5,0{',10' * 11}\n")
    (directory / "ramp-10_failures.csv").write_text("Method,Name,Error,Occurrences\n")
    (directory / "ramp-10_stats_history.csv").write_text(
        f"{_HISTORY_HEADER}\n1000,0,,Aggregated,0,0,N/A,N/A\n1060,10,,Aggregated,5,0,10,20\n"
    )
    stage = {"kind": "ramp", "users": 10, "passes": True, "hold_rps": 5.0, "cpu_mean_percent": {"api": 50.0}}
    failed = {"kind": "ramp", "users": 20, "passes": False, "hold_rps": 6.0, "cpu_mean_percent": {"api": 90.0}}
    summary = directory / "summary.json"
    summary.write_text(json.dumps([stage, failed]))
    return summary


def test_tasks_follow_from_measured_rates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = tmp_path / "runs.json"
    runs.write_text(json.dumps([
        {"mode": "saturation", "size_mb": 50, "concurrency": 1, "videos_per_minute": 9.0, "mean_service_s": 7.0},
        {"mode": "saturation", "size_mb": 100, "concurrency": 1, "videos_per_minute": 2.0, "mean_service_s": 28.0},
        {"mode": "saturation", "size_mb": 100, "concurrency": 2, "videos_per_minute": 1.5, "mean_service_s": 70.0},
        {"mode": "sustained", "size_mb": 100, "concurrency": 1, "videos_per_minute": 5.0, "mean_service_s": 20.0},
    ]))  # fmt: skip
    main(["aws", "--web", str(_web_run(tmp_path)), "--workers", str(runs), "--summary-dir", str(tmp_path / "results")])
    rows = {row[0]: row[1] for row in table("## M\n" + capsys.readouterr().out, "M")}
    # 1,000/hour = 16.7/min over 2.0/min per task (the best saturation run of the largest input) at 70 %.
    assert rows["worker tasks (2 vCPU, 4 GB) at 70%"] == "12"
    # 0.5 core / (300 requests / 60 s) = 100 ms per request; 500 users × 0.5 req/s = 250 req/s = 25 vCPU.
    assert rows["API CPU per request"].startswith("100.0 ms")
    assert rows["API tasks (1 vCPU, 2 GB) at 70%, min 2"] == "36"
