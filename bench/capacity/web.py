"""Scenario 1: how many concurrent users the web layer holds (Locust in subprocesses).

Stages, in order: smoke (a few users, everything must answer), a ramp 0 → X then a hold for each X
given (stopping after the first X that fails the spec's criteria), and a sustained run at 80 % of
the best X that passed. Every stage gets fresh accounts (so a user never meets a video it already
voted for) and its own Locust CSV files; the generator's CPU and that of any watched process tree
are sampled during the stage.
"""

from __future__ import annotations

import math
import os
import signal
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.capacity import fixtures, locust_results
from bench.capacity.locust_results import LocustRun
from bench.capacity.sampler import CpuSampler, CpuSeries, Watch

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
LOCUST = str(Path(sys.executable).with_name("locust"))
SUSTAINED_FRACTION = 0.8
# Locust needs a little after the shape ends (stop users, last reports, CSV files).
_SHUTDOWN_GRACE_SECONDS = 120


@dataclass(frozen=True)
class Stage:
    kind: str  # "smoke", "ramp" or "sustained"
    users: int
    ramp_seconds: float
    hold_seconds: float

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.users}"


@dataclass(frozen=True)
class WebPlan:
    base_url: str
    ramp_users: list[int]
    ramp_seconds: float
    hold_seconds: float
    smoke_users: int
    smoke_seconds: float  # 0: no smoke stage
    sustained_seconds: float  # 0: no sustained stage
    generator_processes: int
    uploads: dict[str, Path]  # label → valid MP4
    watches: list[Watch]
    # False: a stage passes when every endpoint but the uploads does (their p95 depends on the body
    # size and the client's bandwidth as much as on the server); they are still reported.
    judge_uploads: bool = True


@dataclass
class StageResult:
    stage: Stage
    run: LocustRun
    cpu: dict[str, CpuSeries]  # "generator" and every watched tree
    machine_cpu: CpuSeries
    load_average: list[float]
    judge_uploads: bool

    @property
    def passes(self) -> bool:
        return self.run.passes if self.judge_uploads else self.run.passes_without_uploads

    @property
    def hold_rps(self) -> float:
        """Mean requests/s once every user of the stage runs: the throughput that load sustains."""
        held = [p.requests_per_second for p in self.run.history if p.users == self.stage.users]
        return statistics.fmean(held) if held else self.run.total.rps

    def summary(self) -> dict[str, object]:
        """What the AWS model needs from a stage (written as summary.json next to the report)."""
        return {
            "kind": self.stage.kind,
            "users": self.stage.users,
            "passes": self.passes,
            "hold_rps": self.hold_rps,
            "cpu_mean_percent": {label: series.mean for label, series in self.cpu.items()},
        }


def run_stage(plan: WebPlan, stage: Stage, out_dir: Path) -> StageResult:
    made = fixtures.create(plan.base_url, stage.users + plan.generator_processes, plan.uploads)
    fixture_path = out_dir / f"{stage.slug}-fixtures.json"
    made.write(fixture_path)
    prefix = out_dir / stage.slug
    command = [
        LOCUST, "-f", str(LOCUSTFILE), "--headless", "--host", plan.base_url,
        "--processes", str(plan.generator_processes), "--generator-processes", str(plan.generator_processes),
        "--csv", str(prefix), "--csv-full-history", "--exit-code-on-error", "0", "--only-summary",
        "--loglevel", "INFO",
        "--fixtures", str(fixture_path), "--target-users", str(stage.users),
        "--ramp-seconds", str(stage.ramp_seconds), "--hold-seconds", str(stage.hold_seconds),
    ]  # fmt: skip
    with (out_dir / f"{stage.slug}-locust.log").open("wb") as log:
        # Its own process group: the worker processes Locust forks go with it if it must be killed.
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        sampler = CpuSampler([Watch("generator", str(process.pid)), *plan.watches]).start()
        try:
            code = process.wait(timeout=stage.ramp_seconds + stage.hold_seconds + _SHUTDOWN_GRACE_SECONDS)
        finally:
            sampler.stop()
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    if code != 0:
        raise RuntimeError(f"locust exited with {code}; see {out_dir / f'{stage.slug}-locust.log'}")
    run = locust_results.read(prefix)
    return StageResult(stage, run, sampler.series, sampler.machine, sampler.load_average, plan.judge_uploads)


def run(plan: WebPlan, out_dir: Path) -> list[StageResult]:
    results = []
    if plan.smoke_seconds > 0:
        results.append(run_stage(plan, Stage("smoke", plan.smoke_users, 0, plan.smoke_seconds), out_dir))
    best = 0
    for users in sorted(plan.ramp_users):
        result = run_stage(plan, Stage("ramp", users, plan.ramp_seconds, plan.hold_seconds), out_dir)
        results.append(result)
        if not result.passes:
            break  # degraded: larger X would only degrade more
        best = users
    if plan.sustained_seconds > 0 and best:
        users = max(1, math.floor(SUSTAINED_FRACTION * best))
        results.append(run_stage(plan, Stage("sustained", users, plan.ramp_seconds, plan.sustained_seconds), out_dir))
    return results
