"""The one place that turns the storage settings into a backend."""

from __future__ import annotations

from pathlib import Path

from anb.config import StorageSettings
from anb.storage.base import Storage


def build_storage(
    settings: StorageSettings, *, data_dir: Path, signing_secret: bytes, public_base_url: str = ""
) -> Storage:
    """Local disk under ``data_dir/media`` (URLs signed with ``signing_secret``, served under
    ``public_base_url``), or the S3 bucket, whose uploads wait in ``data_dir/tmp`` before they are
    sent. Local storage keeps its temporary files on its own filesystem so that saving is a rename.
    """
    if settings.backend == "local":
        from anb.storage.local import LocalStorage

        return LocalStorage(data_dir / "media", signing_secret, url_prefix=f"{public_base_url.rstrip('/')}/media")
    if not settings.s3_bucket:
        raise ValueError("S3 storage needs a bucket (ANB_STORAGE__S3_BUCKET)")
    # Imported here: boto3 costs a process that stores locally a third of a second at start-up.
    from anb.storage.s3 import S3Storage

    return S3Storage(
        settings.s3_bucket,
        region=settings.s3_region,
        endpoint_url=settings.s3_endpoint_url,
        access_key=settings.s3_access_key.get_secret_value() if settings.s3_access_key else None,
        secret_key=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None,
        public_endpoint_url=settings.s3_public_endpoint_url,
        temp_dir=data_dir / "tmp",
    )
