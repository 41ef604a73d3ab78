"""Storage failing during an upload: a 503 the player can retry, nothing half-stored, then recovery.

Two real failures of ``anb serve``'s storage: the S3 server's connection cut in the middle of the
object's transfer (a loopback S3 server behind a proxy), and local storage on a filesystem that
fills up while the upload is written (a small tmpfs mounted by the test).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from anb.storage.s3 import S3Storage
from bench.harness.processes import anb_serve
from tests.hardening.live_api import (
    TIMEOUT,
    StreamedUpload,
    bearer,
    service_env,
    signup_and_login,
    upload,
    wait_processed,
)
from tests.support.cuttable_proxy import cuttable_proxy
from tests.support.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server

pytestmark = pytest.mark.slow

_MiB = 1024 * 1024


def _video_rows(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "anb.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM videos").fetchone()[0])


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def _bucket_keys(storage: S3Storage) -> list[str]:
    listed = storage._client.list_objects_v2(Bucket=storage.bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_s3_cut_mid_transfer_answers_503_and_stores_nothing(tmp_path: Path, clip: Path) -> None:
    data_dir = tmp_path / "data"
    with run_s3_server() as endpoint_url:
        endpoint = urlsplit(endpoint_url)
        assert endpoint.hostname and endpoint.port
        bucket = S3Storage(
            f"anb-faults-{uuid.uuid4().hex[:10]}",
            region=S3_REGION,
            endpoint_url=endpoint_url,
            access_key=S3_ACCESS_KEY,
            secret_key=S3_SECRET_KEY,
        )
        bucket.ensure_bucket()
        with cuttable_proxy(endpoint.hostname, endpoint.port) as proxy:
            env = {
                **service_env(data_dir),
                "ANB_STORAGE__BACKEND": "s3",
                "ANB_STORAGE__S3_BUCKET": bucket.bucket,
                "ANB_STORAGE__S3_REGION": S3_REGION,
                "ANB_STORAGE__S3_ENDPOINT_URL": f"http://127.0.0.1:{proxy.port}",
                "ANB_STORAGE__S3_ACCESS_KEY": S3_ACCESS_KEY,
                "ANB_STORAGE__S3_SECRET_KEY": S3_SECRET_KEY,
            }
            with (
                anb_serve(env, tmp_path / "serve.log", workers=1) as base,
                httpx.Client(base_url=base, timeout=TIMEOUT) as http,
            ):
                token = signup_and_login(http)

                # Half the clip reaches S3, then the connection drops and S3 stays unreachable
                # through every retry of the client.
                proxy.cut_after(clip.stat().st_size // 2)
                refused = upload(http, token, clip)

                assert refused.status_code == 503, refused.text
                assert refused.json()["code"] == "storage_unavailable"
                assert refused.headers["Retry-After"]
                assert _bucket_keys(bucket) == []
                assert _video_rows(data_dir) == 0
                assert _files_under(data_dir / "tmp") == []

                proxy.restore()
                accepted = upload(http, token, clip)
                assert accepted.status_code == 201, accepted.text
                wait_processed(http, token, accepted.json()["video_id"])


@contextmanager
def small_filesystem(mount_point: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``mount_point`` for the block (root only; skipped elsewhere)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the disk-full test: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def _fill(filesystem: Path, leave_free: int) -> Path:
    """Take all of the filesystem's space but ``leave_free`` bytes with a ballast file."""
    ballast = filesystem / "ballast"
    with ballast.open("wb") as handle:
        handle.write(b"\0" * (os.statvfs(filesystem).f_bavail * os.statvfs(filesystem).f_frsize - leave_free))
    return ballast


def _random_chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    for _ in range(total // size):
        yield os.urandom(size)


def test_disk_full_while_writing_an_upload_answers_503_and_leaves_no_partial_file(tmp_path: Path, clip: Path) -> None:
    data_dir = tmp_path / "data"
    # Only the media (uploads' temp files included) lives on the small filesystem: the database and
    # the service's other files keep their space, as on a server whose media volume fills up.
    with (
        small_filesystem(data_dir / "media", "8m") as media,
        anb_serve(service_env(data_dir), tmp_path / "serve.log", workers=1) as base,
        httpx.Client(base_url=base, timeout=TIMEOUT) as http,
    ):
        token = signup_and_login(http)
        ballast = _fill(media, leave_free=_MiB // 2)

        body = StreamedUpload()
        refused = http.post(
            "/api/videos/upload",
            headers={**bearer(token), "Content-Type": body.content_type},
            content=body.body(_random_chunks(3 * _MiB)),
        )

        assert refused.status_code == 503, refused.text
        assert refused.json()["code"] == "storage_full"
        assert "espacio" in refused.json()["detail"]
        assert _files_under(media) == [ballast]
        assert _video_rows(data_dir) == 0

        ballast.unlink()
        accepted = upload(http, token, clip)
        assert accepted.status_code == 201, accepted.text
        wait_processed(http, token, accepted.json()["video_id"])
