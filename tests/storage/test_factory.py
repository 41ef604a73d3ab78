from __future__ import annotations

from pathlib import Path

import pytest

from anb.storage import LocalStorage, S3Storage, build_storage
from tests.storage.conftest import SIGNING_SECRET


def test_local_kind_builds_local_storage(tmp_path: Path) -> None:
    storage = build_storage("local", local_root=tmp_path, signing_secret=SIGNING_SECRET, url_prefix="/m")
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path.resolve()
    assert storage.url("a/b.mp4", expires_in=60).startswith("/m/a/b.mp4?")


def test_s3_kind_builds_s3_storage_without_touching_the_network(tmp_path: Path) -> None:
    storage = build_storage(
        "s3",
        s3_bucket="anb-videos",
        s3_region="us-east-1",
        s3_endpoint_url="http://127.0.0.1:1",
        s3_access_key="key",
        s3_secret_key="secret",
        temp_dir=tmp_path,
    )
    assert isinstance(storage, S3Storage)
    assert storage.temp_dir == tmp_path
    assert storage.url("a/b.mp4", expires_in=60).startswith("http://127.0.0.1:1/anb-videos/a/b.mp4?")


@pytest.mark.parametrize(
    ("kind", "options"),
    [("local", {}), ("local", {"local_root": Path("x")}), ("s3", {}), ("gcs", {"s3_bucket": "b"})],
)
def test_missing_or_unknown_configuration_is_refused(kind: str, options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build_storage(kind, **options)
