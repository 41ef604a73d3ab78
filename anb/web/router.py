"""Serves the single-page web front end: ``/`` and its assets under ``/assets/<version>/``.

There is no build step, so cache busting comes from the URL instead of from file names: the
version is a hash of every static file, computed once at import. ES modules import each other by
relative paths, so they all resolve under the same versioned prefix and can be cached for a year;
only the small index document is revalidated on every visit.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse

from anb.errors import NotFound
from anb.web.meta import CARD_IMAGE, PageMeta, site_url

STATIC_DIR = Path(__file__).with_name("static")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# JavaScript must be served with a JavaScript type or browsers refuse to run it as a module.
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}

router = APIRouter(include_in_schema=False)


def _assets() -> dict[str, Path]:
    """Every servable file by its URL path; a fixed table, so no request path ever reaches the disk."""
    return {
        path.relative_to(STATIC_DIR).as_posix(): path
        for path in sorted(STATIC_DIR.rglob("*"))
        if path.is_file() and path.name != "index.html"
    }


def _version(assets: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for name, path in assets.items():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _index(version: str, assets: dict[str, Path]) -> str:
    # Preloading every module turns the import waterfall (main → pages → helpers) into one round trip.
    preloads = "\n".join(
        f'    <link rel="modulepreload" href="/assets/{version}/{name}">' for name in assets if name.endswith(".js")
    )
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return html.replace("__VERSION__", version).replace("    <!-- modulepreload -->", preloads)


ASSETS = _assets()
VERSION = _version(ASSETS)
INDEX_TEMPLATE = _index(VERSION, ASSETS)


def page_html(meta: PageMeta) -> str:
    """The single-page app's document with the head tags of one address (share.py renders them)."""
    return INDEX_TEMPLATE.replace("    <!-- meta -->", meta.tags())


@router.get("/")
async def index(request: Request) -> HTMLResponse:
    meta = PageMeta.site(site_url(request), f"{site_url(request)}/assets/{VERSION}/{CARD_IMAGE}")
    return HTMLResponse(page_html(meta), headers={"Cache-Control": REVALIDATE})


@router.get("/robots.txt")
async def robots() -> PlainTextResponse:
    # Every public page may be indexed; the API is data, not pages.
    return PlainTextResponse("User-agent: *\nDisallow: /api/\n", headers={"Cache-Control": REVALIDATE})


@router.get("/assets/{version}/{name:path}")
async def asset(version: str, name: str) -> FileResponse:
    path = ASSETS.get(name)
    if path is None:
        raise NotFound()
    media_type = _TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    # A page loaded before a deploy may still ask for its old version: answer with today's file,
    # but do not let anything cache it under the old URL.
    cache = IMMUTABLE if version == VERSION else REVALIDATE
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": cache})
