"""Scenario 1 end to end, briefly: the kit starts ``anb serve``, Locust loads it, the report reads the run."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from bench.capacity.__main__ import main
from tests.capacity.markdown import table
from tests.support.services import require

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]


def _locust_rows(out: Path, slug: str) -> dict[str, tuple[int, int]]:
    with (out / f"{slug}_stats.csv").open(newline="") as handle:
        return {
            f"{row['Type']} {row['Name']}".strip(): (int(row["Request Count"]), int(row["Failure Count"]))
            for row in csv.DictReader(handle)
        }


def test_a_short_web_run_reports_what_locust_measured(tmp_path: Path) -> None:
    require("RabbitMQ", "127.0.0.1", 5672)
    report_path = main(
        ["web", "--serve", "--serve-processes", "1", "--published-videos", "20", "--users", "3",
         "--ramp-seconds", "2", "--hold-seconds", "12", "--smoke-users", "2", "--smoke-seconds", "4",
         "--sustained-seconds", "0", "--generator-processes", "2", "--upload-mb", "1", "--upload-seconds", "20",
         "--out", str(tmp_path), "--summary-dir", str(tmp_path / "results")]
    )  # fmt: skip
    out = report_path.parent
    report = report_path.read_text()
    assert (out / "web-latency-errors.png").stat().st_size > 0
    assert (out / "web-throughput.png").stat().st_size > 0
    assert "-m bench.capacity web --serve" in report
    (summary,) = (tmp_path / "results").glob("capacity-web-*.json")
    assert "-m bench.capacity web --serve" in json.loads(summary.read_text())["command"]
    assert len(json.loads(summary.read_text())["figures"]["stages"]) == 2  # smoke and one ramp stage

    stages = {f"{row[0]}-{row[1]}": row for row in table(report, "Stages")}
    assert set(stages) == {"smoke-2", "ramp-3"}
    for slug, row in stages.items():
        locust = _locust_rows(out, slug)
        assert (int(row[4]), int(row[5])) == locust["Aggregated"], slug
        assert int(row[4]) > 0, f"{slug}: no request was made"
        # The generator's CPU was sampled while it ran.
        generator_mean = float(row[13].split("/")[0])
        assert generator_mean > 0, slug

    endpoints = table(report, "Endpoints")
    for slug in stages:
        locust = _locust_rows(out, slug)
        reported = {row[1]: (int(row[2]), int(row[3])) for row in endpoints if row[0] == slug}
        assert reported == {name: counts for name, counts in locust.items() if name != "Aggregated"}, slug

    # Every accepted upload has its two parts, and only those.
    parts = table(report, "Uploads: body transfer and server accept")
    assert {(row[0], f"POST /api/videos/upload [{row[1]}]"): int(row[2]) for row in parts} == {
        (slug, name): requests - failures
        for slug in stages
        for name, (requests, failures) in _locust_rows(out, slug).items()
        if name.startswith("POST /api/videos/upload") and requests > failures
    }
    assert all(re.fullmatch(r"\d+", row[3]) and re.fullmatch(r"\d+", row[5]) for row in parts)
