"""Turn an accepted upload into the published video (see docs/processing.md).

``render_video`` writes the output and the poster atomically: a killed job never leaves a
half-written file under the final names, and two deliveries of one job never write into the same
temporary file.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.curtains import prepare_curtains
from anb.ffmpeg.encode import FootagePlan, encode_and_join
from anb.ffmpeg.errors import MediaTimeout
from anb.ffmpeg.options import FPS, EncoderOptions
from anb.ffmpeg.probe import ProbeResult, probe
from anb.ffmpeg.runner import OnProgress

__all__ = ["Assets", "EncoderOptions", "ProcessResult", "render_video"]


@dataclass(frozen=True)
class ProcessResult:
    output: Path
    poster: Path
    frames: int  # curtains included
    footage_frames: int
    source: ProbeResult

    @property
    def duration(self) -> float:
        return self.frames / FPS


def render_video(
    source: Path,
    output: Path,
    poster: Path,
    *,
    options: EncoderOptions,
    assets: Assets,
    cache_dir: Path,
    timeout: float,
    on_progress: OnProgress | None = None,
) -> ProcessResult:
    """Publishable MP4 at ``output`` and JPEG at ``poster``, within ``timeout`` seconds in all.

    ``on_progress(fraction)`` is called about twice a second; if it raises, the encode is killed and
    the exception propagates (a cancelled job). The input is decoded once, for at most 30 s; a file
    that stops well before its announced length raises ``CorruptInput`` (no frozen ending).
    """
    deadline = time.monotonic() + timeout
    found = probe(source, timeout=_left(deadline))
    plan = FootagePlan.for_input(found)
    resolved = assets.resolve(cache_dir, _left(deadline))
    curtains = prepare_curtains(resolved, options, cache_dir, _left(deadline))
    temp_output, temp_poster = _temporary(output), _temporary(poster)
    try:
        frames = encode_and_join(
            source, plan, resolved.watermark, curtains, options, temp_output, temp_poster, _left(deadline), on_progress
        )
        os.replace(temp_poster, poster)
        os.replace(temp_output, output)  # last: the output's presence means the job's work is complete
    finally:
        temp_output.unlink(missing_ok=True)
        temp_poster.unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)
    return ProcessResult(output, poster, frames, plan.frames, found)


def _temporary(final: Path) -> Path:
    """A unique name in the final file's directory, so the rename is atomic (same file system)."""
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.partial")


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise MediaTimeout("the processing time budget is spent")
    return left
