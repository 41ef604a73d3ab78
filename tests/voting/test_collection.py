"""The Postman collection in collections/, run by newman against a real ``anb serve`` (with its workers)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bench.harness.clips import make_clip
from bench.harness.processes import anb_serve

ROOT = Path(__file__).resolve().parents[2]
NEWMAN = ROOT / "tools" / "node" / "node_modules" / ".bin" / "newman"

pytestmark = pytest.mark.slow


def _require_newman() -> None:
    if NEWMAN.exists():
        return
    message = "newman is not installed (scripts/bootstrap --dev runs npm ci --prefix tools/node)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def test_postman_journey_passes(tmp_path: Path) -> None:
    """Once, on the zero-configuration service (SQLite, local disk): the database behaviours are
    tested on both backends elsewhere, and a run waits for a real encode."""
    _require_newman()
    clip = make_clip(tmp_path / "clip.mp4")
    # Always-fresh rankings: the collection would otherwise poll up to its freshness delay.
    env = {"ANB_DATA_DIR": str(tmp_path / "data"), "ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS": "0"}
    with anb_serve(env, tmp_path / "serve.log") as base_url:
        run = subprocess.run(
            [
                str(NEWMAN),
                "run",
                str(ROOT / "collections" / "anb.postman_collection.json"),
                "--environment",
                str(ROOT / "collections" / "anb.postman_environment.json"),
                "--env-var",
                f"baseUrl={base_url}",
                "--env-var",
                f"videoFile={clip}",
                "--env-var",
                "freshnessSeconds=0",
                "--reporters",
                "cli",
                "--color",
                "off",
            ],
            capture_output=True,
            text=True,
            timeout=400,
        )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-2000:]
