"""The image and the Terraform deployment, measured on this machine.

    .venv/bin/python -m bench.deployment_bench [--from-scratch] [--starts 3]

- Image: build time (with ``--from-scratch`` the local Debian base and the image are removed
  first, as on a fresh CI machine; then a rebuild without changes, the layer cache's case), size
  and the size of its largest layers.
- Terraform: the root module planned, applied to the AWS emulator and destroyed
  (tests/deploy/aws_emulator.py): seconds of each step, resources created, resources only planned.
- Start time per role: the container of each task definition (tests/deploy/image_topology.py) from
  ``docker run`` to ready (auth, core: /api/health answers; worker: its metrics server answers;
  migrate: exited 0 on an empty database), the median of ``--starts`` topologies.
- The database connection budget at maximum scale, as Terraform computed it.

Writes its summary to docs/results/deployment-<UTC time>.json (``--summary-dir`` elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from tests.deploy.aws_emulator import NOT_EMULATED, emulated_deployment
from tests.deploy.containers import BUILD, build_image, docker, require_engine
from tests.deploy.image_topology import image_topology
from tests.support.services import postgres_database

IMAGE = "anb-rising-stars:bench"
LOCAL_BASE = os.environ.get("ANB_LOCAL_BASE_IMAGE", "anb-local/debian:bookworm-minbase")


def versions() -> dict[str, str]:
    terraform = subprocess.run(["terraform", "version"], capture_output=True, text=True, check=False).stdout
    return {
        "docker_server": docker("version", "--format", "{{.Server.Version}}"),
        "terraform": terraform.split("\n")[0],
    }


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
        for size, _, step in (line.partition("\t") for line in layers)
        if size.endswith("MB") or size.endswith("GB")
    ]
    figures["base_size_mb"] = round(int(docker("image", "inspect", "--format", "{{.Size}}", LOCAL_BASE)) / 1e6)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-scratch", action="store_true", help="remove the local base and the image first")
    parser.add_argument("--starts", type=int, default=3, help="topologies started for the start-time medians")
    add_summary_option(parser)
    args = parser.parse_args()
    stamp = Stamp.now("bench.deployment_bench", sys.argv[1:])
    require_engine()
    figures: dict[str, Any] = {"versions": versions(), "image": measure_image(args.from_scratch)}
    print(json.dumps(figures["image"], indent=2), flush=True)
    starts: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch, emulated_deployment(Path(scratch) / "aws") as deployment:
        for run in range(args.starts):
            with postgres_database() as url, image_topology(deployment, IMAGE, Path(scratch) / f"run-{run}", url) as up:
                for role, seconds in up.start_seconds.items():
                    starts.setdefault(role, []).append(round(seconds, 1))
        figures["terraform"] = {
            "resources_applied": sum(1 for r in deployment.resources if r["mode"] == "managed"),
            "planned_not_applied": {module: sorted(resources) for module, resources in NOT_EMULATED.items()},
            "connection_budget": deployment.outputs["database_connections"],
        }
    figures["terraform"]["seconds"] = {step: round(value, 1) for step, value in deployment.seconds.items()}
    figures["start_seconds"] = {role: {"median": statistics.median(v), "runs": v} for role, v in starts.items()}
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    write_summary("deployment", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
