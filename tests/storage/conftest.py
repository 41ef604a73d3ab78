from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from anb.storage.local import LocalStorage
from anb.storage.s3 import S3Storage
from tests.support.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY

SIGNING_SECRET = b"storage-tests-signing-secret-0123456789"


def s3_storage_at(endpoint_url: str, bucket: str, tmp_path: Path, **options: str) -> S3Storage:
    return S3Storage(
        bucket,
        region=S3_REGION,
        endpoint_url=endpoint_url,
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
        temp_dir=tmp_path / "uploads",
        **options,
    )


@pytest.fixture
def s3_storage(s3_endpoint_url: str, tmp_path: Path) -> S3Storage:
    storage = s3_storage_at(s3_endpoint_url, f"anb-test-{uuid.uuid4().hex[:12]}", tmp_path)
    storage.ensure_bucket()
    return storage


@pytest.fixture
def local_storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media", SIGNING_SECRET)
