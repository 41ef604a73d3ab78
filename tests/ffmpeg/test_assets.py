"""Default ANB assets drawn by the project; operator files replace them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.options import CURTAIN_FRAMES
from anb.ffmpeg.pipeline import render_video
from tests.ffmpeg.conftest import FAST
from tests.ffmpeg.frames import raw_frames, region_mean, stream_facts


def test_defaults_are_drawn_once_into_the_cache(media_cache: Path) -> None:
    first = Assets().resolve(media_cache)
    stamps = [path.stat().st_mtime_ns for path in (first.curtain_open, first.curtain_close, first.watermark)]
    again = Assets().resolve(media_cache)
    assert again == first
    assert [path.stat().st_mtime_ns for path in (again.curtain_open, again.curtain_close, again.watermark)] == stamps
    curtain = stream_facts(first.curtain_open)["streams"][0]
    assert (curtain["width"], curtain["height"]) == (1280, 720)
    watermark = stream_facts(first.watermark)["streams"][0]
    assert (watermark["codec_name"], watermark["pix_fmt"]) == ("png", "rgba"), "a PNG with transparency"


def test_operator_assets_replace_the_defaults(clips: dict[str, Path], media_cache: Path, tmp_path: Path) -> None:
    red, green = tmp_path / "red.png", tmp_path / "green.png"
    for path, colour, size in ((red, "red", "640x360"), (green, "0x00FF00", "100x40")):
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"color=c={colour}:s={size}", "-frames:v", "1",
                        str(path)], check=True, timeout=60)  # fmt: skip
    result = render_video(
        clips["black"], tmp_path / "out.mp4", tmp_path / "out.jpg", options=FAST,
        assets=Assets(curtain_open=red, curtain_close=red, watermark=green), cache_dir=media_cache, timeout=300,
    )  # fmt: skip
    opening, footage = raw_frames(result.output, [CURTAIN_FRAMES // 2, CURTAIN_FRAMES + 10], "rgb24")
    r, g, b = region_mean(opening, 400, 200, 800, 500, channels=3)
    assert r > 200 and g < 40 and b < 40, "the operator's opening curtain"
    r, g, b = region_mean(footage, 1280 - 24 - 90, 720 - 24 - 35, 1280 - 24 - 10, 720 - 24 - 5, channels=3)
    assert g > 200 and r < 40 and b < 40, "the operator's watermark, 24 px from the corner"
