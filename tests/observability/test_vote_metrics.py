"""``anb_votes_total`` counts every vote request of a signed-in user by outcome."""

from __future__ import annotations

import uuid
from pathlib import Path

from prometheus_client import REGISTRY

from anb.config import DatabaseSettings, RateLimitRule, RateLimitSettings, Settings
from tests.support.in_process import app_client
from tests.support.voting_rows import make_player, make_video

OUTCOMES = ("accepted", "already_voted", "video_not_found", "rate_limited")


def _votes() -> dict[str, float]:
    return {outcome: REGISTRY.get_sample_value("anb_votes_total", {"outcome": outcome}) or 0.0 for outcome in OUTCOMES}


async def test_votes_are_counted_by_outcome(database_url: str, tmp_path: Path) -> None:
    limits = RateLimitSettings(vote_per_user=RateLimitRule(requests=3, period_seconds=60))
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=database_url), rate_limit=limits)
    before = _votes()
    async with app_client(settings) as (application, http):
        video_id = await make_video(application, await make_player(application))
        voter = await make_player(application)
        codes = [
            (await http.post(f"/api/public/videos/{target}/vote", headers=voter.headers)).status_code
            for target in (video_id, video_id, uuid.uuid4(), video_id)
        ]
    assert codes == [200, 400, 404, 429]
    after = _votes()
    assert {outcome: after[outcome] - before[outcome] for outcome in OUTCOMES} == dict.fromkeys(OUTCOMES, 1.0)
