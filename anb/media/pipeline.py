"""Turn an accepted upload into the published video (see docs/processing.md).

``process_video`` writes the output and the poster atomically: a killed job never leaves a
half-written file under the final names.
"""

from __future__ import annotations

import os
from pathlib import Path

from anb.media.assets import Assets
from anb.media.curtains import prepare_curtains
from anb.media.encode import Progress, encode_and_join
from anb.media.errors import ProbeFailed
from anb.media.options import EncoderOptions
from anb.media.probe import check_decodable, probe

__all__ = ["Assets", "EncoderOptions", "process_video"]


def process_video(
    source: Path,
    output: Path,
    poster: Path,
    *,
    options: EncoderOptions,
    assets: Assets,
    cache_dir: Path,
    timeout: float,
    on_progress: Progress | None = None,
) -> None:
    found = probe(source, timeout=min(timeout, 60))
    if not found.has_video or not found.duration:
        raise ProbeFailed("the input has no video stream of known duration")
    # The encode holds the last frame to reach the planned length, so a cut file would silently end
    # frozen: refuse it first (cheap: one frame at each end).
    check_decodable(source, found.duration, timeout=min(timeout, 60))
    resolved = assets.resolve(cache_dir, timeout)
    curtains = prepare_curtains(resolved, options, cache_dir, timeout)
    temp_output = output.with_name(f".{output.name}.partial")
    temp_poster = poster.with_name(f".{poster.name}.partial.jpg")
    try:
        encode_and_join(
            source, resolved.watermark, curtains, options, temp_output, temp_poster, timeout, on_progress,
            source_seconds=found.duration,
        )  # fmt: skip
        os.replace(temp_poster, poster)
        os.replace(temp_output, output)
    finally:
        temp_output.unlink(missing_ok=True)
        temp_poster.unlink(missing_ok=True)
    if on_progress is not None:
        on_progress(1.0)
