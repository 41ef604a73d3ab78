"""Typed storage errors, so callers never see boto3 or OS exceptions.

``StorageUnavailable`` is the transient kind (endpoint down, timeouts, 5xx): a job may be retried
and the readiness probe reports storage as down. Every other failure is a plain ``StorageError``.
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every error raised by a storage backend."""


class StorageUnavailable(StorageError):
    """The backend did not answer or answered with a server-side error; retrying may succeed."""


class ObjectNotFound(StorageError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no stored object at key {key!r}")
        self.key = key


class PartsRejected(StorageError):
    """A multipart upload's completion named a part the store does not hold: never sent, or sent
    again since (another ETag), or out of order; the upload stays open and can be completed again."""

    def __init__(self, key: str, code: str) -> None:
        super().__init__(f"the store refused the parts named to complete {key!r}: {code}")
        self.key = key


class InvalidKey(StorageError, ValueError):
    """A key or prefix outside the allowed shape (see ``anb.storage.object_keys``): a programming error."""

    def __init__(self, key: str) -> None:
        super().__init__(f"invalid storage key {key!r}")
        self.key = key
