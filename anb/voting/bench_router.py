"""Bench-only route (``ANB_BENCH_ROUTES=true``): a JSON body of a requested size straight from memory.

It is the floor of bench/rankings_bench.py: the same server, middleware and client, with no
work besides answering, so the public lists are measured against what this server can do at all.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request, Response

router = APIRouter(prefix="/api/bench", include_in_schema=False)


@lru_cache(maxsize=64)
def _body(size: int) -> bytes:
    return b'["' + b"x" * max(0, size - 4) + b'"]'


@router.get("/floor")
async def floor(request: Request) -> Response:
    size = request.query_params.get("bytes", "")
    return Response(_body(min(int(size), 1 << 20) if size.isdigit() else 2), media_type="application/json")
