"""GET /api/public/videos and /api/public/videos/{id}: published videos only, city filter, order, paging."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from anb.videos.models import Video, VideoStatus
from tests.support.voting_rows import make_player, make_video, seconds_ago, unique_city

INVALID = {"detail": "Parámetro inválido en la consulta.", "code": "invalid_query"}


async def test_only_published_videos_are_listed_with_the_contract_keys(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    player = await make_player(app, "Ana", "Pérez", city)
    published = await make_video(app, player, "Publicado")
    for status in (VideoStatus.UPLOADED, VideoStatus.PROCESSING, VideoStatus.FAILED):
        await make_video(app, player, status.value, status=status)

    answer = await client.get("/api/public/videos", params={"city": city})
    assert answer.status_code == 200
    [item] = answer.json()
    assert item["video_id"] == published
    assert item["title"] == "Publicado"
    assert item["username"] == "Ana Pérez"
    assert item["city"] == city
    assert item["votes"] == 0
    assert item["uploaded_at"].endswith("Z")
    assert set(item) == {"video_id", "title", "username", "city", "votes", "processed_url", "poster_url", "uploaded_at"}
    assert "/videos/" in item["processed_url"] and "sig=" in item["processed_url"]


async def test_published_media_urls_are_playable(client: httpx.AsyncClient, app: FastAPI, tmp_path: Path) -> None:
    player = await make_player(app, city=unique_city())
    video_id = await make_video(app, player)
    media = tmp_path / "processed.mp4"
    media.write_bytes(b"\0" * 1000)
    app.state.anb.storage.save_file(f"videos/{video_id}/processed.mp4", media, "video/mp4")
    url = (await client.get(f"/api/public/videos/{video_id}")).json()["processed_url"]
    ranged = await client.get(url, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100


@pytest.mark.parametrize("spelling", ["bogota", "BOGOTÁ", "  Bogotá", "bogotá"])
async def test_city_filter_ignores_case_and_accents(client: httpx.AsyncClient, app: FastAPI, spelling: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    here = await make_player(app, city=f"Bogotá {suffix}")
    elsewhere = await make_player(app, city=f"Medellín {suffix}")
    mine = await make_video(app, here)
    await make_video(app, elsewhere)
    answer = await client.get("/api/public/videos", params={"city": f"{spelling} {suffix}"})
    assert [item["video_id"] for item in answer.json()] == [mine]


async def test_empty_city_means_no_filter(client: httpx.AsyncClient, app: FastAPI) -> None:
    first = await make_video(app, await make_player(app, city=unique_city()))
    second = await make_video(app, await make_player(app, city=unique_city("Cali")))
    listed = [item["video_id"] for item in (await client.get("/api/public/videos?city=&limit=100")).json()]
    assert {first, second} <= set(listed)


async def test_newest_first_by_default_and_paged(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    player = await make_player(app, city=city)
    ids = [await make_video(app, player, f"v{n}", processed_at=seconds_ago(100 - n)) for n in range(3)]
    listed = (await client.get("/api/public/videos", params={"city": city})).json()
    assert [item["video_id"] for item in listed] == ids[::-1]
    page = (await client.get("/api/public/videos", params={"city": city, "limit": 1, "offset": 1})).json()
    assert [item["video_id"] for item in page] == [ids[1]]
    beyond = await client.get("/api/public/videos", params={"city": city, "offset": 3})
    assert beyond.status_code == 200 and beyond.json() == []


async def test_sort_by_votes(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    owner = await make_player(app, city=city)
    quiet, popular = await make_video(app, owner, "quiet"), await make_video(app, owner, "popular")
    for _ in range(2):
        voter = await make_player(app)
        assert (await client.post(f"/api/public/videos/{popular}/vote", headers=voter.headers)).status_code == 200
    listed = (await client.get("/api/public/videos", params={"city": city, "sort": "votes"})).json()
    assert [(item["video_id"], item["votes"]) for item in listed] == [(popular, 2), (quiet, 0)]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=-1",
        "limit=abc",
        "limit=1.5",
        "limit=",
        "limit=%201",
        "offset=-1",
        "offset=x",
        "offset=99999999999",
        "sort=popular",
        "limit=1&limit=2",
        "city=a&city=b",
    ],
)
async def test_bad_query_answers_400_with_the_contract_message(client: httpx.AsyncClient, query: str) -> None:
    answer = await client.get(f"/api/public/videos?{query}")
    assert answer.status_code == 400
    assert answer.json() == INVALID


async def test_detail_of_a_published_video(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    video_id = await make_video(app, await make_player(app, "Luis", "Díaz", city), "Clavada")
    answer = await client.get(f"/api/public/videos/{video_id}")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["video_id"], body["title"], body["username"], body["city"], body["votes"]) == (
        video_id,
        "Clavada",
        "Luis Díaz",
        city,
        0,
    )


async def test_detail_is_404_for_unknown_and_unpublished(client: httpx.AsyncClient, app: FastAPI) -> None:
    pending = await make_video(app, await make_player(app), status=VideoStatus.UPLOADED)
    for video_id in (pending, str(uuid.uuid4()), "99999", "not-a-uuid"):
        answer = await client.get(f"/api/public/videos/{video_id}")
        assert answer.status_code == 404
        assert answer.json()["detail"] == "Video no encontrado."


async def test_a_published_row_without_files_is_listed_with_null_urls(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    video_id = await make_video(app, await make_player(app, city=city))
    async with app.state.anb.sessions() as db:
        await db.execute(
            update(Video).where(Video.id == uuid.UUID(video_id)).values(processed_key=None, poster_key=None)
        )
        await db.commit()
    [item] = (await client.get("/api/public/videos", params={"city": city})).json()
    assert (item["processed_url"], item["poster_url"]) == (None, None)
