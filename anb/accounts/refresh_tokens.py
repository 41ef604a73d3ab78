"""Opaque refresh tokens: handed to the client once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # Refresh tokens carry 256 random bits, so a fast hash is enough (no dictionary to guess from).
    return hashlib.sha256(token.encode()).hexdigest()
