"""Stable, shareable addresses: ``/videos/<id>`` and ``/players/<id>``.

Each answers the single-page app's document (main.js shows the video or the profile) with head
tags of its own, so a link pasted in a chat gets a preview with the title and the poster.
``/videos/<id>/poster.jpg`` and ``/videos/<id>/video.mp4`` are the stable addresses those tags
name: they redirect to a freshly signed media URL, since signed URLs expire and previews are
fetched whenever a chat decides to.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from anb.deps import SessionDep, StateDep
from anb.errors import AppError
from anb.showcase import service as showcase
from anb.videos.exceptions import VideoNotFound
from anb.web.meta import CARD_IMAGE, SITE_NAME, PageMeta, site_url
from anb.web.router import REVALIDATE, VERSION, page_html

router = APIRouter(include_in_schema=False)
# The redirect may be reused for a while, well within the signed URL's lifetime.
REDIRECT_CACHE = "public, max-age=300"


def _who(display_name: str, username: str, city: str) -> str:
    """The name with the city once: namesakes' display names already carry it."""
    return display_name if display_name != username else f"{username} ({city})"


def _votes(count: int) -> str:
    return f"{count} {'voto' if count == 1 else 'votos'}"


def _document(meta: PageMeta, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(page_html(meta), status_code=status_code, headers={"Cache-Control": REVALIDATE})


def _not_found(request: Request, title: str) -> HTMLResponse:
    # The app still starts and says what is missing; the page is not indexed.
    base = site_url(request)
    meta = PageMeta(
        f"{title} · {SITE_NAME}",
        title,
        f"{base}{request.url.path}",
        f"{base}/assets/{VERSION}/{CARD_IMAGE}",
        indexable=False,
    )
    return _document(meta, 404)


@router.get("/videos/{video_id}")
async def video_page(video_id: str, request: Request, db: SessionDep, state: StateDep) -> HTMLResponse:
    try:
        video = await showcase.video(db, state, video_id)
    except AppError:
        return _not_found(request, "Video no encontrado")
    base = site_url(request)
    meta = PageMeta(
        title=f"{video.title} · {video.player_name} · ANB Rising Stars",
        description=f"{_who(video.player_name, video.username, video.city)}, {_votes(video.votes)}. "
        "Mira el video y vota por tu favorito.",
        url=f"{base}{video.page_url}",
        image=f"{base}{video.page_url}/poster.jpg",
        kind="video.other",
        video=f"{base}{video.page_url}/video.mp4" if video.processed_url else None,
    )
    return _document(meta)


@router.get("/players/{player_id}")
async def player_page(player_id: str, request: Request, db: SessionDep, state: StateDep) -> HTMLResponse:
    try:
        player = await showcase.player(db, state, player_id)
    except AppError:
        return _not_found(request, "Jugador no encontrado")
    base = site_url(request)
    rank = f", puesto {player.city_rank} en {player.city}" if player.city_rank else ""
    videos = f"{len(player.videos)} {'video' if len(player.videos) == 1 else 'videos'}"
    latest = player.videos[0]
    meta = PageMeta(
        title=f"{player.player_name} · ANB Rising Stars",
        description=f"{_who(player.player_name, player.username, player.city)}: {videos}, "
        f"{_votes(player.votes)}{rank}.",
        url=f"{base}{player.page_url}",
        image=f"{base}{latest.page_url}/poster.jpg",
        kind="profile",
    )
    return _document(meta)


async def _media(video_id: str, request: Request, db: SessionDep, state: StateDep, poster: bool) -> RedirectResponse:
    video = await showcase.video(db, state, video_id)  # 404 "Video no encontrado." for anything else
    target = video.poster_url if poster else video.processed_url
    if target is None and poster:
        target = f"{site_url(request)}/assets/{VERSION}/{CARD_IMAGE}"
    if target is None:
        raise VideoNotFound()
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": REDIRECT_CACHE})


@router.get("/videos/{video_id}/poster.jpg")
async def poster(video_id: str, request: Request, db: SessionDep, state: StateDep) -> RedirectResponse:
    return await _media(video_id, request, db, state, poster=True)


@router.get("/videos/{video_id}/video.mp4")
async def video_file(video_id: str, request: Request, db: SessionDep, state: StateDep) -> RedirectResponse:
    return await _media(video_id, request, db, state, poster=False)
