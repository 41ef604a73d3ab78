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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anb.contest import repository, standings
from anb.contest.chain import FORMAT, head, links
from anb.contest.rules import Rules, iso_utc


def pseudonym(secret: str, purpose: str, user_id: object) -> str:
    """A stable stand-in for a person, unlinkable to anything outside this export's kind."""
    key = hmac.new(secret.encode(), f"anb/contest/{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def records(document: dict[str, Any]) -> Iterator[list[Any]]:
    rules = document["rules"]
    yield ["rules", rules["opens_at"], rules["closes_at"], rules["squad_size"], rules["self_votes_count"],
           rules["jury_weight"]]  # fmt: skip
    for player in document["players"]:
        yield ["player", player["player_id"], player["name"], player["city"], player["city_key"]]
    for video in document["videos"]:
        yield ["video", video["video_id"], video["player_id"]]
    for vote in document["votes"]:
        yield ["vote", vote["cast_at"], vote["video_id"], vote["voter"]]
    for score in document["jury_scores"]:
        yield ["jury", score["video_id"], score["juror"], score["score"]]


def standings_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The standings the document's records give, by the rules it carries."""
    return standings.compute(
        [standings.Player(p["player_id"], p["name"], p["city"], p["city_key"]) for p in document["players"]],
        {video["video_id"]: video["player_id"] for video in document["videos"]},
        (standings.CastVote(v["voter"], v["video_id"], v["cast_at"]) for v in document["votes"]),
        (standings.Score(s["juror"], s["video_id"], s["score"]) for s in document["jury_scores"]),
        document["rules"]["squad_size"],
        document["rules"]["jury_weight"],
    )


async def build(db: AsyncSession, rules: Rules, secret: str) -> dict[str, Any]:
    """The document from the ledger's counted votes (never the live counters), standings and head included."""
    players: dict[str, dict[str, str]] = {}
    videos = []
    for player_id, first, last, city, city_key, video_id in await repository.entrants(db):
        players.setdefault(
            str(player_id),
            {"player_id": str(player_id), "name": f"{first} {last}", "city": city, "city_key": city_key},
        )
        videos.append({"video_id": str(video_id), "player_id": str(player_id)})
    document: dict[str, Any] = {
        "format": FORMAT,
        "rules": rules.as_export(),
        "players": [players[key] for key in sorted(players)],
        "videos": sorted(videos, key=lambda video: video["video_id"]),
        "votes": [
            {"voter": pseudonym(secret, "voter", voter), "video_id": str(video_id), "cast_at": iso_utc(cast_at)}
            for voter, video_id, cast_at in await repository.counted_votes(db, rules)
        ],
        "jury_scores": [
            {"juror": pseudonym(secret, "juror", juror), "video_id": str(video_id), "score": score}
            for juror, video_id, score in await repository.jury_scores(db)
        ],
    }
    document["standings"] = standings_of(document)
    document["head_digest"] = head(records(document))
    return document


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
