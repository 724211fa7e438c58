"""The pure scoring core: KPI results, composite OPD scores and the ranking.

Inputs are plain: metric definitions (config objects), OPDs in config order and the latest value
per (metric, OPD). No cache, no SQL, no Qt: recomputing a whole city is arithmetic.

Score = weighted mean of capped achievements (0-100) over the KPIs that are scored, have a target,
apply to the OPD and have data. Each KPI's `lost_points` is its share of the gap to 100, so the
breakdown's lost points add up to `100 - score` and say which KPIs pulled the OPD down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from commandcenter.scoring import periods, targets
from commandcenter.scoring.periods import Period
from commandcenter.scoring.status import judge

DAY = 86400.0
# A value is stale once older than about one and a half of its periods (data arrive late).
STALE_AFTER = {"instant": 2 * DAY, "day": 3 * DAY, "month": 46 * DAY, "quarter": 138 * DAY,
               "semester": 276 * DAY, "year": 549 * DAY}
_TIE_DIGITS = 9  # scores equal to 9 decimals are a tie (float noise must not break config order)


@dataclass(frozen=True, slots=True)
class Point:
    """A bare observation: what the core needs of a cache LatestValue."""

    ts: int
    value: float
    as_of: int = 0  # the instant the value describes (0: its ts)


@dataclass(frozen=True, slots=True)
class KpiResult:
    metric: str
    opd: str
    value: float | None
    target: float | None  # the target due at the value's date (None for a band KPI)
    achievement: float | None  # capaian, 0-100
    status: str  # ok | warning | critical | no-data | stale
    weight: float
    ts: int | None
    lost_points: float = 0.0  # points of the OPD's score lost on this KPI
    band: tuple[float, float] | None = None
    scored: bool = False  # counted in the OPD's composite score
    as_of: int | None = None  # the instant the value describes (what "Data per" prints)


@dataclass(frozen=True, slots=True)
class OpdScore:
    opd: str
    name: str
    score: float | None
    rank: int | None
    rank_change: int | None  # positive: moved up since the previous period
    breakdown: list[KpiResult] = field(default_factory=list)  # largest lost points first
    short: str = ""
    previous_rank: int | None = None

    def pulled_down_by(self) -> list[KpiResult]:
        return [k for k in self.breakdown if k.lost_points > 0]


@dataclass(frozen=True, slots=True)
class Scoreboard:
    period: str
    opds: list[OpdScore]  # by rank; unscored OPDs last, in config order
    previous_period: str = ""
    as_of: float | None = None

    def get(self, opd: str) -> OpdScore | None:
        return next((o for o in self.opds if o.opd == opd), None)

    def ranks(self) -> dict[str, int]:
        return {o.opd: o.rank for o in self.opds if o.rank is not None}

    def statuses(self) -> dict[tuple[str, str], str]:
        return {(k.metric, k.opd): k.status for o in self.opds for k in o.breakdown}


def stale_after(metric: Any) -> float:
    return getattr(metric, "stale_after", None) or STALE_AFTER.get(metric.period, 46 * DAY)


def is_scored(metric: Any) -> bool:
    return bool(metric.scored) and metric.target is not None and metric.weight > 0


def applies(metric: Any, opd: Any) -> bool:
    scope = metric.applies_to
    return scope == "all" or opd.code in scope or getattr(opd, "kind", None) in scope


def assess(metric: Any, opd: str, obs: Any, tz: str, year: int | None = None, ref: float | None = None,
           previous: str | None = None) -> KpiResult:
    """One KPI value judged against its target.

    `year`: the fiscal year being scored (a cumulative value from another year is no data);
    `ref`: the instant staleness is measured at (None: never stale); `previous`: last status.
    """
    weight = metric.weight
    band = targets.band_of(metric)
    value = None if obs is None else obs.value
    if value is None or math.isnan(value):
        return KpiResult(metric.id, opd, None, None, None, "no-data", weight, None, band=band)
    ts = int(obs.ts)
    at = _described_at(obs)
    vyear, position = targets.position_of(metric, ts, tz, at)
    if metric.cumulative and year is not None and vyear != year:
        return KpiResult(metric.id, opd, None, None, None, "no-data", weight, None, band=band)
    stale = ref is not None and ref - min(ts, at) > stale_after(metric)
    if stale and year is not None:  # a late value is measured against what is due by now
        ryear, rpos = periods.year_position(ref, tz)
        position = rpos if ryear == vyear else 12.0
    target = targets.target_at(metric, opd, position)
    ach = targets.achievement(metric.direction, value, target, band)
    status = "stale" if stale else judge(metric, value, ach, band, previous)
    return KpiResult(metric.id, opd, value, target, ach, status, weight, ts, band=band, as_of=at)


def _described_at(obs: Any) -> int:
    """The instant an observation describes (LatestValue.as_of / Point.as_of), never after its ts."""
    at = int(getattr(obs, "as_of", 0) or 0)
    return min(at, int(obs.ts)) if at else int(obs.ts)


def score_opds(metrics: Sequence[Any], opds: Sequence[Any], values: Mapping[tuple[str, str], Any],
               period: Period, ref: float | None = None, previous_ranks: Mapping[str, int] | None = None,
               previous_status: Mapping[tuple[str, str], str] | None = None) -> Scoreboard:
    """Score every OPD active in `period` and rank them.

    metrics: config Metric objects; opds: config Opd objects in config order (anything with
    .code, .name, .short, .kind); values: (metric id, OPD code) -> object with .value and .ts
    (e.g. cache LatestValue), already limited to what is known and dated up to the period end;
    ref: instant staleness is measured at (default: the period end).
    """
    ref = period.end if ref is None else min(ref, period.end)
    scored = [m for m in metrics if is_scored(m)]
    prev_status = previous_status or {}
    rows = []
    for opd in active_opds(opds, period):
        results = []
        for m in scored:
            if applies(m, opd):
                obs = values.get((m.id, opd.code))
                if obs is not None and obs.ts > period.end:
                    obs = None  # dated after the period: not this period's data
                results.append(assess(m, opd.code, obs, period.tz, period.year, ref,
                                      prev_status.get((m.id, opd.code))))
        score, breakdown = composite(results)
        rows.append((opd, score, breakdown))
    return Scoreboard(period.label, rank(rows, previous_ranks or {}), period.previous().label)


def composite(results: Iterable[KpiResult]) -> tuple[float | None, list[KpiResult]]:
    """Weighted mean of achievements and the breakdown with lost points, worst first."""
    results = list(results)
    counted = [r for r in results if r.status != "no-data" and r.achievement is not None and r.weight > 0]
    total = sum(r.weight for r in counted)
    if not counted or total <= 0:
        return None, results
    score = sum(r.weight * r.achievement for r in counted) / total
    ids = {id(r) for r in counted}
    out = [_replace(r, lost_points=r.weight * (100.0 - r.achievement) / total, scored=True)
           if id(r) in ids else r for r in results]
    order = {r.metric: i for i, r in enumerate(out)}
    out.sort(key=lambda r: (-r.lost_points, order[r.metric]))
    return score, out


def _replace(r: KpiResult, lost_points: float, scored: bool) -> KpiResult:
    return KpiResult(r.metric, r.opd, r.value, r.target, r.achievement, r.status, r.weight, r.ts,
                     lost_points, r.band, scored, r.as_of)


def rank(rows: Sequence[tuple[Any, float | None, list[KpiResult]]], previous_ranks: Mapping[str, int]) -> list[OpdScore]:
    """Rank by score, best first; equal scores keep config order (rows come in config order)."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i][1] is None, -round(rows[i][1] or 0.0, _TIE_DIGITS), i))
    out = []
    position = 0
    for i in order:
        opd, score, breakdown = rows[i]
        r = None
        if score is not None:
            position += 1
            r = position
        prev = previous_ranks.get(opd.code)
        if prev is None and getattr(opd, "replaces", None):  # Bappeda -> Bapperida keeps its history
            prev = previous_ranks.get(opd.replaces)
        change = prev - r if (prev is not None and r is not None) else None
        out.append(OpdScore(opd.code, opd.name, score, r, change, breakdown, getattr(opd, "short", opd.code), prev))
    return out


def active_opds(opds: Sequence[Any], period: Period) -> list[Any]:
    """OPDs that existed at some point of the period (validity dates in config)."""
    first = periods.local_date(period.start, period.tz)
    last = periods.local_date(period.end, period.tz) - timedelta(days=1)
    out = []
    for o in opds:
        start, stop = getattr(o, "valid_from", None), getattr(o, "valid_to", None)
        if (start is None or start <= last) and (stop is None or stop >= first):
            out.append(o)
    return out
