"""Objects in an S3 bucket (AWS or any S3-compatible server through ``endpoint_url``).

Credentials are optional: without them boto3's default chain applies (the ECS task role in
production). The bucket is never created implicitly; ``ensure_bucket`` exists for tests and dev tooling.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from anb.storage.base import Storage, check_ttl
from anb.storage.errors import ObjectNotFound, StorageError, StorageUnavailable
from anb.storage.object_keys import folder_prefix, validate_key
from anb.storage.s3_errors import s3_errors
from anb.storage.s3_requests import SignedRequests

if TYPE_CHECKING:
    from botocore.response import StreamingBody
    from mypy_boto3_s3.client import S3Client
    from mypy_boto3_s3.literals import BucketLocationConstraintType
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef

_MiB = 1024 * 1024
# Above this size uploads and downloads go in parallel 16 MB parts; memory stays bounded by
# concurrency x part size whatever the file size.
_PART_SIZE = 16 * _MiB
_TRANSFER = TransferConfig(
    multipart_threshold=_PART_SIZE, multipart_chunksize=_PART_SIZE, max_concurrency=4, use_threads=True
)
# Data operations: fail over quickly on a dead endpoint, tolerate slow reads, retry transient errors.
_DATA_TIMEOUTS: dict[str, Any] = {"connect_timeout": 5, "read_timeout": 30, "retries": {"mode": "standard"}}
_SIGNED_TIMEOUTS = {
    "connect_timeout": _DATA_TIMEOUTS["connect_timeout"],
    "read_timeout": _DATA_TIMEOUTS["read_timeout"],
}
# The readiness probe must answer in a couple of seconds, so no retries and short timeouts.
_PROBE_TIMEOUTS: dict[str, Any] = {
    "connect_timeout": 2,
    "read_timeout": 2,
    "retries": {"mode": "standard", "total_max_attempts": 1},
}
_DELETE_BATCH = 1000  # the DeleteObjects limit
# The ranged reader fetches at least this much per request: MediaInfo reads in small steps.
_READ_AHEAD = 256 * 1024


class S3Storage(Storage):
    def __init__(
        self,
        bucket: str,
        *,
        region: str | None = None,
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
        public_endpoint_url: str | None = None,
        temp_dir: Path | None = None,
    ) -> None:
        if not bucket:
            raise ValueError("an S3 bucket name is required")
        if (access_key is None) != (secret_key is None):
            raise ValueError("give both access_key and secret_key, or neither to use the default chain")
        self.bucket = bucket
        self.region = region
        self._prefix = folder_prefix(prefix) if prefix else ""
        self.temp_dir = temp_dir or Path(tempfile.gettempdir()) / "anb-uploads"
        session = boto3.session.Session(
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=region
        )
        self._client = _client(session, endpoint_url, _DATA_TIMEOUTS)
        self._probe = _client(session, endpoint_url, _PROBE_TIMEOUTS)
        # Presigning makes no request: a client bound to the endpoint browsers reach (when it differs
        # from the one this process uses, e.g. a compose service name) signs URLs valid for them.
        self._presigner = _client(session, public_endpoint_url, _DATA_TIMEOUTS) if public_endpoint_url else self._client
        # A direct upload's requests and part URLs, signed without the rest of boto3 (CPU per upload).
        credentials = session.get_credentials()
        self._signed = SignedRequests(self._client, credentials, bucket, **_SIGNED_TIMEOUTS)
        self._signed_for_browsers = (
            SignedRequests(self._presigner, credentials, bucket, **_SIGNED_TIMEOUTS)
            if public_endpoint_url
            else self._signed
        )

    def _key(self, key: str) -> str:
        return self._prefix + validate_key(key)

    def save_file(self, key: str, local_path: Path, content_type: str) -> None:
        with s3_errors(key):
            self._client.upload_file(
                str(local_path),
                self.bucket,
                self._key(key),
                ExtraArgs={"ContentType": content_type},
                Config=_TRANSFER,
            )
        local_path.unlink(missing_ok=True)

    @contextmanager
    def open_read(self, key: str) -> Iterator[_BodyStream]:
        with s3_errors(key):
            body = self._client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        try:
            yield _BodyStream(body, key)
        finally:
            body.close()

    def download_to(self, key: str, local_path: Path) -> None:
        with s3_errors(key):
            self._client.download_file(self.bucket, self._key(key), str(local_path), Config=_TRANSFER)

    def delete(self, key: str) -> None:
        # DeleteObject answers 204 for a missing key as well: idempotent by itself.
        with s3_errors(key):
            self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> None:
        full_prefix = self._prefix + folder_prefix(prefix)
        with s3_errors(prefix):
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full_prefix, PaginationConfig={"PageSize": _DELETE_BATCH}
            )
            for page in pages:
                objects: list[ObjectIdentifierTypeDef] = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                if objects:
                    self._delete_batch(objects, prefix)

    def _delete_batch(self, objects: list[ObjectIdentifierTypeDef], prefix: str) -> None:
        answer = self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
        failures = answer.get("Errors", [])
        if failures:
            first = failures[0]
            raise StorageError(
                f"S3 kept {len(failures)} objects under {prefix!r}, e.g. {first.get('Key')}: {first.get('Code')}"
            )

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except ObjectNotFound:
            return False
        return True

    def size(self, key: str) -> int:
        with s3_errors(key):
            return self._client.head_object(Bucket=self.bucket, Key=self._key(key))["ContentLength"]

    def url(self, key: str, expires_in: int, filename: str | None = None) -> str:
        params = {"Bucket": self.bucket, "Key": self._key(key)}
        if filename is not None:
            params["ResponseContentDisposition"] = inline_disposition(filename)
        return self._presigner.generate_presigned_url("get_object", Params=params, ExpiresIn=check_ttl(expires_in))

    def check(self) -> None:
        try:
            self._probe.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            raise StorageUnavailable(f"S3 bucket {self.bucket!r} is not usable: {exc}") from exc

    # Direct uploads (anb/videos/direct_uploads.py): the client PUTs each part through a presigned URL
    # that signs its exact Content-Length, so S3 refuses a part of any other size; the API never
    # touches the bytes. Abandoned uploads go by the bucket's lifecycle rule (deploy/terraform/modules/s3).

    def start_multipart(self, key: str, content_type: str) -> str:
        with s3_errors(key):
            return self._signed.create_multipart_upload(self._key(key), content_type)

    def part_url(self, key: str, upload_id: str, number: int, size: int, expires_in: int) -> str:
        return self._signed_for_browsers.presign_part_upload(self._key(key), upload_id, number, size, expires_in)

    def multipart_parts(self, key: str, upload_id: str) -> list[StoredPart]:
        """The parts S3 holds (``ObjectNotFound`` when the upload is no longer open)."""
        found: list[StoredPart] = []
        with s3_errors(key):
            pages = self._client.get_paginator("list_parts").paginate(
                Bucket=self.bucket, Key=self._key(key), UploadId=upload_id
            )
            for page in pages:
                found += [StoredPart(p["PartNumber"], p["Size"], p["ETag"]) for p in page.get("Parts", [])]
        return found

    def complete_multipart(self, key: str, upload_id: str, parts: list[StoredPart]) -> None:
        """Join ``parts`` (in order); ``PartsRejected`` when S3 holds no such part under its ETag."""
        with s3_errors(key):
            self._signed.complete_multipart_upload(self._key(key), upload_id, [(p.number, p.etag) for p in parts])

    def abort_multipart(self, key: str, upload_id: str) -> None:
        with s3_errors(key):
            self._client.abort_multipart_upload(Bucket=self.bucket, Key=self._key(key), UploadId=upload_id)

    def open_ranged(self, key: str) -> RangedReader:
        """The stored object as a seekable binary file read by ranged GETs (a header check reads little);
        its first GET also tells the object's size (``reader.size``): no HEAD request."""
        return RangedReader(self, key)

    def read_range(self, key: str, start: int, end: int) -> tuple[bytes, int]:
        """Bytes ``start`` to ``end`` (excluded, clipped to the object) and the object's whole size."""
        with s3_errors(key):
            return self._signed.get_range(self._key(key), start, end)

    def ensure_bucket(self) -> None:
        """Create the bucket when missing (tests and development only)."""
        try:
            self._client.head_bucket(Bucket=self.bucket)
            return
        except ClientError:
            pass
        with s3_errors(self.bucket):
            if self.region and self.region != "us-east-1":
                self._client.create_bucket(
                    Bucket=self.bucket,
                    CreateBucketConfiguration={"LocationConstraint": cast("BucketLocationConstraintType", self.region)},
                )
            else:
                self._client.create_bucket(Bucket=self.bucket)


@dataclass(frozen=True)
class StoredPart:
    number: int
    size: int
    etag: str


class RangedReader(io.RawIOBase):
    """A stored S3 object as a seekable binary file, read by ranged GETs of at least ``_READ_AHEAD``
    bytes; the object's first bytes are read at once, and their answer tells its size."""

    def __init__(self, storage: S3Storage, key: str) -> None:
        self._storage, self._key = storage, key
        self._position = 0
        self._buffer, self.size = storage.read_range(key, 0, _READ_AHEAD)
        self._buffer_start = 0
        self.requests = 1

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            size = self.size - self._position
        end = min(self.size, self._position + size)
        if end <= self._position:
            return b""
        buffered_end = self._buffer_start + len(self._buffer)
        if not (self._buffer_start <= self._position and end <= buffered_end):
            start = self._position
            self._buffer, _ = self._storage.read_range(self._key, start, min(self.size, max(end, start + _READ_AHEAD)))
            self._buffer_start = start
            self.requests += 1
        start = self._position - self._buffer_start
        data = self._buffer[start : start + (end - self._position)]
        self._position += len(data)
        return data


class _BodyStream:
    """A response body whose read errors are storage errors like every other failure."""

    def __init__(self, body: StreamingBody, key: str) -> None:
        self._body = body
        self._key = key

    def read(self, size: int = -1, /) -> bytes:
        with s3_errors(self._key):
            return self._body.read(None if size < 0 else size)


def _client(session: boto3.session.Session, endpoint_url: str | None, options: dict[str, Any]) -> S3Client:
    # S3-compatible servers (moto, MinIO) are reached by host:port, where bucket subdomains do not resolve.
    config = Config(signature_version="s3v4", s3={"addressing_style": "path"} if endpoint_url else None, **options)
    return session.client("s3", endpoint_url=endpoint_url, config=config)


def inline_disposition(filename: str) -> str:
    """``Content-Disposition`` offering ``filename`` for playback in place (RFC 6266 / 5987)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "video"
    return f"inline; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
