"""The vote ledger: each vote's state (counted, held, void) with who decided and why, and where it
came from, reduced to what clustering needs (docs/integrity.md). Existing votes become counted.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from anb.db.base import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Almost every vote is counted: only the others are indexed by state.
_UNCOUNTED = sa.text("status <> 'counted'")


def upgrade() -> None:
    with op.batch_alter_table("votes") as votes:
        votes.add_column(sa.Column("status", sa.String(8), nullable=False, server_default="counted"))
        votes.add_column(sa.Column("status_reason", sa.String(200), nullable=True))
        votes.add_column(sa.Column("decided_by", sa.String(64), nullable=True))
        votes.add_column(sa.Column("decided_at", UTCDateTime(), nullable=True))
        votes.add_column(sa.Column("client_prefix", sa.String(64), nullable=True))
        votes.add_column(sa.Column("client_hash", sa.String(32), nullable=True))
        votes.add_column(sa.Column("agent_hash", sa.String(32), nullable=True))
        votes.add_column(sa.Column("voter_age_seconds", sa.BigInteger(), nullable=True))
        votes.create_check_constraint("status", "status IN ('counted', 'held', 'void')")
    # The scan reads recent votes; the operators' pages read held ones.
    op.create_index("ix_votes_created_at", "votes", ["created_at"])
    op.create_index("ix_votes_status", "votes", ["status"], postgresql_where=_UNCOUNTED, sqlite_where=_UNCOUNTED)


def downgrade() -> None:
    op.drop_index("ix_votes_status", table_name="votes")
    op.drop_index("ix_votes_created_at", table_name="votes")
    with op.batch_alter_table("votes") as votes:
        votes.drop_constraint("ck_votes_status", type_="check")
        for column in (
            "voter_age_seconds", "agent_hash", "client_hash", "client_prefix",
            "decided_at", "decided_by", "status_reason", "status",
        ):  # fmt: skip
            votes.drop_column(column)
