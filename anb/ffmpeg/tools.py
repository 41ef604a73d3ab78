"""Where ffmpeg comes from: the system's (Debian's ``ffmpeg`` package, installed by scripts/bootstrap
and by the container image), checked at start-up with a clear message when unusable."""

from __future__ import annotations

import functools
import re
import shutil

from anb.ffmpeg.commands import FFMPEG, FFPROBE
from anb.ffmpeg.errors import FfmpegMissing
from anb.ffmpeg.runner import run

# Everything the pipeline asks of ffmpeg, by the name its listings use.
REQUIRED = {
    "encoders": ("libx264", "mjpeg", "png"),
    "filters": ("scale", "format", "pad", "setsar", "fps", "tpad", "fade", "overlay", "split", "select",
                "drawbox", "colorchannelmixer"),
    "formats": ("concat", "nut", "mp4", "image2", "framecrc", "lavfi"),
}  # fmt: skip
_TIMEOUT = 30.0


def check_ffmpeg() -> str:
    """Verify ffmpeg and ffprobe are usable for the pipeline; return ffmpeg's version line.

    Raises ``FfmpegMissing`` naming what is missing and how to get it.
    """
    for tool in (FFMPEG, FFPROBE):
        if shutil.which(tool) is None:
            raise FfmpegMissing(f"{tool} is not on PATH: install Debian's ffmpeg package (scripts/bootstrap does)")
    for listing, names in REQUIRED.items():
        text = run([FFMPEG, "-hide_banner", f"-{listing}"], _TIMEOUT, failure=FfmpegMissing)
        available = {match.group(1) for match in re.finditer(r"^\s*\S+\s+(\S+)\s", text, re.MULTILINE)}
        # Listings name some entries with commas ("mov,mp4,m4a,..." in -formats).
        available |= {part for name in available for part in name.split(",")}
        missing = [name for name in names if name not in available]
        if missing:
            raise FfmpegMissing(
                f"this ffmpeg lacks the {listing} {', '.join(missing)}: install a full build "
                "(Debian's ffmpeg package has all of them, libx264 included)"
            )
    return ffmpeg_version()


@functools.cache
def ffmpeg_version() -> str:
    """ffmpeg's version line; part of the curtain cache key, so an upgraded ffmpeg re-verifies the join."""
    return run([FFMPEG, "-hide_banner", "-version"], _TIMEOUT, failure=FfmpegMissing).splitlines()[0]
