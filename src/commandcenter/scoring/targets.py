"""What a KPI should have reached at a given instant, and how far a value got (achievement).

Pure arithmetic on config objects: no cache, no Qt.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from commandcenter.scoring import periods

PERIODIC = {"month", "quarter", "semester", "year"}


def curve_share(curve: dict[int, float], position: float) -> float:
    """Percent of the annual target due after `position` months, interpolated between month-ends.

    The year starts at 0% and, unless the curve says otherwise, ends at 100% in December: a local
    target such as "85% by Q3" ({9: 85}) still means the whole annual target by year end.
    """
    points = sorted(curve.items())
    if points[0][0] != 0:
        points.insert(0, (0, 0.0))
    if points[-1][0] != 12:
        points.append((12, 100.0))
    position = min(max(position, 0.0), 12.0)
    for (m0, s0), (m1, s1) in zip(points, points[1:]):
        if position <= m1:
            return s0 + (s1 - s0) * (position - m0) / (m1 - m0)
    return points[-1][1]


def position_of(metric: Any, ts: float, tz: str, as_of: float | None = None) -> tuple[int, float]:
    """(year, months elapsed) at which a value is judged: the instant it describes.

    A closed period's value describes its period end (June's value: 6.0 months). A running
    period's value describes the moment it was reported (`as_of`): 2 December 03:40 is about 11.04
    months, so it is held against the plan pro-rated to that day, never the year-end target.
    """
    if as_of is not None and 0 < as_of < ts:
        year, _ = _position(metric.period, ts, tz)
        ayear, apos = periods.year_position(as_of, tz)
        return year, (apos if ayear == year else 0.0)
    return _position(metric.period, ts, tz)


@lru_cache(maxsize=4096)
def _position(kind: str, ts: float, tz: str) -> tuple[int, float]:
    # cached: a city's values share a handful of period-end instants
    if kind in PERIODIC:
        p = periods.value_period(ts, tz, kind)
        if p.end - ts <= 86400:  # written at its period's end (its last day or the next midnight)
            return p.year, float(p.last_month)
        # a reading stamped mid-period (a source with no period: the fetch time) describes that day
    return periods.year_position(ts, tz)


def due_at(metric: Any, opd: str, ts: float, tz: str, as_of: float | None = None) -> float | None:
    """The target a value of `ts` (described at `as_of`) is judged by: the one function for the
    wall, `scores`, alerts and exports."""
    _, position = position_of(metric, ts, tz, as_of)
    return target_at(metric, opd, position)


def target_at(metric: Any, opd: str, position: float) -> float | None:
    """The target value due `position` months into the fiscal year (None for a band or no target)."""
    t = metric.target
    if t is None or t.band is not None:
        return None
    if t.value is not None:
        return t.per_opd.get(opd, t.value)
    annual = t.per_opd.get(opd, t.annual)
    if t.curve:
        return annual * curve_share(t.curve, position) / 100.0
    if metric.cumulative:  # no curve: the year-to-date target grows evenly
        return annual * min(max(position, 0.0), 12.0) / 12.0
    return annual


def band_of(metric: Any) -> tuple[float, float] | None:
    t = metric.target
    return (t.band.low, t.band.high) if t is not None and t.band is not None else None


def achievement(direction: str, value: float, target: float | None, band: tuple[float, float] | None) -> float | None:
    """Capaian in percent, capped to 0-100; None when there is nothing to compare with."""
    if band is not None:
        low, high = band
        if value < low:
            raw = _ratio(value, low)
        elif value > high:
            raw = _ratio(high, value)
        else:
            raw = 100.0
    elif target is None:
        return None
    elif direction == "lower":
        raw = 100.0 if value <= target else _ratio(target, value)
    else:
        raw = 100.0 if value >= target else _ratio(value, target)
    return min(100.0, max(0.0, raw))


def _ratio(num: float, den: float) -> float:
    # den <= 0 can only be reached when num < den (or a zero target was missed): no achievement
    if den <= 0 or math.isnan(num):
        return 0.0
    return 100.0 * num / den
