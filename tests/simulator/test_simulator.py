"""The simulator: deterministic plausible data, HTTP feeds, fault modes by API and control endpoint."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import date

import pytest

from commandcenter.config import load_config
from commandcenter.simulator import FAULTS, Simulator
from commandcenter.simulator.data import CityData
from commandcenter.simulator.service import parse_faults
from tests.simulator.helpers import demo_copy


@pytest.fixture
def cfg(tmp_path):
    return load_config(demo_copy(tmp_path / "cfg", tmp_path / "data"))


def get(url, data=None):
    req = urllib.request.Request(url, data=json.dumps(data).encode() if data is not None else None,
                                 headers={"Content-Type": "application/json", "Authorization": "Bearer test-token"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status, resp.read()


def test_deterministic_per_date_and_seed(cfg):
    a = CityData(cfg, date(2026, 6, 30), seed=1)
    assert a.realisasi_rows() == CityData(cfg, date(2026, 6, 30), seed=1).realisasi_rows()
    assert a.complaints() == CityData(cfg, date(2026, 6, 30), seed=1).complaints()
    assert a.realisasi_rows() != CityData(cfg, date(2026, 6, 30), seed=2).realisasi_rows()
    assert a.complaints() != CityData(cfg, date(2026, 7, 1), seed=1).complaints()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_realistic_ranges_mid_year(cfg, seed):
    d = CityData(cfg, date(2026, 6, 30), seed=seed)
    june = [r for r in d.realisasi_rows() if r["bulan"] == "2026-06"]
    assert {r["kode_opd"] for r in june} == {o.code for o in cfg.opds if o.code != "bappeda"}  # reorganised
    serapan = [r["persen_keuangan"] for r in june]
    assert all(0 < s < 60 for s in serapan)
    assert any(s < 30 for s in serapan)  # some OPDs lag, as the ministry keeps saying
    city = d.realisasi_city()
    assert 25 < city["persen_keuangan"] < 45 and 0.9e12 < city["pagu"] < 1.8e12
    assert all(r["persen_fisik"] >= 0 and r["deviasi"] < 20 for r in june)
    pad = d.pad()
    assert {r["jenis"] for r in pad["rincian"]} >= {"Pajak Hotel", "Pajak Restoran", "PBB-P2", "BPHTB", "Pajak Reklame"}
    assert 35 < pad["total"]["persen"] < 65
    duk = d.dukcapil()["data"]
    assert 97 <= duk["ektp"]["persen"] <= 99.5 and 30 < duk["kia"]["persen"] < 70
    rsud = d.rsud()
    assert 50 <= rsud["bor"] <= 95 and 5 <= rsud["alos"] <= 9 and 1 <= rsud["toi"] <= 3
    lapor = d.complaints()
    assert all(r["tindak_lanjut_5hk"] <= r["diterima"] for r in lapor["data"])
    assert sum(r["melewati_batas"] > 0 for r in lapor["data"]) >= 5  # a backlog, also early in a month


def test_year_end_curve_is_higher(cfg):
    june = CityData(cfg, date(2026, 6, 30)).realisasi_city()["persen_keuangan"]
    nov = CityData(cfg, date(2026, 11, 24)).realisasi_city()["persen_keuangan"]
    assert 65 < nov < 92 and nov > june + 25


def test_feeds_faults_and_control_endpoint(cfg, tmp_path):
    sim = Simulator(cfg, port=0, today=date(2026, 6, 30), faults={"rsud-indikator": "http500"})
    port = sim.start()
    try:
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + "/rsud/indikator")
        assert err.value.code == 500
        status, raw = get(base + "/_control/fault", {"feed": "rsud-indikator", "mode": "ok"})
        assert json.loads(raw)["faults"] == {}
        assert json.loads(get(base + "/rsud/indikator")[1])["bor"] == sim.data().bor_on(date(2026, 6, 30))
        get(base + "/_control/fault", {"feed": "rsud-indikator", "mode": "html"})
        assert get(base + "/rsud/indikator")[1].startswith(b"<!DOCTYPE html>")
        get(base + "/_control/fault", {"feed": "rsud-indikator", "mode": "empty"})
        assert get(base + "/rsud/indikator")[1] == b""
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + "/_control/fault", {"feed": "rsud-indikator", "mode": "meteor"})
        assert err.value.code == 400
        with pytest.raises(urllib.error.HTTPError) as err:
            get(base + "/_control/fault", {"feed": "nope", "mode": "slow"})
        assert err.value.code == 404
        assert set(json.loads(get(base + "/_control/status")[1])["feeds"]) == set(sim.feed_names())
    finally:
        sim.stop()


def test_default_port_and_paths_come_from_the_config(cfg, tmp_path):
    sim = Simulator(cfg)
    assert sim.port == 8765
    assert sim.drop_dir == tmp_path / "data" / "simulator" / "drops"
    assert sim.db_path == tmp_path / "data" / "simulator" / "keuangan.sqlite"


def test_file_and_database_faults(cfg, tmp_path):
    import sqlite3

    sim = Simulator(cfg, port=0, today=date(2026, 6, 30))
    sim.start()
    try:
        sim.set_fault("dpmptsp-izin", "wrong_types")
        assert any(p.name.endswith("_wrong_types.csv") for p in sim.drop_dir.iterdir())
        sim.set_fault("simda-belanja", "malformed")
        with sqlite3.connect(sim.db_path) as conn:
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='realisasi_belanja_opd'").fetchone() == (0,)
        sim.set_fault("simda-belanja", None)
        with sqlite3.connect(sim.db_path) as conn:
            assert conn.execute("SELECT count(*) FROM realisasi_belanja_opd").fetchone()[0] > 100
    finally:
        sim.stop()


def test_parse_faults():
    assert parse_faults(["sipd-realisasi=http500", "bps-penduduk = not_available"]) == {
        "sipd-realisasi": "http500", "bps-penduduk": "not_available"}
    with pytest.raises(ValueError):
        parse_faults(["sipd-realisasi"])
    assert {"slow", "http500", "malformed", "html", "truncated", "wrong_types", "empty"} <= set(FAULTS)


def test_stop_is_quick_even_with_a_slow_request_in_flight(cfg):
    import threading
    import time

    sim = Simulator(cfg, port=0, faults={"dukcapil-capaian": "slow"}, slow_seconds=30)
    port = sim.start()
    t = threading.Thread(target=lambda: pytest.raises(Exception, get, f"http://127.0.0.1:{port}/dukcapil/capaian"),
                         daemon=True)
    t.start()
    time.sleep(0.3)
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 3


def test_simulate_command_serves_until_sigterm(tmp_path):
    import os
    import re
    import signal
    import subprocess
    import sys

    cfg_dir = demo_copy(tmp_path / "cli", tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "commandcenter.cli", "simulate", "--config", str(cfg_dir),
                             "--port", "0", "--fault", "bpkad-pad=http500"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        first = proc.stdout.readline()
        port = int(re.search(r"127\.0\.0\.1:(\d+)", first).group(1))
        banner = "".join(proc.stdout.readline() for _ in range(6))
        assert "bpkad-pad" in banner and "[fault: http500]" in banner
        status = json.loads(get(f"http://127.0.0.1:{port}/_control/status")[1])
        assert status["faults"] == {"bpkad-pad": "http500"}
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_simulate_stops_cleanly_when_told_right_after_its_banner(tmp_path):
    """A supervisor that stops the simulator as soon as it has said it serves gets a clean stop
    (exit 0), never the default SIGTERM kill: the handler is in place before the banner. Three
    tries, because a handler installed after the banner loses this race only some of the time."""
    import os
    import signal
    import subprocess
    import sys

    cfg_dir = demo_copy(tmp_path / "cli", tmp_path / "data")
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "commandcenter.cli", "simulate", "--config", str(cfg_dir),
                                 "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ))
        try:
            assert "127.0.0.1:" in proc.stdout.readline()
        finally:
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err[-2000:]


def test_applications_healthy_faulty_and_tls(tmp_path):
    """The demo's applications: healthy, slow (lag), maintenance page, a TLS one from the
    simulator's CA expiring in 10 days; faults switch like the feeds'."""
    import shutil

    from commandcenter.checks.base import CheckContext
    from commandcenter.collector.apps import check_app
    from tests.simulator.helpers import start_sim_env

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    env = start_sim_env(tmp_path)
    try:
        file = env.cfg.extra["apps"]
        apps = {a.id: a for a in file.apps}
        ctx = CheckContext(config_root=env.config_dir, data_dir=env.data_dir)
        assert len(apps) >= 30 and env.sim.tls_port
        assert check_app(file, apps["srikandi"], ctx).up
        assert not check_app(file, apps["ppdb"], ctx).up  # 200 with a maintenance page: keyword fails
        lpse = check_app(file, apps["lpse"], ctx)
        assert lpse.up and 9.0 < lpse.cert_days <= 10.0
        env.sim.set_fault("app:srikandi", "down")
        assert check_app(file, apps["srikandi"], ctx).reason == 503
        status, body = get(f"{env.sim.url}/_control/fault", {"feed": "app:srikandi", "mode": "ok"})
        assert status == 200 and json.loads(body)["app_faults"] == {}
        assert check_app(file, apps["srikandi"], ctx).up
        with pytest.raises(ValueError, match="unknown application fault"):
            env.sim.set_fault("app:srikandi", "explode")
    finally:
        env.sim.stop()
