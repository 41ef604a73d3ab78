"""Public routes: the gallery, votes (bearer), player rankings and the cities filter."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request, Response

from anb.accounts.confirmation import confirmed_voters
from anb.client_address import client_address
from anb.contest_rules.rules_cache import rules_cache
from anb.contest_rules.window import check_vote
from anb.db.base import utcnow
from anb.deps import BEARER_SECURITY, SessionDep, StateDep, app_state, bearer_user_id
from anb.errors import AppError, error_responses
from anb.observability.metrics import VOTES
from anb.ratelimit import enforce
from anb.voting import ledger, service
from anb.voting.params import (
    CITY_PARAMETER,
    RANKING_RANGE_PARAMETERS,
    QueryReader,
    paging_parameters,
    sort_parameter,
)
from anb.voting.schemas import CityOut, PublicVideoOut, RankingEntryOut, VoteOut

router = APIRouter(prefix="/api/public", tags=["public"])

GALLERY_SORTS = ("newest", "votes")
GALLERY_PAGE_SIZE = 20
RANKING_PAGE_SIZE = 10


def _parameters(*parameters: dict[str, Any]) -> dict[str, Any]:
    return {"parameters": list(parameters)}


@router.get(
    "/videos",
    response_model=list[PublicVideoOut],
    responses=error_responses(400),
    summary="Published videos, newest or most voted first",
    openapi_extra=_parameters(
        CITY_PARAMETER, *paging_parameters(GALLERY_PAGE_SIZE), sort_parameter(GALLERY_SORTS, "newest")
    ),
)
async def public_videos(request: Request) -> Response:
    state, query = app_state(request), QueryReader(request.query_params)
    city, window = query.city(), query.paging(GALLERY_PAGE_SIZE)
    sort = query.choice("sort", GALLERY_SORTS, "newest")
    settings = state.settings
    url_ttl = service.cached_url_ttl(settings.storage.url_ttl_seconds, settings.voting.public_cache_ttl_seconds)
    cached = await state.public_cache.get(
        ("videos", city, sort, window),
        lambda: service.gallery(state.sessions, state.storage, url_ttl, city, sort, window),
    )
    return cached.response()


@router.get("/videos/{video_id}", response_model=PublicVideoOut, responses=error_responses(404))
async def public_video(video_id: str, db: SessionDep, state: StateDep) -> PublicVideoOut:
    return await service.public_video(db, state.storage, state.settings.storage.url_ttl_seconds, video_id)


@contextmanager
def _refusals_counted() -> Iterator[None]:
    """A refused vote counts under its error code (rate_limited, already_voted, video_not_found)."""
    try:
        yield
    except AppError as exc:
        VOTES.labels(exc.code).inc()
        raise


async def _voter(request: Request) -> uuid.UUID:
    """The signed-in voter, once within the vote limits of the user and of the client address.

    Called by the route, not declared as its dependency: FastAPI's solving of even a two-level
    tree was about a tenth of a vote's server CPU (docs/voting.md)."""
    user_id = bearer_user_id(request)
    state = app_state(request)
    limits = state.settings.rate_limit
    with _refusals_counted():
        await enforce(
            state.rate_limiter,
            (f"vote:user:{user_id}", limits.vote_per_user),
            (f"vote:address:{client_address(request)}", limits.vote_per_address),
        )
    return user_id


@router.post(
    "/videos/{video_id}/vote",
    response_model=VoteOut,
    responses=error_responses(400, 401, 403, 404, 413, 429),
    summary="Vote for a published video (one vote per user per video; any body is ignored)",
    openapi_extra=BEARER_SECURITY,
)
async def vote(video_id: str, request: Request) -> VoteOut:
    user_id = await _voter(request)
    state = app_state(request)
    origin = ledger.origin(
        state.settings.secret_key.get_secret_value(), client_address(request), request.headers.get("user-agent")
    )
    settings = state.settings
    with _refusals_counted():
        # The vote is stamped with the instant the window was checked at, so an accepted vote is
        # always inside the window the close reads (docs/contest.md).
        now = utcnow()
        check_vote(await rules_cache(state.engine, state.sessions, settings.contest.rules_cache_seconds).get(), now)
        if settings.voting.require_confirmed_email:
            await confirmed_voters(state.engine, state.sessions).require(user_id)
        await service.vote(state.engine, user_id, video_id, origin, now)
    VOTES.labels("accepted").inc()
    return VoteOut(message="Voto registrado exitosamente.")


@router.get(
    "/rankings",
    response_model=list[RankingEntryOut],
    responses={
        **error_responses(400),
        200: {"headers": {"X-Total-Count": {"description": "Jugadores en el ranking", "schema": {"type": "integer"}}}},
    },
    summary="Players ranked by the votes of their published videos (players without votes are left out)",
    openapi_extra=_parameters(CITY_PARAMETER, *paging_parameters(RANKING_PAGE_SIZE), *RANKING_RANGE_PARAMETERS),
)
async def rankings(request: Request) -> Response:
    state, query = app_state(request), QueryReader(request.query_params)
    city, window = query.city(), query.ranking_window(RANKING_PAGE_SIZE)
    cached = await state.public_cache.get(
        ("rankings", city, window), lambda: service.ranking(state.sessions, city, window)
    )
    return cached.response()


@router.get("/cities", response_model=list[CityOut], summary="Cities with published videos, for the city filter")
async def cities(request: Request) -> Response:
    state = app_state(request)
    cached = await state.public_cache.get(("cities",), lambda: service.cities(state.sessions))
    return cached.response()
