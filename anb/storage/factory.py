"""The one place that turns plain configuration values into a storage backend."""

from __future__ import annotations

from pathlib import Path

from anb.storage.base import Storage
from anb.storage.local import LocalStorage
from anb.storage.s3 import S3Storage


def build_storage(
    kind: str,
    *,
    local_root: Path | None = None,
    signing_secret: bytes | None = None,
    url_prefix: str = "/media",
    s3_bucket: str = "",
    s3_region: str | None = None,
    s3_endpoint_url: str | None = None,
    s3_access_key: str | None = None,
    s3_secret_key: str | None = None,
    s3_prefix: str = "",
    s3_public_endpoint_url: str | None = None,
    temp_dir: Path | None = None,
) -> Storage:
    """``local`` needs ``local_root`` and ``signing_secret``; ``s3`` needs ``s3_bucket``.

    ``temp_dir`` only applies to S3 (where uploads wait on local disk before they are sent); local
    storage always keeps its temporary files on its own filesystem so that saving is a rename.
    """
    if kind == "local":
        if local_root is None or signing_secret is None:
            raise ValueError("local storage needs local_root and signing_secret")
        return LocalStorage(local_root, signing_secret, url_prefix=url_prefix)
    if kind == "s3":
        return S3Storage(
            s3_bucket,
            region=s3_region,
            endpoint_url=s3_endpoint_url,
            access_key=s3_access_key,
            secret_key=s3_secret_key,
            prefix=s3_prefix,
            public_endpoint_url=s3_public_endpoint_url,
            temp_dir=temp_dir,
        )
    raise ValueError(f"unknown storage kind {kind!r}: expected 'local' or 's3'")
