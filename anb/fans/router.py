"""``POST /api/auth/signup/fan`` (and ``/auth/api/v1/signup/fan``): a voting-only account."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from anb.accounts.abuse import signup_rate_limit
from anb.accounts.service import AccountService
from anb.deps import CurrentUserId, SessionDep, StateDep
from anb.errors import error_responses
from anb.fans.schemas import FanSignupIn, FanSignupOut
from anb.fans.service import ensure_player, sign_up_fan

router = APIRouter(tags=["auth"])


@router.post(
    "/signup/fan",
    status_code=201,
    response_model=FanSignupOut,
    responses=error_responses(400, 413, 429),
    dependencies=[Depends(signup_rate_limit)],
    summary="Sign up as a fan (name, email, password): can vote, cannot upload",
)
async def fan_signup(data: FanSignupIn, db: SessionDep, state: StateDep) -> FanSignupOut:
    accounts = AccountService(db, state.tokens, state.settings.auth.refresh_ttl_seconds)
    user = await sign_up_fan(accounts, data)  # the request's unit of work commits it
    return FanSignupOut(
        message="Cuenta de aficionado creada exitosamente.", user_id=user.id, email=user.email, name=user.first_name
    )


async def players_only(user_id: CurrentUserId, db: SessionDep) -> None:
    """Upload guard: a fan's token is refused with 403 before any byte of the file is read."""
    await ensure_player(db, user_id)
