"""Scene read models: each panel's "data as of" is the time of its own data, not of its neighbours'."""

from __future__ import annotations

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
