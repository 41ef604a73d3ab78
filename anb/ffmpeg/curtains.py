"""Curtains are the same for every video: encoded once per (asset content, encoder settings, ffmpeg
version) and reused as already-encoded H.264 segments that the join stream-copies.

A new pair enters the cache only after it is verified on this machine: its stream headers are
byte-identical to the footage encoder's, and a trial join with a real footage encode decodes with
no error and the right number of frames. Preparing is safe with several workers at once: each
prepares in a private folder and renames it into place.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from anb.ffmpeg import commands
from anb.ffmpeg.assets import ResolvedAssets
from anb.ffmpeg.encode import FootagePlan, PreparedCurtains, encode_and_join
from anb.ffmpeg.errors import EncodeFailed
from anb.ffmpeg.options import CURTAIN_SECONDS, FPS, HEIGHT, WIDTH, EncoderOptions
from anb.ffmpeg.probe import probe
from anb.ffmpeg.runner import run, run_chain
from anb.ffmpeg.tools import ffmpeg_version

# Bump when the way curtains are encoded or joined changes: old cache entries are then ignored.
_PIPELINE_VERSION = "2"
_FADE_SECONDS = 0.4
_VERIFIED = "verified"


def prepare_curtains(
    assets: ResolvedAssets, options: EncoderOptions, cache_dir: Path, timeout: float
) -> PreparedCurtains:
    folder = cache_dir / "curtains" / f"{options.cache_key()}-{_digest(assets, options)}"
    prepared = PreparedCurtains(folder / "opening.nut", folder / "closing.nut")
    if (folder / _VERIFIED).exists():
        return prepared
    folder.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".preparing-", dir=folder.parent))
    try:
        fresh = _encode(assets, options, scratch, timeout)
        _verify(fresh, assets.watermark, options, scratch / "trial", timeout)
        shutil.rmtree(scratch / "trial")
        (scratch / _VERIFIED).touch()
        scratch.chmod(0o755)  # mkdtemp's 0700 would hide the cache from other users of the machine
        _move_into_place(scratch, folder)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return prepared


def _digest(assets: ResolvedAssets, options: EncoderOptions) -> str:
    # Threads do not change the stream headers (tests/ffmpeg/test_curtains.py): one pair serves all counts.
    x264 = replace(options, threads=0).x264_args()
    hasher = hashlib.sha256(f"{_PIPELINE_VERSION}|{ffmpeg_version()}|{x264}".encode())
    hasher.update(f"|{WIDTH}x{HEIGHT}@{FPS}|{CURTAIN_SECONDS}|".encode())
    for path in (assets.curtain_open, assets.curtain_close):
        hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()[:16]


def _encode(assets: ResolvedAssets, options: EncoderOptions, work: Path, timeout: float) -> PreparedCurtains:
    fresh = PreparedCurtains(work / "opening.nut", work / "closing.nut")
    # The opening fades in from black, the closing fades out to black.
    jobs = (
        (assets.curtain_open, fresh.opening, f"fade=t=in:d={_FADE_SECONDS}"),
        (assets.curtain_close, fresh.closing, f"fade=t=out:st={CURTAIN_SECONDS - _FADE_SECONDS}:d={_FADE_SECONDS}"),
    )
    for source, target, fade in jobs:
        found = probe(source, timeout)
        fit = commands.fit_chain(found.display_aspect or WIDTH / HEIGHT, found.fps)
        run(commands.curtain(source, fit, fade, options, target), timeout)
    return fresh


def _verify(curtains: PreparedCurtains, watermark: Path, options: EncoderOptions, work: Path, timeout: float) -> None:
    work.mkdir()
    headers = work / "headers.nut"
    run(commands.header_sample(options, headers), timeout)
    segments = (curtains.opening, curtains.closing, headers)
    hashes = {run(commands.extradata_hash(path), timeout).strip() for path in segments}
    if len(hashes) != 1:
        raise EncodeFailed(f"curtains and footage get different H.264 headers with {options}: cannot stream-join")
    sample, joined = work / "sample.mp4", work / "joined.mp4"
    run(commands.sample_clip(sample), timeout)
    plan = FootagePlan.for_input(probe(sample, timeout))
    encode_and_join(sample, plan, watermark, curtains, options, joined, work / "poster.jpg", timeout)
    problems = run_chain([commands.decode_all(joined)], timeout).stderr
    if problems:
        raise EncodeFailed(f"the trial join does not decode cleanly: {problems}")


def _move_into_place(scratch: Path, folder: Path) -> None:
    try:
        os.rename(scratch, folder)
    except OSError:
        if not (folder / _VERIFIED).exists():  # not another worker's finished copy: a real failure
            raise
