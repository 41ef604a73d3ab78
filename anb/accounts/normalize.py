"""Text normalisation shared by signup, the city filters and the name search."""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def folded(text: str) -> str:
    """Case- and accent-insensitive form: "Bogotá", "BOGOTA" and " bogota " give "bogota"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def city_key(city: str) -> str:
    """What the city filters compare."""
    return folded(city)


def name_key(first_name: str, last_name: str) -> str:
    """What the name search reads: "Ana Pérez" gives "ana perez"."""
    return folded(f"{first_name} {last_name}")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email))


def is_strong_password(password: str) -> bool:
    return 8 <= len(password) <= 128 and any(ch.isalpha() for ch in password) and any(ch.isdigit() for ch in password)
