from __future__ import annotations

from pathlib import Path

import pytest

from anb.config import StorageSettings
from anb.storage import build_storage
from anb.storage.local import LocalStorage
from anb.storage.s3 import S3Storage
from tests.storage.conftest import SIGNING_SECRET


def test_local_backend_builds_local_storage_under_the_data_directory(tmp_path: Path) -> None:
    storage = build_storage(
        StorageSettings(), data_dir=tmp_path, signing_secret=SIGNING_SECRET, public_base_url="http://h:1/"
    )
    assert isinstance(storage, LocalStorage)
    assert storage.root == (tmp_path / "media").resolve()
    assert storage.url("a/b.mp4", expires_in=60).startswith("http://h:1/media/a/b.mp4?")


def test_s3_backend_builds_s3_storage_without_touching_the_network(tmp_path: Path) -> None:
    settings = StorageSettings.model_validate(
        {
            "backend": "s3",
            "s3_bucket": "anb-videos",
            "s3_region": "us-east-1",
            "s3_endpoint_url": "http://127.0.0.1:1",
            "s3_access_key": "key",
            "s3_secret_key": "secret",
        }
    )
    storage = build_storage(settings, data_dir=tmp_path, signing_secret=SIGNING_SECRET)
    assert isinstance(storage, S3Storage)
    assert storage.temp_dir == tmp_path / "tmp"
    assert storage.url("a/b.mp4", expires_in=60).startswith("http://127.0.0.1:1/anb-videos/a/b.mp4?")


def test_s3_without_a_bucket_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bucket"):
        build_storage(StorageSettings(backend="s3"), data_dir=tmp_path, signing_secret=SIGNING_SECRET)
