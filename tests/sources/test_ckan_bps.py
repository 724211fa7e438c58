"""ckan and bps connectors against the simulator's CKAN- and BPS-shaped endpoints."""

from __future__ import annotations

import pytest

from commandcenter.sources import registry
from commandcenter.sources.base import SourceError
from tests.simulator.helpers import start_sim_env


@pytest.fixture
def env(tmp_path):
    e = start_sim_env(tmp_path)
    yield e
    e.sim.stop()


def test_ckan_follows_links_parses_text_numbers_and_checks_freshness(env, make_ctx):
    opts = env.cfg.source_by_id["satudata-puskesmas"].options
    result = registry.get("ckan")().fetch(make_ctx("ckan", opts))
    expected = env.sim.data().puskesmas()
    assert len(expected) == 70 and opts["limit"] == 25  # three pages
    got = {(s.opd, s.period): s.value for s in result.samples}
    assert len(got) == 70 and not result.rejected
    first = expected[0]
    assert got[("kec-binjai-kota" if first["kecamatan"] == "Binjai Kota" else
                {"Binjai Selatan": "kec-binjai-selatan", "Binjai Utara": "kec-binjai-utara",
                 "Binjai Timur": "kec-binjai-timur", "Binjai Barat": "kec-binjai-barat"}[first["kecamatan"]],
                first["tanggal"])] == float(first["jumlah_kunjungan"])
    modified = result.checkpoints["metadata_modified"]
    again = registry.get("ckan")().fetch(make_ctx("ckan", opts, checkpoints={"metadata_modified": modified}))
    assert again.nodata and not again.samples and "unchanged" in again.message


def test_ckan_unknown_resource_is_a_clear_failure(env, make_ctx):
    opts = {**env.cfg.source_by_id["satudata-puskesmas"].options, "resource_id": "nope", "package_id": None}
    with pytest.raises(SourceError, match="HTTP 404"):
        registry.get("ckan")().fetch(make_ctx("ckan", opts))


def test_bps_datacontent_keys_and_not_available(env, make_ctx):
    opts = env.cfg.source_by_id["bps-penduduk"].options
    result = registry.get("bps")().fetch(make_ctx("bps", opts))
    data = env.sim.data()
    pop = data.population(2025)
    got = {(s.opd, s.period): s.value for s in result.samples}
    assert got[("kec-binjai-utara", "2025")] == pop["1275040"]
    assert got[("", "2025")] == pop["1275"] == sum(v for k, v in pop.items() if k != "1275")
    assert len(result.samples) == 6 * 4 and not result.rejected  # 5 kecamatan + city, 4 years
    env.sim.set_fault("bps-penduduk", "not_available")
    nothing = registry.get("bps")().fetch(make_ctx("bps", opts))
    assert nothing.nodata and not nothing.samples


def test_bps_unmapped_vervar_is_rejected_with_reason(env, make_ctx):
    opts = dict(env.cfg.source_by_id["bps-penduduk"].options)
    opts["vervar_map"] = {k: v for k, v in opts["vervar_map"].items() if k != "1275050"}
    result = registry.get("bps")().fetch(make_ctx("bps", opts))
    assert result.rejected == ["vervar 1275050 (Binjai Barat) is not in vervar_map"]
