"""Golden properties of every published video, on generated clips, with the real ffmpeg."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.commands import WATERMARK_MARGIN
from anb.ffmpeg.curtains import prepare_curtains
from anb.ffmpeg.errors import CorruptInput, MediaError, ProbeFailed
from anb.ffmpeg.options import CURTAIN_FRAMES, CURTAIN_SECONDS
from anb.ffmpeg.pipeline import render_video
from tests.ffmpeg.conftest import FAST, Processed
from tests.ffmpeg.frames import bright_box, decode_errors, raw_frames, region_mean, stream_facts

# clip → seconds of footage in the output
FOOTAGE = {"landscape": 21, "long": 30, "vertical": 4, "four_three": 4, "sixty_fps": 4, "rotated": 4}


@pytest.mark.parametrize("clip", sorted(FOOTAGE))
def test_published_video_properties(clip: str, processed: Callable[[str], Processed]) -> None:
    done = processed(clip)
    facts = stream_facts(done.result.output)
    assert [s["codec_type"] for s in facts["streams"]] == ["video"], "no audio stream at all"
    video = facts["streams"][0]
    assert (video["width"], video["height"]) == (1280, 720)
    assert video.get("sample_aspect_ratio", "1:1") == "1:1"
    assert Fraction(video["r_frame_rate"]) == Fraction(video["avg_frame_rate"]) == 30, "constant 30 fps"
    assert (video["codec_name"], video["codec_tag_string"], video["pix_fmt"]) == ("h264", "avc1", "yuv420p")
    assert facts["format"]["format_name"].startswith("mov,mp4")
    frames = FOOTAGE[clip] * 30 + 2 * CURTAIN_FRAMES
    assert int(video["nb_read_frames"]) == done.result.frames == frames
    assert float(facts["format"]["duration"]) == pytest.approx(frames / 30, abs=0.02)
    assert 2 * CURTAIN_SECONDS <= 5 and done.result.duration <= 30 + 2 * CURTAIN_SECONDS
    assert decode_errors(done.result.output) == "", "decodes from start to end without a single error"
    head = done.result.output.read_bytes()[:65536]
    assert -1 < head.find(b"moov") < head.find(b"mdat"), "faststart: the index before the media data"
    assert done.progress == sorted(done.progress) and done.progress[-1] == 1.0 and done.progress[0] < 1.0


@pytest.mark.parametrize("clip", ["landscape", "vertical"])
def test_the_poster_is_a_720p_jpeg_of_the_footage(clip: str, processed: Callable[[str], Processed]) -> None:
    poster = processed(clip).result.poster
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    video = stream_facts(poster)["streams"][0]
    assert (video["codec_name"], video["width"], video["height"]) == ("mjpeg", 1280, 720)


def test_opening_and_closing_are_the_cached_curtains_bit_for_bit(
    processed: Callable[[str], Processed], media_cache: Path
) -> None:
    done = processed("four_three")
    curtains = prepare_curtains(Assets().resolve(media_cache), FAST, media_cache, timeout=60)  # a cache hit
    in_closing = done.result.frames - CURTAIN_FRAMES + 30
    assert raw_frames(done.result.output, [30, in_closing], "yuv420p") == [
        *raw_frames(curtains.opening, [30], "yuv420p"),
        *raw_frames(curtains.closing, [30], "yuv420p"),
    ]


@pytest.mark.parametrize(
    ("clip", "bar_width"),
    [("landscape", 0), ("four_three", 160), ("vertical", 437), ("rotated", 437)],
)
def test_footage_is_fitted_and_padded_never_stretched(
    clip: str, bar_width: int, processed: Callable[[str], Processed]
) -> None:
    (frame,) = raw_frames(processed(clip).result.output, [CURTAIN_FRAMES + 15])
    if bar_width:
        assert max(region_mean(frame, 0, 100, bar_width - 2, 600)) < 20, "black bar on the left"
        assert max(region_mean(frame, 1280 - bar_width + 2, 100, 1280, 600)) < 20, "black bar on the right"
    # The test pattern reaches the picture's edges: not black just inside them.
    assert region_mean(frame, bar_width + 4, 100, bar_width + 40, 600)[0] > 20


def test_the_watermark_sits_in_the_bottom_right_corner_of_the_footage(processed: Callable[[str], Processed]) -> None:
    footage_frame = CURTAIN_FRAMES + 30
    (black,) = raw_frames(processed("black").result.output, [footage_frame])
    box = bright_box(black)
    assert box is not None, "the watermark's opaque lettering shows on black footage"
    x0, y0, x1, y1 = box
    assert x0 > 1280 * 3 // 4 and y0 > 720 * 3 // 4, f"in the bottom-right corner, got {box}"
    assert 1280 - x1 >= WATERMARK_MARGIN and 720 - y1 >= WATERMARK_MARGIN, f"with a margin, got {box}"
    # On real footage the lettering covers the picture at the same place.
    (pattern,) = raw_frames(processed("landscape").result.output, [footage_frame])
    letters = [i for i in range(y0 * 1280, y1 * 1280) if black[i] > 200]
    assert min(pattern[i] for i in letters) > 150


def test_curtain_frames_are_not_watermarked(processed: Callable[[str], Processed]) -> None:
    (opening,) = raw_frames(processed("black").result.output, [CURTAIN_FRAMES // 2], "rgb24")
    corner = region_mean(opening, 1280 - 200, 720 - 80, 1280 - WATERMARK_MARGIN, 720 - WATERMARK_MARGIN, 3)
    background = region_mean(opening, 0, 0, 200, 60, 3)
    assert corner == pytest.approx(background, abs=8), "the curtain's own navy, no plate over it"


@pytest.mark.parametrize(
    ("name", "error"),
    [("truncated", CorruptInput), ("random", ProbeFailed), ("pdf", ProbeFailed), ("empty", ProbeFailed),
     ("audio_only", CorruptInput)],
)  # fmt: skip
def test_broken_inputs_fail_with_a_permanent_typed_error_and_leave_nothing(
    name: str, error: type[MediaError], broken: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    with pytest.raises(error) as raised:
        render_video(
            broken[name], tmp_path / "out.mp4", tmp_path / "out.jpg", options=FAST, assets=Assets(),
            cache_dir=media_cache, timeout=120,
        )  # fmt: skip
    assert raised.value.permanent
    assert list(tmp_path.iterdir()) == [], "no output, no poster, no temporary file"
