"""Checking an export from the file alone: the chain's head and the standings are recomputed from
its records and compared with what the file (and, when given, the published result) states.

The file is read as a stream (ijson, a C parser): the rules, the entrants and the jury's scores are
kept, and each vote goes through the chain and the tally as it is read, so the memory is the
entrants' size whatever the number of votes. A file whose rules, players and videos do not all come
before its votes (a copy re-serialised with sorted keys, say) is read whole instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import ijson
from ijson.common import ObjectBuilder

from anb.contest.chain import FORMAT
from anb.contest.export import Replay, replayed

# What a document must hold before its votes for them to be checked as they are read.
_BEFORE_VOTES = ("format", "rules", "players", "videos")


@dataclass
class Verdict:
    recomputed_head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _ReadWhole(Exception):
    """The members come in an order the stream cannot check: the whole document is read instead."""


def _judge(
    stated: dict[str, Any], head: str, ranked: list[dict[str, Any]], published: dict[str, Any] | None
) -> Verdict:
    verdict = Verdict(recomputed_head=head)
    if head != stated.get("head_digest"):
        verdict.problems.append(
            f"the records do not chain to the stated head: recomputed {head}, stated {stated.get('head_digest')}"
        )
    if ranked != stated.get("standings"):
        verdict.problems.append("the standings in the file are not those its records give")
    if published is not None:
        if published.get("head_digest") != head:
            verdict.problems.append(f"the published head {published.get('head_digest')} is not the records' {head}")
        if published.get("standings") != ranked:
            verdict.problems.append("the published standings are not those the records give")
    return verdict


def _unknown_format(document: dict[str, Any]) -> Verdict | None:
    if document.get("format") == FORMAT:
        return None
    return Verdict(problems=[f"unknown format {document.get('format')!r} (expected {FORMAT})"])


def verify_document(document: dict[str, Any], published: dict[str, Any] | None = None) -> Verdict:
    if refused := _unknown_format(document):
        return refused
    try:
        ranked, head = replayed(document)
    except (KeyError, TypeError, ValueError) as exc:
        return Verdict(problems=[f"malformed export: {exc!r}"])
    return _judge(document, head, ranked, published)


def _streamed(source: IO[bytes], published: dict[str, Any] | None) -> Verdict:
    members: dict[str, Any] = {}
    replay: Replay | None = None
    key, member, vote = "", ObjectBuilder(), ObjectBuilder()
    for prefix, event, value in ijson.parse(source, use_float=True):
        if prefix == "":
            if event == "map_key":
                key, member = value, ObjectBuilder()
            elif event != "start_map" and event != "end_map":
                raise _ReadWhole()  # not an object: the whole read says so
        elif key != "votes":
            member.event(event, value)
            members[key] = member.value
        elif prefix == "votes":
            if event == "start_array":
                if any(name not in members for name in _BEFORE_VOTES):
                    raise _ReadWhole()
                if refused := _unknown_format(members):
                    return refused
                replay = Replay(members)
            elif event != "end_array":
                raise _ReadWhole()
        else:
            if prefix == "votes.item" and event == "start_map":
                vote = ObjectBuilder()
            vote.event(event, value)
            if prefix == "votes.item" and event == "end_map":
                assert replay is not None  # the array's start made it
                replay.vote(vote.value)
    if replay is None or "jury_scores" not in members:
        raise _ReadWhole()
    ranked, head = replay.finish(members["jury_scores"])
    return _judge(members, head, ranked, published)


def verify_file(path: Path, published: dict[str, Any] | None = None) -> Verdict:
    try:
        with path.open("rb") as source:
            return _streamed(source, published)
    except _ReadWhole:
        pass
    except (OSError, ijson.JSONError) as exc:  # before ValueError, which a JSONError may be
        return Verdict(problems=[f"cannot read {path}: {exc}"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return Verdict(problems=[f"malformed export: {exc!r}"])
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Verdict(problems=[f"cannot read {path}: {exc}"])
    if not isinstance(document, dict):
        return Verdict(problems=[f"{path} is not an export document"])
    return verify_document(document, published)
