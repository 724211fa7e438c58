"""Maintenance windows (apps.yaml): is an application in planned maintenance at an instant?"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from commandcenter.config.schema.apps import WEEKDAYS


def in_maintenance(app: Any, ts: float, tz: str) -> Any | None:
    """The window of `app` that covers `ts` (epoch seconds), or None."""
    local = datetime.fromtimestamp(ts, ZoneInfo(tz))
    for w in app.maintenance:
        if _covers(w, local):
            return w
    return None


def _covers(w: Any, local: datetime) -> bool:
    if w.from_ is None:
        return _day_matches(w, local)
    now = local.time()
    if w.from_ <= w.to:
        return _day_matches(w, local) and w.from_ <= now < w.to
    # past midnight: Sunday 23:00-02:00 covers Sunday night and Monday morning
    if now >= w.from_:
        return _day_matches(w, local)
    return now < w.to and _day_matches(w, local - timedelta(days=1))


def _day_matches(w: Any, local: datetime) -> bool:
    return local.date() in w.dates or WEEKDAYS[local.weekday()] in w.weekdays


_HARI = {"mon": "Sen", "tue": "Sel", "wed": "Rab", "thu": "Kam", "fri": "Jum", "sat": "Sab", "sun": "Min"}


def window_text(w: Any, lang: str = "id") -> str:
    """`setiap hari 00.00-06.00`, `Min 01.00-03.00`, `2026-12-24` (en: `daily`, `sun`)."""
    if len(set(w.weekdays)) == 7:
        names = ["setiap hari" if lang != "en" else "daily"]
    else:
        names = [d if lang == "en" else _HARI[d] for d in w.weekdays]
    days = ", ".join(names + [d.isoformat() for d in w.dates])
    hours = f" {_hhmm(w.from_)}-{_hhmm(w.to)}" if w.from_ is not None else ""
    return days + hours + (f" ({w.note})" if w.note else "")


def _hhmm(t: time) -> str:
    return f"{t.hour:02d}.{t.minute:02d}"
