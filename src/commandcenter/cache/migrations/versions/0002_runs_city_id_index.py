"""index source_runs (city, id): the per-city change check stays an index look-up

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_runs_city_id", "source_runs", ["city", "id"])


def downgrade() -> None:
    op.drop_index("ix_runs_city_id", table_name="source_runs")
