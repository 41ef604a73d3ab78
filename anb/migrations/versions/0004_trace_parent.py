"""The W3C traceparent of the upload request on the video row, for the embedded workers' job spans.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("videos", sa.Column("trace_parent", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("videos", "trace_parent")
