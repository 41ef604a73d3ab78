"""Text normalisation shared by signup and the city filters."""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def city_key(city: str) -> str:
    """Case- and accent-insensitive key: "Bogotá", "BOGOTA" and " bogota " give "bogota"."""
    decomposed = unicodedata.normalize("NFKD", city.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email))


def is_strong_password(password: str) -> bool:
    return 8 <= len(password) <= 128 and any(ch.isalpha() for ch in password) and any(ch.isdigit() for ch in password)
