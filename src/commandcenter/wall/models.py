"""Read models the wall's panels draw: plain, immutable data built off the GUI thread.

Values stay raw numbers (with their unit); panels format them with `commandcenter.fmt` in the
wall's language. `freshness` is the health of the sources behind a panel: ok, late, stale,
failing, never-run, or "" when the city configures no source for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BAD_FRESHNESS = ("stale", "failing", "never-run")
# A panel's freshness may carry when its sources last delivered: "troubled@1796157728" (a failing
# source whose data are still within their rhythm: shown calm, with a small tag), "stale@..." (the
# data are past their rhythm, failing or not: dimmed, with their age), "late@...".
TROUBLED = "troubled"


def freshness_text(state: str, delivered: float | None) -> str:
    return f"{state}@{int(delivered)}" if delivered is not None and state in (TROUBLED, "stale", "late") else state


def split_freshness(text: str) -> tuple[str, float | None]:
    """("troubled", 1796157728.0) from "troubled@1796157728"; (text, None) without a time."""
    state, _, at = (text or "").partition("@")
    try:
        return state, float(at) if at else None
    except ValueError:
        return state, None


@dataclass(frozen=True)
class KpiModel:
    metric: str
    opd: str
    title: str
    unit: str
    value: float | None = None
    ts: float | None = None  # the series key: the period's last second, or the value's instant
    known_at: float | None = None
    period: str = ""
    as_of: float | None = None  # the instant the value describes (never after now or its period)
    period_kind: str = "instant"
    running: bool = False  # a period that had not ended when reported (bulan berjalan)
    cumulative: bool = False  # year-to-date: "s.d. Juni 2025"
    decimals: int | None = None
    compare: str = ""  # the kind of period `previous` is from: month -> "vs bulan lalu"
    target: float | None = None
    band: tuple[float, float] | None = None
    achievement: float | None = None
    status: str = ""  # ok | warning | critical | no-data | stale | "" (no scoring)
    previous: float | None = None  # the value one period earlier
    spark: tuple[float, ...] = ()
    freshness: str = ""
    direction: str = "higher"

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


@dataclass(frozen=True)
class Line:
    label: str
    ts: tuple[float, ...]  # where each value is drawn: the instant it describes
    values: tuple[float, ...]
    dashed: bool = False  # a plan/target curve rather than data
    running: bool = False  # the last point is a period still running


@dataclass(frozen=True)
class TimeseriesModel:
    title: str
    unit: str
    lines: tuple[Line, ...] = ()
    targets: tuple[Line, ...] = ()
    band: tuple[float, float] | None = None
    x_range: tuple[float, float] = (0.0, 1.0)
    y_range: tuple[float, float] = (0.0, 100.0)
    as_of: float | None = None
    freshness: str = ""
    decimals: int | None = None
    monthly: bool = False  # month ticks at month ends, labelled with the month that ends there


@dataclass(frozen=True)
class BarRow:
    key: str
    label: str
    value: float | None
    status: str = ""
    note: str = ""  # e.g. rank change "▲2"
    rank_change: int | None = None
    rank: int | None = None  # position in the full ranking (1 = best), kept when only a part is shown


@dataclass(frozen=True)
class RankingModel:
    title: str
    unit: str
    rows: tuple[BarRow, ...] = ()
    max_value: float = 100.0
    as_of: float | None = None
    freshness: str = ""
    subtitle: str = ""  # the period ranked, in words ("Desember 2026 (berjalan)")
    decimals: int | None = None
    gap_after: int | None = None  # top N + bottom N: a separator after this row index
    worst_first: bool = False
    total: int = 0  # OPDs ranked (rows may show only some of them)
    subtitle_short: str = ""  # the same period, months abbreviated ("Des 2026 (berjalan)")


@dataclass(frozen=True)
class ProgressRow:
    opd: str
    label: str
    physical: float | None
    financial: float | None
    target: float | None = None

    @property
    def deviation(self) -> float | None:
        if self.physical is None or self.financial is None:
            return None
        return self.physical - self.financial


@dataclass(frozen=True)
class ProgressModel:
    title: str
    rows: tuple[ProgressRow, ...] = ()
    as_of: float | None = None
    freshness: str = ""


@dataclass(frozen=True)
class TableModel:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()  # already-formatted cells
    statuses: tuple[str, ...] = ()  # per row
    as_of: float | None = None
    freshness: str = ""
    empty: str = ""  # what an empty table means ("no OPD above zero"), else "no data"


@dataclass(frozen=True)
class HealthRow:
    source: str
    name: str
    opd: str
    state: str  # ok | late | stale | failing | never-run
    last_success: float | None = None
    last_error: str = ""
    failures: int = 0


@dataclass(frozen=True)
class HealthModel:
    title: str
    rows: tuple[HealthRow, ...] = ()
    frozen_at: float | None = None  # a frozen or replayed wall: times absolute, not ages


@dataclass(frozen=True)
class Region:
    name: str
    value: float | None
    status: str = ""


@dataclass(frozen=True)
class MapModel:
    title: str
    unit: str
    regions: tuple[Region, ...] = ()
    as_of: float | None = None
    freshness: str = ""


@dataclass(frozen=True)
class TextModel:
    title: str
    text: str


@dataclass(frozen=True)
class ClockModel:
    title: str = ""


@dataclass(frozen=True)
class HeaderModel:
    city: str
    scene_title: str
    logo: str | None = None
    newest_data: float | None = None  # newest known_at across the scene
    sources_ok: int = 0
    sources_total: int = 0
    demo: bool = False
    frozen_at: float | None = None
    missing_monitors: int = 0


@dataclass(frozen=True)
class TickerItem:
    text: str
    severity: str = "info"  # info | warning | critical
    kind: str = "alert"  # alert | announcement | source-failing | source-stale


@dataclass(frozen=True)
class FooterModel:
    items: tuple[TickerItem, ...] = ()
    demo: bool = False


@dataclass(frozen=True)
class SceneData:
    scene: str
    header: HeaderModel
    footer: FooterModel
    panels: dict[str, Any] = field(default_factory=dict)
    built_at: float = 0.0
    version: Any = None
    # the panels this build read (None: all); the others were carried over from the last build
    rebuilt: frozenset[str] | None = None
    health: Any = field(default=None, compare=False)  # source health read (reused by partial builds)
    # the series points this build read (cache SeriesMemo): the next live build of the scene
    # fetches only what was written since
    memo: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class OpdCardModel:
    """An OPD's standing for a detail scene or spotlight: rank, change, KPIs behind target, the
    rupiah still unspent and its cause/note for the period (wall.behind.Standing)."""

    title: str
    standing: Any = None  # behind.Standing, or None when the OPD is not scored
    as_of: float | None = None
    freshness: str = ""
