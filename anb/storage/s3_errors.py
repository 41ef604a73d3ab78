"""Translation of boto3/botocore/s3transfer (and urllib3) exceptions into ``anb.storage.errors``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from boto3.exceptions import RetriesExceededError, S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from s3transfer.exceptions import RetriesExceededError as TransferRetriesExceededError
from urllib3.exceptions import HTTPError as Urllib3Error

from anb.storage.errors import ObjectNotFound, PartsRejected, StorageError, StorageUnavailable

_NOT_FOUND_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchUpload"})
# A completion whose part list does not match what S3 holds (a part missing, another ETag, a part
# under 5 MiB before the last, numbers out of order): the client's mistake, the upload stays open.
_PART_CODES = frozenset({"InvalidPart", "InvalidPartOrder", "EntityTooSmall"})
# Throttling and server-side trouble that S3 (and compatible servers) answer with below 500 too.
_TRANSIENT_CODES = frozenset({"SlowDown", "RequestTimeout", "ServiceUnavailable", "InternalError", "Throttling"})
# urllib3's own errors come from the requests sent without boto3 (anb/storage/s3_requests.py).
_UNREACHABLE = (BotoConnectionError, HTTPClientError, RetriesExceededError, TransferRetriesExceededError, Urllib3Error)


def from_client_error(exc: ClientError, key: str) -> StorageError:
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    if code in _NOT_FOUND_CODES:
        return ObjectNotFound(key)
    if code in _PART_CODES:
        return PartsRejected(key, code)
    if status >= 500 or code in _TRANSIENT_CODES:
        return StorageUnavailable(f"S3 answered {status} {code} for {key!r}")
    return StorageError(f"S3 refused the operation on {key!r}: {status} {code}")


@contextmanager
def s3_errors(key: str) -> Iterator[None]:
    """Re-raise whatever boto3 throws inside the block as a ``StorageError`` about ``key``."""
    try:
        yield
    except ClientError as exc:
        raise from_client_error(exc, key) from exc
    except S3UploadFailedError as exc:
        # boto3 wraps the ClientError of a failed upload without chaining it explicitly.
        cause = exc.__context__
        if isinstance(cause, ClientError):
            raise from_client_error(cause, key) from exc
        raise StorageError(str(exc)) from exc
    except _UNREACHABLE as exc:
        raise StorageUnavailable(f"S3 did not answer for {key!r}: {exc}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"S3 operation on {key!r} failed: {exc}") from exc
