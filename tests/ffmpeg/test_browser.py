"""Published videos play in a real browser (Debian's Chromium), across both joins, to the end."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.options import EncoderOptions
from anb.ffmpeg.pipeline import render_video
from tests.ffmpeg.conftest import Processed
from tests.ffmpeg.frames import stream_facts

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]
# Plays the video at 16× and reports what the element saw when it ended (or failed).
PLAY_TO_THE_END = """() => new Promise((resolve) => {
    const v = document.getElementById('v');
    const report = (extra) => resolve(Object.assign({
        width: v.videoWidth, height: v.videoHeight, duration: v.duration, error: v.error && v.error.code,
        corrupted: v.getVideoPlaybackQuality().corruptedVideoFrames}, extra));
    v.onended = () => report({ended: true});
    v.onerror = () => report({ended: false});
    v.playbackRate = 16;
    v.play().catch((e) => report({ended: false, play: String(e)}));
    setTimeout(() => report({ended: false, timeout: true}), 30000);
})"""


def _play(video: Path) -> dict[str, Any]:
    page_file = video.with_suffix(".html")
    page_file.write_text(f'<video id="v" muted playsinline src="{video.name}"></video>')
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri())
            return dict(page.evaluate(PLAY_TO_THE_END))
        finally:
            browser.close()


@pytest.fixture(scope="module")
def with_defaults(clips: dict[str, Path], media_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A video made with the production defaults (veryfast, CRF 23)."""
    folder = tmp_path_factory.mktemp("defaults")
    result = render_video(
        clips["vertical"], folder / "default.mp4", folder / "default.jpg", options=EncoderOptions(),
        assets=Assets(), cache_dir=media_cache, timeout=300,
    )  # fmt: skip
    return result.output


def test_the_defaults_give_high_profile_h264(with_defaults: Path) -> None:
    video = stream_facts(with_defaults)["streams"][0]
    assert (video["profile"], video["level"], video["pix_fmt"]) == ("High", 40, "yuv420p")


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason="scripts/bootstrap --dev installs Debian's chromium")
@pytest.mark.parametrize("made_with", ["ultrafast", "defaults"])
def test_chromium_plays_it_to_the_end(
    made_with: str, with_defaults: Path, processed: Callable[[str], Processed]
) -> None:
    video = with_defaults if made_with == "defaults" else processed("landscape").result.output
    seen = _play(video)
    frames = int(stream_facts(video)["streams"][0]["nb_read_frames"])
    assert seen["ended"] and seen["error"] is None, seen
    assert (seen["width"], seen["height"]) == (1280, 720)
    assert seen["duration"] == pytest.approx(frames / 30, abs=0.05)
    assert seen["corrupted"] == 0
