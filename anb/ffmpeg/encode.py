"""The one encode of a video: ffmpeg encodes the footage to NUT on a pipe, a second ffmpeg
stream-copies opening curtain + footage + closing curtain into the MP4. No intermediate file for
the footage, each output frame encoded once, the curtains never re-encoded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anb.ffmpeg import commands
from anb.ffmpeg.errors import CorruptInput, EncodeFailed
from anb.ffmpeg.options import CURTAIN_FRAMES, FPS, MAX_FOOTAGE_SECONDS, EncoderOptions
from anb.ffmpeg.probe import ProbeResult
from anb.ffmpeg.runner import OnProgress, run_chain

# The poster is the footage frame at this time (or halfway through shorter footage): past the
# first moments, which are often a fade or someone walking into the shot.
POSTER_SECONDS = 3.0


@dataclass(frozen=True)
class PreparedCurtains:
    """Curtains already encoded with the footage's exact H.264 settings (see ``curtains``)."""

    opening: Path
    closing: Path


@dataclass(frozen=True)
class FootagePlan:
    fit: str  # the scale/pad/fps filter chain for this input
    frames: int  # exact number of footage frames in the output

    @classmethod
    def for_input(cls, source: ProbeResult) -> FootagePlan:
        if not source.has_video or not source.duration or not source.display_aspect:
            raise CorruptInput("the file has no video stream of known size and duration")
        frames = max(1, round(min(source.duration, MAX_FOOTAGE_SECONDS) * FPS))
        return cls(commands.fit_chain(source.display_aspect, source.fps), frames)

    @property
    def total_frames(self) -> int:
        return self.frames + 2 * CURTAIN_FRAMES

    @property
    def poster_frame(self) -> int:
        return min(round(POSTER_SECONDS * FPS), self.frames // 2)


def encode_and_join(
    source: Path,
    plan: FootagePlan,
    watermark: Path,
    curtains: PreparedCurtains,
    options: EncoderOptions,
    output: Path,
    poster: Path,
    timeout: float,
    on_progress: OnProgress | None = None,
) -> int:
    """Write ``output`` and ``poster``; return the number of frames in ``output``.

    Raises ``CorruptInput`` when the input ends well before the length its header announced (the
    last frame is only held for ``HOLD_FRAMES``), ``EncodeFailed``/``MediaTimeout`` otherwise.
    """
    encoder = commands.footage(source, watermark, poster, plan.fit, plan.frames, plan.poster_frame, options)
    joiner = commands.join(curtains.opening, curtains.closing, plan.frames, output)
    result = run_chain([encoder, joiner], timeout, total_frames=plan.total_frames, on_progress=on_progress)
    if result.frames < plan.total_frames:
        seconds = (result.frames - 2 * CURTAIN_FRAMES) / FPS
        announced = plan.frames / FPS
        raise CorruptInput(f"the video stops after {seconds:.1f} s of the {announced:.1f} s its header announces")
    if result.frames != plan.total_frames or not poster.exists():
        raise EncodeFailed(f"expected {plan.total_frames} frames and a poster, got {result.frames} frames")
    return result.frames
