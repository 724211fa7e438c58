"""One function judges a value at its own position: June at June's plan, July at July's, the running
December at the plan pro-rated to the day it was reported, never the year-end target."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from commandcenter.cache import Cache, Sample
from commandcenter.scoring import evaluate, evaluate_alerts, kpi_status
from commandcenter.scoring.periods import refuse_future

WIB = ZoneInfo("Asia/Jakarta")
CLOCK = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()  # 2 Dec 2026 03.40 WIB
DEC_END = int(datetime(2026, 12, 31, 23, 59, 59, tzinfo=WIB).timestamp())


def month_end(y: int, m: int) -> int:
    nxt = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=WIB)
    return int(nxt.timestamp()) - 1


def expected_december_target() -> float:
    # curve 25/50/75/100 by Mar/Jun/Sep/Dec: 75 + 25 * (months past September) / 3
    into_dec = (CLOCK - datetime(2026, 12, 1, tzinfo=WIB).timestamp()) / (31 * 86400)
    return 75 + 25 * (2 + into_dec) / 3


@pytest.fixture
def cache_at(tmp_path, city):
    c = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city=city.city_key, tz=city.city.timezone)
    yield c
    c.close()


def test_two_closed_months_are_judged_at_their_own_plan(city):
    june = kpi_status(city, "serapan_keuangan", 40.0, month_end(2025, 6), opd="bpkad", as_of=month_end(2025, 6))
    july = kpi_status(city, "serapan_keuangan", 40.0, month_end(2025, 7), opd="bpkad", as_of=month_end(2025, 7))
    assert june.target == pytest.approx(50.0, abs=1e-3)
    assert july.target == pytest.approx(58.333, abs=1e-2)
    assert (june.achievement, july.achievement) == (pytest.approx(80.0), pytest.approx(68.571, abs=1e-2))


def test_the_running_december_is_judged_at_the_plan_of_its_report_day(city):
    res = kpi_status(city, "serapan_keuangan", 90.5, DEC_END, opd="bpkad", as_of=CLOCK)
    assert res.target == pytest.approx(expected_december_target(), abs=1e-6)
    assert 91.5 < res.target < 92.5  # "about 92%", not 100%
    assert res.status in ("ok", "near") and res.as_of == int(CLOCK)
    # the same value read as the year's end would be far behind: that is the bug this prevents
    assert kpi_status(city, "serapan_keuangan", 90.5, DEC_END, opd="bpkad").target == pytest.approx(100.0)


def test_only_opds_really_behind_the_pro_rated_plan_raise_an_alert(city, cache_at):
    on_curve = [Sample("serapan_keuangan", o, DEC_END, v, period="2026-12") for o, v in
                (("bpkad", 91.0), ("disdik", 89.9))]
    behind = [Sample("serapan_keuangan", "dlh", DEC_END, 70.0, period="2026-12")]
    cache_at.write_samples("sipd", on_curve + behind, known_at=CLOCK)
    out = evaluate_alerts(city, cache_at, [], now=CLOCK + 60)
    fired = {a.key for a in out.fired if a.rule == "serapan-di-bawah-kurva"}
    assert fired == {"serapan-di-bawah-kurva|serapan_keuangan|dlh"}
    (dlh,) = [a for a in out.fired if a.opd == "dlh" and a.rule == "serapan-di-bawah-kurva"]
    assert "target 92,0%" in dlh.message and "100" not in dlh.message


def test_scores_use_the_same_judging(city, cache_at):
    cache_at.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", DEC_END, 91.0, period="2026-12")], known_at=CLOCK)
    board = evaluate(city, cache_at, as_of=CLOCK + 60)
    (k,) = [k for k in board.get("bpkad").breakdown if k.metric == "serapan_keuangan"]
    assert k.target == pytest.approx(expected_december_target(), abs=1e-3)
    assert k.as_of == int(CLOCK)


def test_three_marks_met_near_and_below_lines(city):
    # pengaduan tepat waktu: target 90, warning under 90% achievement, critical under 75% (relative)
    met = kpi_status(city, "pengaduan_tepat_waktu", 90.0, month_end(2025, 6), opd="bpkad")
    near = kpi_status(city, "pengaduan_tepat_waktu", 89.6, month_end(2025, 6), opd="bpkad")
    warn = kpi_status(city, "pengaduan_tepat_waktu", 70.0, month_end(2025, 6), opd="bpkad")
    assert (met.status, near.status, warn.status) == ("ok", "near", "warning")  # 70/90 = 77.8% >= 70


def test_a_future_period_or_moment_is_refused():
    with pytest.raises(ValueError, match="in the future"):
        refuse_future(CLOCK + 86400, None, "Asia/Jakarta", "WIB", now=CLOCK)
    from commandcenter.scoring.periods import parse
    with pytest.raises(ValueError, match="has not begun"):
        refuse_future(None, parse("2027-06", "Asia/Jakarta"), "Asia/Jakarta", now=CLOCK)
    refuse_future(CLOCK - 1, parse("2026-12", "Asia/Jakarta"), "Asia/Jakarta", now=CLOCK)  # the running month is fine


def test_a_value_stamped_mid_month_with_no_period_is_judged_at_that_day(city):
    """A source with no period stamps its value at the fetch time: that day's plan, not December's end."""
    res = kpi_status(city, "serapan_keuangan", 90.5, int(CLOCK), opd="bpkad", as_of=CLOCK)
    assert res.target == pytest.approx(expected_december_target(), abs=1e-6)
