"""Where a value's period comes from, per sample mapping (issue 11 item 2), on real files and a
real HTTP portal with a fixed clock: a field or expression, a month-name column + a year column,
the file name, a title-block cell, or the period running at fetch time. Also the mapping's row
rules: reject a whole row, report duplicates, city-wide sum/mean/TOTAL row, footers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from commandcenter.sources import registry
from commandcenter.sources.parsing import ParseError, parse_month, period_end
from tests.examples import batubara_fixtures as fx

WIB = ZoneInfo("Asia/Jakarta")
FILES, CKAN = registry.get("files"), registry.get("ckan")
NAMES = {v: k for k, v in fx.OPD_NAMES.items()}


def month_end(year: int, month: int) -> int:
    return period_end(year, month, month, WIB)


def lra_opts(folder, **mapping):
    return {"folder": str(folder), "pattern": "*.xlsx", "footer": "(Sumber|Lima Puluh,).*",
            "samples": [{"opd_field": "Perangkat Daerah", "opd_map": NAMES,
                         "values": {"serapan_keuangan": "Realisasi (%)"}, **mapping}]}


def by_period(samples, opd="dinkes"):
    return {s.period: (s.ts, round(s.value, 2)) for s in samples if s.opd == opd}


def test_period_from_the_file_name(tmp_path, make_ctx):
    fx.write_lra(tmp_path, "2025-06")
    fx.write_lra(tmp_path, "2025-07", name="LRA_OPD_2025-07_revisi.xlsx")
    result = FILES().fetch(make_ctx("files", lra_opts(tmp_path, period_file="LRA_OPD_{yyyy}-{mm}*.xlsx")))
    assert by_period(result.samples) == {"2025-06": (month_end(2025, 6), 48.0), "2025-07": (month_end(2025, 7), 56.0)}
    assert not result.rejected


def test_a_file_name_outside_the_pattern_is_rejected_by_name(tmp_path, make_ctx):
    fx.write_lra(tmp_path, "2025-06", name="LRA terbaru.xlsx")
    result = FILES().fetch(make_ctx("files", lra_opts(tmp_path, period_file="LRA_OPD_{yyyy}-{mm}*.xlsx")))
    assert not result.samples
    assert result.rejected == ["LRA terbaru.xlsx: file name does not match period_file 'LRA_OPD_{yyyy}-{mm}*.xlsx'"]


def test_period_from_a_title_block_cell(tmp_path, make_ctx):
    from openpyxl import load_workbook

    path = fx.write_lra(tmp_path, "2025-06", name="lra.xlsx")
    wb = load_workbook(path)
    wb.active["A2"] = "LAPORAN REALISASI ANGGARAN PEMERINTAH KABUPATEN BATU BARA BULAN  JUNI 2025"
    wb.save(path)
    result = FILES().fetch(make_ctx("files", lra_opts(tmp_path, period_title="BULAN {month} {yyyy}")))
    assert by_period(result.samples) == {"2025-06": (month_end(2025, 6), 48.0)}


def test_no_title_cell_matching_is_a_reason(tmp_path, make_ctx):
    fx.write_lra(tmp_path, "2025-06", name="lra.xlsx")  # its title says only "TAHUN ANGGARAN 2025"
    result = FILES().fetch(make_ctx("files", lra_opts(tmp_path, period_title="BULAN {month} {yyyy}")))
    assert result.rejected == ["lra.xlsx: no title cell above the header matches period_title 'BULAN {month} {yyyy}'"]


@pytest.mark.parametrize("text,month", [("Juni", 6), ("JUNI", 6), ("Jun", 6), ("June", 6), ("06", 6), (6, 6),
                                        (6.0, 6), ("Agt", 8), ("Agustus", 8), ("Des.", 12), ("12 - Desember", 12),
                                        ("Juni 2025", 6), ("Mei (revisi)", 5)])
def test_month_names_and_numbers(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize("text", ["Juny", "13", "", None, 0])
def test_not_months(text):
    with pytest.raises(ParseError):
        parse_month(text)


def ckan_opts(url, **mapping):
    return {"url": url, "resource_id": fx.CKAN_RESOURCE,
            "samples": [{"opd_field": "Perangkat Daerah", "opd_map": NAMES, "decimal": ",",
                         "values": {"pengaduan_masuk": "Jumlah Aduan"}, **mapping}]}


def serve(server, records):
    server.json("/api/3/action/datastore_search", fx.ckan_search(records))


def test_month_name_column_plus_year_column_from_ckan(server, make_ctx):
    records = [{"Bulan": b, "Tahun": t, "Perangkat Daerah": "Dinas Kesehatan", "Jumlah Aduan": v}
               for b, t, v in [("Juni", "2025", "1.069"), ("Jul", 2025, "1.102"), ("August", "2025", "998"),
                               ("Desember", "2024", "900")]]
    serve(server, records)
    result = CKAN().fetch(make_ctx("ckan", ckan_opts(server.url, month_field="Bulan", year_field="Tahun")))
    assert by_period(result.samples) == {"2024-12": (month_end(2024, 12), 900.0), "2025-06": (month_end(2025, 6), 1069.0),
                                         "2025-07": (month_end(2025, 7), 1102.0), "2025-08": (month_end(2025, 8), 998.0)}


def test_ts_field_is_a_field_or_an_expression_in_every_connector(server, make_ctx, tmp_path):
    records = [{"Tahun": "2025", "Bulan": "06", "Perangkat Daerah": "Dinas Kesehatan", "Jumlah Aduan": "5"}]
    serve(server, records)
    expr = "join('-', [Tahun, Bulan])"
    ckan = CKAN().fetch(make_ctx("ckan", ckan_opts(server.url, ts_field=expr)))
    (tmp_path / "aduan.csv").write_text("Tahun;Bulan;Perangkat Daerah;Jumlah Aduan\n2025;06;Dinas Kesehatan;5\n")
    files = FILES().fetch(make_ctx("files", {"folder": str(tmp_path), "pattern": "*.csv",
                                             "samples": ckan_opts("http://x", ts_field=expr)["samples"]}))
    assert [(s.period, s.value) for s in ckan.samples] == [(s.period, s.value) for s in files.samples] == [("2025-06", 5.0)]


def test_current_period_at_fetch_time(server, make_ctx):
    serve(server, [{"Perangkat Daerah": "Dinas Kesehatan", "Jumlah Aduan": "7"}])
    ctx = make_ctx("ckan", ckan_opts(server.url, period="current_month"))
    ctx.now = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()  # 2 December 2026, 03:40 WIB
    (s,) = CKAN().fetch(ctx).samples
    assert (s.period, s.ts) == ("2026-12", month_end(2026, 12))  # the running month, "s.d. 2 Des"
    ctx.options = CKAN.Options.model_validate(ckan_opts(server.url, period="current_quarter"))
    assert [x.period for x in CKAN().fetch(ctx).samples] == ["2026-Q4"]


def test_records_is_honoured_under_ckan(server, make_ctx):
    from commandcenter.sources.base import SourceError

    serve(server, fx.ckan_records())
    opts = ckan_opts(server.url, month_field="Bulan", year_field="Tahun", records="[?Tahun == '2024']")
    result = CKAN().fetch(make_ctx("ckan", opts))
    assert [(s.opd, s.period, s.value) for s in result.samples] == [("dinkes", "2024-12", 900.0)]
    with pytest.raises(SourceError, match="mapping matched nothing: no records at 'hasil'"):
        CKAN().fetch(make_ctx("ckan", {**opts, "samples": [{**opts["samples"][0], "records": "hasil"}]}))


def test_reject_row_voids_the_whole_row_and_default_keeps_the_good_cells(server, make_ctx):
    serve(server, [{"Bulan": "Juli", "Tahun": "2025", "Perangkat Daerah": "Badan Penanggulangan Bencana Daerah",
                    "Jumlah Aduan": "belum lapor", "Aduan Selesai": "12"}])
    both = {"pengaduan_masuk": "Jumlah Aduan", "pengaduan_selesai": "Aduan Selesai"}
    opts = ckan_opts(server.url, month_field="Bulan", year_field="Tahun", values=both)
    kept = CKAN().fetch(make_ctx("ckan", opts))
    assert [(s.metric, s.value) for s in kept.samples] == [("pengaduan_selesai", 12.0)]
    voided = CKAN().fetch(make_ctx("ckan", {**opts, "samples": [{**opts["samples"][0], "reject_row": True}]}))
    assert voided.samples == []
    assert voided.rejected == ["record 1: row rejected: pengaduan_masuk (Jumlah Aduan): expected a number, "
                               "got 'belum lapor'"]


def test_city_wide_mean_of_the_opds(server, make_ctx):
    serve(server, [r for r in fx.ckan_records() if r["Bulan"] == "Mei"])
    opts = ckan_opts(server.url, month_field="Bulan", year_field="Tahun", city_wide="mean")
    (city,) = [s for s in CKAN().fetch(make_ctx("ckan", opts)).samples if s.opd == ""]
    assert (city.period, city.value) == ("2025-05", pytest.approx(1717 / 6))


def test_footer_ends_the_table_so_a_signature_block_is_not_rejected(tmp_path, make_ctx):
    fx.write_lra(tmp_path, "2025-06")
    opts = lra_opts(tmp_path, period_file="LRA_OPD_{yyyy}-{mm}*.xlsx")
    opts["samples"][0]["values"]["realisasi_belanja"] = "Realisasi (Rp)"  # the column the signature sits in
    with_footer = FILES().fetch(make_ctx("files", opts))
    assert not with_footer.rejected and len(with_footer.samples) == 12
    del opts["footer"]
    without = FILES().fetch(make_ctx("files", opts))
    assert len(without.samples) == 12
    # the source note (column A, unmapped) and empty rows are skipped anyway; the signature lines
    # in a mapped column are not OPD rows, and without `footer` they are rejected one by one
    assert without.rejected == [f"LRA_OPD_2025-06.xlsx row {n}: no OPD in 'Perangkat Daerah' (None)" for n in (16, 17, 19, 20)]


@pytest.mark.parametrize("mapping,message", [
    ({"ts_field": "tgl", "month_field": "Bulan", "year": 2025}, "give one source of the period, not ts_field and month_field"),
    ({"month_field": "Bulan"}, "month_field needs exactly one of year_field or year"),
    ({"year_field": "Tahun"}, "year_field / year are read with month_field"),
    ({"period": "bulan ini"}, "'bulan ini' is not a period"),
    ({"period_file": "LRA_{mm}.xlsx"}, "a period pattern needs {yyyy}"),
])
def test_period_mistakes_are_caught_by_validate(mapping, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("{", r"\{").replace("}", r"\}")):
        FILES.Options.model_validate({"folder": "x", "samples": [{"values": {"a": "b"}, **mapping}]})


def test_a_file_period_key_under_ckan_is_rejected():
    with pytest.raises(ValidationError, match="period_file"):
        CKAN.Options.model_validate({"url": "http://x", "resource_id": "r",
                                     "samples": [{"values": {"a": "b"}, "period_file": "a_{yyyy}.csv"}]})


def test_as_of_is_the_reported_time_never_after_the_fetch(server, make_ctx):
    server.json("/api/3/action/package_show", fx.ckan_package("2025-08-01T07:15:00.000000"))
    serve(server, [{"Bulan": "Juli", "Tahun": "2025", "Perangkat Daerah": "Dinas Kesehatan", "Jumlah Aduan": "3",
                    "diperbarui": "2025-07-31 16:00"},
                   {"Bulan": "Juli", "Tahun": "2025", "Perangkat Daerah": "Dinas Pendidikan", "Jumlah Aduan": "4",
                    "diperbarui": ""}])
    opts = {**ckan_opts(server.url, month_field="Bulan", year_field="Tahun"), "package_id": fx.CKAN_PACKAGE}
    ctx = make_ctx("ckan", opts)
    ctx.now = datetime(2025, 8, 5, 10, 0, tzinfo=WIB).timestamp()
    modified = datetime(2025, 8, 1, 7, 15, tzinfo=ZoneInfo("UTC")).timestamp()
    assert {s.opd: s.as_of for s in CKAN().fetch(ctx).samples} == {"dinkes": modified, "disdik": modified}
    opts["samples"][0]["as_of_field"] = "diperbarui"
    ctx.options = CKAN.Options.model_validate(opts)
    by_opd = {s.opd: s.as_of for s in CKAN().fetch(ctx).samples}
    assert by_opd == {"dinkes": datetime(2025, 7, 31, 16, 0, tzinfo=WIB).timestamp(), "disdik": modified}
    ctx.now = modified - 3600  # a portal clock ahead of ours: never later than the fetch
    by_opd = {s.opd: s.as_of for s in CKAN().fetch(ctx).samples}
    assert by_opd["disdik"] == ctx.now and by_opd["dinkes"] < ctx.now


def test_a_running_month_lands_in_the_cache_as_running_per_the_fetch(server, make_ctx, tmp_path):
    from commandcenter.cache import Cache

    serve(server, [{"Perangkat Daerah": "Dinas Kesehatan", "Jumlah Aduan": "7"}])
    ctx = make_ctx("ckan", ckan_opts(server.url, period="current_month"))
    ctx.now = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()
    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city="1219")
    try:
        cache.write_samples("satudata", CKAN().fetch(ctx).samples, known_at=ctx.now)
        (v,) = cache.latest("pengaduan_masuk")
        assert (v.period, v.period_kind, v.ts) == ("2026-12", "month", month_end(2026, 12))
        assert v.running and v.described_at == int(ctx.now)  # "s.d. 2 Des 2026 03.40", not 31 Des
    finally:
        cache.close()
