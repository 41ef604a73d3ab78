"""Scenario 2 end to end, briefly: tiny inputs, one real ``anb worker``, the report reads the job rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.capacity.__main__ import main
from bench.capacity.workers import slope_per_minute
from tests.capacity.markdown import table
from tests.support.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.slow]


def test_backlog_trend_is_the_least_squares_slope_per_minute() -> None:
    assert slope_per_minute([(0, 0), (30, 1), (60, 2)]) == pytest.approx(2.0)
    assert slope_per_minute([(0, 3), (60, 3)]) == 0.0
    assert slope_per_minute([(0, 5)]) == 0.0


def test_a_short_worker_run_reports_every_job_it_enqueued(tmp_path: Path) -> None:
    require("PostgreSQL", "127.0.0.1", 5432)
    require("RabbitMQ", "127.0.0.1", 5672)
    report_path = main(
        ["workers", "--sizes", "1", "--input-seconds", "4", "--input-size", "640x360", "--concurrency", "1",
         "--step-jobs", "1", "--steps", "2", "--step-seconds", "1", "--sustained-jobs", "1", "--preset", "ultrafast",
         "--out", str(tmp_path), "--summary-dir", str(tmp_path / "results")]
    )  # fmt: skip
    out = report_path.parent
    assert (out / "workers-by-concurrency.png").stat().st_size > 0
    assert (out / "workers-backlog.png").stat().st_size > 0
    rows = table(report_path.read_text(), "Runs")
    (summary,) = (tmp_path / "results").glob("capacity-workers-*.json")
    figures = json.loads(summary.read_text())["figures"]
    assert [(run["mode"], run["jobs"]) for run in figures["runs"]] == [("saturation", 2), ("sustained", 1)]
    assert [(row[0], row[1], row[2], row[3]) for row in rows] == [
        ("saturation", "1 MB", "1", "2"),  # 1 job per step × 2 steps, all published
        ("sustained", "1 MB", "1", "1"),
    ]
    for row in rows:
        jobs, seconds, per_minute = int(row[3]), float(row[4]), float(row[5])
        # The table rounds seconds to 0.1 and X to 0.01: X must lie within what those roundings allow.
        assert 60 * jobs / (seconds + 0.05) - 0.005 <= per_minute <= 60 * jobs / (seconds - 0.05) + 0.005
        download, ffmpeg, upload, service = (float(cell) for cell in row[7:11])
        assert ffmpeg > 0
        assert service == pytest.approx(download + ffmpeg + upload, abs=0.2)
