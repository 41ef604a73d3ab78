"""Flags keep their finding's scope (a prefix cluster's network, a rate spike's hour), so the scan
adds a cluster's later votes to its open flag instead of raising a second one (docs/integrity.md).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_FLAGS = sa.table(
    "flags",
    sa.column("id", sa.Uuid()),
    sa.column("rule", sa.String()),
    sa.column("evidence", sa.JSON()),
    sa.column("state", sa.String()),
    sa.column("scope", sa.String()),
)
# Where each scoped rule's evidence has always written its scope.
_SCOPE_IN_EVIDENCE = {"prefix_cluster": "prefix", "rate_spike": "hour"}


def upgrade() -> None:
    op.add_column("flags", sa.Column("scope", sa.String(64), nullable=False, server_default=""))
    # Only open flags grow, so only theirs is needed.
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_FLAGS.c.id, _FLAGS.c.rule, _FLAGS.c.evidence).where(
            _FLAGS.c.state == "open", _FLAGS.c.rule.in_(_SCOPE_IN_EVIDENCE)
        )
    ).all()
    for row in rows:
        scope = str(row.evidence.get(_SCOPE_IN_EVIDENCE[row.rule], ""))
        conn.execute(_FLAGS.update().where(_FLAGS.c.id == row.id).values(scope=scope))


def downgrade() -> None:
    with op.batch_alter_table("flags") as batch:
        batch.drop_column("scope")
