"""Reading decoded frames and stream facts of outputs, for golden-property assertions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def stream_facts(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-count_frames",
         str(path)],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


def rgb_frame(path: Path, seconds: float, width: int = 1280, height: int = 720) -> bytes:
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", f"{seconds}", "-i", str(path), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    assert len(out.stdout) == width * height * 3
    return out.stdout


def mean_rgb(frame: bytes, x0: int, y0: int, x1: int, y1: int, width: int = 1280) -> tuple[float, float, float]:
    totals = [0, 0, 0]
    count = 0
    for y in range(y0, y1):
        row = frame[(y * width + x0) * 3 : (y * width + x1) * 3]
        for i in range(0, len(row), 3):
            totals[0] += row[i]
            totals[1] += row[i + 1]
            totals[2] += row[i + 2]
            count += 1
    return (totals[0] / count, totals[1] / count, totals[2] / count)


def decode_errors(path: Path) -> str:
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, timeout=120
    )
    return out.stderr.decode(errors="replace").strip()
