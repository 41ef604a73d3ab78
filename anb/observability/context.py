"""The correlation id that follows one upload from the HTTP request through the queue to the worker."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

correlation_id: ContextVar[str] = ContextVar("correlation_id", default="-")

_SAFE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def accept_or_new(candidate: str | None) -> str:
    """A client's X-Request-ID when it is a plain token (it ends up in logs), else a fresh one."""
    if candidate and _SAFE.match(candidate):
        return candidate
    return uuid.uuid4().hex
