from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from anb.media.cli import process
from anb.media.errors import FfmpegMissing, MediaTimeout
from anb.media.pipeline import Assets, process_video
from anb.media.runner import run
from anb.media.tools import check_ffmpeg
from tests.media.conftest import FAST


def test_runner_timeout_stops_the_command() -> None:
    started = time.monotonic()
    with pytest.raises(MediaTimeout):
        run(["sleep", "30"], timeout=0.5)
    assert time.monotonic() - started < 5


def test_pipeline_timeout_kills_both_ffmpeg_processes(
    media_clips: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    output = tmp_path / "slow.mp4"
    process_video(  # warm the curtain cache so the timeout lands in the encode
        media_clips["sixty_fps"], tmp_path / "warm.mp4", tmp_path / "warm.jpg",
        options=FAST, assets=Assets(), cache_dir=media_cache, timeout=300,
    )  # fmt: skip
    with pytest.raises(MediaTimeout):
        process_video(
            media_clips["long"], output, tmp_path / "slow.jpg",
            options=FAST, assets=Assets(), cache_dir=media_cache, timeout=1.5,
        )  # fmt: skip
    leftovers = subprocess.run(["pgrep", "-f", str(output)], capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""
    assert not output.exists()


def test_cancelling_through_progress_aborts_the_encode(
    media_clips: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    class Stop(Exception):
        pass

    def cancel(fraction: float) -> None:
        if fraction > 0:
            raise Stop

    with pytest.raises(Stop):
        process_video(
            media_clips["long"], tmp_path / "c.mp4", tmp_path / "c.jpg",
            options=FAST, assets=Assets(), cache_dir=media_cache, timeout=300, on_progress=cancel,
        )  # fmt: skip
    assert not (tmp_path / "c.mp4").exists()


def test_check_ffmpeg_accepts_this_machine_and_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    check_ffmpeg()
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(FfmpegMissing, match="ffmpeg is not on PATH"):
        check_ffmpeg()


def test_process_command(media_clips: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "cli.mp4"
    result = CliRunner().invoke(
        process,
        [str(media_clips["sixty_fps"]), str(output), "--preset", "ultrafast", "--cache-dir", str(tmp_path / "cache")],
    )
    assert result.exit_code == 0, result.output
    assert "1280x720" in result.output
    assert output.exists() and output.with_suffix(".jpg").exists()
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"nope")
    failed = CliRunner().invoke(process, [str(bad), str(tmp_path / "x.mp4"), "--cache-dir", str(tmp_path / "cache")])
    assert failed.exit_code != 0 and "ProbeFailed" in failed.output
