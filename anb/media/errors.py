"""Typed media errors. ``permanent`` tells the job queue whether retrying can help."""

from __future__ import annotations


class MediaError(Exception):
    permanent = False


class FfmpegMissing(MediaError):
    permanent = True


class CorruptInput(MediaError):
    """The input cannot be read or decoded: retrying will not change that."""

    permanent = True


class ProbeFailed(CorruptInput):
    pass


class MediaTimeout(MediaError):
    pass


class EncodeFailed(MediaError):
    pass
