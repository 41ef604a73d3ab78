"""The contest: its rules, its frozen result, the jury's scores, and confirmed emails
(docs/contest.md).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from anb.db.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("email_confirmed_at", UTCDateTime(), nullable=True))
    op.create_table(
        "contest_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opens_at", UTCDateTime(), nullable=False),
        sa.Column("closes_at", UTCDateTime(), nullable=False),
        sa.Column("uploads_close_at", UTCDateTime(), nullable=True),
        sa.Column("squad_size", sa.Integer(), nullable=False),
        sa.Column("self_votes_count", sa.Boolean(), nullable=False),
        sa.Column("jury_weight", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contest_rules"),
        sa.CheckConstraint("closes_at > opens_at", name="ck_contest_rules_window"),
        sa.CheckConstraint("squad_size BETWEEN 1 AND 100", name="ck_contest_rules_squad_size"),
        sa.CheckConstraint("jury_weight BETWEEN 0 AND 100", name="ck_contest_rules_jury_weight"),
    )
    op.create_table(
        "contest_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("head_digest", sa.String(64), nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("standings", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contest_results"),
    )
    op.create_table(
        "jury_scores",
        sa.Column("video_id", sa.Uuid(), nullable=False),
        sa.Column("juror_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("scored_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("video_id", "juror_id", name="pk_jury_scores"),
        sa.ForeignKeyConstraint(["video_id"], ["videos.id"], name="fk_jury_scores_video_id_videos", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["juror_id"], ["users.id"], name="fk_jury_scores_juror_id_users", ondelete="CASCADE"),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name="ck_jury_scores_score"),
    )


def downgrade() -> None:
    op.drop_table("jury_scores")
    op.drop_table("contest_results")
    op.drop_table("contest_rules")
    with op.batch_alter_table("users") as users:
        users.drop_column("email_confirmed_at")
