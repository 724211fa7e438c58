"""`commandcenter collect --once` against the running simulator, and its exit codes."""

from __future__ import annotations

import io
from argparse import Namespace

from commandcenter.cache import Cache
from commandcenter.cli import main
from commandcenter.collector.health import source_health
from commandcenter.collector.service import run_collect


def test_collect_once_fills_the_cache_for_every_demo_source(sim_env, tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'collect.sqlite'}"
    out = io.StringIO()
    code = run_collect(Namespace(config=str(sim_env.config_dir), db=db, once=True), out=out)
    assert code == 0
    text = out.getvalue()
    assert "10 sources polled, 0 failed" in text
    cache = Cache.open(db, city="1275")
    health = source_health(sim_env.cfg, cache)
    assert {h.source for h in health} == {s.id for s in sim_env.cfg.sources}
    assert {h.source: h.state for h in health} == {h.source: "ok" for h in health}
    assert all(h.rows > 0 and h.last_status == "ok" for h in health)
    # every metric in metrics.yaml has a value now
    for metric in sim_env.cfg.metrics:
        assert cache.latest(metric.id), metric.id
    # city-wide values exist for the panels without an OPD
    for metric in ("serapan_keuangan", "realisasi_fisik", "pad_capaian", "pengaduan_tepat_waktu",
                   "pagu_anggaran", "realisasi_belanja", "deviasi_fisik_keuangan"):
        assert cache.latest(metric, opds=[""]), metric
    kec = {v.opd for v in cache.latest("kunjungan_puskesmas")}
    assert kec == {o.code for o in sim_env.cfg.opds if o.kind == "kecamatan"}


def test_cli_collect_once_and_status_json(sim_env, tmp_path, capsys):
    import json

    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert main(["collect", "--config", str(sim_env.config_dir), "--db", db, "--once"]) == 0
    capsys.readouterr()
    assert main(["status", "--config", str(sim_env.config_dir), "--db", db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [s["state"] for s in report["sources"]] == ["ok"] * 10


def test_collect_once_exits_1_when_a_source_failed(sim_env, tmp_path):
    sim_env.sim.set_fault("sipd-realisasi", "html")  # a permanent fault: no retry wait
    out = io.StringIO()
    db = f"sqlite:///{tmp_path / 'down.sqlite'}"
    cfg_dir = str(sim_env.config_dir)
    assert run_collect(Namespace(config=cfg_dir, db=db, once=True), out=out) == 1
    assert "10 sources polled, 1 failed" in out.getvalue()  # the summary comes first
    assert "not JSON: got an HTML page" in out.getvalue()


def test_collect_once_exits_3_when_every_source_failed(sim_env, tmp_path, capsys):
    import shutil

    sim_env.sim.stop()  # every HTTP source: connection refused
    shutil.rmtree(sim_env.data_dir)  # the SQL database and the drop folder are gone too
    db = f"sqlite:///{tmp_path / 'none.sqlite'}"
    assert main(["collect", "--config", str(sim_env.config_dir), "--db", db, "--once"]) == 3
    assert "10 sources polled, 10 failed" in capsys.readouterr().out


def test_bad_config_exits_2_with_the_error_lines(tmp_path, capsys):
    from tests.simulator.helpers import demo_copy

    cfg_dir = demo_copy(tmp_path / "config", tmp_path / "data")
    sources = cfg_dir / "sources.yaml"
    sources.write_text(sources.read_text().replace("SELECT kode_opd, tanggal", "DELETE FROM x; SELECT kode_opd, tanggal"))
    code = run_collect(Namespace(config=str(cfg_dir), db=f"sqlite:///{tmp_path / 'x.sqlite'}", once=True))
    assert code == 2
    err = capsys.readouterr().err
    line = next(i for i, text in enumerate(sources.read_text().splitlines(), 1) if "query:" in text)
    assert f"sources.yaml:{line}:7: sources[1].options.query: only one statement is allowed" in err


def test_collect_takes_refresh_commands_from_the_bus(sim_env, tmp_path):
    """The bus is read when its watcher sees a new command (not on every tick): a console's
    "refresh" still reaches the collector within a poll or two; one for an unknown source is refused."""
    import threading
    import time

    from commandcenter.collector import Collector
    from commandcenter.collector.service import _take_refreshes
    from commandcenter.control import CommandBus

    cache = Cache.open(f"sqlite:///{tmp_path / 'bus.sqlite'}", city=sim_env.cfg.city_key)
    stop = threading.Event()
    taker = threading.Thread(target=_take_refreshes, args=(Collector(sim_env.cfg, cache), stop), daemon=True)
    taker.start()
    try:
        time.sleep(0.5)  # the watcher has read the newest command id
        bus = CommandBus(cache, actor="test")
        done = bus.wait_done(bus.send("refresh", wall="collector", source="rsud-indikator"), timeout=10)
        assert done is not None and done.result == "ok"
        deadline = time.monotonic() + 10
        while not cache.runs("rsud-indikator") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.runs("rsud-indikator")[0].status == "ok"
        refused = bus.wait_done(bus.send("refresh", wall="collector", source="no-such-source"), timeout=10)
        assert refused is not None and refused.result.startswith("refused: refresh")
    finally:
        stop.set()
        taker.join(10)
        cache.close()


def test_start_up_objects_are_frozen_once_every_source_has_run(sim_env, tmp_path):
    import gc

    from commandcenter.cache.records import RunRecord
    from commandcenter.collector import Collector, RunFinished
    from commandcenter.collector.service import _StartupSettled

    cache = Cache.open(f"sqlite:///{tmp_path / 'gc.sqlite'}", city=sim_env.cfg.city_key)
    collector = Collector(sim_env.cfg, cache)
    settled = _StartupSettled(collector)
    ids = [s.id for s in collector.sources]
    gc.unfreeze()  # a wall started earlier in this test session may have frozen its own objects
    assert gc.get_freeze_count() == 0
    try:
        for sid in ids[:-1]:
            collector._emit(RunFinished(run=RunRecord(sid, 0.0, 1.0, "ok")))
        settled.check()
        assert gc.get_freeze_count() == 0  # a source has not answered yet
        collector._emit(RunFinished(run=RunRecord(ids[-1], 0.0, 1.0, "failed")))
        settled.check()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        cache.close()
