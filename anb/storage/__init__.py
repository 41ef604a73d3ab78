"""Object storage: local disk (embedded default) or S3, behind one interface keyed by object keys.

Infrastructure only: it takes its settings group and never imports feature packages. The
backends live in ``anb.storage.local`` and ``anb.storage.s3`` (boto3 is only imported with S3).
"""

from anb.storage.base import MAX_URL_TTL_SECONDS, ReadStream, Storage
from anb.storage.errors import InvalidKey, ObjectNotFound, StorageError, StorageUnavailable
from anb.storage.factory import build_storage
from anb.storage.object_keys import folder_prefix, validate_key

__all__ = [
    "MAX_URL_TTL_SECONDS",
    "InvalidKey",
    "ObjectNotFound",
    "ReadStream",
    "Storage",
    "StorageError",
    "StorageUnavailable",
    "build_storage",
    "folder_prefix",
    "validate_key",
]
