"""The periodic scan: read the recent ledger, run the rules, raise a flag per finding and hold its
votes at once (they leave the counters, so the rankings, in the same transaction).

A finding whose votes are all held or void already raises nothing new, so a scan that runs every
sweep does not pile up flags about the same cluster; a vote an operator restored is never held
again. Runs from the sweeper (embedded service and ``anb worker``) and from ``anb votes scan``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.audit import record
from anb.config import IntegritySettings
from anb.db.base import utcnow
from anb.integrity.models import Flag, FlagVote
from anb.integrity.rules import Finding, LedgerVote, evaluate
from anb.videos.models import Video, VideoStatus
from anb.voting.ledger import VoteStatus, transition
from anb.voting.models import Vote

# Its log line is what the held-votes alarm counts (deploy/terraform/modules/monitoring).
log = logging.getLogger("anb.integrity.scan")

SCAN_ACTOR = "scan"


@dataclass(frozen=True)
class ScanResult:
    scanned: int
    flags: int
    held: int


async def load_ledger(db: AsyncSession, limits: IntegritySettings) -> list[LedgerVote]:
    """The scanned votes (counted or held; void ones are settled) with what the rules need of each voter."""
    since = utcnow() - timedelta(seconds=limits.lookback_seconds)
    recent = and_(Vote.created_at >= since, Vote.status != VoteStatus.VOID.value)
    voters = select(Vote.user_id).where(recent).distinct().scalar_subquery()
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
        .where(recent)
    )
    return [
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
    return ScanResult(len(ledger), flags, held)
