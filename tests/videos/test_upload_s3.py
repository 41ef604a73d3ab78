"""The player-video routes on S3 storage (a real S3-compatible server on loopback)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.accounts import bearer, signup_and_login
from tests.videos.test_upload import _upload


async def test_upload_detail_presigned_range_and_delete_on_s3(
    s3_client: httpx.AsyncClient, clips: dict[str, Path]
) -> None:
    session = await signup_and_login(s3_client)
    headers = bearer(session["access_token"])
    created = await _upload(s3_client, session["access_token"], clips["good"])
    assert created.status_code == 201, created.text
    video_id = created.json()["video_id"]
    detail = (await s3_client.get(f"/api/videos/{video_id}", headers=headers)).json()
    url = detail["original_url"]
    assert "X-Amz-Signature" in url and "X-Amz-Expires" in url
    async with httpx.AsyncClient() as browser:
        ranged = await browser.get(url, headers={"Range": "bytes=100-199"})
        assert ranged.status_code == 206
        assert ranged.content == clips["good"].read_bytes()[100:200]
    storage = s3_client.app.state.anb.storage  # type: ignore[attr-defined]
    assert storage.exists(f"videos/{video_id}/original.mp4")
    assert (await s3_client.delete(f"/api/videos/{video_id}", headers=headers)).status_code == 200
    assert not storage.exists(f"videos/{video_id}/original.mp4")


async def test_rejected_upload_leaves_nothing_in_the_bucket(
    s3_client: httpx.AsyncClient, clips: dict[str, Path]
) -> None:
    session = await signup_and_login(s3_client)
    answer = await _upload(s3_client, session["access_token"], clips["truncated"])
    assert answer.status_code == 400
    storage = s3_client.app.state.anb.storage  # type: ignore[attr-defined]
    listed = storage._client.list_objects_v2(Bucket=storage.bucket)
    assert listed.get("KeyCount", 0) == 0
    assert not any(storage.temp_dir.iterdir())
