"""Fixtures shared by the hardening tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness.clips import make_clip


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An upload that passes the checks under ``live_api.SMALL_CLIP_LIMITS``, made once per test session."""
    return make_clip(tmp_path_factory.mktemp("hardening") / "valid.mp4", width=426, height=240, seconds=2)
