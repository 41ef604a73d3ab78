"""Where ffmpeg comes from: the system's (Debian's ``ffmpeg`` package, installed by scripts/bootstrap
and by the container image), checked once at start-up with a clear message when unusable."""

from __future__ import annotations

import shutil
import subprocess

from anb.media.errors import FfmpegMissing

REQUIRED_FILTERS = ("scale", "pad", "overlay", "fps", "select")


def check_ffmpeg() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            raise FfmpegMissing(f"{tool} is not on PATH: install Debian's ffmpeg package (scripts/bootstrap does)")
    encoders = subprocess.run(["ffmpeg", "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30)
    if " libx264 " not in encoders.stdout:
        raise FfmpegMissing("this ffmpeg has no libx264 encoder: install a build with libx264 (Debian's has it)")
    filters = subprocess.run(["ffmpeg", "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30)
    missing = [name for name in REQUIRED_FILTERS if f" {name} " not in filters.stdout]
    if missing:
        raise FfmpegMissing(f"this ffmpeg lacks the filters {', '.join(missing)}")
