"""Resumable direct uploads: open (title, size, type) → the bytes in parts → complete.

The bytes never pass through this process on S3: each part goes to the bucket through a presigned
URL (``S3Storage.part_url``) that signs its exact length, and the client completes with the parts'
numbers and the ETags S3 answered to each PUT. On local disk they come through the server's tus 1.0
endpoint (``anb/videos/tus.py``) into a file of the storage's temporary directory. Completion checks
the size announced at the open, reads the container's header (a ranged read of the stored object on
S3), and adds the video row whose job the router hands to the queue once committed — the same row
and the same checks as ``POST /api/videos/upload``.

On S3 a completion costs two or three requests to S3 (join the parts, one or two ranged GETs of the
header) and no listing: the parts named must be the upload's plan, each once, so their signed sizes
add up to the announced size; S3 refuses a part it does not hold under that ETag (``InvalidPart``);
and the first ranged GET's ``Content-Range`` tells the joined object's size, checked again.

An upload is named by a token the server signed (HMAC-SHA256 with the service's secret): the
player, the title, the size, the type, the S3 multipart upload and the expiry. No row exists until
completion, so an abandoned upload leaves nothing in the database; its bytes go by the bucket's
lifecycle rule for incomplete multipart uploads (S3) or by the sweeper's pass over idle temporary
files (disk).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from anb.config import UploadSettings
from anb.ffmpeg.probe import ProbeResult
from anb.storage.base import Storage
from anb.storage.errors import ObjectNotFound, PartsRejected
from anb.storage.s3 import S3Storage, StoredPart
from anb.videos import file_layout
from anb.videos.exceptions import (
    EmptyFile,
    FileTooLarge,
    NotUploadOwner,
    UnsupportedFormat,
    UploadExpired,
    UploadIncomplete,
    UploadNotFound,
    UploadPartsRejected,
)
from anb.videos.inspection import inspect_upload
from anb.videos.models import Video
from anb.videos.service import VideoService, storage_failures_as_503
from anb.videos.title import clean_title

# The types a browser reports for the ISO BMFF family; the content is what is checked, at completion.
ACCEPTED_TYPES = frozenset({"video/mp4", "video/quicktime", "video/x-m4v"})
# S3 accepts parts of 5 MiB and more (the last may be smaller) and at most 10,000 of them.
_MIN_PART = 8 * 1024 * 1024
MAX_PARTS = 10_000
TUS_PREFIX = "tus-"


@dataclass(frozen=True)
class Ticket:
    """What the upload's token carries."""

    video_id: str
    owner_id: str
    title: str
    size: int
    content_type: str
    expires_at: int  # Unix time
    s3_upload_id: str | None = None

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(self.video_id)

    @property
    def part_size(self) -> int:
        return max(_MIN_PART, math.ceil(self.size / MAX_PARTS))

    def parts(self) -> list[tuple[int, int]]:
        """(part number, size) of every part of the upload."""
        count = math.ceil(self.size / self.part_size)
        return [(n + 1, min(self.part_size, self.size - n * self.part_size)) for n in range(count)]

    def completed_parts(self, sent: Sequence[SentPart]) -> list[StoredPart]:
        """The parts a completion names, checked against the plan before S3 is asked: each part of
        the plan once (its size is the one its URL signed), none outside it."""
        sizes = dict(self.parts())
        etags = {part.number: part.etag for part in sent}
        if len(etags) < len(sent) or not etags.keys() <= sizes.keys():
            raise UploadPartsRejected()
        received = sum(sizes[number] for number in etags)
        if received != self.size:
            raise UploadIncomplete(UploadIncomplete.detail.format(received=received, size=self.size))
        return [StoredPart(number, sizes[number], etags[number]) for number in sorted(etags)]


@dataclass(frozen=True)
class SentPart:
    """A part as the client completes it: its number and the ETag S3 answered to its PUT."""

    number: int
    etag: str


class TicketSigner:
    def __init__(self, secret: bytes) -> None:
        self._key = hashlib.sha256(b"anb direct upload\0" + secret).digest()

    def sign(self, ticket: Ticket) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(asdict(ticket), separators=(",", ":")).encode()).rstrip(b"=")
        mac = base64.urlsafe_b64encode(hmac.new(self._key, payload, hashlib.sha256).digest()).rstrip(b"=")
        return f"{payload.decode()}.{mac.decode()}"

    def read(self, token: str) -> Ticket:
        """The ticket of a token this server signed; ``UploadNotFound`` for anything else."""
        payload, _, mac = token.partition(".")
        expected = base64.urlsafe_b64encode(hmac.new(self._key, payload.encode(), hashlib.sha256).digest()).rstrip(b"=")
        if not hmac.compare_digest(expected, mac.encode()):
            raise UploadNotFound()
        try:
            return Ticket(**json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))
        except (ValueError, TypeError) as exc:
            raise UploadNotFound() from exc


class DirectUploads:
    def __init__(self, videos: VideoService, storage: Storage, limits: UploadSettings, signer: TicketSigner) -> None:
        self.videos = videos
        self.storage = storage
        self.limits = limits
        self.signer = signer

    @property
    def on_s3(self) -> bool:
        return isinstance(self.storage, S3Storage)

    async def open(self, owner_id: uuid.UUID, title: str | None, size: int, content_type: str) -> Ticket:
        title = clean_title(title)
        if size <= 0:
            raise EmptyFile()
        if size > self.limits.max_bytes:
            raise FileTooLarge(FileTooLarge.detail.format(limit_mb=self.limits.max_bytes // (1024 * 1024)))
        if content_type not in ACCEPTED_TYPES:
            raise UnsupportedFormat()
        ticket = Ticket(
            video_id=str(uuid.uuid4()),
            owner_id=str(owner_id),
            title=title,
            size=size,
            content_type=content_type,
            expires_at=int(time.time()) + self.limits.direct_upload_ttl_seconds,
        )
        if isinstance(self.storage, S3Storage):
            with storage_failures_as_503():
                upload_id = await run_in_threadpool(
                    self.storage.start_multipart, file_layout.original_key(ticket.id), content_type
                )
            return Ticket(**{**asdict(ticket), "s3_upload_id": upload_id})
        self.tus_file(ticket).parent.mkdir(parents=True, exist_ok=True)
        self.tus_file(ticket).touch(exist_ok=False)
        return ticket

    def ticket(self, owner_id: uuid.UUID, token: str) -> Ticket:
        """The caller's own, unexpired upload."""
        ticket = self.signer.read(token)
        if ticket.owner_id != str(owner_id):
            raise NotUploadOwner()
        if ticket.expires_at <= time.time():
            raise UploadExpired()
        return ticket

    def part_urls(self, ticket: Ticket) -> list[dict[str, int | str]]:
        assert isinstance(self.storage, S3Storage) and ticket.s3_upload_id is not None
        key, ttl = file_layout.original_key(ticket.id), max(1, ticket.expires_at - int(time.time()))
        return [
            {"number": n, "size": size, "url": self.storage.part_url(key, ticket.s3_upload_id, n, size, ttl)}
            for n, size in ticket.parts()
        ]

    async def stored_parts(self, ticket: Ticket) -> list[StoredPart]:
        assert isinstance(self.storage, S3Storage) and ticket.s3_upload_id is not None
        with storage_failures_as_503():
            try:
                return await run_in_threadpool(
                    self.storage.multipart_parts, file_layout.original_key(ticket.id), ticket.s3_upload_id
                )
            except ObjectNotFound as exc:  # completed, aborted, or removed by the lifecycle rule
                raise UploadNotFound() from exc

    # Local disk: the bytes received by the tus endpoint, in a temporary file.

    def tus_file(self, ticket: Ticket) -> Path:
        return self.storage.temp_dir / f"{TUS_PREFIX}{ticket.video_id}.part"

    def tus_offset(self, ticket: Ticket) -> int:
        """Bytes received so far; ``UploadExpired`` once the sweeper removed an idle upload."""
        try:
            return self.tus_file(ticket).stat().st_size
        except FileNotFoundError as exc:
            raise UploadExpired() from exc

    def tus_expires_at(self, ticket: Ticket, idle_seconds: float) -> float:
        """When the upload expires: at its ticket's expiry, or once idle as long as the sweeper allows."""
        try:
            idle_end = self.tus_file(ticket).stat().st_mtime + idle_seconds
        except FileNotFoundError:
            idle_end = time.time()
        return min(ticket.expires_at, idle_end)

    async def complete(self, ticket: Ticket, sent: Sequence[SentPart], correlation_id: str) -> Video:
        """Check what was uploaded and add its video row (flushed, not committed). ``sent``: the
        parts the client PUT to S3 (unused on local disk, where the server holds the bytes)."""
        if isinstance(self.storage, S3Storage):
            return await self._complete_s3(self.storage, ticket, sent, correlation_id)
        path = self.tus_file(ticket)
        received = self.tus_offset(ticket)
        if received != ticket.size:
            raise UploadIncomplete(UploadIncomplete.detail.format(received=received, size=ticket.size))
        try:
            info = await run_in_threadpool(inspect_upload, path, self.limits)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        owner = uuid.UUID(ticket.owner_id)
        return await self.videos.add_video(ticket.id, owner, ticket.title, path, ticket.size, info, correlation_id)

    async def _complete_s3(
        self, storage: S3Storage, ticket: Ticket, sent: Sequence[SentPart], correlation_id: str
    ) -> Video:
        assert ticket.s3_upload_id is not None
        key = file_layout.original_key(ticket.id)
        parts = ticket.completed_parts(sent)
        with storage_failures_as_503():
            try:
                await run_in_threadpool(storage.complete_multipart, key, ticket.s3_upload_id, parts)
            except ObjectNotFound as exc:  # completed, aborted, or removed by the lifecycle rule
                raise UploadNotFound() from exc
            except PartsRejected as exc:  # the upload stays open: the client may send the parts again
                raise UploadPartsRejected() from exc
        try:
            with storage_failures_as_503():
                info = await run_in_threadpool(_inspect_stored, storage, key, ticket.size, self.limits)
        except Exception:
            await self.videos.discard_files(ticket.id)
            raise
        owner = uuid.UUID(ticket.owner_id)
        return await self.videos.add_stored_video(ticket.id, owner, ticket.title, ticket.size, info, correlation_id)

    async def abort(self, ticket: Ticket) -> None:
        if isinstance(self.storage, S3Storage):
            assert ticket.s3_upload_id is not None
            with storage_failures_as_503():
                try:
                    await run_in_threadpool(
                        self.storage.abort_multipart, file_layout.original_key(ticket.id), ticket.s3_upload_id
                    )
                except ObjectNotFound as exc:  # an upload that is no longer open is reported as such
                    raise UploadNotFound() from exc
            return
        self.tus_offset(ticket)  # expired (or already ended) uploads are reported as such
        self.tus_file(ticket).unlink(missing_ok=True)


def _inspect_stored(storage: S3Storage, key: str, size: int, limits: UploadSettings) -> ProbeResult:
    with storage.open_ranged(key) as reader:
        # The joined object's size, from the first ranged GET: a part of another length than its URL
        # signed (which S3 refuses, but not every S3-compatible server) is caught here.
        if reader.size != size:
            raise UploadIncomplete(UploadIncomplete.detail.format(received=reader.size, size=size))
        return inspect_upload(reader, limits)
