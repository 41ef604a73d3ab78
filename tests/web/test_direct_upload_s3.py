"""The upload page's direct upload on S3 in a real browser: the parts go from the page to the bucket
(the S3-compatible test server) through their presigned URLs, and the completion names each part
with the ETag the bucket answered, read through the bucket's CORS rule as in production."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from anb.db.migrate import upgrade
from bench.harness.clips import pad_mp4
from bench.harness.processes import anb_serve
from bench.harness.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server, s3_settings
from tests.web.ui import choose_upload, log_in, new_player, sign_up

if TYPE_CHECKING:
    from mypy_boto3_s3.type_defs import CORSRuleTypeDef

pytestmark = pytest.mark.slow

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``anb serve`` storing on the S3-compatible test server, whose bucket has the CORS rule of
    deploy/terraform/modules/s3 (PUT from the site, ETag exposed)."""
    folder = tmp_path_factory.mktemp("web-s3")
    database = f"sqlite:///{folder / 'anb.sqlite3'}"
    upgrade(database)
    with run_s3_server() as endpoint:
        settings = s3_settings(database, folder / "data", endpoint)
        bucket = str(settings.storage.s3_bucket)
        _allow_the_site(endpoint, bucket)
        env = {
            "ANB_DATABASE__URL": database,
            "ANB_DATA_DIR": str(folder / "data"),
            "ANB_FFMPEG__PRESET": "ultrafast",
            "ANB_JOBS__CONCURRENCY": "1",
            "ANB_STORAGE__BACKEND": "s3",
            "ANB_STORAGE__S3_BUCKET": bucket,
            "ANB_STORAGE__S3_ENDPOINT_URL": endpoint,
            "ANB_STORAGE__S3_REGION": S3_REGION,
            "ANB_STORAGE__S3_ACCESS_KEY": S3_ACCESS_KEY,
            "ANB_STORAGE__S3_SECRET_KEY": S3_SECRET_KEY,
        }
        with anb_serve(env, folder / "serve.log", workers=1) as url:
            yield url


def _allow_the_site(endpoint: str, bucket: str) -> None:
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY, aws_secret_access_key=S3_SECRET_KEY,
    )  # fmt: skip
    rule: CORSRuleTypeDef = {
        "AllowedMethods": ["PUT"], "AllowedOrigins": ["*"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
    }  # fmt: skip
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [rule]})


@pytest.fixture(scope="module")
def large_clip(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pad_mp4(clips["good"], tmp_path_factory.mktemp("direct-s3") / "grande.mp4", 20 * MIB)


@pytest.fixture
def s3_page(browser: Browser, s3_service: str) -> Iterator[Page]:
    context = browser.new_context(base_url=s3_service, locale="es-CO")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_the_parts_go_to_the_bucket_and_the_completion_names_their_etags(s3_page: Page, large_clip: Path) -> None:
    player = new_player("Iván", "Mora", "Pasto")
    sign_up(s3_page, player)
    log_in(s3_page, player.email)
    puts: list[Request] = []
    completions: list[Request] = []
    s3_page.on("request", lambda request: puts.append(request) if request.method == "PUT" else None)
    s3_page.on("request", lambda r: completions.append(r) if r.url.endswith("/complete") else None)

    choose_upload(s3_page, f"Directo {uuid.uuid4().hex[:4]}", large_clip)

    expect(s3_page.get_by_role("status")).to_contain_text(
        "Video subido correctamente. Procesamiento en curso.", timeout=120_000
    )
    assert len(puts) == 3 and all("X-Amz-Signature=" in put.url for put in puts), "three parts, to the bucket"
    [completion] = completions
    parts = json.loads(completion.post_data or "{}")["parts"]
    etags = [str(put.response().header_value("etag")) for put in puts]  # type: ignore[union-attr]
    assert sorted(part["number"] for part in parts) == [1, 2, 3]
    assert sorted(part["etag"] for part in parts) == sorted(etags) and "None" not in etags
