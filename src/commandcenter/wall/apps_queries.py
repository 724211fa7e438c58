"""Read models of the application panels (`apps`: the status board, `uptime`: 90-day bars),
registered in `queries.BUILDERS` like every panel; the ticker's items are in apps_ticker.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commandcenter.checks import status as app_status
from commandcenter.checks import uptime as app_uptime
from commandcenter.config.panels import options as panel_options
from commandcenter.wall.apps_ticker import statuses as _statuses
from commandcenter.wall.queries import Reader, builder


@dataclass(frozen=True)
class AppTile:
    id: str
    name: str
    state: str  # up | degraded | down | maintenance | unknown
    latency_ms: float | None = None
    cert_days: float | None = None
    reason: str = ""
    last_check: float | None = None
    down_since: float | None = None


@dataclass(frozen=True)
class AppGroup:
    opd: str
    label: str
    tiles: tuple[AppTile, ...]


@dataclass(frozen=True)
class AppsBoardModel:
    title: str
    groups: tuple[AppGroup, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()  # (state, n), worst first
    as_of: float | None = None
    freshness: str = ""


@dataclass(frozen=True)
class UptimeRow:
    id: str
    name: str
    opd: str
    days: tuple[float | None, ...]  # share of up checks per local day, oldest first
    ratio: float | None  # over the whole span
    state: str = ""


@dataclass(frozen=True)
class UptimeModel:
    title: str
    rows: tuple[UptimeRow, ...] = ()
    first_day: float = 0.0
    span_days: int = 90
    as_of: float | None = None
    freshness: str = ""


def _freshness(rows: list[app_status.AppStatus], now: float) -> str:
    checked = [s.last_check for s in rows if s.last_check is not None]
    if rows and not checked:
        return "never-run"
    newest = max(checked, default=now)
    interval = min((s.interval for s in rows), default=60.0)
    return "stale" if now - newest > 3 * interval + 60 else ""


def _wanted(p: Any, opd: str) -> bool:
    return p.opds == "all" or opd in p.opds


@builder("apps")
def apps_board(r: Reader, p: Any) -> AppsBoardModel:
    rows = [s for s in _statuses(r) if _wanted(p, s.opd)]
    groups: dict[str, list[AppTile]] = {}
    for s in rows:
        groups.setdefault(s.opd, []).append(AppTile(s.id, s.name, s.state, s.latency_ms, s.cert_days, s.reason,
                                                    s.last_check, s.down_since))
    order = {o.code: i for i, o in enumerate(r.cfg.opds)}
    ordered = sorted(groups.items(), key=lambda kv: (-_worst(kv[1]), order.get(kv[0], 999)))
    counts = app_status.counts(rows)
    title = r.title(p, "Status Aplikasi OPD" if r.lang == "id" else "OPD application status")
    return AppsBoardModel(title, tuple(AppGroup(o, r.opd_label(o), tuple(t)) for o, t in ordered),
                          tuple((s, counts[s]) for s in app_status.STATES), r.as_of, _freshness(rows, r.now))


def _worst(tiles: list[AppTile]) -> int:
    rank = {"down": 4, "degraded": 3, "unknown": 2, "maintenance": 1}
    return max((rank.get(t.state, 0) for t in tiles), default=0)


@builder("uptime")
def uptime_bars(r: Reader, p: Any) -> UptimeModel:
    opts = panel_options(p)
    span = opts.days
    rows = [s for s in _statuses(r) if _wanted(p, s.opd)]
    first, days = app_uptime.daily_ratios(r.cfg, r.cache, days=span, now=r.now)
    totals = app_uptime.uptime(r.cfg, r.cache, first, r.now)  # weighted by checks, not by days
    out = []
    for s in rows:
        out.append(UptimeRow(s.id, s.name, r.opd_label(s.opd), tuple(days.get(s.id, ())), totals.get(s.id), s.state))
    limit = opts.top
    if limit:  # the worst first when only some fit
        out.sort(key=lambda x: (x.ratio is None, x.ratio if x.ratio is not None else 1.0))
        out = out[:limit]
    title = r.title(p, f"Ketersediaan {span} Hari" if r.lang == "id" else f"Uptime, last {span} days")
    return UptimeModel(title, tuple(out), float(first), span, r.as_of, _freshness(rows, r.now))
