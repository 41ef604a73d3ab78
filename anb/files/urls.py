"""Playable URLs for stored objects, as clients receive them."""

from __future__ import annotations

from fastapi import Request

from anb.state import AppState


def playable_url(state: AppState, request: Request, key: str | None) -> str | None:
    """A signed, expiring URL a browser or API client can use as it is.

    S3 presigns absolute URLs; local storage signs app paths, made absolute with the address the
    client used (the Host header, or X-Forwarded-* behind the edge proxy).
    """
    if not key:
        return None
    url = state.storage.url(key, state.settings.media_url_ttl_seconds)
    if url.startswith("/"):
        return str(request.base_url).rstrip("/") + url
    return url
