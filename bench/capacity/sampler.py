"""CPU of named process trees, sampled once a second during a run (psutil).

It answers "who saturated first": the load generator, the API processes or the database. A tree is
a process and all its descendants, re-read at every sample because servers fork and reap children.
CPU is in percent of one core (200 % = both cores of a 2 vCPU machine).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
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
        self._seen = {watch.label: _Seen() for watch in watches}
        self._last_sample = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cpu-sampler", daemon=True)

    def start(self) -> CpuSampler:
        psutil.cpu_percent()
        self._last_sample = time.time()
        for watch in self.watches:
            self._tree_seconds(watch, since=None)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            previous, self._last_sample = self._last_sample, time.time()
            self.machine.percent.append(psutil.cpu_percent())
            self.load_average.append(os.getloadavg()[0])
            for watch in self.watches:
                used = self._tree_seconds(watch, since=previous)
                self.series[watch.label].percent.append(100 * used / (self._last_sample - previous))

    def _tree_seconds(self, watch: Watch, since: float | None) -> float:
        """CPU seconds the tree used since the previous sample (``since``; None: this is the first).

        A server's children that start and end between two samples (an upload's ffprobe) are never
        seen alive: their CPU shows in their parent's ``children_*`` times once reaped. So a child
        that was seen alive is taken off when it goes, since its parent's times now hold all of it.
        """
        try:
            roots = watch.roots()
            current = _tree(roots)
        except (psutil.Error, OSError, ValueError):
            roots, current = [], {}
        root_pids = {root.pid for root in roots}
        seen, now_seen = self._seen[watch.label], _Seen()
        used = 0.0
        for pid, process in current.items():
            # The same object while the pid lives: psutil checks it is still the same process.
            process = seen.processes.get(pid, process)
            try:
                total = _cpu_seconds(process)
                # New since the previous sample: all its CPU is this interval's. There before (or
                # at the first sample): only what it uses from now on.
                started_since = since is not None and process.create_time() >= since
            except psutil.Error:
                continue
            used += total - seen.totals.get(pid, 0.0 if started_since else total)
            now_seen.add(process, total, is_root=pid in root_pids)
        # A root that ends (a database backend) has no parent in the tree to account for it.
        used -= sum(total for pid, total in seen.totals.items() if pid not in now_seen.totals and pid not in seen.roots)
        self._seen[watch.label] = now_seen
        return max(used, 0.0)


@dataclass
class _Seen:
    processes: dict[int, psutil.Process] = field(default_factory=dict)
    totals: dict[int, float] = field(default_factory=dict)  # CPU seconds at the last sample
    roots: set[int] = field(default_factory=set)

    def add(self, process: psutil.Process, total: float, is_root: bool) -> None:
        self.processes[process.pid] = process
        self.totals[process.pid] = total
        if is_root:
            self.roots.add(process.pid)


def tree_cpu_seconds(watch: Watch) -> dict[int, float]:
    """Each live process of the tree and the CPU seconds it has used so far (reaped children's
    included): two readings give a run's CPU by difference, processes started in between counted whole."""
    seconds = {}
    for pid, process in _tree(watch.roots()).items():
        try:
            seconds[pid] = _cpu_seconds(process)
        except psutil.Error:
            continue
    return seconds


def cpu_used_between(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(total - before.get(pid, 0.0) for pid, total in after.items())


def _cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system
