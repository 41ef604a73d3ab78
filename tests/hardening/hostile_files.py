"""Hostile upload files, generated from a good clip: nothing binary is committed."""

from __future__ import annotations

import struct
import subprocess
import zipfile
from pathlib import Path

# Where each box keeps its duration (version 0 layouts, which ffmpeg writes for short clips):
# offsets from the box type, and whether the box states its own timescale just before it.
# The name ends in .mp4, so the muxer and codec are forced: the file must really be a PNG.
_FFMPEG = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
_DURATION_FIELDS = {b"mvhd": (20, True), b"mdhd": (20, True), b"tkhd": (24, False)}


def png_image(path: Path) -> Path:
    """A real 1080p PNG: ffprobe sees an image stream of the right size, but no MP4 container."""
    subprocess.run(
        [*_FFMPEG, "-i", "testsrc2=size=1920x1080", "-frames:v", "1", "-c:v", "png", "-f", "image2", str(path)],
        check=True,
        timeout=60,
    )
    return path


def zip_of(clip: Path, path: Path) -> Path:
    """A ZIP archive holding a valid clip, stored uncompressed so the MP4 bytes are all inside."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.write(clip, "jugada.mp4")
    return path


def claiming_duration(clip: Path, path: Path, seconds: int) -> Path:
    """The clip with every header duration (movie, track, media) rewritten to claim ``seconds``.

    The samples are untouched: a server that trusted the header would plan hours of work for a
    21-second file.
    """
    data = bytearray(clip.read_bytes())
    movie_timescale = 1000
    for box, (offset, has_timescale) in _DURATION_FIELDS.items():
        start = 0
        while (at := data.find(box, start)) != -1:
            start = at + 4
            if data[at + 4] != 0:
                raise ValueError(f"{box.decode()} is not version 0")
            if box == b"mvhd":
                movie_timescale = struct.unpack_from(">I", data, at + 16)[0]
            timescale = struct.unpack_from(">I", data, at + 16)[0] if has_timescale else movie_timescale
            struct.pack_into(">I", data, at + offset, seconds * timescale)
    path.write_bytes(bytes(data))
    return path


def undecodable(clip: Path, path: Path) -> Path:
    """The clip with the second half of its media data zeroed: every box intact and the file its
    full size, so its header passes, but no frame near the end decodes."""
    data = bytearray(clip.read_bytes())
    at = data.find(b"mdat") - 4
    size = struct.unpack_from(">I", data, at)[0]
    middle, end = at + size // 2, at + size
    data[middle:end] = bytes(end - middle)
    path.write_bytes(bytes(data))
    return path
