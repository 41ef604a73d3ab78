"""Server CPU per accepted upload: the statement's endpoint and a direct upload (docs/videos.md).

    .venv/bin/python -m bench.upload_cpu [--runs 20] [--size-mb 4]

The application runs in this process (SQLite, jobs to a queue nobody consumes: no encoding) behind
httpx's in-process transport; the CPU is this process's (``time.process_time``) around each request
the server answers, so the figure includes the few hundred microseconds of the in-process client
itself — an upper bound of the server's share. The S3-compatible test server (moto) runs as its own
process: its work is S3's, not the API's.

- ``/upload`` on local disk: ``POST /api/videos/upload`` with a real 1080p H.264 file of the kit
  (bench/media_inputs.py): multipart parsing, the header check, the rename into storage, the row.
- direct upload on S3: ``POST /api/videos/uploads`` (signing the part URLs) plus
  ``POST …/complete`` (listing and joining the parts, the header read by ranged GETs, the row); the
  parts themselves go from the client to the bucket, outside the measure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable
from pathlib import Path

import httpx

from anb.app import create_app
from anb.config import DatabaseSettings, JobSettings, Settings
from anb.db.migrate import upgrade
from bench.media_inputs import encoded_input
from tests.conftest import bearer, s3_settings, signup_and_login
from tests.s3_server import run_s3_server

UNCONSUMED = {"backend": "celery", "broker_url": "amqp://guest:guest@127.0.0.1:5672//"}


async def _cpu_of(request: Awaitable[httpx.Response], expected: int) -> float:
    started = time.process_time()
    answer = await request
    spent = time.process_time() - started
    assert answer.status_code == expected, answer.text
    return spent


def _settings(work: Path, s3_endpoint: str | None) -> Settings:
    url = f"sqlite:///{work / 'anb.sqlite3'}"
    upgrade(url)
    queue = {**UNCONSUMED, "queue_name": f"anb-bench-{uuid.uuid4().hex[:8]}"}
    if s3_endpoint is None:
        base = Settings(data_dir=work / "data", database=DatabaseSettings(url=url))
    else:
        base = s3_settings(url, work / "data", s3_endpoint)
    return base.model_copy(update={"jobs": JobSettings.model_validate(queue)})


async def measure(runs: int, data: bytes, s3_endpoint: str) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {"/upload (local disk)": [], "direct upload (S3): open + complete": []}
    for label, endpoint in [("/upload (local disk)", None), ("direct upload (S3): open + complete", s3_endpoint)]:
        app = create_app(_settings(Path(tempfile.mkdtemp(prefix="anb-upload-cpu-")), endpoint))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client, httpx.AsyncClient() as s3:
            player = bearer((await signup_and_login(client))["access_token"])
            for run in range(runs + 1):  # the first run warms caches and connection pools up: not counted
                if endpoint is None:
                    files = {"video_file": ("clip.mp4", data, "video/mp4")}
                    upload = client.post("/api/videos/upload", headers=player, data={"title": "t"}, files=files)
                    spent = await _cpu_of(upload, 201)
                else:
                    spent, opened = await _open(client, player, len(data))
                    for part in opened["parts"]:
                        offset = (part["number"] - 1) * opened["part_size"]
                        put = await s3.put(part["url"], content=data[offset : offset + part["size"]])
                        put.raise_for_status()
                    complete = f"/api/videos/uploads/{opened['upload_id']}/complete"
                    spent += await _cpu_of(client.post(complete, headers=player), 201)
                if run:
                    figures[label].append(spent)
        await app.state.anb.close()
    return figures


async def _open(client: httpx.AsyncClient, player: dict[str, str], size: int) -> tuple[float, dict]:
    body = {"title": "t", "size": size, "content_type": "video/mp4"}
    started = time.process_time()
    answer = await client.post("/api/videos/uploads", headers=player, json=body)
    spent = time.process_time() - started
    assert answer.status_code == 201, answer.text
    return spent, answer.json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size-mb", type=int, default=4)
    args = parser.parse_args()
    data = encoded_input(args.size_mb).read_bytes()
    os.environ.setdefault("ANB_LOG_LEVEL", "WARNING")
    with run_s3_server() as endpoint:
        figures = asyncio.run(measure(args.runs, data, endpoint))
    for label, values in figures.items():
        print(
            f"{label}, {args.size_mb} MB: server CPU median {statistics.median(values) * 1000:.1f} ms, "
            f"p90 {sorted(values)[int(len(values) * 0.9) - 1] * 1000:.1f} ms ({len(values)} uploads)"
        )


if __name__ == "__main__":
    main()
