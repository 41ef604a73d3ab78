"""CPU one S3 request of a direct upload costs the API: boto3's client as the storage configures it,
the same client tuned, or botocore's signer + urllib3 (anb/storage/s3_requests.py), against the
S3-compatible test server (docs/capacity.md).

    .venv/bin/python -m bench.s3_call_cpu [--calls 200] [--rounds 5]

Each request (start a multipart upload, complete a one-part upload, a 256 KB ranged GET) is sent
``--calls`` times each way in turn, for ``--rounds`` rounds; the CPU of this process
(``time.process_time``: the S3 server runs as its own process) per request is the median of the
rounds. Signing a part's upload URL (no request) is measured the same way.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

from anb.storage.s3 import S3Storage
from bench.harness.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp

if TYPE_CHECKING:
    from mypy_boto3_s3.client import S3Client

KEY = "videos/bench/original.mp4"
RANGE = 256 * 1024


def _per_call(call: Callable[[int], object], calls: int) -> float:
    """CPU milliseconds per call of ``call(i)`` for i in range(calls)."""
    started = time.process_time()
    for i in range(calls):
        call(i)
    return (time.process_time() - started) * 1000 / calls


def _tuned(storage: S3Storage) -> S3Client:
    """The storage's boto3 client with what its configuration can switch off: parameter validation,
    checksums unless an operation requires them."""
    config = storage._client.meta.config.merge(
        Config(
            parameter_validation=False,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
    )
    return boto3.client(
        "s3", endpoint_url=storage._client.meta.endpoint_url, region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY, config=config,
    )  # fmt: skip


def _requests(storage: S3Storage, calls: int) -> dict[str, dict[str, Callable[[int], object]]]:
    """Each request the three ways; completions get uploads with one part already sent."""
    clients = {"boto3": storage._client, "boto3 tuned": _tuned(storage)}
    signed, bucket = storage._signed, storage.bucket
    ways = [*clients, "signed"]
    uploads = {way: [_one_part_upload(storage) for _ in range(calls)] for way in ways}

    def boto3_complete(client: S3Client, upload: list[tuple[str, str]]) -> Callable[[int], object]:
        return lambda i: client.complete_multipart_upload(
            Bucket=bucket, Key=KEY, UploadId=upload[i][0],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": upload[i][1]}]},
        )  # fmt: skip

    def boto3_get(client: S3Client) -> Callable[[int], object]:
        return lambda _: client.get_object(Bucket=bucket, Key=KEY, Range=f"bytes=0-{RANGE - 1}")["Body"].read()

    def boto3_start(client: S3Client) -> Callable[[int], object]:
        return lambda _: client.create_multipart_upload(Bucket=bucket, Key=KEY, ContentType="video/mp4")

    def boto3_part_url(client: S3Client) -> Callable[[int], object]:
        return lambda i: client.generate_presigned_url(
            "upload_part",
            Params={
                "Bucket": bucket,
                "Key": KEY,
                "UploadId": "upload",
                "PartNumber": 1 + i % 100,
                "ContentLength": 8 << 20,
            },
            ExpiresIn=3600,
        )

    return {
        "start a multipart upload": {
            **{way: boto3_start(client) for way, client in clients.items()},
            "signed": lambda _: signed.create_multipart_upload(KEY, "video/mp4"),
        },
        "complete a one-part upload": {
            **{way: boto3_complete(client, uploads[way]) for way, client in clients.items()},
            "signed": lambda i: signed.complete_multipart_upload(
                KEY, uploads["signed"][i][0], [(1, uploads["signed"][i][1])]
            ),
        },
        "ranged GET of 256 KB": {
            **{way: boto3_get(client) for way, client in clients.items()},
            "signed": lambda _: signed.get_range(KEY, 0, RANGE),
        },
        "sign a part's upload URL (no request)": {
            **{way: boto3_part_url(client) for way, client in clients.items()},
            "signed": lambda i: signed.presign_part_upload(KEY, "upload", 1 + i % 100, 8 << 20, 3600),
        },
    }


def _one_part_upload(storage: S3Storage) -> tuple[str, str]:
    upload_id = storage.start_multipart(KEY, "video/mp4")
    etag = storage._client.upload_part(
        Bucket=storage.bucket, Key=KEY, UploadId=upload_id, PartNumber=1, Body=os.urandom(1024)
    )["ETag"]
    return upload_id, etag


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.s3_call_cpu", sys.argv[1:] if argv is None else argv)
    samples: dict[str, dict[str, list[float]]] = {}
    with run_s3_server() as endpoint:
        storage = S3Storage(
            f"anb-bench-{uuid.uuid4().hex[:8]}", region=S3_REGION, endpoint_url=endpoint,
            access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY, temp_dir=Path("/tmp/anb-bench-s3"),
        )  # fmt: skip
        storage.ensure_bucket()
        storage._client.put_object(Bucket=storage.bucket, Key=KEY, Body=os.urandom(4 * RANGE))
        for _ in range(args.rounds):
            for request, ways in _requests(storage, args.calls).items():
                for way, call in ways.items():
                    call(0)  # a warm connection, as in a running server
                    samples.setdefault(request, {}).setdefault(way, []).append(_per_call(call, args.calls))
    figures = {
        request: {way: round(statistics.median(values), 3) for way, values in rounds.items()}
        for request, rounds in samples.items()
    }
    for request, by_way in figures.items():
        print(f"{request}: " + ", ".join(f"{way} {ms:.2f} ms" for way, ms in by_way.items()))
    summary = {"cpu_ms_per_request_median": figures, "calls": args.calls, "rounds": args.rounds}
    write_summary("s3-call-cpu", stamp, summary, args.summary_dir)


if __name__ == "__main__":
    main()
