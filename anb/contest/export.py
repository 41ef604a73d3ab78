"""The contest's export: every record that decided the result, chained, and the standings.

The document (JSON) holds the rules, the entrants (players and their published videos), every
counted vote in pseudonymous form (the voter as HMAC-SHA256 of their id under a key derived from
``ANB_SECRET_KEY``; the video; the instant), the jury's scores (the juror pseudonymous the same
way), the standings and the chain's head. ``records()`` lists the chained records in their order;
``anb contest verify`` rebuilds them from the document alone (docs/contest.md).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anb.contest import repository, standings
from anb.contest.chain import FORMAT, Chain, head, links
from anb.contest_rules.rules import Rules, iso_utc


def pseudonym(secret: str, purpose: str, user_id: object) -> str:
    """A stable stand-in for a person, unlinkable to anything outside this export's kind."""
    key = hmac.new(secret.encode(), f"anb/contest/{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def _rules_record(rules: dict[str, Any]) -> list[Any]:
    return ["rules", rules["opens_at"], rules["closes_at"], rules["squad_size"], rules["self_votes_count"],
            rules["jury_weight"]]  # fmt: skip


def _player_record(player: dict[str, str]) -> list[Any]:
    return ["player", player["player_id"], player["name"], player["city"], player["city_key"]]


def _video_record(video: dict[str, str]) -> list[Any]:
    return ["video", video["video_id"], video["player_id"]]


def _vote_record(vote: dict[str, str]) -> list[Any]:
    return ["vote", vote["cast_at"], vote["video_id"], vote["voter"]]


def _score_record(score: dict[str, Any]) -> list[Any]:
    return ["jury", score["video_id"], score["juror"], score["score"]]


def records(document: dict[str, Any]) -> Iterator[list[Any]]:
    yield _rules_record(document["rules"])
    yield from map(_player_record, document["players"])
    yield from map(_video_record, document["videos"])
    yield from map(_vote_record, document["votes"])
    yield from map(_score_record, document["jury_scores"])


def _players(document: dict[str, Any]) -> list[standings.Player]:
    return [standings.Player(p["player_id"], p["name"], p["city"], p["city_key"]) for p in document["players"]]


def _owners(document: dict[str, Any]) -> dict[str, str]:
    return {video["video_id"]: video["player_id"] for video in document["videos"]}


def _scores(document: dict[str, Any]) -> list[standings.Score]:
    return [standings.Score(s["juror"], s["video_id"], s["score"]) for s in document["jury_scores"]]


def standings_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The standings the document's records give, by the rules it carries."""
    return standings.compute(
        _players(document),
        _owners(document),
        (standings.CastVote(v["voter"], v["video_id"], v["cast_at"]) for v in document["votes"]),
        _scores(document),
        document["rules"]["squad_size"],
        document["rules"]["jury_weight"],
    )


async def _without_votes(db: AsyncSession, rules: Rules, secret: str) -> dict[str, Any]:
    """The document but its votes: rules, entrants and jury scores (the size of the entrants)."""
    players: dict[str, dict[str, str]] = {}
    videos = []
    for player_id, first, last, city, city_key, video_id in await repository.entrants(db):
        players.setdefault(
            str(player_id),
            {"player_id": str(player_id), "name": f"{first} {last}", "city": city, "city_key": city_key},
        )
        videos.append({"video_id": str(video_id), "player_id": str(player_id)})
    return {
        "format": FORMAT,
        "rules": rules.as_export(),
        "players": [players[key] for key in sorted(players)],
        "videos": sorted(videos, key=lambda video: video["video_id"]),
        "votes": [],
        "jury_scores": [
            {"juror": pseudonym(secret, "juror", juror), "video_id": str(video_id), "score": score}
            for juror, video_id, score in await repository.jury_scores(db)
        ],
    }


async def _votes(db: AsyncSession, rules: Rules, secret: str) -> AsyncIterator[dict[str, str]]:
    async for voter, video_id, cast_at in repository.counted_votes(db, rules):
        yield {"voter": pseudonym(secret, "voter", voter), "video_id": str(video_id), "cast_at": iso_utc(cast_at)}


async def build(db: AsyncSession, rules: Rules, secret: str) -> dict[str, Any]:
    """The whole document from the ledger's counted votes (never the live counters), standings and
    head included. Holds every vote: for the export file."""
    document = await _without_votes(db, rules, secret)
    document["votes"] = [vote async for vote in _votes(db, rules, secret)]
    document["standings"] = standings_of(document)
    document["head_digest"] = head(records(document))
    return document


@dataclass(frozen=True)
class Frozen:
    standings: list[dict[str, Any]]
    head_digest: str
    votes: int
    rules: dict[str, Any]


async def freeze(db: AsyncSession, rules: Rules, secret: str) -> Frozen:
    """What the close publishes — the standings, the chain's head, the number of votes — computed
    as ``build`` computes them but with the votes streamed through the chain and the tally, so the
    memory is the entrants' size, not the votes'."""
    document = await _without_votes(db, rules, secret)
    chain = Chain()
    chain.add(_rules_record(document["rules"]))
    for player in document["players"]:
        chain.add(_player_record(player))
    for video in document["videos"]:
        chain.add(_video_record(video))
    tally = standings.Tally(_owners(document))
    count = 0
    async for vote in _votes(db, rules, secret):
        chain.add(_vote_record(vote))
        tally.add(standings.CastVote(vote["voter"], vote["video_id"], vote["cast_at"]))
        count += 1
    for score in document["jury_scores"]:
        chain.add(_score_record(score))
    ranked = standings.rank(_players(document), tally, _scores(document), rules.squad_size, rules.jury_weight)
    return Frozen(ranked, chain.head, count, document["rules"])


def write(document: dict[str, Any], folder: Path) -> list[Path]:
    """``contest.json`` (everything; what verify reads), ``votes.csv`` (each vote with the chain's
    digest after it) and ``standings.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "contest.json", folder / "votes.csv", folder / "standings.csv"]
    written[0].write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    digests = links(records(document))
    # The votes' digests follow the rules, players' and videos' records in the chain.
    for _ in range(1 + len(document["players"]) + len(document["videos"])):
        next(digests)
    with written[1].open("w", newline="", encoding="utf-8") as out:
        votes = csv.writer(out)
        votes.writerow(["cast_at", "video_id", "voter", "chain_digest"])
        for vote, digest in zip(document["votes"], digests, strict=False):
            votes.writerow([vote["cast_at"], vote["video_id"], vote["voter"], digest])
    with written[2].open("w", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        rows.writerow(["city", "position", "rank", "tied", "squad", "player_id", "name", "votes", "jury_score"])
        for city in document["standings"]:
            for p in city["players"]:
                rows.writerow([city["city"], p["position"], p["rank"], p["tied"], p["squad"], p["player_id"],
                               p["name"], p["votes"], p["jury_score"] or ""])  # fmt: skip
    return written
