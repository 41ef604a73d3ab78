"""The contest's rules as the rest of the code sees them, and where an instant falls in its window.

Instants are stored and compared in UTC; people read them in Colombia's time, UTC−5 all year
(Colombia has no daylight saving time), so a fixed offset is exact and needs no time-zone database.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

COLOMBIA = timezone(timedelta(hours=-5), "COT")
DEFAULT_SQUAD_SIZE = 5

_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip


class Phase(enum.StrEnum):
    # No rules set: votes are always open, as the statement has them.
    UNSCHEDULED = "unscheduled"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class Rules:
    opens_at: datetime
    closes_at: datetime
    uploads_close_at: datetime | None = None
    squad_size: int = DEFAULT_SQUAD_SIZE
    self_votes_count: bool = True
    # Percent of the final standing taken from the jury's rank; the public rank weighs the rest.
    jury_weight: int = 0

    @property
    def public_weight(self) -> int:
        return 100 - self.jury_weight

    def phase(self, now: datetime) -> Phase:
        if now < self.opens_at:
            return Phase.UPCOMING
        return Phase.OPEN if now < self.closes_at else Phase.CLOSED

    def uploads_open(self, now: datetime) -> bool:
        return self.uploads_close_at is None or now < self.uploads_close_at

    def as_export(self) -> dict[str, Any]:
        """The rules as the export and the results carry them: instants in ISO 8601 UTC."""
        fields = asdict(self)
        for name in ("opens_at", "closes_at", "uploads_close_at"):
            fields[name] = iso_utc(fields[name]) if fields[name] else None
        fields["public_weight"] = self.public_weight
        return fields


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; one without an offset is read in Colombia's time (what operators type)."""
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=COLOMBIA)).astimezone(UTC)


def colombian(instant: datetime) -> str:
    """'15 de marzo de 2027, 20:00' in Colombia's time."""
    local = instant.astimezone(COLOMBIA)
    return f"{local.day} de {_MONTHS[local.month - 1]} de {local.year}, {local:%H:%M}"
