from __future__ import annotations

import unicodedata

from anb.videos.exceptions import InvalidTitle

MAX_TITLE_LENGTH = 255


def clean_title(raw: str | None) -> str:
    """Trimmed title of 1–255 characters with control characters removed (emoji and RTL stay)."""
    if raw is None:
        raise InvalidTitle()
    title = "".join(ch for ch in raw if unicodedata.category(ch) != "Cc").strip()
    if not 1 <= len(title) <= MAX_TITLE_LENGTH:
        raise InvalidTitle()
    return title
