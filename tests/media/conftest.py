from __future__ import annotations

from pathlib import Path

import pytest

from anb.media.pipeline import Assets, EncoderOptions
from tests.clips import make_clip

FAST = EncoderOptions(preset="ultrafast", crf=30)


@pytest.fixture(scope="session")
def media_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One curtain cache for the session, as a worker keeps one."""
    return tmp_path_factory.mktemp("media-cache")


@pytest.fixture(scope="session")
def media_clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media-clips")
    return {
        "landscape": make_clip(folder / "landscape.mp4", seconds=6, fps=30, audio=True),
        "vertical": make_clip(folder / "vertical.mp4", width=1080, height=1920, seconds=6),
        "four_three": make_clip(folder / "four_three.mp4", width=1440, height=1080, seconds=6),
        "sixty_fps": make_clip(folder / "sixty.mp4", seconds=4, fps=60),
        "long": make_clip(folder / "long.mp4", width=1280, height=720, seconds=34, fps=10),
    }


@pytest.fixture(scope="session")
def assets() -> Assets:
    return Assets()
