"""End to end: samples in a real SQLite cache -> `commandcenter scores` (JSON and text), evaluate()."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.scoring import evaluate, evaluate_alerts, kpi_status
from commandcenter.scoring.report import run_scores
from commandcenter.cache.records import RunRecord, Sample
from tests.scoring.conftest import Q1_END, Q2_END, local_ts
from tests.scoring.test_alerts import Health

ROOT = Path(__file__).resolve().parents[2]


def _args(city_dir: Path, db: str, **kw) -> argparse.Namespace:
    base = {"config": str(city_dir), "db": db, "period": None, "as_of": None, "json": True}
    return argparse.Namespace(**{**base, **kw})


def _db(cache) -> str:
    return str(cache.engine.url)


def test_scores_json_ranking_from_the_cache(city, city_dir, filled_cache):
    out = io.StringIO()
    assert run_scores(_args(city_dir, _db(filled_cache), period="2025-Q2"), out=out) == 0
    data = json.loads(out.getvalue())
    assert data["period"] == "2025-Q2" and data["previous_period"] == "2025-Q1"
    ranking = [(o["opd"], o["rank"], o["rank_change"], o["score"]) for o in data["opds"]]
    assert ranking == [("rsud", 1, 0, pytest.approx(92.8947, abs=1e-4)), ("disdik", 2, 1, 88.75),
                       ("bpkad", 3, -1, pytest.approx(69.1667, abs=1e-4)), ("dlh", None, None, None)]
    worst = data["opds"][2]["breakdown"][0]
    assert worst == {"metric": "serapan_keuangan", "name": "Serapan anggaran", "value": 30.0, "target": 50.0,
                     "band": None, "achievement": 60.0, "status": "critical", "weight": 3.0, "ts": Q2_END,
                     "as_of": Q2_END, "lost_points": 15.0, "scored": True}

    # the alert from the same data is stored in the same cache file
    evaluate_alerts(city, filled_cache, [Health("simda", "ok")], now=Q2_END + 6 * 86400)
    firing = {a.key: a.state for a in filled_cache.alerts()}
    assert firing["serapan-di-bawah-kurva|serapan_keuangan|bpkad"] == "firing"


def test_as_of_shows_what_was_known_then(city_dir, filled_cache):
    # on 2 July the Q2 figures had not arrived (known 5 days after quarter end): Q1's stale values
    # are measured against the Q2 target (50): rsud 73.0, bpkad 66.25, disdik 65.0
    out = io.StringIO()
    assert run_scores(_args(city_dir, _db(filled_cache), period="2025-Q2", as_of="2025-07-02"), out=out) == 0
    data = json.loads(out.getvalue())
    got = [(o["opd"], o["score"]) for o in data["opds"][:3]]
    assert got == [("rsud", 73.0), ("bpkad", 66.25), ("disdik", 65.0)]
    assert {k["status"] for k in data["opds"][1]["breakdown"]} == {"stale"}


def test_scores_cli_text_in_indonesian_format(city_dir, filled_cache):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "commandcenter", "scores", "--config", str(city_dir),
                           "--db", _db(filled_cache), "--period", "2025-Q2"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Kinerja OPD Kota Binjai — periode Triwulan II 2025 (perubahan peringkat dibanding "
                               "Triwulan I 2025)")
    rows = [ln for ln in lines if ln[:3].strip() in {"1", "2", "3", "–"}]
    assert [r.split()[1] for r in rows] == ["RSUD", "Disdik", "BPKAD", "DLH"]
    assert "92,89" in rows[0] and "=" in rows[0]
    assert "69,17" in rows[2] and "▼1" in rows[2]
    assert any("Serapan anggaran" in ln and "Capaian 60,00%" in ln and "-15,00 poin" in ln and "[kritis]" in ln
               for ln in lines)


def test_bad_period_is_an_input_error(city_dir, filled_cache, capsys):
    assert run_scores(_args(city_dir, _db(filled_cache), period="Juni"), out=io.StringIO()) == 2
    assert "not a period" in capsys.readouterr().err


def test_evaluate_default_period_and_hysteresis_from_previous_board(city, filled_cache):
    as_of = local_ts(2025, 7, 15)
    board = evaluate(city, filled_cache, as_of=as_of)
    assert board.period == "2025-07" and board.as_of == as_of
    # July has no figures yet: June's values are the newest, judged against June's targets
    assert board.get("bpkad").score == pytest.approx(553.3333333 / 8)
    again = evaluate(city, filled_cache, as_of=as_of, previous=board)
    assert [o.opd for o in again.opds] == [o.opd for o in board.opds]


def test_a_correction_to_last_quarter_changes_rank_change(city, filled_cache):
    before = evaluate(city, filled_cache, period="2025-Q2")
    assert before.get("disdik").rank_change == 1
    # Disdik's Q1 absorption corrected from 20 to 25: Q1 score 100, first place in Q1
    # written the way the collector does: samples, then the run record (which moves data_version)
    when = Q2_END + 10 * 86400
    filled_cache.write_samples("simda", [Sample("serapan_keuangan", "disdik", Q1_END, 25.0, period="2025-03")],
                               known_at=when)
    filled_cache.record_run(RunRecord("simda", when, when + 1, "ok", rows=1))
    after = evaluate(city, filled_cache, period="2025-Q2")
    assert after.get("disdik").previous_rank == 1 and after.get("disdik").rank_change == -1


def test_kpi_status_for_one_value(city):
    ts = local_ts(2025, 7, 1)
    r = kpi_status(city, "serapan_keuangan", 44.9, ts, opd="bpkad")
    assert (r.target, r.status) == (50.0, "warning") and r.achievement == pytest.approx(89.8)
    assert kpi_status(city, "serapan_keuangan", 45.2, ts, "bpkad", previous="warning").status == "warning"
    assert kpi_status(city, "serapan_keuangan", 45.2, ts, "bpkad").status == "near"  # 90.4% of due: in tolerance
    assert kpi_status(city, "serapan_keuangan", 50.0, ts, "bpkad").status == "ok"  # met
    assert kpi_status(city, "bor", 72, ts, "rsud").status == "ok"
    assert kpi_status(city, "serapan_keuangan", None, ts).status == "no-data"
    assert kpi_status(city, "serapan_keuangan", 50, ts, now=ts + 60 * 86400).status == "stale"
