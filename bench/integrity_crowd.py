"""The simulated crowd of bench/integrity_sim.py: organic voters and four attacks, as planned votes.

Everything is drawn from one seeded generator, so a run is reproducible. A day of voting ends at
the moment the plan is made; every vote has its simulated time and its voter's account age.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

DAY = 86400.0
CITIES = ["Bogotá", "Medellín", "Cali", "Barranquilla", "Bucaramanga"]
PLAYERS_PER_CITY = 20
# Browsers most voters share (one string each), and the attackers' scripts.
ORGANIC_AGENTS = [f"Mozilla/5.0 (Linux; Android {10 + n % 5}) Chrome/{120 + n} Mobile" for n in range(30)]
# Mobile carriers put many subscribers behind a few carrier-grade NAT networks: organic votes
# share /24s too, which is what keeps the prefix rule honest.
CGNAT_PREFIXES = [f"181.{50 + n // 10}.{(n * 37) % 250}" for n in range(40)]


@dataclass
class Account:
    id: uuid.UUID
    city: str
    age_at_first_vote: float  # seconds
    is_player: bool = False


@dataclass
class PlannedVote:
    voter: uuid.UUID
    player: uuid.UUID
    at: float  # seconds before the end of the simulated day
    address: str
    agent: str
    attack: str | None  # None: organic


@dataclass
class Crowd:
    players: dict[uuid.UUID, str]  # player -> city
    accounts: dict[uuid.UUID, Account]
    votes: list[PlannedVote] = field(default_factory=list)
    targets: dict[str, list[uuid.UUID]] = field(default_factory=dict)  # attack -> targeted players


def _evening_time(rng: random.Random) -> float:
    """Seconds before the end of the day, denser in the evening (a two-hour-wide peak 3 h before the end)."""
    offset = rng.gauss(3 * 3600, 2 * 3600) if rng.random() < 0.6 else rng.uniform(0, DAY)
    return min(max(offset, 60.0), DAY - 60)


def _organic_age(rng: random.Random) -> float:
    draw = rng.random()
    if draw < 0.70:
        return rng.uniform(7 * DAY, 365 * DAY)
    if draw < 0.90:
        return rng.uniform(DAY, 7 * DAY)
    # New accounts: half vote right after signing up (a friend's link), half within the day.
    return rng.uniform(60, 900) if rng.random() < 0.5 else rng.uniform(900, DAY)


def _organic_address(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.choice(CGNAT_PREFIXES)}.{rng.randint(1, 254)}"
    return f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def plan(seed: int, organic_voters: int) -> Crowd:
    rng = random.Random(seed)
    players = {uuid.uuid4(): city for city in CITIES for _ in range(PLAYERS_PER_CITY)}
    ids = list(players)
    # Popularity: Zipf-like weights, shuffled so a city's favourites are spread.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(ids))]
    rng.shuffle(weights)
    crowd = Crowd(players, {pid: Account(pid, city, 200 * DAY, is_player=True) for pid, city in players.items()})
    agents_weights = [1 / (n + 1) for n in range(len(ORGANIC_AGENTS))]
    for _ in range(organic_voters):
        city = rng.choice(CITIES)
        account = Account(uuid.uuid4(), city, _organic_age(rng))
        crowd.accounts[account.id] = account
        choices = max(1, min(8, int(rng.expovariate(1 / 2.5)) + 1))
        home = [p for p in ids if players[p] == city]
        picked = set()
        for _ in range(choices):
            pool = home if rng.random() < 0.7 else ids
            picked.add(rng.choices(pool, weights=[weights[ids.index(p)] for p in pool])[0])
        address, agent = _organic_address(rng), rng.choices(ORGANIC_AGENTS, weights=agents_weights)[0]
        first = _evening_time(rng)
        # A new account votes within its first minutes; an older one over a short visit.
        for n, player in enumerate(sorted(picked)):
            crowd.votes.append(
                PlannedVote(account.id, player, max(30.0, first - n * rng.uniform(5, 120)), address, agent, None)
            )
    # Players vote for a few others of their city too (some of those pairs are mutual by chance).
    for pid, city in players.items():
        for other in rng.sample([p for p in ids if players[p] == city and p != pid], 3):
            crowd.votes.append(
                PlannedVote(pid, other, _evening_time(rng), _organic_address(rng), rng.choice(ORGANIC_AGENTS), None)
            )
    _attacks(rng, crowd)
    return crowd


def _fresh(crowd: Crowd, city: str, rng: random.Random) -> Account:
    account = Account(uuid.uuid4(), city, rng.uniform(60, 600))
    crowd.accounts[account.id] = account
    return account


def _attacks(rng: random.Random, crowd: Crowd) -> None:
    by_city = {city: [p for p, c in crowd.players.items() if c == city] for city in CITIES}
    # A sock-puppet ring: 30 fresh accounts from one /24, within 8 minutes, one script's agent.
    target = by_city["Cali"][0]
    start = rng.uniform(2 * 3600, 6 * 3600)
    for n in range(30):
        account = _fresh(crowd, "Cali", rng)
        crowd.votes.append(
            PlannedVote(
                account.id, target, start - n * 16, f"45.71.12.{n + 10}", "python-requests/2.32", "ring_one_prefix"
            )
        )
    crowd.targets["ring_one_prefix"] = [target]
    # A slow drip: 40 fresh accounts over 20 hours, each from a different network and browser string.
    target = by_city["Medellín"][0]
    for n in range(40):
        account = _fresh(crowd, "Medellín", rng)
        address = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        crowd.votes.append(
            PlannedVote(
                account.id,
                target,
                3600 + n * 1800 + rng.uniform(0, 600),
                address,
                rng.choice(ORGANIC_AGENTS),
                "slow_drip",
            )
        )
    crowd.targets["slow_drip"] = [target]
    # A burst through a rotating proxy: 60 fresh accounts in 30 minutes, a new address each.
    target = by_city["Bogotá"][0]
    start = rng.uniform(3600, 3 * 3600)
    for n in range(60):
        account = _fresh(crowd, "Bogotá", rng)
        address = f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        crowd.votes.append(
            PlannedVote(account.id, target, start - n * 30, address, rng.choice(ORGANIC_AGENTS[:3]), "proxy_burst")
        )
    crowd.targets["proxy_burst"] = [target]
    # A vote exchange: 6 players of one city each vote for the 5 others.
    ring = by_city["Barranquilla"][:6]
    for voter in ring:
        for player in ring:
            if voter != player and not any(v.voter == voter and v.player == player for v in crowd.votes):
                crowd.votes.append(
                    PlannedVote(
                        voter,
                        player,
                        _evening_time(rng),
                        _organic_address(rng),
                        rng.choice(ORGANIC_AGENTS),
                        "vote_exchange",
                    )
                )
    crowd.targets["vote_exchange"] = ring


def city_ranking(counts: dict[uuid.UUID, int], players: dict[uuid.UUID, str], city: str) -> list[uuid.UUID]:
    """A city's players by votes (ties: the player id, a stand-in for the ranking's account age)."""
    return sorted((p for p, c in players.items() if c == city), key=lambda p: (-counts.get(p, 0), p))
