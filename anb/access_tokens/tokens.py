"""Access tokens: short-lived EdDSA JWTs, signed by the auth role and verified by every role."""

from __future__ import annotations

import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from anb.access_tokens.signing_keys import KeyPair, key_pair_from_settings
from anb.config import AuthSettings
from anb.db.base import utcnow
from anb.errors import Unauthorized

ACCESS_TYPE = "access"
_ALGORITHM = "EdDSA"


class InvalidToken(Exception):
    """Any token problem: expired, tampered, wrong algorithm, wrong type or unknown key."""


class InvalidAccessToken(Unauthorized):
    """What a client learns of an ``InvalidToken``: no detail that helps forge one."""

    code = "invalid_token"
    detail = "Token de acceso inválido o expirado."


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    expires_at: datetime


class AccessTokens:
    def __init__(self, keys: KeyPair, *, ttl_seconds: int, issuer: str, remembered: int = 10_000) -> None:
        self._keys = keys
        self.ttl_seconds = ttl_seconds
        self._issuer = issuer
        # Tokens already verified, least recently used first. A client sends the same token with
        # every request, and the Ed25519 check with PyJWT's parsing took a tenth of a vote's server
        # time (docs/voting.md). A token cannot change, so a verified one stays good until it
        # expires: only the expiry is checked again. Bounded, so a flood of tokens cannot grow it.
        self._verified: OrderedDict[str, AccessClaims] = OrderedDict()
        self._remembered = remembered

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
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signed(token)
            self._verified[token] = claims
            if len(self._verified) > self._remembered:
                self._verified.popitem(last=False)
        elif claims.expires_at <= utcnow():
            del self._verified[token]
            raise InvalidToken("expired")
        else:
            self._verified.move_to_end(token)
        return claims

    def _verify_signed(self, token: str) -> AccessClaims:
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


def access_tokens_from_settings(auth: AuthSettings, data_dir: Path) -> AccessTokens:
    return AccessTokens(key_pair_from_settings(auth, data_dir), ttl_seconds=auth.access_ttl_seconds, issuer=auth.issuer)
