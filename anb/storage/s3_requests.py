"""The S3 requests of a direct upload's path (start, complete, ranged read), signed by botocore and
sent by urllib3, without the rest of the boto3 client; and its parts' presigned URLs, signed the same way.

A direct upload costs the API three S3 requests and a URL per part; through boto3 each request cost
2.1–2.4 ms of CPU on the development machine, most of it botocore's generic machinery (parameter
validation, event hooks, shape-driven serialization and parsing) around the signing and the HTTP
exchange, which are all these requests need. Built here they cost 1.0–1.4 ms, and a part's URL 0.21
ms instead of 0.37 (docs/capacity.md, ``bench.s3_call_cpu``; tuning boto3's client did not help).
What stays with botocore is what is worth trusting to a library: the SigV4 signature
(``S3SigV4Auth``), the credentials (boto3's default chain, refreshed: the ECS task role), the bucket's
URL (resolved once by the boto3 client: region, addressing style, custom endpoint) and the
translation of S3's error codes (``s3_errors``). Everything else of the storage goes through boto3.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit
from xml.etree import ElementTree

import urllib3
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.exceptions import ClientError, NoCredentialsError
from botocore.httpsession import get_cert_path

if TYPE_CHECKING:
    from botocore.credentials import Credentials, ReadOnlyCredentials
    from mypy_boto3_s3.client import S3Client

# Connection failures and S3's transient answers are tried again, as boto3's standard mode does:
# the three requests are safe to repeat (an extra multipart upload is removed by the bucket's
# lifecycle rule; S3 accepts a completion again).
_RETRIES = urllib3.Retry(
    total=2, backoff_factor=0.1, status_forcelist=(500, 502, 503, 504), allowed_methods=None, raise_on_status=False
)
_NAMESPACE = "{http://s3.amazonaws.com/doc/2006-03-01/}"


class SignedRequests:
    """Signed S3 requests on one bucket, at the URL and with the credentials of a boto3 client."""

    def __init__(
        self,
        client: S3Client,
        credentials: Credentials | None,
        bucket: str,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self._client, self._credentials, self._bucket = client, credentials, bucket
        # Certificates checked against the bundle boto3 uses; no proxy (boto3 would read HTTPS_PROXY):
        # the service reaches S3 directly or through the VPC's endpoint.
        self._http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout),
            retries=_RETRIES,
            ca_certs=get_cert_path(True),
        )

    @cached_property
    def _target(self) -> tuple[str, str]:
        """The bucket's URL and the signing region, as the boto3 client resolves them (a presigned
        URL carries both: no request is made)."""
        presigned = urlsplit(self._client.generate_presigned_url("head_bucket", Params={"Bucket": self._bucket}))
        scope = parse_qs(presigned.query)["X-Amz-Credential"][0]  # key id/date/region/s3/aws4_request
        return urlunsplit((presigned.scheme, presigned.netloc, presigned.path.rstrip("/"), "", "")), scope.split("/")[2]

    def create_multipart_upload(self, key: str, content_type: str) -> str:
        answer = self._send("POST", key, "uploads", {"Content-Type": content_type}, operation="CreateMultipartUpload")
        upload_id = _text(_document(answer.data), "UploadId")
        if not upload_id:
            raise _client_error(answer.status, ElementTree.Element("Error"), "CreateMultipartUpload")
        return upload_id

    def complete_multipart_upload(self, key: str, upload_id: str, parts: list[tuple[int, str]]) -> None:
        document = ElementTree.Element("CompleteMultipartUpload", xmlns=_NAMESPACE[1:-1])
        for number, etag in parts:
            part = ElementTree.SubElement(document, "Part")
            ElementTree.SubElement(part, "PartNumber").text = str(number)
            ElementTree.SubElement(part, "ETag").text = etag
        body = ElementTree.tostring(document)
        answer = self._send(
            "POST", key, f"uploadId={quote(upload_id, safe='')}", {}, body, operation="CompleteMultipartUpload"
        )
        # S3 answers 200 as soon as it starts joining the parts; a failure comes later, in the body.
        root = _document(answer.data)
        if root.tag.removeprefix(_NAMESPACE) == "Error":
            raise _client_error(answer.status, root, "CompleteMultipartUpload")

    def get_range(self, key: str, start: int, end: int) -> tuple[bytes, int]:
        """Bytes ``start`` to ``end`` (excluded) and the object's whole size (``Content-Range``)."""
        answer = self._send("GET", key, "", {"Range": f"bytes={start}-{end - 1}"}, operation="GetObject")
        whole = answer.headers.get("Content-Range")  # absent when the range covered the whole object
        return answer.data, int(whole.rpartition("/")[2]) if whole else len(answer.data)

    def presign_part_upload(self, key: str, upload_id: str, number: int, size: int, expires_in: int) -> str:
        """A URL for one part's ``PUT`` that signs its ``Content-Length``: S3 refuses another size."""
        bucket_url, region = self._target
        query = f"partNumber={number}&uploadId={quote(upload_id, safe='')}"
        request = AWSRequest(method="PUT", url=f"{bucket_url}/{quote(key, safe='/~')}?{query}")
        request.headers["Content-Length"] = str(size)
        S3SigV4QueryAuth(self._frozen_credentials(), "s3", region, expires=expires_in).add_auth(request)
        return str(request.url)

    def _send(
        self, method: str, key: str, query: str, headers: dict[str, str], body: bytes = b"", *, operation: str
    ) -> urllib3.BaseHTTPResponse:
        bucket_url, region = self._target
        url = f"{bucket_url}/{quote(key, safe='/~')}" + (f"?{query}" if query else "")
        request = AWSRequest(method=method, url=url, data=body, headers=headers)
        S3SigV4Auth(self._frozen_credentials(), "s3", region).add_auth(request)
        answer = self._http.request(method, url, body=body or None, headers=dict(request.headers.items()))
        if answer.status >= 300:
            raise _client_error(answer.status, _document(answer.data), operation)
        return answer

    def _frozen_credentials(self) -> ReadOnlyCredentials:
        if self._credentials is None:
            raise NoCredentialsError()
        return self._credentials.get_frozen_credentials()


def _document(data: bytes) -> ElementTree.Element:
    """An S3 answer's XML. It comes from the bucket's endpoint, which boto3 trusts as well (its parser
    is ElementTree too), and expat ≥ 2.4 bounds entity expansion."""
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - see above
    except ElementTree.ParseError:  # an empty answer or a proxy's page: the status tells
        return ElementTree.Element("Error")


def _client_error(status: int, error: ElementTree.Element, operation: str) -> ClientError:
    """S3's error answer as the ``ClientError`` boto3 would raise, for ``s3_errors`` to translate."""
    code = _text(error, "Code") or str(status)
    answer = {
        "Error": {"Code": code, "Message": _text(error, "Message")},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(answer, operation)  # type: ignore[arg-type]


def _text(element: ElementTree.Element, name: str) -> str:
    found = element.find(f"{_NAMESPACE}{name}")
    if found is None:
        found = element.find(name)  # error documents carry no namespace
    return (found.text or "") if found is not None else ""
