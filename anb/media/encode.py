"""The one encode of a video: ffmpeg encodes the footage to NUT on a pipe, a second ffmpeg
stream-copies opening curtain + footage + closing curtain into the MP4. No intermediate file
for the footage, each output frame encoded once."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from anb.media import commands
from anb.media.errors import CorruptInput, EncodeFailed, MediaTimeout
from anb.media.options import EncoderOptions
from anb.media.runner import STDERR_TAIL_LINES, tail

Progress = Callable[[float], None]


@dataclass(frozen=True)
class PreparedCurtains:
    """Curtains already encoded with the footage's exact H.264 settings (see ``curtains``)."""

    opening: Path
    closing: Path


class _ProgressReader(threading.Thread):
    """Reads ``-progress`` key=value lines (and errors) from the encoder's stderr."""

    def __init__(self, stream: IO[bytes], expected_frames: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.expected = expected_frames
        self.fraction = 0.0
        self.errors: deque[str] = deque(maxlen=STDERR_TAIL_LINES)

    def run(self) -> None:
        for raw in self.stream:
            line = raw.decode(errors="replace").strip()
            key, _, value = line.partition("=")
            if key == "frame" and value.isdigit() and self.expected:
                self.fraction = min(1.0, int(value) / self.expected)
            elif "=" not in line and line:
                self.errors.append(line)


def _kill(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def encode_and_join(
    source: Path,
    watermark: Path,
    curtains: PreparedCurtains,
    options: EncoderOptions,
    output: Path,
    poster: Path,
    timeout: float,
    on_progress: Progress | None,
    source_seconds: float,
) -> None:
    """Write ``output`` and ``poster``. Raises on failure or timeout; both processes are always reaped.

    ``on_progress`` may raise to abort (the job was cancelled): the processes are killed.
    """
    frames = commands.footage_frames(source_seconds)
    encoder = subprocess.Popen(
        commands.footage(source, watermark, options, poster, frames),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    assert encoder.stdout is not None and encoder.stderr is not None
    joiner = subprocess.Popen(
        commands.join(curtains.opening, curtains.closing, frames, output),
        stdin=encoder.stdout, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    encoder.stdout.close()  # the joiner owns the pipe now: the encoder gets SIGPIPE if it dies
    reader = _ProgressReader(encoder.stderr, frames)
    reader.start()
    try:
        _supervise(encoder, joiner, reader, timeout, on_progress)
    except BaseException:
        _kill(encoder, joiner)
        raise
    _raise_for_status(encoder, joiner, reader)


def _supervise(
    encoder: subprocess.Popen[bytes],
    joiner: subprocess.Popen[bytes],
    reader: _ProgressReader,
    timeout: float,
    on_progress: Progress | None,
) -> None:
    deadline = time.monotonic() + timeout
    while joiner.poll() is None or encoder.poll() is None:
        if time.monotonic() > deadline:
            raise MediaTimeout(f"processing did not finish within {timeout:.0f} s")
        if on_progress is not None:
            on_progress(reader.fraction)
        time.sleep(0.25)
    reader.join(timeout=5)


def _raise_for_status(
    encoder: subprocess.Popen[bytes], joiner: subprocess.Popen[bytes], reader: _ProgressReader
) -> None:
    join_errors = joiner.stderr.read().decode(errors="replace") if joiner.stderr else ""
    if encoder.returncode != 0:
        message = tail(reader.errors)
        # An input ffprobe accepted but ffmpeg cannot decode is the input's fault: not worth a retry.
        if any(word in message for word in ("Invalid data", "moov atom not found", "corrupt", "Error while decoding")):
            raise CorruptInput(message)
        raise EncodeFailed(message)
    if joiner.returncode != 0:
        raise EncodeFailed(tail(join_errors.splitlines()))
