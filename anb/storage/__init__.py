"""Object storage: local disk (embedded default) or S3, behind one interface keyed by object keys.

Infrastructure only: it receives plain values and never imports settings or feature packages.
"""

from anb.storage.base import MAX_URL_TTL_SECONDS, ReadStream, Storage
from anb.storage.errors import InvalidKey, ObjectNotFound, StorageError, StorageUnavailable
from anb.storage.factory import build_storage
from anb.storage.keys import folder_prefix, validate_key
from anb.storage.local import LocalStorage
from anb.storage.s3 import S3Storage

__all__ = [
    "MAX_URL_TTL_SECONDS",
    "InvalidKey",
    "LocalStorage",
    "ObjectNotFound",
    "ReadStream",
    "S3Storage",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "build_storage",
    "folder_prefix",
    "validate_key",
]
