"""Each rule on hand-made ledger rows: it finds its pattern, and leaves the organic look-alike alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from anb.config import IntegritySettings
from anb.integrity.rules import (
    Ledger,
    LedgerVote,
    evaluate,
    prefix_cluster,
    rate_spike,
    single_purpose_accounts,
    vote_exchange,
)

LIMITS = IntegritySettings()
T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
DAY = 86400


def vote(
    player: uuid.UUID,
    *,
    minute: float = 0,
    prefix: str | None = None,
    age: int = 90 * DAY,
    voter_players: int = 3,
    voter_is_player: bool = False,
    voter: uuid.UUID | None = None,
) -> LedgerVote:
    return LedgerVote(
        video_id=uuid.uuid5(uuid.NAMESPACE_OID, str(player)),
        voter_id=voter or uuid.uuid4(),
        player_id=player,
        created_at=T0 + timedelta(minutes=minute),
        client_prefix=prefix or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.0/24",
        agent_hash=None,
        voter_age_seconds=age,
        voter_players=voter_players,
        voter_is_player=voter_is_player,
    )


def test_prefix_cluster_needs_new_accounts_from_one_network_within_minutes() -> None:
    player = uuid.uuid4()
    ring = [vote(player, minute=n, prefix="203.0.113.0/24", age=300) for n in range(8)]
    (finding,) = prefix_cluster(Ledger.of(ring), LIMITS)
    assert finding.rule == "prefix_cluster" and len(finding.votes) == 8
    assert finding.evidence["prefix"] == "203.0.113.0/24" and finding.evidence["votes"] == 8
    # A school's Wi-Fi: one network, old accounts. Or new accounts spread over the evening.
    school = [vote(player, minute=n, prefix="203.0.113.0/24") for n in range(30)]
    spread = [vote(player, minute=n * 20, prefix="203.0.113.0/24", age=300) for n in range(8)]
    assert prefix_cluster(Ledger.of(school), LIMITS) == [] and prefix_cluster(Ledger.of(spread), LIMITS) == []


def test_single_purpose_accounts_need_numbers_and_a_share_of_the_players_votes() -> None:
    player = uuid.uuid4()
    bought = [vote(player, minute=n * 30, age=120, voter_players=1) for n in range(8)]
    organic = [vote(player, minute=n) for n in range(10)]
    (finding,) = single_purpose_accounts(Ledger.of(bought + organic), LIMITS)
    assert len(finding.votes) == 8 and finding.evidence["share_of_player_votes"] == round(8 / 18, 3)
    # The same eight friends who signed up to vote for a popular player are a small share: left alone.
    popular = [vote(player, minute=n % 60) for n in range(40)]
    assert single_purpose_accounts(Ledger.of(bought + popular), LIMITS) == []


def test_rate_spike_compares_with_the_sites_baseline_that_hour() -> None:
    target, others = uuid.uuid4(), [uuid.uuid4() for _ in range(20)]
    background = [vote(p, minute=n) for p in others for n in range(2)]
    burst = [vote(target, minute=n % 60, age=600, voter_players=2) for n in range(40)]
    (finding,) = [f for f in rate_spike(Ledger.of(background + burst), LIMITS) if f.player_id == target]
    assert finding.rule == "rate_spike" and len(finding.votes) == 40
    assert rate_spike(Ledger.of(background), LIMITS) == []


def test_vote_exchange_between_players() -> None:
    players = [uuid.uuid4() for _ in range(6)]
    ring = [vote(b, voter=a, voter_is_player=True) for a in players for b in players if a != b]
    findings = vote_exchange(Ledger.of(ring), LIMITS)
    assert {f.player_id for f in findings} == set(players)
    assert all(f.evidence["partners"] == 5 for f in findings)
    # Three players voting for each other is below the threshold of four partners.
    assert (
        vote_exchange(Ledger.of([v for v in ring if v.voter_id in players[:3] and v.player_id in players[:3]]), LIMITS)
        == []
    )


def test_organic_votes_raise_nothing() -> None:
    players = [uuid.uuid4() for _ in range(30)]
    crowd = [vote(players[n % 30], minute=n % 120, age=(n * 7919) % (200 * DAY)) for n in range(600)]
    assert evaluate(Ledger.of(crowd), LIMITS) == []
