"""Vote integrity: operators (users.role), the scan's flags with their votes, and the append-only
audit log of operator actions (docs/integrity.md).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from anb.db.base import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The audit log is append-only in the database too: no UPDATE or DELETE ever succeeds on it.
_POSTGRES_APPEND_ONLY = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
_SQLITE_APPEND_ONLY = [
    f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log"
    " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for event in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.add_column("users", sa.Column("role", sa.String(16), nullable=False, server_default="player"))
    op.create_table(
        "flags",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("rule", sa.String(40), nullable=False),
        sa.Column("player_id", sa.Uuid(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="open"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flags"),
        sa.ForeignKeyConstraint(["player_id"], ["users.id"], name="fk_flags_player_id_users", ondelete="CASCADE"),
        sa.CheckConstraint("state IN ('open', 'confirmed', 'dismissed')", name="ck_flags_state"),
    )
    op.create_index("ix_flags_state_created_at", "flags", ["state", "created_at"])
    op.create_index("ix_flags_player_id", "flags", ["player_id"])
    op.create_table(
        "flag_votes",
        sa.Column("flag_id", sa.Uuid(), nullable=False),
        sa.Column("video_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("flag_id", "video_id", "user_id", name="pk_flag_votes"),
        sa.ForeignKeyConstraint(["flag_id"], ["flags.id"], name="fk_flag_votes_flag_id_flags", ondelete="CASCADE"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute(_POSTGRES_APPEND_ONLY)
    else:
        for statement in _SQLITE_APPEND_ONLY:
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_table("audit_log")
    op.drop_table("flag_votes")
    op.drop_index("ix_flags_player_id", table_name="flags")
    op.drop_index("ix_flags_state_created_at", table_name="flags")
    op.drop_table("flags")
    with op.batch_alter_table("users") as users:
        users.drop_column("role")
