"""Token attacks: expired, tampered, alg none, HS256 with the public key, wrong type, replay; and the
memory of verified tokens, which must never outlive a token's expiry."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI

from anb.access_tokens.signing_keys import generate_pem, key_pair_from_pem
from anb.access_tokens.tokens import AccessTokens, InvalidToken
from anb.db.base import utcnow
from tests.support.accounts import bearer, signup_and_login


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(user_id: str, **overrides: object) -> dict[str, object]:
    now = utcnow()
    claims: dict[str, object] = {
        "sub": user_id,
        "type": "access",
        "iss": "anb-rising-stars",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return claims


async def _me(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/auth/me", headers=bearer(token))).status_code


def _server_key(app: FastAPI) -> tuple[Ed25519PrivateKey, str]:
    keys = app.state.anb.tokens._keys
    return keys.private_key, keys.kid


async def test_valid_token_forged_with_server_key_is_accepted(client: httpx.AsyncClient, app: FastAPI) -> None:
    # Control case: proves the attacks below fail for the reason they test, not by accident.
    session = await signup_and_login(client)
    key, kid = _server_key(app)
    token = jwt.encode(_claims(session["user_id"]), key, algorithm="EdDSA", headers={"kid": kid})
    assert await _me(client, token) == 200


async def test_expired_token(client: httpx.AsyncClient, app: FastAPI) -> None:
    session = await signup_and_login(client)
    key, kid = _server_key(app)
    past = utcnow() - timedelta(hours=1)
    token = jwt.encode(
        _claims(session["user_id"], iat=past, exp=past + timedelta(minutes=5)),
        key,
        algorithm="EdDSA",
        headers={"kid": kid},
    )
    assert await _me(client, token) == 401


async def test_tampered_payload(client: httpx.AsyncClient) -> None:
    session = await signup_and_login(client)
    other = await signup_and_login(client)
    header, payload, signature = session["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = other["user_id"]
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert await _me(client, forged) == 401


async def test_alg_none(client: httpx.AsyncClient) -> None:
    session = await signup_and_login(client)
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps({"sub": session["user_id"], "type": "access", "exp": 4102444800}).encode())
    assert await _me(client, f"{header}.{payload}.") == 401


async def test_hs256_signed_with_the_public_key(client: httpx.AsyncClient, app: FastAPI) -> None:
    session = await signup_and_login(client)
    public = app.state.anb.tokens._keys.public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    token = jwt.encode(_claims(session["user_id"]), public, algorithm="HS256")
    assert await _me(client, token) == 401


async def test_token_signed_by_another_key(client: httpx.AsyncClient, app: FastAPI) -> None:
    session = await signup_and_login(client)
    _, kid = _server_key(app)
    token = jwt.encode(
        _claims(session["user_id"]), Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid}
    )
    assert await _me(client, token) == 401


async def test_wrong_type_claim(client: httpx.AsyncClient, app: FastAPI) -> None:
    session = await signup_and_login(client)
    key, kid = _server_key(app)
    token = jwt.encode(_claims(session["user_id"], type="refresh"), key, algorithm="EdDSA", headers={"kid": kid})
    assert await _me(client, token) == 401


async def test_refresh_token_used_as_access_token(client: httpx.AsyncClient) -> None:
    session = await signup_and_login(client)
    assert await _me(client, session["refresh_token"]) == 401


async def test_token_of_a_deleted_user(client: httpx.AsyncClient, app: FastAPI) -> None:
    key, kid = _server_key(app)
    token = jwt.encode(_claims(str(uuid.uuid4())), key, algorithm="EdDSA", headers={"kid": kid})
    assert await _me(client, token) == 401


def _tokens(ttl_seconds: int = 900, remembered: int = 10_000) -> AccessTokens:
    return AccessTokens(
        key_pair_from_pem(generate_pem()), ttl_seconds=ttl_seconds, issuer="anb-rising-stars", remembered=remembered
    )


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    tokens = _tokens(ttl_seconds=1)
    user_id = uuid.uuid4()
    token = tokens.issue(user_id)
    assert tokens.verify(token).user_id == user_id  # verified, and now remembered
    time.sleep(2)  # "exp" is whole seconds: at most one second after issue
    with pytest.raises(InvalidToken):
        tokens.verify(token)
    with pytest.raises(InvalidToken):
        tokens.verify(token)  # forgotten, and refused again by its signature's claims


def test_remembering_a_token_does_not_vouch_for_a_tampered_one() -> None:
    tokens = _tokens()
    token = tokens.issue(uuid.uuid4())
    tokens.verify(token)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = str(uuid.uuid4())
    with pytest.raises(InvalidToken):
        tokens.verify(f"{header}.{_b64(json.dumps(claims).encode())}.{signature}")


def test_the_memory_of_verified_tokens_is_bounded() -> None:
    tokens = _tokens(remembered=2)
    issued = [tokens.issue(uuid.uuid4()) for _ in range(5)]
    for token in issued:
        tokens.verify(token)
    assert len(tokens._verified) == 2
    # A forgotten token is verified again from its signature.
    first = issued[0]
    assert first not in tokens._verified
    tokens.verify(first)
