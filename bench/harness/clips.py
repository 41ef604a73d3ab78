"""Small clips made with the real ffmpeg (never committed), for tests and benchmarks."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_clip(
    path: Path,
    *,
    width: int = 1920,
    height: int = 1080,
    seconds: float = 21,
    fps: int = 15,
    audio: bool = False,
) -> Path:
    """An H.264 MP4 test pattern; low frame rate and quality keep it small and quick to make."""
    if path.exists():
        return path
    command = [
        "ffmpeg",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}",
    ]
    if audio:
        command += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac", "-b:a", "32k"]
    command += [
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "40",
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        str(path),
    ]
    subprocess.run(command, check=True, timeout=120)
    return path


def make_audio_only(path: Path, seconds: float = 21) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:a", "aac", str(path)],
        check=True,
        timeout=60,
    )
    return path


def truncate_copy(source: Path, target: Path, keep_fraction: float = 0.5) -> Path:
    """The header (moov, thanks to faststart) survives but the media data is cut."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep_fraction)])
    return target


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pad_mp4(source: Path, target: Path, total_bytes: int) -> Path:
    """A still-valid MP4 of ``total_bytes``: the clip plus a top-level ``free`` box, written sparse.

    Players and ffprobe skip ``free`` boxes, so this makes realistic large uploads in
    milliseconds instead of encoding minutes of high-bitrate video.
    """
    data = source.read_bytes()
    padding = total_bytes - len(data)
    if padding < 8:
        raise ValueError("target size must exceed the clip by at least one box header")
    with target.open("wb") as handle:
        handle.write(data)
        handle.write(padding.to_bytes(4, "big") + b"free")
        handle.truncate(total_bytes)
    return target
