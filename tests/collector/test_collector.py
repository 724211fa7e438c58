"""The collector's runs: screening samples, secrets kept out of run messages, scheduling, events."""

from __future__ import annotations

import threading
import time

import pytest

from commandcenter.cache import Cache
from commandcenter.collector import Collector, RunFinished, RunStarted


@pytest.fixture
def cache_for(tmp_path):
    caches = []

    def make(cfg):
        c = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city=cfg.city_key)
        caches.append(c)
        return c

    yield make
    for c in caches:
        c.close()


def patch_source(cfg, source_id, **options):
    src = cfg.source_by_id[source_id]
    new = src.model_copy(update={"options": {**src.options, **options}})
    cfg.sources = [new if s.id == source_id else s for s in cfg.sources]
    cfg.__dict__.pop("source_by_id", None)
    return new


def test_unknown_metric_and_opd_are_rejected_with_reasons(sim_env, cache_for):
    cfg = sim_env.cfg
    patch_source(cfg, "rsud-indikator", samples=[
        {"records": "[@]", "opd": "rsud", "ts_field": "tanggal", "values": {"bor": "bor", "alos": "alos"}},
        {"records": "[@]", "opd": "rsud-lama", "ts_field": "tanggal", "values": {"toi": "toi"}},
        {"records": "[@]", "opd": "rsud", "ts_field": "tanggal", "values": {"ektp_perekaman": "bor"}},
    ])
    cache = cache_for(cfg)
    event = Collector(cfg, cache).run_source("rsud-indikator")
    assert event.run.status == "partial" and event.run.rows == 2 and event.run.rejected == 2
    assert set(event.rejected) == {"unknown OPD code 'rsud-lama' (metric toi)",
                                   "metric 'ektp_perekaman' is not in this source's metrics list"}
    assert [v.value for v in cache.latest("bor")] == [sim_env.sim.data().bor_on(sim_env.sim.today())]
    assert cache.latest("ektp_perekaman") == []


def test_secrets_never_reach_run_messages(sim_env, cache_for, caplog):
    cfg = sim_env.cfg
    src = patch_source(cfg, "bps-penduduk", key="${BPS_API_KEY}", url=sim_env.sim.url + "/nowhere/${BPS_API_KEY}")
    cache = cache_for(cfg)
    collector = Collector(cfg, cache, environ={"BPS_API_KEY": "kunci-rahasia-123"})
    event = collector.run_source(src.id)
    assert event.run.status == "failed" and "HTTP 404" in event.run.message
    missing = Collector(cfg, cache, environ={}).run_source(src.id)
    assert missing.run.message == "secret missing: environment variable BPS_API_KEY is not set"
    stored = " ".join(r.message for r in cache.runs(src.id))
    assert "kunci-rahasia" not in stored and "kunci-rahasia" not in caplog.text


def test_scheduler_refresh_now_and_events(sim_env, cache_for):
    cfg = sim_env.cfg
    cache = cache_for(cfg)
    collector = Collector(cfg, cache, max_workers=2)
    events: list = []
    done = threading.Event()

    def on_event(e):
        events.append((e, threading.current_thread().name))
        if isinstance(e, RunFinished) and e.source == "rsud-indikator" and len(
                [x for x, _ in events if isinstance(x, RunFinished) and x.source == "rsud-indikator"]) >= 2:
            done.set()

    unsubscribe = collector.subscribe(on_event)
    collector.start(run_now=False)
    try:
        assert set(collector.next_runs()) == {s.id for s in cfg.sources}
        collector.refresh_now("rsud-indikator")
        time.sleep(0.5)
        collector.refresh_now("rsud-indikator")
        assert done.wait(10)
    finally:
        collector.shutdown()
        unsubscribe()
    finished = [e for e, _ in events if isinstance(e, RunFinished)]
    assert all(e.run.status == "ok" and e.metrics == ("alos", "bor", "toi") for e in finished)
    assert any(isinstance(e, RunStarted) for e, _ in events)
    assert all(name != threading.main_thread().name for _, name in events)  # worker threads
    assert len(cache.runs("rsud-indikator")) == len(finished)


def test_one_run_at_a_time_per_source(sim_env, cache_for):
    sim_env.sim.set_fault("rsud-indikator", "slow")
    cfg = sim_env.cfg
    cfg.sources = [s.model_copy(update={"timeout": 0.5, "retries": 0}) for s in cfg.sources]
    cfg.__dict__.pop("source_by_id", None)
    collector = Collector(cfg, cache_for(cfg))
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(collector.run_source("rsud-indikator"))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in results) == 1  # the others found a run in progress


def test_failed_run_keeps_the_earlier_samples(sim_env, cache_for):
    cfg = sim_env.cfg
    cache = cache_for(cfg)
    collector = Collector(cfg, cache, backoff=0.01)
    assert collector.run_source("dukcapil-capaian").run.status == "ok"
    before = cache.latest("ektp_perekaman")
    assert 97 <= before[0].value <= 99.5
    sim_env.sim.set_fault("dukcapil-capaian", "wrong_types")
    failed = collector.run_source("dukcapil-capaian").run
    assert failed.status == "failed" and failed.message.startswith("all 3 records rejected")
    assert cache.latest("ektp_perekaman") == before


def test_refresh_now_during_a_run_gives_one_more_run(sim_env, cache_for):
    sim_env.sim.set_fault("rsud-indikator", "slow")
    cfg = sim_env.cfg
    cfg.sources = [s.model_copy(update={"timeout": 1.0, "retries": 0}) for s in cfg.sources]
    cfg.__dict__.pop("source_by_id", None)
    collector = Collector(cfg, cache_for(cfg))
    started, finished = threading.Event(), []
    both = threading.Event()

    def on_event(e):
        if isinstance(e, RunStarted) and e.source == "rsud-indikator":
            started.set()
        if isinstance(e, RunFinished) and e.source == "rsud-indikator":
            finished.append(e)
            if len(finished) == 2:
                both.set()

    collector.subscribe(on_event)
    worker = threading.Thread(target=collector.run_source, args=("rsud-indikator",))
    worker.start()
    assert started.wait(5)
    collector.refresh_now("rsud-indikator")  # the operator presses refresh while the slow run is busy
    assert both.wait(15), "the refresh asked during the run was dropped"
    worker.join()
    assert len(finished) == 2
