"""Triggers and rhythms: when a source runs, and how often it should be heard from."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from commandcenter.config.schedule import cron_trigger, crontab_weekdays as crontab_dow, interval_trigger
from commandcenter.config.schema import Source

if TYPE_CHECKING:  # APScheduler's package reads its own metadata on import: not for the wall's start-up
    from apscheduler.triggers.base import BaseTrigger

__all__ = ["cron_gap", "cron_trigger", "crontab_dow", "rhythm", "trigger_for"]


def trigger_for(src: Source, tz: ZoneInfo) -> BaseTrigger:
    sched = src.schedule
    if sched.cron:
        return cron_trigger(sched.cron, tz, sched.jitter)
    return interval_trigger(sched.every, tz, sched.jitter)


def rhythm(src: Source, tz: ZoneInfo, now: datetime | None = None) -> float:
    """Seconds between expected deliveries: expect_every, else the schedule's longest usual gap."""
    if src.expect_every:
        return float(src.expect_every)
    if src.schedule.every:
        return float(src.schedule.every)
    return cron_gap(src.schedule.cron or "0 0 * * *", tz, now)


def cron_gap(rule: str, tz: ZoneInfo, now: datetime | None = None, samples: int = 16) -> float:
    """Longest gap among the next fires of a cron rule (a weekday rule is not late on Monday)."""
    trig = cron_trigger(rule, tz)
    t = (now or datetime.now(tz)).astimezone(tz)
    fires: list[datetime] = []
    prev = None
    for _ in range(samples):
        nxt = trig.get_next_fire_time(prev, t)
        if nxt is None:
            break
        fires.append(nxt)
        prev, t = nxt, nxt + timedelta(seconds=1)
    gaps = [(b - a).total_seconds() for a, b in zip(fires, fires[1:])]
    return max(gaps) if gaps else 86400.0
