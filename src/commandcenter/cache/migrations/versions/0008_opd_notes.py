"""opd_notes: an OPD's cause/note per period, typed by an operator or read from a source field

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opd_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("opd", sa.String(64), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("source", sa.String(64), nullable=False, server_default="operator"),
        sa.Column("ts", sa.Float(), nullable=False),
    )
    op.create_index("ix_opd_notes_city_opd_period", "opd_notes", ["city", "opd", "period", "ts"])


def downgrade() -> None:
    op.drop_index("ix_opd_notes_city_opd_period", table_name="opd_notes")
    op.drop_table("opd_notes")
