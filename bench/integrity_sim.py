"""Does the vote scan hold the attacks that would change a city's top 5, and leave organic votes alone?

    .venv/bin/python -m bench.integrity_sim [--voters 4000] [--seed 7]

Against a real ``anb serve`` on a fresh PostgreSQL database: 100 players with a published video each
in 5 cities, an organic crowd (``--voters`` accounts of varied ages, addresses behind carrier NATs or
at home, browsers, evenings, favourites; players voting for each other) and four attacks
(bench/integrity_crowd.py). Every vote goes through ``POST /api/public/videos/{id}/vote`` with its
client address in ``X-Forwarded-For`` from a trusted proxy (loopback) and its browser's
``User-Agent``, so the server writes the ledger itself.

Time compression, the one device of this measure: a simulated day is cast in a minute or so, then
each vote's ``created_at`` and ``voter_age_seconds`` are set to its simulated moment (accounts are
created with their simulated ages), and ``anb votes scan`` runs once, as the sweeper would at the
end of that day. ``anb votes check`` must pass after it. Reported per attack: votes held (recall),
the share of held votes that were the attack's (precision), and how each target's city rank moved
(organic only → with the attack → after the scan); and the share of organic votes held. The
run's summary goes to docs/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import bindparam, insert, select, update

from anb.access_tokens.tokens import access_tokens_from_settings
from anb.accounts.models import User
from anb.accounts.normalize import city_key
from anb.config import DatabaseSettings, Settings
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.videos import file_layout
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote
from bench.harness.postgres import scratch_database
from bench.harness.processes import anb_serve_process
from bench.integrity_crowd import CITIES, Crowd, PlannedVote, city_ranking, plan
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp
from bench.voting_data import ANB

CONCURRENCY = 32


def _write_people(database_url: str, crowd: Crowd, now_real: Any, end: Any) -> dict[uuid.UUID, uuid.UUID]:
    """Accounts with their simulated creation times, a published video per player; player -> video."""
    first_vote: dict[uuid.UUID, float] = {}
    for vote in crowd.votes:
        first_vote[vote.voter] = max(first_vote.get(vote.voter, 0.0), vote.at)
    users = [
        {
            "id": account.id,
            "email": f"sim-{account.id.hex}@sim.anb.test",
            "password_hash": "unused",
            "first_name": "Jugador" if account.is_player else "Votante",
            "last_name": account.id.hex[:6],
            "city": account.city,
            "city_key": city_key(account.city),
            "country": "Colombia",
            "is_active": True,
            "vote_count": 0,
            "created_at": end - timedelta(seconds=first_vote.get(account.id, 0.0) + account.age_at_first_vote),
        }
        for account in crowd.accounts.values()
    ]
    videos = {player: uuid.uuid4() for player in crowd.players}
    video_rows = [
        {
            "id": video_id,
            "owner_id": player,
            "title": "Jugada de la semana",
            "status": VideoStatus.PROCESSED,
            "original_key": file_layout.original_key(video_id),
            "processed_key": file_layout.processed_key(video_id),
            "poster_key": file_layout.poster_key(video_id),
            "size_bytes": 1000,
            "duration_seconds": 25.0,
            "width": 1920,
            "height": 1080,
            "uploaded_at": now_real,
            "processed_at": now_real,
        }
        for player, video_id in videos.items()
    ]
    engine = create_sync_db_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(User), users)
            conn.execute(insert(Video), video_rows)
    finally:
        engine.dispose()
    return videos


async def _cast(base_url: str, crowd: Crowd, videos: dict[uuid.UUID, uuid.UUID], settings: Settings) -> Counter[int]:
    tokens = access_tokens_from_settings(
        settings.auth.model_copy(update={"access_ttl_seconds": 7200}), settings.data_dir
    )
    token = {voter: tokens.issue(voter) for voter in {v.voter for v in crowd.votes}}
    ordered = sorted(crowd.votes, key=lambda v: -v.at)  # oldest simulated moment first
    codes: Counter[int] = Counter()
    queue: asyncio.Queue[PlannedVote] = asyncio.Queue()
    for vote in ordered:
        queue.put_nowait(vote)

    async def voter_loop(http: httpx.AsyncClient) -> None:
        while not queue.empty():
            vote = queue.get_nowait()
            answer = await http.post(
                f"/api/public/videos/{videos[vote.player]}/vote",
                headers={
                    "Authorization": f"Bearer {token[vote.voter]}",
                    "X-Forwarded-For": vote.address,
                    "User-Agent": vote.agent,
                },
            )
            codes[answer.status_code] += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        await asyncio.gather(*(voter_loop(http) for _ in range(CONCURRENCY)))
    return codes


def _backdate(database_url: str, crowd: Crowd, videos: dict[uuid.UUID, uuid.UUID], end: Any) -> None:
    """Each vote to its simulated moment; the voter's age follows from the account's creation time."""
    engine = create_sync_db_engine(database_url)
    try:
        with engine.begin() as conn:
            created = dict(conn.execute(select(User.id, User.created_at)).all())
            rows = [
                {
                    "v": videos[vote.player],
                    "u": vote.voter,
                    "t": end - timedelta(seconds=vote.at),
                    "age": int((end - timedelta(seconds=vote.at) - created[vote.voter]).total_seconds()),
                }
                for vote in crowd.votes
            ]
            statement = (
                update(Vote)
                .where(Vote.video_id == bindparam("v"), Vote.user_id == bindparam("u"))
                .values(created_at=bindparam("t"), voter_age_seconds=bindparam("age"))
            )
            conn.execute(statement.execution_options(synchronize_session=False), rows)
    finally:
        engine.dispose()


def _statuses(database_url: str) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    engine = create_sync_db_engine(database_url)
    try:
        with engine.connect() as conn:
            video_owner = dict(conn.execute(select(Video.id, Video.owner_id)).all())
            return {
                (video_owner[video_id], voter): status
                for video_id, voter, status in conn.execute(select(Vote.video_id, Vote.user_id, Vote.status))
            }
    finally:
        engine.dispose()


def _report(crowd: Crowd, statuses: dict[tuple[uuid.UUID, uuid.UUID], str]) -> dict[str, Any]:
    def held(vote: PlannedVote) -> bool:
        return statuses[(vote.player, vote.voter)] == "held"

    organic = [v for v in crowd.votes if v.attack is None]
    organic_counts = Counter(v.player for v in organic)
    all_counts = Counter(v.player for v in crowd.votes)
    after = Counter(v.player for v in crowd.votes if not held(v))
    held_total = sum(held(v) for v in crowd.votes)
    attacks: dict[str, dict[str, Any]] = {}
    for attack, targets in crowd.targets.items():
        votes = [v for v in crowd.votes if v.attack == attack]
        held_votes = sum(held(v) for v in votes)
        cities = {crowd.players[t] for t in targets}
        changes_top5 = any(
            set(city_ranking(organic_counts, crowd.players, c)[:5])
            != set(city_ranking(all_counts, crowd.players, c)[:5])
            for c in cities
        )
        ranks = [
            {
                "city": crowd.players[t],
                "organic": city_ranking(organic_counts, crowd.players, crowd.players[t]).index(t) + 1,
                "with_attack": city_ranking(all_counts, crowd.players, crowd.players[t]).index(t) + 1,
                "after_scan": city_ranking(after, crowd.players, crowd.players[t]).index(t) + 1,
            }
            for t in targets
        ]
        attacks[attack] = {
            "votes": len(votes),
            "held": held_votes,
            "recall": held_votes / len(votes),
            "share_of_all_held": held_votes / held_total if held_total else 0.0,
            "would_change_top5": changes_top5,
            "top5_restored": all(
                set(city_ranking(organic_counts, crowd.players, c)[:5])
                == set(city_ranking(after, crowd.players, c)[:5])
                for c in cities
            ),
            "target_ranks": ranks,
        }
    attack_held = sum(a["held"] for a in attacks.values())
    organic_held = sum(held(v) for v in organic)
    return {
        "organic_votes": len(organic),
        "organic_held": organic_held,
        "organic_hold_rate": organic_held / len(organic),
        "held": held_total,
        "precision": attack_held / held_total if held_total else 1.0,
        "attacks": attacks,
        "top5_changed_after_scan": [
            c
            for c in CITIES
            if set(city_ranking(organic_counts, crowd.players, c)[:5]) != set(city_ranking(after, crowd.players, c)[:5])
        ],
    }


def run(voters: int, seed: int, work: Path) -> dict[str, Any]:
    crowd = plan(seed, voters)
    with scratch_database() as url:
        env = {
            "ANB_DATA_DIR": str(work / "data"),
            "ANB_DATABASE__URL": url,
            "ANB_JOBS__CONCURRENCY": "1",
            # The scan runs once, after the day is in place (see the docstring), not from the sweeper.
            "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "100000000",
            "ANB_DATABASE__POOL_SIZE": "16",
            # Limits are not what this measures: a simulated day arrives in a minute.
            "ANB_RATE_LIMIT__VOTE_PER_USER": "1000000/second",
            "ANB_RATE_LIMIT__VOTE_PER_ADDRESS": "1000000/second",
        }
        with anb_serve_process(env, work / "serve.log", workers=2) as served:
            settings = Settings(data_dir=work / "data", database=DatabaseSettings(url=url))
            end = utcnow()
            videos = _write_people(url, crowd, end, end)
            started = time.perf_counter()
            codes = asyncio.run(_cast(served.base_url, crowd, videos, settings))
            cast_seconds = time.perf_counter() - started
        _backdate(url, crowd, videos, end)
        scan_env = {**os.environ, "ANB_DATABASE__URL": url, "ANB_DATA_DIR": str(work / "data")}
        started = time.perf_counter()
        scanned = subprocess.run([ANB, "votes", "scan"], env=scan_env, capture_output=True, text=True, check=True)
        scan_seconds = time.perf_counter() - started
        checked = subprocess.run([ANB, "votes", "check"], env=scan_env, capture_output=True, text=True, check=False)
        report = _report(crowd, _statuses(url))
    return {
        "voters": voters,
        "seed": seed,
        "votes_cast": sum(codes.values()),
        "answers": dict(codes),
        "cast_seconds": round(cast_seconds, 1),
        "scan": scanned.stdout.strip(),
        "scan_seconds": round(scan_seconds, 2),
        "check_passed": checked.returncode == 0,
        **report,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    add_summary_option(parser)
    args = parser.parse_args()
    stamp = Stamp.now("bench.integrity_sim", sys.argv[1:])
    result = run(args.voters, args.seed, Path(tempfile.mkdtemp(prefix="anb-integrity-sim-")))
    print(json.dumps(result, indent=2))
    write_summary("integrity-sim", stamp, result, args.summary_dir)


if __name__ == "__main__":
    main()
