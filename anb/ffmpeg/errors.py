"""Typed media errors. ``permanent`` tells the job queue whether retrying can help."""

from __future__ import annotations

from typing import ClassVar


class MediaError(Exception):
    """Base of every failure of the media package; transient unless a subclass says otherwise."""

    permanent: ClassVar[bool] = False


class FfmpegMissing(MediaError):
    """ffmpeg/ffprobe is absent or lacks something the pipeline needs.

    Not the video's fault: the job is retried (and ends in the dead-letter queue for an operator)
    instead of marking a good upload as failed.
    """


class CorruptInput(MediaError):
    """The input cannot be read or decoded (or ends long before its header says): retrying will not
    change that."""

    permanent = True


class ProbeFailed(CorruptInput):
    """ffprobe cannot make sense of the file at all (not a media file, empty, no video stream)."""


class MediaTimeout(MediaError):
    """A command ran out of its time budget; it was killed with its whole process group."""


class EncodeFailed(MediaError):
    """ffmpeg failed for a reason not attributed to the input (disk full, killed, bad settings)."""
