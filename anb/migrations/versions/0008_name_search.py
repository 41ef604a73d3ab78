"""Users' accent-free name key for the gallery's name search (docs/web.md).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from anb.accounts.normalize import name_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_USERS = sa.table(
    "users",
    sa.column("id", sa.Uuid()),
    sa.column("first_name", sa.String()),
    sa.column("last_name", sa.String()),
    sa.column("name_key", sa.String()),
)
_BATCH = 5000


def upgrade() -> None:
    op.add_column("users", sa.Column("name_key", sa.String(201), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.select(_USERS.c.id, _USERS.c.first_name, _USERS.c.last_name)).all()
    update = _USERS.update().where(_USERS.c.id == sa.bindparam("user_id")).values(name_key=sa.bindparam("key"))
    for start in range(0, len(rows), _BATCH):
        batch = rows[start : start + _BATCH]
        conn.execute(update, [{"user_id": row.id, "key": name_key(row.first_name, row.last_name)} for row in batch])


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name_key")
