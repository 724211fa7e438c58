"""Each fault mode on one source while the others run: that source fails with the reason, keeps
its last good data in the cache, and every other source keeps ingesting."""

from __future__ import annotations

import pytest

from commandcenter.cache import Cache
from commandcenter.collector import Collector
from commandcenter.collector.health import source_health

FAULT_REASONS = {
    "slow": "timeout after 2 s",
    "http500": "HTTP 500",
    "malformed": "not JSON",
    "html": "HTML page",
    "truncated": "response cut off",
    "wrong_types": "records rejected",
    "empty": "empty response",
}
VICTIM = "rsud-indikator"


@pytest.fixture
def collected(sim_env, tmp_path):
    cache = Cache.open(f"sqlite:///{tmp_path / 'cache.sqlite'}", city=sim_env.cfg.city_key)
    collector = Collector(sim_env.cfg, cache, backoff=0.01)
    first = {r.source: r for r in collector.run_all()}
    assert all(r.run.status == "ok" for r in first.values()), {s: r.run.message for s, r in first.items()}
    yield sim_env, cache, collector
    cache.close()


def test_each_fault_mode_fails_only_its_source(collected):
    env, cache, collector = collected
    bor_before = {(v.opd, v.ts): v.value for v in cache.latest("bor")}
    alos_before = cache.latest("alos")[0].value
    assert bor_before and 55 <= alos_before * 10 <= 90  # ALOS 5.5-9 days
    for mode, reason in FAULT_REASONS.items():
        env.sim.set_fault(VICTIM, mode)
        results = {r.source: r for r in collector.run_all()}
        env.sim.set_fault(VICTIM, "")
        victim = results[VICTIM].run
        assert victim.status == "failed", (mode, victim)
        assert reason in victim.message, (mode, victim.message)
        assert victim.rows == 0
        # the last good values are still what the wall shows
        assert {(v.opd, v.ts): v.value for v in cache.latest("bor")} == bor_before
        assert cache.latest("alos")[0].value == alos_before
        others = {s: r.run.status for s, r in results.items() if s != VICTIM}
        assert set(others.values()) <= {"ok", "nodata"}, (mode, others)
        assert others["sipd-realisasi"] == "ok" and others["lapor-pengaduan"] == "ok"
    health = {h.source: h for h in source_health(env.cfg, cache)}
    assert health[VICTIM].state == "failing"
    assert health[VICTIM].failures == len(FAULT_REASONS)
    assert "empty response" in health[VICTIM].last_error  # the last mode tried
    assert health["sipd-realisasi"].state == "ok"


def test_transient_faults_are_retried_permanent_ones_not(collected):
    env, cache, collector = collected
    attempts = {}
    for mode in ("http500", "html"):
        env.sim.set_fault(VICTIM, mode)
        attempts[mode] = collector.run_source(VICTIM).run.attempts
    env.sim.set_fault(VICTIM, None)
    assert attempts == {"http500": 2, "html": 1}  # retries: 1 in the test config
    assert collector.run_source(VICTIM).run.status == "ok"  # recovers once the fault clears
