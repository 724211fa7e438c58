"""The cache's tables (SQLAlchemy 2 typed models). Every row carries its city: one PostgreSQL
database can hold several cities without mixing their data."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, LargeBinary, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SampleRow(Base):
    """Every version of every value: (metric, opd, dim, ts) may have several values known at
    different times; the same value reported twice is one row."""

    __tablename__ = "samples"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    metric: Mapped[str] = mapped_column(String(64))
    opd: Mapped[str] = mapped_column(String(64))
    dim: Mapped[str] = mapped_column(String(128))
    ts: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[float] = mapped_column(Float)
    period: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    known_at: Mapped[float] = mapped_column(Float)
    # the time model (commandcenter.timeframe, migration 0004): the period's kind and first
    # second, and the instant the value describes (never after the period's end or its report)
    period_kind: Mapped[str] = mapped_column(String(12), default="instant", server_default="instant")
    period_start: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    as_of: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    __table_args__ = (
        UniqueConstraint("city", "metric", "opd", "dim", "ts", "value", name="uq_samples_version"),
        Index("ix_samples_city_ts", "city", "ts"),  # prune_raw's filter (migration 0007)
    )


class CurrentRow(Base):
    """The newest value of each series as known now: the wall's everyday reads hit this small table."""

    __tablename__ = "current"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    opd: Mapped[str] = mapped_column(String(64), primary_key=True)
    dim: Mapped[str] = mapped_column(String(128), primary_key=True)
    ts: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[float] = mapped_column(Float)
    period: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    known_at: Mapped[float] = mapped_column(Float)
    # the time model (commandcenter.timeframe, migration 0004): the period's kind and first
    # second, and the instant the value describes (never after the period's end or its report)
    period_kind: Mapped[str] = mapped_column(String(12), default="instant", server_default="instant")
    period_start: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    as_of: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class RollupRow(Base):
    """Aggregates per time bucket so that a year of minute data draws as fast as a day."""

    __tablename__ = "rollups"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    opd: Mapped[str] = mapped_column(String(64), primary_key=True)
    dim: Mapped[str] = mapped_column(String(128), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    vmin: Mapped[float] = mapped_column(Float)
    vmax: Mapped[float] = mapped_column(Float)


class ChangeRow(Base):
    """What a write changed (migration 0007): one row per (metric, OPD) with new values, per alert
    change, per source whose run status changed. A wall polls max(id) and re-reads only what the
    rows since its last read name; a run that brought nothing new adds no row."""

    __tablename__ = "data_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # samples | alert | run
    source: Mapped[str] = mapped_column(String(64), default="")
    metric: Mapped[str] = mapped_column(String(64), default="")
    opd: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_changes_city_id", "city", "id"),)


class RunRow(Base):
    __tablename__ = "source_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text, default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (Index("ix_runs_city_source_finished", "city", "source", "finished_at"),
                      Index("ix_runs_city_id", "city", "id"))


class CheckpointRow(Base):
    __tablename__ = "checkpoints"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[float] = mapped_column(Float)


class AlertRow(Base):
    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(255))
    rule: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(64), default="")
    opd: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    fired_at: Mapped[float] = mapped_column(Float)
    acked_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    resolved_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    acked_by: Mapped[str] = mapped_column(String(64), default="")
    __table_args__ = (
        Index("ix_alerts_city_key_state", "city", "key", "state"),
        # one open alert per condition, even with two evaluators racing (migration 0003)
        Index("uq_alerts_open", "city", "key", unique=True,
              sqlite_where=text("state IN ('firing', 'acknowledged')"),
              postgresql_where=text("state IN ('firing', 'acknowledged')")),
    )


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    ts: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    __table_args__ = (Index("ix_audit_city_ts", "city", "ts"),)


class StateRow(Base):
    """Small persisted state: the wall's scene and mode, rollup watermarks."""

    __tablename__ = "state"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[float] = mapped_column(Float)


class CommandRow(Base):
    """An operator's command for a wall (`wall` = a wall's name, or "*" for every wall of the
    city). Walls read the rows after the last one they saw; the wall that carries one out fills
    `done_at`/`result`."""

    __tablename__ = "commands"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    wall: Mapped[str] = mapped_column(String(64))
    verb: Mapped[str] = mapped_column(String(32))
    args: Mapped[str] = mapped_column(Text, default="{}")
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)
    done_at: Mapped[float | None] = mapped_column(Float, nullable=True)
    done_by: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_commands_city_id", "city", "id"),)


class WallStateRow(Base):
    """What one wall reports about itself: a heartbeat and its state (JSON), overwritten in place."""

    __tablename__ = "wall_states"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    wall: Mapped[str] = mapped_column(String(64), primary_key=True)
    heartbeat: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(Text, default="{}")


class WallThumbRow(Base):
    """A small picture of what one monitor of a wall shows (PNG bytes), for the consoles."""

    __tablename__ = "wall_thumbs"
    city: Mapped[str] = mapped_column(String(16), primary_key=True)
    wall: Mapped[str] = mapped_column(String(64), primary_key=True)
    monitor: Mapped[int] = mapped_column(Integer, primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[float] = mapped_column(Float)


class NoteRow(Base):
    """An OPD's cause/note for a period ("lelang ulang paket jalan"), append-only: the newest row
    per (opd, period) known at an instant is the note; an empty text clears it (migration 0007)."""

    __tablename__ = "opd_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    city: Mapped[str] = mapped_column(String(16))
    opd: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64), default="operator")  # "operator" or a source id
    ts: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_opd_notes_city_opd_period", "city", "opd", "period", "ts"),)
