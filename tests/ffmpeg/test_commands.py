"""Argument builders: pure functions, checked without running anything."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from anb.ffmpeg import commands
from anb.ffmpeg.options import EncoderOptions


@pytest.mark.parametrize(
    ("aspect", "size"),
    [(16 / 9, (1280, 720)), (9 / 16, (404, 720)), (4 / 3, (960, 720)), (21 / 9, (1280, 548)), (1.0, (720, 720))],
)
def test_fitted_size_fills_one_side_keeps_the_aspect_and_is_even(aspect: float, size: tuple[int, int]) -> None:
    width, height = commands.fitted_size(aspect)
    assert (width, height) == size
    assert width % 2 == height % 2 == 0 and width <= 1280 and height <= 720
    assert width / height == pytest.approx(aspect, rel=0.01)


def test_frames_are_dropped_before_scaling_and_duplicated_after_it() -> None:
    assert commands.fit_chain(16 / 9, 60).startswith("fps=30,scale=1280:720")
    assert commands.fit_chain(16 / 9, 24).endswith("setsar=1,fps=30")


def test_paths_are_file_urls_so_names_are_never_protocols_or_options(tmp_path: Path) -> None:
    odd = tmp_path / "pipe:1"
    assert commands.url(odd) == f"file:{odd}"
    assert commands.url(Path("-y.mp4")).startswith("file:/")


def test_the_join_lists_exact_durations_and_quotes_names(tmp_path: Path) -> None:
    opening, closing = tmp_path / "it's" / "opening.nut", tmp_path / "closing.nut"
    args = commands.join(opening, closing, 75, tmp_path / "out.mp4")
    listing = base64.b64decode(args[args.index("-i") + 1].removeprefix("data:text/plain;base64,")).decode()
    assert listing.splitlines() == [
        "ffconcat version 1.0",
        "file 'file:" + str(opening).replace("'", "'\\''") + "'",
        "duration 2.500000",
        "file 'pipe:0'",
        "duration 2.500000",
        f"file 'file:{closing}'",
        "duration 2.500000",
    ]
    assert args[args.index("-c") + 1] == "copy" and "+faststart" in args


def test_footage_decodes_at_most_30_s_and_maps_no_audio(tmp_path: Path) -> None:
    args = commands.footage(tmp_path / "in.mp4", tmp_path / "wm.png", tmp_path / "p.jpg", "fps=30", 900, 90,
                            EncoderOptions())  # fmt: skip
    assert args[args.index("-t") + 1] == "30" and args.index("-t") < args.index("-i"), "input-side -t"
    assert args.count("-map") == 2 and "[out]" in args and "[poster]" in args, "only video mapped"
    assert "-nostdin" in args
