"""List, detail and delete of a player's own videos; ownership and unknown ids."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from anb.videos.models import Video, VideoStatus
from tests.support.accounts import bearer, signup_and_login
from tests.videos.test_upload import _stored_files, _upload


async def _player_with_video(client: httpx.AsyncClient, clip: Path) -> tuple[dict[str, str], str]:
    session = await signup_and_login(client)
    answer = await _upload(client, session["access_token"], clip)
    assert answer.status_code == 201, answer.text
    return session, answer.json()["video_id"]


async def test_list_is_newest_first_and_paged(client: httpx.AsyncClient, clips: dict[str, Path]) -> None:
    session = await signup_and_login(client)
    ids = []
    for title in ("uno", "dos", "tres"):
        ids.append((await _upload(client, session["access_token"], clips["good"], title=title)).json()["video_id"])
    headers = bearer(session["access_token"])
    listed = (await client.get("/api/videos", headers=headers)).json()
    assert [v["video_id"] for v in listed] == ids[::-1]
    assert set(listed[0]) >= {"video_id", "title", "status", "uploaded_at", "processed_at", "processed_url"}
    assert listed[0]["uploaded_at"].endswith("Z")
    page = (await client.get("/api/videos/?limit=1&offset=1", headers=headers)).json()
    assert [v["title"] for v in page] == ["dos"]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=abc"])
async def test_list_rejects_bad_paging(client: httpx.AsyncClient, query: str) -> None:
    session = await signup_and_login(client)
    answer = await client.get(f"/api/videos?{query}", headers=bearer(session["access_token"]))
    assert answer.status_code == 400


async def test_other_players_get_403_and_unknown_ids_404(client: httpx.AsyncClient, clips: dict[str, Path]) -> None:
    _, video_id = await _player_with_video(client, clips["good"])
    intruder = bearer((await signup_and_login(client))["access_token"])
    assert (await client.get(f"/api/videos/{video_id}", headers=intruder)).status_code == 403
    assert (await client.delete(f"/api/videos/{video_id}", headers=intruder)).status_code == 403
    for unknown in ("99999", "abc", str(uuid.uuid4())):
        assert (await client.get(f"/api/videos/{unknown}", headers=intruder)).status_code == 404
        assert (await client.delete(f"/api/videos/{unknown}", headers=intruder)).status_code == 404
    assert (await client.get(f"/api/videos/{video_id}")).status_code == 401


async def test_delete_removes_row_and_files(client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]) -> None:
    session, video_id = await _player_with_video(client, clips["good"])
    headers = bearer(session["access_token"])
    assert _stored_files(app)
    answer = await client.delete(f"/api/videos/{video_id}", headers=headers)
    assert answer.status_code == 200
    assert answer.json() == {"message": "El video ha sido eliminado exitosamente.", "video_id": video_id}
    assert (await client.get(f"/api/videos/{video_id}", headers=headers)).status_code == 404
    assert _stored_files(app) == []


async def test_published_video_cannot_be_deleted(
    client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]
) -> None:
    session, video_id = await _player_with_video(client, clips["good"])
    async with app.state.anb.sessions() as db:
        await db.execute(update(Video).where(Video.id == uuid.UUID(video_id)).values(status=VideoStatus.PROCESSED))
        await db.commit()
    answer = await client.delete(f"/api/videos/{video_id}", headers=bearer(session["access_token"]))
    assert answer.status_code == 400
    assert answer.json()["code"] == "video_published"
    assert _stored_files(app)


async def test_signed_media_urls_refuse_tampering(client: httpx.AsyncClient, clips: dict[str, Path]) -> None:
    session, video_id = await _player_with_video(client, clips["good"])
    url = (await client.get(f"/api/videos/{video_id}", headers=bearer(session["access_token"]))).json()["original_url"]
    ranged = await client.get(url, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100
    assert (await client.get(url.replace("sig=", "sig=x"))).status_code == 403
    other_key = url.replace("original.mp4", "poster.jpg")
    assert (await client.get(other_key)).status_code == 403
