"""Lighthouse in mobile mode on the gallery, a video page and the ranking: accessibility 100, best
practices ≥ 95, SEO ≥ 90. Performance is a recorded benchmark (bench/lighthouse_bench.py,
docs/web.md), not a test: it depends on the machine's load."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from bench.harness.lighthouse import audit
from bench.harness.showcase_site import build_showcase

pytestmark = pytest.mark.slow

THRESHOLDS = {"accessibility": 100, "best-practices": 95, "seo": 90}


@pytest.fixture(scope="module")
def pages(base_url: str, clips: dict[str, Path]) -> dict[str, str]:
    # Cities of its own: test_showcase.py's players must have no namesakes in this service.
    site = build_showcase(base_url, clips["good"], uuid.uuid4().hex[:6], cities=("Pereira", "Manizales"))
    video_id = next(iter(site.videos.values()))
    return {"gallery": f"{base_url}/", "video": f"{base_url}/videos/{video_id}", "ranking": f"{base_url}/#/ranking"}


@pytest.mark.parametrize("page", ["gallery", "video", "ranking"])
def test_lighthouse_thresholds(pages: dict[str, str], page: str) -> None:
    result = audit(pages[page])
    below = {
        category: result.scores[category] for category, least in THRESHOLDS.items() if result.scores[category] < least
    }
    assert below == {}, f"{page}: {below}; failing audits: {result.failing}"
