"""What a media file's container header says, read in-process: no subprocess, no decoding.

MediaInfoLib (through pymediainfo, whose wheel ships the library) reads the ISO BMFF boxes of the
header — ``moov`` wherever it is, skipping ``mdat`` with a seek — at ``ParseSpeed`` 0, so a 50 MB
upload costs a few milliseconds of CPU (docs/videos.md has the measurements). It also compares the
boxes' sizes with the file's: a file cut after its header is reported as truncated.

The source is a path, or a seekable binary file object (a ranged reader of a stored object: only the
bytes MediaInfo asks for are fetched). The answer is the same ``ProbeResult`` that ffprobe's
``probe()`` gives, so callers keep one model; decoding is not checked here (``check_decodable``).
"""

from __future__ import annotations

import io
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
        info = MediaInfo.parse(source, parse_speed=0)
    except (RuntimeError, ValueError) as exc:
        raise ProbeFailed(f"MediaInfo cannot read the file: {exc}") from exc
    general = next(iter(info.general_tracks), None)
    if general is None or general.format != _MEDIAINFO_ISO_BMFF:
        raise ProbeFailed(f"not an ISO BMFF file: {getattr(general, 'format', None)!r}")
    if general.istruncated == "Yes":
        raise TruncatedInput("the file stops before the data its header describes")
    file_duration = _seconds(general.duration)
    has_audio = bool(info.audio_tracks)
    video = next(iter(info.video_tracks), None)
    if video is None:
        return ProbeResult(
            format_name=ISO_BMFF_FORMAT, has_video=False, has_audio=has_audio, width=0, height=0,
            duration=file_duration, fps=None, codec=None, file_duration=file_duration,
        )  # fmt: skip
    rotation = _rotation(video.rotation)
    width, height = _int(video.width), _int(video.height)
    if abs(rotation) % 180 == 90:
        width, height = height, width
    return ProbeResult(
        format_name=ISO_BMFF_FORMAT,
        has_video=True,
        has_audio=has_audio,
        width=width,
        height=height,
        duration=_seconds(video.duration) or file_duration,
        fps=_positive(video.frame_rate),
        codec=_CODECS.get(str(video.format), str(video.format).lower()) if video.format else None,
        rotation=rotation,
        sample_aspect_ratio=_positive(video.pixel_aspect_ratio) or 1.0,
        file_duration=file_duration,
    )


def _positive(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _seconds(milliseconds: Any) -> float | None:
    value = _positive(milliseconds)
    return value / 1000 if value is not None else None


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
