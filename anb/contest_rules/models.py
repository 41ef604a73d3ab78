"""The contest's rules: one row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from anb.db.base import Base, UTCDateTime, utcnow

# There is one contest: its rules and its result are the row with this id.
THE_CONTEST = 1


class ContestRulesRow(Base):
    __tablename__ = "contest_rules"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("squad_size BETWEEN 1 AND 100", name="squad_size"),
        CheckConstraint("jury_weight BETWEEN 0 AND 100", name="jury_weight"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=THE_CONTEST)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Uploads may end before (or after) the votes; null: uploads are always open.
    uploads_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    squad_size: Mapped[int] = mapped_column(Integer, default=5)
    self_votes_count: Mapped[bool] = mapped_column(Boolean, default=True)
    # Percent of the final standing that comes from the jury's rank; the public rank has the rest.
    jury_weight: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
