"""The scan on a real database (SQLite and PostgreSQL): it flags, holds at once, leaves the
counters equal to the ledger, and raises nothing twice."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from anb.audit import AuditEntry
from anb.config import DatabaseSettings, IntegritySettings, Settings, VotingSettings
from anb.db.base import utcnow
from anb.integrity.models import Flag, FlagVote
from anb.integrity.rules import Finding, Ledger, LedgerVote, evaluate, hour_of
from anb.integrity.scan import load_ledger, scan
from anb.integrity.schemas import DecisionIn
from anb.integrity.service import decide
from anb.videos.models import Video
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


async def test_a_ring_still_voting_grows_its_open_flag(fresh_database_url: str, tmp_path: Path) -> None:
    """The sweeper scans every few minutes, so a scan may fall in the middle of a ring's votes:
    the later votes join the ring's open flag, and the operator sees one ring, not two."""
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=fresh_database_url))
    async with app_client(settings) as (application, _):
        target = await make_player(application, city="Cali")
        video_id = await make_video(application, target)
        ring = [await make_player(application) for _ in range(12)]
        sessions = application.state.anb.sessions
        for n, voter in enumerate(ring[:8]):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")
        async with sessions() as db:
            first = await scan(db, IntegritySettings())
            await db.commit()
        for n, voter in enumerate(ring[8:], start=8):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")
        async with sessions() as db:
            second = await scan(db, IntegritySettings())
            await db.commit()
            assert (first.flags, first.held, second.flags, second.held) == (1, 8, 1, 4)
            flag = (await db.scalars(select(Flag))).one()
            assert (flag.scope, flag.votes, flag.evidence["votes"], flag.evidence["held_now"]) == (
                "203.0.113.0/24",
                12,
                12,
                12,
            )
            assert {row.user_id for row in (await db.scalars(select(FlagVote))).all()} == {v.id for v in ring}
            reasons = set((await db.scalars(select(Vote.status_reason).where(Vote.status == "held"))).all())
            assert reasons == {f"prefix_cluster: flag {flag.id}"}
            holds = [e.detail for e in (await db.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()]
            assert [(h["flag"], h["votes"]) for h in holds] == [(str(flag.id), 8), (str(flag.id), 4)]
            # Once an operator decided the flag, a new cluster from that network is a new flag.
            flag.state = "confirmed"
            await db.commit()
        for n, voter in enumerate([await make_player(application) for _ in range(8)]):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 100}")
        async with sessions() as db:
            third = await scan(db, IntegritySettings())
            await db.commit()
            assert (third.flags, third.held) == (1, 8)
            assert len((await db.scalars(select(Flag))).all()) == 2
            assert await counter_differences(db) == []


async def test_a_flag_decided_while_a_scan_grows_it_keeps_no_undecided_vote(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """An operator confirms a ring's flag while a scan finds the ring's later votes: the scan waits
    for the decision and holds them under a new open flag, never under the decided one."""
    if fresh_database_url.startswith("sqlite"):
        # In WAL mode a transaction that read before another's write committed cannot write after
        # it (SQLITE_BUSY_SNAPSHOT): the later of the two fails and the scan runs again when next due.
        pytest.skip("SQLite fails one of two overlapping writing transactions instead of ordering them")
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=fresh_database_url))
    async with app_client(settings) as (application, _):
        target = await make_player(application, city="Cali")
        video_id = await make_video(application, target)
        ring = [await make_player(application) for _ in range(12)]
        operator = await make_player(application)
        sessions = application.state.anb.sessions
        for n, voter in enumerate(ring[:8]):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")
        async with sessions() as db:
            await scan(db, IntegritySettings())
            await db.commit()
            first = (await db.scalars(select(Flag))).one()
        for n, voter in enumerate(ring[8:], start=8):
            await vote_from(application, voter, video_id, f"203.0.113.{n + 1}")

        async def scan_alongside() -> None:
            async with sessions() as db:
                await scan(db, IntegritySettings())
                await db.commit()

        async with sessions() as deciding:
            assert await decide(deciding, operator.id, DecisionIn(action="confirm", flag_id=first.id)) == 8
            scanning = asyncio.create_task(scan_alongside())
            await asyncio.sleep(0.5)  # the scan reaches the flag and waits on the decision's lock
            await deciding.commit()
        await scanning
        async with sessions() as db:
            flags = {flag.id: flag for flag in (await db.scalars(select(Flag))).all()}
            assert len(flags) == 2 and flags[first.id].state == "confirmed"
            (second,) = (flag for flag in flags.values() if flag.id != first.id)
            assert (second.state, second.votes) == ("open", 4)
            flag_of = {row.user_id: row.flag_id for row in (await db.scalars(select(FlagVote))).all()}
            states = dict((await db.execute(select(Vote.user_id, Vote.status))).all())
            assert {flag_of[v.id] for v in ring[:8]} == {first.id} and {states[v.id] for v in ring[:8]} == {"void"}
            assert {flag_of[v.id] for v in ring[8:]} == {second.id} and {states[v.id] for v in ring[8:]} == {"held"}
            assert await counter_differences(db) == []


def every_scanned_vote(rows: list[Any], owners: set[uuid.UUID], since: datetime) -> list[LedgerVote]:
    """The oracle: every vote of the lookback with its voter's traits computed from all the rows."""
    players_of: defaultdict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for row in rows:
        players_of[row.user_id].add(row.owner_id)
    return [
        LedgerVote(
            video_id=row.video_id,
            voter_id=row.user_id,
            player_id=row.owner_id,
            created_at=row.created_at,
            client_prefix=row.client_prefix,
            agent_hash=row.agent_hash,
            voter_age_seconds=row.voter_age_seconds,
            voter_players=len(players_of[row.user_id]),
            voter_is_player=row.user_id in owners,
        )
        for row in rows
        if row.created_at >= since and row.status != "void"
    ]


def comparable(findings: list[Finding]) -> list[tuple[str, uuid.UUID, list[tuple[uuid.UUID, uuid.UUID]], str]]:
    return sorted((f.rule, f.player_id, sorted(f.votes), json.dumps(f.evidence, sort_keys=True)) for f in findings)


async def test_the_scan_reads_only_what_the_rules_examine_and_finds_the_same(
    fresh_database_url: str, tmp_path: Path
) -> None:
    """The scan reads new accounts' and traded votes one by one and counts the rest per hour; its
    findings equal the rules run over every vote of the lookback (the old, whole read)."""
    limits = IntegritySettings()
    random = Random(7)
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=fresh_database_url))
    async with app_client(settings) as (application, _):
        players = [await make_player(application, created_at=seconds_ago(300 * 86400)) for _ in range(10)]
        videos = {player.id: uuid.UUID(await make_video(application, player)) for player in players}
        crowd = [await make_player(application, created_at=seconds_ago(200 * 86400)) for _ in range(40)]
        recruits = [await make_player(application) for _ in range(50)]
        votes: list[Vote] = []

        def cast(voter: Player, player: Player, ago: float, age: int, prefix: str, status: str = "counted") -> None:
            votes.append(
                Vote(
                    video_id=videos[player.id],
                    user_id=voter.id,
                    created_at=seconds_ago(ago),
                    status=status,
                    client_prefix=prefix,
                    agent_hash=f"{random.randrange(5):032x}",
                    voter_age_seconds=age,
                )
            )

        # A burst of new accounts within one clock hour (thirty hours back, whatever the time now)
        # that no other vote shares: the site's baseline that hour is then known (zero).
        burst_hour = hour_of(utcnow() - timedelta(hours=30))
        for voter in crowd:  # organic: old accounts, a few players each, over the last two days
            for player in random.sample(players[3:], 3):
                ago = random.uniform(600, 47 * 3600)
                if hour_of(utcnow() - timedelta(seconds=ago)) == burst_hour:
                    ago += 3600
                cast(voter, player, ago, 200 * 86400, f"198.51.{random.randrange(99)}.0/24")
        for n, voter in enumerate(recruits[:10]):  # a ring from one network within minutes
            cast(voter, players[0], 3600 + 20 * n, 300, "203.0.113.0/24")
        for n, voter in enumerate(recruits[10:20]):  # single-purpose accounts, a slow drip
            cast(voter, players[1], 7200 + 1800 * n, 120, f"100.{n}.7.0/24")
        burst_at = (utcnow() - burst_hour - timedelta(minutes=10)).total_seconds()
        for n, voter in enumerate(recruits[20:50]):
            cast(voter, players[2], burst_at - n, 5000, f"172.{n}.0.0/24")
        for voter in players[4:9]:  # five players trading votes
            for player in players[4:9]:
                if player is not voter:
                    cast(voter, player, random.uniform(600, 3600), 300 * 86400, "192.0.2.0/24")
        cast(crowd[0], players[0], 49 * 3600, 200 * 86400, "198.51.1.0/24")  # before the lookback
        cast(crowd[1], players[0], 600, 200 * 86400, "198.51.2.0/24", status="void")
        async with application.state.anb.sessions() as db:
            db.add_all(votes)
            await db.commit()
            ledger = await load_ledger(db, limits)
            rows = (
                await db.execute(select(Vote.__table__, Video.owner_id).join(Video, Video.id == Vote.video_id))
            ).all()
            owners = set((await db.scalars(select(Video.owner_id))).all())
        whole = Ledger.of(every_scanned_vote(rows, owners, utcnow() - timedelta(seconds=limits.lookback_seconds)))
        findings = evaluate(ledger, limits)
        assert {f.rule for f in findings} == {
            "prefix_cluster",
            "single_purpose_accounts",
            "rate_spike",
            "vote_exchange",
        }
        assert comparable(findings) == comparable(evaluate(whole, limits))
        assert ledger.scanned == len(whole.votes) == len(votes) - 2
        # Only the new accounts' votes (50) and the traded ones (20) were read one by one.
        assert len(ledger.votes) == 70
