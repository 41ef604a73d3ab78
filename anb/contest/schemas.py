from __future__ import annotations

from datetime import UTC, datetime

from pydantic import AwareDatetime, BaseModel, Field

from anb.contest_rules.rules import DEFAULT_SQUAD_SIZE, Rules


class RulesIn(BaseModel):
    """Instants with their offset (``…Z`` or ``…-05:00``); they are stored in UTC."""

    opens_at: AwareDatetime
    closes_at: AwareDatetime
    uploads_close_at: AwareDatetime | None = None
    squad_size: int = Field(DEFAULT_SQUAD_SIZE, ge=1, le=100)
    self_votes_count: bool = True
    jury_weight: int = Field(0, ge=0, le=100, description="Percent of the final standing from the jury's rank")

    def rules(self) -> Rules:
        def utc(instant: datetime | None) -> datetime | None:
            return instant.astimezone(UTC) if instant else None

        opens, closes = utc(self.opens_at), utc(self.closes_at)
        assert opens is not None and closes is not None
        return Rules(opens, closes, utc(self.uploads_close_at), self.squad_size, self.self_votes_count,
                     self.jury_weight)  # fmt: skip


class ScoreIn(BaseModel):
    score: int = Field(ge=0, le=10)


class MessageOut(BaseModel):
    message: str
