from __future__ import annotations

from anb.errors import BadRequest


class AlreadyVoted(BadRequest):
    code = "already_voted"
    detail = "Ya has votado por este video."
