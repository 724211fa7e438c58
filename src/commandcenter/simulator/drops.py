"""What departments send without an API: CSV/XLSX drops into a folder and a finance database.

- DPMPTSP permits: `;`-separated cp1252 CSV, Indonesian numbers, a title line, a totals row.
- SPM achievement: XLSX with a merged title block above the header and a totals row.
- SIMDA-like finance database (SQLite) with monthly spending per OPD, for the `sql` connector.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from commandcenter.simulator.data import CityData


def id_number(value: float, decimals: int = 0) -> str:
    """1234567.891 -> '1.234.567,89' (Indonesian separators)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def write_permits_csv(data: CityData, folder: Path, broken: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = data.permits()
    lines = ["Rekap Penerbitan Izin – DPMPTSP Kota Binjai;;;;", ";;;;",
             "Tanggal;Jumlah Permohonan;Terbit Tepat Waktu;Rata-rata Waktu (hari);Persentase Tepat Waktu"]
    for r in rows:
        pct = "belum dihitung" if broken == "wrong_types" else f"{id_number(r['persen'], 2)}%"
        lines.append(f"{r['tanggal']:%d/%m/%Y};{id_number(r['permohonan'])};{id_number(r['tepat_waktu'])};"
                     f"{id_number(r['rata_hari'], 1)};{pct}")
    total_in = sum(r["permohonan"] for r in rows)
    total_ok = sum(r["tepat_waktu"] for r in rows)
    lines.append(f"Jumlah;{id_number(total_in)};{id_number(total_ok)};;{id_number(100 * total_ok / max(1, total_in), 2)}%")
    text = "\r\n".join(lines) + "\r\n"
    name = f"izin_dpmptsp_{data.day.isoformat()}{'_' + broken if broken else ''}.csv"
    path = folder / name
    if broken == "empty":
        text = ""
    elif broken == "malformed":
        text = text[: len(text) // 3] + '"\x00\x00;;"tidak;lengkap'
    _atomic_write(path, text.encode("cp1252"))
    return path


def write_spm_xlsx(data: CityData, folder: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    folder.mkdir(parents=True, exist_ok=True)
    semester = 1 if data.day.month <= 6 else 2
    wb = Workbook()
    ws = wb.active
    ws.title = "Capaian SPM"
    ws["A1"] = "LAPORAN CAPAIAN STANDAR PELAYANAN MINIMAL (SPM)"
    ws["A2"] = f"PEMERINTAH KOTA BINJAI — SEMESTER {'I' * semester} TAHUN {data.year}"
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.cell(row, 1).font = Font(bold=True)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
    header = ["No", "Kode OPD", "Perangkat Daerah", "Bidang SPM", "Capaian (%)", "Tanggal Laporan"]
    ws.append([])
    ws.append(header)
    rows = data.spm()
    for n, r in enumerate(rows, start=1):
        ws.append([n, r["kode_opd"], r["nama_opd"], r["bidang"], r["capaian"], data.day])
        ws.cell(ws.max_row, 5).number_format = "0.00%"
        ws.cell(ws.max_row, 6).number_format = "DD/MM/YYYY"
    avg = sum(r["capaian"] for r in rows) / max(1, len(rows))
    ws.append(["Rata-rata", None, None, None, avg, None])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=4)
    ws.cell(ws.max_row, 5).number_format = "0.00%"
    path = folder / f"spm_capaian_{data.year}-S{semester}_{data.day.isoformat()}.xlsx"
    tmp = path.with_suffix(".tmp")
    wb.save(tmp)
    tmp.replace(path)  # the collector never sees a half-written file
    return path


def write_finance_db(data: CityData, path: Path) -> Path:
    """A SIMDA-like reporting table: monthly cumulative spending per OPD (rebuilt each time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as conn:
        conn.execute("CREATE TABLE realisasi_belanja_opd (kode_opd TEXT NOT NULL, nama_opd TEXT NOT NULL, "
                     "tahun INTEGER NOT NULL, bulan INTEGER NOT NULL, tanggal TEXT NOT NULL, "
                     "pagu REAL NOT NULL, realisasi REAL NOT NULL, PRIMARY KEY (kode_opd, tahun, bulan))")
        conn.executemany(
            "INSERT INTO realisasi_belanja_opd VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r["kode_opd"], r["nama_opd"], data.year, int(r["bulan"][5:]), r["tanggal"], r["pagu"],
              r["realisasi_keuangan"]) for r in data.realisasi_rows()])
    conn.close()
    tmp.replace(path)
    return path


def _atomic_write(path: Path, payload: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(path)
