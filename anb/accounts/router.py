"""Accounts routes, mounted twice: ``/api/auth`` and ``/auth/api/v1`` behave identically."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from anb.access_tokens.tokens import InvalidAccessToken
from anb.accounts import confirmation, repository
from anb.accounts.abuse import login_rate_limit, signup_rate_limit, with_login_lockout
from anb.accounts.models import User
from anb.accounts.schemas import (
    ConfirmIn,
    LoginIn,
    MessageOut,
    ProfileOut,
    RefreshIn,
    SignupIn,
    SignupOut,
    StatusOut,
    TokenOut,
)
from anb.accounts.service import AccountService, TokenPair
from anb.config import RateLimitRule
from anb.deps import CurrentUserId, SessionDep, StateDep, UnitOfWorkDep, app_state
from anb.errors import InvalidInput, error_responses
from anb.ratelimit import enforce
from anb.request_body import read_json_or_form
from anb.state import AppState

log = logging.getLogger(__name__)
router = APIRouter(tags=["auth"])


async def _service(db: SessionDep, state: StateDep) -> AccountService:
    return AccountService(db, state.tokens, state.settings.auth.refresh_ttl_seconds)


ServiceDep = Annotated[AccountService, Depends(_service)]


def _profile(user: User) -> dict[str, Any]:
    """The public fields of an account; ``id`` repeats ``user_id`` for clients of either name."""
    return {
        "user_id": user.id,
        "id": user.id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "city": user.city,
        "country": user.country,
        "is_active": user.is_active,
    }


def _token_out(pair: TokenPair) -> TokenOut:
    return TokenOut(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_in=pair.refresh_expires_in,
    )


@router.post(
    "/signup",
    status_code=201,
    response_model=SignupOut,
    responses=error_responses(400, 413, 429),
    dependencies=[Depends(signup_rate_limit)],
)
async def signup(data: SignupIn, service: ServiceDep, unit: UnitOfWorkDep, request: Request) -> SignupOut:
    user = await service.signup(data)
    _send_confirmation_after_commit(unit, app_state(request), request, user)
    return SignupOut(message="Usuario creado exitosamente.", **_profile(user))


def _send_confirmation_after_commit(unit: UnitOfWorkDep, state: AppState, request: Request, user: User) -> None:
    """The link goes out once the account exists for good; a mail server that fails is logged,
    never turned into a failed signup (the player can ask for another link)."""
    base_url = state.settings.http.public_base_url or str(request.base_url)

    async def send() -> None:
        try:
            await confirmation.send_link(
                state.mailer,
                state.settings.secret_key.get_secret_value(),
                state.settings.contest.confirmation_ttl_seconds,
                base_url,
                user,
            )
        except Exception as exc:
            log.warning("confirmation mail not sent: %r", exc)

    unit.after_commit(send)


_LOGIN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": LoginIn.model_json_schema()},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                }
            },
        },
    }
}


@router.post(
    "/login",
    response_model=TokenOut,
    responses=error_responses(400, 401, 413, 429),
    dependencies=[Depends(login_rate_limit)],
    openapi_extra=_LOGIN_BODY,
)
async def login(request: Request, service: ServiceDep, state: StateDep) -> TokenOut:
    fields = await read_json_or_form(request)
    if "email" not in fields and "username" in fields:
        fields["email"] = fields["username"]
    try:
        credentials = LoginIn.model_validate(fields)
    except ValidationError as exc:
        raise InvalidInput("Datos de entrada inválidos: email y password son obligatorios.") from exc
    pair = await with_login_lockout(
        state.login_lockout, credentials.email, lambda: service.login(credentials.email, credentials.password)
    )
    return _token_out(pair)


@router.post("/refresh", response_model=TokenOut, responses=error_responses(400, 401, 413))
async def refresh(data: RefreshIn, service: ServiceDep) -> TokenOut:
    pair = await service.refresh(data.refresh_token)
    return _token_out(pair)


@router.post("/logout", response_model=MessageOut, responses=error_responses(400, 401, 413))
async def logout(data: RefreshIn, service: ServiceDep) -> MessageOut:
    await service.logout(data.refresh_token)
    return MessageOut(message="Sesión cerrada exitosamente.")


@router.get("/me", response_model=ProfileOut, responses=error_responses(401))
async def me(user_id: CurrentUserId, db: SessionDep) -> ProfileOut:
    user = await repository.user_by_id(db, user_id)
    if user is None or not user.is_active:
        raise InvalidAccessToken()
    return ProfileOut(created_at=user.created_at, email_confirmed=user.email_confirmed_at is not None, **_profile(user))


@router.post("/confirm", response_model=MessageOut, responses=error_responses(400, 413))
async def confirm(data: ConfirmIn, db: SessionDep, state: StateDep) -> MessageOut:
    await confirmation.confirm(db, state.settings.secret_key.get_secret_value(), data.token)
    return MessageOut(message="Email confirmado. Ya puedes votar.")


# A person needs a resend now and then; a script must not use the service to mail someone.
_RESEND_RATE = RateLimitRule(requests=5, period_seconds=3600)


@router.post("/confirm/resend", response_model=MessageOut, responses=error_responses(401, 429))
async def resend_confirmation(
    user_id: CurrentUserId, unit: UnitOfWorkDep, state: StateDep, request: Request
) -> MessageOut:
    user = await repository.user_by_id(unit.session, user_id)
    if user is None or not user.is_active:
        raise InvalidAccessToken()
    if user.email_confirmed_at is not None:
        return MessageOut(message="Tu email ya está confirmado.")
    await enforce(state.rate_limiter, (f"confirm-resend:user:{user_id}", _RESEND_RATE))
    _send_confirmation_after_commit(unit, state, request, user)
    return MessageOut(message="Te enviamos un nuevo enlace de confirmación.")


@router.get("/status", response_model=StatusOut)
async def status() -> StatusOut:
    return StatusOut(status="ok")


@router.get("/jwks.json", summary="Public keys that verify access tokens")
async def jwks(state: StateDep) -> dict[str, Any]:
    return {"keys": [state.tokens.public_jwk()]}
