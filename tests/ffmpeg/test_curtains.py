"""The curtain cache: prepared once per setting, verified, safe with concurrent workers, and its
segments' stream headers identical to any footage encode's (what makes the stream-copy join valid)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from anb.ffmpeg import commands
from anb.ffmpeg.assets import Assets
from anb.ffmpeg.curtains import prepare_curtains
from anb.ffmpeg.encode import FootagePlan
from anb.ffmpeg.probe import probe
from tests.ffmpeg.conftest import FAST, Processed


def _headers(path: Path) -> str:
    out = subprocess.run(commands.extradata_hash(path), capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.startswith("SHA256:")
    return out.stdout.strip()


def test_curtains_are_prepared_once_and_reused(processed: Callable[[str], Processed], media_cache: Path) -> None:
    processed("sixty_fps")  # a job has run with this cache
    first = prepare_curtains(Assets().resolve(media_cache), FAST, media_cache, timeout=60)
    stamps = [first.opening.stat().st_mtime_ns, first.closing.stat().st_mtime_ns]
    processed("vertical")
    again = prepare_curtains(Assets().resolve(media_cache), FAST, media_cache, timeout=60)
    other_threads = prepare_curtains(Assets().resolve(media_cache), replace(FAST, threads=1), media_cache, timeout=60)
    assert again == other_threads == first
    assert [again.opening.stat().st_mtime_ns, again.closing.stat().st_mtime_ns] == stamps
    assert first.opening.parent.name.startswith("ultrafast-crf30-")


def test_workers_preparing_at_once_agree_and_another_setting_gets_its_own_pair(
    media_cache: Path, tmp_path: Path
) -> None:
    other = replace(FAST, crf=FAST.crf + 1)
    assets = Assets().resolve(tmp_path)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: prepare_curtains(assets, other, tmp_path, timeout=120), range(2)))
    assert results[0] == results[1] and results[0].opening.exists() and results[0].closing.exists()
    assert [p.name for p in (tmp_path / "curtains").iterdir()] == [results[0].opening.parent.name]
    assert results[0].opening.parent.name.startswith("ultrafast-crf31-")


def test_thread_count_does_not_change_the_stream_headers(media_cache: Path, tmp_path: Path) -> None:
    curtains = prepare_curtains(Assets().resolve(media_cache), FAST, media_cache, timeout=60)
    for threads in (1, 3):
        sample = tmp_path / f"threads-{threads}.nut"
        subprocess.run(commands.header_sample(replace(FAST, threads=threads), sample), check=True, timeout=60)
        assert _headers(sample) == _headers(curtains.opening) == _headers(curtains.closing)


def test_tagged_full_range_footage_gets_the_curtains_headers(
    clips: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    curtains = prepare_curtains(Assets().resolve(media_cache), FAST, media_cache, timeout=60)
    source = clips["tagged"]
    plan = FootagePlan.for_input(probe(source))
    args = commands.footage(source, Assets().resolve(media_cache).watermark, tmp_path / "p.jpg", plan.fit, plan.frames,
                            plan.poster_frame, FAST)  # fmt: skip
    footage = tmp_path / "footage.nut"
    with footage.open("wb") as out:
        subprocess.run(args, stdout=out, check=True, timeout=60)
    assert _headers(footage) == _headers(curtains.opening)
