"""``anb serve`` processes uploads with its own worker processes and resumes after a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from anb.db.engine import create_sync_db_engine
from anb.processing.job import UNDECODABLE_REASON
from anb.videos.models import Video
from bench.harness.processes import anb_serve, wait_until
from bench.harness.signup import signup_body
from tests.hardening.hostile_files import undecodable


def _login(base: str) -> dict[str, str]:
    body = signup_body()
    httpx.post(f"{base}/api/auth/signup", json=body, timeout=30).raise_for_status()
    token = httpx.post(
        f"{base}/api/auth/login", json={"email": body["email"], "password": body["password1"]}, timeout=30
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _upload(base: str, headers: dict[str, str], clip: Path) -> str:
    with clip.open("rb") as handle:
        answer = httpx.post(
            f"{base}/api/videos/upload",
            headers=headers,
            data={"title": "Clavada"},
            files={"video_file": (clip.name, handle, "video/mp4")},
            timeout=60,
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["video_id"])


def _video(base: str, headers: dict[str, str], video_id: str) -> dict[str, object]:
    return dict(httpx.get(f"{base}/api/videos/{video_id}", headers=headers, timeout=30).json())


def _probe(data: bytes, tmp: Path) -> dict[str, object]:
    path = tmp / "downloaded.mp4"
    path.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", str(path)],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return dict(json.loads(out.stdout))


ENV = {"ANB_FFMPEG__PRESET": "ultrafast", "ANB_JOBS__CONCURRENCY": "1"}


def test_a_job_interrupted_by_a_restart_is_resumed(tmp_path: Path, clips: dict[str, Path]) -> None:
    env = {**ENV, "ANB_DATA_DIR": str(tmp_path / "data"), "ANB_FFMPEG__PRESET": "slow"}
    with anb_serve(env, tmp_path / "first.log") as base:
        headers = _login(base)
        video_id = _upload(base, headers, clips["good"])
        wait_until(lambda: _video(base, headers, video_id)["status"] == "processing", 60, "processing starts")
        # Leaving the block stops the service (SIGTERM): the worker hands the job back.
    with anb_serve({**env, "ANB_FFMPEG__PRESET": "ultrafast"}, tmp_path / "second.log") as base:
        wait_until(lambda: _video(base, headers, video_id)["status"] == "processed", 180, "resumed processing")
        assert _video(base, headers, video_id)["failure_reason"] is None


def test_delete_during_processing_cancels_and_leaves_no_files(tmp_path: Path, clips: dict[str, Path]) -> None:
    data_dir = tmp_path / "data"
    env = {**ENV, "ANB_DATA_DIR": str(data_dir), "ANB_FFMPEG__PRESET": "slow"}
    with anb_serve(env, tmp_path / "serve.log") as base:
        headers = _login(base)
        video_id = _upload(base, headers, clips["good"])
        wait_until(lambda: float(_video(base, headers, video_id)["progress"]) > 0, 90, "encoding under way")  # type: ignore[arg-type]
        deleted = httpx.delete(f"{base}/api/videos/{video_id}", headers=headers, timeout=30)
        assert deleted.status_code == 200
        folder = data_dir / "media" / "videos" / video_id
        # The worker notices at its next lease renewal (≤ 2 s) and stops; nothing of the video remains.
        wait_until(lambda: not folder.exists() or not any(folder.iterdir()), 30, "files removed")
        work = data_dir / "work"
        wait_until(lambda: not any(work.iterdir()), 30, "worker scratch space cleaned")
        assert httpx.get(f"{base}/api/videos/{video_id}", headers=headers, timeout=30).status_code == 404


def test_a_killed_worker_is_replaced_and_its_leftovers_swept(tmp_path: Path, clips: dict[str, Path]) -> None:
    """SIGKILL the only embedded worker mid-encode: the pool starts another, which takes the job over
    once the lease expires and publishes it once; the sweeper removes the dead worker's directory."""
    data_dir = tmp_path / "data"
    env = {
        **ENV,
        "ANB_DATA_DIR": str(data_dir),
        "ANB_FFMPEG__PRESET": "slow",
        "ANB_JOBS__LEASE_SECONDS": "10",
        "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
    }
    with anb_serve(env, tmp_path / "serve.log") as base:
        headers = _login(base)
        video_id = _upload(base, headers, clips["good"])
        wait_until(lambda: float(_video(base, headers, video_id)["progress"]) > 0, 90, "encoding under way")  # type: ignore[arg-type]
        engine = create_sync_db_engine(f"sqlite:///{data_dir / 'anb.sqlite3'}")
        owner = _lease_owner(engine, video_id)
        abandoned = list((data_dir / "work").glob(f"job-{video_id}-*"))
        os.kill(int(owner.rsplit(":", 1)[1]), signal.SIGKILL)
        wait_until(lambda: _lease_owner(engine, video_id) not in ("", owner), 60, "another worker took the job")
        wait_until(lambda: not any(path.exists() for path in abandoned), 30, "dead worker's directory swept")
        wait_until(lambda: _video(base, headers, video_id)["status"] == "processed", 240, "published")
        engine.dispose()
    assert "starting another" in (tmp_path / "serve.log").read_text()


def _lease_owner(engine: Engine, video_id: str) -> str:
    with engine.connect() as conn:
        return conn.scalar(select(Video.lease_owner).where(Video.id == uuid.UUID(video_id))) or ""


def test_an_upload_that_does_not_decode_fails_in_the_job_with_a_reason(tmp_path: Path, clips: dict[str, Path]) -> None:
    """The request checks the header only: a file whose header is whole but whose frames do not
    decode is accepted, then the job's decode check fails it before any encoding, with a Spanish
    reason the player reads in "Mis videos", and nothing of it is published."""
    data_dir = tmp_path / "data"
    clip = undecodable(clips["good"], tmp_path / "undecodable.mp4")
    with anb_serve({**ENV, "ANB_DATA_DIR": str(data_dir)}, tmp_path / "serve.log") as base:
        headers = _login(base)
        video_id = _upload(base, headers, clip)
        wait_until(lambda: _video(base, headers, video_id)["status"] == "failed", 120, "the job fails")
        video = _video(base, headers, video_id)
        assert video["failure_reason"] == UNDECODABLE_REASON
        assert video["processed_url"] is None and video["poster_url"] is None
        listed = httpx.get(f"{base}/api/videos", headers=headers, timeout=30).json()
        assert [(v["video_id"], v["failure_reason"]) for v in listed] == [(video_id, UNDECODABLE_REASON)]
        public = httpx.get(f"{base}/api/public/videos", timeout=30).json()
        assert video_id not in {str(v["video_id"]) for v in public}
        assert sorted(p.name for p in (data_dir / "media" / "videos" / video_id).iterdir()) == ["original.mp4"]


def test_a_worker_idle_between_polls_stops_at_once(tmp_path: Path) -> None:
    """A stop must not wait out the poll interval: with one of 300 s, the service still stops
    cleanly within the harness's 20 s (anb_serve asserts it was not killed)."""
    env = {"ANB_DATA_DIR": str(tmp_path / "data"), "ANB_JOBS__POLL_INTERVAL_SECONDS": "300"}
    log = tmp_path / "serve.log"
    with anb_serve(env, log, workers=1):
        wait_until(lambda: "polls for jobs every 300.0 s" in log.read_text(), 60, "the worker's first poll")
        # Past its first sweep and poll (an empty queue), the worker is idle until its next poll.
        time.sleep(3)
