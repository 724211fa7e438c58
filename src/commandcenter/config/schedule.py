"""One reading of schedules for every caller: `validate`, the collector and scheduled reports.

A cron rule is read as crontab reads it (weekday 0 or 7 = Sunday, 1 = Monday), then handed to
APScheduler's own CronTrigger; an interval goes through APScheduler's IntervalTrigger. `validate`
calls these same functions, so a rule that passes validation is one the scheduler accepts.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

# crontab weekday numbers, 0 and 7 both Sunday
_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_BY_NAME = {n: i for i, n in enumerate(_NAMES)}
MAX_INTERVAL = 366 * 86400.0  # a source polled less than once a year is a mistake, not a rhythm


def crontab_weekdays(field: str) -> str:
    """A crontab weekday field as APScheduler weekday names (APScheduler 3 counts 0 as Monday).

    `1-5` -> `mon,tue,wed,thu,fri`; `*/2` -> `sun,tue,thu,sat`; `*` stays `*`."""
    text = field.strip().lower()
    if text in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in text.split(","):
        days |= _weekday_part(part, field)
    return ",".join(_NAMES[d] for d in sorted(days))


def _weekday_part(part: str, field: str) -> set[int]:
    body, _, step_text = part.partition("/")
    step = 1
    if step_text:
        if not step_text.isdigit() or int(step_text) < 1:
            raise ValueError(f"weekday step {step_text!r} in {field!r} is not a positive number")
        step = int(step_text)
    if body in ("*", "?"):
        lo, hi = 0, 6
    elif "-" in body:
        a, b = body.split("-", 1)
        lo, hi = _weekday(a, field), _weekday(b, field)
        if hi == 0 and lo > 0:  # `5-7` / `fri-sun`: 7 is Sunday at the end of the week
            hi = 7
        if hi < lo:
            raise ValueError(f"weekday range {body!r} in {field!r} runs backwards")
    else:
        lo = hi = _weekday(body, field)
        if step_text:
            hi = 6
    return {d % 7 for d in range(lo, hi + 1, step)}


def _weekday(token: str, field: str) -> int:
    if token.isdigit() and int(token) <= 7:
        return int(token) % 7
    if token[:3] in _BY_NAME and token in (token[:3], _full(token[:3])):
        return _BY_NAME[token[:3]]
    raise ValueError(f"weekday {token!r} in {field!r}: use 0-7 (0 and 7 = Sunday, 1 = Monday) "
                     f"or sun, mon, tue, wed, thu, fri, sat")


def _full(abbr: str) -> str:
    return {"sun": "sunday", "mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday",
            "fri": "friday", "sat": "saturday"}[abbr]


def cron_trigger(rule: str, tz: Any, jitter: float = 0) -> Any:
    """APScheduler's CronTrigger for a 5-field crontab rule; ValueError says what is wrong."""
    from apscheduler.triggers.cron import CronTrigger

    fields = str(rule).split()
    if len(fields) != 5:
        raise ValueError(f"cron {rule!r} needs 5 fields: minute hour day month weekday")
    minute, hour, day, month, dow = fields
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=crontab_weekdays(dow),
                           timezone=tz, jitter=int(jitter) or None)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"cron {rule!r}: {exc}") from None


def check_cron(rule: str, tz: Any = "UTC") -> None:
    """Raise ValueError when the rule is invalid or never fires (e.g. `0 0 31 2 *`)."""
    trig = cron_trigger(rule, tz)
    now = datetime.now(timezone.utc)
    if trig.get_next_fire_time(None, now) is None:
        raise ValueError(f"cron {rule!r} never fires")


def interval_trigger(seconds: float, tz: Any, jitter: float = 0) -> Any:
    from apscheduler.triggers.interval import IntervalTrigger

    check_interval(seconds)
    return IntervalTrigger(seconds=seconds, timezone=tz, jitter=int(jitter) or None)


def check_interval(seconds: float) -> None:
    if not seconds < MAX_INTERVAL:  # also catches inf/nan
        raise ValueError(f"interval of {seconds:g} s is longer than the 366-day limit")
    try:
        timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"interval of {seconds:g} s is too long") from None
