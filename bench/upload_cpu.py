"""Server CPU per accepted upload: the statement's endpoint and a direct upload (docs/capacity.md).

    .venv/bin/python -m bench.upload_cpu [--runs 20] [--size-mb 4]

A real ``anb serve`` with one server process (SQLite, jobs to a RabbitMQ queue nobody consumes: no
encoding) answers the uploads one at a time; its CPU (user + system of its process tree, psutil) is
read before and after the ``--runs`` uploads and divided by their number (the kernel counts CPU in
10 ms ticks, too coarse for one request), so the figure is the server's alone, idle moments between
requests included. Inputs are the capacity
kit's real 1080p H.264 files (bench/media_inputs.py). The S3-compatible test server (moto) runs as
its own process: its work is S3's, not the API's.

- ``/upload``, local disk: ``POST /api/videos/upload``: multipart parsing, the header check, the
  rename into storage, the row, the job hand-off.
- direct upload, S3: ``POST /api/videos/uploads`` (start the multipart upload, sign the part URLs)
  plus ``POST …/complete`` with the parts' ETags (join the parts, read the header by ranged GETs,
  the row, the hand-off); the parts go from the client to the bucket, outside the measure.
- ``GET /api/auth/me`` on the same server: one authenticated request that reads one row, the floor
  under each of the direct upload's two requests (the figure is per request, not per upload).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil

from anb.db.migrate import upgrade
from bench.capacity.target import BROKER_URL
from bench.harness.processes import anb_serve_process
from bench.harness.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server, s3_settings
from bench.harness.signup import signup_body
from bench.media_inputs import encoded_input
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from deploy.local.backing import delete_queues


def _tree_cpu(pid: int) -> float:
    process = psutil.Process(pid)
    total = 0.0
    for member in [process, *process.children(recursive=True)]:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _player(client: httpx.Client) -> dict[str, str]:
    body = signup_body()
    client.post("/api/auth/signup", json=body).raise_for_status()
    login = client.post("/api/auth/login", json={"email": body["email"], "password": body["password1"]})
    login.raise_for_status()
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _serve_env(work: Path, s3_endpoint: str | None, queue: str) -> dict[str, str]:
    url = f"sqlite:///{work / 'anb.sqlite3'}"
    upgrade(url)
    env = {
        "ANB_DATABASE__URL": url,
        "ANB_DATA_DIR": str(work / "data"),
        "ANB_JOBS__BACKEND": "celery",
        "ANB_JOBS__BROKER_URL": BROKER_URL,
        "ANB_JOBS__QUEUE_NAME": queue,
        "ANB_RATE_LIMIT__UPLOAD_PER_USER": "1000000/minute",
        "ANB_LOG_LEVEL": "WARNING",
    }
    if s3_endpoint is not None:
        bucket = s3_settings(url, work / "data", s3_endpoint).storage.s3_bucket  # creates the bucket
        env.update({
            "ANB_STORAGE__BACKEND": "s3", "ANB_STORAGE__S3_BUCKET": str(bucket),
            "ANB_STORAGE__S3_ENDPOINT_URL": s3_endpoint, "ANB_STORAGE__S3_REGION": S3_REGION,
            "ANB_STORAGE__S3_ACCESS_KEY": S3_ACCESS_KEY, "ANB_STORAGE__S3_SECRET_KEY": S3_SECRET_KEY,
        })  # fmt: skip
    return env


def _upload(client: httpx.Client, player: dict[str, str], data: bytes) -> None:
    answer = client.post(
        "/api/videos/upload", headers=player, data={"title": "t"}, files={"video_file": ("c.mp4", data, "video/mp4")}
    )
    assert answer.status_code == 201, answer.text


def _direct(client: httpx.Client, player: dict[str, str], data: bytes) -> None:
    opened = client.post(
        "/api/videos/uploads", headers=player, json={"title": "t", "size": len(data), "content_type": "video/mp4"}
    )
    assert opened.status_code == 201, opened.text
    state = opened.json()
    sent = []
    with httpx.Client(timeout=60) as bucket:
        for part in state["parts"]:
            start = (part["number"] - 1) * state["part_size"]
            put = bucket.put(part["url"], content=data[start : start + part["size"]]).raise_for_status()
            sent.append({"number": part["number"], "etag": put.headers["ETag"]})
    done = client.post(f"/api/videos/uploads/{state['upload_id']}/complete", headers=player, json={"parts": sent})
    assert done.status_code == 201, done.text


def _profile(client: httpx.Client, player: dict[str, str], _data: bytes) -> None:
    client.get("/api/auth/me", headers=player).raise_for_status()


def measure(send: Callable[..., None], data: bytes, runs: int, s3_endpoint: str | None) -> float:
    """Server CPU seconds per ``send`` (an upload, or a request), over ``runs`` of them after a first
    one that warms the server up."""
    work = Path(tempfile.mkdtemp(prefix="anb-upload-cpu-"))
    queue = f"anb-bench-{uuid.uuid4().hex[:8]}"
    try:
        with (
            anb_serve_process(_serve_env(work, s3_endpoint, queue), work / "serve.log", 1, 600) as served,
            httpx.Client(base_url=served.base_url, timeout=120) as client,
        ):
            player = _player(client)
            send(client, player, data)
            before = _tree_cpu(served.pid)
            for _ in range(runs):
                send(client, player, data)
            spent = _tree_cpu(served.pid) - before
    finally:
        delete_queues(BROKER_URL, queue)
    return spent / runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--size-mb", type=int, default=4)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.upload_cpu", sys.argv[1:] if argv is None else argv)
    data = encoded_input(args.size_mb).read_bytes()
    with run_s3_server() as endpoint:
        figures = {
            "/upload, local disk": measure(_upload, data, args.runs, None),
            "direct upload, S3: open + complete": measure(_direct, data, args.runs, endpoint),
            "one authenticated request reading a row (GET /api/auth/me), S3": measure(
                _profile, data, args.runs, endpoint
            ),
        }
    summary = {}
    for label, seconds in figures.items():
        print(f"{label}, {args.size_mb} MB: server CPU {seconds * 1000:.1f} ms each (mean of {args.runs})")
        summary[label] = {"cpu_ms_each": seconds * 1000, "runs": args.runs, "size_mb": args.size_mb}
    write_summary("upload-cpu", stamp, summary, args.summary_dir)


if __name__ == "__main__":
    main()
