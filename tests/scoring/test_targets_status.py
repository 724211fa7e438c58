"""Periods in the city's zone, target curves, achievement and status with hysteresis."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.config.schema.metrics import Metric
from commandcenter.scoring import classify, judge, periods
from commandcenter.scoring.targets import achievement, curve_share, target_at


def test_periods_parse_and_previous():
    jun = periods.parse("2025-06", "Asia/Jakarta")
    assert jun.start == datetime(2025, 6, 1, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
    assert jun.end == datetime(2025, 7, 1, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
    assert jun.previous().label == "2025-05"
    assert periods.parse("2025-01", "Asia/Jakarta").previous().label == "2024-12"
    assert periods.parse("2025-Q1", "Asia/Jakarta").previous().label == "2024-Q4"
    assert periods.parse("2025-TW3", "Asia/Jakarta").label == "2025-Q3"
    assert periods.parse("2025-S2", "Asia/Jakarta").previous().label == "2025-S1"
    assert periods.parse("2025", "Asia/Jakarta").previous().label == "2024"
    for bad in ("2025-13", "Juni 2025", ""):
        with pytest.raises(ValueError):
            periods.parse(bad, "Asia/Jakarta")


def test_period_boundaries_follow_the_city_zone():
    # 30 Jun 2025 23:30 WITA is still June in Barru but 22:30 WIB; 1 Jul 00:30 WITA is July there
    wita = ZoneInfo("Asia/Makassar")
    late_june = datetime(2025, 6, 30, 23, 30, tzinfo=wita).timestamp()
    assert periods.containing(late_june, "Asia/Makassar").label == "2025-06"
    early_july = datetime(2025, 7, 1, 0, 30, tzinfo=wita).timestamp()
    assert periods.containing(early_july, "Asia/Makassar").label == "2025-07"
    assert periods.containing(early_july, "Asia/Jakarta").label == "2025-06"  # 23:30 WIB


def test_value_period_accepts_both_period_end_conventions():
    tz = "Asia/Jakarta"
    next_midnight = datetime(2025, 7, 1, tzinfo=ZoneInfo(tz)).timestamp()
    last_day = datetime(2025, 6, 30, tzinfo=ZoneInfo(tz)).timestamp()
    assert periods.value_period(next_midnight, tz, "month").label == "2025-06"
    assert periods.value_period(last_day, tz, "month").label == "2025-06"
    assert periods.value_period(next_midnight, tz, "quarter").label == "2025-Q2"


@pytest.mark.parametrize("position, share", [(0, 0), (1.5, 12.5), (3, 25), (5, 25 + 25 * 2 / 3), (6, 50),
                                             (12, 100), (13, 100)])
def test_quarterly_curve_interpolates_between_month_ends(position, share):
    assert curve_share({3: 25, 6: 50, 9: 75, 12: 100}, position) == pytest.approx(share)


def test_local_curve_without_december_still_reaches_100():
    curve = {9: 85}  # "85% by Q3"
    assert curve_share(curve, 9) == pytest.approx(85)
    assert curve_share(curve, 10) == pytest.approx(90)
    assert curve_share(curve, 12) == pytest.approx(100)


def _metric(**kw) -> Metric:
    base = {"id": "m", "name": "M", "unit": "percent"}
    return Metric.model_validate({**base, **kw})


def test_target_kinds_and_per_opd_override():
    curve = _metric(cumulative=True, target={"annual": 200, "curve": {6: 50}, "per_opd": {"bpkad": 400}})
    assert target_at(curve, "disdik", 6) == pytest.approx(100)
    assert target_at(curve, "bpkad", 6) == pytest.approx(200)
    linear = _metric(cumulative=True, target={"annual": 120})
    assert target_at(linear, "x", 3) == pytest.approx(30)  # no curve: evenly over the year
    flat = _metric(target={"annual": 120})
    assert target_at(flat, "x", 3) == pytest.approx(120)  # not cumulative: the annual figure
    assert target_at(_metric(target={"value": 99, "per_opd": {"a": 95}}), "a", 1) == 95
    assert target_at(_metric(direction="band", target={"band": {"low": 1, "high": 3}}), "x", 1) is None


@pytest.mark.parametrize("direction, value, target, band, expected", [
    ("higher", 45, 50, None, 90), ("higher", 80, 50, None, 100), ("higher", -5, 50, None, 0),
    ("lower", 4, 5, None, 100), ("lower", 10, 5, None, 50), ("lower", 3, 0, None, 0), ("lower", 0, 0, None, 100),
    ("band", 72, None, (60, 85), 100), ("band", 45, None, (60, 85), 75), ("band", 100, None, (60, 85), 85),
    ("higher", 5, None, None, None),
])
def test_achievement(direction, value, target, band, expected):
    got = achievement(direction, value, target, band)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_hysteresis_does_not_flap_on_a_line():
    # warning line 90, critical 70, hysteresis 1: a value hovering on 90 keeps one colour
    seq = [91, 89.5, 90.2, 89.9, 90.6, 91.2, 69.0, 70.5, 71.5]
    prev, got = None, []
    for g in seq:
        prev = classify(g, 90, 70, 1.0, prev)
        got.append(prev)
    assert got == ["ok", "warning", "warning", "warning", "warning", "ok", "critical", "critical", "warning"]


def test_worsening_is_immediate_whatever_the_previous_status():
    assert classify(69.99, 90, 70, 5, "ok") == "critical"
    assert classify(89.99, 90, 70, 5, "ok") == "warning"
    assert classify(89.99, 90, 70, 5, "stale") == "warning"  # unknown history: no hysteresis


def test_absolute_thresholds_read_in_the_kpi_direction():
    lower = _metric(direction="lower", target={"value": 5},
                    thresholds={"mode": "absolute", "warning": 5, "critical": 10, "hysteresis": 1})
    assert [judge(lower, v, None, None) for v in (5, 5.5, 10, 10.5)] == ["ok", "warning", "warning", "critical"]
    assert judge(lower, 9.5, None, None, previous="critical") == "critical"  # needs <= 9 to clear
    assert judge(lower, 9.0, None, None, previous="critical") == "warning"
    higher = _metric(target={"value": 99}, thresholds={"mode": "absolute", "warning": 98, "critical": 95})
    assert [judge(higher, v, None, None) for v in (99, 97, 94)] == ["ok", "warning", "critical"]
    band = _metric(direction="band", target={"band": {"low": 60, "high": 85}},
                   thresholds={"mode": "absolute", "warning": 2, "critical": 10})
    assert [judge(band, v, None, (60, 85)) for v in (70, 86, 88, 96, 49)] == [
        "ok", "ok", "warning", "critical", "critical"]
