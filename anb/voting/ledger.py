"""The vote ledger: where a vote came from (reduced, keyed), its state, and the counters that follow it.

A vote's origin is kept only as far as clustering needs it: the client address's /24 (IPv4) or
/48 (IPv6) network, and HMAC-SHA256 hashes of the full address and of the user agent under keys
derived from ``ANB_SECRET_KEY`` (one per purpose, so neither hash can be compared with anything
outside this table, and rotating the secret unlinks old rows from new ones). Truncated to 128 bits.

States: ``counted`` (in ``videos.vote_count`` and the owner's ``users.vote_count``), ``held``
(flagged, waiting for an operator, in no counter) and ``void`` (confirmed fraud). A transition
moves the counters in the same transaction, with conditional UPDATEs that touch only votes still
in the expected state, so two deciders racing can never move a counter twice.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import ipaddress
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func, select, true, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.db.base import utcnow
from anb.videos.models import Video
from anb.voting.models import Vote


class VoteStatus(enum.StrEnum):
    COUNTED = "counted"
    HELD = "held"
    VOID = "void"


@dataclass(frozen=True)
class VoteOrigin:
    client_prefix: str | None
    client_hash: str | None
    agent_hash: str | None


@lru_cache(maxsize=8)
def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"anb/vote-ledger/{purpose}".encode(), hashlib.sha256).digest()


def _keyed_hash(secret: str, purpose: str, value: str) -> str:
    return hmac.new(_key(secret, purpose), value.encode(), hashlib.sha256).hexdigest()[:32]


def client_prefix(address: str) -> str | None:
    """The /24 or /48 network of an address; None when the address is unknown."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    return str(ipaddress.ip_network(f"{parsed}/{24 if parsed.version == 4 else 48}", strict=False))


def origin(secret: str, address: str, user_agent: str | None) -> VoteOrigin:
    prefix = client_prefix(address)
    return VoteOrigin(
        prefix,
        _keyed_hash(secret, "client", address) if prefix else None,
        _keyed_hash(secret, "agent", user_agent) if user_agent else None,
    )


VoteKey = tuple[uuid.UUID, uuid.UUID]  # (video_id, user_id), the primary key


async def transition(
    db: AsyncSession,
    keys: Iterable[VoteKey],
    source: VoteStatus,
    target: VoteStatus,
    reason: str,
    decided_by: str,
    *,
    undecided_only: bool = False,
) -> list[VoteKey]:
    """Move the votes among ``keys`` that are ``source`` to ``target``; the counters follow.

    ``undecided_only`` leaves alone the votes someone already decided (a vote an operator restored
    stays counted whatever the scan finds next). Returns the keys that moved (those in another
    state are left alone). Flushes; the caller's unit commits.
    """
    wanted = list(dict.fromkeys(keys))
    moved: list[VoteKey] = []
    # Bounded batches: an IN list of pairs per statement.
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        result = await db.execute(
            update(Vote)
            .where(
                tuple_(Vote.video_id, Vote.user_id).in_(batch),
                Vote.status == source.value,
                Vote.decided_by.is_(None) if undecided_only else true(),
            )
            .values(status=target.value, status_reason=reason[:200], decided_by=decided_by, decided_at=utcnow())
            .returning(Vote.video_id, Vote.user_id)
        )
        moved += [(row.video_id, row.user_id) for row in result]
    delta = (target is VoteStatus.COUNTED) - (source is VoteStatus.COUNTED)
    if delta and moved:
        await _move_counters(db, Counter(video_id for video_id, _ in moved), delta)
    return moved


async def _move_counters(db: AsyncSession, per_video: Counter[uuid.UUID], delta: int) -> None:
    # Videos, then players, each in id order: the same order as a vote's statement (its video,
    # then its owner), so concurrent votes and transitions never wait on each other in a cycle.
    owners: Counter[uuid.UUID] = Counter()
    for video_id in sorted(per_video):
        owner_id = await db.scalar(
            update(Video)
            .where(Video.id == video_id)
            .values(vote_count=Video.vote_count + delta * per_video[video_id])
            .returning(Video.owner_id)
        )
        if owner_id is not None:
            owners[owner_id] += per_video[video_id]
    for owner_id in sorted(owners):
        await db.execute(
            update(User).where(User.id == owner_id).values(vote_count=User.vote_count + delta * owners[owner_id])
        )


@dataclass(frozen=True)
class CounterDifference:
    table: str  # "videos" or "users"
    id: uuid.UUID
    stored: int
    from_ledger: int


async def counter_differences(db: AsyncSession) -> Sequence[CounterDifference]:
    """Every counter that disagrees with the counted votes of the ledger."""
    counted = Vote.status == VoteStatus.COUNTED.value
    per_video = select(Vote.video_id, func.count().label("n")).where(counted).group_by(Vote.video_id).subquery()
    video_rows = await db.execute(
        select(Video.id, Video.vote_count, func.coalesce(per_video.c.n, 0)).outerjoin(
            per_video, per_video.c.video_id == Video.id
        )
    )
    per_player = (
        select(Video.owner_id, func.count().label("n"))
        .join(Vote, Vote.video_id == Video.id)
        .where(counted)
        .group_by(Video.owner_id)
        .subquery()
    )
    user_rows = await db.execute(
        select(User.id, User.vote_count, func.coalesce(per_player.c.n, 0)).outerjoin(
            per_player, per_player.c.owner_id == User.id
        )
    )
    return [
        CounterDifference(table, row_id, stored, expected)
        for table, rows in (("videos", video_rows), ("users", user_rows))
        for row_id, stored, expected in rows
        if stored != expected
    ]
