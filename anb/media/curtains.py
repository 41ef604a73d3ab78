"""Curtains are the same for every video: encoded once per (asset content, encoder settings), reused.

A prepared pair is only cached after a trial join with a footage segment decodes cleanly from
start to end, so a curtain that cannot be stream-joined is never used.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from anb.media import commands
from anb.media.assets import ResolvedAssets
from anb.media.encode import PreparedCurtains, encode_and_join
from anb.media.errors import EncodeFailed
from anb.media.options import EncoderOptions
from anb.media.runner import complaints, run

# Bump when the way curtains are encoded or joined changes: old cache entries are then ignored.
_PIPELINE_VERSION = "1"


def _digest(*paths: Path) -> str:
    hasher = hashlib.sha256(_PIPELINE_VERSION.encode())
    for path in paths:
        hasher.update(path.read_bytes())
    return hasher.hexdigest()[:16]


def prepare_curtains(
    assets: ResolvedAssets, options: EncoderOptions, cache_dir: Path, timeout: float
) -> PreparedCurtains:
    folder = cache_dir / "curtains" / f"{_digest(assets.curtain_open, assets.curtain_close)}-{options.cache_key()}"
    prepared = PreparedCurtains(folder / "opening.nut", folder / "closing.nut")
    if prepared.opening.exists() and prepared.closing.exists():
        return prepared
    folder.mkdir(parents=True, exist_ok=True)
    # Several workers may prepare at once: each writes private files and renames them into place.
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        work = Path(scratch)
        opening, closing = work / "opening.nut", work / "closing.nut"
        run(commands.curtain(assets.curtain_open, options, opening), timeout)
        run(commands.curtain(assets.curtain_close, options, closing), timeout)
        _trial_join(PreparedCurtains(opening, closing), assets, options, work, timeout)
        os.replace(opening, prepared.opening)
        os.replace(closing, prepared.closing)
    return prepared


def _trial_join(
    curtains: PreparedCurtains, assets: ResolvedAssets, options: EncoderOptions, work: Path, timeout: float
) -> None:
    sample = work / "sample.mp4"
    run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30:d=2",
         "-c:v", "libx264", "-preset", "ultrafast", str(sample)], timeout)  # fmt: skip
    joined = work / "joined.mp4"
    encode_and_join(sample, assets.watermark, curtains, options, joined, work / "poster.jpg", timeout, None, 2.0)
    problems = complaints(commands.decode_check(joined), timeout)
    if problems:
        raise EncodeFailed(f"curtains do not join cleanly with this encoder setting: {problems}")
