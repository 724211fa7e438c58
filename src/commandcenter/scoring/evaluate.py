"""Scores from the cache: gather the latest value per (KPI, OPD), then hand plain data to the core.

SQL cost: one `latest` query per scored KPI, shared by the period and the previous period; a
`series` look-up only for values dated after the period being scored (scoring a past period).
"""

from __future__ import annotations

import time
from typing import Any

from commandcenter.scoring import core, periods
from commandcenter.scoring.core import KpiResult, Scoreboard
from commandcenter.scoring.periods import Period


def evaluate(cfg: Any, cache: Any, as_of: float | None = None, period: str | Period | None = None,
             previous: Scoreboard | None = None) -> Scoreboard:
    """The scoreboard for `period` (default: the month containing `as_of`/now) as known at `as_of`.

    `previous`: the last scoreboard of the same period, whose statuses feed hysteresis (the wall
    passes its last result back in so colours do not flap between refreshes).
    """
    tz = cfg.city.timezone
    now = time.time() if as_of is None else as_of
    p = _period(period, now, tz)
    metrics = [m for m in cfg.metrics if core.is_scored(m)]
    latest = {m.id: cache.latest(m.id, dim="", as_of=as_of) for m in metrics}
    statuses = previous.statuses() if previous is not None and previous.period == p.label else None
    board = core.score_opds(metrics, cfg.opds, _values(cache, metrics, latest, p, as_of), p, ref=now,
                            previous_ranks=_previous_ranks(cfg, cache, metrics, latest, p.previous(), as_of, now),
                            previous_status=statuses)
    return Scoreboard(board.period, board.opds, board.previous_period, as_of)


# The previous period's ranking costs a series look-up per (KPI, OPD) but only changes with the
# data, so it is kept per (city, period, as_of, data markers). Markers: the cache's data_version
# (runs, alerts) and the newest known_at among the latest values (a write without a run).
_PREV_RANKS: dict[tuple[Any, ...], dict[str, int]] = {}
_PREV_KEEP = 16


def _previous_ranks(cfg: Any, cache: Any, metrics: list[Any], latest: dict[str, list[Any]], prev_p: Period,
                    as_of: float | None, now: float) -> dict[str, int]:
    newest = max((lv.known_at for vals in latest.values() for lv in vals), default=0.0)
    version = cache.data_version() if hasattr(cache, "data_version") else None
    where = str(cache.engine.url) if hasattr(cache, "engine") else id(cache)
    key = (id(cfg), where, cfg.city_key, prev_p.label, as_of, version, newest, min(now, prev_p.end))
    ranks = _PREV_RANKS.get(key)
    if ranks is None:
        board = core.score_opds(metrics, cfg.opds, _values(cache, metrics, latest, prev_p, as_of), prev_p, ref=now)
        ranks = board.ranks()
        if len(_PREV_RANKS) >= _PREV_KEEP:
            _PREV_RANKS.pop(next(iter(_PREV_RANKS)))
        _PREV_RANKS[key] = ranks
    return ranks


def _period(period: str | Period | None, now: float, tz: str) -> Period:
    if isinstance(period, Period):
        return period
    if period:
        return periods.parse(period, tz)
    return periods.containing(now, tz, "month")


def _values(cache: Any, metrics: list[Any], latest: dict[str, list[Any]], p: Period,
            as_of: float | None) -> dict[tuple[str, str], Any]:
    """(metric, opd) -> the newest value dated no later than the period end."""
    out: dict[tuple[str, str], Any] = {}
    for m in metrics:
        for lv in latest[m.id]:
            if not lv.opd:
                continue  # the city-wide value is not an OPD
            if lv.ts <= p.end:
                out[(m.id, lv.opd)] = lv
                continue
            # newer data exist: look back for what this period had (bounded: older is no data anyway)
            s = cache.series(m.id, lv.opd, "", start=p.end - 3 * core.stale_after(m), end=p.end, as_of=as_of)
            if s.ts:
                out[(m.id, lv.opd)] = core.Point(s.ts[-1], s.values[-1], s.as_of[-1] if s.as_of else 0)
    return out



def kpi_status(cfg: Any, metric_id: str, value: float | None, ts: float, opd: str = "",
               previous: str | None = None, now: float | None = None, as_of: float | None = None) -> KpiResult:
    """One value judged against its target (what the wall's KPI panel colours by).

    `as_of`: the instant the value describes (a running month's report time); `previous`: the
    status this KPI showed before (hysteresis); `now`: when given, a value older than the
    metric's `stale_after` comes back as "stale".
    """
    metric = cfg.metric_by_id[metric_id]
    obs = None if value is None else core.Point(int(ts), float(value), int(as_of or 0))
    return core.assess(metric, opd, obs, cfg.city.timezone, None, now, previous)
