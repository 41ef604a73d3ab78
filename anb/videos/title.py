from __future__ import annotations

import unicodedata

from anb.videos.exceptions import MissingTitle, TitleTooLong

MAX_TITLE_LENGTH = 255


def clean_title(raw: str | None) -> str:
    """Trimmed title of 1–255 characters with control characters removed (emoji and RTL stay)."""
    title = "".join(ch for ch in raw or "" if unicodedata.category(ch) != "Cc").strip()
    if not title:
        raise MissingTitle()
    if len(title) > MAX_TITLE_LENGTH:
        raise TitleTooLong(TitleTooLong.detail.format(max=MAX_TITLE_LENGTH))
    return title
