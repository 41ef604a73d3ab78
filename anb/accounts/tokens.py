"""Access tokens (short-lived EdDSA JWTs) and opaque refresh tokens stored as hashes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt

from anb.accounts.keys import KeyPair
from anb.db.base import utcnow

ACCESS_TYPE = "access"
_ALGORITHM = "EdDSA"


class InvalidToken(Exception):
    """Any token problem: expired, tampered, wrong algorithm, wrong type or unknown key."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    expires_at: datetime


class AccessTokens:
    def __init__(self, keys: KeyPair, *, ttl_seconds: int, issuer: str) -> None:
        self._keys = keys
        self.ttl_seconds = ttl_seconds
        self._issuer = issuer

    def public_jwk(self) -> dict[str, Any]:
        return self._keys.jwk()

    def issue(self, user_id: uuid.UUID) -> str:
        if self._keys.private_key is None:
            raise RuntimeError("this service holds no signing key")
        now = utcnow()
        claims = {
            "sub": str(user_id),
            "type": ACCESS_TYPE,
            "iss": self._issuer,
            "iat": now,
            "exp": now + timedelta(seconds=self.ttl_seconds),
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self._keys.private_key, algorithm=_ALGORITHM, headers={"kid": self._keys.kid})

    def verify(self, token: str) -> AccessClaims:
        try:
            # The algorithm list is fixed: "none" or HS256 with the public key as secret are refused.
            claims = jwt.decode(
                token,
                self._keys.public_key,
                algorithms=[_ALGORITHM],
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "type"]},
            )
            if jwt.get_unverified_header(token).get("kid") != self._keys.kid:
                raise InvalidToken("unknown key id")
        except jwt.PyJWTError as exc:
            raise InvalidToken(str(exc)) from exc
        if claims.get("type") != ACCESS_TYPE:
            raise InvalidToken("not an access token")
        try:
            user_id = uuid.UUID(claims["sub"])
        except (ValueError, TypeError) as exc:
            raise InvalidToken("bad subject") from exc
        return AccessClaims(user_id, datetime.fromtimestamp(claims["exp"], tz=utcnow().tzinfo))


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # Refresh tokens carry 256 random bits, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()
