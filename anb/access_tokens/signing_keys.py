"""Ed25519 signing keys for access tokens and the public key set that verifiers use.

Only the auth service needs the private key; any other service verifies with the public
key published at ``/api/auth/jwks.json``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from anb.config import AuthSettings

_DEV_KEY_FILE = "dev-signing-key.pem"


@dataclass(frozen=True)
class KeyPair:
    kid: str
    private_key: Ed25519PrivateKey | None
    public_key: Ed25519PublicKey

    def jwk(self) -> dict[str, Any]:
        raw = self.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig", "kid": self.kid, "x": _b64(raw)}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _kid(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def key_pair_from_pem(pem: bytes) -> KeyPair:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key must be an Ed25519 private key in PEM (PKCS#8)")
    return KeyPair(_kid(key.public_key()), key, key.public_key())


def verify_only_key_pair(public_pem: bytes) -> KeyPair:
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the public key must be an Ed25519 public key in PEM")
    return KeyPair(_kid(key), None, key)


def public_pem(pair: KeyPair) -> bytes:
    return pair.public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def generate_pem() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def development_key_pair(data_dir: Path) -> KeyPair:
    """A per-installation key kept in the data directory (mode 0600), created on first use.

    Creation uses O_EXCL so several server processes starting together agree on one key.
    """
    path = data_dir / _DEV_KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_pair_from_pem(_read_complete(path))
    with os.fdopen(fd, "wb") as handle:
        handle.write(generate_pem())
    return key_pair_from_pem(path.read_bytes())


def _read_complete(path: Path) -> bytes:
    # Another process may be between O_EXCL and its write: wait for the full PEM.
    for _ in range(50):
        pem = path.read_bytes()
        if b"END PRIVATE KEY" in pem:
            return pem
        time.sleep(0.05)
    raise RuntimeError(f"incomplete signing key file {path}")


def key_pair_from_settings(auth: AuthSettings, data_dir: Path) -> KeyPair:
    """The signing key when this role holds one, else the public key alone (a verifying role), else the
    development key under ``data_dir``."""
    pem = auth.signing_key.get_secret_value()
    if pem:
        return key_pair_from_pem(pem.encode())
    if auth.public_key:
        return verify_only_key_pair(auth.public_key.encode())
    return development_key_pair(data_dir)
