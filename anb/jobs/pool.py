"""Worker processes owned by the embedded service (``anb serve``).

The pool knows nothing of videos: it starts ``target(index)`` in fresh (spawned) processes, starts
a new one in the place of any that dies (killed, out of memory), and stops them with SIGTERM,
giving each time to hand back its current job.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess

log = logging.getLogger(__name__)


class WorkerPool:
    def __init__(self, concurrency: int, target: Callable[[int], None], check_every: float = 1.0) -> None:
        self.concurrency = concurrency
        self.target = target
        self.check_every = check_every
        self.processes: list[BaseProcess] = []
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        self.processes = [self._spawn(index) for index in range(self.concurrency)]
        log.info("started %d processing workers", self.concurrency)
        self._supervisor = threading.Thread(target=self._replace_dead, name="anb-worker-pool", daemon=True)
        self._supervisor.start()

    def _spawn(self, index: int) -> BaseProcess:
        # "spawn": a clean interpreter per worker, no inherited database connections or threads.
        context = multiprocessing.get_context("spawn")
        process = context.Process(target=self.target, args=(index,), name=f"anb-worker-{index}", daemon=False)
        process.start()
        return process

    def _replace_dead(self) -> None:
        # A dead worker's job is taken over by another worker once its lease expires; its place is
        # taken here, so the pool keeps its size however its workers die.
        while not self._stopping.wait(self.check_every):
            for index, process in enumerate(self.processes):
                if not process.is_alive() and not self._stopping.is_set():
                    log.warning("worker %s died (exit code %s); starting another", process.name, process.exitcode)
                    process.join()
                    self.processes[index] = self._spawn(index)

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join()
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
