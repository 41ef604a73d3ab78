"""The service killed in the middle of an upload: after a restart and a sweep, no orphan row or file.

An upload's row is written only once its file is stored, so a crash while the body streams in
leaves just the upload's temp file; the sweeper deletes temp files nobody has written for
``ANB_JOBS__TEMP_FILE_MAX_IDLE_SECONDS`` (the embedded service's own sweeper, and ``anb jobs sweep``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from anb.db.migrate import upgrade
from bench.harness.processes import ANB, anb_serve_process, wait_until
from tests.hardening.live_api import (
    TIMEOUT,
    StreamedUpload,
    bearer,
    service_env,
    signup_and_login,
    upload,
    wait_processed,
)

pytestmark = pytest.mark.slow

_MiB = 1024 * 1024
IDLE_SECONDS = 2


def _video_rows(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "anb.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM videos").fetchone()[0])


def _temp_files(data_dir: Path) -> list[Path]:
    temp_dir = data_dir / "media" / ".tmp"
    return list(temp_dir.iterdir()) if temp_dir.exists() else []


def _stalled_body(sent: int, release: threading.Event) -> Iterator[bytes]:
    """``sent`` bytes of file, then nothing until ``release``: an upload still in flight."""
    yield os.urandom(sent)
    release.wait()


def _upload_until_killed(base_url: str, token: str, release: threading.Event) -> None:
    body = StreamedUpload()
    with httpx.Client(base_url=base_url, timeout=TIMEOUT) as http:
        try:
            http.post(
                "/api/videos/upload",
                headers={**bearer(token), "Content-Type": body.content_type},
                content=body.body(_stalled_body(2 * _MiB, release)),
            )
        except httpx.HTTPError:  # the server died under it, as expected
            return


def test_service_killed_mid_upload_leaves_no_orphan_after_the_sweep(tmp_path: Path, clip: Path) -> None:
    data_dir = tmp_path / "data"
    env = {
        **service_env(data_dir),
        "ANB_JOBS__TEMP_FILE_MAX_IDLE_SECONDS": str(IDLE_SECONDS),
        "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
    }
    with anb_serve_process(env, tmp_path / "serve-killed.log", workers=1) as served:
        token = signup_and_login(httpx.Client(base_url=served.base_url, timeout=TIMEOUT))
        release = threading.Event()
        uploader = threading.Thread(target=_upload_until_killed, args=(served.base_url, token, release))
        uploader.start()
        wait_until(lambda: any(path.stat().st_size >= _MiB for path in _temp_files(data_dir)), 30, "the upload on disk")
        served.kill()
        release.set()
        uploader.join()

    [orphan] = _temp_files(data_dir)  # what the crash left behind
    assert _video_rows(data_dir) == 0

    with (
        anb_serve_process(env, tmp_path / "serve-restarted.log", workers=1) as restarted,
        httpx.Client(base_url=restarted.base_url, timeout=TIMEOUT) as http,
    ):
        wait_until(lambda: not orphan.exists(), 30, "the sweeper deleting the killed upload's temp file")
        assert _video_rows(data_dir) == 0
        # The service is whole again: an upload is stored and processed.
        token = signup_and_login(http)
        accepted = upload(http, token, clip)
        assert accepted.status_code == 201, accepted.text
        wait_processed(http, token, accepted.json()["video_id"])
    assert _temp_files(data_dir) == []


def test_jobs_sweep_deletes_idle_temp_files_and_keeps_live_ones(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    temp_dir = data_dir / "media" / ".tmp"
    temp_dir.mkdir(parents=True)
    upgrade(f"sqlite:///{data_dir / 'anb.sqlite3'}")
    crashed = temp_dir / "crashed.upload"
    crashed.write_bytes(b"\0" * 1024)
    an_hour_ago = time.time() - 3600
    os.utime(crashed, (an_hour_ago, an_hour_ago))
    in_flight = temp_dir / "in-flight.upload"
    in_flight.write_bytes(b"\0" * 1024)

    swept = subprocess.run(
        [ANB, "jobs", "sweep"],
        env={**os.environ, **service_env(data_dir), "ANB_JOBS__TEMP_FILE_MAX_IDLE_SECONDS": "600"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert swept.returncode == 0, swept.stderr
    assert "removed 1 stale temp file" in swept.stdout
    assert sorted(temp_dir.iterdir()) == [in_flight]
