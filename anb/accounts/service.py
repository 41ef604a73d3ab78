"""Account use cases. They flush, never commit: the request owns the unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from anb.access_tokens.tokens import AccessTokens
from anb.accounts import repository
from anb.accounts.exceptions import (
    EmailTaken,
    InvalidCredentials,
    InvalidEmail,
    InvalidRefreshToken,
    PasswordMismatch,
    RefreshTokenReplayed,
    WeakPassword,
)
from anb.accounts.models import RefreshToken, User
from anb.accounts.normalize import city_key, is_strong_password, is_valid_email, normalize_email
from anb.accounts.passwords import hash_password, verify_password
from anb.accounts.refresh_tokens import hash_refresh_token, new_refresh_token
from anb.accounts.schemas import SignupIn
from anb.db.base import utcnow


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class AccountService:
    def __init__(self, db: AsyncSession, tokens: AccessTokens, refresh_ttl_seconds: int) -> None:
        self.db = db
        self.tokens = tokens
        self.refresh_ttl_seconds = refresh_ttl_seconds

    async def signup(self, data: SignupIn) -> User:
        email = normalize_email(data.email)
        if not is_valid_email(email):
            raise InvalidEmail()
        if data.password1 != data.password2:
            raise PasswordMismatch()
        if not is_strong_password(data.password1):
            raise WeakPassword()
        if await repository.user_by_email(self.db, email) is not None:
            raise EmailTaken()
        user = User(
            email=email,
            password_hash=await hash_password(data.password1),
            first_name=data.first_name,
            last_name=data.last_name,
            city=data.city,
            city_key=city_key(data.city),
            country=data.country,
        )
        self.db.add(user)
        try:
            await self.db.flush()
        except IntegrityError as exc:  # a concurrent signup with the same email won the race
            raise EmailTaken() from exc
        return user

    async def login(self, email: str, password: str) -> TokenPair:
        user = await repository.user_by_email(self.db, normalize_email(email))
        ok = await verify_password(user.password_hash if user else None, password)
        if user is None or not ok or not user.is_active:
            raise InvalidCredentials()
        return await self._issue(user.id, family_id=uuid.uuid4())

    async def refresh(self, token: str) -> TokenPair:
        current = await self._live_token(token)
        return await self._issue(current.user_id, family_id=current.family_id)

    async def logout(self, token: str) -> None:
        current = await self._live_token(token)
        await repository.revoke_family(self.db, current.family_id, utcnow())

    async def _live_token(self, token: str) -> RefreshToken:
        """Consume a refresh token; a replayed (already rotated) one revokes its whole family."""
        stored = await repository.refresh_token_by_hash(self.db, hash_refresh_token(token))
        now = utcnow()
        if stored is None or stored.expires_at <= now:
            raise InvalidRefreshToken()
        if not await repository.revoke_token(self.db, stored.id, now):
            await repository.revoke_family(self.db, stored.family_id, now)
            raise RefreshTokenReplayed()
        return stored

    async def _issue(self, user_id: uuid.UUID, family_id: uuid.UUID) -> TokenPair:
        refresh = new_refresh_token()
        self.db.add(
            RefreshToken(
                user_id=user_id,
                family_id=family_id,
                token_hash=hash_refresh_token(refresh),
                expires_at=utcnow() + timedelta(seconds=self.refresh_ttl_seconds),
            )
        )
        await self.db.flush()
        return TokenPair(self.tokens.issue(user_id), self.tokens.ttl_seconds, refresh, self.refresh_ttl_seconds)
