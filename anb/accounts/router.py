"""Accounts routes, mounted twice: ``/api/auth`` and ``/auth/api/v1`` behave identically."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError

from anb.access_tokens.tokens import InvalidAccessToken
from anb.accounts import repository
from anb.accounts.abuse import login_rate_limit, signup_rate_limit, with_login_lockout
from anb.accounts.models import User
from anb.accounts.schemas import (
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
from anb.deps import CurrentUserId, SessionDep, StateDep
from anb.errors import InvalidInput, error_responses
from anb.request_body import read_json_or_form

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
async def signup(data: SignupIn, service: ServiceDep) -> SignupOut:
    user = await service.signup(data)
    return SignupOut(message="Usuario creado exitosamente.", **_profile(user))


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
    return ProfileOut(created_at=user.created_at, **_profile(user))


@router.get("/status", response_model=StatusOut)
async def status() -> StatusOut:
    return StatusOut(status="ok")


@router.get("/jwks.json", summary="Public keys that verify access tokens")
async def jwks(state: StateDep) -> dict[str, Any]:
    return {"keys": [state.tokens.public_jwk()]}
