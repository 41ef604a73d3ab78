"""``anb process`` through click's runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from anb.processing.file_cli import process


def test_process_writes_the_video_and_poster_and_prints_a_summary(
    clips: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    output = tmp_path / "cli.mp4"
    args = [str(clips["vertical"]), str(output), "--preset", "ultrafast", "--crf", "30", "--threads", "2",
            "--cache-dir", str(media_cache)]  # fmt: skip
    result = CliRunner().invoke(process, args)
    assert result.exit_code == 0, result.output
    assert f"{output}: 1280x720, 9.00 s (270 frames, 120 of footage)" in result.output
    assert "processing" not in result.output, "no progress bar when stdout is not a terminal"
    assert output.exists() and output.with_suffix(".jpg").exists()


def test_a_broken_input_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video")
    result = CliRunner().invoke(process, [str(bad), str(tmp_path / "x.mp4"), "--cache-dir", str(tmp_path)])
    assert result.exit_code == 1 and "Error: ProbeFailed:" in result.output
    assert not (tmp_path / "x.mp4").exists()


def test_unset_options_come_from_the_workers_settings(
    clips: dict[str, Path], media_cache: Path, tmp_path: Path
) -> None:
    """``anb process`` encodes as a worker would: an x264 preset set only in ANB_FFMPEG__PRESET reaches
    the encoder (an unknown one makes x264 refuse; the option given on the command line wins)."""
    output = tmp_path / "cli.mp4"
    args = [str(clips["vertical"]), str(output), "--cache-dir", str(media_cache)]
    refused = CliRunner().invoke(process, args, env={"ANB_FFMPEG__PRESET": "no-such-preset"})
    assert refused.exit_code == 1 and "EncodeFailed" in refused.output
    chosen = CliRunner().invoke(process, [*args, "--preset", "ultrafast"], env={"ANB_FFMPEG__PRESET": "no-such-preset"})
    assert chosen.exit_code == 0, chosen.output
