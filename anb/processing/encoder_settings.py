"""The pipeline's encoder options and ANB assets, from the ``ffmpeg`` settings group.

Shared by the workers and ``anb process``, and light to import: the command starts in a fraction
of a second because it loads nothing of the database, storage or queue stacks.
"""

from __future__ import annotations

from anb.config import Settings
from anb.ffmpeg.assets import Assets
from anb.ffmpeg.options import EncoderOptions


def encoder_options(settings: Settings) -> EncoderOptions:
    ffmpeg = settings.ffmpeg
    return EncoderOptions(preset=ffmpeg.preset, crf=ffmpeg.crf, threads=ffmpeg.threads)


def assets(settings: Settings) -> Assets:
    ffmpeg = settings.ffmpeg
    return Assets.from_paths(
        curtain_open=ffmpeg.curtain_open_path, curtain_close=ffmpeg.curtain_close_path, watermark=ffmpeg.watermark_path
    )
