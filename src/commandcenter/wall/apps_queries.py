"""Read models of the application panels (`apps`: the status board, `uptime`: 90-day bars) and
the application incidents of the ticker. Registered in `queries.BUILDERS` like every panel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from commandcenter import fmt
from commandcenter.checks import status as app_status
from commandcenter.checks import uptime as app_uptime
from commandcenter.config.panels import options as panel_options
from commandcenter.wall.models import TickerItem
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


def _statuses(r: Reader) -> list[app_status.AppStatus]:
    rows = getattr(r, "_app_board", None)  # shared by the panels and the ticker of one refresh
    if rows is None:
        rows = app_status.board(r.cfg, r.cache, now=r.now, as_of=r.as_of, lang=r.lang)
        r._app_board = rows
    return rows


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


def ticker_items(r: Reader, open_alert_keys: set[str]) -> list[TickerItem]:
    """Applications down now (unless an alert already says so) and recoveries of the last hour."""
    if not r.cfg.extra.get("apps"):
        return []
    en = r.lang == "en"
    items = []
    for s in _statuses(r):
        if s.state == "down" and f"aplikasi-mati|{s.id}" not in open_alert_keys:
            since = f" {'since' if en else 'sejak'} {fmt.clock(s.down_since, r.cfg.city.timezone, r.cfg.city.zone_label, r.lang)}" if s.down_since else ""
            items.append(TickerItem(f"{s.name} {'down' if en else 'tidak tersedia'}{since}: {s.reason}", "warning", "app-down"))
    now = r.now
    for inc in app_uptime.incidents(r.cfg, r.cache, start=now - 3600, now=now, lang=r.lang, as_of=r.as_of)[:5]:
        if inc.end is not None:
            app = next((a for a in r.cfg.extra["apps"].apps if a.id == inc.app), None)
            took = duration_text(inc.duration(now), r.lang)
            name = app.name if app else inc.app
            items.append(TickerItem(f"{name} {'recovered after' if en else 'pulih setelah'} {took} ({inc.reason})", "info", "app-recovered"))
    return items


def duration_text(seconds: float, lang: str = "id") -> str:
    """`45 detik`, `12 menit`, `2 jam 5 menit`, `3 hari` (en: `45 s`, `12 min`, `2 h 5 min`, `3 days`)."""
    s = int(max(0, seconds))
    en = lang == "en"
    if s < 60:
        return f"{s} {'s' if en else 'detik'}"
    if s < 3600:
        return f"{s // 60} {'min' if en else 'menit'}"
    if s < 86400:
        h, m = divmod(s // 60, 60)
        return f"{h} {'h' if en else 'jam'}" + (f" {m} {'min' if en else 'menit'}" if m else "")
    return f"{s // 86400} {'days' if en else 'hari'}"
