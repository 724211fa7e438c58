"""Scene read models: each panel's "data as of" is the time of its own data, not of its neighbours'."""

from __future__ import annotations

import pytest

from commandcenter.cache import Sample
from commandcenter.wall.queries import build_scene

JUNE = 1751302800  # 2025-06-30 17:00 WIB


def test_each_panel_carries_its_own_data_time(demo_config, cache):
    cache.write_samples("simda-belanja", [Sample("serapan_keuangan", o, JUNE, 40.0 + i)
                                          for i, o in enumerate(["bpkad", "dinkes", "rsud"])], known_at=1000.0)
    cache.write_samples("lapor-pengaduan", [Sample("pengaduan_terlambat", "dinkes", JUNE, 4.0)], known_at=5000.0)
    data = build_scene(demo_config, cache, "ringkasan", now=6000.0)
    assert data.panels["serapan-opd"].as_of == 1000.0  # a ranking of serapan: its own data
    assert data.panels["pengaduan"].as_of == 5000.0  # the complaints table: newer data
    assert data.header.newest_data == 5000.0  # the header says how new the newest data are
    # "Serapan Terendah": worst first, each row keeps its rank in the whole ranking; period named
    serapan = data.panels["serapan-opd"]
    assert [(row.value, row.rank) for row in serapan.rows] == [(40.0, 3), (41.0, 2), (42.0, 1)]
    assert serapan.worst_first and serapan.subtitle == "Juni 2025"


def test_an_acknowledged_alert_leaves_the_ticker(demo_config, cache):
    a = cache.fire_alert("threshold|bor|rsud", "bor-kritis", "critical", "BOR RSUD 97%", opd="rsud", now=100.0)
    cache.fire_alert("threshold|x|dinkes", "x", "warning", "Imunisasi rendah", opd="dinkes", now=100.0)
    texts = [i.text for i in build_scene(demo_config, cache, "ringkasan", now=200.0).footer.items]
    assert "BOR RSUD 97%" in texts and "Imunisasi rendah" in texts
    cache.ack_alert(a.id, "sari@meja-1", now=150.0)
    texts = [i.text for i in build_scene(demo_config, cache, "ringkasan", now=200.0).footer.items]
    assert "BOR RSUD 97%" not in texts and "Imunisasi rendah" in texts


def test_a_timeseries_window_and_bucket_from_its_options(demo_config, cache):
    """`window: 24h` puts minute data on a 24-hour axis (not 30 days); `bucket: hour` gives one
    point per hour, the mean of its minutes."""
    import dataclasses

    from commandcenter.config.schema.scenes import Scene

    now = 1751302800.0
    minutes = [Sample("bor", "rsud", int(now) - 60 * k, 70.0 + (k % 60) / 10) for k in range(3 * 24 * 60)]
    cache.write_samples("rsud-indikator", minutes, known_at=now)
    scene = Scene.model_validate({"id": "grafik", "title": "Grafik", "panels": [
        {"id": "bor-24", "type": "timeseries", "cell": [0, 0, 12, 6], "metric": "bor", "opd": "rsud",
         "options": {"window": "24h", "bucket": "hour"}},
        {"id": "bor-raw", "type": "timeseries", "cell": [12, 0, 12, 6], "metric": "bor", "opd": "rsud",
         "options": {"bucket": "raw"}},
        {"id": "bor-auto", "type": "timeseries", "cell": [0, 6, 12, 6], "metric": "bor", "opd": "rsud"}]})
    cfg = dataclasses.replace(demo_config, scenes=[*demo_config.scenes, scene])
    data = build_scene(cfg, cache, "grafik", now=now)
    hourly, raw = data.panels["bor-24"], data.panels["bor-raw"]
    x0, x1 = hourly.x_range
    assert x1 - x0 == 86400
    (line,) = hourly.lines
    assert {b - a for a, b in zip(line.ts, line.ts[1:])} == {3600.0}
    assert line.values[-2] == pytest.approx(70.0 + sum(k / 10 for k in range(60)) / 60)
    assert raw.x_range[1] - raw.x_range[0] == 30 * 86400  # the default for minute data
    assert len(raw.lines[0].ts) == len(minutes)
    # bucket auto on a 30-day window of minute data: hourly means (issue #11 item 8), not 43,200 points
    auto = data.panels["bor-auto"].lines[0]
    assert {b - a for a, b in zip(auto.ts, auto.ts[1:])} == {3600.0} and len(auto.ts) in (72, 73)
