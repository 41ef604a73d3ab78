from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class PlayerRef(BaseModel):
    id: uuid.UUID
    username: str
    city: str
    votes: int


class FlagOut(BaseModel):
    id: uuid.UUID
    rule: str
    player: PlayerRef
    votes: int
    state: str
    evidence: dict[str, Any]
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class LedgerVoteOut(BaseModel):
    video_id: uuid.UUID
    voter_id: uuid.UUID
    created_at: datetime
    status: str
    status_reason: str | None
    decided_by: str | None
    client_prefix: str | None
    client_hash: str | None
    agent_hash: str | None
    voter_age_seconds: int | None


class PlayerVotesOut(BaseModel):
    player: PlayerRef
    votes: list[LedgerVoteOut]


class VoteKeyIn(BaseModel):
    video_id: uuid.UUID
    user_id: uuid.UUID


class DecisionIn(BaseModel):
    """Confirm (void) or restore held votes: a flag's, or listed ones, or both."""

    action: Literal["confirm", "restore"]
    flag_id: uuid.UUID | None = None
    votes: list[VoteKeyIn] = Field(default_factory=list, max_length=5000)
    note: str = Field("", max_length=200)


class DecisionOut(BaseModel):
    moved: int


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
