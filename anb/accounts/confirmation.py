"""Confirmed emails: the signed link sent at signup, its confirmation, and the check votes make.

The link's token is a JWT (PyJWT, HS256) under a key derived from ``ANB_SECRET_KEY`` for this
purpose alone, naming the account and the email it was sent to, valid for
``ANB_CONTEST__CONFIRMATION_TTL_SECONDS``: a token for an address the account no longer has
confirms nothing. Confirming twice is harmless.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta
from weakref import WeakKeyDictionary

import jwt
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.accounts.exceptions import EmailUnconfirmed, InvalidConfirmationToken
from anb.accounts.models import User
from anb.db.base import utcnow
from anb.mail import Mailer

_PURPOSE = "anb/email-confirmation"
SUBJECT = "Confirma tu email · ANB Rising Stars"


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _PURPOSE.encode(), hashlib.sha256).digest()


def make_token(secret: str, user_id: uuid.UUID, email: str, ttl_seconds: int) -> str:
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "email": email,
        "aud": _PURPOSE,
        "iat": now,
        "exp": now + timedelta(seconds=ttl_seconds),
    }
    return jwt.encode(claims, _key(secret), algorithm="HS256")


def read_token(secret: str, token: str) -> tuple[uuid.UUID, str]:
    try:
        claims = jwt.decode(token, _key(secret), algorithms=["HS256"], audience=_PURPOSE)
        return uuid.UUID(claims["sub"]), str(claims["email"])
    except (jwt.InvalidTokenError, KeyError, ValueError) as exc:
        raise InvalidConfirmationToken() from exc


def link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/#/confirmar?token={token}"


def body(first_name: str, url: str) -> str:
    return (
        f"Hola, {first_name}:\n\n"
        "Gracias por registrarte en ANB Rising Stars Showcase. Para votar, confirma tu email"
        f" abriendo este enlace:\n\n{url}\n\n"
        "Si no creaste esta cuenta, ignora este mensaje.\n"
    )


async def send_link(mailer: Mailer, secret: str, ttl_seconds: int, base_url: str, user: User) -> None:
    token = make_token(secret, user.id, user.email, ttl_seconds)
    await mailer.send(user.email, SUBJECT, body(user.first_name, link(base_url, token)))


async def confirm(db: AsyncSession, secret: str, token: str) -> None:
    user_id, email = read_token(secret, token)
    user = await db.get(User, user_id)
    if user is None or user.email != email or not user.is_active:
        raise InvalidConfirmationToken()
    if user.email_confirmed_at is None:
        await db.execute(
            update(User)
            .where(User.id == user_id, User.email_confirmed_at.is_(None))
            .values(email_confirmed_at=utcnow())
        )


class ConfirmedVoters:
    """The vote's check. A confirmation is never undone, so each process remembers the confirmed
    voters it has seen (bounded) and asks the database only about the others."""

    MAX_REMEMBERED = 200_000

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._confirmed: set[uuid.UUID] = set()

    async def require(self, user_id: uuid.UUID) -> None:
        if user_id in self._confirmed:
            return
        async with self._sessions() as db:
            confirmed_at = await db.scalar(select(User.email_confirmed_at).where(User.id == user_id))
        if confirmed_at is None:
            raise EmailUnconfirmed()
        if len(self._confirmed) >= self.MAX_REMEMBERED:
            self._confirmed.clear()
        self._confirmed.add(user_id)


_voters: WeakKeyDictionary[AsyncEngine, ConfirmedVoters] = WeakKeyDictionary()


def confirmed_voters(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> ConfirmedVoters:
    """The memory of one process's engine."""
    voters = _voters.get(engine)
    if voters is None:
        voters = _voters[engine] = ConfirmedVoters(sessions)
    return voters
