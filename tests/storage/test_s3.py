"""S3Storage against moto's S3-compatible server running as a real HTTP process on loopback."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import boto3
import botocore.auth
import httpx
import pytest

from anb.storage import InvalidKey, ObjectNotFound, StorageError, StorageUnavailable
from anb.storage import s3 as s3_module
from anb.storage.errors import PartsRejected
from anb.storage.s3 import S3Storage, StoredPart
from bench.harness.processes import free_port
from bench.harness.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server
from tests.storage.conftest import s3_storage_at

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

KEY = "videos/12/original.mp4"
MiB = 1024 * 1024


def write_temp(storage: S3Storage, data: bytes) -> Path:
    path = storage.new_temp_path(".mp4")
    path.write_bytes(data)
    return path


def raw_client(endpoint_url: str) -> S3Client:
    """A plain boto3 client, to look at the bucket without going through the code under test."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )


def stored_keys(endpoint_url: str, bucket: str) -> set[str]:
    answer = raw_client(endpoint_url).list_objects_v2(Bucket=bucket)
    return {item["Key"] for item in answer.get("Contents", [])}


def test_large_file_goes_multipart_and_reads_back_identical(
    s3_storage: S3Storage, s3_endpoint_url: str, tmp_path: Path
) -> None:
    data = os.urandom(20 * MiB + 12345)
    source = write_temp(s3_storage, data)

    s3_storage.save_file(KEY, source, "video/mp4")

    assert not source.exists(), "save_file moves: the local file is gone after the upload"
    head = raw_client(s3_endpoint_url).head_object(Bucket=s3_storage.bucket, Key=KEY)
    assert head["ETag"].strip('"').endswith("-2"), "a 20 MB file must be uploaded in two 16 MB parts"
    assert head["ContentType"] == "video/mp4"
    assert s3_storage.size(KEY) == len(data)

    digest = hashlib.sha256()
    with s3_storage.open_read(KEY) as stream:
        while chunk := stream.read(MiB):
            assert len(chunk) <= MiB
            digest.update(chunk)
    assert digest.digest() == hashlib.sha256(data).digest()

    s3_storage.download_to(KEY, tmp_path / "copy.mp4")
    assert (tmp_path / "copy.mp4").read_bytes() == data


def test_missing_objects_raise_object_not_found(s3_storage: S3Storage, tmp_path: Path) -> None:
    missing = "videos/99/original.mp4"
    assert not s3_storage.exists(missing)
    with pytest.raises(ObjectNotFound):
        s3_storage.size(missing)
    with pytest.raises(ObjectNotFound), s3_storage.open_read(missing):
        pass
    with pytest.raises(ObjectNotFound):
        s3_storage.download_to(missing, tmp_path / "copy.mp4")


def test_delete_and_delete_prefix_are_idempotent_and_scoped(s3_storage: S3Storage, s3_endpoint_url: str) -> None:
    for key in ("videos/12/original.mp4", "videos/12/processed.mp4", "videos/123/original.mp4", "other.txt"):
        s3_storage.save_file(key, write_temp(s3_storage, b"v"), "video/mp4")

    s3_storage.delete("other.txt")
    s3_storage.delete("other.txt")
    s3_storage.delete_prefix("videos/12")
    s3_storage.delete_prefix("videos/12/")

    assert stored_keys(s3_endpoint_url, s3_storage.bucket) == {"videos/123/original.mp4"}
    with pytest.raises(InvalidKey):
        s3_storage.delete_prefix("")


def test_delete_prefix_pages_through_more_than_one_listing(
    s3_storage: S3Storage, s3_endpoint_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Real folders exceed the 1000-key DeleteObjects batch only with thousands of objects; a tiny
    # batch drives the same listing and batching code in milliseconds.
    monkeypatch.setattr(s3_module, "_DELETE_BATCH", 2)
    client = raw_client(s3_endpoint_url)
    for index in range(5):
        client.put_object(Bucket=s3_storage.bucket, Key=f"videos/7/hls/{index}.ts", Body=b"")
    s3_storage.delete_prefix("videos/7")
    assert stored_keys(s3_endpoint_url, s3_storage.bucket) == set()


def test_key_prefix_isolates_the_application(s3_endpoint_url: str, tmp_path: Path) -> None:
    storage = s3_storage_at(s3_endpoint_url, f"anb-test-{uuid.uuid4().hex[:12]}", tmp_path, prefix="anb")
    storage.ensure_bucket()
    storage.save_file(KEY, write_temp(storage, b"v"), "video/mp4")
    assert stored_keys(s3_endpoint_url, storage.bucket) == {f"anb/{KEY}"}
    assert storage.exists(KEY)
    storage.delete_prefix("videos/12")
    assert stored_keys(s3_endpoint_url, storage.bucket) == set()


def test_presigned_url_plays_with_range_requests(s3_storage: S3Storage) -> None:
    data = os.urandom(4096)
    s3_storage.save_file(KEY, write_temp(s3_storage, data), "video/mp4")
    url = s3_storage.url(KEY, expires_in=300, filename="Mi jugada ñ.mp4")

    full = httpx.get(url)
    partial = httpx.get(url, headers={"Range": "bytes=100-199"})

    assert full.status_code == 200 and full.content == data
    assert full.headers["content-type"] == "video/mp4"
    disposition = full.headers["content-disposition"]
    assert disposition.startswith('inline; filename="Mi jugada n.mp4"')
    assert "filename*=UTF-8''Mi%20jugada%20%C3%B1.mp4" in disposition
    assert partial.status_code == 206
    assert partial.content == data[100:200]
    assert partial.headers["content-range"] == f"bytes 100-199/{len(data)}"


def test_presigned_url_is_signed_for_the_public_endpoint(s3_storage: S3Storage, s3_endpoint_url: str) -> None:
    public = s3_endpoint_url.replace("127.0.0.1", "localhost")
    storage = s3_storage_at(s3_endpoint_url, s3_storage.bucket, s3_storage.temp_dir, public_endpoint_url=public)
    storage.save_file(KEY, write_temp(storage, b"clip"), "video/mp4")

    url = storage.url(KEY, expires_in=60)

    assert url.startswith(f"{public}/{storage.bucket}/{KEY}?")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=60" in url
    assert httpx.get(url).content == b"clip"


def test_check_passes_when_the_bucket_answers(s3_storage: S3Storage) -> None:
    s3_storage.check()


def test_check_fails_for_a_missing_bucket(s3_endpoint_url: str, tmp_path: Path) -> None:
    with pytest.raises(StorageUnavailable):
        s3_storage_at(s3_endpoint_url, "anb-test-never-created", tmp_path).check()


def test_check_fails_fast_on_a_closed_port(tmp_path: Path) -> None:
    storage = s3_storage_at(f"http://127.0.0.1:{free_port()}", "anb-test", tmp_path)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        storage.check()
    assert time.monotonic() - started < 5


def test_a_stopped_server_is_reported_unavailable(tmp_path: Path) -> None:
    with run_s3_server() as endpoint_url:
        storage = s3_storage_at(endpoint_url, "anb-test-stopped", tmp_path)
        storage.ensure_bucket()
        storage.check()
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        storage.check()
    assert time.monotonic() - started < 5
    with pytest.raises(StorageUnavailable):
        storage.size(KEY)
    with pytest.raises(StorageUnavailable):  # the requests signed and sent without boto3 too
        storage.start_multipart(KEY, "video/mp4")
    with pytest.raises(StorageUnavailable):
        storage.open_ranged(KEY)
    with pytest.raises(StorageUnavailable):
        storage.save_file(KEY, write_temp(storage, b"v"), "video/mp4")
    assert list(storage.temp_dir.iterdir()), "a failed save leaves the local file for the caller"


def test_credentials_come_in_pairs(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        S3Storage("bucket", access_key="only-one", temp_dir=tmp_path)


def _put_parts(storage: S3Storage, upload_id: str, parts: list[bytes]) -> list[StoredPart]:
    """PUT each part to its presigned URL as a browser does; the ETags are S3's answers."""
    sent = []
    for number, data in enumerate(parts, start=1):
        answer = httpx.put(storage.part_url(KEY, upload_id, number, len(data), 300), content=data)
        assert answer.status_code == 200, answer.text
        sent.append(StoredPart(number, len(data), answer.headers["ETag"]))
    return sent


def test_multipart_upload_joins_the_parts_named_with_their_etags(s3_endpoint_url: str, tmp_path: Path) -> None:
    bucket = f"anb-test-{uuid.uuid4().hex[:12]}"
    storage = s3_storage_at(s3_endpoint_url, bucket, tmp_path, prefix="app")
    storage.ensure_bucket()
    parts = [os.urandom(5 * MiB), os.urandom(1234)]
    upload_id = storage.start_multipart(KEY, "video/mp4")
    sent = _put_parts(storage, upload_id, parts)
    assert storage.multipart_parts(KEY, upload_id) == sent

    storage.complete_multipart(KEY, upload_id, sent)

    with storage.open_read(KEY) as stored:
        assert stored.read() == b"".join(parts)
    assert stored_keys(s3_endpoint_url, bucket) == {f"app/{KEY}"}, "under the application's prefix"
    head = raw_client(s3_endpoint_url).head_object(Bucket=bucket, Key=f"app/{KEY}")
    assert head["ContentType"] == "video/mp4"
    storage.complete_multipart(KEY, upload_id, sent)  # S3 accepts a completion again
    with pytest.raises(ObjectNotFound):
        storage.multipart_parts(KEY, upload_id)  # but the upload is no longer open


def test_a_completion_naming_a_part_s3_does_not_hold_is_refused_and_the_upload_stays_open(
    s3_storage: S3Storage,
) -> None:
    upload_id = s3_storage.start_multipart(KEY, "video/mp4")
    sent = _put_parts(s3_storage, upload_id, [os.urandom(5 * MiB), b"last"])
    forged = [sent[0], StoredPart(2, 4, '"' + hashlib.md5(b"other").hexdigest() + '"')]  # noqa: S324 - an ETag's shape

    for wrong in (forged, [*sent, StoredPart(3, 4, sent[1].etag)]):
        with pytest.raises(PartsRejected):
            s3_storage.complete_multipart(KEY, upload_id, wrong)

    assert not s3_storage.exists(KEY)
    s3_storage.complete_multipart(KEY, upload_id, sent)
    assert s3_storage.size(KEY) == 5 * MiB + 4


def test_ranged_reader_learns_the_size_from_its_first_read_and_fetches_what_is_read(s3_storage: S3Storage) -> None:
    data = os.urandom(3 * s3_module._READ_AHEAD + 77)
    s3_storage.save_file(KEY, write_temp(s3_storage, data), "video/mp4")

    with s3_storage.open_ranged(KEY) as reader:
        assert reader.size == len(data) and reader.requests == 1
        assert reader.read(1000) == data[:1000] and reader.requests == 1, "served from the first read"
        reader.seek(-50, os.SEEK_END)
        assert reader.read() == data[-50:] and reader.requests == 2
        reader.seek(s3_module._READ_AHEAD - 10)
        assert reader.read(20) == data[s3_module._READ_AHEAD - 10 : s3_module._READ_AHEAD + 10]
        assert reader.requests == 3
    with pytest.raises(ObjectNotFound):
        s3_storage.open_ranged("videos/13/original.mp4")


def test_the_requests_signed_without_boto3_pass_a_server_that_checks_signatures(tmp_path: Path) -> None:
    """The test server checks SigV4 signatures once its first requests are spent (its readiness probe
    and the three that make an IAM user with S3 rights): a direct upload's requests, signed by
    botocore's signer and sent by urllib3, must pass, and the same requests with a wrong secret not."""
    with run_s3_server({"INITIAL_NO_AUTH_ACTION_COUNT": "4"}) as endpoint_url:
        iam = boto3.client(
            "iam", endpoint_url=endpoint_url, region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY,
        )  # fmt: skip
        iam.create_user(UserName="anb")
        everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
        iam.put_user_policy(UserName="anb", PolicyName="s3", PolicyDocument=json.dumps(everything))
        key = iam.create_access_key(UserName="anb")["AccessKey"]

        def storage(secret: str) -> S3Storage:
            return S3Storage(
                "anb-signed", region=S3_REGION, endpoint_url=endpoint_url,
                access_key=key["AccessKeyId"], secret_key=secret, temp_dir=tmp_path,
            )  # fmt: skip

        signed = storage(key["SecretAccessKey"])
        signed.ensure_bucket()
        upload_id = signed.start_multipart(KEY, "video/mp4")
        data = os.urandom(3000)
        # Presigned URLs are not checked by this server; the part goes through boto3 here.
        etag = signed._client.upload_part(Bucket="anb-signed", Key=KEY, UploadId=upload_id, PartNumber=1, Body=data)
        signed.complete_multipart(KEY, upload_id, [StoredPart(1, len(data), etag["ETag"])])
        with signed.open_ranged(KEY) as reader:
            assert reader.size == len(data) and reader.read() == data

        forged = storage("not-the-secret")
        for request in (lambda: forged.start_multipart(KEY, "video/mp4"), lambda: forged.open_ranged(KEY)):
            with pytest.raises(StorageError, match="SignatureDoesNotMatch"):
                request()


@pytest.mark.parametrize("public", [False, True])
def test_part_urls_are_the_ones_boto3_signs(
    public: bool, s3_endpoint_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Part URLs are signed without boto3's client; at the same instant, boto3's presigner signs the
    very same URL (same endpoint, same signed Content-Length, same signature)."""
    options = {"public_endpoint_url": s3_endpoint_url.replace("127.0.0.1", "localhost")} if public else {}
    storage = s3_storage_at(s3_endpoint_url, "anb-test-urls", tmp_path, prefix="app", **options)
    instant = datetime.datetime(2026, 12, 7, 1, 2, 3, tzinfo=datetime.UTC)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: instant)

    ours = urlsplit(storage.part_url(KEY, "upload.id~1", 7, 8 * MiB, 3600))
    theirs = urlsplit(
        storage._presigner.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": "anb-test-urls", "Key": f"app/{KEY}", "UploadId": "upload.id~1",
                "PartNumber": 7, "ContentLength": 8 * MiB,
            },
            ExpiresIn=3600,
        )
    )  # fmt: skip

    assert (ours.scheme, ours.netloc, ours.path) == (theirs.scheme, theirs.netloc, theirs.path)
    assert ours.netloc.startswith("localhost" if public else "127.0.0.1")
    assert parse_qs(ours.query) == parse_qs(theirs.query)
    assert parse_qs(ours.query)["X-Amz-SignedHeaders"] == ["content-length;host"]
