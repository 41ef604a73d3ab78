"""Videos with their processing-job state.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from anb.db.base import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "videos",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("original_key", sa.String(512), nullable=False),
        sa.Column("processed_key", sa.String(512), nullable=True),
        sa.Column("poster_key", sa.String(512), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.Column("vote_count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("progress", sa.Float(), nullable=False, server_default="0"),
        sa.Column("failure_reason", sa.String(500), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("queued_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("fetch_seconds", sa.Float(), nullable=True),
        sa.Column("encode_seconds", sa.Float(), nullable=True),
        sa.Column("store_seconds", sa.Float(), nullable=True),
        sa.Column("correlation_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_videos"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_videos_owner_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_videos_owner_id_uploaded_at", "videos", ["owner_id", "uploaded_at"])
    op.create_index("ix_videos_status_lease_until", "videos", ["status", "lease_until"])
    op.create_index("ix_videos_status_processed_at", "videos", ["status", "processed_at"])


def downgrade() -> None:
    op.drop_table("videos")
