"""Runs ffmpeg argument lists: never a shell, a timeout on every run, the stderr tail on failure,
progress as a fraction of output frames.

A run is a chain of one or more commands, each reading the previous one's stdout, all in one new
process group: a timeout, a failing progress callback or an interrupted worker kills the whole
group, so no ffmpeg is ever left behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

from anb.ffmpeg.errors import EncodeFailed, FfmpegMissing, MediaError, MediaTimeout

STDERR_TAIL_LINES = 20

OnProgress = Callable[[float], None]


@dataclass(frozen=True)
class ChainResult:
    stdout: str
    stderr: str  # what the commands printed there (their last lines each), also when they succeeded
    # The last ``frame=`` the final command reported through ``-progress pipe:1`` (0 if none).
    frames: int


def run(args: Sequence[str], timeout: float, *, failure: type[MediaError] = EncodeFailed) -> str:
    """Run one command to completion and return its stdout; ``failure`` with the stderr tail if it fails."""
    return run_chain([args], timeout, failure=failure).stdout


def run_chain(
    commands: Sequence[Sequence[str]],
    timeout: float,
    *,
    failure: type[MediaError] = EncodeFailed,
    total_frames: int = 0,
    on_progress: OnProgress | None = None,
) -> ChainResult:
    """Run ``commands`` as a pipeline. ``on_progress`` gets ``frame / total_frames`` from the last
    command's ``-progress pipe:1`` output; if it raises, the processes are killed and the exception
    propagates (that is how a job is cancelled)."""
    processes = _spawn(commands)
    tails = [_StderrTail(process.stderr) for process in processes]
    watchdog = _Watchdog(timeout, processes)
    try:
        stdout, frames = _read_output(processes[-1].stdout, total_frames, on_progress)
        for process in processes:
            process.wait()
    except BaseException:
        _kill(processes)
        raise
    finally:
        watchdog.cancel()
        for process in processes:
            process.wait()
        # The last command's output, read to its end above (the others were handed down the chain).
        if processes[-1].stdout is not None:
            processes[-1].stdout.close()
        for tail in tails:
            tail.join()
    if watchdog.fired.is_set() and any(process.returncode != 0 for process in processes):
        raise MediaTimeout(f"{os.path.basename(commands[0][0])} did not finish within {timeout:.0f} s")
    _raise_for_status(commands, processes, tails, failure)
    return ChainResult(stdout, "\n".join(tail.text() for tail in tails if tail.text()), frames)


def _spawn(commands: Sequence[Sequence[str]]) -> list[subprocess.Popen[bytes]]:
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for args in commands:
            upstream = processes[-1].stdout if processes else None
            processes.append(
                subprocess.Popen(
                    list(args),
                    stdin=upstream or subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    # One new group for the chain: killable as a unit, and out of the terminal's
                    # foreground group, so Ctrl-C reaches Python, which then kills the group.
                    process_group=processes[0].pid if processes else 0,
                )
            )
            if upstream is not None:
                upstream.close()  # the next command owns the pipe: a dying reader means SIGPIPE
    except FileNotFoundError as exc:
        _kill(processes)
        raise FfmpegMissing(f"{exc.filename} is not installed or not on PATH: install ffmpeg") from exc
    return processes


class _Watchdog:
    def __init__(self, timeout: float, processes: list[subprocess.Popen[bytes]]) -> None:
        self.fired = threading.Event()
        self.processes = processes
        self.timer = threading.Timer(timeout, self._fire)
        self.timer.daemon = True
        self.timer.start()

    def _fire(self) -> None:
        self.fired.set()
        _kill(self.processes)

    def cancel(self) -> None:
        self.timer.cancel()


def _kill(processes: list[subprocess.Popen[bytes]]) -> None:
    if processes:
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(processes[0].pid, signal.SIGKILL)


def _read_output(stream: IO[bytes] | None, total_frames: int, on_progress: OnProgress | None) -> tuple[str, int]:
    assert stream is not None
    lines: list[str] = []
    frames = 0
    for raw in stream:
        line = raw.decode(errors="replace").rstrip("\n")
        lines.append(line)
        key, _, value = line.partition("=")
        if key == "frame" and value.strip().isdigit():
            frames = int(value)
            if on_progress is not None and total_frames > 0:
                on_progress(min(1.0, frames / total_frames))
    return "\n".join(lines), frames


class _StderrTail(threading.Thread):
    """Drains a stderr pipe (a full pipe would block ffmpeg) and keeps its last lines."""

    def __init__(self, stream: IO[bytes] | None) -> None:
        super().__init__(daemon=True)
        assert stream is not None
        self.stream = stream
        self.lines: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self.start()

    def run(self) -> None:
        with self.stream:
            for raw in self.stream:
                line = raw.decode(errors="replace").strip()
                if line:
                    self.lines.append(line)

    def text(self) -> str:
        return "\n".join(self.lines)


def _raise_for_status(
    commands: Sequence[Sequence[str]],
    processes: list[subprocess.Popen[bytes]],
    tails: list[_StderrTail],
    failure: type[MediaError],
) -> None:
    failed = [
        f"{os.path.basename(args[0])} exited with status {process.returncode}: {tail.text() or 'no message'}"
        for args, process, tail in zip(commands, processes, tails, strict=True)
        if process.returncode != 0
    ]
    if failed:
        raise failure("\n".join(failed))
