"""Reading stream facts and decoded frames of outputs, for golden-property assertions."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

WIDTH, HEIGHT = 1280, 720


def stream_facts(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", "-count_frames",
         str(path)],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    return dict(json.loads(out.stdout))


def raw_frames(path: Path, indices: list[int], pix_fmt: str = "gray") -> list[bytes]:
    """Frames by number (not by time: exact), decoded in one pass, as raw planes of ``pix_fmt``."""
    chosen = "+".join(f"eq(n,{index})" for index in indices)
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"select='{chosen}'", "-fps_mode", "passthrough",
         "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    size = len(out.stdout) // len(indices)
    assert size * len(indices) == len(out.stdout) and size > 0, "every requested frame decoded"
    return [out.stdout[i * size : (i + 1) * size] for i in range(len(indices))]


def region_mean(frame: bytes, x0: int, y0: int, x1: int, y1: int, channels: int = 1) -> list[float]:
    """Mean of each channel over the rectangle [x0, x1) × [y0, y1) of a packed 1280-wide frame."""
    totals = [0] * channels
    for y in range(y0, y1):
        row = frame[(y * WIDTH + x0) * channels : (y * WIDTH + x1) * channels]
        for channel in range(channels):
            totals[channel] += sum(row[channel::channels])
    count = (x1 - x0) * (y1 - y0)
    return [total / count for total in totals]


def bright_box(gray: bytes, threshold: int = 200) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of the pixels brighter than ``threshold`` in a gray frame."""
    rows = [y for y in range(HEIGHT) if max(gray[y * WIDTH : (y + 1) * WIDTH]) > threshold]
    if not rows:
        return None
    columns = [x for x in range(WIDTH) if any(gray[y * WIDTH + x] > threshold for y in range(rows[0], rows[-1] + 1))]
    return columns[0], rows[0], columns[-1] + 1, rows[-1] + 1


def decode_errors(path: Path) -> str:
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, timeout=60)
    return out.stderr.decode(errors="replace").strip()
