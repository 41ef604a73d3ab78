"""The export's canonical records and the SHA-256 chain over them.

Each record is a compact JSON array (UTF-8, no spaces, keys never involved), so its bytes are
unambiguous whatever a name contains. The chain starts from SHA-256 of ``anb-contest-export/1``
and each link is SHA-256(previous digest's 32 bytes + the record's bytes); the last digest, the
head, stands for every record in its order: changing, adding, removing or reordering any record
changes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

FORMAT = "anb-contest-export/1"
GENESIS = hashlib.sha256(FORMAT.encode()).hexdigest()


def canonical(record: list[Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def links(records: Iterable[list[Any]], start: str = GENESIS) -> Iterator[str]:
    """The digest after each record."""
    digest = bytes.fromhex(start)
    for record in records:
        digest = hashlib.sha256(digest + canonical(record)).digest()
        yield digest.hex()


def head(records: Iterable[list[Any]]) -> str:
    digest = GENESIS
    for digest in links(records):  # noqa: B007 - the last link is the head
        continue
    return digest
