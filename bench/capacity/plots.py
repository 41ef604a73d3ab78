"""The report's PNG plots (matplotlib's Figure API: no pyplot state, no display backend)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from bench.capacity.locust_results import ERROR_LIMIT, P95_LIMIT_MS
from bench.capacity.web import StageResult
from bench.capacity.workers import Run


def latency_and_errors(results: list[StageResult], path: Path) -> Path:
    """Aggregated p50/p95/p99 and error rate against the users of each stage."""
    ordered = sorted(results, key=lambda r: r.stage.users)
    users = [r.stage.users for r in ordered]
    figure = Figure(figsize=(8, 7))
    latency, errors = figure.subplots(2, 1, sharex=True)
    for label, values in (
        ("p50", [r.run.total.p50_ms for r in ordered]),
        ("p95", [r.run.total.p95_ms for r in ordered]),
        ("p99", [r.run.total.p99_ms for r in ordered]),
    ):
        latency.plot(users, values, marker="o", label=label)
    latency.axhline(P95_LIMIT_MS, color="red", linestyle="--", label="p95 limit")
    latency.set_ylabel("latency (ms)")
    latency.set_title("Scenario 1: latency percentiles and error rate by users (all endpoints)")
    latency.legend()
    errors.plot(users, [100 * r.run.total.error_rate for r in ordered], marker="o", color="black")
    errors.axhline(100 * ERROR_LIMIT, color="red", linestyle="--", label="error limit")
    errors.set_ylabel("errors (%)")
    errors.set_xlabel("concurrent users")
    errors.legend()
    return _save(figure, path)


def throughput_over_time(results: list[StageResult], path: Path) -> Path:
    figure = Figure(figsize=(9, 4.5))
    axes = figure.subplots()
    for result in results:
        history = result.run.history
        axes.plot([p.seconds for p in history], [p.requests_per_second for p in history], label=result.stage.slug)
    axes.set_xlabel("seconds since the stage started")
    axes.set_ylabel("requests/s")
    axes.set_title("Scenario 1: throughput over time, by stage")
    axes.legend()
    return _save(figure, path)


def workers_by_concurrency(runs: list[Run], path: Path) -> Path:
    """X and the parts of S against worker concurrency, one line/bar group per input size."""
    saturation = [run for run in runs if run.mode == "saturation"]
    sizes = sorted({run.size_mb for run in saturation})
    figure = Figure(figsize=(12, 4.5))
    throughput, service = figure.subplots(1, 2)
    for size in sizes:
        cells = sorted((run for run in saturation if run.size_mb == size), key=lambda run: run.concurrency)
        throughput.plot(
            [c.concurrency for c in cells], [c.videos_per_minute for c in cells], marker="o", label=f"{size} MB"
        )
    throughput.set_xlabel("worker concurrency")
    throughput.set_ylabel("videos/min (saturation)")
    throughput.set_title("X by concurrency")
    throughput.legend()
    labels = [f"{run.size_mb} MB\nc={run.concurrency}" for run in saturation]
    bottom = [0.0] * len(saturation)
    for part in ("mean_download_s", "mean_ffmpeg_s", "mean_upload_s"):
        values = [getattr(run, part) for run in saturation]
        service.bar(labels, values, bottom=bottom, label=part.removeprefix("mean_").removesuffix("_s"))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    service.set_ylabel("mean service time S (s)")
    service.set_title("S by input size and concurrency (saturation)")
    service.legend()
    return _save(figure, path)


def backlog_over_time(runs: list[Run], path: Path) -> Path:
    figure = Figure(figsize=(9, 4.5))
    axes = figure.subplots()
    for run in runs:
        axes.plot(
            [t for t, _ in run.backlog],
            [n for _, n in run.backlog],
            label=f"{run.mode} {run.size_mb} MB c={run.concurrency}",
        )
    axes.set_xlabel("seconds since the first hand-off")
    axes.set_ylabel("pending jobs")
    axes.set_title("Scenario 2: backlog over time")
    axes.legend(fontsize="small")
    return _save(figure, path)


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path)
    return path
