"""Worker processes owned by the embedded service (``anb serve``).

The pool knows nothing of videos: it starts ``target(index)`` in fresh (spawned) processes and
stops them with SIGTERM, giving each time to hand back its current job.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.process import BaseProcess

log = logging.getLogger(__name__)


class WorkerPool:
    def __init__(self, concurrency: int, target: Callable[[int], None]) -> None:
        self.concurrency = concurrency
        self.target = target
        self.processes: list[BaseProcess] = []

    def start(self) -> None:
        # "spawn": a clean interpreter per worker, no inherited database connections or threads.
        context = multiprocessing.get_context("spawn")
        for index in range(self.concurrency):
            process = context.Process(target=self.target, args=(index,), name=f"anb-worker-{index}", daemon=False)
            process.start()
            self.processes.append(process)
        log.info("started %d processing workers", self.concurrency)

    def stop(self, timeout: float = 30.0) -> None:
        for process in self.processes:
            if process.is_alive() and process.pid:
                os.kill(process.pid, signal.SIGTERM)
        for process in self.processes:
            process.join(timeout)
            if process.is_alive():
                log.warning("worker %s did not stop in %.0f s; killing it", process.name, timeout)
                process.kill()
                process.join()
        self.processes.clear()
