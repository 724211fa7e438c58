"""Uptime and incidents from the stored check values (Qt-free read model).

Uptime of a span = up checks / checks (maintenance checks count in neither), read from the
hourly rollups regrouped into the city's local days in one query for all applications, so a
90-day bar of 500 applications costs one query. Incidents are runs of failed checks: their
reason codes are stored only for failures (`app_fail`), so they are a small read too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.checks import metrics as M
from commandcenter.checks.base import reason_text
from commandcenter.config.schema.apps import apps_of

DAY = 86400


@dataclass(frozen=True, slots=True)
class DayUptime:
    day: int  # local midnight, epoch seconds
    checks: int
    up: float  # number of up checks

    @property
    def ratio(self) -> float | None:
        return self.up / self.checks if self.checks else None


@dataclass(frozen=True, slots=True)
class Incident:
    app: str
    opd: str
    start: float
    end: float | None  # None: still down
    reason: str
    checks: int

    def duration(self, now: float) -> float:
        return (self.end if self.end is not None else now) - self.start


def _offset(tz: str, now: float) -> int:
    return int(datetime.fromtimestamp(now, ZoneInfo(tz)).utcoffset().total_seconds())


def local_midnight(ts: float, tz: str) -> int:
    d = datetime.fromtimestamp(ts, ZoneInfo(tz))
    return int(d.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())


def daily(cfg: Any, cache: Any, days: int = 90, now: float | None = None) -> dict[str, list[DayUptime]]:
    """Per app id: one DayUptime per local day of the last `days` (oldest first; empty days count 0)."""
    now = time.time() if now is None else now
    tz = cfg.city.timezone
    first = local_midnight(now, tz) - (days - 1) * DAY
    rows = cache.rollup_totals(M.UP, first, now, bucket=3600, group=DAY, offset=_offset(tz, now))
    got: dict[str, dict[int, tuple[int, float]]] = {}
    for _opd, dim, day, n, total in rows:
        got.setdefault(dim, {})[day] = (n, total)
    out = {}
    for app in _apps(cfg):
        mine = got.get(app.id, {})
        out[app.id] = [DayUptime(d, *mine.get(d, (0, 0.0))) for d in range(first, first + days * DAY, DAY)]
    return out


def daily_ratios(cfg: Any, cache: Any, days: int = 90, now: float | None = None) -> tuple[int, dict[str, list]]:
    """(first local midnight, per app id: share of up checks per day, None for a day without
    checks). The wall's uptime bars: plain floats, no object per day (500 apps x 90 days)."""
    now = time.time() if now is None else now
    tz = cfg.city.timezone
    first = local_midnight(now, tz) - (days - 1) * DAY
    out: dict[str, list] = {a.id: [None] * days for a in _apps(cfg)}
    for _opd, dim, day, n, total in cache.rollup_totals(M.UP, first, now, bucket=3600, group=DAY,
                                                        offset=_offset(tz, now)):
        row, k = out.get(dim), (day - first) // DAY
        if row is not None and 0 <= k < days and n:
            row[k] = total / n
    return first, out


def uptime(cfg: Any, cache: Any, start: float, end: float, opds: list[str] | None = None) -> dict[str, float | None]:
    """Per app id: the share of up checks between start and end (None: no checks)."""
    rows = cache.rollup_totals(M.UP, start, end, bucket=3600, group=int(end - start) + DAY, offset=-int(start))
    n: dict[str, list[float]] = {}
    for opd, dim, _g, count, total in rows:
        if opds is None or opd in opds:
            acc = n.setdefault(dim, [0, 0.0])
            acc[0] += count
            acc[1] += total
    return {app.id: (n[app.id][1] / n[app.id][0] if app.id in n and n[app.id][0] else None) for app in _apps(cfg)}


def periods(cfg: Any, now: float) -> dict[str, tuple[float, float]]:
    """Today, this month and this year in the city's zone: (start, now)."""
    d = datetime.fromtimestamp(now, ZoneInfo(cfg.city.timezone)).replace(hour=0, minute=0, second=0, microsecond=0)
    return {"day": (d.timestamp(), now), "month": (d.replace(day=1).timestamp(), now),
            "year": (d.replace(month=1, day=1).timestamp(), now)}


def incidents(cfg: Any, cache: Any, start: float, now: float | None = None, lang: str = "id",
              as_of: float | None = None) -> list[Incident]:
    """Runs of failed checks since `start`, newest first. A run ends at the next up check;
    maintenance checks neither end nor extend it. Reads `app_up` only of apps that failed."""
    now = time.time() if now is None else now
    by_id = {a.id: a for a in _apps(cfg)}
    reasons: dict[str, dict[int, float]] = {}
    for _opd, dim, ts, value in cache.samples_of(M.FAIL, start, as_of=as_of):
        if dim in by_id:
            reasons.setdefault(dim, {})[ts] = value
    out = []
    failed = [(by_id[app_id], codes) for app_id, codes in reasons.items()]
    # every failed app's `app_up` in one read (a wall's footer asks at every scene build)
    got = cache.series_many([(M.UP, app.opd, app.id, min(codes), None) for app, codes in failed], as_of=as_of)
    for (app, codes), s in zip(failed, got):
        out += _runs(app, list(zip(s.ts, s.values)), codes, lang)
    return sorted(out, key=lambda i: -i.start)


def _runs(app: Any, points: list[tuple[int, float]], codes: dict[int, float], lang: str) -> list[Incident]:
    out, run = [], []
    for ts, value in points:
        if value < 0.5:
            run.append(ts)
        elif run:
            out.append(Incident(app.id, app.opd, float(run[0]), float(ts), reason_text(codes.get(run[0]), lang), len(run)))
            run = []
    if run:
        out.append(Incident(app.id, app.opd, float(run[0]), None, reason_text(codes.get(run[0]), lang), len(run)))
    return out


def recovery_by_opd(items: list[Incident]) -> dict[str, float]:
    """Mean time to recovery (seconds) per OPD over the closed incidents given."""
    acc: dict[str, list[float]] = {}
    for i in items:
        if i.end is not None:
            acc.setdefault(i.opd, []).append(i.end - i.start)
    return {opd: sum(v) / len(v) for opd, v in acc.items()}


def _apps(cfg: Any) -> list[Any]:
    file = apps_of(cfg)
    return [a for a in file.apps if a.enabled] if file else []


def days_ago(now: float, n: int) -> float:
    return now - timedelta(days=n).total_seconds()
