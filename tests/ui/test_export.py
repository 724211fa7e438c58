"""`commandcenter export`: headless PDF/PNG from a real SQLite cache, and replay of a past moment."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from commandcenter.cache import Cache, Sample
from commandcenter.cli import main
from tests.wall.test_rotation import at

JUNE_END = int(at("2025-06-30 23:59"))


def text_of(pdf) -> list[str]:
    # pypdf separates words with tabs; compare on single spaces
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(pdf)).pages]


@pytest.fixture
def filled(db_url):
    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    known = at("2025-06-30 08:00")
    cache.write_samples("sipd", [
        Sample("serapan_keuangan", "", JUNE_END, 47.5, period="2025-06"),
        Sample("realisasi_fisik", "", JUNE_END, 51.25, period="2025-06"),
        Sample("bor", "rsud", JUNE_END, 78.0, period="2025-06"),
    ], known_at=known)
    yield cache
    cache.close()


def test_pdf_is_a_handout_with_a_section_per_scene_and_png_has_a_header(qapp, filled, db_url, tmp_path):
    from commandcenter.ui.export import export_scenes
    from commandcenter.ui.export_render import HEADER_PX
    from tests.wall.test_rotation import load_demo

    pdf, png = tmp_path / "wall.pdf", tmp_path / "wall.png"
    rc = main(["export", "--config", "config", "--db", db_url, "--scene", "ringkasan,layanan",
               "--pdf", str(pdf), "--png", str(png)])
    assert rc == 0
    pages = text_of(pdf)
    text = " ".join(pages)
    assert "Ringkasan Kinerja Kota Binjai" in pages[0] and "Kota Binjai" in pages[0]
    assert "Ringkasan" in pages[0] and "Layanan Publik" in text
    assert "Serapan Anggaran 47,5%" in text and "BOR RSUD Djoelham 78,0%" in text  # the KPI tables
    assert all("Data per 30 Jun 2025 08.00 WIB" in p for p in pages)  # absolute, city zone, every page
    # the page shows what the wall's own panels display for the scene
    cfg = load_demo(tmp_path)
    (page,) = export_scenes(cfg, filled, ["ringkasan"], png=str(tmp_path / "again.png"))
    shown = page.canvas.panels["serapan"].shown
    # learned at 08.00 on 30 June, before June had ended: June "as of" that morning, running
    assert (shown["value"], shown["as_of"], shown["period"]) == ("47,5%", "Data per 30 Jun 2025 08.00 WIB",
                                                                 "Juni 2025 (berjalan)")
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert (img.width(), img.height()) == (1920, 1080 + HEADER_PX)
    assert img.pixelColor(5, HEADER_PX + 1075).name() != img.pixelColor(60, HEADER_PX + 80).name()  # not blank
    # the header's "DATA SIMULASI" badge (red) at the right, the scene under the header
    assert img.pixelColor(1920 - 20, HEADER_PX // 2).name() == "#b91c1c"
    assert filled.audit_log(action="export")[0].detail["scenes"] == ["ringkasan", "layanan"]


def test_replay_shows_the_scene_and_the_data_of_that_moment(qapp, filled, db_url, tmp_path):
    filled.audit("show_scene", {"scene": "anggaran"}, "rotation", ts=at("2025-06-30 08:55"))
    filled.audit("show_scene", {"scene": "ringkasan"}, "rotation", ts=at("2025-06-30 09:10"))
    # a corrected value arrives after 09:00: the replay must not show it
    filled.write_samples("sipd", [Sample("serapan_keuangan", "", JUNE_END, 48.75, period="2025-06")],
                         known_at=at("2025-06-30 09:30"))
    pdf = tmp_path / "replay.pdf"
    assert main(["export", "--config", "config", "--db", db_url, "--as-of", "2025-06-30 09:00",
                 "--pdf", str(pdf)]) == 0
    pages = text_of(pdf)
    assert "Realisasi Anggaran per OPD" in pages[0]  # the scene on the wall at 09:00
    assert all("DIBEKUKAN · Data per 30 Jun 2025 09.00 WIB" in p for p in pages)
    pdf2 = tmp_path / "later.pdf"
    assert main(["export", "--config", "config", "--db", db_url, "--as-of", "2025-06-30 10:00",
                 "--pdf", str(pdf2), "--lang", "en"]) == 0
    later = " ".join(text_of(pdf2))
    assert "City performance overview" in later and "48.8%" in later
    assert main(["export", "--config", "config", "--db", db_url, "--as-of", "2025-06-30 09:00",
                 "--scene", "ringkasan", "--pdf", str(pdf)]) == 0
    frozen = " ".join(text_of(pdf))
    assert "47,5%" in frozen and "48,8%" not in frozen


def test_export_needs_an_output_and_a_known_scene(qapp, db_url, capsys):
    assert main(["export", "--config", "config", "--db", db_url, "--scene", "ringkasan"]) == 2
    assert main(["export", "--config", "config", "--db", db_url, "--scene", "nope", "--pdf", "/tmp/x.pdf"]) == 2
    assert "unknown scene" in capsys.readouterr().err


def test_scheduled_daily_report_writes_the_pdf_into_the_folder(qapp, qtbot, filled, tmp_path):
    import shutil
    import threading

    from commandcenter.config import load_config
    from commandcenter.ui.console.reports import ReportScheduler

    cfg_dir = tmp_path / "config"
    shutil.copytree("config", cfg_dir, ignore=shutil.ignore_patterns("examples"))
    city = cfg_dir / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + f"  data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    cfg = load_config(cfg_dir)
    clock = type("C", (), {"t": at("2025-06-30 06:59"), "__call__": lambda self: self.t})()
    sched = ReportScheduler(cfg, filled, clock)
    sched.start()
    assert sched.due["harian"] == at("2025-06-30 07:00")
    assert sched.due["rapat-mingguan"] == at("2025-06-30 07:30")  # a Monday
    clock.t = at("2025-06-30 07:00")
    gui = threading.get_ident()
    threads = []
    sched.written.connect(lambda _p: threads.append(threading.get_ident()))
    with qtbot.waitSignal(sched.written, timeout=20000) as sig:
        (path,) = sched.run_due()
    sched.stop()
    assert sig.args == [path] and threads == [gui]  # written on a worker, reported on the GUI thread
    assert path == str(tmp_path / "data" / "laporan" / "laporan-harian-2025-06-30.pdf")
    pages = text_of(path)
    assert len(pages) >= 3 and all("Laporan Harian Command Center Kota Binjai" in p for p in pages)
    assert "47,5%" in " ".join(pages)
    assert sched.due["harian"] == at("2025-07-01 07:00")
    assert filled.audit_log(action="report")[0].detail["report"] == "harian"


def test_pdfs_of_every_demo_scene_name_no_date_after_today(qapp, db_url, tmp_path, wall_config):
    """The demo's year-to-date as known on 2 Dec 2026 03.40 WIB: no page says a future date."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from tests.ui.demo_fill import fill
    from tests.ui.test_wall_time import CLOCK, dates_in

    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    fill(cache, wall_config, CLOCK)
    cache.close()
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    seen = 0
    for scene in wall_config.scenes:
        pdf = tmp_path / f"{scene.id}.pdf"
        assert main(["export", "--config", "config", "--db", db_url, "--scene", scene.id, "--pdf", str(pdf)]) == 0
        for text in text_of(pdf):
            found = dates_in(text)
            seen += len(found)
            late = [d for d in found if d > today]
            assert not late, f"{scene.id}: {late} in {text[:300]!r}"
            assert "yang lalu" not in text
    assert seen >= len(wall_config.scenes)
    assert isinstance(date.today(), date)


def test_export_refuses_a_future_moment(qapp, filled, db_url, tmp_path, capsys):
    pdf = tmp_path / "future.pdf"
    rc = main(["export", "--config", "config", "--db", db_url, "--scene", "ringkasan", "--pdf", str(pdf),
               "--as-of", "2099-03-01"])
    assert rc == 2 and not pdf.exists()
    assert "in the future" in capsys.readouterr().err
