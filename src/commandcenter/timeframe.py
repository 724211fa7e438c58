"""The time model every value carries, derived without a time zone from what a source reported.

A value describes a period (kind, start, end, label) and an instant (its as-of):
- `ts` is the series key: a periodic value's last second (a month's value sits at its month's
  23:59:59 on the last day), an instantaneous value's own instant;
- `period_start` is the first second of that period (equal to `ts` for an instant);
- `as_of` is the instant the value describes: the period's end once it has closed, else the
  moment the department reported it (its own "updated" field, or the fetch time), never later
  than either. A running month read on 2 December is "per 2 Desember", not "per 31 Desember".

Labels are the ones sources.parsing writes: `2025-06`, `2025-Q2`, `2025-S1`, `2025`,
`2025-06-30`, or "" for an instant. The zone offset is read off `ts` itself (the period's local
last second), so no zone is needed here; the result is exact for zones without daylight saving
(all of Indonesia's).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

KINDS = ("instant", "day", "month", "quarter", "semester", "year")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEMESTER = re.compile(r"^(\d{4})-S([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_QUANTUM = 900  # every zone offset in use is a multiple of 15 minutes


def describe(label: str, ts: int, tz: str | None = None) -> tuple[str, int]:
    """(kind, first second) of the period `label` that a value at `ts` closes.

    Sources write a period's end as its last second, the next midnight or the last day at 00:00
    or 23:59. With the city's zone every form is recognised; without it only the last second
    (hh:59:59), whose zone offset shows in `ts` itself. A value whose `ts` is not at its labelled
    period's end (a reading at 10:30 labelled with its date) describes that instant.
    """
    kind, first, last = _parse(label)
    if kind == "instant" or first is None or last is None:
        return "instant", int(ts)
    if tz:
        return _describe_in_zone(kind, first, last, int(ts), ZoneInfo(tz))
    last_local = datetime(last[0], last[1], last[2], 23, 59, 59, tzinfo=timezone.utc).timestamp()
    raw = int(ts) - last_local
    offset = round(raw / _QUANTUM) * _QUANTUM
    if abs(raw - offset) > 0 or not -12 * 3600 <= offset <= 14 * 3600:
        return "instant", int(ts)
    first_local = datetime(first[0], first[1], first[2], tzinfo=timezone.utc).timestamp()
    return kind, int(first_local + offset)


def _describe_in_zone(kind: str, first: tuple[int, int, int], last: tuple[int, int, int], ts: int,
                      zone: ZoneInfo) -> tuple[str, int]:
    start = datetime(*first, tzinfo=zone).timestamp()
    after = (datetime(*last, tzinfo=zone) + timedelta(days=1)).timestamp()
    # a day's value is written at its end; a longer period's anywhere on its last day
    earliest = after - (60 if kind == "day" else 86400)
    if earliest <= ts <= after:
        return kind, int(start)
    return "instant", ts


def kind_of(label: str, ts: int, tz: str | None = None) -> str:
    return describe(label, ts, tz)[0]


def start_of(label: str, ts: int, tz: str | None = None) -> int:
    return describe(label, ts, tz)[1]


def as_of(ts: int, reported: float | None, known_at: float) -> int:
    """The instant a value describes: never after its period's end, never after it was reported."""
    moment = known_at if reported is None else min(float(reported), known_at)
    return int(min(int(ts), int(moment)))


def is_running(ts: int, as_of_: int) -> bool:
    """A value of a period that had not ended when it was reported (bulan berjalan)."""
    return int(as_of_) < int(ts)


def _parse(label: str) -> tuple[str, tuple[int, int, int] | None, tuple[int, int, int] | None]:
    label = (label or "").strip()
    if not label:
        return "instant", None, None
    if m := _MONTH.match(label):
        y, mo = int(m[1]), int(m[2])
        return "month", (y, mo, 1), (y, mo, _days(y, mo))
    if m := _QUARTER.match(label):
        y, q = int(m[1]), int(m[2])
        return "quarter", (y, 3 * q - 2, 1), (y, 3 * q, _days(y, 3 * q))
    if m := _SEMESTER.match(label):
        y, h = int(m[1]), int(m[2])
        return "semester", (y, 6 * h - 5, 1), (y, 6 * h, _days(y, 6 * h))
    if m := _YEAR.match(label):
        y = int(m[1])
        return "year", (y, 1, 1), (y, 12, 31)
    if m := _DAY.match(label):
        day = (int(m[1]), int(m[2]), int(m[3]))
        return "day", day, day
    return "instant", None, None


def _days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
