"""Upload validation by content, from the container's header: format, streams, duration, resolution,
and a file that stops before the data its header describes.

Read in-process (``anb.ffmpeg.header``: no subprocess, a few milliseconds of CPU). Whether the video
actually decodes to its end is checked by the processing job before it encodes (a file that fails
there ends ``failed`` with a reason the player reads in "Mis videos"). Findings become the API's
typed 400 errors.
"""

from __future__ import annotations

from anb.config import UploadSettings
from anb.ffmpeg.errors import ProbeFailed
from anb.ffmpeg.header import HeaderSource, TruncatedInput, read_header
from anb.ffmpeg.probe import ProbeResult
from anb.videos.exceptions import CorruptVideo, DurationOutOfRange, ResolutionTooLow, UnsupportedFormat


def inspect_upload(source: HeaderSource, limits: UploadSettings) -> ProbeResult:
    """What the header of an acceptable upload says (``duration`` is then never None). ``source`` is
    the received file, or a seekable reader of the stored object."""
    try:
        found = read_header(source)
    except TruncatedInput as exc:
        raise CorruptVideo() from exc
    except ProbeFailed as exc:
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
    return found
