"""The runner with real ffmpeg processes: output, failures, progress, timeouts and cancellation."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest

from anb.ffmpeg.errors import CorruptInput, EncodeFailed, FfmpegMissing, MediaTimeout
from anb.ffmpeg.runner import run, run_chain


def _endless(marker: str) -> list[list[str]]:
    """A two-process chain that would run for an hour, tagged so its processes can be found."""
    producer = ["ffmpeg", "-v", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc=s=64x64:r=25:d=3600",
                "-metadata", f"title={marker}", "-f", "nut", "pipe:1"]  # fmt: skip
    consumer = ["ffmpeg", "-v", "error", "-nostdin", "-f", "nut", "-i", "pipe:0", "-metadata", f"title={marker}",
                "-progress", "pipe:1", "-stats_period", "0.2", "-f", "null", "-"]  # fmt: skip
    return [producer, consumer]


def _running(marker: str) -> str:
    return subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True).stdout.strip()


def test_run_returns_stdout() -> None:
    assert run(["ffprobe", "-hide_banner", "-version"], 30).startswith("ffprobe version")


def test_a_failing_command_raises_the_given_error_with_its_stderr_tail() -> None:
    with pytest.raises(EncodeFailed, match=r"exited with status 1:.*No such file"):
        run(["ffmpeg", "-v", "error", "-i", "file:/nonexistent/input.mp4", "-f", "null", "-"], 30)
    with pytest.raises(CorruptInput):
        run(["ffmpeg", "-v", "error", "-i", "file:/nonexistent/input.mp4", "-f", "null", "-"], 30, failure=CorruptInput)


def test_a_missing_program_is_ffmpeg_missing() -> None:
    with pytest.raises(FfmpegMissing, match="not installed"):
        run(["ffmpeg-that-does-not-exist", "-version"], 30)


def test_a_timeout_kills_every_process_of_the_chain() -> None:
    marker = f"anb-test-{uuid.uuid4().hex}"
    started = time.monotonic()
    with pytest.raises(MediaTimeout):
        run_chain(_endless(marker), timeout=1.0)
    assert time.monotonic() - started < 5
    assert _running(marker) == ""


def test_progress_is_a_fraction_of_the_frames_and_raising_from_it_cancels() -> None:
    marker = f"anb-test-{uuid.uuid4().hex}"
    seen: list[float] = []

    class Cancelled(Exception):
        pass

    def on_progress(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        run_chain(_endless(marker), timeout=60, total_frames=25 * 3600, on_progress=on_progress)
    assert seen and 0 < seen[-1] < 0.01
    assert _running(marker) == ""


def test_a_chain_reports_the_last_commands_frame_count() -> None:
    producer = ["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=s=64x64:r=25:d=2", "-f", "nut",
                "pipe:1"]  # fmt: skip
    consumer = ["ffmpeg", "-v", "error", "-nostdin", "-f", "nut", "-i", "pipe:0", "-progress", "pipe:1", "-f", "null",
                "-"]  # fmt: skip
    seen: list[float] = []
    result = run_chain([producer, consumer], timeout=60, total_frames=50, on_progress=seen.append)
    assert result.frames == 50 and seen[-1] == 1.0 and result.stderr == ""
