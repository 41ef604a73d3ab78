"""The periodic scan: read the recent ledger (what the rules need of it), run the rules, raise a
flag per finding and hold its votes at once (they leave the counters, so the rankings, in the same transaction).

A finding whose votes are all held or void already raises nothing new, so a scan that runs every
sweep does not pile up flags about the same cluster; a vote an operator restored is never held
again. Runs from the sweeper (embedded service and ``anb worker``) and from ``anb votes scan``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, distinct, exists, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.config import IntegritySettings
from anb.db.base import utcnow
from anb.integrity.audit import record
from anb.integrity.models import Flag, FlagVote
from anb.integrity.rules import Finding, Ledger, LedgerVote, evaluate, hour_of
from anb.videos.models import Video, VideoStatus
from anb.voting.ledger import VoteStatus, transition
from anb.voting.models import Vote

# Its log line is what the held-votes alarm counts (deploy/terraform/modules/monitoring).
log = logging.getLogger("anb.integrity.scan")

SCAN_ACTOR = "scan"


@dataclass(frozen=True)
class ScanResult:
    scanned: int
    # Of those, the votes the rules looked at one by one (new accounts', traded between players).
    examined: int
    flags: int
    held: int


PerHour = dict[datetime, dict[uuid.UUID, int]]


async def _votes_per_hour(db: AsyncSession, since: datetime, scanned: ColumnElement[bool]) -> PerHour:
    """Every scanned vote counted per clock hour and player: one range of the created_at index per
    hour, so the query is the same on both backends (no dialect's date truncation)."""
    per_hour: PerHour = {}
    hour, now = hour_of(since), utcnow()
    while hour <= now:
        following = hour + timedelta(hours=1)
        rows = await db.execute(
            select(Video.owner_id, func.count())
            .select_from(Vote)
            .join(Video, Video.id == Vote.video_id)
            .where(scanned, Vote.created_at >= hour, Vote.created_at < following)
            .group_by(Video.owner_id)
        )
        counts = {player_id: count for player_id, count in rows.all()}
        if counts:
            per_hour[hour] = counts
        hour = following
    return per_hour


def _examined(scanned: ColumnElement[bool], limits: IntegritySettings) -> ColumnElement[bool]:
    """The votes the rules look at one by one: a new account's, or one traded between two players
    (each voted for the other)."""
    youngest = max(limits.new_account_seconds, limits.fresh_vote_seconds + 1)
    players = select(Video.owner_id).where(Video.status == VideoStatus.PROCESSED)
    between_players = (
        select(Vote.user_id.label("voter"), Video.owner_id.label("player"))
        .join(Video, Video.id == Vote.video_id)
        .where(scanned, Vote.user_id != Video.owner_id, Vote.user_id.in_(players))
        .distinct()
        .cte("between_players")
    )
    returned = between_players.alias("returned")
    pair, back = between_players.c, returned.c
    traded = exists(
        select(literal_column("1"))
        .select_from(between_players)
        .join(returned, and_(back.voter == pair.player, back.player == pair.voter))
        .where(pair.voter == Vote.user_id, pair.player == Video.owner_id)
    )
    return and_(scanned, or_(Vote.voter_age_seconds < youngest, traded))


async def load_ledger(db: AsyncSession, limits: IntegritySettings) -> Ledger:
    """The scanned votes (counted or held; void ones are settled): per player and hour, and the
    examined ones with what the rules need of each voter."""
    since = utcnow() - timedelta(seconds=limits.lookback_seconds)
    scanned = and_(Vote.created_at >= since, Vote.status != VoteStatus.VOID.value)
    examined = _examined(scanned, limits)
    voters = select(Vote.user_id).join(Video, Video.id == Vote.video_id).where(examined).distinct().scalar_subquery()
    players_per_voter = dict(
        (
            await db.execute(
                select(Vote.user_id, func.count(distinct(Video.owner_id)))
                .join(Video, Video.id == Vote.video_id)
                .where(Vote.user_id.in_(voters))
                .group_by(Vote.user_id)
            )
        ).all()
    )
    voters_with_videos = set(
        (
            await db.scalars(
                select(Video.owner_id)
                .where(Video.status == VideoStatus.PROCESSED, Video.owner_id.in_(voters))
                .distinct()
            )
        ).all()
    )
    rows = await db.execute(
        select(
            Vote.video_id,
            Vote.user_id,
            Video.owner_id,
            Vote.created_at,
            Vote.client_prefix,
            Vote.agent_hash,
            Vote.voter_age_seconds,
        )
        .join(Video, Video.id == Vote.video_id)
        .where(examined)
    )
    votes = [
        LedgerVote(
            video_id=row.video_id,
            voter_id=row.user_id,
            player_id=row.owner_id,
            created_at=row.created_at,
            client_prefix=row.client_prefix,
            agent_hash=row.agent_hash,
            voter_age_seconds=row.voter_age_seconds,
            voter_players=players_per_voter.get(row.user_id, 0),
            voter_is_player=row.user_id in voters_with_videos,
        )
        for row in rows
    ]
    return Ledger(votes, await _votes_per_hour(db, since, scanned))


async def _raise_flag(db: AsyncSession, finding: Finding) -> int:
    """Hold the finding's counted votes under a new flag; 0 (and no flag) when none is left to hold."""
    flag = Flag(rule=finding.rule, player_id=finding.player_id, evidence=finding.evidence, votes=0)
    reason = f"{finding.rule}: flag {flag.id}"
    held = await transition(
        db, finding.votes, VoteStatus.COUNTED, VoteStatus.HELD, reason, SCAN_ACTOR, undecided_only=True
    )
    if not held:
        return 0
    flag.votes = len(held)
    flag.evidence = {**finding.evidence, "held_now": len(held)}
    db.add(flag)
    await db.flush()
    db.add_all(FlagVote(flag_id=flag.id, video_id=video_id, user_id=user_id) for video_id, user_id in held)
    record(db, SCAN_ACTOR, "hold", {"flag": str(flag.id), "rule": flag.rule, "votes": len(held)})
    await db.flush()
    return len(held)


async def scan(db: AsyncSession, limits: IntegritySettings) -> ScanResult:
    """One scan in the caller's unit of work (it flushes; the caller commits)."""
    ledger = await load_ledger(db, limits)
    flags = held = 0
    for finding in evaluate(ledger, limits):
        count = await _raise_flag(db, finding)
        if count:
            flags += 1
            held += count
            log.warning(
                "votes held: %d by %s for player %s",
                count,
                finding.rule,
                finding.player_id,
                extra={"held_votes": count, "rule": finding.rule},
            )
    return ScanResult(ledger.scanned, len(ledger.votes), flags, held)
