"""Plain records that cross the cache boundary. Nothing outside cache/ ever sees an ORM object.

Times are epoch seconds (UTC). `ts` is the series key: a periodic value's last second or an
instantaneous value's instant; `period_start`/`period_kind` say which period a value describes and
`as_of` the instant it describes (commandcenter.timeframe); `known_at` is when the collector
learned it. Every read takes an `as_of` instant and
answers with what was known then, which gives briefing freeze, past exports and replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

CITY_WIDE = ""  # opd code of a city-wide value
RunStatus = Literal["ok", "partial", "failed", "nodata", "cancelled"]
AlertState = Literal["firing", "acknowledged", "resolved"]


@dataclass(frozen=True, slots=True)
class Sample:
    """One value a source reported: metric for an OPD (or city-wide), at a time, maybe per dimension."""

    metric: str
    opd: str
    ts: int
    value: float
    dim: str = ""  # a breakdown inside the OPD: levy type, SPM area, kecamatan...
    period: str = ""  # human label of the period, e.g. 2025-06, 2025-Q2
    as_of: float | None = None  # when the department reported it (its "updated" field); None: fetch time


@dataclass(frozen=True, slots=True)
class LatestValue:
    metric: str
    opd: str
    dim: str
    ts: int
    value: float
    period: str
    source: str
    known_at: float
    as_of: int = 0  # the instant the value describes (0: unknown, read as ts)
    period_kind: str = "instant"
    period_start: int = 0

    @property
    def described_at(self) -> int:
        """The as-of instant, never after the period's end."""
        return min(self.as_of, self.ts) if self.as_of else self.ts

    @property
    def running(self) -> bool:
        """Reported before its period ended (bulan berjalan)."""
        return self.period_kind != "instant" and self.described_at < self.ts


@dataclass(frozen=True, slots=True)
class Series:
    metric: str
    opd: str
    dim: str
    ts: list[int]
    values: list[float]
    # per point, when the reader knows them: the instant each value describes, and its period
    as_of: list[int] = field(default_factory=list)
    period_kind: str = ""
    starts: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunRecord:
    source: str
    started_at: float
    finished_at: float
    status: RunStatus
    message: str = ""
    rows: int = 0
    rejected: int = 0
    latency_ms: float = 0.0
    attempts: int = 1
    id: int | None = None


@dataclass(frozen=True, slots=True)
class SourceRuns:
    """What the cache knows of one source: its last run and its last successful run."""

    source: str
    last: RunRecord | None
    last_success: RunRecord | None
    failures_since_success: int


@dataclass(frozen=True, slots=True)
class AlertRecord:
    id: int
    key: str  # identifies the condition; one open alert per key
    rule: str
    severity: Literal["info", "warning", "critical"]
    state: AlertState
    message: str
    metric: str = ""
    opd: str = ""
    source: str = ""
    value: float | None = None
    fired_at: float = 0.0
    acked_at: float | None = None
    resolved_at: float | None = None
    acked_by: str = ""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    ts: float
    actor: str
    action: str
    detail: dict[str, Any] = field(default_factory=dict)
