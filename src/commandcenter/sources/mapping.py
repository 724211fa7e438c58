"""A declarative mapping from records (JSON objects, table rows) to samples. No eval anywhere.

A field is a column / key name, or else a jmespath expression (`detail.persen`, `"Nama OPD"`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import tzinfo
from functools import lru_cache
from typing import Any, Callable, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import Field, field_validator, model_validator

from commandcenter.cache.records import Sample
from commandcenter.sources.base import Options, SourceError
from commandcenter.sources.parsing import (DecimalMark, ParseError, current_period, month_period, parse_month,
                                           parse_number, parse_when, parse_year)

_METRIC = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


TOTALS = r"(jumlah|total|rata-rata|grand total)\b.*"
CURRENT = ("current_day", "current_month", "current_quarter", "current_semester", "current_year")
When = tuple[int, str]  # (ts: the period's last second, period label)


def valid_regex(value: str | None) -> str | None:
    """A config regex, or a clear error naming it (shared by the mapping and files options)."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regex {value!r}: {exc}") from None
    return value


class RecordMap(Options):
    """How records become samples. Where each value's period comes from, first match wins:
    `ts_field`, `month_field` (+ `year_field` or `year`), the files connector's `period_file` /
    `period_title`, `period` (a fixed label or `current_month`...), else the time of the run."""

    records: str = Field("@", examples=["data", "[?Tahun == '2025']"], description="jmespath to the list of records: in the JSON document (http_json), "
                         "or over the list of records (ckan, files, sql), e.g. \"[?tahun=='2025']\"")
    values: dict[str, str] = Field(min_length=1, description="metric id -> field (column name or jmespath) holding its value")
    opd: str = Field("", description="OPD code for every record; '' = city-wide")
    opd_field: str | None = Field(None, description="field holding the OPD code or name")
    opd_map: dict[str, str] = Field(default_factory=dict, description="source's code/name -> OPD code")
    dim: str = ""
    dim_field: str | None = None
    ts_field: str | None = Field(None, examples=["Tanggal", "join('-', [Tahun, Bulan])"], description="field with the record's date or period: a column/key name "
                                 "or a jmespath expression, e.g. tanggal, detail.periode, "
                                 "join('-', [tahun, bulan]); the same in every connector")
    month_field: str | None = Field(None, examples=["Bulan"], description="field with the month: a name (Juni, Jun, June) or number (6, 06)")
    year_field: str | None = Field(None, examples=["Tahun"], description="field with the year, read with month_field")
    year: int | None = Field(None, ge=1900, le=2200, description="the year for every record, with month_field")
    period: str | None = Field(None, examples=["current_month", "2025"], description="fixed period for every record (2025, 2025-Q2, 2025-06), or the "
                               "period running at fetch time: current_month, current_quarter, current_semester, "
                               "current_year, current_day")
    as_of_field: str | None = Field(None, examples=["diperbarui"], description="field with when the department reported or updated the "
                                    "record (e.g. updated_at); default: the source's own update time, else the fetch time")
    decimal: Literal[",", "."] | None = Field(None, description="decimal mark in text numbers (',' reads 1.069 as 1069)")
    skip: str | None = Field(None, description="regex: skip a row whose OPD/dim text matches (files: any cell)")
    reject_row: bool = Field(False, description="one bad value cell rejects the whole row (default: only that value)")
    city_wide: Literal["sum", "mean", "row"] | None = Field(
        None, examples=["sum", "row"], description="add a city-wide value (OPD '') per metric and period: the sum or mean of the OPD "
        "values, or the TOTAL row's own values (a row matching total_row)")
    total_row: str | None = Field(None, examples=["TOTAL|JUMLAH"], description=f"regex of a totals row's label; default {TOTALS!r}")
    note_field: str | None = Field(None, examples=["keterangan"], description="field holding the OPD's cause/note "
                                   "for the period, kept beside its numbers (e.g. keterangan)")

    @field_validator("records")
    @classmethod
    def _jmespath(cls, value: str) -> str:
        try:
            jmespath.compile(value)
        except JMESPathError as exc:
            raise ValueError(f"invalid jmespath {value!r}: {exc}") from None
        return value

    @field_validator("values")
    @classmethod
    def _metric_ids(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if not _METRIC.match(k)]
        if bad:
            raise ValueError(f"not metric ids: {bad}")
        return value

    @field_validator("skip", "total_row")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return valid_regex(value)

    @field_validator("period")
    @classmethod
    def _period(cls, value: str | None) -> str | None:
        if value is not None and value not in CURRENT:
            from zoneinfo import ZoneInfo

            try:
                parse_when(value, ZoneInfo("UTC"))
            except ParseError:
                raise ValueError(f"{value!r} is not a period (e.g. 2025, 2025-Q2, 2025-06) "
                                 f"nor one of {', '.join(CURRENT)}") from None
        return value

    @model_validator(mode="after")
    def _one_period_source(self) -> "RecordMap":
        given = [k for k in self.period_keys() if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"give one source of the period, not {' and '.join(given)}")
        if self.month_field is not None and (self.year_field is None) == (self.year is None):
            raise ValueError("month_field needs exactly one of year_field or year")
        if (self.year_field is not None or self.year is not None) and self.month_field is None:
            raise ValueError("year_field / year are read with month_field")
        return self

    @classmethod
    def period_keys(cls) -> tuple[str, ...]:
        return ("ts_field", "month_field", "period")

    def total_pattern(self) -> re.Pattern[str]:
        return re.compile(self.total_row or TOTALS, re.IGNORECASE)


@lru_cache(maxsize=512)
def _compiled(expr: str) -> Any:
    try:
        return jmespath.compile(expr)
    except JMESPathError:
        return None


def is_expression(field: str) -> bool:
    """True when a field reads as a jmespath expression (a header like `Realisasi (Rp)` may too)."""
    return _compiled(field) is not None


def get_field(record: Any, expr: str) -> Any:
    if isinstance(record, dict):
        if expr in record:
            return record[expr]
        lowered = {str(k).strip().lower(): v for k, v in record.items()}
        if expr.strip().lower() in lowered:  # spreadsheet headers vary in case and spacing
            return lowered[expr.strip().lower()]
    compiled = _compiled(expr)
    return compiled.search(record) if compiled is not None else None


def select_records(doc: Any, expr: str) -> list[Any] | None:
    """The records a mapping reads; None when the expression matched nothing."""
    found = _compiled(expr).search(doc) if _compiled(expr) is not None else None
    if found is None:
        return None
    return found if isinstance(found, list) else [found]


def map_list(rmap: RecordMap, records: list[Any], tz: tzinfo, now: float, label: Callable[[int], str],
             decimal: DecimalMark = ".", when: When | None = None) -> tuple[list[Sample], list[str]]:
    """map_records over a list a connector already read (CKAN, files, SQL), honouring `records:`
    as a jmespath over that list (e.g. a filter `[?tahun=='2025']`); rejection labels stay the
    source's own (file row numbers, record numbers)."""
    if rmap.records == "@" or not records:
        return map_records(rmap, records, tz, now, label, decimal, when)
    found = select_records(records, rmap.records)
    if not found:
        raise SourceError(f"mapping matched nothing: no records at {rmap.records!r}")
    index = {id(r): i for i, r in enumerate(records)}

    def relabel(j: int) -> str:
        i = index.get(id(found[j]))
        return label(i) if i is not None else f"{rmap.records}[{j}]"

    return map_records(rmap, found, tz, now, relabel, decimal, when)


def map_records(rmap: RecordMap, records: list[Any], tz: tzinfo, now: float,
                label: Callable[[int], str], decimal: DecimalMark = ".",
                when: When | None = None) -> tuple[list[Sample], list[str]]:
    """Samples from records; a record that cannot be read is rejected with a reason naming it.

    `when` is a period the connector found outside the records (a file name, a title block); it
    serves every record whose mapping names no other period source."""
    samples: list[Sample] = []
    rejected: list[str] = []
    seen: dict[tuple[str, str, str, int], int] = {}
    incomplete: dict[tuple[str, str, int], str] = {}  # (metric, dim, ts) with a rejected OPD value -> period
    skip = re.compile(rmap.skip, re.IGNORECASE) if rmap.skip else None
    for i, record in enumerate(records):
        try:
            out = _one(rmap, record, tz, now, decimal, skip, when)
        except ParseError as exc:
            rejected.append(f"{label(i)}: {exc}")
            continue
        if out is None:
            continue
        good, bad, (dim, ts, period, bad_metrics) = out
        if bad and rmap.reject_row:
            rejected.append(f"{label(i)}: row rejected: " + "; ".join(bad))
            incomplete.update({(m, dim, ts): period for m in rmap.values})
            continue
        incomplete.update({(m, dim, ts): period for m in bad_metrics})
        dups = [s for s in good if (s.metric, s.opd, s.dim, s.ts) in seen]
        if dups:
            first = seen[(dups[0].metric, dups[0].opd, dups[0].dim, dups[0].ts)]
            rejected.append(f"{label(i)}: duplicate of {label(first)} ({_who(dups)}); the later line is kept")
        seen.update({(s.metric, s.opd, s.dim, s.ts): i for s in good})
        samples += good
        rejected += [f"{label(i)}: {reason}" for reason in bad]
    if rmap.city_wide in ("sum", "mean"):
        totals, withheld = _city_wide(samples, rmap.city_wide, incomplete)
        samples += totals
        rejected += withheld
    return samples, rejected


def _who(dups: list[Sample]) -> str:
    s = dups[0]
    parts = [f"OPD {s.opd or '(city-wide)'}"] + ([s.dim] if s.dim else []) + [s.period or str(s.ts)]
    return ", ".join(parts) + ": " + ", ".join(d.metric for d in dups)


def _city_wide(samples: list[Sample], how: str,
               incomplete: dict[tuple[str, str, int], str]) -> tuple[list[Sample], list[str]]:
    """A city-wide value per metric/dim/period from the OPD values, where the source gave none.
    Where an OPD's value was rejected the total would be short: it is withheld, with a reason."""
    latest = {(s.metric, s.opd, s.dim, s.ts): s for s in samples}  # duplicates: the later line
    have = {(s.metric, s.dim, s.ts) for s in latest.values() if not s.opd}
    groups: dict[tuple[str, str, int], list[Sample]] = {}
    for s in latest.values():
        if s.opd and (s.metric, s.dim, s.ts) not in have:
            groups.setdefault((s.metric, s.dim, s.ts), []).append(s)
    out, withheld = [], []
    for (metric, dim, ts), group in groups.items():
        if (metric, dim, ts) in incomplete:
            where = " ".join(x for x in (dim, group[0].period or str(ts)) if x)
            withheld.append(f"city-wide {metric} ({how}) for {where} not computed: an OPD's value was rejected")
            continue
        values = [s.value for s in group]
        reported = [s.as_of for s in group]
        out.append(Sample(metric=metric, opd="", ts=ts, dim=dim, period=group[0].period,
                          value=sum(values) if how == "sum" else sum(values) / len(values),
                          as_of=None if None in reported else max(r for r in reported if r is not None)))
    return out, withheld


def _text(rmap_map: dict[str, str], raw: Any, what: str) -> str:
    if raw is None or isinstance(raw, (dict, list)):
        raise ParseError(f"no {what} ({raw!r})")
    text = str(raw).strip()
    if text in rmap_map:
        return rmap_map[text]
    folded = {k.lower(): v for k, v in rmap_map.items()}
    return folded.get(text.lower(), text)


def is_total(record: Any, pattern: re.Pattern[str]) -> bool:
    cells = record.values() if isinstance(record, dict) else record if isinstance(record, list) else ()
    return any(isinstance(v, str) and pattern.fullmatch(v.strip()) for v in cells)


def _one(rmap: RecordMap, record: Any, tz: tzinfo, now: float, decimal: DecimalMark,
         skip: re.Pattern[str] | None, when: When | None) -> tuple[list[Sample], list[str], Any] | None:
    opd_raw = get_field(record, rmap.opd_field) if rmap.opd_field else None
    dim_raw = get_field(record, rmap.dim_field) if rmap.dim_field else None
    if skip and any(isinstance(v, str) and skip.fullmatch(v.strip()) for v in (opd_raw, dim_raw)):
        return None
    total = (rmap.city_wide == "row" or rmap.total_row is not None) and is_total(record, rmap.total_pattern())
    if total and rmap.city_wide != "row":
        return None  # a totals row the mapping was told to recognise: not an OPD
    if total:
        opd = ""
    else:
        opd = _text(rmap.opd_map, opd_raw, f"OPD in {rmap.opd_field!r}") if rmap.opd_field else rmap.opd
    dim = _text({}, dim_raw, f"dimension in {rmap.dim_field!r}") if rmap.dim_field else rmap.dim
    ts, period = _when(rmap, record, tz, now, when)
    as_of = _reported(rmap, record, tz, now)
    good: list[Sample] = []
    bad: list[str] = []
    bad_metrics: list[str] = []
    for metric, expr in rmap.values.items():
        raw = get_field(record, expr)
        try:
            value = parse_number(raw, rmap.decimal or decimal)
        except ParseError as exc:
            bad.append(f"{metric} ({expr}): {exc}")
            bad_metrics.append(metric)
            continue
        good.append(Sample(metric=metric, opd=opd, ts=ts, value=value, dim=dim, period=period, as_of=as_of))
    if rmap.note_field and good and opd:
        note = get_field(record, rmap.note_field)
        if isinstance(note, str) and note.strip():  # carried by the record's first value only
            good[0] = replace(good[0], note=note.strip())
    return good, bad, (dim, ts, period, bad_metrics)


def _reported(rmap: RecordMap, record: Any, tz: tzinfo, now: float) -> float | None:
    """When the department reported the record (never after the fetch), or None: unknown."""
    if not rmap.as_of_field:
        return None
    raw = get_field(record, rmap.as_of_field)
    if raw is None or raw == "":
        return None
    return float(min(parse_when(raw, tz)[0], now))


def reported_at(samples: list[Sample], when: float | None, now: float) -> list[Sample]:
    """Stamp samples whose record said nothing with the source's own update time (CKAN's
    metadata_modified, a file's modification time); clamped to the fetch time."""
    if when is None:
        return samples
    stamp = float(min(when, now))
    return [s if s.as_of is not None else replace(s, as_of=stamp) for s in samples]


def _when(rmap: RecordMap, record: Any, tz: tzinfo, now: float, when: When | None) -> When:
    if rmap.ts_field:
        raw = get_field(record, rmap.ts_field)
        if raw is None:
            raise ParseError(f"no date in {rmap.ts_field!r}")
        return parse_when(raw, tz)
    if rmap.month_field:
        month = parse_month(get_field(record, rmap.month_field))
        year = rmap.year if rmap.year is not None else parse_year(get_field(record, rmap.year_field or ""))
        return month_period(year, month, tz)
    if when is not None:
        return when
    if rmap.period in CURRENT:
        return current_period(rmap.period, now, tz)
    if rmap.period:
        return parse_when(rmap.period, tz)
    return int(now), ""
