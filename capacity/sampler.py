"""CPU of named process trees, sampled once a second during a run (psutil).

It answers "who saturated first": the load generator, the API processes or the database. A tree is
a process and all its descendants, re-read at every sample because servers fork and reap children.
CPU is in percent of one core (200 % = both cores of a 2 vCPU machine).
"""

from __future__ import annotations

import os
import statistics
import threading
from dataclasses import dataclass, field
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Watch:
    """``label=SPEC``: SPEC is a pid, a pid file, ``name:NAME`` (every process of that name) or
    ``cmdline:TEXT`` (every process whose command line holds TEXT: PostgreSQL names the database
    in each backend's title, so ``cmdline:anb_local`` is the backends serving that database)."""

    label: str
    spec: str

    @classmethod
    def parse(cls, text: str) -> Watch:
        label, sep, spec = text.partition("=")
        if not sep or not label or not spec:
            raise ValueError(f"expected LABEL=PID, LABEL=PIDFILE, LABEL=name:NAME or LABEL=cmdline:TEXT, got {text!r}")
        return cls(label, spec)

    def roots(self) -> list[psutil.Process]:
        if self.spec.startswith("name:"):
            name = self.spec.removeprefix("name:")
            return [p for p in psutil.process_iter(["name"]) if p.info["name"] == name]
        if self.spec.startswith("cmdline:"):
            text = self.spec.removeprefix("cmdline:")
            return [p for p in psutil.process_iter(["cmdline"]) if text in " ".join(p.info["cmdline"] or ())]
        pid = int(Path(self.spec).read_text()) if os.path.isfile(self.spec) else int(self.spec)
        return [psutil.Process(pid)]


def _tree(roots: list[psutil.Process]) -> dict[int, psutil.Process]:
    found: dict[int, psutil.Process] = {}
    for root in roots:
        try:
            for process in [root, *root.children(recursive=True)]:
                found[process.pid] = process
        except psutil.NoSuchProcess:
            continue
    return found


@dataclass
class CpuSeries:
    percent: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.percent) if self.percent else 0.0

    @property
    def peak(self) -> float:
        return max(self.percent, default=0.0)


class CpuSampler:
    """Samples in a thread from ``start()`` to ``stop()``; also the machine's total CPU and load."""

    def __init__(self, watches: list[Watch], interval: float = 1.0) -> None:
        self.watches = watches
        self.interval = interval
        self.series = {watch.label: CpuSeries() for watch in watches}
        self.machine = CpuSeries()  # percent of the whole machine (100 % = every core busy)
        self.load_average: list[float] = []
        self._known: dict[str, dict[int, psutil.Process]] = {watch.label: {} for watch in watches}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)

    def start(self) -> CpuSampler:
        psutil.cpu_percent()
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.machine.percent.append(psutil.cpu_percent())
            self.load_average.append(os.getloadavg()[0])
            for watch in self.watches:
                self.series[watch.label].percent.append(self._tree_percent(watch))

    def _tree_percent(self, watch: Watch) -> float:
        try:
            current = _tree(watch.roots())
        except (psutil.Error, OSError, ValueError):
            return 0.0
        known = self._known[watch.label]
        total = 0.0
        for pid, process in current.items():
            # psutil's cpu_percent compares with the previous call on the same object: keep the objects.
            process = known.setdefault(pid, process)
            try:
                total += process.cpu_percent()
            except psutil.Error:
                continue
        self._known[watch.label] = {pid: known[pid] for pid in current}
        return total
