"""The scan on a real database (SQLite and PostgreSQL): it flags, holds at once, leaves the
counters equal to the ledger, and raises nothing twice."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from anb.audit import AuditEntry
from anb.config import DatabaseSettings, IntegritySettings, Settings, VotingSettings
from anb.integrity.models import Flag, FlagVote
from anb.integrity.scan import scan
from anb.voting.ledger import counter_differences
from anb.voting.models import Vote
from tests.support.in_process import app_client
from tests.support.voting_rows import Player, make_player, make_video, seconds_ago


async def vote_from(application: FastAPI, voter: Player, video_id: str, address: str) -> None:
    transport = httpx.ASGITransport(app=application, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.post(f"/api/public/videos/{video_id}/vote", headers=voter.headers)
        assert answer.status_code == 200, answer.text


async def test_a_ring_from_one_network_is_held_and_organic_votes_stay(fresh_database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )
    async with app_client(settings) as (application, http):
        target = await make_player(application, city="Cali")
        video_id = await make_video(application, target)
        organic = [await make_player(application, created_at=seconds_ago(90 * 86400)) for _ in range(5)]
        ring = [await make_player(application) for _ in range(10)]
        for n, voter in enumerate(organic):
            await vote_from(application, voter, video_id, f"198.51.{n}.7")
        for n, voter in enumerate(ring):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")
        sessions = application.state.anb.sessions
        async with sessions() as db:
            result = await scan(db, IntegritySettings())
            await db.commit()
            assert (result.flags, result.held) == (1, 10)
            flag = (await db.scalars(select(Flag))).one()
            assert (flag.rule, flag.player_id, flag.state, flag.votes) == ("prefix_cluster", target.id, "open", 10)
            assert flag.evidence["prefix"] == "203.0.113.0/24" and flag.evidence["votes"] == 10
            held = set((await db.scalars(select(Vote.user_id).where(Vote.status == "held"))).all())
            assert held == {voter.id for voter in ring}
            assert {row.user_id for row in (await db.scalars(select(FlagVote))).all()} == held
            assert await counter_differences(db) == []
            assert [(e.actor, e.action) for e in (await db.scalars(select(AuditEntry))).all()] == [("scan", "hold")]
            # A second scan finds the same cluster, all held already: no new flag.
            again = await scan(db, IntegritySettings())
            await db.commit()
            assert (again.flags, again.held) == (0, 0)
        # Held votes left the rankings at once (always-fresh lists in this test).
        rankings = (await http.get("/api/public/rankings", params={"city": "Cali"})).json()
        assert rankings[0]["votes"] == 5
        assert uuid.UUID(video_id)
