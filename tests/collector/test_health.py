"""Source health from real run records in a real cache, each source judged by its own rhythm."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from commandcenter.cache import RunRecord
from commandcenter.collector.health import source_health
from commandcenter.collector.timing import rhythm
from commandcenter.config import load_config
from tests.simulator.helpers import demo_copy

NOW = 1_790_000_000.0


def run(source, status, at, rows=10, message=""):
    return RunRecord(source=source, started_at=at - 1, finished_at=at, status=status, rows=rows, message=message)


def test_states_by_rhythm(tmp_path, cache):
    cfg = load_config(demo_copy(tmp_path / "cfg", tmp_path / "data"))
    rsud = 300.0  # every 5m
    cache.record_run(run("rsud-indikator", "ok", NOW - 1.2 * rsud))
    cache.record_run(run("lapor-pengaduan", "ok", NOW - 2 * 600))  # every 10m: late
    cache.record_run(run("sipd-realisasi", "ok", NOW - 4 * 900))  # every 15m: stale
    cache.record_run(run("bpkad-pad", "ok", NOW - 100))
    cache.record_run(run("bpkad-pad", "failed", NOW - 50, rows=0, message="HTTP 500 Internal Server Error"))
    cache.record_run(run("bpkad-pad", "failed", NOW - 10, rows=0, message="timeout after 15 s"))
    # a monthly drop: folder scans find nothing (nodata) but the last file came 20 days ago -> ok
    cache.record_run(run("dpmptsp-izin", "ok", NOW - 20 * 86400))
    cache.record_run(run("dpmptsp-izin", "nodata", NOW - 60, rows=0))
    # ... and 50 days ago it is late even though every scan succeeds
    cache.record_run(run("spm-capaian", "ok", NOW - 600 * 86400))
    cache.record_run(run("spm-capaian", "nodata", NOW - 60, rows=0))
    health = {h.source: h for h in source_health(cfg, cache, now=NOW)}
    assert health["rsud-indikator"].state == "ok"
    assert health["lapor-pengaduan"].state == "late"
    assert health["sipd-realisasi"].state == "stale"
    assert health["bpkad-pad"].state == "failing"
    assert health["bpkad-pad"].failures == 2 and health["bpkad-pad"].last_error == "timeout after 15 s"
    assert health["bpkad-pad"].last_success == NOW - 100
    assert health["dpmptsp-izin"].state == "ok" and health["dpmptsp-izin"].last_success == NOW - 20 * 86400
    assert health["spm-capaian"].state == "stale"
    assert health["bps-penduduk"].state == "never-run" and health["bps-penduduk"].last_run is None
    assert len(health) == len(cfg.sources)


def test_cron_rhythm_is_the_longest_usual_gap(tmp_path):
    cfg = load_config(demo_copy(tmp_path / "cfg", tmp_path / "data"))
    tz = ZoneInfo("Asia/Jakarta")
    assert rhythm(cfg.source_by_id["satudata-puskesmas"], tz) == 86400  # daily 06:30
    assert rhythm(cfg.source_by_id["bps-penduduk"], tz) == 7 * 86400  # Mondays
    assert rhythm(cfg.source_by_id["dpmptsp-izin"], tz) == 31 * 86400  # expect_every wins
