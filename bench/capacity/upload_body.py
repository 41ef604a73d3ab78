"""Upload bodies built once per process and sent by a reader that notes when its last byte left.

The multipart body (the file plus the title) is assembled in memory once, so hundreds of virtual
users share one copy and no user reads the disk during the run. Each request sends it through a
``TimedBody``: the HTTP client reads it block by block and writes each block to the socket, so the
moment it asks for more after the last block is the moment the last byte was handed to the kernel.
That splits the upload's latency into body transfer (request start → last byte) and server accept
(last byte → the 201).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class UploadBody:
    content: bytes
    content_type: str

    @classmethod
    def from_file(cls, path: Path, title: str) -> UploadBody:
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="video_file"; filename="{path.name}"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        return cls(head + path.read_bytes() + tail, f"multipart/form-data; boundary={boundary}")


class TimedBody:
    """A file-like view of ``content``; ``last_byte_at`` is set when the client finds its end."""

    def __init__(self, content: bytes) -> None:
        self._view = memoryview(content)
        self._offset = 0
        self.last_byte_at: float | None = None

    def __len__(self) -> int:
        return len(self._view)  # gives the request a Content-Length (no chunked encoding)

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size < 0 else min(len(self._view), self._offset + size)
        block = self._view[self._offset : end].tobytes()
        self._offset = end
        if not block and self.last_byte_at is None:
            self.last_byte_at = time.perf_counter()
        return block
