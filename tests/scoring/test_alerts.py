"""Alert rules against a real SQLite cache: fire, acknowledge, stay single, resolve."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from commandcenter.cache.records import Sample
from commandcenter.config import ConfigError, load_config
from commandcenter.scoring import evaluate_alerts
from commandcenter.scoring.alerts import chained_statuses
from tests.scoring.conftest import ALERTS, Q2_END, local_ts, write_city

NOW = Q2_END + 6 * 86400  # after the Q2 figures arrived


@dataclass(frozen=True)
class Health:
    """What collector.health.source_health() reports per source (only .source and .state are read)."""

    source: str
    state: str


def test_first_pass_fires_behind_curve_deviation_and_failing_source(city, filled_cache):
    out = evaluate_alerts(city, filled_cache, [Health("simda", "failing"), Health("ckan", "ok")], now=NOW)
    fired = {a.key: a for a in out.fired}
    assert set(fired) == {"serapan-di-bawah-kurva|serapan_keuangan|bpkad", "deviasi|bpkad", "sumber-gagal|simda"}
    below = fired["serapan-di-bawah-kurva|serapan_keuangan|bpkad"]
    assert (below.severity, below.opd, below.value, below.state) == ("warning", "bpkad", 30.0, "firing")
    assert below.message == "Serapan anggaran BPKAD di bawah target: 30,0% (target 50,0%)"
    dev = fired["deviasi|bpkad"]
    assert dev.value == pytest.approx(15.0) and "15,0 poin" in dev.message
    assert fired["sumber-gagal|simda"].severity == "critical"
    assert fired["sumber-gagal|simda"].fired_at == NOW
    # stored in the cache
    assert {a.key for a in filled_cache.alerts()} == set(fired)


def test_lifecycle_ack_no_duplicates_then_resolve(city, filled_cache):
    health = [Health("simda", "failing")]
    first = evaluate_alerts(city, filled_cache, health, now=NOW)
    src = next(a for a in first.fired if a.rule == "sumber-gagal")
    assert filled_cache.ack_alert(src.id, by="operator-pagi", now=NOW + 60)

    again = evaluate_alerts(city, filled_cache, health, now=NOW + 600)
    assert again.fired == [] and again.resolved == []
    open_now = {a.key: a for a in filled_cache.alerts()}
    assert len(open_now) == 3
    assert open_now["sumber-gagal|simda"].state == "acknowledged"
    assert open_now["sumber-gagal|simda"].acked_by == "operator-pagi"

    # July: BPKAD catches up (55 of 58.3 due), physical 58; the source recovers
    jul = local_ts(2025, 8, 1)
    filled_cache.write_samples("simda", [Sample("serapan_keuangan", "bpkad", jul, 55.0, period="2025-07"),
                                         Sample("realisasi_fisik", "bpkad", jul, 58.0, period="2025-07")],
                               known_at=jul + 86400)
    later = jul + 2 * 86400
    cleared = evaluate_alerts(city, filled_cache, [Health("simda", "ok")], now=later)
    assert sorted(cleared.resolved) == sorted(open_now)
    assert filled_cache.alerts() == []
    resolved = filled_cache.alerts(states=("resolved",))
    assert {a.key for a in resolved} == set(open_now)
    assert all(a.resolved_at == later for a in resolved)


def test_behind_curve_clears_only_past_the_hysteresis(city, filled_cache):
    evaluate_alerts(city, filled_cache, [], now=NOW)
    key = "serapan-di-bawah-kurva|serapan_keuangan|bpkad"
    jul = local_ts(2025, 8, 1)  # due by end of July: 58.33
    filled_cache.write_samples("simda", [Sample("serapan_keuangan", "bpkad", jul, 48.9, period="2025-07")],
                               known_at=jul)
    held = evaluate_alerts(city, filled_cache, [], now=jul + 60)  # 9.43 behind: under margin 10, over 9
    assert key not in held.resolved and key in {a.key for a in filled_cache.alerts()}
    aug = local_ts(2025, 9, 1)  # due by end of August: 66.67
    filled_cache.write_samples("simda", [Sample("serapan_keuangan", "bpkad", aug, 58.0, period="2025-08")],
                               known_at=aug)
    out = evaluate_alerts(city, filled_cache, [], now=aug + 60)  # 8.67 behind: clears
    assert key in out.resolved


def test_threshold_fires_after_n_consecutive_breaches(city, filled_cache):
    key = "serapan-kritis|serapan_keuangan|bpkad"
    out = evaluate_alerts(city, filled_cache, [], now=NOW)
    assert key not in {a.key for a in out.fired}  # Q1 ok, Q2 critical: one breach of two needed
    aug = local_ts(2025, 9, 1)
    filled_cache.write_samples("simda", [Sample("serapan_keuangan", "bpkad", aug, 35.0, period="2025-08")],
                               known_at=aug)
    out = evaluate_alerts(city, filled_cache, [], now=aug + 60)
    alert = next(a for a in out.fired if a.key == key)
    assert alert.severity == "critical" and alert.rule == "serapan-kritis"
    assert alert.message == "Serapan anggaran BPKAD kritis: 35,0%"


def test_chained_statuses_apply_hysteresis_value_to_value(city):
    metric = city.metric_by_id["serapan_keuangan"]  # warning below 90% of the curve, hysteresis 1
    ts = local_ts(2025, 7, 1)  # due 50
    points = [(ts, 46.0), (ts, 44.9), (ts, 45.2), (ts, 45.6)]  # 92, 89.8, 90.4, 91.2 %
    # below the 50% due but inside the tolerance: "near" (not "met"), never flapping at the line
    assert chained_statuses(metric, "bpkad", points, city.city.timezone) == ["near", "warning", "warning", "near"]


def test_without_alerts_yaml_failing_sources_still_alert(tmp_path, filled_cache):
    cfg = write_city(tmp_path / "noalerts")
    (cfg / "alerts.yaml").unlink()
    city = load_config(cfg)
    out = evaluate_alerts(city, filled_cache, [Health("simda", "stale")], now=NOW)
    assert [a.key for a in out.fired] == ["sumber-bermasalah|simda"]
    assert out.fired[0].message == "Sumber simda: data kedaluwarsa"


def test_alert_rules_are_cross_checked(tmp_path):
    bad = ALERTS + "  - {id: typo, kind: threshold, metric: serapan, opds: [bpkda]}\n"
    with pytest.raises(ConfigError) as exc:
        load_config(write_city(tmp_path / "bad", {"alerts": bad}))
    text = str(exc.value)
    assert "alerts.yaml:7:" in text
    assert "unknown metric 'serapan'; did you mean 'serapan_keuangan'?" in text
    assert "unknown OPD or OPD kind 'bpkda'; did you mean 'bpkad'?" in text
