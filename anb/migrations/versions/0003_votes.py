"""Votes (one per user per video) and the indexes of the public lists.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from anb.db.base import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Only players with votes are ranked, so only they are indexed (see anb/voting/models.py).
_RANKED = sa.text("vote_count > 0")


def upgrade() -> None:
    op.create_table(
        "votes",
        sa.Column("video_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("video_id", "user_id", name="pk_votes"),
        sa.ForeignKeyConstraint(["video_id"], ["videos.id"], name="fk_votes_video_id_videos", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_votes_user_id_users", ondelete="CASCADE"),
    )
    op.create_index("ix_votes_user_id", "votes", ["user_id"])
    op.create_index(
        "ix_users_ranking",
        "users",
        [sa.text("vote_count DESC"), "created_at", "id"],
        postgresql_where=_RANKED,
        sqlite_where=_RANKED,
    )
    op.create_index(
        "ix_users_city_ranking",
        "users",
        ["city_key", sa.text("vote_count DESC"), "created_at", "id"],
        postgresql_where=_RANKED,
        sqlite_where=_RANKED,
    )
    op.create_index(
        "ix_videos_status_vote_count",
        "videos",
        ["status", sa.text("vote_count DESC"), sa.text("processed_at DESC"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_videos_status_vote_count", table_name="videos")
    op.drop_index("ix_users_city_ranking", table_name="users")
    op.drop_index("ix_users_ranking", table_name="users")
    op.drop_table("votes")
