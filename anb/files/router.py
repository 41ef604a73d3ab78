from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from anb.deps import StateDep
from anb.errors import Forbidden, NotFound, error_responses
from anb.storage.errors import ObjectNotFound
from anb.storage.local import LocalStorage

router = APIRouter(tags=["media"])

_TYPES = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".png": "image/png"}


@router.get(
    "/media/{key:path}",
    summary="A stored file, by a signed URL handed out by the API (supports Range requests)",
    responses=error_responses(403, 404),
    response_class=FileResponse,
)
async def media_file(
    key: str,
    state: StateDep,
    exp: Annotated[str, Query()] = "",
    sig: Annotated[str, Query()] = "",
    filename: Annotated[str | None, Query()] = None,
) -> FileResponse:
    storage = state.storage
    if not isinstance(storage, LocalStorage):
        raise NotFound()
    if not storage.verify_signed(key, exp, sig, filename):
        raise Forbidden("El enlace no es válido o ha expirado.")
    try:
        path = storage.resolve(key)
        if not path.is_file():
            raise ObjectNotFound(key)
    except ObjectNotFound as exc:
        raise NotFound() from exc
    return FileResponse(
        path,
        media_type=_TYPES.get(path.suffix, "application/octet-stream"),
        content_disposition_type="inline",
        filename=filename,
        headers={"Cache-Control": "private, max-age=300"},
    )
