"""files connector on real CSV (cp1252, ';', Indonesian numbers) and XLSX (title block, merged cells)."""

from __future__ import annotations

from datetime import date

import pytest

from commandcenter.config import load_config
from commandcenter.simulator import drops
from commandcenter.simulator.data import CityData
from commandcenter.sources import registry

FILES = registry.get("files")


@pytest.fixture
def data(tmp_path):
    from tests.simulator.helpers import demo_copy

    return CityData(load_config(demo_copy(tmp_path / "cfg", tmp_path / "data")), date(2026, 6, 30), seed=0)


def csv_opts(folder):
    return {"folder": str(folder), "pattern": "izin_*.csv",
            "samples": [{"opd": "dpmptsp", "ts_field": "Tanggal", "values": {"izin_tepat_waktu": "Persentase Tepat Waktu"}}]}


def test_cp1252_semicolon_csv_with_indonesian_numbers(tmp_path, make_ctx, data):
    path = drops.write_permits_csv(data, tmp_path)
    assert b"\x96" in path.read_bytes()  # the en dash in cp1252: not UTF-8
    result = FILES().fetch(make_ctx("files", csv_opts(tmp_path)))
    expected = {f"{r['tanggal']:%Y-%m-%d}": r["persen"] for r in data.permits()}
    assert {s.period: s.value for s in result.samples} == expected  # totals row skipped
    assert not result.rejected and len(result.checkpoints) == 1


def test_each_file_imported_once_by_content_hash(tmp_path, make_ctx, data):
    drops.write_permits_csv(data, tmp_path)
    first = FILES().fetch(make_ctx("files", csv_opts(tmp_path)))
    again = FILES().fetch(make_ctx("files", csv_opts(tmp_path), checkpoints=first.checkpoints))
    assert again.nodata and not again.samples


def test_bad_rows_are_reported_with_file_and_row(tmp_path, make_ctx):
    (tmp_path / "izin_bad.csv").write_bytes(
        "Tanggal,Persentase Tepat Waktu\n31/01/2026,\"95,5%\"\n28/02/2026,belum\n31/13/2026,90\n".encode("utf-8"))
    result = FILES().fetch(make_ctx("files", csv_opts(tmp_path)))
    assert [(s.period, s.value) for s in result.samples] == [("2026-01-31", 95.5)]
    assert result.rejected == [
        "izin_bad.csv row 3: izin_tepat_waktu (Persentase Tepat Waktu): expected a number, got 'belum'",
        "izin_bad.csv row 4: '31/13/2026' is not a date or period",
    ]


def test_xlsx_with_title_block_merged_cells_percent_cells_and_totals(tmp_path, make_ctx, data):
    drops.write_spm_xlsx(data, tmp_path)
    opts = {"folder": str(tmp_path), "pattern": "spm_*.xlsx",
            "samples": [{"opd_field": "Kode OPD", "ts_field": "Tanggal Laporan", "values": {"spm_capaian": "Capaian (%)"}}]}
    result = FILES().fetch(make_ctx("files", opts))
    assert {s.opd: round(s.value, 2) for s in result.samples} == {r["kode_opd"]: round(r["capaian"] * 100, 2)
                                                                  for r in data.spm()}
    assert not result.rejected and {s.period for s in result.samples} == {"2026-06-30"}


def test_unreadable_file_is_rejected_not_fatal(tmp_path, make_ctx, data):
    (tmp_path / "spm_rusak.xlsx").write_bytes(b"this is not a zip")
    drops.write_spm_xlsx(data, tmp_path)
    opts = {"folder": str(tmp_path), "pattern": "spm_*.xlsx",
            "samples": [{"opd_field": "Kode OPD", "values": {"spm_capaian": "Capaian (%)"}}]}
    result = FILES().fetch(make_ctx("files", opts))
    assert len(result.samples) == 6
    assert result.rejected == ["spm_rusak.xlsx: not a readable XLSX file (BadZipFile)"]


def test_folder_in_data_dir(tmp_path, make_ctx, data):
    drops.write_permits_csv(data, tmp_path / "data" / "drops")
    opts = {**csv_opts("x"), "folder": "{data_dir}/drops"}
    assert FILES().fetch(make_ctx("files", opts)).samples
