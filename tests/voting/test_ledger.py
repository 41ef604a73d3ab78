"""The vote ledger: each vote's origin, its states, counters that follow them, and the check."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings, VotingSettings
from anb.videos.models import Video
from anb.voting.ledger import VoteStatus, counter_differences, transition
from anb.voting.models import Vote
from bench.harness.processes import ANB
from tests.support.in_process import app_client
from tests.support.voting_rows import Player, make_player, make_video, seconds_ago


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )


def _from(application: FastAPI, address: str, agent: str = "Mozilla/5.0 (Android 14) Chrome/126") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", headers={"User-Agent": agent})


async def _vote(application: FastAPI, voter: Player, video_id: str, address: str = "198.51.100.23") -> httpx.Response:
    async with _from(application, address) as http:
        return await http.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)


async def _counters(application: FastAPI, video_id: str) -> tuple[int, int]:
    async with application.state.anb.sessions() as db:
        video = await db.get(Video, uuid.UUID(video_id))
        assert video is not None
        owner = await db.get(User, video.owner_id)
        assert owner is not None
        return video.vote_count, owner.vote_count


async def test_a_vote_keeps_its_origin_reduced_and_keyed(fresh_database_url: str, tmp_path: Path) -> None:
    async with app_client(_settings(fresh_database_url, tmp_path)) as (application, _):
        video_id = await make_video(application, await make_player(application))
        old, new = await make_player(application, created_at=seconds_ago(3600)), await make_player(application)
        assert (await _vote(application, old, video_id, "198.51.100.23")).status_code == 200
        assert (await _vote(application, new, video_id, "198.51.100.99")).status_code == 200
        async with application.state.anb.sessions() as db:
            rows = {row.user_id: row for row in (await db.scalars(select(Vote))).all()}
    first, second = rows[old.id], rows[new.id]
    assert (first.status, first.client_prefix, second.client_prefix) == (
        "counted",
        "198.51.100.0/24",
        "198.51.100.0/24",
    )
    # Same network, different addresses: one prefix, two hashes; one browser: one agent hash. No address is stored.
    assert first.client_hash and second.client_hash and first.client_hash != second.client_hash
    assert first.agent_hash == second.agent_hash and len(first.agent_hash or "") == 32
    assert "198.51.100.23" not in repr(first.__dict__)
    assert first.voter_age_seconds is not None and 3590 <= first.voter_age_seconds <= 3700
    assert second.voter_age_seconds is not None and 0 <= second.voter_age_seconds <= 60


async def test_states_move_the_counters_once_and_a_held_vote_stays_cast(
    fresh_database_url: str, tmp_path: Path
) -> None:
    async with app_client(_settings(fresh_database_url, tmp_path)) as (application, _):
        video_id = await make_video(application, await make_player(application))
        voters = [await make_player(application) for _ in range(3)]
        for voter in voters:
            assert (await _vote(application, voter, video_id)).status_code == 200
        key = (uuid.UUID(video_id), voters[0].id)
        sessions = application.state.anb.sessions

        async def move(source: VoteStatus, target: VoteStatus) -> int:
            async with sessions() as db:
                moved = await transition(db, [key], source, target, "test", "tester")
                await db.commit()
                assert await counter_differences(db) == []
            return len(moved)

        assert await move(VoteStatus.COUNTED, VoteStatus.HELD) == 1
        assert await _counters(application, video_id) == (2, 2)
        # Held twice: the second finds no counted vote and moves nothing.
        assert await move(VoteStatus.COUNTED, VoteStatus.HELD) == 0
        assert await _counters(application, video_id) == (2, 2)
        again = await _vote(application, voters[0], video_id)
        assert (again.status_code, again.json()["detail"]) == (400, "Ya has votado por este video.")
        assert await move(VoteStatus.HELD, VoteStatus.COUNTED) == 1
        assert await _counters(application, video_id) == (3, 3)
        assert await move(VoteStatus.COUNTED, VoteStatus.HELD) == 1
        assert await move(VoteStatus.HELD, VoteStatus.VOID) == 1
        assert await _counters(application, video_id) == (2, 2)
        async with sessions() as db:
            row = await db.get(Vote, key)
            assert row is not None and (row.status, row.decided_by, row.status_reason) == ("void", "tester", "test")


def test_the_check_command_fails_loudly_on_any_difference(fresh_database_url: str, tmp_path: Path) -> None:
    async def setup() -> str:
        async with app_client(_settings(fresh_database_url, tmp_path)) as (application, _):
            video_id = await make_video(application, await make_player(application))
            assert (await _vote(application, await make_player(application), video_id)).status_code == 200
            return video_id

    video_id = asyncio.run(setup())
    env = {**os.environ, "ANB_DATABASE__URL": fresh_database_url, "ANB_DATA_DIR": str(tmp_path / "data")}
    clean = subprocess.run([ANB, "votes", "check"], env=env, capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stderr

    async def corrupt() -> None:
        async with (
            app_client(_settings(fresh_database_url, tmp_path)) as (application, _),
            application.state.anb.sessions() as db,
        ):
            await db.execute(update(Video).where(Video.id == uuid.UUID(video_id)).values(vote_count=5))
            await db.commit()

    asyncio.run(corrupt())
    broken = subprocess.run([ANB, "votes", "check"], env=env, capture_output=True, text=True, check=False)
    assert broken.returncode == 1
    assert f"videos {video_id}: counter 5, ledger 1" in broken.stderr
