"""Encoder settings and the frame geometry every published video shares."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, FPS = 1280, 720, 30
MAX_FOOTAGE_SECONDS = 30.0
CURTAIN_SECONDS = 2.5
CURTAIN_FRAMES = round(CURTAIN_SECONDS * FPS)


@dataclass(frozen=True)
class EncoderOptions:
    """x264 settings of the published video (``ANB_FFMPEG__PRESET``/``__CRF``/``__THREADS``).

    The defaults are the measured trade-off documented in docs/processing.md.
    """

    preset: str = "veryfast"
    crf: int = 23
    # x264 threads per job; 0 lets x264 size them to the machine's cores.
    threads: int = 0

    def x264_args(self) -> list[str]:
        """Identical for curtains and footage: the joined segments must share one H.264 configuration.

        The colour description is written into the SPS, so it is fixed here: otherwise a phone clip
        tagged BT.709/full range would give the footage other stream headers than the cached curtains.
        """
        return [
            "-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf), "-threads", str(self.threads),
            "-pix_fmt", "yuv420p", "-profile:v", "high", "-level:v", "4.0",
            "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        ]  # fmt: skip

    def cache_key(self) -> str:
        """The readable part of a curtain cache entry's name."""
        return f"{self.preset}-crf{self.crf}"
