"""POST /api/public/videos/{id}/vote: one vote per user per video, counters, errors, rate limits."""

from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import delete, func, select

from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote
from tests.support.accounts import bearer, signup_and_login
from tests.support.in_process import app_client
from tests.support.voting_rows import make_player, make_video

VOTED = {"message": "Voto registrado exitosamente."}


async def _counts(app: FastAPI, video_id: str) -> tuple[int, int, int]:
    """(vote rows, the video's counter, its owner's counter)."""
    async with app.state.anb.sessions() as db:
        video = await db.get(Video, uuid.UUID(video_id))
        assert video is not None
        rows = await db.scalar(select(func.count()).select_from(Vote).where(Vote.video_id == video.id))
        owner_votes = await db.scalar(select(User.vote_count).where(User.id == video.owner_id))
        return int(rows or 0), video.vote_count, int(owner_votes or 0)


async def test_vote_is_counted_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    video_id = await make_video(app, await make_player(app))
    session = await signup_and_login(client)
    url = f"/api/public/videos/{video_id}/vote"

    first = await client.post(url, headers=bearer(session["access_token"]))
    assert (first.status_code, first.json()) == (200, VOTED)
    again = await client.post(url, headers=bearer(session["access_token"]))
    assert again.status_code == 400
    assert again.json() == {"detail": "Ya has votado por este video.", "code": "already_voted"}

    assert await _counts(app, video_id) == (1, 1, 1)
    assert (await client.get(f"/api/public/videos/{video_id}")).json()["votes"] == 1


async def test_votes_add_up_per_video_and_per_player(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await make_player(app)
    videos = [await make_video(app, owner) for _ in range(2)]
    voters = [await make_player(app) for _ in range(3)]
    for voter in voters:
        for video_id in videos:
            assert (await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)).json() == VOTED
    # A player may vote for their own video too: the rule is one vote per user per video.
    assert (await client.post(f"/api/public/videos/{videos[0]}/vote", headers=owner.headers)).status_code == 200
    assert await _counts(app, videos[0]) == (4, 4, 7)
    assert await _counts(app, videos[1]) == (3, 3, 7)


async def test_any_body_is_ignored(client: httpx.AsyncClient, app: FastAPI) -> None:
    video_id = await make_video(app, await make_player(app))
    voter = await make_player(app)
    answer = await client.post(
        f"/api/public/videos/{video_id}/vote",
        headers={**voter.headers, "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert answer.json() == VOTED


async def test_unknown_or_unpublished_videos_are_404_and_count_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    owner = await make_player(app)
    voter = await make_player(app)
    pending = await make_video(app, owner, status=VideoStatus.PROCESSING)
    for video_id in (pending, str(uuid.uuid4()), "99999", "not-a-uuid"):
        answer = await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Video no encontrado.", "code": "video_not_found"}
    assert await _counts(app, pending) == (0, 0, 0)


async def test_voting_needs_a_valid_access_token(client: httpx.AsyncClient, app: FastAPI) -> None:
    video_id = await make_video(app, await make_player(app))
    url = f"/api/public/videos/{video_id}/vote"
    session = await signup_and_login(client)
    for headers in ({}, bearer("garbage"), bearer(session["refresh_token"]), {"Authorization": "Basic eDp5"}):
        answer = await client.post(url, headers=headers)
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert await _counts(app, video_id) == (0, 0, 0)


async def test_deleting_a_video_row_removes_its_votes(client: httpx.AsyncClient, app: FastAPI) -> None:
    video_id = await make_video(app, await make_player(app))
    voter = await make_player(app)
    await client.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)
    async with app.state.anb.sessions() as db:
        await db.execute(delete(Video).where(Video.id == uuid.UUID(video_id)))
        await db.commit()
        assert await db.scalar(select(func.count()).select_from(Vote).where(Vote.user_id == voter.id)) == 0


def _limited(
    database_url: str, data_dir: Path, **limits: str
) -> AbstractAsyncContextManager[tuple[FastAPI, httpx.AsyncClient]]:
    """An application whose vote limits are ``limits`` (e.g. ``vote_per_user="2/minute"``)."""
    return app_client(Settings(data_dir=data_dir, database=DatabaseSettings(url=database_url), rate_limit=limits))  # type: ignore[arg-type]


async def test_votes_per_user_are_rate_limited(database_url: str, tmp_path: Path) -> None:
    async with _limited(database_url, tmp_path / "data", vote_per_user="2/minute") as (application, http):
        owner, voter, other = [await make_player(application) for _ in range(3)]
        videos = [await make_video(application, owner) for _ in range(3)]
        for video_id in videos[:2]:
            assert (await http.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)).status_code == 200
        refused = await http.post(f"/api/public/videos/{videos[2]}/vote", headers=voter.headers)
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 30
        # Another user is not affected; the refused vote counted nothing.
        assert (await http.post(f"/api/public/videos/{videos[2]}/vote", headers=other.headers)).status_code == 200
        assert await _counts(application, videos[2]) == (1, 1, 3)


async def test_votes_per_client_address_are_rate_limited(database_url: str, tmp_path: Path) -> None:
    async with _limited(database_url, tmp_path / "data", vote_per_address="3/hour") as (application, http):
        owner = await make_player(application)
        video_id = await make_video(application, owner)
        voters = [await make_player(application) for _ in range(4)]
        codes = [
            (await http.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)).status_code
            for voter in voters
        ]
        assert codes == [200, 200, 200, 429]
