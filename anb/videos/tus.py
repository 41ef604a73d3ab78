"""The tus 1.0 resumable-upload protocol (https://tus.io/protocols/resumable-upload) for direct
uploads on local disk: core protocol plus the creation, expiration and termination extensions.

    OPTIONS /api/videos/tus            capabilities (no Tus-Resumable needed)
    POST    /api/videos/tus            creation: Upload-Length, Upload-Metadata "title <b64>,filetype <b64>"
    HEAD    /api/videos/tus/{id}       Upload-Offset, Upload-Length, Upload-Expires
    PATCH   /api/videos/tus/{id}       application/offset+octet-stream at Upload-Offset
    DELETE  /api/videos/tus/{id}       termination

The upload's id is its signed ticket (``anb/videos/direct_uploads.py``), so the same upload is also
``/api/videos/uploads/{id}`` (state, completion). Written here, not taken from a package: the Python
tus servers on PyPI are unmaintained or bound to their own storage and routing, and the protocol's
core is a few header rules. Bytes received before a connection drops are kept: the client asks
HEAD for the offset and resumes there. Only one PATCH at a time writes an upload (a file lock).
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import os
from email.utils import formatdate
from typing import BinaryIO

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from anb.deps import CurrentUserId, StateDep
from anb.errors import AppError
from anb.videos.direct_router import TUS_PATH, DirectUploadsDep
from anb.videos.direct_uploads import DirectUploads, Ticket
from anb.videos.exceptions import UploadOffsetMismatch
from anb.videos.router import _upload_rate_limit, uploads_open

VERSION = "1.0.0"
EXTENSIONS = "creation,expiration,termination"
OFFSET_TYPE = "application/offset+octet-stream"
_WRITE_BATCH = 1024 * 1024

router = APIRouter(prefix=TUS_PATH, tags=["videos"], include_in_schema=False)


class TusError(AppError):
    """A protocol-level refusal, with the status tus prescribes."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail, headers={"Tus-Resumable": VERSION, "Tus-Version": VERSION})
        self.status_code = status  # type: ignore[misc]
        self.code = code  # type: ignore[misc]


async def tus_resumable(request: Request) -> None:
    """Every request but OPTIONS states the protocol version; another version is refused (412)."""
    if request.headers.get("Tus-Resumable") != VERSION:
        raise TusError(412, "tus_version", f"Se requiere el protocolo tus {VERSION} (cabecera Tus-Resumable).")


def _headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": VERSION, "Cache-Control": "no-store", **extra}


def _http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


@router.options("")
@router.options("/{token}")
async def capabilities(state: StateDep) -> Response:
    return Response(
        status_code=204,
        headers={
            "Tus-Resumable": VERSION,
            "Tus-Version": VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(state.settings.upload.max_bytes),
        },
    )


def _metadata(header: str) -> dict[str, str]:
    """``key base64value`` pairs separated by commas (a key alone has an empty value)."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        key, _, value = item.partition(" ")
        try:
            pairs[key] = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise TusError(400, "tus_metadata", "La cabecera Upload-Metadata no es válida.") from exc
    return pairs


@router.post("", dependencies=[Depends(tus_resumable), Depends(_upload_rate_limit), Depends(uploads_open)])
async def create(request: Request, user_id: CurrentUserId, uploads: DirectUploadsDep, state: StateDep) -> Response:
    raw_length = request.headers.get("Upload-Length", "")
    if not raw_length.isdigit():
        raise TusError(400, "tus_length", "Falta la cabecera Upload-Length (la subida diferida no se admite).")
    if int(raw_length) > state.settings.upload.max_bytes:
        raise TusError(413, "file_too_large", "El archivo supera el tamaño máximo permitido.")
    metadata = _metadata(request.headers.get("Upload-Metadata", ""))
    ticket = await uploads.open(user_id, metadata.get("title"), int(raw_length), metadata.get("filetype", ""))
    token = uploads.signer.sign(ticket)
    idle = state.settings.jobs.temp_file_max_idle_seconds
    return Response(
        status_code=201,
        headers=_headers(
            Location=f"{TUS_PATH}/{token}", **{"Upload-Expires": _http_date(uploads.tus_expires_at(ticket, idle))}
        ),
    )


@router.head("/{token}", dependencies=[Depends(tus_resumable)])
async def offset(token: str, user_id: CurrentUserId, uploads: DirectUploadsDep, state: StateDep) -> Response:
    ticket = uploads.ticket(user_id, token)
    received = uploads.tus_offset(ticket)
    expires = uploads.tus_expires_at(ticket, state.settings.jobs.temp_file_max_idle_seconds)
    return Response(
        status_code=200,
        headers=_headers(
            **{"Upload-Offset": str(received), "Upload-Length": str(ticket.size), "Upload-Expires": _http_date(expires)}
        ),
    )


@router.patch("/{token}", dependencies=[Depends(tus_resumable)])
async def append(
    token: str, request: Request, user_id: CurrentUserId, uploads: DirectUploadsDep, state: StateDep
) -> Response:
    if request.headers.get("Content-Type") != OFFSET_TYPE:
        raise TusError(415, "tus_content_type", f"El cuerpo debe ser {OFFSET_TYPE}.")
    ticket = uploads.ticket(user_id, token)
    claimed = request.headers.get("Upload-Offset", "")
    if not claimed.isdigit():
        raise TusError(400, "tus_offset", "Falta la cabecera Upload-Offset.")
    received = await _append(uploads, ticket, int(claimed), request)
    expires = uploads.tus_expires_at(ticket, state.settings.jobs.temp_file_max_idle_seconds)
    return Response(
        status_code=204, headers=_headers(**{"Upload-Offset": str(received), "Upload-Expires": _http_date(expires)})
    )


async def _append(uploads: DirectUploads, ticket: Ticket, claimed: int, request: Request) -> int:
    """Write the body at ``claimed``, which must be the bytes received so far; return the new offset.

    A body cut by the client keeps what arrived. A body that would run past the announced length is
    refused whole (nothing of it is kept), so the upload stays resumable at its previous offset.
    """
    uploads.tus_offset(ticket)  # an expired upload is 410 before a byte is read
    handle = await run_in_threadpool(open, uploads.tus_file(ticket), "r+b")
    try:
        if not await run_in_threadpool(_try_lock, handle):
            raise UploadOffsetMismatch(UploadOffsetMismatch.detail.format(offset="otra escritura en curso"))
        start = handle.seek(0, os.SEEK_END)
        if claimed != start:
            raise UploadOffsetMismatch(UploadOffsetMismatch.detail.format(offset=start))
        room, pending = ticket.size - start, bytearray()
        try:
            async for chunk in request.stream():
                room -= len(chunk)
                if room < 0:
                    await run_in_threadpool(handle.truncate, start)
                    raise TusError(413, "file_too_large", "Se enviaron más bytes que los anunciados en Upload-Length.")
                pending += chunk
                if len(pending) >= _WRITE_BATCH:
                    await run_in_threadpool(handle.write, bytes(pending))
                    pending.clear()
        except ClientDisconnect:
            pass  # keep what arrived: the client resumes from the offset HEAD reports
        await run_in_threadpool(handle.write, bytes(pending))
        await run_in_threadpool(handle.flush)
        return handle.tell()
    finally:
        await run_in_threadpool(handle.close)


def _try_lock(handle: BinaryIO) -> bool:
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@router.delete("/{token}", dependencies=[Depends(tus_resumable)])
async def terminate(token: str, user_id: CurrentUserId, uploads: DirectUploadsDep) -> Response:
    await uploads.abort(uploads.ticket(user_id, token))
    return Response(status_code=204, headers=_headers())
