"""a change log (what each write touched) for change-driven walls, and the index pruning needs

`data_changes` gets one row per (metric, OPD) a write changed, per alert change and per source
whose run status changed: a wall polls max(id) (an index look-up) and re-reads only what the new
rows name. `ix_samples_city_ts` serves `prune_raw`'s `city = ? AND ts < ?`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.String(64), nullable=False, server_default=""),
        sa.Column("metric", sa.String(64), nullable=False, server_default=""),
        sa.Column("opd", sa.String(64), nullable=False, server_default=""),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_changes"),
    )
    op.create_index("ix_changes_city_id", "data_changes", ["city", "id"])
    op.create_index("ix_samples_city_ts", "samples", ["city", "ts"])


def downgrade() -> None:
    op.drop_index("ix_samples_city_ts", table_name="samples")
    op.drop_index("ix_changes_city_id", table_name="data_changes")
    op.drop_table("data_changes")
