"""The contest's use cases: the rules operators set, the close that freezes the standings, the
export and the jury's scores (the window each vote and upload meets: anb/contest_rules/window.py).
They flush, never commit."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anb.contest import export, repository
from anb.contest.exceptions import InvalidRules, NotAJuror, ResultsNotPublished
from anb.contest.models import ContestResultRow, JuryScore
from anb.contest_rules import repository as rules_repository
from anb.contest_rules.rules import DEFAULT_SQUAD_SIZE, Phase, Rules, colombian, iso_utc
from anb.db.base import utcnow
from anb.videos.exceptions import VideoNotFound
from anb.videos.models import Video, VideoStatus
from anb.videos.service import parse_video_id

TIE_BREAK = (
    "Empates: los jugadores con el mismo puntaje comparten el puesto; para decidir quién entra en la"
    " selección gana quien tenga más votos, luego quien alcanzó primero su total final (su último voto"
    " contado más temprano) y, por último, el identificador del jugador."
)


def public_contest(rules: Rules | None, results_published: bool, now: datetime) -> dict[str, Any]:
    shown = rules.as_export() if rules else {
        "opens_at": None, "closes_at": None, "uploads_close_at": None, "squad_size": DEFAULT_SQUAD_SIZE,
        "self_votes_count": True, "jury_weight": 0, "public_weight": 100,
    }  # fmt: skip
    return {
        "phase": (rules.phase(now) if rules else Phase.UNSCHEDULED).value,
        "now": iso_utc(now),
        **shown,
        "results_published": results_published,
        "time_zone": "America/Bogota (UTC−5)",
        "tie_break": TIE_BREAK,
    }


def validate(rules: Rules) -> Rules:
    if rules.closes_at <= rules.opens_at:
        raise InvalidRules("Reglas inválidas: el cierre de la votación debe ser posterior a su apertura.")
    if not 1 <= rules.squad_size <= 100:
        raise InvalidRules("Reglas inválidas: la selección de cada ciudad tiene entre 1 y 100 jugadores.")
    if not 0 <= rules.jury_weight <= 100:
        raise InvalidRules("Reglas inválidas: el peso del jurado es un porcentaje entre 0 y 100.")
    return rules


async def set_rules(db: AsyncSession, rules: Rules, actor: str) -> None:
    if await repository.load_result(db) is not None:
        raise InvalidRules("El concurso ya cerró: sus reglas no cambian después de publicar el resultado.")
    await rules_repository.save_rules(db, validate(rules), actor)


class NotYetClosable(Exception):
    """The closing instant (plus the grace for votes in flight) has not passed."""


async def close(db: AsyncSession, secret: str, grace_seconds: float, now: datetime) -> tuple[ContestResultRow, bool]:
    """Freeze the standings from the ledger's counted votes; idempotent (a closed contest stays so).
    Returns the result and whether this call closed the contest."""
    existing = await repository.load_result(db)
    if existing is not None:
        return existing, False
    rules = await rules_repository.load_rules(db)
    if rules is None:
        raise NotYetClosable("no contest rules are set")
    if (now - rules.closes_at).total_seconds() < grace_seconds:
        raise NotYetClosable(f"voting closes at {iso_utc(rules.closes_at)} (plus {grace_seconds:g} s of grace)")
    frozen = await export.freeze(db, rules, secret)
    result = ContestResultRow(
        closed_at=now,
        head_digest=frozen.head_digest,
        vote_count=frozen.votes,
        rules=frozen.rules,
        standings=frozen.standings,
    )
    repository.save_result(db, result)
    await db.flush()
    return result, True


def published(result: ContestResultRow) -> dict[str, Any]:
    return {
        "closed_at": iso_utc(result.closed_at),
        "head_digest": result.head_digest,
        "votes": result.vote_count,
        "rules": result.rules,
        "tie_break": TIE_BREAK,
        "standings": result.standings,
    }


async def results(db: AsyncSession) -> dict[str, Any]:
    result = await repository.load_result(db)
    if result is None:
        rules = await rules_repository.load_rules(db)
        if rules is None:
            raise ResultsNotPublished()
        raise ResultsNotPublished(
            f"Los resultados se publican al cierre de la votación, el {colombian(rules.closes_at)} (hora de Colombia)."
        )
    return published(result)


class LedgerChanged(Exception):
    """The ledger no longer gives the frozen result (a vote of the window changed state after the close)."""


async def export_files(db: AsyncSession, secret: str, folder: Path) -> tuple[list[Path], str]:
    """The export of the closed contest written into ``folder`` (``export.ExportFiles``), its votes
    streamed from the ledger; it must chain to the head frozen at the close, or nothing is kept."""
    result = await repository.load_result(db)
    rules = await rules_repository.load_rules(db)
    if result is None or rules is None:
        raise NotYetClosable("the contest has not been closed yet (anb contest close)")
    files = export.ExportFiles(folder, iso_utc(result.closed_at))
    try:
        frozen = await export.freeze(db, rules, secret, files)
        if not hmac.compare_digest(frozen.head_digest, result.head_digest):
            raise LedgerChanged(f"the ledger now chains to {frozen.head_digest}, the close froze {result.head_digest}")
    except BaseException:
        files.discard()
        raise
    return files.keep(), frozen.head_digest


async def score_video(db: AsyncSession, juror_id: uuid.UUID, raw_video_id: str, score: int) -> None:
    if await repository.user_role(db, juror_id) != "jury":
        raise NotAJuror()
    video_id = parse_video_id(raw_video_id)
    video = await db.get(Video, video_id)
    if video is None or video.status != VideoStatus.PROCESSED:
        raise VideoNotFound()
    row = await db.get(JuryScore, (video_id, juror_id))
    if row is None:
        db.add(JuryScore(video_id=video_id, juror_id=juror_id, score=score))
    else:
        row.score, row.scored_at = score, utcnow()
    await db.flush()
