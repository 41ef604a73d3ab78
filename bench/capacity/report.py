"""The Markdown reports: every number comes from the run's own files (Locust CSV, job rows, samples)."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.capacity import plots
from bench.capacity.locust_results import ERROR_LIMIT, P95_LIMIT_MS
from bench.capacity.web import StageResult
from bench.capacity.workers import Run
from bench.stamp import Stamp


def _cpu(result: StageResult, label: str) -> str:
    series = result.cpu[label]
    return f"{series.mean:.0f} / {series.peak:.0f}"


def _verdict(passes: bool) -> str:
    return "pass" if passes else "**FAIL**"


def _heading(title: str, stamp: Stamp, deployment: str) -> list[str]:
    return [f"# Capacity — {title}", "", stamp.markdown() + f"- Deployment: {deployment}", ""]


def _write(lines: list[str], figures: dict[str, Path], path: Path) -> Path:
    """The report ends with its plots, PNG files beside it that it links by name."""
    lines += ["", "## Plots", ""]
    for caption, figure in figures.items():
        lines += [f"![{caption}]({figure.name})", ""]
    path.write_text("\n".join(lines))
    return path


def web(results: list[StageResult], stamp: Stamp, deployment: str, out_dir: Path) -> Path:
    watched = list(results[0].cpu) if results else []
    passing = [r for r in results if r.stage.kind == "ramp" and r.passes]
    best = max(passing, key=lambda r: r.stage.users, default=None)
    lines = [
        *_heading("scenario 1 (web layer)", stamp, deployment),
        f"Pass criteria per endpoint: p95 ≤ {P95_LIMIT_MS:.0f} ms and errors ≤ {100 * ERROR_LIMIT:.0f} %;"
        " no transport errors (resets, timeouts). Latencies in ms. CPU in % of one core, mean / peak of 1 s samples."
        + (
            ""
            if not results or results[0].judge_uploads
            else " **Stage verdicts leave the upload endpoints out** (`--judge-uploads no`); their own verdicts are in"
            " the endpoints table."
        ),
        "",
        "## Stages",
        "",
        "| stage | users | ramp s | hold s | requests | failures | errors % | RPS at full load | p50 | p95 | p99"
        " | transport errors | verdict | "
        + " | ".join(f"CPU {label}" for label in watched)
        + " | machine CPU % | load avg |",
        "|" + "---|" * (15 + len(watched)),
    ]
    for r in results:
        total, stage = r.run.total, r.stage
        lines.append(
            f"| {stage.kind} | {stage.users} | {stage.ramp_seconds:g} | {stage.hold_seconds:g} | {total.requests}"
            f" | {total.failures} | {100 * total.error_rate:.2f} | {r.hold_rps:.1f} | {total.p50_ms:.0f}"
            f" | {total.p95_ms:.0f} | {total.p99_ms:.0f} | {r.run.transport_errors} | {_verdict(r.passes)} | "
            + " | ".join(_cpu(r, label) for label in watched)
            + f" | {r.machine_cpu.mean:.0f} | {statistics.fmean(r.load_average) if r.load_average else 0:.2f} |"
        )
    lines += ["", "## Result", ""]
    if best is None:
        lines.append("No ramp stage passed.")
    else:
        lines.append(
            f"Best X that passed: **{best.stage.users} users**, at {best.hold_rps:.1f} requests/s once every user ran."
        )
    lines += [
        "",
        "## Endpoints",
        "",
        "| stage | endpoint | requests | failures | errors % | p50 | p95 | p99 | max | verdict |",
    ]
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for e in r.run.endpoints:
            lines.append(
                f"| {r.stage.slug} | {e.method} {e.name} | {e.requests} | {e.failures} | {100 * e.error_rate:.2f}"
                f" | {e.p50_ms:.0f} | {e.p95_ms:.0f} | {e.p99_ms:.0f} | {e.max_ms:.0f} | {_verdict(e.passes)} |"
            )
    lines += [
        "",
        "## Uploads: body transfer and server accept",
        "",
        "Transfer: request start → last byte handed to the socket; accept: last byte → the 201 (the server's"
        " checks of the file, its storage and the job hand-off).",
        "",
        "| stage | body | uploads | transfer p50 | transfer p95 | accept p50 | accept p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for u in r.run.upload_parts:
            lines.append(
                f"| {r.stage.slug} | {u.label} | {u.uploads} | {u.transfer_p50_ms:.0f} | {u.transfer_p95_ms:.0f}"
                f" | {u.accept_p50_ms:.0f} | {u.accept_p95_ms:.0f} |"
            )
    figures = {
        "latency and errors": plots.latency_and_errors(results, out_dir / "web-latency-errors.png"),
        "throughput": plots.throughput_over_time(results, out_dir / "web-throughput.png"),
    }
    return _write(lines, figures, out_dir / "web-report.md")


def workers(runs: list[Run], stamp: Stamp, deployment: str, out_dir: Path) -> Path:
    lines = [
        *_heading("scenario 2 (workers)", stamp, deployment),
        "X = videos published per minute from the first hand-off to the last publication; S = download +"
        " ffmpeg + upload (queue wait apart), means over the run's jobs; backlog trend = least-squares slope of"
        " pending jobs while jobs were still arriving (≈ 0: stable; > 0: the backlog grows).",
        "",
        "## Runs",
        "",
        "| run | input | concurrency | jobs | seconds | X videos/min | wait s | download s | ffmpeg s | upload s"
        " | S s | backlog trend jobs/min |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.mode} | {r.size_mb} MB | {r.concurrency} | {r.jobs} | {r.seconds:.1f} | {r.videos_per_minute:.2f}"
            f" | {r.mean_wait_s:.1f} | {r.mean_download_s:.2f} | {r.mean_ffmpeg_s:.1f} | {r.mean_upload_s:.2f}"
            f" | {r.mean_service_s:.1f} | {r.backlog_slope_per_min:+.2f} |"
        )
    figures = {
        "X and S": plots.workers_by_concurrency(runs, out_dir / "workers-by-concurrency.png"),
        "backlog": plots.backlog_over_time(runs, out_dir / "workers-backlog.png"),
    }
    return _write(lines, figures, out_dir / "workers-report.md")
