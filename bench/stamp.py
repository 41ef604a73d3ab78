"""What every benchmark report and summary states: the machine, the versions, the exact command and when it ran."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _first_line(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=10, check=False).stdout.splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unavailable"


@dataclass(frozen=True)
class Stamp:
    started_utc: str
    command: str
    cores: int
    memory_gib: float
    cpu_model: str
    system: str
    load_average_at_start: tuple[float, float, float]
    versions: dict[str, str]

    @classmethod
    def now(cls, module: str, argv: list[str], tools: tuple[str, ...] = ()) -> Stamp:
        """The stamp of ``python -m MODULE ARGV`` starting now; ``tools`` are distributions whose version matters."""
        load = os.getloadavg()
        python = Path(sys.executable)
        return cls(
            started_utc=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            # The command that runs it again, from the repository root.
            command=shlex.join(
                [
                    python.relative_to(REPO).as_posix() if python.is_relative_to(REPO) else str(python),
                    "-m",
                    module,
                    *argv,
                ]
            ),
            cores=os.cpu_count() or 0,
            memory_gib=round(psutil.virtual_memory().total / 2**30, 1),
            cpu_model=_cpu_model(),
            system=platform.platform(),
            load_average_at_start=(round(load[0], 2), round(load[1], 2), round(load[2], 2)),
            versions={
                "python": platform.python_version(),
                "anb-rising-stars": version("anb-rising-stars"),
                "commit": _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
                **{tool: version(tool) for tool in tools},
                # "ffmpeg version 5.1.9-0+deb12u1 Copyright …": the version is the third word.
                "ffmpeg": " ".join(_first_line(["ffmpeg", "-version"]).split()[2:3]) or "unavailable",
            },
        )

    def markdown(self) -> str:
        load = ", ".join(f"{x:.2f}" for x in self.load_average_at_start)
        versions = ", ".join(f"{name} {value}" for name, value in self.versions.items())
        return (
            f"- Command: `{self.command}`\n"
            f"- Started: {self.started_utc}\n"
            f"- Machine: {self.cores} cores ({self.cpu_model}), {self.memory_gib} GiB, {self.system}\n"
            f"- Load average at start (1/5/15 min): {load} — the machine may be shared with other work\n"
            f"- Versions: {versions}\n"
        )
