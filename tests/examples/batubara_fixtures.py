"""Fixtures of our own making for the Batu Bara profile: what its departments really send.

- Satu Data (CKAN): monthly complaints per OPD, numbers as text with thousand dots ("1.069"), the
  month as a name ("Juni") and the year in its own column, a 2024 row, a duplicate line and a
  "belum lapor" cell.
- BPS web API: the regency's population (vervar 1219) beside kecamatan rows.
- BPKAD's LRA spreadsheets: the month only in the file name; title block, merged cells, percent
  cells, one number typed as text, a TOTAL row and a signature block.
- BPBD's recap saved from Excel on Windows: cp1252, ';', month names + year column, a Rata-rata row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

OPD_NAMES = {
    "bpkad": "Badan Pengelolaan Keuangan dan Aset Daerah",
    "dinkes": "Dinas Kesehatan",
    "disdik": "Dinas Pendidikan",
    "dpupr": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "bpbd": "Badan Penanggulangan Bencana Daerah",
    "diskominfo": "Dinas Komunikasi dan Informatika",
}

# (month name, year) -> opd -> (masuk, selesai) as the portal writes them
COMPLAINTS: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("Desember", "2024"): {"dinkes": ("900", "880")},
    ("Mei", "2025"): {"bpkad": ("30", "30"), "dinkes": ("987", "950"), "disdik": ("290", "280"),
                      "dpupr": ("199", "180"), "bpbd": ("51", "50"), "diskominfo": ("160", "155")},
    ("Juni", "2025"): {"bpkad": ("37", "37"), "dinkes": ("1.069", "1.001"), "disdik": ("312", "300"),
                       "dpupr": ("205", "190"), "bpbd": ("48", "45"), "diskominfo": ("175", "170")},
    ("Juli", "2025"): {"bpkad": ("41", "40"), "dinkes": ("1.102", "1.050"), "disdik": ("330", "310"),
                       "dpupr": ("210", "200"), "bpbd": ("belum lapor", "12"), "diskominfo": ("180", "172")},
}
CKAN_RESOURCE = "3c1f0a52-pengaduan-bulanan"
CKAN_PACKAGE = "rekap-pengaduan-masyarakat"


def ckan_records() -> list[dict[str, Any]]:
    out = []
    for (month, year), rows in COMPLAINTS.items():
        for opd, (masuk, selesai) in rows.items():
            out.append({"Bulan": month, "Tahun": year, "Perangkat Daerah": OPD_NAMES[opd],
                        "Jumlah Aduan": masuk, "Aduan Selesai": selesai})
            if (month, opd) == ("Juni", "disdik"):  # the operator pasted Disdik's June line twice
                out.append(dict(out[-1]))
    for n, record in enumerate(out, start=1):
        record["_id"] = n
    return out


def ckan_search(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"success": True, "result": {"resource_id": CKAN_RESOURCE, "total": len(records),
                                        "records": records, "_links": {}}}


def ckan_package(modified: str = "2025-08-01T07:15:00.000000") -> dict[str, Any]:
    return {"success": True, "result": {"id": CKAN_PACKAGE, "metadata_modified": modified}}


BPS_VAR = 1001
POPULATION = {2023: 417_215, 2024: 423_456}


def bps_path(key: str) -> str:
    return f"/bps/v1/api/list/model/data/lang/ind/domain/1219/var/{BPS_VAR}/key/{key}"


def bps_document() -> dict[str, Any]:
    kecamatan = {"1219010": ("Sei Balai", 0.08), "1219020": ("Tanjung Tiram", 0.16), "1219030": ("Talawi", 0.12)}
    content: dict[str, Any] = {}
    for year, total in POPULATION.items():
        content[f"1219{BPS_VAR}0{year - 1900}0"] = total
        for code, (_, share) in kecamatan.items():
            content[f"{code}{BPS_VAR}0{year - 1900}0"] = round(total * share)
    vervar = [{"val": 1219, "label": "Batu Bara"}] + [{"val": int(c), "label": n} for c, (n, _) in kecamatan.items()]
    return {"status": "OK", "data-availability": "available", "var": [{"val": BPS_VAR, "label": "Jumlah Penduduk"}],
            "turvar": [{"val": 0, "label": "Tidak ada"}], "vervar": vervar,
            "tahun": [{"val": y - 1900, "label": str(y)} for y in POPULATION],
            "turtahun": [{"val": 0, "label": "Tahun"}], "datacontent": content}


# month -> opd -> (budget, realised); percentages are realised / budget
LRA = {
    "2025-06": {"bpkad": (45e9, 22.95e9), "dinkes": (120e9, 57.6e9), "disdik": (210e9, 96.6e9),
                "dpupr": (180e9, 68.4e9), "bpbd": (8e9, 4.4e9), "diskominfo": (12e9, 6.36e9)},
    "2025-07": {"bpkad": (45e9, 26.55e9), "dinkes": (120e9, 67.2e9), "disdik": (210e9, 113.4e9),
                "dpupr": (180e9, 82.8e9), "bpbd": (8e9, 5.12e9), "diskominfo": (12e9, 7.2e9)},
}


def lra_total(month: str) -> tuple[float, float]:
    rows = LRA[month].values()
    return sum(b for b, _ in rows), sum(r for _, r in rows)


def write_lra(folder: Path, month: str, name: str | None = None) -> Path:
    """One monthly LRA as BPKAD exports it: the month appears only in the file name."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "LRA"
    for row, text in enumerate(["PEMERINTAH KABUPATEN BATU BARA", "LAPORAN REALISASI ANGGARAN PER PERANGKAT DAERAH",
                                "TAHUN ANGGARAN 2025"], start=1):
        ws.cell(row, 1, text).font = Font(bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(["No", "Perangkat Daerah", "Anggaran (Rp)", "Realisasi (Rp)", "Realisasi (%)"])
    for n, (opd, (budget, real)) in enumerate(LRA[month].items(), start=1):
        # one clerk typed July's BPKAD figure as text with thousand dots
        shown: Any = f"{real:,.0f}".replace(",", ".") if (month, opd) == ("2025-07", "bpkad") else real
        ws.append([n, OPD_NAMES[opd], budget, shown, real / budget])
        ws.cell(ws.max_row, 5).number_format = "0.00%"
    budget, real = lra_total(month)
    ws.append(["TOTAL", None, budget, real, real / budget])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
    ws.cell(ws.max_row, 5).number_format = "0.00%"
    ws.append([])
    ws.append(["Sumber: BPKAD Kabupaten Batu Bara (SIPD)"])
    ws.append([])
    for text in ["Lima Puluh, 5 Agustus 2025", "Kepala BPKAD Kabupaten Batu Bara", None, "(Drs. Contoh Nama, M.Si)",
                 "NIP. 19700101 199003 1 001"]:
        ws.append([None, None, None, text])
    path = folder / (name or f"LRA_OPD_{month}.xlsx")
    wb.save(path)
    return path


BPBD_ROWS = [("Januari", 4, "35"), ("Februari", 2, "28"), ("Maret", 6, "41"), ("April", 3, "33"),
             ("Mei", 5, "38"), ("Juni", 2, "26"), ("Juli", 3, "belum lapor")]


BPBD_REJECTED = ("Rekap_Respon_Bencana_2025.csv row 11: row rejected: waktu_respon_bencana (Rata-rata Waktu Respon "
                 "(menit)): expected a number, got 'belum lapor'")


def write_bpbd_csv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["REKAP RESPON KEJADIAN BENCANA \u2013 BPBD KABUPATEN BATU BARA;;;;;", "Tahun 2025;;;;;", ";;;;;",
             "No;Bulan;Tahun;Jumlah Kejadian;Rata-rata Waktu Respon (menit);Keterangan"]
    for n, (month, events, minutes) in enumerate(BPBD_ROWS, start=1):
        note = "Banjir rob \u2013 Tanjung Tiram" if month == "Januari" else ""
        lines.append(f"{n};{month};2025;{events};{minutes};{note}")
    lines.append(";Rata-rata;;;33,5;")
    path = folder / "Rekap_Respon_Bencana_2025.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path
