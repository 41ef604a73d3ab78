"""The image and the Terraform deployment, measured on this machine.

    .venv/bin/python -m bench.deployment_bench [--from-scratch] [--starts 3] [--out docs/deployment-figures.json]

- Image: build time (with ``--from-scratch`` the local Debian base and the image are removed
  first, as on a fresh CI machine; then a rebuild without changes, the layer cache's case), size
  and the size of its largest layers.
- Terraform: the root module planned, applied to the AWS emulator and destroyed
  (tests/deploy/aws_emulator.py): seconds of each step, resources created, resources only planned.
- Start time per role: the container of each task definition (tests/deploy/image_topology.py) from
  ``docker run`` to ready (auth, core: /api/health answers; worker: its metrics server answers;
  migrate: exited 0 on an empty database), the median of ``--starts`` topologies.
- The database connection budget at maximum scale, as Terraform computed it.

Writes a summary (command, commit, machine, figures) to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.deploy.aws_emulator import NOT_EMULATED, emulated_deployment
from tests.deploy.containers import BUILD, build_image, docker, require_engine
from tests.deploy.image_topology import image_topology
from tests.support.deploy_tools import REPO
from tests.support.services import postgres_database

IMAGE = "anb-rising-stars:bench"
LOCAL_BASE = os.environ.get("ANB_LOCAL_BASE_IMAGE", "anb-local/debian:bookworm-minbase")


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kib = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(memory_kib / 2**20, 1),
        "kernel": platform.release(),
        "docker_server": docker("version", "--format", "{{.Server.Version}}"),
        "terraform": subprocess.run(["terraform", "version"], capture_output=True, text=True, check=False).stdout.split(
            "\n"
        )[0],
    }


def commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    return head + (" (with uncommitted changes)" if dirty.strip() else "")


def timed(action: Any) -> tuple[float, Any]:
    started = time.monotonic()
    result = action()
    return round(time.monotonic() - started, 1), result


def measure_image(from_scratch: bool) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    if from_scratch:
        docker("rmi", "--force", IMAGE, LOCAL_BASE, check=False)
        docker("image", "prune", "--force")
        figures["base_seconds"], _ = timed(
            lambda: subprocess.run([str(BUILD.with_name("debian-base"))], check=True, capture_output=True)
        )
    figures["build_seconds" if not from_scratch else "build_from_base_seconds"], _ = timed(lambda: build_image(IMAGE))
    figures["rebuild_unchanged_seconds"], _ = timed(lambda: build_image(IMAGE))
    figures["size_mb"] = round(int(docker("image", "inspect", "--format", "{{.Size}}", IMAGE)) / 1e6)
    layers = docker("history", "--no-trunc", "--format", "{{.Size}}\t{{.CreatedBy}}", IMAGE).splitlines()
    figures["largest_layers"] = [
        {"size": size, "step": step.replace("/bin/sh -c ", "")[:90]}
        for size, step in (line.split("\t", 1) for line in layers)
        if size.endswith("MB") or size.endswith("GB")
    ]
    figures["base_size_mb"] = round(int(docker("image", "inspect", "--format", "{{.Size}}", LOCAL_BASE)) / 1e6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-scratch", action="store_true", help="remove the local base and the image first")
    parser.add_argument("--starts", type=int, default=3, help="topologies started for the start-time medians")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "deployment-figures.json")
    args = parser.parse_args()
    require_engine()
    summary: dict[str, Any] = {
        "command": "python -m bench.deployment_bench " + " ".join(sys.argv[1:]),
        "commit": commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
    }
    summary["image"] = measure_image(args.from_scratch)
    print(json.dumps(summary["image"], indent=2), flush=True)
    starts: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch, emulated_deployment(Path(scratch) / "aws") as deployment:
        for run in range(args.starts):
            run_dir = Path(scratch) / f"run-{run}"
            with postgres_database() as url, image_topology(deployment, IMAGE, run_dir, url) as topology:
                for role, seconds in topology.start_seconds.items():
                    starts.setdefault(role, []).append(seconds)
        summary["terraform"] = {
            "resources_applied": sum(1 for r in deployment.resources if r["mode"] == "managed"),
            "resources_planned_not_applied": {module: sorted(resources) for module, resources in NOT_EMULATED.items()},
            "connection_budget": deployment.outputs["database_connections"],
        }
    summary["terraform"]["seconds"] = {step: round(value, 1) for step, value in deployment.seconds.items()}
    summary["start_seconds_median"] = {role: round(statistics.median(values), 1) for role, values in starts.items()}
    summary["start_seconds_all"] = {role: [round(v, 1) for v in values] for role, values in starts.items()}
    args.out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
