from __future__ import annotations

from anb.errors import BadRequest


class VotingClosed(BadRequest):
    code = "voting_closed"
    detail = "La votación está cerrada."


class UploadsClosed(BadRequest):
    code = "uploads_closed"
    detail = "El plazo para subir videos terminó."
