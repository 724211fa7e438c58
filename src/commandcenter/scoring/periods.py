"""Reporting periods (month, quarter, semester, year) in the city's time zone.

The fiscal year is the calendar year. A period is the half-open window [start, end) of local
midnights, as epoch seconds. A value's `ts` describes the END of its period, and collectors write
that end either as the last day (00:00 or 23:59:59) or as the next period's first midnight; both
must land in the same period, so a periodic value belongs to the period containing `ts - 1`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

PeriodKind = str  # "month" | "quarter" | "semester" | "year"
_MONTHS = {"month": 1, "quarter": 3, "semester": 6, "year": 12}
_LABEL = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])|[Ss]([12])|[Tt][Ww]([1-4])))?\s*$")


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    kind: PeriodKind
    year: int
    first_month: int  # 1-12
    start: float  # epoch seconds of local midnight on the first day
    end: float  # epoch seconds of local midnight after the last day (exclusive)
    tz: str

    @property
    def months(self) -> int:
        return _MONTHS[self.kind]

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    def previous(self) -> "Period":
        year, first = self.year, self.first_month - self.months
        if first < 1:
            year, first = year - 1, first + 12
        return make(self.kind, year, first, self.tz)

    def contains(self, ts: float) -> bool:
        return self.start <= ts < self.end


def make(kind: PeriodKind, year: int, first_month: int, tz: str) -> Period:
    months = _MONTHS[kind]
    zone = ZoneInfo(tz)
    start = datetime(year, first_month, 1, tzinfo=zone)
    end_y, end_m = (year + 1, 1) if first_month + months > 12 else (year, first_month + months)
    end = datetime(end_y, end_m, 1, tzinfo=zone)
    return Period(_label(kind, year, first_month), kind, year, first_month, start.timestamp(), end.timestamp(), tz)


def _label(kind: PeriodKind, year: int, first_month: int) -> str:
    if kind == "month":
        return f"{year}-{first_month:02d}"
    if kind == "quarter":
        return f"{year}-Q{(first_month - 1) // 3 + 1}"
    if kind == "semester":
        return f"{year}-S{(first_month - 1) // 6 + 1}"
    return str(year)


def parse(label: str, tz: str) -> Period:
    """`2025-06`, `2025-Q2` (also `2025-TW2`, triwulan), `2025-S1`, `2025` -> Period."""
    m = _LABEL.match(label or "")
    if not m:
        raise ValueError(f"{label!r} is not a period (use 2025-06, 2025-Q2, 2025-S1 or 2025)")
    year = int(m.group(1))
    month, quarter, semester, tw = m.group(2), m.group(3), m.group(4), m.group(5)
    if month:
        if not 1 <= int(month) <= 12:
            raise ValueError(f"{label!r}: month must be 01-12")
        return make("month", year, int(month), tz)
    if quarter or tw:
        return make("quarter", year, (int(quarter or tw) - 1) * 3 + 1, tz)
    if semester:
        return make("semester", year, (int(semester) - 1) * 6 + 1, tz)
    return make("year", year, 1, tz)


def containing(ts: float, tz: str, kind: PeriodKind = "month") -> Period:
    """The period of `kind` that contains the instant `ts`."""
    local = datetime.fromtimestamp(ts, ZoneInfo(tz))
    months = _MONTHS[kind]
    first = (local.month - 1) // months * months + 1
    return make(kind, local.year, first, tz)


def value_period(ts: float, tz: str, kind: PeriodKind) -> Period:
    """The period a periodic value describes (see the module note on `ts - 1`)."""
    return containing(ts - 1, tz, kind)


def year_position(ts: float, tz: str) -> tuple[int, float]:
    """(year, months elapsed since 1 Jan local): 30 Jun 24:00 -> (2025, 6.0); 16 Jan 00:00 -> ~0.48."""
    local = datetime.fromtimestamp(ts, ZoneInfo(tz))
    days = _days_in_month(local.year, local.month)
    into = (local.day - 1 + (local.hour * 3600 + local.minute * 60 + local.second) / 86400) / days
    return local.year, local.month - 1 + into


@lru_cache(maxsize=64)
def _days_in_month(year: int, month: int) -> int:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (nxt - date(year, month, 1)).days


def local_date(ts: float, tz: str) -> date:
    return datetime.fromtimestamp(ts, ZoneInfo(tz)).date()


def refuse_future(as_of: float | None, period: Period | None, tz: str, zone_label: str = "",
                  now: float | None = None) -> None:
    """A moment or period that has not come yet has no data: say so instead of showing one."""
    import time

    now = time.time() if now is None else now
    if as_of is not None and as_of > now + 60:
        when = datetime.fromtimestamp(as_of, ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
        raise ValueError(f"--as-of {when} {zone_label} is in the future; give a moment up to now".replace("  ", " "))
    ref = now if as_of is None else as_of
    if period is not None and period.start > ref:
        raise ValueError(f"period {period.label} has not begun yet (it starts "
                         f"{datetime.fromtimestamp(period.start, ZoneInfo(tz)).date().isoformat()})")


_RELATIVE = {"now": 0.0, "sekarang": 0.0, "yesterday": 86400.0, "kemarin": 86400.0}
_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")


def parse_instant(text: str, tz: str, now: float | None = None) -> float:
    """`--as-of` (the formats the CLI help names): epoch seconds; ISO `2025-06-30`, `2025-06-30
    09:00`, `2025-06-30T09:00+07:00`; day first `30/06/2025 09:00`; `now`/`sekarang`;
    `yesterday`/`kemarin` (24 hours ago). Times without an offset are in the city's zone."""
    import time

    text = text.strip()
    word = text.lower()
    if word in _RELATIVE:
        return (time.time() if now is None else now) - _RELATIVE[word]
    try:
        return float(text)
    except ValueError:
        pass
    dt = _datetime(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=ZoneInfo(tz))
    return dt.timestamp()


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _DAY_FIRST:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"cannot read {text!r} as a moment: use e.g. '2025-06-30 09:00', '30/06/2025 09:00', "
                     "'yesterday' or 'kemarin'")
