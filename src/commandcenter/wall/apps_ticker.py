"""The footer's application items: applications down now and recoveries of the last hour, and the
application statuses one refresh shares between its panels and its ticker. Imports no reader: a
scene's footer (wall/queries.py) asks for these without the panel builders."""

from __future__ import annotations

from typing import Any

from commandcenter import fmt
from commandcenter.checks import status as app_status
from commandcenter.checks import uptime as app_uptime
from commandcenter.wall.models import TickerItem


def statuses(r: Any) -> list[app_status.AppStatus]:
    rows = getattr(r, "_app_board", None)  # shared by the panels and the ticker of one refresh
    if rows is None:
        rows = app_status.board(r.cfg, r.cache, now=r.now, as_of=r.as_of, lang=r.lang)
        r._app_board = rows
    return rows


def ticker_items(r: Any, open_alert_keys: set[str]) -> list[TickerItem]:
    """Applications down now (unless an alert already says so) and recoveries of the last hour."""
    if not r.cfg.extra.get("apps"):
        return []
    en = r.lang == "en"
    items = []
    for s in statuses(r):
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
