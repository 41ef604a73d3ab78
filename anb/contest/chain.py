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
from typing import Any

FORMAT = "anb-contest-export/1"
GENESIS = hashlib.sha256(FORMAT.encode()).hexdigest()


def canonical(record: list[Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


class Chain:
    """The chain fed one record at a time; ``head`` is the digest after the last one."""

    def __init__(self) -> None:
        self._digest = bytes.fromhex(GENESIS)

    def add(self, record: list[Any]) -> str:
        self._digest = hashlib.sha256(self._digest + canonical(record)).digest()
        return self._digest.hex()

    @property
    def head(self) -> str:
        return self._digest.hex()
