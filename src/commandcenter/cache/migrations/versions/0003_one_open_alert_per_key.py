"""one open alert per (city, key): a partial unique index, so racing evaluators cannot duplicate

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OPEN = sa.text("state IN ('firing', 'acknowledged')")


def upgrade() -> None:
    op.create_index("uq_alerts_open", "alerts", ["city", "key"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("uq_alerts_open", table_name="alerts")
