"""Public routes of the web front end, beside the contract's (which stay as they are):

``/api/public/gallery`` (search by player name, player ids, display names, durations, page URLs),
``/api/public/players`` (the ranking with player ids), ``/api/public/players/{id}`` (a profile) and
``/api/public/my-votes`` (bearer: the ids of the videos the caller voted for).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from anb.deps import CurrentUserId, SessionDep, StateDep, app_state
from anb.errors import InvalidQuery, error_responses
from anb.showcase import service
from anb.showcase.schemas import MyVotesOut, PlayerOut, RankedPlayerOut, ShowcaseVideoOut
from anb.voting.params import CITY_PARAMETER, RANKING_RANGE_PARAMETERS, QueryReader, paging_parameters, sort_parameter
from anb.voting.router import GALLERY_PAGE_SIZE, GALLERY_SORTS, RANKING_PAGE_SIZE

router = APIRouter(prefix="/api/public", tags=["showcase"])

MAX_SEARCH_LENGTH = 100
SEARCH_PARAMETER = {
    "name": "q",
    "in": "query",
    "required": False,
    "description": 'Nombre del jugador: cada palabra en el nombre o el apellido, sin importar mayúsculas ("ana pe").',
    "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
}


def _search(query: QueryReader) -> str:
    text = (query.text("q") or "").strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise InvalidQuery()
    return " ".join(text.split())


def _parameters(*parameters: dict[str, Any]) -> dict[str, Any]:
    return {"parameters": list(parameters)}


@router.get(
    "/gallery",
    response_model=list[ShowcaseVideoOut],
    responses=error_responses(400),
    summary="Published videos with their players' ids, display names and durations; search by player name",
    openapi_extra=_parameters(
        CITY_PARAMETER,
        SEARCH_PARAMETER,
        *paging_parameters(GALLERY_PAGE_SIZE),
        sort_parameter(GALLERY_SORTS, "newest"),
    ),
)
async def gallery(request: Request) -> Response:
    state, query = app_state(request), QueryReader(request.query_params)
    city, search, window = query.city(), _search(query), query.paging(GALLERY_PAGE_SIZE)
    sort = query.choice("sort", GALLERY_SORTS, "newest")
    cached = await state.public_cache.get(
        ("gallery", city, search.casefold(), sort, window), lambda: service.gallery(state, city, search, sort, window)
    )
    return cached.response()


@router.get("/gallery/{video_id}", response_model=ShowcaseVideoOut, responses=error_responses(404))
async def gallery_video(video_id: str, db: SessionDep, state: StateDep) -> ShowcaseVideoOut:
    return await service.video(db, state, video_id)


@router.get(
    "/players",
    response_model=list[RankedPlayerOut],
    responses={
        **error_responses(400),
        200: {"headers": {"X-Total-Count": {"description": "Jugadores en el ranking", "schema": {"type": "integer"}}}},
    },
    summary="The rankings with each player's id and display name (same order, windows and filter)",
    openapi_extra=_parameters(CITY_PARAMETER, *paging_parameters(RANKING_PAGE_SIZE), *RANKING_RANGE_PARAMETERS),
)
async def players(request: Request) -> Response:
    state, query = app_state(request), QueryReader(request.query_params)
    city, window = query.city(), query.ranking_window(RANKING_PAGE_SIZE)
    cached = await state.public_cache.get(("players", city, window), lambda: service.ranking(state, city, window))
    return cached.response()


@router.get(
    "/players/{player_id}",
    response_model=PlayerOut,
    responses=error_responses(404),
    summary="A player's profile: published videos, total votes, place in their city's ranking",
)
async def player(player_id: str, db: SessionDep, state: StateDep) -> PlayerOut:
    return await service.player(db, state, player_id)


@router.get(
    "/my-votes",
    response_model=MyVotesOut,
    responses=error_responses(401),
    summary="Ids of the videos the caller has voted for (bearer)",
)
async def my_votes(user_id: CurrentUserId, db: SessionDep) -> MyVotesOut:
    return MyVotesOut(video_ids=await service.my_votes(db, user_id))
