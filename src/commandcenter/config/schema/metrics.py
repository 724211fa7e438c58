"""metrics.yaml: the KPIs, their units, direction, targets by period and thresholds."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from commandcenter.config.schema.common import Duration, Ident, Strict, Versioned

# points: a difference of two percentages (deviasi fisik-keuangan), read "12,3 poin"
Unit = Literal["percent", "points", "rp", "count", "days", "ratio"]
UNIT_KINDS = ("percent", "points", "rp", "count", "days", "ratio")
_UNIT_LABEL = re.compile(r"^\S(.{0,22}\S)?$")  # any other unit is the metric's own label: pasien, req/jam
Direction = Literal["higher", "lower", "band"]
Period = Literal["instant", "day", "month", "quarter", "semester", "year"]


class Band(Strict):
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> "Band":
        if self.high <= self.low:
            raise ValueError("high must be above low")
        return self


class Target(Strict):
    """What the KPI should reach: a constant, an annual target with a cumulative curve, or a band.

    `curve` maps month-end (1-12) to the share of the annual target (percent) due by then,
    e.g. {3: 25, 6: 50, 9: 75, 12: 100}; months in between are interpolated.
    """

    value: float | None = None
    annual: float | None = None
    curve: dict[int, float] | None = None
    band: Band | None = None
    per_opd: dict[Ident, float] = Field(default_factory=dict, description="annual/value override per OPD code")

    @model_validator(mode="after")
    def _one_kind(self) -> "Target":
        kinds = [k for k in ("value", "annual", "band") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of value, annual or band")
        if self.curve is not None:
            if self.annual is None:
                raise ValueError("curve needs annual")
            bad = [m for m in self.curve if not 1 <= m <= 12]
            if bad:
                raise ValueError(f"curve months must be 1-12, got {bad}")
        return self


class Thresholds(Strict):
    """Where a KPI turns warning and critical.

    relative: achievement percent of target (e.g. warning below 90, critical below 75);
    absolute: raw values, read in the KPI's direction.
    """

    mode: Literal["relative", "absolute"] = "relative"
    warning: float = 90.0
    critical: float = 75.0
    hysteresis: float = Field(1.0, ge=0, description="how far back over the line before the status clears")


class Metric(Strict):
    id: Ident
    name: str
    name_en: str | None = None
    short: str | None = Field(None, max_length=32, description="label for small panels")
    unit: str = Field(description="percent, points, rp (rupiah), count, days, ratio, or your own label such as "
                      "pasien, menit, req/jam, jiwa (then shown as a number followed by the label)",
                      examples=["percent", "pasien", "req/jam"])
    direction: Direction = "higher"
    period: Period = "month"
    cumulative: bool = Field(False, description="values are year-to-date (budget realisation)")
    target: Target | None = None
    thresholds: Thresholds = Field(default_factory=Thresholds)
    weight: float = Field(1.0, ge=0)
    scored: bool = Field(True, description="counts toward the composite OPD score")
    applies_to: Literal["all"] | list[str] = Field("all", description="OPD codes or OPD kinds")
    decimals: int | None = Field(
        None, ge=0, le=4, description="decimals of the value, its target and its change everywhere it is "
        "shown (wall, console, PDF, alerts, scores); default by unit: percent/points/days 1, ratio 2")
    stale_after: Duration | None = Field(
        None, description="a value older than this is stale (default: about 1.5 periods, e.g. 46d for month)")
    description: str | None = None

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        if value in UNIT_KINDS or _UNIT_LABEL.match(value):
            return value
        raise ValueError(f"unit {value!r}: use one of {', '.join(UNIT_KINDS)} or a short label (up to 24 characters)")

    @model_validator(mode="after")
    def _band_direction(self) -> "Metric":
        if self.direction == "band" and (self.target is None or self.target.band is None):
            raise ValueError("direction band needs target.band {low, high}")
        return self


class MetricsFile(Versioned):
    metrics: list[Metric] = Field(min_length=1)
