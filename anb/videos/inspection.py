"""Upload validation by content: container, streams, duration, resolution, decodability.

Runs in a worker thread (it waits on ffprobe/ffmpeg) and turns media findings into the
API's typed 400 errors.
"""

from __future__ import annotations

from pathlib import Path

from anb.config import UploadSettings
from anb.ffmpeg.errors import MediaError
from anb.ffmpeg.probe import ProbeResult, check_decodable, probe
from anb.videos.exceptions import CorruptVideo, DurationOutOfRange, ResolutionTooLow, UnsupportedFormat


def inspect_upload(path: Path, limits: UploadSettings) -> ProbeResult:
    """What ffprobe found in an acceptable upload (``duration`` is then never None)."""
    try:
        found = probe(path, timeout=limits.probe_timeout_seconds)
    except MediaError as exc:
        raise UnsupportedFormat() from exc
    if not found.is_iso_bmff or not found.has_video:
        raise UnsupportedFormat()
    if found.duration is None or found.width <= 0 or found.height <= 0:
        raise CorruptVideo()
    # The video must last long enough, and no header may claim too long: a file whose container
    # claims hours around a short clip is refused like a clip that lasts hours.
    claimed = max(found.duration, found.file_duration or 0.0)
    actual = found.duration if found.duration < limits.min_duration_seconds else claimed
    if actual > limits.max_duration_seconds or actual < limits.min_duration_seconds:
        raise DurationOutOfRange(
            DurationOutOfRange.detail.format(
                min=f"{limits.min_duration_seconds:g}",
                max=f"{limits.max_duration_seconds:g}",
                actual=f"{actual:.1f}",
            )
        )
    if found.short_side < limits.min_short_side:
        raise ResolutionTooLow(ResolutionTooLow.detail.format(min=limits.min_short_side, actual=found.short_side))
    try:
        check_decodable(path, found.duration, timeout=limits.probe_timeout_seconds)
    except MediaError as exc:
        raise CorruptVideo() from exc
    return found
