"""What a media file's container header says, read in-process: no subprocess, no decoding.

MediaInfoLib (through pymediainfo, whose wheel ships the library) reads the ISO BMFF boxes of the
header — ``moov`` wherever it is, skipping ``mdat`` with a seek — at ``ParseSpeed`` 0, so a 50 MB
upload costs a few milliseconds of CPU (docs/videos.md has the measurements). It also compares the
boxes' sizes with the file's: a file cut after its header is reported as truncated. Its report is
asked for as JSON with the basic fields, which ``json`` reads in C: pymediainfo's default (the full
XML report, turned into Python objects) cost more than the parsing itself.

The source is a path, or a seekable binary file object (a ranged reader of a stored object: only the
bytes MediaInfo asks for are fetched). The answer is the same ``ProbeResult`` that ffprobe's
``probe()`` gives, so callers keep one model; decoding is not checked here (``check_decodable``).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, BinaryIO

from pymediainfo import MediaInfo

from anb.ffmpeg.errors import CorruptInput, ProbeFailed
from anb.ffmpeg.probe import ProbeResult

# ffprobe's names for the ISO BMFF family, which MediaInfo calls "MPEG-4" (Base Media or QuickTime).
ISO_BMFF_FORMAT = "mov,mp4,m4a,3gp,3g2,mj2"
_MEDIAINFO_ISO_BMFF = "MPEG-4"
# MediaInfo's codec names → ffprobe's, for the video codecs a phone or camera writes.
_CODECS = {"AVC": "h264", "HEVC": "hevc", "AV1": "av1", "VP9": "vp9", "MPEG-4 Visual": "mpeg4", "ProRes": "prores"}


# A path, or a seekable binary file (a ranged reader of a stored object is a RawIOBase).
HeaderSource = Path | BinaryIO | io.RawIOBase


class TruncatedInput(CorruptInput):
    """The header survived but the file stops before the data it describes."""


def read_header(source: HeaderSource) -> ProbeResult:
    """The container's facts; ``ProbeFailed`` when it is not an ISO BMFF file MediaInfo can read,
    ``TruncatedInput`` when the file is shorter than its boxes say."""
    if isinstance(source, Path):
        # Given a name, MediaInfo guesses parsers from its extension, and an upload's temporary
        # file (``.upload``) made it try many: 14.6 ms of CPU instead of 2.9 ms through a file object.
        with source.open("rb") as handle:
            return read_header(handle)
    try:
        report = MediaInfo.parse(source, parse_speed=0, output="JSON", full=False)
        tracks = json.loads(report)["media"]["track"] if report else []
    except (RuntimeError, ValueError, TypeError, KeyError) as exc:
        raise ProbeFailed(f"MediaInfo cannot read the file: {exc}") from exc
    general = _first(tracks, "General")
    if general.get("Format") != _MEDIAINFO_ISO_BMFF:
        raise ProbeFailed(f"not an ISO BMFF file: {general.get('Format')!r}")
    if general.get("extra", {}).get("IsTruncated") == "Yes":
        raise TruncatedInput("the file stops before the data its header describes")
    file_duration = _positive(general.get("Duration"))
    has_audio = bool(_first(tracks, "Audio"))
    video = _first(tracks, "Video")
    if not video:
        return ProbeResult(
            format_name=ISO_BMFF_FORMAT, has_video=False, has_audio=has_audio, width=0, height=0,
            duration=file_duration, fps=None, codec=None, file_duration=file_duration,
        )  # fmt: skip
    rotation = _rotation(video.get("Rotation"))
    width, height = _int(video.get("Width")), _int(video.get("Height"))
    if abs(rotation) % 180 == 90:
        width, height = height, width
    codec = video.get("Format")
    return ProbeResult(
        format_name=ISO_BMFF_FORMAT,
        has_video=True,
        has_audio=has_audio,
        width=width,
        height=height,
        duration=_positive(video.get("Duration")) or file_duration,
        fps=_positive(video.get("FrameRate")),
        codec=_CODECS.get(codec, codec.lower()) if codec else None,
        rotation=rotation,
        sample_aspect_ratio=_positive(video.get("PixelAspectRatio")) or 1.0,
        file_duration=file_duration,
    )


def _first(tracks: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The first track of ``kind`` in MediaInfo's report (durations in seconds), or an empty one."""
    return next((track for track in tracks if track.get("@type") == kind), {})


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _int(value: Any) -> int:
    number = _positive(value)
    return int(number) if number is not None else 0


def _rotation(value: Any) -> int:
    """MediaInfo gives the display matrix's angle in degrees (clockwise); ffprobe's sign is the
    opposite. Only whether the sides swap matters to the callers, so the sign follows ffprobe's."""
    degrees = _positive(value)
    if degrees is None:
        return 0
    return (180 - round(degrees)) % 360 - 180  # -degrees in ffprobe's range, -180 … 179
