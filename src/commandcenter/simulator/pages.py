"""Departments' own web dashboards, as the simulator serves them for the demo's `web` panels.

    /halaman/pengaduan   the LAPOR! complaints dashboard: totals, a bar chart per OPD, a table
    /halaman/rsud        the hospital's bed board: occupancy by ward, a 14-day BOR line

Plain HTML with inline SVG (no scripts from elsewhere), drawn from the same CityData as the
JSON feeds, so the page and the wall's own panels tell the same story. Each page has the
things a kiosk must refuse: a CSV download link and a link to another host.
"""

from __future__ import annotations

from html import escape
from typing import Any

from commandcenter.simulator.data import CityData

PREFIX = "/halaman/"
STYLE = """
body{margin:0;font-family:'DejaVu Sans',Arial,sans-serif;background:#f1f5f9;color:#0f172a}
header{background:#b91c1c;color:#fff;padding:18px 28px;display:flex;justify-content:space-between;align-items:center}
header.rs{background:#047857} header h1{margin:0;font-size:28px} header small{font-size:16px;opacity:.9}
main{padding:20px 28px;display:grid;grid-template-columns:1fr 1fr;gap:20px}
.card{background:#fff;border-radius:10px;padding:16px 20px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.kpis{grid-column:1/3;display:grid;grid-template-columns:repeat(4,1fr);gap:20px}
.kpi b{display:block;font-size:40px;margin-top:6px} .kpi span{color:#475569;font-size:16px}
h2{margin:0 0 10px;font-size:20px} table{width:100%;border-collapse:collapse;font-size:16px}
th{text-align:left;color:#475569;border-bottom:2px solid #cbd5e1;padding:6px}
td{padding:6px;border-bottom:1px solid #e2e8f0} td.n{text-align:right} .late{color:#b91c1c;font-weight:bold}
footer{padding:0 28px 20px;color:#64748b;font-size:14px} a{color:#1d4ed8}
"""


def page(path: str, data: CityData) -> bytes | None:
    name = path[len(PREFIX):].strip("/")
    fn = {"pengaduan": complaints, "rsud": beds}.get(name)
    return fn(data).encode("utf-8") if fn else None


def _doc(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def _bars(rows: list[tuple[str, float, float]], width: int = 560, height: int = 300) -> str:
    """Grouped bars (received, late) per label, as SVG."""
    top = max([r[1] for r in rows] + [1])
    n = max(1, len(rows))
    slot = (width - 40) / n
    out = [f"<svg width='{width}' height='{height + 60}' viewBox='0 0 {width} {height + 60}'>"]
    for i, (label, a, b) in enumerate(rows):
        x = 30 + i * slot
        ha, hb = height * a / top, height * b / top
        out.append(f"<rect x='{x + slot * .1:.1f}' y='{height - ha:.1f}' width='{slot * .4:.1f}' height='{ha:.1f}' fill='#2563eb'/>")
        out.append(f"<rect x='{x + slot * .5:.1f}' y='{height - hb:.1f}' width='{slot * .4:.1f}' height='{hb:.1f}' fill='#dc2626'/>")
        out.append(f"<text x='{x + slot / 2:.1f}' y='{height + 18}' font-size='12' text-anchor='middle'>{escape(label)}</text>")
    out.append(f"<line x1='25' y1='{height}' x2='{width}' y2='{height}' stroke='#94a3b8'/>")
    out.append(f"<text x='30' y='{height + 50}' font-size='14' fill='#2563eb'>■ diterima</text>"
               f"<text x='150' y='{height + 50}' font-size='14' fill='#dc2626'>■ melewati batas</text></svg>")
    return "".join(out)


def _short(code: str) -> str:
    return code.upper()[:8]


def _pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def complaints(data: CityData) -> str:
    c = data.complaints()
    rows = sorted(c["data"], key=lambda r: -r["diterima"])
    k = c["kota"]
    kpis = "".join(f"<div class='card kpi'><span>{label}</span><b>{value}</b></div>" for label, value in (
        ("Pengaduan diterima", f"{k['diterima']:,}".replace(",", ".")),
        ("Ditindaklanjuti ≤ 5 HK", f"{k['tindak_lanjut_5hk']:,}".replace(",", ".")),
        ("Melewati batas waktu", f"{k['melewati_batas']:,}".replace(",", ".")),
        ("Tepat waktu", f"{k['persen_tepat_waktu']:.1f} %".replace(".", ","))))
    chart = _bars([(_short(r["instansi"]), r["diterima"], r["melewati_batas"]) for r in rows[:8]])
    table = "".join(
        f"<tr><td>{escape(r['nama_instansi'])}</td><td class='n'>{r['diterima']}</td>"
        f"<td class='n{' late' if r['melewati_batas'] else ''}'>{r['melewati_batas']}</td>"
        f"<td class='n'>{_pct(r['persen_tepat_waktu'])}</td></tr>" for r in rows[:10])
    body = (f"<header><h1>Dasbor Pengaduan LAPOR! — Kota Binjai</h1><small>Periode {c['periode']} · "
            f"per {c['per_tanggal']}</small></header><main><div class='kpis'>{kpis}</div>"
            f"<div class='card'><h2>Pengaduan per OPD</h2>{chart}</div>"
            f"<div class='card'><h2>OPD dengan pengaduan terbanyak</h2><table><tr><th>OPD</th><th>Diterima</th>"
            f"<th>Lewat batas</th><th>% tepat</th></tr>{table}</table></div></main>"
            f"<footer><a id='unduh' href='{PREFIX}pengaduan.csv' download>Unduh CSV</a> · "
            f"<a id='lapor' href='https://www.lapor.go.id/'>lapor.go.id</a></footer>")
    return _doc("Dasbor Pengaduan", body)


def complaints_csv(data: CityData) -> bytes:
    c = data.complaints()
    lines = ["instansi,diterima,tindak_lanjut_5hk,melewati_batas"]
    lines += [f"{r['instansi']},{r['diterima']},{r['tindak_lanjut_5hk']},{r['melewati_batas']}" for r in c["data"]]
    return ("\n".join(lines) + "\n").encode("utf-8")


WARDS = (("Penyakit Dalam", 48), ("Bedah", 36), ("Anak", 30), ("Kebidanan", 28), ("ICU", 12),
         ("Isolasi", 16), ("VIP", 20), ("Kelas III", 46))


def beds(data: CityData) -> str:
    r = data.rsud()
    history = r["riwayat"]
    w, h = 560, 260
    lo, hi = 40.0, 100.0
    pts = " ".join(f"{20 + i * (w - 40) / max(1, len(history) - 1):.1f},{h - (p['bor'] - lo) / (hi - lo) * h:.1f}"
                   for i, p in enumerate(history))
    line = (f"<svg width='{w}' height='{h + 30}'><rect x='0' y='{h - (85 - lo) / (hi - lo) * h:.1f}' width='{w}' "
            f"height='{(85 - 60) / (hi - lo) * h:.1f}' fill='#dcfce7'/><polyline points='{pts}' fill='none' "
            f"stroke='#047857' stroke-width='4'/><text x='20' y='{h + 22}' font-size='13'>{history[0]['tanggal']}</text>"
            f"<text x='{w - 110}' y='{h + 22}' font-size='13'>{history[-1]['tanggal']}</text></svg>")
    share = r["bor"] / 100
    wards = "".join(
        f"<tr><td>{name}</td><td class='n'>{cap}</td><td class='n'>{round(cap * min(1.0, share * f))}</td>"
        f"<td class='n'>{cap - round(cap * min(1.0, share * f))}</td></tr>"
        for (name, cap), f in zip(WARDS, (1.08, 0.95, 0.8, 0.9, 1.2, 0.6, 0.7, 1.1)))
    kpis = "".join(f"<div class='card kpi'><span>{label}</span><b>{value}</b></div>" for label, value in (
        ("BOR hari ini", f"{r['bor']:.1f} %".replace(".", ",")), ("Tempat tidur", r["tempat_tidur"]),
        ("ALOS (hari)", f"{r['alos']:.1f}".replace(".", ",")), ("TOI (hari)", f"{r['toi']:.1f}".replace(".", ","))))
    body = (f"<header class='rs'><h1>Papan Tempat Tidur — {escape(r['rumah_sakit'])}</h1><small>{r['tanggal']}"
            f"</small></header><main><div class='kpis'>{kpis}</div><div class='card'><h2>BOR 14 hari "
            f"(pita hijau: 60–85 %)</h2>{line}</div><div class='card'><h2>Ketersediaan per ruang</h2><table><tr>"
            f"<th>Ruang</th><th>Kapasitas</th><th>Terisi</th><th>Kosong</th></tr>{wards}</table></div></main>"
            f"<footer><a href='https://sirs.kemkes.go.id/'>SIRS Kemenkes</a></footer>")
    return _doc("Papan Tempat Tidur", body)


def serve(path: str, data: CityData) -> tuple[int, bytes, str, dict[str, Any]]:
    """(status, body, content type, extra headers) for a /halaman/ path."""
    if path.rstrip("/") == PREFIX + "pengaduan.csv":
        return 200, complaints_csv(data), "text/csv; charset=utf-8", {
            "Content-Disposition": "attachment; filename=pengaduan.csv"}
    body = page(path, data)
    if body is None:
        return 404, _doc("Tidak ditemukan", "<h1>404</h1>").encode("utf-8"), "text/html; charset=utf-8", {}
    return 200, body, "text/html; charset=utf-8", {}
