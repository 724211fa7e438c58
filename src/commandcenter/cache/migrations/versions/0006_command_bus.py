"""the command bus between consoles and walls: commands, wall_states, wall_thumbs

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commands",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("wall", sa.String(64), nullable=False),
        sa.Column("verb", sa.String(32), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("done_at", sa.Float, nullable=True),
        sa.Column("done_by", sa.String(64), nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commands"),
    )
    op.create_index("ix_commands_city_id", "commands", ["city", "id"])
    op.create_table(
        "wall_states",
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("wall", sa.String(64), nullable=False),
        sa.Column("heartbeat", sa.Float, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("city", "wall", name="pk_wall_states"),
    )
    op.create_table(
        "wall_thumbs",
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("wall", sa.String(64), nullable=False),
        sa.Column("monitor", sa.Integer, nullable=False),
        sa.Column("image", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("city", "wall", "monitor", name="pk_wall_thumbs"),
    )


def downgrade() -> None:
    op.drop_table("wall_thumbs")
    op.drop_table("wall_states")
    op.drop_index("ix_commands_city_id", table_name="commands")
    op.drop_table("commands")
