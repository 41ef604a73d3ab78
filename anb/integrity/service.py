"""What operators do: read flags and a player's ledger, decide held votes. Every decision is audited."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.audit import AuditEntry, record
from anb.db.base import utcnow
from anb.integrity.exceptions import FlagNotFound, OperatorsOnly, PlayerNotFound
from anb.integrity.models import Flag, FlagVote
from anb.integrity.schemas import DecisionIn, FlagOut, LedgerVoteOut, PlayerRef, PlayerVotesOut
from anb.videos.models import Video
from anb.voting.ledger import VoteStatus, transition
from anb.voting.models import Vote

OPERATOR = "operator"
TIMELINE_LIMIT = 2000


async def require_operator(db: AsyncSession, user_id: uuid.UUID) -> None:
    if await db.scalar(select(User.role).where(User.id == user_id)) != OPERATOR:
        raise OperatorsOnly()


def _player(user: User) -> PlayerRef:
    return PlayerRef(id=user.id, username=f"{user.first_name} {user.last_name}", city=user.city, votes=user.vote_count)


async def flags(db: AsyncSession, state: str, limit: int) -> list[FlagOut]:
    rows = await db.execute(
        select(Flag, User)
        .join(User, User.id == Flag.player_id)
        .where(Flag.state == state)
        .order_by(Flag.created_at.desc())
        .limit(limit)
    )
    return [
        FlagOut(
            id=flag.id,
            rule=flag.rule,
            player=_player(user),
            votes=flag.votes,
            state=flag.state,
            evidence=flag.evidence,
            created_at=flag.created_at,
            decided_by=flag.decided_by,
            decided_at=flag.decided_at,
        )
        for flag, user in rows
    ]


async def player_votes(db: AsyncSession, player_id: uuid.UUID) -> PlayerVotesOut:
    player = await db.get(User, player_id)
    if player is None:
        raise PlayerNotFound()
    votes = await db.scalars(
        select(Vote)
        .join(Video, Video.id == Vote.video_id)
        .where(Video.owner_id == player_id)
        .order_by(Vote.created_at.desc())
        .limit(TIMELINE_LIMIT)
    )
    return PlayerVotesOut(
        player=_player(player),
        votes=[
            LedgerVoteOut(
                video_id=v.video_id,
                voter_id=v.user_id,
                created_at=v.created_at,
                status=v.status,
                status_reason=v.status_reason,
                decided_by=v.decided_by,
                client_prefix=v.client_prefix,
                client_hash=v.client_hash,
                agent_hash=v.agent_hash,
                voter_age_seconds=v.voter_age_seconds,
            )
            for v in votes
        ],
    )


async def decide(db: AsyncSession, operator_id: uuid.UUID, decision: DecisionIn) -> int:
    """Confirm (held → void) or restore (held → counted) the flag's and the listed held votes."""
    keys = [(v.video_id, v.user_id) for v in decision.votes]
    flag = None
    if decision.flag_id is not None:
        # Locked first: a scan growing this flag (anb/integrity/scan.py) either commits before the
        # decision reads the flag's votes, or waits and then finds the flag decided.
        flag = await db.get(Flag, decision.flag_id, with_for_update=True)
        if flag is None:
            raise FlagNotFound()
        keys += [
            (row.video_id, row.user_id) for row in await db.scalars(select(FlagVote).where(FlagVote.flag_id == flag.id))
        ]
    target = VoteStatus.VOID if decision.action == "confirm" else VoteStatus.COUNTED
    reason = f"{decision.action} by operator" + (f": {decision.note}" if decision.note else "")
    moved = await transition(db, keys, VoteStatus.HELD, target, reason, str(operator_id))
    if flag is not None and flag.state == "open":
        flag.state = "confirmed" if decision.action == "confirm" else "dismissed"
        flag.decided_by, flag.decided_at = str(operator_id), utcnow()
    record(
        db,
        str(operator_id),
        decision.action,
        {
            "flag": str(flag.id) if flag else None,
            "votes_moved": len(moved),
            "votes": [[str(video), str(user)] for video, user in moved[:200]],
            "note": decision.note,
        },
    )
    await db.flush()
    return len(moved)


async def audit(db: AsyncSession, limit: int) -> Sequence[AuditEntry]:
    return (await db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))).all()
