"""/api/public/gallery, /players, /players/{id} and /my-votes, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from anb.videos.models import Video, VideoStatus
from tests.support.accounts import bearer
from tests.support.voting_rows import make_player, make_video, seconds_ago, set_player_votes, unique_city

INVALID = {"detail": "Parámetro inválido en la consulta.", "code": "invalid_query"}


async def _vote(client: httpx.AsyncClient, video_id: str, headers: dict[str, str]) -> None:
    answer = await client.post(f"/api/public/videos/{video_id}/vote", headers=headers)
    assert answer.status_code == 200, answer.text


async def test_gallery_items_carry_player_duration_and_page(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    ana = await make_player(app, "Ana", "Pérez", city)
    video_id = await make_video(app, ana, "Triple")
    await make_video(app, ana, "Pendiente", status=VideoStatus.PROCESSING)

    [item] = (await client.get("/api/public/gallery", params={"city": city})).json()
    assert item["video_id"] == video_id
    assert item["player_id"] == str(ana.id)
    assert item["username"] == "Ana Pérez"
    assert item["city"] == city
    # A 21 s clip is published whole between two 2.5 s curtains.
    assert item["duration_seconds"] == 26.0
    assert item["page_url"] == f"/videos/{video_id}"
    assert item["published_at"].endswith("Z")
    assert item["poster_url"] and item["processed_url"]
    detail = (await client.get(f"/api/public/gallery/{video_id}")).json()
    assert detail == item


async def test_long_clips_are_published_cut_to_thirty_seconds(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    video_id = await make_video(app, await make_player(app, city=city))
    async with app.state.anb.sessions() as db:
        await db.execute(update(Video).where(Video.id == uuid.UUID(video_id)).values(duration_seconds=58.3))
        await db.commit()
    [item] = (await client.get("/api/public/gallery", params={"city": city})).json()
    assert item["duration_seconds"] == 35.0


@pytest.mark.parametrize("search", ["ana pé", "PÉREZ", "  ana   pérez ", "ana", "perez", "ANA PEREZ", "ánà"])
async def test_search_by_player_name(client: httpx.AsyncClient, app: FastAPI, search: str) -> None:
    city = unique_city()
    ana = await make_player(app, "Ana", "Pérez", city)
    luis = await make_player(app, "Luis", "Gómez", city)
    wanted = await make_video(app, ana)
    await make_video(app, luis)
    answer = await client.get("/api/public/gallery", params={"city": city, "q": search})
    assert [item["video_id"] for item in answer.json()] == [wanted]


async def test_search_wildcards_are_literal(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    await make_video(app, await make_player(app, "Ana", "Pérez", city))
    for search in ("%", "_", "\\"):
        answer = await client.get("/api/public/gallery", params={"city": city, "q": search})
        assert answer.json() == []


async def test_gallery_sorts_and_pages(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    ana = await make_player(app, city=city)
    old = await make_video(app, ana, "Viejo", processed_at=seconds_ago(60))
    new = await make_video(app, ana, "Nuevo", processed_at=seconds_ago(1))
    voter = await make_player(app, "Votante", "Uno", unique_city())
    await _vote(client, old, voter.headers)

    newest = await client.get("/api/public/gallery", params={"city": city})
    assert [item["video_id"] for item in newest.json()] == [new, old]
    voted = await client.get("/api/public/gallery", params={"city": city, "sort": "votes"})
    assert [item["video_id"] for item in voted.json()] == [old, new]
    second = await client.get("/api/public/gallery", params={"city": city, "limit": 1, "offset": 1})
    assert [item["video_id"] for item in second.json()] == [old]


@pytest.mark.parametrize(
    "params",
    [{"sort": "oldest"}, {"limit": "0"}, {"offset": "-1"}, {"q": "x" * 101}, [("q", "a"), ("q", "b")]],
)
async def test_gallery_refuses_bad_queries(client: httpx.AsyncClient, params: object) -> None:
    answer = await client.get("/api/public/gallery", params=params)  # type: ignore[arg-type]
    assert (answer.status_code, answer.json()) == (400, INVALID)


@pytest.mark.parametrize("video_id", ["99999", "no-es-un-id", str(uuid.uuid4())])
async def test_unknown_video_is_404(client: httpx.AsyncClient, video_id: str) -> None:
    answer = await client.get(f"/api/public/gallery/{video_id}")
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Video no encontrado."


async def test_namesakes_get_distinct_display_names(client: httpx.AsyncClient, app: FastAPI) -> None:
    last = f"Doe{uuid.uuid4().hex[:6]}"
    cali, bogota = unique_city("Cali"), unique_city("Bogotá")
    first = await make_player(app, "John", last, cali, created_at=seconds_ago(30))
    second = await make_player(app, "John", last, cali, created_at=seconds_ago(20))
    third = await make_player(app, "John", last, bogota, created_at=seconds_ago(10))
    never_published = await make_player(app, "John", last, unique_city())
    alone = await make_player(app, "Jane", last, cali)
    for player in (first, second, third, alone):
        await make_video(app, player)
    await make_video(app, never_published, status=VideoStatus.FAILED)

    items = (await client.get("/api/public/gallery", params={"q": last, "limit": 100})).json()
    names = {item["player_id"]: item["player_name"] for item in items}
    assert names == {
        str(first.id): f"John {last} ({cali})",
        str(second.id): f"John {last} ({cali}, 2)",
        str(third.id): f"John {last} ({bogota})",
        str(alone.id): f"Jane {last}",
    }
    assert {item["username"] for item in items} == {f"John {last}", f"Jane {last}"}


async def test_player_profile(client: httpx.AsyncClient, app: FastAPI) -> None:
    # Names of their own: the database is shared by the session's tests, namesakes would get a city.
    city, last = unique_city(), f"Pérez {uuid.uuid4().hex[:6]}"
    leader = await make_player(app, "Lía", last, city, created_at=seconds_ago(30))
    ana = await make_player(app, "Ana", last, city, created_at=seconds_ago(20))
    old = await make_video(app, ana, "Primero", processed_at=seconds_ago(60))
    new = await make_video(app, ana, "Segundo", processed_at=seconds_ago(1))
    await make_video(app, ana, "Falló", status=VideoStatus.FAILED)
    await make_video(app, leader)
    await set_player_votes(app, leader, 5)
    for voter_name in ("Uno", "Dos"):
        voter = await make_player(app, "Votante", voter_name, unique_city())
        await _vote(client, old, voter.headers)

    profile = (await client.get(f"/api/public/players/{ana.id}")).json()
    assert profile["player_id"] == str(ana.id)
    assert (profile["username"], profile["player_name"], profile["city"]) == (f"Ana {last}", f"Ana {last}", city)
    assert profile["votes"] == 2
    assert profile["city_rank"] == 2
    assert profile["page_url"] == f"/players/{ana.id}"
    assert [video["video_id"] for video in profile["videos"]] == [new, old]
    assert [video["votes"] for video in profile["videos"]] == [0, 2]

    leader_profile = (await client.get(f"/api/public/players/{leader.id}")).json()
    assert leader_profile["city_rank"] == 1


async def test_city_rank_ties_follow_the_rankings_order(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    players = [await make_player(app, "Par", str(n), city, created_at=seconds_ago(50 - n)) for n in range(3)]
    for player in players:
        await make_video(app, player)
        await set_player_votes(app, player, 3)
    ranking = (await client.get("/api/public/rankings", params={"city": city})).json()
    for player in players:
        profile = (await client.get(f"/api/public/players/{player.id}")).json()
        assert ranking[profile["city_rank"] - 1]["username"] == profile["username"]


async def test_player_without_votes_has_no_rank(client: httpx.AsyncClient, app: FastAPI) -> None:
    ana = await make_player(app, city=unique_city())
    await make_video(app, ana)
    assert (await client.get(f"/api/public/players/{ana.id}")).json()["city_rank"] is None


@pytest.mark.parametrize("kind", ["unknown", "not-a-uuid", "unpublished"])
async def test_unknown_player_is_404(client: httpx.AsyncClient, app: FastAPI, kind: str) -> None:
    player_id = {"unknown": str(uuid.uuid4()), "not-a-uuid": "99999"}.get(kind)
    if player_id is None:
        unpublished = await make_player(app, city=unique_city())
        await make_video(app, unpublished, status=VideoStatus.UPLOADED)
        player_id = str(unpublished.id)
    answer = await client.get(f"/api/public/players/{player_id}")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Jugador no encontrado.", "code": "player_not_found"}


async def test_players_ranking_matches_the_contract_rankings(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    for n, votes in enumerate((1, 4, 2)):
        player = await make_player(app, "Jugador", str(n), city)
        await make_video(app, player)
        await set_player_votes(app, player, votes)
    params = {"city": city, "limit": 2, "page": 1}
    contract = await client.get("/api/public/rankings", params=params)
    ours = await client.get("/api/public/players", params=params)
    assert ours.headers["X-Total-Count"] == contract.headers["X-Total-Count"] == "3"
    assert [(p["position"], p["username"], p["city"], p["votes"]) for p in ours.json()] == [
        (p["position"], p["username"], p["city"], p["votes"]) for p in contract.json()
    ]
    assert all(uuid.UUID(p["player_id"]) for p in ours.json())
    bad = await client.get("/api/public/players", params={"from": 3, "to": 1})
    assert (bad.status_code, bad.json()) == (400, INVALID)


async def test_my_votes_lists_the_callers_votes_only(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await make_player(app, city=unique_city())
    videos = [await make_video(app, owner, title) for title in ("uno", "dos", "tres")]
    me = await make_player(app, "Yo", "Mismo", unique_city())
    someone = await make_player(app, "Otra", "Persona", unique_city())
    assert (await client.get("/api/public/my-votes", headers=me.headers)).json() == {"video_ids": []}
    await _vote(client, videos[0], me.headers)
    await _vote(client, videos[2], me.headers)
    await _vote(client, videos[1], someone.headers)
    mine = await client.get("/api/public/my-votes", headers=me.headers)
    assert mine.status_code == 200
    assert mine.json() == {"video_ids": [videos[0], videos[2]]}


@pytest.mark.parametrize("headers", [{}, bearer("no-es-un-token")])
async def test_my_votes_needs_a_token(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    answer = await client.get("/api/public/my-votes", headers=headers)
    assert answer.status_code == 401
