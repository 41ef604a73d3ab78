"""What a media file contains, read by ffprobe from its content (never its name), and whether its
video can actually be decoded. The limits (duration, resolution) are the caller's settings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from anb.ffmpeg import commands
from anb.ffmpeg.errors import CorruptInput, ProbeFailed
from anb.ffmpeg.runner import run

# ffprobe's single demuxer for the ISO BMFF family: .mp4, .m4v, .mov (and .m4a, .3gp, .mj2).
ISO_BMFF_DEMUXER = "mov"


@dataclass(frozen=True)
class ProbeResult:
    format_name: str  # ffprobe's comma-separated demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    has_video: bool
    has_audio: bool
    width: int  # as displayed: after the rotation metadata (a portrait phone clip is 1080 wide)
    height: int
    duration: float | None  # of the video stream when known (audio may run longer), else the file's
    fps: float | None
    codec: str | None
    rotation: int = 0
    sample_aspect_ratio: float = 1.0
    # What the container's header claims for the whole file; it may disagree with the streams.
    file_duration: float | None = None

    @property
    def format_names(self) -> tuple[str, ...]:
        return tuple(self.format_name.split(","))

    @property
    def is_iso_bmff(self) -> bool:
        return ISO_BMFF_DEMUXER in self.format_names

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)

    @property
    def display_aspect(self) -> float:
        """Width/height as shown: rotation and non-square pixels applied."""
        if not self.height:
            return 0.0
        # Pixels are stretched along the stored width, which becomes the height when rotated.
        sar = 1 / self.sample_aspect_ratio if abs(self.rotation) % 180 == 90 else self.sample_aspect_ratio
        return self.width * sar / self.height


def probe(path: Path, timeout: float = 30.0) -> ProbeResult:
    info = json.loads(run(commands.probe(path), timeout, failure=ProbeFailed) or "{}")
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video" and not _is_cover_art(s)), None)
    fmt = info.get("format", {})
    if video is None:
        return ProbeResult(
            format_name=str(fmt.get("format_name", "")), has_video=False, has_audio=_has_audio(streams),
            width=0, height=0, duration=_seconds(fmt.get("duration")), fps=None, codec=None,
            file_duration=_seconds(fmt.get("duration")),
        )  # fmt: skip
    rotation = _rotation(video)
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if abs(rotation) % 180 == 90:
        width, height = height, width
    return ProbeResult(
        format_name=str(fmt.get("format_name", "")),
        has_video=True,
        has_audio=_has_audio(streams),
        width=width,
        height=height,
        duration=_seconds(video.get("duration")) or _seconds(fmt.get("duration")),
        fps=_rational(video.get("avg_frame_rate")) or _rational(video.get("r_frame_rate")),
        codec=video.get("codec_name"),
        rotation=rotation,
        sample_aspect_ratio=_rational(str(video.get("sample_aspect_ratio", "")).replace(":", "/")) or 1.0,
        file_duration=_seconds(fmt.get("duration")),
    )


def check_decodable(path: Path, duration: float, timeout: float = 30.0) -> None:
    """Raise ``CorruptInput`` unless a video frame decodes at the start and half a second before
    ``duration`` (the video stream's, from ``probe``).

    A file whose header (``moov``) survived but whose media data was cut passes ffprobe; the frame
    near the end is what it lacks. The end check costs one seek and at most one GOP of decoding.
    """
    near_end = max(0.0, duration - 0.5)
    stdout = run(commands.first_and_last_frames(path, near_end), timeout, failure=CorruptInput)
    frames = [line for line in stdout.splitlines() if line.strip() and not line.startswith("#")]
    if not frames:
        raise CorruptInput("no video frame can be decoded")
    if len(frames) < 2:
        raise CorruptInput(f"the video cannot be decoded to its end: nothing decodes near {near_end:.1f} s")


def _is_cover_art(stream: dict[str, Any]) -> bool:
    return bool(stream.get("disposition", {}).get("attached_pic"))


def _has_audio(streams: list[dict[str, Any]]) -> bool:
    return any(s.get("codec_type") == "audio" for s in streams)


def _rotation(stream: dict[str, Any]) -> int:
    """Display-matrix rotation (ffprobe ≥ 5 reports it as side data, older ones as a ``rotate`` tag)."""
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return int(side["rotation"])
    return int(stream.get("tags", {}).get("rotate", 0))


def _seconds(value: Any) -> float | None:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _rational(value: str | None) -> float | None:
    try:
        number = Fraction(value or "")
    except (ValueError, ZeroDivisionError):
        return None
    return float(number) if number > 0 else None
