"""Reading numbers and dates the way Indonesian departments write them.

Numbers: `1.234.567,89`, `Rp 1.234.567`, `45,23%`, text numbers from CKAN (`"97"`).
Dates and periods: `30/06/2025`, `2025-06-30`, `2025-06`, `2025-Q2`, `2025-S1`, `2025`, epoch seconds.
A period is stored at its last second (the instant the value describes), labelled like `2025-06`.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

DecimalMark = Literal[",", "."]

_CURRENCY = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_MONTHS_ID = {
    "jan": 1, "januari": 1, "feb": 2, "februari": 2, "mar": 3, "maret": 3, "apr": 4, "april": 4,
    "mei": 5, "may": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "agu": 8, "agt": 8, "agustus": 8,
    "aug": 8, "sep": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "nov": 11, "november": 11,
    "des": 12, "desember": 12, "dec": 12,
    # English exports (SIPD's English locale, spreadsheets from a Windows set to English)
    "january": 1, "february": 2, "march": 3, "june": 6, "july": 7, "august": 8, "sept": 9,
    "october": 10, "december": 12,
}


class ParseError(ValueError):
    """A value that cannot be read as a number or date; the message says what was seen."""


def parse_number(value: Any, decimal: DecimalMark = ".") -> float:
    """A number from JSON, a database or a spreadsheet cell; `decimal` is the decimal mark of text."""
    if isinstance(value, bool) or value is None:
        raise ParseError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float, Decimal)):
        out = float(value)
    elif isinstance(value, str):
        out = _parse_text_number(value, decimal)
    else:
        raise ParseError(f"expected a number, got {type(value).__name__} {_short(value)}")
    if not math.isfinite(out):
        raise ParseError(f"expected a finite number, got {value!r}")
    return out


def _parse_text_number(text: str, decimal: DecimalMark) -> float:
    s = text.strip().replace("\u00a0", " ")
    s = _CURRENCY.sub("", s).rstrip("%").strip().replace(" ", "")
    negative = s.startswith("(") and s.endswith(")")  # accounting style (1.234)
    s = s.strip("()")
    if not s or s in {"-", "--"}:
        raise ParseError(f"expected a number, got {text!r}")
    thousands = "." if decimal == "," else ","
    if decimal == "," and s.count(".") == 1 and "," not in s and len(s.split(".")[1]) != 3:
        # "97.5" in a comma-decimal file is a plain decimal written by a machine, not 97 thousand
        thousands = ""
    if thousands:
        s = s.replace(thousands, "")
    s = s.replace(decimal, ".")
    try:
        out = float(Decimal(s))
    except InvalidOperation:
        raise ParseError(f"expected a number, got {text!r}") from None
    return -out if negative else out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def period_end(year: int, month_from: int, month_to: int, tz: tzinfo) -> int:
    """Last second of the months month_from..month_to of a year, as epoch seconds."""
    last = calendar.monthrange(year, month_to)[1]
    return int(datetime(year, month_to, last, 23, 59, 59, tzinfo=tz).timestamp())


def day_end(day: date, tz: tzinfo) -> int:
    return int(datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=tz).timestamp())


_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ID_DAY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_ID = re.compile(r"^(\d{1,2})/(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?(q|tw)([1-4])$", re.IGNORECASE)
_SEMESTER = re.compile(r"^(\d{4})-?(s|sem)([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})?\s*([a-z]+)\s+(\d{4})$", re.IGNORECASE)


def parse_when(value: Any, tz: tzinfo) -> tuple[int, str]:
    """(ts, period label) for a date, datetime, period text or epoch number, in the city's zone."""
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=tz)
        return int(dt.timestamp()), dt.astimezone(tz).strftime("%Y-%m-%d")
    if isinstance(value, date):
        return day_end(value, tz), value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value > 1e11:  # milliseconds, as JavaScript back ends send them
            value = value / 1000
        if value < 1e8:
            raise ParseError(f"{value!r} is not a date or epoch time")
        return int(value), datetime.fromtimestamp(value, tz).strftime("%Y-%m-%d")
    if not isinstance(value, str):
        raise ParseError(f"expected a date or period, got {_short(value)}")
    return _parse_text_when(value.strip(), tz)


def _parse_text_when(s: str, tz: tzinfo) -> tuple[int, str]:
    try:
        if m := _ISO_DAY.match(s):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return day_end(d, tz), d.isoformat()
        if m := _ID_DAY.match(s):
            d = date(int(m[3]), int(m[2]), int(m[1]))
            return day_end(d, tz), d.isoformat()
        if m := _MONTH.match(s) or _MONTH_ID.match(s):
            year, month = (int(m[1]), int(m[2])) if len(m[1]) == 4 else (int(m[2]), int(m[1]))
            return period_end(year, month, month, tz), f"{year}-{month:02d}"
        if m := _QUARTER.match(s):
            year, q = int(m[1]), int(m[3])
            return period_end(year, 3 * q - 2, 3 * q, tz), f"{year}-Q{q}"
        if m := _SEMESTER.match(s):
            year, h = int(m[1]), int(m[3])
            return period_end(year, 6 * h - 5, 6 * h, tz), f"{year}-S{h}"
        if m := _YEAR.match(s):
            return period_end(int(m[1]), 1, 12, tz), m[1]
        if m := _WORDS.match(s):
            return _words(m, tz)
        dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise ParseError(f"{s!r} is not a date or period") from None
    return parse_when(dt, tz)


def _words(m: re.Match[str], tz: tzinfo) -> tuple[int, str]:
    """`30 Juni 2025` or `Juni 2025`."""
    month = _MONTHS_ID.get(m[2].lower())
    if month is None:
        raise ValueError(m[0])
    year = int(m[3])
    if m[1]:
        d = date(year, month, int(m[1]))
        return day_end(d, tz), d.isoformat()
    return period_end(year, month, month, tz), f"{year}-{month:02d}"


def parse_month(value: Any) -> int:
    """A month from a name ("Juni", "Jun", "June", "JUNI"), a number (6, "06") or "06 - Juni"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        month = int(value)
    elif isinstance(value, str) and (m := re.match(r"^\s*(\d{1,2})\b", value)):
        month = int(m[1])
    elif isinstance(value, str) and value.strip():
        word = re.match(r"\s*([A-Za-z]+)", value)  # "Juni", "Jun.", "Juni 2025", "JUNI (realisasi)"
        month = _MONTHS_ID.get(word[1].lower(), 0) if word else 0
    else:
        raise ParseError(f"expected a month, got {_short(value)}")
    if not 1 <= month <= 12:
        raise ParseError(f"{_short(value)} is not a month")
    return month


def parse_year(value: Any) -> int:
    """A year from 2025, 2025.0 or "2025"."""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text):
        raise ParseError(f"expected a year, got {_short(value)}")
    return int(text)


def month_period(year: int, month: int, tz: tzinfo) -> tuple[int, str]:
    return period_end(year, month, month, tz), f"{year}-{month:02d}"


CurrentKind = Literal["current_day", "current_month", "current_quarter", "current_semester", "current_year"]


def current_period(kind: str, now: float, tz: tzinfo) -> tuple[int, str]:
    """The running period at `now`: its last second and its label (a running month is "so far")."""
    today = datetime.fromtimestamp(now, tz).date()
    y, m = today.year, today.month
    if kind == "current_day":
        return day_end(today, tz), today.isoformat()
    if kind == "current_month":
        return month_period(y, m, tz)
    if kind == "current_quarter":
        return parse_when(f"{y}-Q{(m - 1) // 3 + 1}", tz)
    if kind == "current_semester":
        return parse_when(f"{y}-S{1 if m <= 6 else 2}", tz)
    if kind == "current_year":
        return parse_when(str(y), tz)
    raise ParseError(f"unknown current period {kind!r}")


def local_day(ts: float, tz: tzinfo) -> date:
    return datetime.fromtimestamp(ts, tz).date()



_PLACEHOLDERS = {
    "yyyy": r"(?P<yyyy>\d{4})", "mm": r"(?P<mm>\d{2})", "m": r"(?P<m>\d{1,2})",
    "month": r"(?P<month>[A-Za-z]+)", "q": r"(?P<q>[1-4])", "s": r"(?P<s>[12])", "dd": r"(?P<dd>\d{1,2})",
}
_TOKEN = re.compile(r"\{(\w+)\}|\*|\?|\s+")


def compile_period_pattern(pattern: str) -> re.Pattern[str]:
    """`LRA_OPD_{yyyy}-{mm}*.xlsx` or `BULAN {month} {yyyy}` as a regex (case-insensitive).

    Placeholders: {yyyy} year, {mm} or {m} month number, {month} month name, {q} quarter,
    {s} semester, {dd} day; `*` any text, `?` one character; spaces match any run of spaces."""
    out, pos, names = [], 0, set()
    for m in _TOKEN.finditer(pattern):
        out.append(re.escape(pattern[pos:m.start()]))
        token = m[0]
        if m[1] is not None:
            if m[1] not in _PLACEHOLDERS:
                raise ValueError(f"unknown placeholder {{{m[1]}}} (use {', '.join('{' + k + '}' for k in _PLACEHOLDERS)})")
            if m[1] in names:
                raise ValueError(f"placeholder {{{m[1]}}} appears twice")
            names.add(m[1])
            out.append(_PLACEHOLDERS[m[1]])
        else:
            out.append({"*": ".*", "?": "."}.get(token, r"\s+"))
        pos = m.end()
    out.append(re.escape(pattern[pos:]))
    if "yyyy" not in names:
        raise ValueError("a period pattern needs {yyyy}")
    return re.compile("".join(out), re.IGNORECASE)


def period_from_match(m: re.Match[str], tz: tzinfo) -> tuple[int, str]:
    """(ts, label) from a match of compile_period_pattern: a day, month, quarter, semester or year."""
    groups = {k: v for k, v in m.groupdict().items() if v is not None}
    year = int(groups["yyyy"])
    if "mm" in groups or "m" in groups or "month" in groups:
        month = parse_month(groups.get("mm") or groups.get("m") or groups["month"])
        if "dd" in groups:
            try:
                day = date(year, month, int(groups["dd"]))
            except ValueError:
                raise ParseError(f"{m[0]!r} is not a date") from None
            return day_end(day, tz), day.isoformat()
        return month_period(year, month, tz)
    if "q" in groups:
        return parse_when(f"{year}-Q{groups['q']}", tz)
    if "s" in groups:
        return parse_when(f"{year}-S{groups['s']}", tz)
    return parse_when(str(year), tz)
