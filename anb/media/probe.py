"""What a media file contains, read by ffprobe from its content (never its name)."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anb.media.errors import CorruptInput, MediaTimeout, ProbeFailed


@dataclass(frozen=True)
class ProbeResult:
    format_name: str
    has_video: bool
    has_audio: bool
    width: int
    height: int
    duration: float | None
    fps: float | None
    codec: str | None


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise MediaTimeout(f"{args[0]} did not finish within {timeout} s") from exc


def _rational(value: str | None) -> float | None:
    if not value or value in ("0/0", "N/A"):
        return None
    num, _, den = value.partition("/")
    return float(num) / float(den or 1) if float(den or 1) else None


def _display_size(stream: dict[str, Any]) -> tuple[int, int]:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    rotation = 0
    for side in stream.get("side_data_list", []):
        rotation = int(side.get("rotation", rotation) or 0)
    return (height, width) if abs(rotation) % 180 == 90 else (width, height)


def probe(path: Path, timeout: float = 30.0) -> ProbeResult:
    args = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    done = _run(args, timeout)
    if done.returncode != 0:
        raise ProbeFailed(done.stderr.decode(errors="replace")[-500:] or "ffprobe could not read the file")
    info = json.loads(done.stdout or b"{}")
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video" and not _is_cover_art(s)), None)
    fmt = info.get("format", {})
    width, height = _display_size(video) if video else (0, 0)
    duration = fmt.get("duration") or (video or {}).get("duration")
    return ProbeResult(
        format_name=str(fmt.get("format_name", "")),
        has_video=video is not None,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        width=width,
        height=height,
        duration=float(duration) if duration not in (None, "N/A") else None,
        fps=_rational((video or {}).get("avg_frame_rate")),
        codec=(video or {}).get("codec_name"),
    )


def _is_cover_art(stream: dict[str, Any]) -> bool:
    return bool(stream.get("disposition", {}).get("attached_pic"))


def check_decodable(path: Path, duration: float, timeout: float = 30.0) -> None:
    """Decode one frame at the start and one near the end, in one ffmpeg process.

    A cut ``mdat`` fails the second. Seeking past the data that exists yields no frame and no
    error, so the frames are counted (``framecrc`` prints one line per decoded frame).
    """
    near_end = max(0.0, duration - 1.0)
    args = ["ffmpeg", "-nostdin", "-v", "error", "-xerror"]
    for start in (0.0, near_end):
        args += ["-threads", "1", "-ss", f"{start:.3f}", "-i", str(path)]
    for index in (0, 1):
        args += ["-map", f"{index}:v:0", "-frames:v", "1", "-f", "framecrc", "pipe:1"]
    done = _run(args, timeout)
    frames = [line for line in done.stdout.splitlines() if line and not line.startswith(b"#")]
    if done.returncode != 0 or len(frames) < 2:
        reason = done.stderr.decode(errors="replace")[-500:] or f"no decodable frame near {near_end:.1f} s"
        raise CorruptInput(reason)
