"""Realistic benchmark inputs: real 1080p H.264 at a bitrate that gives the wanted file size.

Padding would fake the size without the decode cost, so these are genuinely encoded. Cached under
bench/out/ (never committed).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def encoded_input(megabytes: int, seconds: int = 40, width: int = 1920, height: int = 1080, fps: int = 30) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"input-{width}x{height}-{seconds}s-{megabytes}MB.mp4"
    if path.exists():
        return path
    partial = path.with_suffix(".partial.mp4")  # renamed when complete: an interrupted run leaves no false input
    kbps = megabytes * 8_000 // seconds
    # testsrc2 plus noise keeps the encoder honest: flat test patterns compress to nothing.
    source = f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds},noise=alls=12:allf=t"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source,
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k",
         "-bufsize", f"{kbps * 2}k", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(partial)],
        check=True, timeout=1800,
    )  # fmt: skip
    partial.rename(path)
    return path
