"""One real upload-and-process journey through `anb serve`: the published output, the metrics
(including those of the worker processes), one correlation id from API to worker, and no secret in
the logs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from bench.harness.processes import anb_serve, wait_until
from bench.harness.signup import signup_body
from tests.processing.test_embedded_worker import ENV, _probe, _upload, _video


def _metric(text: str, name: str, **labels: str) -> float:
    """Sum of the samples of ``name`` whose labels include ``labels`` (label order does not matter)."""
    total = 0.0
    for line in text.splitlines():
        match = re.fullmatch(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            total += float(match.group(3))
    return total


def test_upload_processed_with_metrics_logs_and_no_secrets(tmp_path: Path, clips: dict[str, Path]) -> None:
    data_dir = tmp_path / "data"
    log_path = tmp_path / "serve.log"
    body = signup_body()
    with anb_serve({**ENV, "ANB_DATA_DIR": str(data_dir)}, log_path) as base:
        httpx.post(f"{base}/api/auth/signup", json=body, timeout=30).raise_for_status()
        tokens = httpx.post(
            f"{base}/api/auth/login", json={"email": body["email"], "password": body["password1"]}, timeout=30
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}", "X-Request-ID": "journey-42"}
        video_id = _upload(base, headers, clips["good"])
        headers.pop("X-Request-ID")
        wait_until(lambda: _video(base, headers, video_id)["status"] == "processed", 180, "processing")
        video = _video(base, headers, video_id)
        output = httpx.get(str(video["processed_url"]), timeout=30)
        streams = _probe(output.content, tmp_path)["streams"]
        assert [s["codec_type"] for s in streams] == ["video"]  # type: ignore[index,union-attr]
        assert (streams[0]["width"], streams[0]["height"]) == (1280, 720)  # type: ignore[index]
        poster = httpx.get(str(video["poster_url"]), timeout=30)
        assert poster.content[:3] == b"\xff\xd8\xff"
        httpx.post(f"{base}/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}, timeout=30)
        metrics = httpx.get(f"{base}/metrics", timeout=30).text

    # Counters and histograms moved, including those written by the worker processes.
    assert _metric(metrics, "anb_uploads_total", outcome="accepted") == 1
    assert _metric(metrics, "anb_jobs_total", outcome="published") == 1
    for stage in ("queue_wait", "fetch", "ffmpeg", "store"):
        assert _metric(metrics, "anb_job_stage_seconds_count", stage=stage) == 1
    assert _metric(metrics, "anb_http_requests_total", route="/api/videos/{video_id}", method="GET", status="200") >= 2
    assert "/api/videos/" + video_id not in metrics, "routes are templates, never raw paths"
    assert _metric(metrics, "anb_jobs_pending") == 0

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    chain = [line for line in lines if line.get("correlation_id") == "journey-42"]
    loggers = {line["logger"] for line in chain}
    assert "anb.http" in loggers and "anb.videos.router" in loggers, loggers
    assert "anb.processing.job" in loggers, "the worker's lines carry the upload's correlation id"
    assert any(line.get("video_id") == video_id and line.get("outcome") == "published" for line in chain)

    text = log_path.read_text()
    signing_key = (data_dir / "dev-signing-key.pem").read_text()
    for secret in (body["password1"], tokens["access_token"], tokens["refresh_token"], signing_key.strip()):
        assert secret not in text
    for line in signing_key.strip().splitlines()[1:-1]:
        assert line not in text
