"""Streams a multipart upload straight into a temporary file, never holding it in memory.

Only the file part is written to disk, in the chunks the client sends; small text fields are
kept (bounded). Limits are enforced while reading, so an oversized body is refused early.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import anyio
from fastapi import Request
from python_multipart.multipart import MultipartParseError, MultipartParser, parse_options_header

from anb.videos.exceptions import FileTooLarge, MalformedMultipart, MissingFile, MultipleFiles, NotMultipart

FILE_FIELDS = ("video_file", "file")
_MAX_FIELD_BYTES = 16 * 1024
# Multipart framing and a title fit in this much beyond the file itself.
_ENVELOPE_BYTES = 64 * 1024
# File bytes are handed to a thread for writing in batches this big: the event loop never
# waits on the disk, and memory per upload stays about this size whatever the file size.
_WRITE_BATCH_BYTES = 1024 * 1024


@dataclass
class ReceivedUpload:
    """The client's filename is not kept: nothing on the server is ever named after it."""

    path: Path
    size: int
    fields: dict[str, str] = field(default_factory=dict)


class _PartCollector:
    """Parser callbacks: routes file bytes to the temp file and text fields to memory."""

    def __init__(self, max_file_bytes: int) -> None:
        self.pending = bytearray()
        self.max_file_bytes = max_file_bytes
        self.size = 0
        self.files = 0
        self.fields: dict[str, str] = {}
        self._header_name = b""
        self._header_value = b""
        self._disposition: dict[bytes, bytes] = {}
        self._field_buffer = bytearray()
        self._target: str | None = None

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._append("_header_name", d[s:e]),
            "on_header_value": lambda d, s, e: self._append("_header_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _append(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _part_begin(self) -> None:
        self._disposition = {}
        self._field_buffer = bytearray()
        self._target = None

    def _header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = parse_options_header(self._header_value)[1]
        self._header_name, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        name = self._disposition.get(b"name", b"").decode("utf-8", "replace")
        is_file = b"filename" in self._disposition or name in FILE_FIELDS
        if is_file and name in FILE_FIELDS:
            self.files += 1
            if self.files > 1:
                raise MultipleFiles()
            self._target = "file"
        elif not is_file:
            self._target = name
        # Files under other field names are ignored: their bytes are read but not kept.

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._target == "file":
            self.size += end - start
            if self.size > self.max_file_bytes:
                raise FileTooLarge(FileTooLarge.detail.format(limit_mb=self.max_file_bytes // (1024 * 1024)))
            self.pending += data[start:end]
        elif self._target is not None:
            self._field_buffer += data[start:end]
            if len(self._field_buffer) > _MAX_FIELD_BYTES:
                self._field_buffer = self._field_buffer[: _MAX_FIELD_BYTES + 1]

    def _part_end(self) -> None:
        if self._target not in (None, "file"):
            self.fields[self._target] = self._field_buffer.decode("utf-8", "replace")
        self._target = None


def _boundary(request: Request) -> bytes:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise NotMultipart()
    return options[b"boundary"]


def _check_declared_length(request: Request, max_file_bytes: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_file_bytes + _ENVELOPE_BYTES:
        raise FileTooLarge(FileTooLarge.detail.format(limit_mb=max_file_bytes // (1024 * 1024)))


async def receive_upload(request: Request, temp_path: Path, max_file_bytes: int) -> ReceivedUpload:
    """Write the upload's file part to ``temp_path``; the caller deletes it on any error."""
    boundary = _boundary(request)
    _check_declared_length(request, max_file_bytes)
    collector = _PartCollector(max_file_bytes)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    sink = await anyio.open_file(temp_path, "wb")
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if len(collector.pending) >= _WRITE_BATCH_BYTES:
                await sink.write(bytes(collector.pending))
                collector.pending.clear()
        parser.finalize()
        await sink.write(bytes(collector.pending))
    except MultipartParseError as exc:
        raise MalformedMultipart() from exc
    finally:
        await sink.aclose()
    if collector.files == 0:
        raise MissingFile()
    return ReceivedUpload(temp_path, collector.size, collector.fields)
