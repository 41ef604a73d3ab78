"""Encoder settings and the frame geometry every published video shares."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, FPS = 1280, 720, 30
MAX_FOOTAGE_SECONDS = 30.0
CURTAIN_SECONDS = 2.5


@dataclass(frozen=True)
class EncoderOptions:
    preset: str = "veryfast"
    crf: int = 23
    # x264 threads; 0 lets x264 size them to the machine's cores.
    threads: int = 0

    def x264_args(self) -> list[str]:
        """Identical for curtains and footage: the joined segments must share one H.264 configuration."""
        return [
            "-c:v", "libx264", "-preset", self.preset, "-crf", str(self.crf), "-threads", str(self.threads),
            "-pix_fmt", "yuv420p", "-profile:v", "high", "-level:v", "4.0",
        ]  # fmt: skip

    def cache_key(self) -> str:
        return f"{self.preset}-crf{self.crf}"
