"""Objects as files under one root directory: the embedded default.

Uploads are written to ``<root>/.tmp`` so that ``save_file`` is a rename on the same filesystem
(no byte is copied). Clients get signed, expiring app URLs (``/media/<key>?exp=..&sig=..``); the web
layer checks them with ``verify_signed`` and serves ``resolve(key)`` with Range support.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import hmac
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlencode

from anb.storage.base import Storage, check_ttl
from anb.storage.errors import InvalidKey, ObjectNotFound, StorageError, StorageUnavailable
from anb.storage.object_keys import folder_prefix, validate_key

_MIN_SECRET_BYTES = 16
# Keys never start a segment with ".", so this directory can never be addressed as an object.
_TEMP_DIR_NAME = ".tmp"
_MISSING_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError)


class LocalStorage(Storage):
    def __init__(self, root: Path, signing_secret: bytes, url_prefix: str = "/media") -> None:
        if len(signing_secret) < _MIN_SECRET_BYTES:
            raise ValueError(f"signing_secret must be at least {_MIN_SECRET_BYTES} bytes")
        self.root = root.resolve()
        self.temp_dir = self.root / _TEMP_DIR_NAME
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        self._secret = signing_secret
        self._url_prefix = url_prefix.rstrip("/")

    def resolve(self, key: str) -> Path:
        """The file behind ``key`` (which may not exist); ``InvalidKey`` for keys that could escape."""
        return self.root / validate_key(key)

    def save_file(self, key: str, local_path: Path, content_type: str) -> None:
        # The content type is not stored: served files get theirs from the key's extension.
        target = self.resolve(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _fsync(local_path)
            try:
                os.replace(local_path, target)
            except OSError as exc:
                if exc.errno != errno.EXDEV:
                    raise
                self._copy_in(local_path, target)
                local_path.unlink()
            # Make the rename itself durable: the database will soon point at this key.
            _fsync(target.parent)
        except OSError as exc:
            raise StorageError(f"cannot save {local_path} as {key!r}: {exc}") from exc

    def _copy_in(self, source: Path, target: Path) -> None:
        """Another filesystem: copy next to the target first so readers never see a partial file."""
        partial = self.new_temp_path()
        try:
            shutil.copyfile(source, partial)
            _fsync(partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)

    @contextmanager
    def open_read(self, key: str) -> Iterator[BinaryIO]:
        path = self.resolve(key)
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the with below, around the yield
        except _MISSING_ERRORS as exc:
            raise ObjectNotFound(key) from exc
        with stream:
            yield stream

    def download_to(self, key: str, local_path: Path) -> None:
        source = self.resolve(key)
        if not source.is_file():
            raise ObjectNotFound(key)
        try:
            shutil.copyfile(source, local_path)
        except FileNotFoundError as exc:
            # Deleted between the check and the copy, or the destination folder is missing.
            if not source.is_file():
                raise ObjectNotFound(key) from exc
            raise StorageError(f"cannot copy {key!r} to {local_path}: {exc}") from exc
        except OSError as exc:
            raise StorageError(f"cannot copy {key!r} to {local_path}: {exc}") from exc

    def delete(self, key: str) -> None:
        try:
            self.resolve(key).unlink(missing_ok=True)
        except _MISSING_ERRORS:
            pass
        except OSError as exc:
            raise StorageError(f"cannot delete {key!r}: {exc}") from exc

    def delete_prefix(self, prefix: str) -> None:
        folder = self.root / folder_prefix(prefix)
        # A worker may be writing into the folder while it is removed: look again a few times.
        for _ in range(3):
            if not folder.is_dir():
                return
            try:
                shutil.rmtree(folder)
                return
            except FileNotFoundError:
                continue
            except OSError as exc:
                if exc.errno != errno.ENOTEMPTY:
                    raise StorageError(f"cannot delete {prefix!r}: {exc}") from exc
        raise StorageError(f"cannot delete {prefix!r}: files keep appearing in it")

    def exists(self, key: str) -> bool:
        return self.resolve(key).is_file()

    def size(self, key: str) -> int:
        path = self.resolve(key)
        try:
            if path.is_file():
                return path.stat().st_size
        except FileNotFoundError:
            pass
        raise ObjectNotFound(key)

    def url(self, key: str, expires_in: int, filename: str | None = None) -> str:
        validate_key(key)
        expires_at = int(time.time()) + check_ttl(expires_in)
        query: dict[str, str | int] = {"exp": expires_at, "sig": self._signature(key, expires_at, filename)}
        if filename is not None:
            query["filename"] = filename
        return f"{self._url_prefix}/{quote(key)}?{urlencode(query)}"

    def verify_signed(
        self, key: str, exp: int | str, sig: str, filename: str | None = None, *, now: float | None = None
    ) -> bool:
        """True when ``sig`` was made by ``url()`` for exactly these values and has not expired."""
        try:
            validate_key(key)
            expires_at = int(exp)
        except (InvalidKey, ValueError):
            return False
        if expires_at < (time.time() if now is None else now):
            return False
        expected = self._signature(key, expires_at, filename)
        return hmac.compare_digest(expected.encode(), sig.encode())

    def _signature(self, key: str, expires_at: int, filename: str | None) -> str:
        # JSON keeps the fields unambiguous; the "v1" tag lets the format change without confusion.
        message = json.dumps(["anb-media-v1", key, expires_at, filename]).encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def check(self) -> None:
        try:
            probe = self.new_temp_path(".probe")
            probe.unlink()
        except OSError as exc:
            raise StorageUnavailable(f"local storage at {self.root} is not writable: {exc}") from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
