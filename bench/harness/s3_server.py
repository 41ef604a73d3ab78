"""moto's S3-compatible server as a real HTTP subprocess on loopback, for any test package.

``with run_s3_server() as endpoint_url:`` yields e.g. ``http://127.0.0.1:PORT``; pass it as
``endpoint_url`` with ``S3_ACCESS_KEY``/``S3_SECRET_KEY``/``S3_REGION`` and create a bucket
(``S3Storage.ensure_bucket()``). The server is stopped when the block ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from anb.config import DatabaseSettings, Settings, StorageSettings
from anb.storage.s3 import S3Storage
from anb.wiring import storage_for
from bench.harness.processes import free_port, stop

# moto accepts any credentials; fixed fake ones keep boto3 away from the developer's real ones.
S3_ACCESS_KEY = "testing"
S3_SECRET_KEY = "testing"  # noqa: S105 - fake credentials of the local S3-compatible server
S3_REGION = "us-east-1"


def wait_s3(endpoint_url: str, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto server exited with {process.returncode} before answering")
        try:
            httpx.get(endpoint_url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(f"moto server at {endpoint_url} did not answer within {timeout} s")


def _tail(log: IO[bytes], limit: int = 2000) -> str:
    log.seek(0)
    return log.read().decode(errors="replace")[-limit:]


@contextmanager
def run_s3_server(settings: dict[str, str] | None = None) -> Iterator[str]:
    """Start ``python -m moto.server`` on a free loopback port; yield its endpoint URL; stop it.

    It emulates every AWS service moto knows, not only S3; ``settings`` adds moto's own
    environment variables (e.g. ``MOTO_IAM_LOAD_MANAGED_POLICIES``)."""
    port = free_port()
    endpoint_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": S3_SECRET_KEY, **(settings or {})}
    # A file, not a pipe: the server logs every request and would block once a pipe filled up.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches any child it spawns
        )
        try:
            try:
                wait_s3(endpoint_url, process)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"{exc}; server output:\n{_tail(log)}") from exc
            yield endpoint_url
        finally:
            stop(process, timeout=5)


def s3_settings(database_url: str, data_dir: Path, endpoint_url: str) -> Settings:
    """Settings of a deployment on S3 with a fresh bucket of its own."""
    storage_settings = StorageSettings.model_validate(
        {
            "backend": "s3",
            "s3_bucket": f"anb-test-{uuid.uuid4().hex[:12]}",
            "s3_region": S3_REGION,
            "s3_endpoint_url": endpoint_url,
            "s3_access_key": S3_ACCESS_KEY,
            "s3_secret_key": S3_SECRET_KEY,
        }
    )
    settings = Settings(data_dir=data_dir, database=DatabaseSettings(url=database_url), storage=storage_settings)
    storage = storage_for(settings)
    assert isinstance(storage, S3Storage)
    storage.ensure_bucket()
    return settings
