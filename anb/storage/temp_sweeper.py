"""A server's own sweep of the upload temp files that its killed predecessors left behind.

An upload streams into a temp file before it is stored; a server killed mid-upload leaves that file
behind. The workers' sweeper (anb/processing/sweeper.py) removes such files on the hosts where
workers run; an API task on another host (ECS, compose) has a disk of its own, so each API process
sweeps its own too.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.concurrency import run_in_threadpool

from anb.storage.base import Storage

log = logging.getLogger(__name__)


async def sweep_temp_files_forever(storage: Storage, max_idle_seconds: float, every_seconds: float) -> None:
    while True:
        try:
            removed = await run_in_threadpool(storage.remove_stale_temp_files, max_idle_seconds)
            if removed:
                log.info("removed %d stale upload temp file(s)", removed)
        except OSError as exc:  # a disk hiccup must not end the sweep
            log.warning("temp file sweep failed: %r", exc)
        await asyncio.sleep(every_seconds)
