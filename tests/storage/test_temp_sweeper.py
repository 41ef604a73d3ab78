"""An API process (``anb api``, no workers on its host) sweeps the upload temp files left behind."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from anb.db.migrate import upgrade
from bench.harness.processes import ANB, free_port, stop, wait_http, wait_until


def test_an_api_process_removes_stale_upload_temp_files_and_keeps_fresh_ones(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    temp_dir = data_dir / "media" / ".tmp"
    temp_dir.mkdir(parents=True)
    stale, fresh = temp_dir / "killed-mid-upload.upload", temp_dir / "in-progress.upload"
    stale.write_bytes(b"\0" * 4096)
    fresh.write_bytes(b"\0" * 4096)
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    url = f"sqlite:///{data_dir / 'anb.sqlite3'}"
    upgrade(url)
    env = {
        **os.environ,
        "ANB_DATA_DIR": str(data_dir),
        "ANB_DATABASE__URL": url,
        "ANB_ROLE": "core",
        "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
        "ANB_JOBS__TEMP_FILE_MAX_IDLE_SECONDS": "600",
    }
    port = free_port()
    with open(tmp_path / "api.log", "wb") as log:
        api = subprocess.Popen(
            [ANB, "api", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_http(f"http://127.0.0.1:{port}/api/health", 90, api)
            wait_until(lambda: not stale.exists(), 30, "stale temp file removed")
            assert fresh.exists()
        finally:
            stop(api)
