"""The contest's routes: its public rules and results, the operators' rules, the jury's scores."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from anb.audit import record
from anb.contest import repository, service
from anb.contest.schemas import MessageOut, RulesIn, ScoreIn
from anb.contest_rules import repository as rules_repository
from anb.contest_rules.rules_cache import rules_cache
from anb.db.base import utcnow
from anb.deps import CurrentUserId, SessionDep, StateDep, UnitOfWorkDep
from anb.errors import error_responses
from anb.integrity.service import require_operator

router = APIRouter(tags=["contest"])


@router.get("/api/public/contest", summary="The contest's rules, dates (UTC) and phase")
async def contest(db: SessionDep) -> dict[str, Any]:
    rules = await rules_repository.load_rules(db)
    closed = await repository.load_result(db) is not None
    return service.public_contest(rules, closed, utcnow())


@router.get(
    "/api/public/results",
    responses=error_responses(404),
    summary="The final standings of each city, frozen at the close, and the head of their hash chain",
)
async def results(db: SessionDep) -> dict[str, Any]:
    return await service.results(db)


@router.put(
    "/api/admin/contest",
    response_model=MessageOut,
    responses=error_responses(400, 401, 403, 413),
    summary="Set the contest's rules (operators)",
)
async def set_rules(data: RulesIn, user_id: CurrentUserId, unit: UnitOfWorkDep, state: StateDep) -> MessageOut:
    # The operator role of the vote-integrity work (anb users grant-operator); changes are audited.
    await require_operator(unit.session, user_id)
    rules = data.rules()
    await service.set_rules(unit.session, rules, str(user_id))
    record(unit.session, str(user_id), "set_contest_rules", rules.as_export())
    cache = rules_cache(state.engine, state.sessions, state.settings.contest.rules_cache_seconds)

    async def forget() -> None:
        # This process sees the change at once; the others within ANB_CONTEST__RULES_CACHE_SECONDS.
        cache.forget()

    unit.after_commit(forget)
    return MessageOut(message="Reglas del concurso guardadas.")


@router.put(
    "/api/contest/jury/videos/{video_id}",
    response_model=MessageOut,
    responses=error_responses(400, 401, 403, 404, 413),
    summary="Score a published video 0–10 (jury members; scoring again replaces the score)",
)
async def score(video_id: str, data: ScoreIn, user_id: CurrentUserId, db: SessionDep) -> MessageOut:
    await service.score_video(db, user_id, video_id, data.score)
    return MessageOut(message="Calificación registrada.")
