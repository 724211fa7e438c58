"""A declarative mapping from records (JSON objects, table rows) to samples. No eval anywhere.

A field is a column / key name, or else a jmespath expression (`detail.persen`, `"Nama OPD"`).
"""

from __future__ import annotations

import dataclasses

import re
from datetime import tzinfo
from functools import lru_cache
from typing import Any, Callable, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import Field, field_validator

from commandcenter.cache.records import Sample
from commandcenter.sources.base import Options
from commandcenter.sources.parsing import DecimalMark, ParseError, parse_number, parse_when

_METRIC = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class RecordMap(Options):
    records: str = Field("@", description="jmespath to the list of records in a JSON document")
    values: dict[str, str] = Field(min_length=1, description="metric id -> field holding its value")
    opd: str = Field("", description="OPD code for every record; '' = city-wide")
    opd_field: str | None = Field(None, description="field holding the OPD code or name")
    opd_map: dict[str, str] = Field(default_factory=dict, description="source's code/name -> OPD code")
    dim: str = ""
    dim_field: str | None = None
    ts_field: str | None = Field(None, description="field with the record's date/period; default: run time")
    period: str | None = Field(None, description="fixed period for every record, e.g. 2025 or 2025-Q2")
    decimal: Literal[",", "."] | None = Field(None, description="decimal mark in text numbers")
    skip: str | None = Field(None, description="regex: skip a row whose OPD/dim text matches (totals rows)")
    note_field: str | None = Field(None, description="field holding the OPD's cause/note for the period (keterangan)")

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

    @field_validator("skip")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regex {value!r}: {exc}") from None
        return value


@lru_cache(maxsize=512)
def _compiled(expr: str) -> Any:
    try:
        return jmespath.compile(expr)
    except JMESPathError:
        return None


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


def map_records(rmap: RecordMap, records: list[Any], tz: tzinfo, now: float,
                label: Callable[[int], str], decimal: DecimalMark = ".") -> tuple[list[Sample], list[str]]:
    """Samples from records; a record that cannot be read is rejected with a reason naming it."""
    samples: list[Sample] = []
    rejected: list[str] = []
    skip = re.compile(rmap.skip, re.IGNORECASE) if rmap.skip else None
    for i, record in enumerate(records):
        try:
            out = _one(rmap, record, tz, now, decimal, skip)
        except ParseError as exc:
            rejected.append(f"{label(i)}: {exc}")
            continue
        if out is None:
            continue
        good, bad = out
        samples += good
        rejected += [f"{label(i)}: {reason}" for reason in bad]
    return samples, rejected


def _text(rmap_map: dict[str, str], raw: Any, what: str) -> str:
    if raw is None or isinstance(raw, (dict, list)):
        raise ParseError(f"no {what} ({raw!r})")
    text = str(raw).strip()
    if text in rmap_map:
        return rmap_map[text]
    folded = {k.lower(): v for k, v in rmap_map.items()}
    return folded.get(text.lower(), text)


def _one(rmap: RecordMap, record: Any, tz: tzinfo, now: float, decimal: DecimalMark,
         skip: re.Pattern[str] | None) -> tuple[list[Sample], list[str]] | None:
    opd_raw = get_field(record, rmap.opd_field) if rmap.opd_field else None
    dim_raw = get_field(record, rmap.dim_field) if rmap.dim_field else None
    if skip and any(isinstance(v, str) and skip.fullmatch(v.strip()) for v in (opd_raw, dim_raw)):
        return None
    opd = _text(rmap.opd_map, opd_raw, f"OPD in {rmap.opd_field!r}") if rmap.opd_field else rmap.opd
    dim = _text({}, dim_raw, f"dimension in {rmap.dim_field!r}") if rmap.dim_field else rmap.dim
    ts, period = _when(rmap, record, tz, now)
    good: list[Sample] = []
    bad: list[str] = []
    for metric, expr in rmap.values.items():
        raw = get_field(record, expr)
        try:
            value = parse_number(raw, rmap.decimal or decimal)
        except ParseError as exc:
            bad.append(f"{metric} ({expr}): {exc}")
            continue
        good.append(Sample(metric=metric, opd=opd, ts=ts, value=value, dim=dim, period=period))
    if rmap.note_field and good and opd:
        note = get_field(record, rmap.note_field)
        if isinstance(note, str) and note.strip():  # carried by the record's first value only
            good[0] = dataclasses.replace(good[0], note=note.strip())
    return good, bad


def _when(rmap: RecordMap, record: Any, tz: tzinfo, now: float) -> tuple[int, str]:
    if rmap.ts_field:
        raw = get_field(record, rmap.ts_field)
        if raw is None:
            raise ParseError(f"no date in {rmap.ts_field!r}")
        return parse_when(raw, tz)
    if rmap.period:
        return parse_when(rmap.period, tz)
    return int(now), ""
