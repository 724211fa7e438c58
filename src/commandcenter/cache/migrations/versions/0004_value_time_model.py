"""the time model: each value's period kind and first second, and the instant it describes

Existing rows are carried over: the period comes from the stored label and `ts` (the period's last
second), and the as-of instant is the earlier of the period's end and when the value was learned
(the best a cache that never stored the report time can say).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

from commandcenter import timeframe

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("samples", "current")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("period_kind", sa.String(12), nullable=False, server_default="instant"))
            batch.add_column(sa.Column("period_start", sa.BigInteger(), nullable=False, server_default="0"))
            batch.add_column(sa.Column("as_of", sa.BigInteger(), nullable=False, server_default="0"))
    conn = op.get_bind()
    for table in TABLES:
        _backfill(conn, table)


def _backfill(conn: sa.Connection, table: str) -> None:
    # one UPDATE per distinct (label, period end): a city has a few hundred, however many rows
    pairs = conn.execute(sa.text(f"SELECT DISTINCT period, ts FROM {table}")).all()
    for label, ts in pairs:
        kind, start = timeframe.describe(label or "", int(ts))
        conn.execute(sa.text(f"UPDATE {table} SET period_kind = :k, period_start = :s WHERE period = :p AND ts = :t"),
                     {"k": kind, "s": start, "p": label, "t": ts})
    conn.execute(sa.text(
        f"UPDATE {table} SET as_of = CASE WHEN CAST(known_at AS BIGINT) < ts THEN CAST(known_at AS BIGINT) ELSE ts END"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            for col in ("as_of", "period_start", "period_kind"):
                batch.drop_column(col)
