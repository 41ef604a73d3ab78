"""The storage interface the application codes against: object keys in, files and URLs out.

Every method blocks (disk or network I/O); async code calls them through a worker thread.
The database stores keys only; URLs are minted on demand by ``url()`` because they expire.
"""

from __future__ import annotations

import os
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

# SigV4 presigned URLs cannot live longer than 7 days; the same bound applies to local URLs.
MAX_URL_TTL_SECONDS = 7 * 24 * 3600


class ReadStream(Protocol):
    """What ``open_read`` yields: read in chunks, never the whole object at once."""

    def read(self, size: int = -1, /) -> bytes: ...


class Storage(ABC):
    """A bucket of immutable objects addressed by keys (see ``anb.storage.object_keys``)."""

    # Where callers write files destined for ``save_file``: chosen by the backend so that saving
    # is as cheap as possible (a rename on local disk).
    temp_dir: Path

    @abstractmethod
    def save_file(self, key: str, local_path: Path, content_type: str) -> None:
        """Move a finished local file into storage under ``key``.

        On success ``local_path`` no longer exists; on failure it is left in place for the caller
        to retry or delete. An existing object under ``key`` is replaced atomically.
        """

    @abstractmethod
    def open_read(self, key: str) -> AbstractContextManager[ReadStream]:
        """Stream an object: ``with storage.open_read(key) as stream: stream.read(1 << 20)``."""

    @abstractmethod
    def download_to(self, key: str, local_path: Path) -> None:
        """Copy an object to a local file (created or replaced)."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove one object; a missing object is not an error."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> None:
        """Remove every object under the folder ``prefix`` (``videos/12`` means ``videos/12/``)."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def size(self, key: str) -> int:
        """Size in bytes; ``ObjectNotFound`` when there is no such object."""

    @abstractmethod
    def url(self, key: str, expires_in: int, filename: str | None = None) -> str:
        """A URL a browser can use as-is (including Range requests) until ``expires_in`` seconds pass.

        ``filename`` is offered as the download name (``Content-Disposition: inline``).
        """

    @abstractmethod
    def check(self) -> None:
        """Raise ``StorageUnavailable`` quickly when the backend does not answer (readiness probe)."""

    def new_temp_path(self, suffix: str = "") -> Path:
        """A fresh, empty file in ``temp_dir``; the caller owns it (writes, saves or deletes it)."""
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(suffix=suffix, dir=self.temp_dir)
        os.close(fd)
        return Path(name)

    @contextmanager
    def temp_file(self, suffix: str = "") -> Iterator[Path]:
        """``new_temp_path`` that is removed on exit unless ``save_file`` already moved it."""
        path = self.new_temp_path(suffix)
        try:
            yield path
        finally:
            path.unlink(missing_ok=True)

    def remove_stale_temp_files(self, max_idle_seconds: float) -> int:
        """Delete temp files nobody has written for ``max_idle_seconds``; return how many went.

        ``temp_file`` cleans up after itself, so these are the leftovers of a process killed
        mid-upload. An upload in progress writes its file every megabyte and is never idle that long.
        """
        if not self.temp_dir.is_dir():
            return 0
        cutoff = time.time() - max_idle_seconds
        removed = 0
        for entry in os.scandir(self.temp_dir):
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:  # finished (saved or deleted) while we looked
                continue
        return removed


def check_ttl(expires_in: int) -> int:
    if not 1 <= expires_in <= MAX_URL_TTL_SECONDS:
        raise ValueError(f"expires_in must be between 1 and {MAX_URL_TTL_SECONDS} seconds, got {expires_in}")
    return expires_in
