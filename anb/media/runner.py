"""Runs ffmpeg argument lists: a timeout on every run, the stderr tail on failure, never a shell."""

from __future__ import annotations

import subprocess
from collections import deque

from anb.media.errors import EncodeFailed, MediaTimeout

STDERR_TAIL_LINES = 20


def run(args: list[str], timeout: float) -> None:
    """Run one command to completion; ``EncodeFailed`` with the stderr tail when it fails."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaTimeout(f"{args[0]} did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise EncodeFailed(tail(done.stderr.decode(errors="replace").splitlines()))


def tail(lines: list[str] | deque[str]) -> str:
    return "\n".join(list(lines)[-STDERR_TAIL_LINES:]) or "ffmpeg failed without a message"


def complaints(args: list[str], timeout: float) -> str:
    """What a ``-v error`` command printed (empty when clean): decode checks print nothing on success."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaTimeout(f"{args[0]} did not finish within {timeout:.0f} s") from exc
    text = done.stderr.decode(errors="replace").strip()
    return text or ("" if done.returncode == 0 else f"exit status {done.returncode}")
