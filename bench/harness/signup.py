"""A new player's sign-up body, as the contract's signup route takes it."""

from __future__ import annotations

import uuid
from typing import Any


def unique_email() -> str:
    return f"player-{uuid.uuid4().hex[:10]}@example.com"


def signup_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "first_name": "Ana",
        "last_name": "Pérez",
        "email": unique_email(),
        "password1": "Canasta2024",
        "password2": "Canasta2024",
        "city": "Bogotá",
        "country": "Colombia",
    }
    body.update(overrides)
    return body
