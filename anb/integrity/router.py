"""``/api/admin/...``: operators review flags, read a player's vote ledger, decide held votes, read the
audit log. Every route answers 403 ``operator_only`` to anyone else: only operators see ledger details."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from anb.deps import CurrentUserId, SessionDep
from anb.errors import error_responses
from anb.integrity import service
from anb.integrity.exceptions import PlayerNotFound
from anb.integrity.schemas import AuditOut, DecisionIn, DecisionOut, FlagOut, PlayerVotesOut


async def _operator(user_id: CurrentUserId, db: SessionDep) -> uuid.UUID:
    await service.require_operator(db, user_id)
    return user_id


OperatorId = Annotated[uuid.UUID, Depends(_operator)]

router = APIRouter(prefix="/api/admin", tags=["admin"], responses=error_responses(401, 403))


@router.get("/flags", response_model=list[FlagOut], summary="Flags raised by the vote scan, newest first")
async def flags(
    _: OperatorId,
    db: SessionDep,
    state: Literal["open", "confirmed", "dismissed"] = "open",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FlagOut]:
    return await service.flags(db, state, limit)


@router.get(
    "/players/{player_id}/votes",
    response_model=PlayerVotesOut,
    responses=error_responses(404),
    summary="A player's votes with their ledger details, newest first",
)
async def player_votes(player_id: str, _: OperatorId, db: SessionDep) -> PlayerVotesOut:
    try:
        parsed = uuid.UUID(player_id)
    except ValueError as exc:  # any id that names no player is a 404, whatever its shape
        raise PlayerNotFound() from exc
    return await service.player_votes(db, parsed)


@router.post(
    "/votes/decisions",
    response_model=DecisionOut,
    responses=error_responses(400, 404),
    summary="Confirm (void) or restore held votes, a flag's or listed ones",
)
async def decide(decision: DecisionIn, operator_id: OperatorId, db: SessionDep) -> DecisionOut:
    return DecisionOut(moved=await service.decide(db, operator_id, decision))


@router.get("/audit", response_model=list[AuditOut], summary="The audit log of vote decisions, newest first")
async def audit(_: OperatorId, db: SessionDep, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[AuditOut]:
    return [AuditOut.model_validate(entry, from_attributes=True) for entry in await service.audit(db, limit)]
