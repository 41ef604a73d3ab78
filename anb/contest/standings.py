"""Each city's final standing, computed from the export's own records only.

Pure: the close runs it on what it read from the ledger, and ``anb contest verify`` runs the very
same function on what it read from an export file, so both must agree to the byte.

- Public rank: by counted votes, most first; equal votes share a rank (1, 2, 2, 4).
- Jury rank: by the mean of the jury's scores of the player's videos, highest first; players the
  jury did not score rank after those it did.
- Combined: public weight × public rank + jury weight × jury rank (weights in percent, 100 + 0 by
  default, so the public rank alone); lower is better, and equal combined values share a rank.
- Ties are shown as ties (``rank``), but the squad needs an order (``position``): among equal
  combined values, more votes first, then the player who reached their final total first (the
  earliest last counted vote), then the player id. The squad is the first ``squad_size`` positions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class Player:
    player_id: str
    name: str
    city: str
    city_key: str


@dataclass(frozen=True)
class CastVote:
    voter: str
    video_id: str
    cast_at: str  # ISO 8601 UTC with microseconds: sorts as it reads


@dataclass(frozen=True)
class Score:
    juror: str
    video_id: str
    score: int


# Sorts after every ISO instant: players without votes reached nothing.
_NEVER = "~"


def _competition_ranks(values: dict[str, Any]) -> dict[str, int]:
    """1 + how many have a strictly better value (better = larger); None is worse than any value."""
    known = sorted((v for v in values.values() if v is not None), reverse=True)
    first: dict[Any, int] = {}
    for index, value in enumerate(known, start=1):
        first.setdefault(value, index)
    return {key: len(known) + 1 if value is None else first[value] for key, value in values.items()}


def _jury_means(owner: dict[str, str], scores: Iterable[Score]) -> dict[str, Fraction]:
    totals: defaultdict[str, list[int]] = defaultdict(list)
    for score in scores:
        totals[owner[score.video_id]].append(score.score)
    return {player: Fraction(sum(values), len(values)) for player, values in totals.items()}


def _city_name(players: Sequence[Player]) -> str:
    spellings = Counter(player.city for player in players)
    return min(spellings, key=lambda spelling: (-spellings[spelling], spelling))


class Tally:
    """Each player's counted votes and the instant they reached that total, fed one vote at a time,
    so the votes themselves need not be kept."""

    def __init__(self, owner: dict[str, str]) -> None:
        self.owner = owner
        self.votes: Counter[str] = Counter()
        self.reached: dict[str, str] = {}

    def add(self, vote: CastVote) -> None:
        player = self.owner[vote.video_id]
        self.votes[player] += 1
        self.reached[player] = max(self.reached.get(player, ""), vote.cast_at)


def compute(
    players: Sequence[Player],
    owner: dict[str, str],
    votes: Iterable[CastVote],
    scores: Iterable[Score],
    squad_size: int,
    jury_weight: int,
) -> list[dict[str, Any]]:
    """The standings of every city with entrants, cities by key, players by position."""
    tally = Tally(owner)
    for vote in votes:
        tally.add(vote)
    return rank(players, tally, scores, squad_size, jury_weight)


def rank(
    players: Sequence[Player], tally: Tally, scores: Iterable[Score], squad_size: int, jury_weight: int
) -> list[dict[str, Any]]:
    jury = _jury_means(tally.owner, scores)
    by_city: defaultdict[str, list[Player]] = defaultdict(list)
    for entrant in players:
        by_city[entrant.city_key].append(entrant)
    return [
        _city_standing(key, by_city[key], tally.votes, tally.reached, jury, squad_size, jury_weight)
        for key in sorted(by_city)
    ]


def _city_standing(
    city_key: str,
    players: list[Player],
    tally: Counter[str],
    reached: dict[str, str],
    jury: dict[str, Fraction],
    squad_size: int,
    jury_weight: int,
) -> dict[str, Any]:
    ids = [player.player_id for player in players]
    public_rank = _competition_ranks({pid: tally[pid] for pid in ids})
    jury_rank = _competition_ranks({pid: jury.get(pid) for pid in ids})
    combined = {pid: (100 - jury_weight) * public_rank[pid] + jury_weight * jury_rank[pid] for pid in ids}
    # Lower combined is better: negate it for the "larger is better" ranking.
    shared_rank = _competition_ranks({pid: -combined[pid] for pid in ids})
    order = sorted(ids, key=lambda pid: (combined[pid], -tally[pid], reached.get(pid, _NEVER), pid))
    rank_counts = Counter(shared_rank.values())
    names = {player.player_id: player.name for player in players}
    return {
        "city": _city_name(players),
        "city_key": city_key,
        "players": [
            {
                "position": position,
                "rank": shared_rank[pid],
                "tied": rank_counts[shared_rank[pid]] > 1,
                "squad": position <= squad_size,
                "player_id": pid,
                "name": names[pid],
                "votes": tally[pid],
                "jury_score": f"{float(jury[pid]):.2f}" if pid in jury else None,
                "public_rank": public_rank[pid],
                "jury_rank": jury_rank[pid],
                "reached_total_at": reached.get(pid),
            }
            for position, pid in enumerate(order, start=1)
        ],
    }
