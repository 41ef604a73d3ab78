"""The periodic scan: read the recent ledger (what the rules need of it), run the rules, raise a
flag per finding and hold its votes at once (they leave the counters, so the rankings, in the same transaction).

A finding whose votes are all held or void already raises nothing new, and one that finds more
votes of a cluster with an open flag (a ring still voting when the last scan ran) adds them to that
flag, so a scan that runs every sweep does not pile up flags about the same cluster; a vote an
operator restored is never held again. Runs from the sweeper (embedded service and ``anb worker``)
and from ``anb votes scan``.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, and_, distinct, func, select, type_coerce, union
from sqlalchemy.ext.asyncio import AsyncSession

from anb.audit import record
from anb.config import IntegritySettings
from anb.db.base import UTCDateTime, utcnow
from anb.integrity.models import Flag, FlagVote
from anb.integrity.rules import Finding, HourTotals, Ledger, LedgerVote, evaluate
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
    # Flags that held votes in this scan: raised, or grown by a cluster's later votes.
    flags: int
    held: int


def _joined(*columns: Any) -> Select[*tuple[Any, ...]]:
    """Votes with their video (its owner is the voted-for player)."""
    return select(*columns).select_from(Vote).join(Video, Video.id == Vote.video_id)


def _clock_hour(dialect: str) -> ColumnElement[datetime]:
    """The UTC clock hour a vote was cast in, computed by the database."""
    if dialect == "postgresql":
        hour = func.date_trunc("hour", Vote.created_at, "UTC")
    else:  # SQLite keeps datetimes as ISO text
        hour = func.strftime("%Y-%m-%d %H:00:00", Vote.created_at)
    return type_coerce(hour, UTCDateTime)


async def _counts(db: AsyncSession, scanned: ColumnElement[bool], limits: IntegritySettings) -> Ledger:
    """Every scanned vote counted in the database: per player, per clock hour, and per hour and
    player where that is at least ``spike_min_votes`` (no smaller count can be a spike). The
    ledger it returns has no examined votes yet."""
    hour = _clock_hour(db.get_bind().dialect.name)
    player = Video.owner_id
    players = await db.execute(_joined(player, func.count()).where(scanned).group_by(player))
    hours = await db.execute(_joined(hour, func.count(), func.count(distinct(player))).where(scanned).group_by(hour))
    busy = await db.execute(
        _joined(hour, player, func.count())
        .where(scanned)
        .group_by(hour, player)
        .having(func.count() >= limits.spike_min_votes)
    )
    return Ledger(
        votes=[],
        player_votes={player_id: count for player_id, count in players.all()},
        hours={at: HourTotals(votes, distinct_players) for at, votes, distinct_players in hours.all()},
        player_hours={(at, player_id): count for at, player_id, count in busy.all()},
    )


# What the rules read of each examined vote (the video's owner is the voted-for player).
LEDGER_COLUMNS = (
    Vote.video_id,
    Vote.user_id,
    Video.owner_id,
    Vote.created_at,
    Vote.client_prefix,
    Vote.agent_hash,
    Vote.voter_age_seconds,
)


def _examined(scanned: ColumnElement[bool], limits: IntegritySettings) -> Subquery:
    """The votes the rules look at one by one: a new account's, or one traded between two players
    (each voted for the other). Joins, not a correlated test per vote: PostgreSQL would run that
    once for each of a million scanned votes."""
    youngest = max(limits.new_account_seconds, limits.fresh_vote_seconds + 1)
    players = select(Video.owner_id).where(Video.status == VideoStatus.PROCESSED)
    between = (
        _joined(Vote.user_id.label("voter"), Video.owner_id.label("player"))
        .where(scanned, Vote.user_id != Video.owner_id, Vote.user_id.in_(players))
        .distinct()
        .cte("between_players")
    )
    back = between.alias("returned")
    traded = (
        select(between.c.voter, between.c.player)
        .join(back, and_(back.c.voter == between.c.player, back.c.player == between.c.voter))
        .cte("traded")
    )
    of_new_accounts = _joined(*LEDGER_COLUMNS).where(scanned, Vote.voter_age_seconds < youngest)
    traded_votes = (
        _joined(*LEDGER_COLUMNS)
        .join(traded, and_(traded.c.voter == Vote.user_id, traded.c.player == Video.owner_id))
        .where(scanned)
    )
    return union(of_new_accounts, traded_votes).subquery("examined")


async def load_ledger(db: AsyncSession, limits: IntegritySettings) -> Ledger:
    """The scanned votes (counted or held; void ones are settled): per player and hour, and the
    examined ones with what the rules need of each voter."""
    since = utcnow() - timedelta(seconds=limits.lookback_seconds)
    scanned = and_(Vote.created_at >= since, Vote.status != VoteStatus.VOID.value)
    examined = _examined(scanned, limits)
    voters = select(examined.c.user_id).distinct().scalar_subquery()
    players_per_voter = dict(
        (
            await db.execute(
                _joined(Vote.user_id, func.count(distinct(Video.owner_id)))
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
    rows = await db.execute(select(examined))
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
    return dataclasses.replace(await _counts(db, scanned, limits), votes=votes)


async def _open_flag(db: AsyncSession, finding: Finding) -> Flag | None:
    """The finding's open flag, locked: an operator deciding it at the same moment (which locks it
    too) either finishes first, and the flag is no longer open here, or waits for this scan's votes."""
    return (
        await db.scalars(
            select(Flag)
            .where(
                Flag.state == "open",
                Flag.rule == finding.rule,
                Flag.player_id == finding.player_id,
                Flag.scope == finding.scope,
            )
            .with_for_update()
        )
    ).first()


async def _raise_flag(db: AsyncSession, finding: Finding) -> int:
    """Hold the finding's counted votes under the open flag of its rule, player and scope (a ring
    that was still voting when the last scan ran grows its flag), or under a new one; 0 (and no
    new flag) when none is left to hold."""
    flag = await _open_flag(db, finding)
    flag_id = flag.id if flag is not None else uuid.uuid4()
    held = await transition(
        db,
        finding.votes,
        VoteStatus.COUNTED,
        VoteStatus.HELD,
        f"{finding.rule}: flag {flag_id}",
        SCAN_ACTOR,
        undecided_only=True,
    )
    if not held:
        return 0
    if flag is None:
        flag = Flag(id=flag_id, rule=finding.rule, scope=finding.scope, player_id=finding.player_id, votes=0)
        db.add(flag)
    flag.votes += len(held)
    # The evidence is the finding's latest, which covers the votes held earlier under the flag too.
    flag.evidence = {**finding.evidence, "held_now": flag.votes}
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
