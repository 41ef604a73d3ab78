"""Votes, and the indexes that serve the public lists from the maintained counters.

Rankings read ``users.vote_count`` (the total votes of a player's published videos, kept in
each vote's transaction), never a GROUP BY over votes. The ranking indexes are partial: only
players with votes are ranked, so only they are indexed.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Uuid, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column

from anb.accounts.models import User
from anb.db.base import Base, UTCDateTime, utcnow
from anb.videos.models import Video


class Vote(Base):
    """One user's vote for one video; the primary key is the one-vote-per-user-per-video rule.

    A vote is never deleted: it is ``counted``, ``held`` (flagged, waiting for an operator; not in
    any counter) or ``void``, with the reason and who decided. Where it came from is kept reduced
    to what clustering needs (anb/voting/ledger.py, docs/integrity.md).
    """

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("status IN ('counted', 'held', 'void')", name="status"),
        Index("ix_votes_created_at", "created_at"),
        Index(
            "ix_votes_status",
            "status",
            postgresql_where=text("status <> 'counted'"),
            sqlite_where=text("status <> 'counted'"),
        ),
    )

    # ON DELETE CASCADE: a deleted video's votes go with it (only unpublished videos, which have
    # no votes, can be deleted, so no player's total changes).
    video_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(8), default="counted", server_default="counted")
    status_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    # An operator's user id, or "scan".
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The client address's /24 (IPv4) or /48 (IPv6), and keyed hashes of the full address and of
    # the user agent: enough to cluster votes, not to identify a person.
    client_prefix: Mapped[str | None] = mapped_column(String(64), default=None)
    client_hash: Mapped[str | None] = mapped_column(String(32), default=None)
    agent_hash: Mapped[str | None] = mapped_column(String(32), default=None)
    # How old the voter's account was when the vote was cast.
    voter_age_seconds: Mapped[int | None] = mapped_column(BigInteger, default=None)


# A literal 0, not a bound parameter: the planners of both backends use a partial index only
# when the query's condition matches the index's predicate as written.
RANKED = User.vote_count > literal_column("0")

# The order of the rankings: most votes first; among equals, the earliest account, then the id
# (unique, so the order is total and pages never overlap).
RANKING_ORDER = (User.vote_count.desc(), User.created_at, User.id)

Index("ix_users_ranking", *RANKING_ORDER, postgresql_where=RANKED, sqlite_where=RANKED)
Index("ix_users_city_ranking", User.city_key, *RANKING_ORDER, postgresql_where=RANKED, sqlite_where=RANKED)
Index("ix_videos_status_vote_count", Video.status, Video.vote_count.desc(), Video.processed_at.desc(), Video.id)
