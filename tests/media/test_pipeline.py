"""Golden properties of every published video, on generated clips, with the real ffmpeg."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from anb.media.commands import WATERMARK_MARGIN
from anb.media.errors import CorruptInput, MediaError, ProbeFailed
from anb.media.options import CURTAIN_SECONDS
from anb.media.pipeline import Assets, process_video
from tests.media.conftest import FAST
from tests.media.frames import decode_errors, mean_rgb, rgb_frame, stream_facts

CURTAINS = 2 * CURTAIN_SECONDS


def _process(source: Path, tmp_path: Path, cache: Path, assets: Assets) -> tuple[Path, Path, list[float]]:
    output, poster = tmp_path / "out.mp4", tmp_path / "poster.jpg"
    seen: list[float] = []
    process_video(
        source, output, poster, options=FAST, assets=assets, cache_dir=cache, timeout=300, on_progress=seen.append
    )
    return output, poster, seen


@pytest.mark.parametrize(("clip", "footage_seconds"), [
    ("landscape", 6), ("vertical", 6), ("four_three", 6), ("sixty_fps", 4), ("long", 30),
])  # fmt: skip
def test_published_video_properties(
    clip: str, footage_seconds: float, media_clips: dict[str, Path], media_cache: Path, assets: Assets, tmp_path: Path
) -> None:
    output, poster, progress = _process(media_clips[clip], tmp_path, media_cache, assets)
    facts = stream_facts(output)
    streams = facts["streams"]
    assert [s["codec_type"] for s in streams] == ["video"], "no audio stream at all"
    video = streams[0]
    assert (video["width"], video["height"]) == (1280, 720)
    assert video["sample_aspect_ratio"] in ("1:1", None)
    assert Fraction(video["r_frame_rate"]) == 30
    assert video["codec_name"] == "h264" and video["pix_fmt"] == "yuv420p"
    duration = float(facts["format"]["duration"])
    assert duration == pytest.approx(footage_seconds + CURTAINS, abs=0.1)
    assert duration <= 30 + 5
    assert int(video["nb_read_frames"]) == round(duration * 30)
    assert decode_errors(output) == ""
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    assert progress and progress[-1] == 1.0 and all(0 <= p <= 1 for p in progress)
    # faststart: the index (moov) comes before the media data (mdat).
    head = output.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < (head.find(b"mdat") if b"mdat" in head else 4096)


def test_curtain_first_and_watermark_in_the_corner(
    media_clips: dict[str, Path], media_cache: Path, assets: Assets, tmp_path: Path
) -> None:
    output, _, _ = _process(media_clips["vertical"], tmp_path, media_cache, assets)
    opening = rgb_frame(output, 0.2)
    # The default curtain is ANB navy (0x0B1F4B) around its title: no test pattern there.
    r, g, b = mean_rgb(opening, 0, 0, 200, 60)
    assert (r, g, b) == pytest.approx((11, 31, 75), abs=12)
    footage = rgb_frame(output, CURTAIN_SECONDS + 1.0)
    # Vertical footage is pillar-boxed: black bars left and right, never stretched.
    assert max(mean_rgb(footage, 0, 300, 100, 420)) < 20
    # The watermark sits in the bottom-right corner with a margin: navy-tinted plate, not the black bar.
    x1, y1 = 1280 - WATERMARK_MARGIN, 720 - WATERMARK_MARGIN
    plate = mean_rgb(footage, x1 - 150, y1 - 50, x1 - 10, y1 - 20)
    assert plate[2] > plate[0] + 10, f"watermark plate expected bluish, got {plate}"
    outside = mean_rgb(footage, x1 + 4, y1 + 4, 1280, 720)
    assert max(outside) < 20, "the margin outside the watermark stays black (pillar box)"


def test_curtains_are_prepared_once_per_setting(media_clips: dict[str, Path], tmp_path: Path, assets: Assets) -> None:
    cache = tmp_path / "cache"
    (tmp_path / "a").mkdir()
    _process(media_clips["sixty_fps"], tmp_path / "a", cache, assets)
    prepared = sorted((cache / "curtains").rglob("*.nut"))
    stamps = [p.stat().st_mtime_ns for p in prepared]
    (tmp_path / "b").mkdir()
    _process(media_clips["sixty_fps"], tmp_path / "b", cache, assets)
    assert len(prepared) == 2
    assert [p.stat().st_mtime_ns for p in sorted((cache / "curtains").rglob("*.nut"))] == stamps


def test_operator_assets_replace_the_defaults(media_clips: dict[str, Path], media_cache: Path, tmp_path: Path) -> None:
    import subprocess

    red = tmp_path / "red.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=red:s=640x360:d=1", "-frames:v", "1", str(red)],
        check=True, timeout=60,
    )  # fmt: skip
    custom = Assets(curtain_open=red, curtain_close=red, watermark=None)
    output, _, _ = _process(media_clips["sixty_fps"], tmp_path, media_cache, custom)
    r, g, b = mean_rgb(rgb_frame(output, 0.5), 400, 200, 800, 500)
    assert r > 200 and g < 40 and b < 40


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4 not a video", bytes(range(256)) * 400])
def test_corrupt_inputs_fail_with_a_permanent_typed_error(
    content: bytes, media_cache: Path, assets: Assets, tmp_path: Path
) -> None:
    source = tmp_path / "bad.mp4"
    source.write_bytes(content)
    with pytest.raises(MediaError) as raised:
        _process(source, tmp_path, media_cache, assets)
    assert isinstance(raised.value, (CorruptInput, ProbeFailed)) and raised.value.permanent
    assert not (tmp_path / "out.mp4").exists()


def test_truncated_mp4_fails_permanently(
    media_clips: dict[str, Path], media_cache: Path, assets: Assets, tmp_path: Path
) -> None:
    data = media_clips["landscape"].read_bytes()
    source = tmp_path / "cut.mp4"
    source.write_bytes(data[: len(data) // 3])
    with pytest.raises(MediaError) as raised:
        _process(source, tmp_path, media_cache, assets)
    assert raised.value.permanent
    assert not (tmp_path / "out.mp4").exists() and not list(tmp_path.glob(".out.mp4*"))
