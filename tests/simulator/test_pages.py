"""The departments' web dashboards the simulator serves for the demo's web panels."""

from __future__ import annotations

import httpx


def test_complaints_dashboard_has_a_chart_a_table_and_the_same_totals_as_the_feed(sim_env):
    base = sim_env.sim.url
    page = httpx.get(base + "/halaman/pengaduan")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<svg" in html and "<table>" in html and "Dasbor Pengaduan LAPOR!" in html
    feed = httpx.get(base + "/lapor/rekap", headers={"Authorization": "Bearer demo-lapor-token"}).json()
    assert f"{feed['kota']['diterima']:,}".replace(",", ".") in html
    # what a kiosk must refuse is there to be refused: a download and a link to another host
    csv = httpx.get(base + "/halaman/pengaduan.csv")
    assert csv.headers["content-disposition"].startswith("attachment")
    assert csv.text.splitlines()[0] == "instansi,diterima,tindak_lanjut_5hk,melewati_batas"
    assert "https://www.lapor.go.id/" in html


def test_bed_board_and_unknown_page(sim_env):
    base = sim_env.sim.url
    beds = httpx.get(base + "/halaman/rsud")
    assert beds.status_code == 200 and "Papan Tempat Tidur" in beds.text and "<polyline" in beds.text
    assert httpx.get(base + "/halaman/tidak-ada").status_code == 404
