"""The window each vote and upload meets: the 400 that names the dates when an instant is outside it."""

from __future__ import annotations

from datetime import datetime

from anb.contest_rules.exceptions import UploadsClosed, VotingClosed
from anb.contest_rules.rules import Phase, Rules, colombian


def check_vote(rules: Rules | None, now: datetime) -> None:
    """Raise the 400 that names the dates when ``now`` is outside the voting window."""
    if rules is None:
        return
    phase = rules.phase(now)
    if phase is Phase.UPCOMING:
        raise VotingClosed(
            f"La votación aún no ha abierto: abre el {colombian(rules.opens_at)} y cierra el"
            f" {colombian(rules.closes_at)} (hora de Colombia)."
        )
    if phase is Phase.CLOSED:
        raise VotingClosed(
            f"La votación está cerrada: estuvo abierta del {colombian(rules.opens_at)} al"
            f" {colombian(rules.closes_at)} (hora de Colombia)."
        )


def check_upload(rules: Rules | None, now: datetime) -> None:
    if rules is not None and not rules.uploads_open(now):
        assert rules.uploads_close_at is not None
        raise UploadsClosed(
            f"El plazo para subir videos terminó el {colombian(rules.uploads_close_at)} (hora de Colombia)."
        )
