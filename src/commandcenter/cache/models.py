"""The cache's tables (SQLAlchemy Core). Every row carries its city: one PostgreSQL
database can hold several cities without mixing their data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (BigInteger, Column, Float, Index, Integer, LargeBinary, MetaData, String, Table, Text,
                        UniqueConstraint)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


metadata = MetaData(naming_convention=NAMING)


class Model:
    """A table whose columns read as attributes (`SampleRow.ts`), usable wherever SQLAlchemy takes
    a table (`select(SampleRow)`, `insert(SampleRow)`). Core, not the ORM: the cache never maps
    rows to objects, and importing and configuring the ORM cost every process ~0.1 s at start-up."""

    def __init__(self, table: Table) -> None:
        self.__table__ = table
        for col in table.c:
            setattr(self, col.key, col)

    def __clause_element__(self) -> Table:
        return self.__table__

    def __repr__(self) -> str:
        return f"Model({self.__table__.name})"


def _model(name: str, *items: Any) -> Any:
    return Model(Table(name, metadata, *items))


# Every version of every value: (metric, opd, dim, ts) may have several values known at
# different times; the same value reported twice is one row.
SampleRow = _model(
    "samples",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("metric", String(64)),
    Column("opd", String(64)),
    Column("dim", String(128)),
    Column("ts", BigInteger),
    Column("value", Float),
    Column("period", String(16)),
    Column("source", String(64)),
    Column("known_at", Float),
    # the time model (commandcenter.timeframe, migration 0004): the period's kind and first
    # second, and the instant the value describes (never after the period's end or its report)
    Column("period_kind", String(12), default="instant", server_default="instant"),
    Column("period_start", BigInteger, default=0, server_default="0"),
    Column("as_of", BigInteger, default=0, server_default="0"),
    UniqueConstraint("city", "metric", "opd", "dim", "ts", "value", name="uq_samples_version"),
    Index("ix_samples_city_ts", "city", "ts"),  # prune_raw's filter (migration 0007)
)


# The newest value of each series as known now: the wall's everyday reads hit this small table.
CurrentRow = _model(
    "current",
    Column("city", String(16), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("opd", String(64), primary_key=True),
    Column("dim", String(128), primary_key=True),
    Column("ts", BigInteger),
    Column("value", Float),
    Column("period", String(16)),
    Column("source", String(64)),
    Column("known_at", Float),
    # the time model (commandcenter.timeframe, migration 0004): the period's kind and first
    # second, and the instant the value describes (never after the period's end or its report)
    Column("period_kind", String(12), default="instant", server_default="instant"),
    Column("period_start", BigInteger, default=0, server_default="0"),
    Column("as_of", BigInteger, default=0, server_default="0"),
)


# Aggregates per time bucket so that a year of minute data draws as fast as a day.
RollupRow = _model(
    "rollups",
    Column("city", String(16), primary_key=True),
    Column("metric", String(64), primary_key=True),
    Column("opd", String(64), primary_key=True),
    Column("dim", String(128), primary_key=True),
    Column("bucket", Integer, primary_key=True),
    Column("ts", BigInteger, primary_key=True),
    Column("n", Integer),
    Column("total", Float),
    Column("vmin", Float),
    Column("vmax", Float),
)


# What a write changed (migration 0007): one row per (metric, OPD) with new values, per alert
# change, per source whose run status changed. A wall polls max(id) and re-reads only what the
# rows since its last read name; a run that brought nothing new adds no row.
ChangeRow = _model(
    "data_changes",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("kind", String(16)),  # samples | alert | run
    Column("source", String(64), default=""),
    Column("metric", String(64), default=""),
    Column("opd", String(64), default=""),
    Column("at", Float),
    Index("ix_changes_city_id", "city", "id"),
)


RunRow = _model(
    "source_runs",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("source", String(64)),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("status", String(16)),
    Column("message", Text, default=""),
    Column("rows", Integer, default=0),
    Column("rejected", Integer, default=0),
    Column("latency_ms", Float, default=0.0),
    Column("attempts", Integer, default=1),
    Index("ix_runs_city_source_finished", "city", "source", "finished_at"),
    Index("ix_runs_city_id", "city", "id"),
)


CheckpointRow = _model(
    "checkpoints",
    Column("city", String(16), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("value", Text),
    Column("updated_at", Float),
)


AlertRow = _model(
    "alerts",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("key", String(255)),
    Column("rule", String(64)),
    Column("severity", String(16)),
    Column("state", String(16)),
    Column("message", Text),
    Column("metric", String(64), default=""),
    Column("opd", String(64), default=""),
    Column("source", String(64), default=""),
    Column("value", Float, nullable=True),
    Column("fired_at", Float),
    Column("acked_at", Float, nullable=True),
    Column("resolved_at", Float, nullable=True),
    Column("acked_by", String(64), default=""),
    Index("ix_alerts_city_key_state", "city", "key", "state"),
    # uq_alerts_open, the partial unique index that keeps one open alert per condition, lives
    # in migration 0003 only (the schema is built by migrations, never from these models):
    # declaring its dialect-specific WHERE here would import the PostgreSQL dialect, and
    # asyncio with it, into every process at start-up
)


AuditRow = _model(
    "audit",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("ts", Float),
    Column("actor", String(64)),
    Column("action", String(64)),
    Column("detail", Text, default="{}"),
    Index("ix_audit_city_ts", "city", "ts"),
)


# Small persisted state: the wall's scene and mode, rollup watermarks.
StateRow = _model(
    "state",
    Column("city", String(16), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("value", Text),
    Column("updated_at", Float),
)


# An operator's command for a wall (`wall` = a wall's name, or "*" for every wall of the
# city). Walls read the rows after the last one they saw; the wall that carries one out fills
# `done_at`/`result`.
CommandRow = _model(
    "commands",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("wall", String(64)),
    Column("verb", String(32)),
    Column("args", Text, default="{}"),
    Column("actor", String(64)),
    Column("created_at", Float),
    Column("done_at", Float, nullable=True),
    Column("done_by", String(64), default=""),
    Column("result", Text, default=""),
    Index("ix_commands_city_id", "city", "id"),
)


# What one wall reports about itself: a heartbeat and its state (JSON), overwritten in place.
WallStateRow = _model(
    "wall_states",
    Column("city", String(16), primary_key=True),
    Column("wall", String(64), primary_key=True),
    Column("heartbeat", Float),
    Column("state", Text, default="{}"),
)


# A small picture of what one monitor of a wall shows (PNG bytes), for the consoles.
WallThumbRow = _model(
    "wall_thumbs",
    Column("city", String(16), primary_key=True),
    Column("wall", String(64), primary_key=True),
    Column("monitor", Integer, primary_key=True),
    Column("image", LargeBinary),
    Column("updated_at", Float),
)


# An OPD's cause/note for a period ("lelang ulang paket jalan"), append-only: the newest row
# per (opd, period) known at an instant is the note; an empty text clears it (migration 0007).
NoteRow = _model(
    "opd_notes",
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("city", String(16)),
    Column("opd", String(64)),
    Column("period", String(16)),
    Column("text", Text),
    Column("author", String(64)),
    Column("source", String(64), default="operator"),  # "operator" or a source id
    Column("ts", Float),
    Index("ix_opd_notes_city_opd_period", "city", "opd", "period", "ts"),
)
