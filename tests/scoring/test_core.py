"""The pure core on the hand-computed three-OPD, two-quarter data set (see conftest)."""

from __future__ import annotations

import random
import time

import pytest

from commandcenter.config.schema import Opd
from commandcenter.scoring import Point, assess, periods, score_opds
from tests.scoring.conftest import KPIS, Q1, Q1_END, Q2, Q2_END

TZ = "Asia/Jakarta"


def values_for(*quarters: tuple[dict, int]) -> dict[tuple[str, str], Point]:
    """Latest value per (metric, opd) over the given quarters (later quarters overwrite)."""
    out = {}
    for rows, ts in quarters:
        for opd, vals in rows.items():
            for metric, v in zip(KPIS, vals):
                if v is not None:
                    out[(metric, opd)] = Point(ts, float(v))
    return out


@pytest.fixture
def q2_board(metric_defs, opd_defs):
    q1 = score_opds(metric_defs, opd_defs, values_for((Q1, Q1_END)), periods.parse("2025-Q1", TZ))
    return score_opds(metric_defs, opd_defs, values_for((Q1, Q1_END), (Q2, Q2_END)),
                      periods.parse("2025-Q2", TZ), previous_ranks=q1.ranks())


def test_q1_scores_and_ranking(metric_defs, opd_defs):
    board = score_opds(metric_defs, opd_defs, values_for((Q1, Q1_END)), periods.parse("2025-Q1", TZ))
    assert [(o.opd, o.rank) for o in board.opds] == [("rsud", 1), ("bpkad", 2), ("disdik", 3), ("dlh", None)]
    scores = {o.opd: o.score for o in board.opds}
    assert scores["rsud"] == pytest.approx(98.0)
    assert scores["bpkad"] == pytest.approx(95.0)
    assert scores["disdik"] == pytest.approx(92.5)
    assert scores["dlh"] is None
    assert all(o.rank_change is None for o in board.opds)  # no previous period given


def test_q2_scores_rank_changes(q2_board):
    got = [(o.opd, o.rank, o.rank_change) for o in q2_board.opds]
    assert got == [("rsud", 1, 0), ("disdik", 2, 1), ("bpkad", 3, -1), ("dlh", None, None)]
    assert q2_board.period == "2025-Q2" and q2_board.previous_period == "2025-Q1"
    assert q2_board.get("bpkad").score == pytest.approx(553.3333333 / 8)
    assert q2_board.get("disdik").score == pytest.approx(88.75)
    assert q2_board.get("rsud").score == pytest.approx(928.9473684 / 10)


def test_breakdown_names_what_pulled_bpkad_down(q2_board):
    bpkad = q2_board.get("bpkad")
    lost = [(k.metric, round(k.lost_points, 4)) for k in bpkad.breakdown]
    assert lost == [("serapan_keuangan", 15.0), ("deviasi_fisik_keuangan", 8.3333),
                    ("pengaduan_tepat_waktu", 5.0), ("realisasi_fisik", 2.5)]
    assert sum(k.lost_points for k in bpkad.breakdown) == pytest.approx(100 - bpkad.score)
    serapan = bpkad.breakdown[0]
    assert (serapan.value, serapan.target, serapan.achievement, serapan.status) == (30.0, 50.0, 60.0, "critical")
    deviasi = bpkad.breakdown[1]
    assert deviasi.achievement == pytest.approx(100 * 5 / 15)  # lower is better: target / value
    assert deviasi.status == "critical"  # absolute: 15 > critical line 10
    assert [k.metric for k in bpkad.pulled_down_by()] == [k.metric for k in bpkad.breakdown]


def test_band_kpi_and_applies_to(q2_board):
    rsud = {k.metric: k for k in q2_board.get("rsud").breakdown}
    assert rsud["bor"].achievement == pytest.approx(100 * 85 / 95)  # above the band
    assert rsud["bor"].status == "warning" and rsud["bor"].band == (60.0, 85.0)
    # BOR applies to the RSUD only
    assert "bor" not in {k.metric for k in q2_board.get("bpkad").breakdown}
    # the RSUD sent no complaint figure in Q2: Q1's value is stale but still counts
    assert rsud["pengaduan_tepat_waktu"].status == "stale"
    assert rsud["pengaduan_tepat_waktu"].achievement == pytest.approx(90.0)


def test_no_data_kpis_do_not_count(metric_defs, opd_defs):
    vals = {("serapan_keuangan", "dlh"): Point(Q2_END, 40.0)}  # dlh reports one KPI only
    board = score_opds(metric_defs, opd_defs, vals, periods.parse("2025-Q2", TZ))
    dlh = board.get("dlh")
    assert dlh.score == pytest.approx(80.0) and dlh.rank == 1
    statuses = {k.metric: k.status for k in dlh.breakdown}
    # 40 of 50 due: achievement 80, between critical 70 and warning 90
    assert statuses == {"serapan_keuangan": "warning", "realisasi_fisik": "no-data",
                        "pengaduan_tepat_waktu": "no-data", "deviasi_fisik_keuangan": "no-data"}
    assert dlh.breakdown[0].achievement == 80.0
    assert dlh.breakdown[0].lost_points == pytest.approx(20.0)  # the only counted KPI


def test_city_wide_values_are_not_an_opd(metric_defs, opd_defs):
    vals = values_for((Q2, Q2_END))
    vals[("serapan_keuangan", "")] = Point(Q2_END, 1.0)
    board = score_opds(metric_defs, opd_defs, vals, periods.parse("2025-Q2", TZ))
    assert "" not in {o.opd for o in board.opds}


def test_values_after_the_period_and_last_year_are_ignored(metric_defs, opd_defs):
    p = periods.parse("2025-Q2", TZ)
    july = periods.parse("2025-07", TZ).end
    last_year = periods.parse("2024-12", TZ).end
    vals = {("serapan_keuangan", "bpkad"): Point(july, 60.0), ("realisasi_fisik", "bpkad"): Point(last_year, 99.0)}
    bpkad = score_opds(metric_defs, opd_defs, vals, p).get("bpkad")
    assert bpkad.score is None
    assert {k.status for k in bpkad.breakdown} == {"no-data"}


def test_cumulative_target_follows_the_value_date(metric_defs):
    serapan = next(m for m in metric_defs if m.id == "serapan_keuangan")
    may_end = periods.parse("2025-05", TZ).end
    r = assess(serapan, "bpkad", Point(may_end, 40.0), TZ)
    assert r.target == pytest.approx(25 + 25 * 2 / 3)  # May: two thirds from 25 (Mar) to 50 (Jun)
    # written as the last day at 00:00 instead of the next midnight: still May's target
    r2 = assess(serapan, "bpkad", Point(may_end - 86400, 40.0), TZ)
    assert r2.target == pytest.approx(r.target)


def test_hysteresis_uses_previous_status(metric_defs, opd_defs):
    p = periods.parse("2025-Q2", TZ)
    vals = {("pengaduan_tepat_waktu", "bpkad"): Point(Q2_END, 81.45)}  # achievement 90.5: just over 90
    fresh = score_opds(metric_defs, opd_defs, vals, p).get("bpkad").breakdown
    held = score_opds(metric_defs, opd_defs, vals, p,
                      previous_status={("pengaduan_tepat_waktu", "bpkad"): "warning"}).get("bpkad").breakdown
    assert next(k for k in fresh if k.metric == "pengaduan_tepat_waktu").status == "near"  # under 90, in tolerance
    assert next(k for k in held if k.metric == "pengaduan_tepat_waktu").status == "warning"


def test_ties_keep_config_order(metric_defs, opd_defs):
    vals = {(m, o): Point(Q2_END, 50.0) for m in ("serapan_keuangan",) for o in ("bpkad", "disdik", "rsud", "dlh")}
    board = score_opds(metric_defs, opd_defs, vals, periods.parse("2025-Q2", TZ))
    assert [(o.opd, o.rank) for o in board.opds] == [("bpkad", 1), ("disdik", 2), ("rsud", 3), ("dlh", 4)]


def test_successor_opd_inherits_previous_rank(metric_defs):
    opds = [Opd(code="bappeda", short="Bappeda", name="Bappeda lama", kind="badan"),
            Opd(code="bapperida", short="Bapperida", name="Bapperida baru", kind="badan", replaces="bappeda")]
    vals = {("serapan_keuangan", "bapperida"): Point(Q2_END, 50.0)}
    board = score_opds(metric_defs, opds, vals, periods.parse("2025-Q2", TZ), previous_ranks={"bappeda": 2})
    assert board.get("bapperida").rank_change == 1


def test_forty_opds_twenty_kpis_well_under_50ms(metric_defs):
    scored = [m for m in metric_defs if m.scored and m.id != "bor"]
    kpis = [scored[i % len(scored)].model_copy(update={"id": f"k{i}"}) for i in range(20)]
    opds = [Opd(code=f"opd{i}", short=f"OPD {i}", name=f"Dinas {i}") for i in range(40)]
    rng = random.Random(7)
    vals = {(k.id, o.code): Point(Q2_END - rng.randrange(3) * 86400, rng.uniform(0, 120)) for k in kpis for o in opds}
    p = periods.parse("2025-06", TZ)
    score_opds(kpis, opds, vals, p)  # warm caches
    best = min(_timed(lambda: score_opds(kpis, opds, vals, p)) for _ in range(5))
    assert best < 0.05, f"{best * 1000:.1f} ms"


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t
