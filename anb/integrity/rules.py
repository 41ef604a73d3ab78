"""The scan's rules: pure functions from the scanned ledger to findings, each with its evidence.

Every rule is written so an operator can check it by hand from the evidence it leaves: which
votes, which shared trait, which threshold (settings ``ANB_INTEGRITY__*``, docs/integrity.md).

The rules look one by one only at votes of new accounts and at votes traded between players; of
every other scanned vote they need only counts: per player, per clock hour, and per hour and
player where a player got enough votes to be a spike. So the scan reads those few rows and three
aggregates (anb/integrity/scan.py), not the whole lookback.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from anb.config import IntegritySettings

VoteKey = tuple[uuid.UUID, uuid.UUID]


@dataclass(frozen=True)
class LedgerVote:
    video_id: uuid.UUID
    voter_id: uuid.UUID
    player_id: uuid.UUID  # the video's owner
    created_at: datetime
    client_prefix: str | None
    agent_hash: str | None
    voter_age_seconds: int | None
    # Distinct players the voter has ever voted for, and whether the voter has a published video.
    voter_players: int
    voter_is_player: bool

    @property
    def key(self) -> VoteKey:
        return (self.video_id, self.voter_id)


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class HourTotals:
    votes: int
    players: int  # distinct players voted for


@dataclass(frozen=True)
class Ledger:
    """What the rules read: the votes they examine one by one (at least every vote of a new
    account and every vote traded between players) and counts of every scanned vote: per player,
    per clock hour, and per hour and player (at least where a player got ``spike_min_votes``)."""

    votes: Sequence[LedgerVote]
    player_votes: Mapping[uuid.UUID, int]
    hours: Mapping[datetime, HourTotals]
    player_hours: Mapping[tuple[datetime, uuid.UUID], int]

    @classmethod
    def of(cls, votes: Sequence[LedgerVote]) -> Ledger:
        """The ledger of votes all at hand, every one examined."""
        player_hours = Counter((hour_of(vote.created_at), vote.player_id) for vote in votes)
        hours: defaultdict[datetime, list[int]] = defaultdict(lambda: [0, 0])
        for (hour, _), count in player_hours.items():
            hours[hour][0] += count
            hours[hour][1] += 1
        totals = {hour: HourTotals(votes, players) for hour, (votes, players) in hours.items()}
        return cls(votes, Counter(vote.player_id for vote in votes), totals, player_hours)

    @property
    def scanned(self) -> int:
        return sum(self.player_votes.values())


@dataclass
class Finding:
    rule: str
    player_id: uuid.UUID
    votes: list[VoteKey]
    evidence: dict[str, Any] = field(default_factory=dict)
    # What tells apart two findings of one rule about one player: the network of a prefix
    # cluster, the hour of a rate spike; the scan grows one open flag per (rule, player, scope).
    scope: str = ""


def _is_new(vote: LedgerVote, limits: IntegritySettings) -> bool:
    return vote.voter_age_seconds is not None and vote.voter_age_seconds < limits.new_account_seconds


def _densest_window(votes: Sequence[LedgerVote], width: timedelta) -> list[LedgerVote]:
    """The largest run of votes (time-ordered) that fits in ``width``."""
    ordered = sorted(votes, key=lambda v: v.created_at)
    best: tuple[int, int] = (0, 0)
    start = 0
    for end, vote in enumerate(ordered):
        while vote.created_at - ordered[start].created_at > width:
            start += 1
        if end + 1 - start > best[1] - best[0]:
            best = (start, end + 1)
    return ordered[best[0] : best[1]]


def _summary(votes: Sequence[LedgerVote]) -> dict[str, Any]:
    ages = [v.voter_age_seconds for v in votes if v.voter_age_seconds is not None]
    return {
        "votes": len(votes),
        "first_vote": min(v.created_at for v in votes).isoformat(),
        "last_vote": max(v.created_at for v in votes).isoformat(),
        "median_account_age_seconds": int(median(ages)) if ages else None,
        "prefixes": len({v.client_prefix for v in votes}),
        "user_agents": len({v.agent_hash for v in votes}),
    }


def prefix_cluster(ledger: Ledger, limits: IntegritySettings) -> list[Finding]:
    """Many new accounts voting for one player from one network (/24 or /48) within minutes: a
    sock-puppet ring run from one place."""
    groups: defaultdict[tuple[uuid.UUID, str], list[LedgerVote]] = defaultdict(list)
    for vote in ledger.votes:
        if vote.client_prefix and _is_new(vote, limits):
            groups[(vote.player_id, vote.client_prefix)].append(vote)
    findings = []
    width = timedelta(seconds=limits.cluster_window_seconds)
    for (player_id, prefix), group in groups.items():
        dense = _densest_window(group, width)
        if len(dense) >= limits.cluster_min_votes:
            # Every new account's vote from that network for that player is held, not only the densest run.
            evidence = {"prefix": prefix, "window_seconds": limits.cluster_window_seconds, **_summary(dense)}
            evidence["held_votes"] = len(group)
            findings.append(Finding("prefix_cluster", player_id, [v.key for v in group], evidence, scope=prefix))
    return findings


def single_purpose_accounts(ledger: Ledger, limits: IntegritySettings) -> list[Finding]:
    """Accounts whose only activity is voting for one player right after signing up, arriving for
    one player in numbers and making up a large share of the player's recent votes: bought or
    scripted accounts, whatever addresses they come from (a rotating proxy, a slow drip)."""
    by_player: defaultdict[uuid.UUID, list[LedgerVote]] = defaultdict(list)
    for vote in ledger.votes:
        if (
            vote.voter_players == 1
            and not vote.voter_is_player
            and vote.voter_age_seconds is not None
            and vote.voter_age_seconds <= limits.fresh_vote_seconds
        ):
            by_player[vote.player_id].append(vote)
    received = ledger.player_votes
    findings = []
    for player_id, suspects in by_player.items():
        share = len(suspects) / received[player_id]
        if len(suspects) >= limits.single_purpose_min_votes and share >= limits.single_purpose_min_share:
            evidence = {
                "share_of_player_votes": round(share, 3),
                "player_votes": received[player_id],
                **_summary(suspects),
            }
            evidence["voted_within_seconds_of_signup"] = limits.fresh_vote_seconds
            findings.append(Finding("single_purpose_accounts", player_id, [v.key for v in suspects], evidence))
    return findings


def rate_spike(ledger: Ledger, limits: IntegritySettings) -> list[Finding]:
    """A player's votes in one hour far above the site's baseline for that hour (the mean votes of
    the other voted-for players then): the new accounts among that hour's voters are held."""
    new_votes: defaultdict[tuple[datetime, uuid.UUID], list[LedgerVote]] = defaultdict(list)
    for vote in ledger.votes:
        if _is_new(vote, limits):
            new_votes[(hour_of(vote.created_at), vote.player_id)].append(vote)
    findings = []
    for (hour, player_id), received in ledger.player_hours.items():
        site = ledger.hours[hour]
        # The others' mean: a spike must not raise its own baseline.
        baseline = (site.votes - received) / max(1, site.players - 1)
        threshold = max(limits.spike_min_votes, limits.spike_factor * baseline)
        new = new_votes[(hour, player_id)]
        if received >= threshold and len(new) >= limits.spike_min_votes:
            evidence = {
                "hour": hour.isoformat(),
                "player_votes_in_hour": received,
                "site_baseline_per_player": round(baseline, 2),
                "factor": limits.spike_factor,
                **_summary(new),
            }
            findings.append(Finding("rate_spike", player_id, [v.key for v in new], evidence, scope=evidence["hour"]))
    return findings


def vote_exchange(ledger: Ledger, limits: IntegritySettings) -> list[Finding]:
    """Players trading votes: a player who received votes from at least N players it voted for
    in return. The traded votes (both ways) are held."""
    between_players = [v for v in ledger.votes if v.voter_is_player and v.voter_id != v.player_id]
    cast = {(v.voter_id, v.player_id): v for v in between_players}
    partners: defaultdict[uuid.UUID, list[LedgerVote]] = defaultdict(list)
    for (voter, player), vote in cast.items():
        if (player, voter) in cast:
            partners[player].append(vote)
    findings = []
    for player_id, received in partners.items():
        if len(received) >= limits.exchange_min_partners:
            returned = [cast[(player_id, v.voter_id)] for v in received]
            evidence = {"partners": len(received), **_summary(received)}
            findings.append(
                Finding("vote_exchange", player_id, [v.key for v in received] + [v.key for v in returned], evidence)
            )
    return findings


RULES = (prefix_cluster, single_purpose_accounts, rate_spike, vote_exchange)


def evaluate(ledger: Ledger, limits: IntegritySettings) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(ledger, limits)]
