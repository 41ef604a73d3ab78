"""GET /api/public/rankings and /api/public/cities: order, ties, namesakes, city filter, windows, 400s."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anb.config import DatabaseSettings, Settings, VotingSettings
from anb.videos.models import VideoStatus
from tests.support.in_process import app_client
from tests.support.voting_rows import Player, make_player, make_video, seconds_ago, set_player_votes, unique_city

INVALID = {"detail": "Parámetro inválido en la consulta.", "code": "invalid_query"}


async def _ranking(client: httpx.AsyncClient, **params: object) -> tuple[list[dict[str, object]], int]:
    answer = await client.get("/api/public/rankings", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json(), int(answer.headers["X-Total-Count"])


async def _ranked_city(app: FastAPI, votes: list[int], city: str | None = None) -> tuple[str, list[Player]]:
    """Players of one new city with these vote totals, created oldest first."""
    city = city or unique_city()
    players = []
    for n, count in enumerate(votes):
        player = await make_player(app, f"Jugador{n}", "Prueba", city, created_at=seconds_ago(1000 - n))
        await set_player_votes(app, player, count)
        players.append(player)
    return city, players


async def test_players_ranked_by_votes_with_exactly_four_keys(client: httpx.AsyncClient, app: FastAPI) -> None:
    city, _ = await _ranked_city(app, [3, 9, 5])
    ranking, total = await _ranking(client, city=city)
    assert total == 3
    assert ranking == [
        {"position": 1, "username": "Jugador1 Prueba", "city": city, "votes": 9},
        {"position": 2, "username": "Jugador2 Prueba", "city": city, "votes": 5},
        {"position": 3, "username": "Jugador0 Prueba", "city": city, "votes": 3},
    ]


async def test_players_without_votes_are_left_out(client: httpx.AsyncClient, app: FastAPI) -> None:
    city, _ = await _ranked_city(app, [0, 2, 0])
    ranking, total = await _ranking(client, city=city)
    assert [entry["votes"] for entry in ranking] == [2] and total == 1


async def test_ties_go_to_the_earliest_account_then_the_id(client: httpx.AsyncClient, app: FastAPI) -> None:
    city, _ = await _ranked_city(app, [4, 4, 7, 4])
    ranking, _ = await _ranking(client, city=city)
    assert [entry["username"] for entry in ranking] == [
        "Jugador2 Prueba",
        "Jugador0 Prueba",
        "Jugador1 Prueba",
        "Jugador3 Prueba",
    ]
    assert [entry["position"] for entry in ranking] == [1, 2, 3, 4]
    # Same votes and the same creation instant: the user id decides, the same way every time.
    created = seconds_ago(50)
    twins = [await make_player(app, "Gemelo", last, city, created_at=created) for last in ("Uno", "Dos")]
    for twin in twins:
        await set_player_votes(app, twin, 4)
    first, _ = await _ranking(client, city=city)
    assert first == (await _ranking(client, city=city))[0]
    assert [entry["username"] for entry in first[4:]] == [twin.username for twin in sorted(twins, key=lambda t: t.id)]


async def test_namesakes_stay_two_players(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    for votes in (5, 2):
        player = await make_player(app, "Ana", "Pérez", city)
        video_id = await make_video(app, player)
        for _ in range(votes):
            voter = await make_player(app)
            assert (await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)).status_code == 200
    ranking, total = await _ranking(client, city=city)
    assert [(entry["username"], entry["votes"]) for entry in ranking] == [("Ana Pérez", 5), ("Ana Pérez", 2)]
    assert total == 2


@pytest.mark.parametrize("spelling", ["bogota", "BOGOTA", "Bogotá", "  bogotá  ", "BOGOTÁ"])
async def test_city_filter_ignores_case_and_accents(client: httpx.AsyncClient, app: FastAPI, spelling: str) -> None:
    suffix = uuid.uuid4().hex[:8]
    await _ranked_city(app, [1], f"Bogotá {suffix}")
    await _ranked_city(app, [2], f"Medellín {suffix}")
    ranking, total = await _ranking(client, city=f"{spelling.strip()} {suffix}")
    assert [entry["city"] for entry in ranking] == [f"Bogotá {suffix}"] and total == 1


async def test_votes_reach_the_ranking_through_published_videos(client: httpx.AsyncClient, app: FastAPI) -> None:
    city = unique_city()
    player = await make_player(app, "Sofía", "Gómez", city)
    videos = [await make_video(app, player) for _ in range(2)]
    for video_id in videos:
        voter = await make_player(app)
        await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)
    ranking, _ = await _ranking(client, city=city)
    assert ranking == [{"position": 1, "username": "Sofía Gómez", "city": city, "votes": 2}]


@pytest.mark.parametrize(
    ("params", "positions"),
    [
        ({}, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ({"limit": 3}, [1, 2, 3]),
        ({"limit": 3, "offset": 4}, [5, 6, 7]),
        ({"page": 2, "limit": 5}, [6, 7, 8, 9, 10]),
        ({"page": 2}, [11, 12]),
        ({"from": 4, "to": 6}, [4, 5, 6]),
        ({"from": 12, "to": 20}, [12]),
        ({"offset": 12}, []),
        ({"page": 9}, []),
    ],
)
async def test_windows(client: httpx.AsyncClient, app: FastAPI, params: dict[str, int], positions: list[int]) -> None:
    city, _ = await _ranked_city(app, list(range(12, 0, -1)))
    ranking, total = await _ranking(client, city=city, **params)
    assert [entry["position"] for entry in ranking] == positions
    assert [entry["votes"] for entry in ranking] == [13 - position for position in positions]
    assert total == 12


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=abc",
        "limit=",
        "limit=1e2",
        "offset=-1",
        "offset=1.0",
        "offset=99999999999",
        "page=0",
        "page=-2",
        "page=x",
        "page=2&offset=3",
        "page=99999999999",
        "page=2147483647&limit=100",
        "from=5&to=4",
        "from=0&to=3",
        "from=1",
        "to=3",
        "from=a&to=b",
        "from=1&to=101",
        "from=1&to=3&limit=3",
        "from=1&to=3&page=1",
        "from=1&to=3&offset=0",
        "limit=5&limit=6",
        "city=cali&city=bogota",
    ],
)
async def test_invalid_parameters_answer_400_with_the_contract_message(client: httpx.AsyncClient, query: str) -> None:
    answer = await client.get(f"/api/public/rankings?{query}")
    assert answer.status_code == 400
    assert answer.json() == INVALID


async def test_global_ranking_on_an_empty_and_a_filled_database(fresh_database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )
    async with app_client(settings) as (app, client):
        assert await _ranking(client) == ([], 0)
        await _ranked_city(app, [1, 3], "Cali")
        await _ranked_city(app, [2, 0], "Bogotá")
        ranking, total = await _ranking(client)
        assert [(entry["city"], entry["votes"]) for entry in ranking] == [("Cali", 3), ("Bogotá", 2), ("Cali", 1)]
        assert total == 3
        ranking, total = await _ranking(client, city="")
        assert total == 3


async def test_cities_with_published_videos(fresh_database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )
    async with app_client(settings) as (app, client):
        for city in ("Bogotá", "bogota", "Bogotá", "Medellín"):
            await make_video(app, await make_player(app, city=city))
        await make_video(app, await make_player(app, city="Cali"), status=VideoStatus.UPLOADED)
        await make_player(app, city="Pasto")
        answer = await client.get("/api/public/cities")
        assert answer.status_code == 200
        assert answer.json() == [
            {"city": "Bogotá", "key": "bogota", "videos": 3},
            {"city": "Medellín", "key": "medellin", "videos": 1},
        ]


async def test_lists_are_cached_for_the_ttl(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=database_url),
        voting=VotingSettings(public_cache_ttl_seconds=60),
    )
    async with app_client(settings) as (app, client):
        city, [player] = await _ranked_city(app, [1])
        video_id = await make_video(app, player)
        before = (await _ranking(client, city=city), (await client.get(f"/api/public/videos?city={city}")).json())
        voter = await make_player(app)
        assert (await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)).status_code == 200
        after = (await _ranking(client, city=city), (await client.get(f"/api/public/videos?city={city}")).json())
        assert after == before
        # The detail is read fresh: a voter sees their vote at once.
        assert (await client.get(f"/api/public/videos/{video_id}")).json()["votes"] == 1
