"""The contest's export: every record that decided the result, chained, and the standings.

The document (JSON) holds the rules, the entrants (players and their published videos), every
counted vote in pseudonymous form (the voter as HMAC-SHA256 of their id under a key derived from
``ANB_SECRET_KEY``; the video; the instant), the jury's scores (the juror pseudonymous the same
way), the standings and the chain's head. ``Replay`` feeds the records to the chain in their order
(rules, players, videos, votes, jury scores) and the votes to the tally: the close, the export and
``anb contest verify`` (from the document alone) all compute through it (docs/contest.md).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anb.contest import repository, standings
from anb.contest.chain import FORMAT, Chain
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


def _players(document: dict[str, Any]) -> list[standings.Player]:
    return [standings.Player(p["player_id"], p["name"], p["city"], p["city_key"]) for p in document["players"]]


def _owners(document: dict[str, Any]) -> dict[str, str]:
    return {video["video_id"]: video["player_id"] for video in document["videos"]}


def _scores(jury_scores: list[dict[str, Any]]) -> list[standings.Score]:
    return [standings.Score(s["juror"], s["video_id"], s["score"]) for s in jury_scores]


class Replay:
    """The chain and the tally fed one vote at a time, from a document's rules and entrants (its
    ``rules``, ``players`` and ``videos``): the votes themselves are never kept."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.chain = Chain()
        self.chain.add(_rules_record(document["rules"]))
        for player in document["players"]:
            self.chain.add(_player_record(player))
        for video in document["videos"]:
            self.chain.add(_video_record(video))
        self.tally = standings.Tally(_owners(document))
        self.votes = 0

    def vote(self, vote: dict[str, str]) -> str:
        """Chains and counts one vote; the chain's digest after it."""
        digest = self.chain.add(_vote_record(vote))
        self.tally.add(standings.CastVote(vote["voter"], vote["video_id"], vote["cast_at"]))
        self.votes += 1
        return digest

    def finish(self, jury_scores: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
        """The standings and the chain's head, once the jury's scores close the chain."""
        for score in jury_scores:
            self.chain.add(_score_record(score))
        rules = self.document["rules"]
        ranked = standings.rank(
            _players(self.document), self.tally, _scores(jury_scores), rules["squad_size"], rules["jury_weight"]
        )
        return ranked, self.chain.head


def replayed(document: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The standings and the head a whole document's records give, by the rules it carries."""
    replay = Replay(document)
    for vote in document["votes"]:
        replay.vote(vote)
    return replay.finish(document["jury_scores"])


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


@dataclass(frozen=True)
class Frozen:
    standings: list[dict[str, Any]]
    head_digest: str
    votes: int
    rules: dict[str, Any]


async def freeze(db: AsyncSession, rules: Rules, secret: str, files: ExportFiles | None = None) -> Frozen:
    """What the close publishes — the standings, the chain's head, the number of votes — with the
    votes streamed through the chain and the tally (and into ``files`` for an export), so the
    memory is the entrants' size, not the votes'."""
    document = await _without_votes(db, rules, secret)
    if files is not None:
        files.begin(document)
    replay = Replay(document)
    async for vote in _votes(db, rules, secret):
        digest = replay.vote(vote)
        if files is not None:
            files.vote(vote, digest)
    ranked, head_digest = replay.finish(document["jury_scores"])
    if files is not None:
        files.end(document["jury_scores"], ranked, head_digest)
    return Frozen(ranked, head_digest, replay.votes, document["rules"])


def _nested(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(document, indent=1)`` writes it ``depth`` levels down."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def _member(key: str, value: Any) -> str:
    return f" {json.dumps(key)}: {_nested(value, 1)},\n"


class ExportFiles:
    """``contest.json`` (everything; what verify reads) and ``votes.csv`` (each vote with the chain's
    digest after it) written as the votes stream through the chain, then ``standings.csv``.

    The JSON is byte for byte what ``json.dumps(document, ensure_ascii=False, indent=1)`` gives for
    the whole document, without ever holding its votes. The files keep temporary names until
    ``keep``: an export that fails (or chains to another head than the close's) leaves nothing."""

    NAMES = ("contest.json", "votes.csv", "standings.csv")

    def __init__(self, folder: Path, closed_at: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.paths = [folder / name for name in self.NAMES]
        self._partial = [path.with_name(f".{path.name}.partial") for path in self.paths]
        self._closed_at = closed_at
        self._votes_written = 0
        self._json = self._partial[0].open("w", encoding="utf-8")
        self._csv_file = self._partial[1].open("w", newline="", encoding="utf-8")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow(["cast_at", "video_id", "voter", "chain_digest"])
        self._standings: list[dict[str, Any]] = []

    def begin(self, document: dict[str, Any]) -> None:
        self._json.write("{\n" + _member("format", document["format"]) + _member("closed_at", self._closed_at))
        for key in ("rules", "players", "videos"):
            self._json.write(_member(key, document[key]))
        self._json.write(' "votes": [')

    def vote(self, vote: dict[str, str], digest: str) -> None:
        self._json.write(("," if self._votes_written else "") + "\n  " + _nested(vote, 2))
        self._votes_written += 1
        self._csv.writerow([vote["cast_at"], vote["video_id"], vote["voter"], digest])

    def end(self, jury_scores: list[dict[str, Any]], ranked: list[dict[str, Any]], head_digest: str) -> None:
        self._json.write("\n ],\n" if self._votes_written else "],\n")
        self._json.write(_member("jury_scores", jury_scores) + _member("standings", ranked))
        self._json.write(f' "head_digest": {json.dumps(head_digest)}\n}}\n')
        self._standings = ranked

    def keep(self) -> list[Path]:
        """The files under their names, ``standings.csv`` written from the standings ``end`` got."""
        self._close()
        with self._partial[2].open("w", newline="", encoding="utf-8") as out:
            rows = csv.writer(out)
            rows.writerow(["city", "position", "rank", "tied", "squad", "player_id", "name", "votes", "jury_score"])
            for city in self._standings:
                for p in city["players"]:
                    rows.writerow([city["city"], p["position"], p["rank"], p["tied"], p["squad"], p["player_id"],
                                   p["name"], p["votes"], p["jury_score"] or ""])  # fmt: skip
        for partial, path in zip(self._partial, self.paths, strict=True):
            partial.replace(path)
        return self.paths

    def discard(self) -> None:
        self._close()
        for partial in self._partial:
            partial.unlink(missing_ok=True)

    def _close(self) -> None:
        self._json.close()
        self._csv_file.close()
