"""Indonesian (and English) number, money, percent, date and time formatting.

Qt-free so that the core, the CLI and the exports format exactly like the wall does.
Babel's CLDR data give the compact forms (`1,2 M` = miliar, `3,5 T` = triliun) that Qt lacks.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as bdates
from babel import Locale
from babel import numbers as bnum

NBSP = "\u00a0"
_LOCALES = {"id": "id_ID", "en": "en_US"}


@lru_cache(maxsize=None)
def _loc(lang: str) -> Locale:
    """The parsed Babel locale, once per language (Babel re-parses a locale name on every call)."""
    return Locale.parse(_LOCALES.get(lang, "id_ID"))


def number(value: float | None, decimals: int = 0, lang: str = "id") -> str:
    """`1234.5` -> `1.234,5` (id) / `1,234.5` (en)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return _number(value, decimals, lang)


@lru_cache(maxsize=16384, typed=True)
def _number(value: float, decimals: int, lang: str) -> str:
    # the wall formats the same values (axis ticks, unchanged KPIs) over and over
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return bnum.format_decimal(value, format=fmt, locale=_loc(lang), decimal_quantization=True)


def percent(value: float | None, decimals: int = 2, lang: str = "id") -> str:
    """A value already in percent points: `34.914` -> `34,91%`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, decimals, lang) + "%"


def compact(value: float | None, decimals: int = 1, lang: str = "id") -> str:
    """`1.23e9` -> `1,2 M` (miliar); `3.5e12` -> `3,5 T`; small values stay whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if abs(value) < 1000:
        return number(value, 0 if float(value).is_integer() else decimals, lang)
    text = bnum.format_compact_decimal(value, locale=_loc(lang), fraction_digits=decimals)
    return text.replace(NBSP, " ")


def money(value: float | None, lang: str = "id", full: bool = False, decimals: int = 1) -> str:
    """Rupiah: compact `Rp 352,0 M` / `Rp 1,01 T`, or full `Rp 1.234.568` (no decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ""
    body = number(abs(value), 0, lang) if full or abs(value) < 1_000_000 else _money_compact(abs(value), decimals, lang)
    return f"{sign}Rp {body}"


def _money_compact(value: float, decimals: int, lang: str) -> str:
    # Babel's compact form drops trailing zeros ("352 M"); the wall wants fixed decimals ("352,0 M").
    scales = [(1e12, "T", "T"), (1e9, "M", "B"), (1e6, "jt", "M")]
    for scale, id_suffix, en_suffix in scales:
        if value >= scale * 0.9995:
            digits = decimals
            scaled = value / scale
            if scale == 1e12 and scaled < 10 and round(scaled, 2) != round(scaled, 1):
                digits = max(decimals, 2)  # Rp 1,01 T: a tenth of a triliun hides 10 miliar
            return f"{number(value / scale, digits, lang)} {id_suffix if lang == 'id' else en_suffix}"
    return number(value, 0, lang)


# Default decimals per unit when metrics.yaml gives none: one rule, so a KPI, its target and its
# change read alike on the wall, in the console, in the PDF, in alerts and in `scores`.
DEFAULT_DECIMALS = {"percent": 1, "points": 1, "days": 1, "ratio": 2}


def decimals_for(unit: str, decimals: int | None = None) -> int | None:
    return decimals if decimals is not None else DEFAULT_DECIMALS.get(unit)


def value_with_unit(value: float | None, unit: str, lang: str = "id", decimals: int | None = None) -> str:
    """Format a KPI value by its unit (percent, points, rp, count, days, ratio) and the metric's
    `decimals` (None: the unit's default)."""
    places = decimals_for(unit, decimals)
    if unit == "percent":
        return percent(value, places, lang)
    if unit == "points":
        return f"{number(value, places, lang)} {'poin' if lang == 'id' else 'pts'}"
    if unit == "rp":
        return money(value, lang, decimals=decimals if decimals is not None else 1)
    if unit == "days":
        return f"{number(value, places, lang)} {'hari' if lang == 'id' else 'days'}"
    if unit == "ratio":
        return number(value, places, lang)
    if unit not in ("count", "") and value is not None:  # metrics.yaml's own label: "1.069 pasien"
        return f"{value_with_unit(value, 'count', lang, decimals)} {unit}"
    if value is not None and abs(value) >= 100_000 and decimals is None:
        return compact(value, 1, lang)
    if places is None:
        places = 0 if value is None or float(value).is_integer() else 1
    return number(value, places, lang)


def change(delta: float | None, unit: str, lang: str = "id", decimals: int | None = None) -> str:
    """The size of a change, in the unit a change of that KPI has: a percentage moves in points
    ("0,8 poin"), counts and rupiah in their own unit. No sign: the caller shows the direction."""
    if delta is None:
        return "–"
    size = abs(delta)
    if unit in ("percent", "points"):
        return value_with_unit(size, "points", lang, decimals)
    return value_with_unit(size, unit, lang, decimals)


# -- periods and as-of instants (commandcenter.timeframe) -------------------------------------------
_QUARTER_ID = ("I", "II", "III", "IV")


def period_text(label: str, kind: str, lang: str = "id", cumulative: bool = False,
                running: bool = False, short: bool = False) -> str:
    """A period in words: "Juni 2025", "s.d. November 2026", "Desember 2026 (berjalan)",
    "Triwulan II 2025", "Semester I 2025", "Tahun 2025"; "" for an instant. `short`: the same
    period with the month abbreviated and the quarter as "TW II 2025" (for a narrow card)."""
    words = _period_words(label, kind, lang, short)
    if not words:
        return ""
    if running:
        return f"{words} ({'berjalan' if lang == 'id' else 'running'})"
    if cumulative and kind != "year":
        return f"{'s.d.' if lang == 'id' else 'to'} {words}"
    return words


def _period_words(label: str, kind: str, lang: str, short: bool = False) -> str:
    try:
        year = int(label[:4])
        if kind == "month":
            month = int(label[5:7])
            pattern = "MMM yyyy" if short else "MMMM yyyy"
            return bdates.format_date(datetime(year, month, 1), pattern, locale=_loc(lang)).replace(".", "")
        if kind == "quarter":
            q = int(label[-1])
            if lang != "id":
                return f"Q{q} {year}"
            return f"{'TW' if short else 'Triwulan'} {_QUARTER_ID[q - 1]} {year}"
        if kind == "semester":
            h = int(label[-1])
            return f"Semester {'I' * h} {year}" if lang == "id" else f"H{h} {year}"
        if kind == "year":
            return f"{'Tahun' if lang == 'id' else 'Year'} {year}"
        if kind == "day":
            return bdates.format_date(datetime(year, int(label[5:7]), int(label[8:10])),
                                      "d MMM yyyy" if short else "d MMMM yyyy", locale=_loc(lang)).replace(".", "")
    except (ValueError, IndexError):
        return label
    return ""


def as_of_text(as_of: float, tz: str, zone_label: str = "", lang: str = "id", period_end: bool = False) -> str:
    """The instant a value describes, absolute: "2 Des 2026 03.40 WIB"; a closed period's end is a
    date only ("30 Jun 2025")."""
    if period_end:
        return date_short(as_of, tz, lang)
    return datetime_short(as_of, tz, zone_label, lang)


def compared_with(kind: str, lang: str = "id", short: bool = False) -> str:
    """What a change compares with, by the period it steps over. `short`: the same comparison in
    the usual abbreviations (bln, TW, smt, thn, sblm), for a narrow card."""
    words = {"month": ("vs bulan lalu", "vs last month"), "quarter": ("vs triwulan lalu", "vs last quarter"),
             "semester": ("vs semester lalu", "vs last half-year"), "year": ("vs tahun lalu", "vs last year"),
             "day": ("vs kemarin", "vs yesterday")}
    if short:
        words = {"month": ("vs bln lalu", "vs last mo."), "quarter": ("vs TW lalu", "vs last qtr"),
                 "semester": ("vs smt lalu", "vs last half"), "year": ("vs thn lalu", "vs last yr"),
                 "day": ("vs kemarin", "vs yesterday")}
    pair = words.get(kind, ("vs sblm", "vs prev.") if short else ("vs sebelumnya", "vs previous"))
    return pair[0] if lang == "id" else pair[1]


def as_of_forms(as_of: float, tz: str, zone_label: str = "", lang: str = "id", period_end: bool = False,
                now: float | None = None) -> list[str]:
    """`as_of_text` and shorter forms of the same instant, fullest first, for a narrow card:
    "2 Des 2026 06.45 WIB", "2 Des 06.45 WIB", "2 Des 06.45". The year is left out only when it is
    the year of `now` (the wall's clock); the zone is always the city's, which the wall's header
    names. A date from another year keeps its year and gives up the time: "2 Des 2025"."""
    full = as_of_text(as_of, tz, zone_label, lang, period_end)
    same_year = now is not None and to_zone(as_of, tz).year == to_zone(now, tz).year
    day_month = _day_month(as_of, tz, lang)
    if period_end:
        return [full, day_month] if same_year else [full]
    hm = clock(as_of, tz, "", lang)
    if same_year:
        forms = [full, f"{day_month} {hm} {zone_label}".strip(), f"{day_month} {hm}"]
    else:
        forms = [full, f"{date_short(as_of, tz, lang)} {hm}", date_short(as_of, tz, lang)]
    return list(dict.fromkeys(forms))  # without a zone label two forms are the same


def _day_month(ts: float | datetime, tz: str, lang: str) -> str:
    """`2 Des`."""
    return bdates.format_date(to_zone(ts, tz), "d MMM", locale=_loc(lang)).replace(".", "")


def to_zone(ts: float | datetime, tz: str) -> datetime:
    if isinstance(ts, datetime):
        dt = ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)
    else:
        dt = datetime.fromtimestamp(ts, tz=timezone.utc)
    return dt.astimezone(ZoneInfo(tz))


def date_short(ts: float | datetime, tz: str, lang: str = "id") -> str:
    """`30 Jun 2025`."""
    return bdates.format_date(to_zone(ts, tz), "d MMM yyyy", locale=_loc(lang)).replace(".", "")


def date_numeric(ts: float | datetime, tz: str) -> str:
    """`30/06/2025`."""
    return to_zone(ts, tz).strftime("%d/%m/%Y")


def date_full(ts: float | datetime, tz: str, lang: str = "id") -> str:
    """`Senin, 30 Juni 2025`."""
    return bdates.format_date(to_zone(ts, tz), "EEEE, d MMMM yyyy", locale=_loc(lang))


def clock(ts: float | datetime, tz: str, zone_label: str = "", lang: str = "id") -> str:
    """`10.05 WIB` (Indonesian uses a dot between hours and minutes)."""
    dt = to_zone(ts, tz)
    text = dt.strftime("%H.%M") if lang == "id" else dt.strftime("%H:%M")
    return f"{text} {zone_label}".strip()


def datetime_short(ts: float | datetime, tz: str, zone_label: str = "", lang: str = "id") -> str:
    """`30 Jun 2025 10.05 WIB`."""
    return f"{date_short(ts, tz, lang)} {clock(ts, tz, zone_label, lang)}"


def relative(ts: float, now: float, lang: str = "id") -> str:
    """`5 menit yang lalu`, `kemarin`, `3 hari yang lalu`."""
    age = max(0.0, now - ts)
    if lang == "id":
        if age < 60:
            return "baru saja"
        if age < 3600:
            return f"{int(age // 60)} menit yang lalu"
        if age < 86400:
            return f"{int(age // 3600)} jam yang lalu"
        if age < 2 * 86400:
            return "kemarin"
        return f"{int(age // 86400)} hari yang lalu"
    if age < 60:
        return "just now"
    if age < 3600:
        return f"{int(age // 60)} min ago"
    if age < 86400:
        return f"{int(age // 3600)} h ago"
    if age < 2 * 86400:
        return "yesterday"
    return f"{int(age // 86400)} days ago"


def data_age(ts: float, now: float, lang: str = "id") -> str:
    """`data 12 menit lalu` / `data 12 min old`: how old the data on a panel are."""
    age = max(0.0, now - ts)
    if lang == "id":
        if age < 60:
            return "data baru saja"
        for size, unit in ((86400, "hari"), (3600, "jam"), (60, "menit")):
            if age >= size:
                return f"data {int(age // size)} {unit} lalu"
    if age < 60:
        return "data just now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if age >= size:
            return f"data {int(age // size)} {unit} old"
    return "data"
