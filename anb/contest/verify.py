"""Checking an export from the file alone: the chain's head and the standings are recomputed from
its records and compared with what the file (and, when given, the published result) states."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anb.contest.chain import FORMAT, head
from anb.contest.export import records, standings_of


@dataclass
class Verdict:
    recomputed_head: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_document(document: dict[str, Any], published: dict[str, Any] | None = None) -> Verdict:
    verdict = Verdict()
    if document.get("format") != FORMAT:
        verdict.problems.append(f"unknown format {document.get('format')!r} (expected {FORMAT})")
        return verdict
    try:
        verdict.recomputed_head = head(records(document))
        recomputed = standings_of(document)
    except (KeyError, TypeError, ValueError) as exc:
        verdict.problems.append(f"malformed export: {exc!r}")
        return verdict
    if verdict.recomputed_head != document.get("head_digest"):
        verdict.problems.append(
            f"the records do not chain to the stated head: recomputed {verdict.recomputed_head},"
            f" stated {document.get('head_digest')}"
        )
    if recomputed != document.get("standings"):
        verdict.problems.append("the standings in the file are not those its records give")
    if published is not None:
        if published.get("head_digest") != verdict.recomputed_head:
            verdict.problems.append(
                f"the published head {published.get('head_digest')} is not the records' {verdict.recomputed_head}"
            )
        if published.get("standings") != recomputed:
            verdict.problems.append("the published standings are not those the records give")
    return verdict


def verify_file(path: Path, published: dict[str, Any] | None = None) -> Verdict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return Verdict(problems=[f"cannot read {path}: {exc}"])
    if not isinstance(document, dict):
        return Verdict(problems=[f"{path} is not an export document"])
    return verify_document(document, published)
