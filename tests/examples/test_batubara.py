"""Kabupaten Batu Bara (config/examples/batubara), collected end to end on a fixed clock: a CKAN
portal and a BPS web API served on 127.0.0.1 and a drop folder of LRA spreadsheets and a cp1252
CSV, all generated here; the values and rejection reasons that land in a real SQLite cache."""

from __future__ import annotations

import io
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commandcenter.cache import Cache
from commandcenter.cli import main, status_report
from commandcenter.collector.core import Collector
from commandcenter.config import load_config
from commandcenter.sources.parsing import period_end
from tests.examples import batubara_fixtures as fx
from tests.sources.conftest import TestServer as PortalServer

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "config" / "examples" / "batubara"
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 8, 5, 10, 0, tzinfo=WIB).timestamp()  # the collector's fixed clock
KEY = "kunci-uji"
ENV = {"BPS_API_KEY": KEY}


def month_end(year: int, month: int) -> int:
    return period_end(year, month, month, WIB)


@pytest.fixture
def portal():
    s = PortalServer()
    s.json("/api/3/action/package_show", fx.ckan_package())
    s.json("/api/3/action/datastore_search", fx.ckan_search(fx.ckan_records()))
    s.json(fx.bps_path(KEY), fx.bps_document())
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


@pytest.fixture
def city(tmp_path, portal, monkeypatch):
    """The profile as written, pointed at the local portal, with a drop folder under data_dir."""
    monkeypatch.setenv("BPS_API_KEY", KEY)
    cfg_dir = tmp_path / "config"
    shutil.copytree(PROFILE, cfg_dir)
    sources = cfg_dir / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace("https://satudata.batubarakab.go.id", portal.url)
    text = text.replace("https://webapi.bps.go.id/v1/api", portal.url + "/bps/v1/api")
    sources.write_text(text, encoding="utf-8")
    data = tmp_path / "data"
    (cfg_dir / "city.yaml").write_text((cfg_dir / "city.yaml").read_text(encoding="utf-8")
                                       + f"  data_dir: {data}\n", encoding="utf-8")
    fx.write_lra(data / "drop" / "bpkad", "2025-06")
    fx.write_lra(data / "drop" / "bpkad", "2025-07")
    fx.write_bpbd_csv(data / "drop" / "bpbd")
    return cfg_dir, data


@pytest.fixture
def collected(city, tmp_path):
    cfg_dir, _ = city
    cfg = load_config(cfg_dir)
    cache = Cache.open(f"sqlite:///{tmp_path / 'cache.sqlite'}", city=cfg.city.code)
    runs = {r.run.source: r for r in Collector(cfg, cache, environ=ENV, clock=lambda: NOW).run_all()}
    yield cfg, cache, runs
    cache.close()


def test_the_profile_validates_as_written(monkeypatch):
    from commandcenter import fmt

    monkeypatch.setenv("BPS_API_KEY", "x")
    assert main(["validate", str(PROFILE)]) == 0
    cfg = load_config(PROFILE)
    assert (cfg.city.code, cfg.city.timezone, len(cfg.opds), cfg.wall.columns, cfg.wall.rows) == (
        "1219", "Asia/Jakarta", 6, 3, 2)
    units = {m.id: m.unit for m in cfg.metrics}
    assert fmt.value_with_unit(1846, units["pengaduan_masuk"]) == "1.846 aduan"  # a free unit label
    assert fmt.value_with_unit(26, units["waktu_respon_bencana"]) == "26 menit"


def test_lra_months_only_in_the_file_name_land_as_two_periods(collected):
    _, cache, runs = collected
    run = runs["bpkad-lra"].run
    # the signature block and the source note end the table: nothing rejected, the run is ok
    assert (run.status, run.rejected, run.rows) == ("ok", 0, 2 * 7 * 2), run.message
    s = cache.series("serapan_keuangan", "dinkes")
    assert s.ts == [month_end(2025, 6), month_end(2025, 7)]  # June and July, not the import time
    assert s.values == pytest.approx([48.0, 56.0])
    (latest,) = cache.latest("serapan_keuangan", opds=["dinkes"])
    assert (latest.period, latest.ts) == ("2025-07", month_end(2025, 7))
    assert (latest.period_kind, latest.running, latest.described_at) == ("month", False, month_end(2025, 7))
    # each month judged at its own point of the curve {3: 20, 6: 50, 9: 75, 12: 100}: June 50%, July ~58%
    from commandcenter.scoring.targets import due_at

    metric = collected[0].metric_by_id["serapan_keuangan"]
    as_of = s.as_of or s.ts
    due = [due_at(metric, "dinkes", ts, "Asia/Jakarta", a) for ts, a in zip(s.ts, as_of)]
    assert due == pytest.approx([50.0, 58.333], abs=0.01)
    # the TOTAL row is the regency's value; July's BPKAD figure was typed as "26.550.000.000"
    budget, real = fx.lra_total("2025-06")
    city_wide = cache.series("serapan_keuangan", "")
    assert city_wide.ts == [month_end(2025, 6), month_end(2025, 7)]
    assert city_wide.values[0] == pytest.approx(100 * real / budget)
    assert cache.series("realisasi_belanja", "bpkad").values == pytest.approx([22.95e9, 26.55e9])
    assert cache.series("realisasi_belanja", "").values == pytest.approx([fx.lra_total(m)[1] for m in fx.LRA])


def test_ckan_month_names_year_column_text_numbers_and_city_sum(collected):
    _, cache, runs = collected
    june, july = month_end(2025, 6), month_end(2025, 7)
    masuk = {v.opd: (v.period, v.value) for v in cache.latest("pengaduan_masuk")}
    assert masuk["dinkes"] == ("2025-07", 1102.0)
    s = cache.series("pengaduan_masuk", "dinkes")
    assert dict(zip(s.ts, s.values)) == {month_end(2025, 5): 987.0, june: 1069.0, july: 1102.0}  # not 1.069
    total = cache.series("pengaduan_masuk", "")
    # July's sum would miss BPBD (its row was rejected): withheld, so the regency tile keeps June
    assert dict(zip(total.ts, total.values)) == {month_end(2025, 5): 1717.0, june: 1846.0}
    # BPBD's July row had "belum lapor": the whole row is rejected, its "12 selesai" too
    assert july not in cache.series("pengaduan_selesai", "bpbd").ts
    assert cache.series("pengaduan_selesai", "bpbd").values == [50.0, 45.0]
    # `records: "[?Tahun == '2025']"` kept December 2024 out
    assert month_end(2024, 12) not in s.ts
    run = runs["satudata-pengaduan"]
    assert run.run.status == "partial"
    assert list(run.rejected) == [
        "record 11: duplicate of record 10 (OPD disdik, 2025-06: pengaduan_masuk, pengaduan_selesai); "
        "the later line is kept",
        "record 19: row rejected: pengaduan_masuk (Jumlah Aduan): expected a number, got 'belum lapor'",
        "city-wide pengaduan_masuk (sum) for 2025-07 not computed: an OPD's value was rejected",
        "city-wide pengaduan_selesai (sum) for 2025-07 not computed: an OPD's value was rejected",
    ]


def test_bps_population_and_cp1252_csv_with_month_names(collected):
    _, cache, runs = collected
    pop = cache.series("jumlah_penduduk", "")
    assert pop.values == [417_215.0, 423_456.0]
    by_kecamatan = {v.dim: v.value for v in cache.latest("jumlah_penduduk", opds=[""])}
    assert by_kecamatan == {"": 423_456.0, "Sei Balai": round(423_456 * 0.08), "Tanjung Tiram": round(423_456 * 0.16),
                            "Talawi": round(423_456 * 0.12)}
    assert runs["bps-penduduk"].run.status == "ok"
    respon = cache.series("waktu_respon_bencana", "bpbd")
    assert respon.ts == [month_end(2025, m) for m in range(1, 7)]
    assert respon.values == [35.0, 28.0, 41.0, 33.0, 38.0, 26.0]
    assert cache.series("kejadian_bencana", "bpbd").values == [4.0, 2.0, 6.0, 3.0, 5.0, 2.0]  # July's row void
    assert list(runs["bpbd-respon"].rejected) == [fx.BPBD_REJECTED]


def test_status_lists_every_rejection_reason(collected):
    cfg, cache, runs = collected
    report = {s["source"]: s for s in status_report(cfg, cache, now=NOW)["sources"]}
    assert list(report["satudata-pengaduan"]["rejected"]) == list(runs["satudata-pengaduan"].rejected)
    assert list(report["bpbd-respon"]["rejected"]) == list(runs["bpbd-respon"].rejected)
    assert list(report["bpkad-lra"]["rejected"]) == []


def test_reimport_forgets_fingerprints_and_keeps_versions(collected, city, tmp_path, monkeypatch):
    cfg, cache, _ = collected
    before = cache.count_samples()
    assert cache.get_checkpoint("bpkad-lra", "sha256:" + "0" * 64) is None
    out = io.StringIO()
    monkeypatch.setenv("BPS_API_KEY", KEY)
    monkeypatch.setattr("sys.stdout", out)
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    assert main(["collect", "--config", str(city[0]), "--db", db, "--source", "bpkad-lra"]) == 0
    assert "no new files" in out.getvalue()  # fingerprints remembered: nothing is read again
    assert main(["collect", "--config", str(city[0]), "--db", db, "--source", "bpkad-lra", "--reimport"]) == 0
    text = out.getvalue()
    assert "bpkad-lra: forgot 2 watermark(s)/file fingerprint(s)" in text
    assert "2 new file(s)" in text
    assert cache.count_samples() == before  # the same values again: no new rows, versions kept
    assert [e.action for e in cache.audit_log(action="reimport")] == ["reimport"]
    assert main(["collect", "--config", str(city[0]), "--db", db, "--reimport"]) == 2  # which source?
    assert main(["collect", "--config", str(city[0]), "--db", db, "--source", "lra", "--reimport"]) == 2


def test_more_than_three_reasons_are_all_listed_by_collect_and_status(city, tmp_path, monkeypatch):
    cfg_dir, data = city
    lines = ["Bulan;Tahun;Jumlah Kejadian;Rata-rata Waktu Respon (menit)"]
    lines += [f"{m};2024;1;belum lapor" for m in ("Juli", "Agustus", "September", "Oktober", "November", "Desember")]
    (data / "drop" / "bpbd" / "Rekap_2024.csv").write_bytes("\r\n".join(lines).encode("cp1252"))
    monkeypatch.setenv("BPS_API_KEY", KEY)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    assert main(["collect", "--config", str(cfg_dir), "--db", db, "--source", "bpbd-respon"]) == 0
    assert main(["status", "--config", str(cfg_dir), "--db", db]) == 0
    text = out.getvalue()
    reasons = [f"Rekap_2024.csv row {n}: row rejected: waktu_respon_bencana (Rata-rata Waktu Respon (menit)): "
               f"expected a number, got 'belum lapor'" for n in range(2, 8)]
    reasons.append(fx.BPBD_REJECTED)
    for reason in reasons:
        assert f"    rejected: {reason}" in text  # collect's summary
        assert f"      - {reason}" in text  # status
    assert "7 rejected in the last run:" in text


def test_retention_keeps_periodic_kpis_and_thins_instant_readings(collected):
    from commandcenter.cache import Sample
    from commandcenter.collector.maintenance import maintain

    cfg, cache, _ = collected
    old = month_end(2025, 6) - 86400
    cache.write_samples("simrs", [Sample("antrean_igd", "dinkes", old + h * 3600, 5.0) for h in range(3)], known_at=NOW)
    later = NOW + 3 * 365 * 86400  # three years on, with retention_raw: 400d
    maintain(cfg, cache, now=later)
    assert cache.series("serapan_keuangan", "dinkes").ts == [month_end(2025, 6), month_end(2025, 7)]
    assert len(cache.series("jumlah_penduduk", "").ts) == 2
    with cache.engine.connect() as conn:
        from sqlalchemy import text

        left = conn.execute(text("SELECT COUNT(*) FROM samples WHERE metric = 'antrean_igd'")).scalar()
    assert left == 0  # the instant readings went; their newest value stays on the wall
    assert [v.value for v in cache.latest("antrean_igd")] == [5.0]


def test_validate_names_period_mistakes_with_file_and_line(tmp_path, monkeypatch, capsys):
    cfg_dir = tmp_path / "config"
    shutil.copytree(PROFILE, cfg_dir)
    sources = cfg_dir / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    text = text.replace("          year_field: Tahun\n          decimal", "          year_field: Tahun\n          ts_field: Tanggal\n"
                        "          decimal", 1)
    text = text.replace('period_file: "LRA_OPD_{yyyy}-{mm}*.xlsx"', 'period_file: "LRA_OPD_{bulan}*.xlsx"')
    text = text.replace("          month_field: Bulan\n          year_field: Tahun\n          reject_row",
                        "          month_field: Bulan\n          reject_row")
    sources.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    at = {key: next(i for i, line in enumerate(lines, 1) if key in line) for key in ("records:", "period_file:")}
    second = next(i for i, line in enumerate(lines, 1) if line.strip() == "- opd: bpbd")
    monkeypatch.setenv("BPS_API_KEY", KEY)
    assert main(["validate", str(cfg_dir)]) == 2
    out = capsys.readouterr().out
    assert f"sources.yaml:{at['records:']}:11: sources[0].options.samples[0]: give one source of the period, " \
           "not ts_field and month_field" in out
    assert f"sources.yaml:{at['period_file:']}:11: sources[2].options.samples[0].period_file: unknown placeholder " \
           "{bulan}" in out
    assert f"sources.yaml:{second}:11: sources[3].options.samples[0]: month_field needs exactly one of year_field " \
           "or year" in out
