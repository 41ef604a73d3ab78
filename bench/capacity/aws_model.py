"""The AWS capacity model: ECS tasks and monthly cost for a target load, from the measured runs.

Workers: a worker task of the measured size (2 vCPU here, the Terraform default) publishes X videos
per minute at its best concurrency (scenario 2's saturation runs); the target arrival rate needs
ceil(rate / (utilisation × X)) tasks.

API: scenario 1's best passing stage gives requests/s per user once every user runs, and the API's
CPU per request: the API process trees' mean CPU over the stage divided by the stage's mean
requests/s over the same window (Locust's request count over its history's span, ramp included,
as the CPU samples are); the target users need that many vCPU, spread over API tasks of the
Terraform core size at the utilisation target, at least two (one per availability zone).

Prices are on-demand list prices for us-east-1 as assumed by whoever runs the model (the defaults
are this kit's assumption, not fetched): override them with the options.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from bench.capacity import locust_results

HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class Prices:
    fargate_vcpu_hour: float = 0.04048
    fargate_gb_hour: float = 0.004445
    rds_hour: float = 0.130  # db.t4g.medium PostgreSQL, Multi-AZ (the Terraform defaults)
    rds_storage_gb_month: float = 0.23  # gp3, Multi-AZ
    rds_storage_gb: int = 50
    redis_hour: float = 0.032  # cache.t4g.small
    alb_hour: float = 0.0225  # plus LCUs, left out

    def task_month(self, vcpu: float, memory_gb: float) -> float:
        return HOURS_PER_MONTH * (vcpu * self.fargate_vcpu_hour + memory_gb * self.fargate_gb_hour)


@dataclass(frozen=True)
class Target:
    uploads_per_hour: float = 1000
    users: int = 500
    utilisation: float = 0.7  # headroom for bursts and for autoscaling to react
    worker_vcpu: float = 2
    worker_memory_gb: float = 4
    api_vcpu: float = 1
    api_memory_gb: float = 2
    min_api_tasks: int = 2


def _best_worker_rate(runs: list[dict[str, object]]) -> dict[str, object]:
    saturation = [run for run in runs if run["mode"] == "saturation"]
    largest = max(int(str(run["size_mb"])) for run in saturation)
    # The larger input is the conservative case (the spec's realistic uploads are 50–100 MB).
    return max(
        (run for run in saturation if run["size_mb"] == largest), key=lambda run: float(str(run["videos_per_minute"]))
    )


def _best_web_stage(stages: list[dict[str, object]]) -> dict[str, object]:
    passing = [stage for stage in stages if stage["kind"] != "smoke" and stage["passes"]]
    if not passing:
        raise ValueError("no ramp or sustained stage passed: the API model needs one")
    return max(passing, key=lambda stage: int(str(stage["users"])))


def model(
    web_summary: Path, worker_runs: Path, api_labels: list[str], db_labels: list[str], target: Target, prices: Prices
) -> str:
    worker = _best_worker_rate(json.loads(worker_runs.read_text()))
    per_task = float(str(worker["videos_per_minute"]))
    arrivals = target.uploads_per_hour / 60
    worker_tasks = math.ceil(arrivals / (target.utilisation * per_task))

    stage = _best_web_stage(json.loads(web_summary.read_text()))
    rps = float(str(stage["hold_rps"]))
    cpu = stage["cpu_mean_percent"]
    assert isinstance(cpu, dict)
    api_cores = sum(float(cpu[label]) for label in api_labels) / 100
    db_cores = sum(float(cpu[label]) for label in db_labels) / 100
    run = locust_results.read(web_summary.parent / f"{stage['kind']}-{stage['users']}")
    stage_rps = run.total.requests / (run.history[-1].seconds - run.history[0].seconds)
    cpu_per_request = api_cores / stage_rps
    target_rps = target.users * rps / int(str(stage["users"]))
    needed_vcpu = target_rps * cpu_per_request
    # The database is one instance, not scaled by tasks: its CPU at the target says whether its class fits.
    db_vcpu = target_rps * db_cores / stage_rps
    api_tasks = max(target.min_api_tasks, math.ceil(needed_vcpu / (target.utilisation * target.api_vcpu)))

    worker_cost = worker_tasks * prices.task_month(target.worker_vcpu, target.worker_memory_gb)
    api_cost = api_tasks * prices.task_month(target.api_vcpu, target.api_memory_gb)
    fixed = HOURS_PER_MONTH * (prices.rds_hour + prices.redis_hour + prices.alb_hour)
    fixed += prices.rds_storage_gb * prices.rds_storage_gb_month
    at = f"at {target.utilisation:.0%}"
    worker_size = f"{target.worker_vcpu:g} vCPU, {target.worker_memory_gb:g} GB"
    api_size = f"{target.api_vcpu:g} vCPU, {target.api_memory_gb:g} GB"
    measured_cell = f"{worker['size_mb']} MB, concurrency {worker['concurrency']}"
    service = float(str(worker["mean_service_s"]))
    rows = [
        ("worker X per task (best saturation run, largest input)",
         f"{per_task:.2f} videos/min ({measured_cell}, S {service:.1f} s)"),
        ("target arrivals", f"{target.uploads_per_hour:g}/hour = {arrivals:.2f} videos/min"),
        (f"worker tasks ({worker_size}) {at}", str(worker_tasks)),
        ("API stage used", f"{stage['kind']} {stage['users']} users, {rps:.1f} requests/s"),
        ("API CPU per request",
         f"{1000 * cpu_per_request:.1f} ms ({api_cores:.3f} cores of {'+'.join(api_labels)} / {stage_rps:.2f} req/s)"),
        ("target load", f"{target.users} users → {target_rps:.0f} requests/s → {needed_vcpu:.2f} vCPU"),
        (f"API tasks ({api_size}) {at}, min {target.min_api_tasks}", str(api_tasks)),
        *([(f"database CPU at the target ({'+'.join(db_labels)})", f"{db_vcpu:.2f} vCPU")] if db_labels else []),
        ("workers per month", f"${worker_cost:,.0f}"),
        ("API per month", f"${api_cost:,.0f}"),
        ("RDS + Redis + ALB per month (fixed)", f"${fixed:,.0f}"),
        ("total per month (24/7 at the target load)", f"${worker_cost + api_cost + fixed:,.0f}"),
    ]  # fmt: skip
    assumed = ", ".join(f"{name} {value}" for name, value in vars(prices).items())
    lines = ["| quantity | value |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    return "\n".join(
        [*lines, "", f"Assumed on-demand list prices (us-east-1, USD): {assumed}; {HOURS_PER_MONTH} h/month."]
    )
