"""The printable handout: light A4 pages, the simulation mark on every page, absolute times only,
the worst OPD with its cause on the summary page; English with no Indonesian left over."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from commandcenter.scoring import evaluate
from commandcenter.scoring.periods import containing
from tests.ui.demo_fill import fill

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
SCENES = ["ringkasan", "anggaran", "layanan", "sumber-data", "detail-putr"]
RELATIVE = re.compile(r"yang lalu|baru saja|kemarin|\bago\b|just now|yesterday", re.IGNORECASE)
CAUSE = "Lelang ulang paket jalan lingkar utara"


def text_of(pdf) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(pdf)).pages]


@pytest.fixture
def city(demo_config, cache):
    fill(cache, demo_config, NOW)
    board = evaluate(demo_config, cache, period=containing(NOW, demo_config.city.timezone))
    worst = [o for o in board.opds if o.rank is not None][-1]
    cache.set_note(worst.opd, board.period, CAUSE, "andi", now=NOW - 600)
    return demo_config, cache, worst


def test_handout_marks_every_page_and_names_the_worst_opd_and_its_cause(qapp, city, tmp_path):
    from commandcenter.ui.export import export_scenes

    cfg, cache, worst = city
    pdf = tmp_path / "handout.pdf"
    export_scenes(cfg, cache, SCENES, pdf=str(pdf), now=NOW, title="Bahan Rapat Pimpinan")
    pages = text_of(pdf)
    assert len(pages) >= 4
    for i, page in enumerate(pages, 1):
        assert "DATA SIMULASI" in page, f"page {i} lacks the simulation mark"
        assert not RELATIVE.search(page), f"page {i}: relative time {RELATIVE.search(page).group(0)!r}"
        assert "Data per 20 Nov 2026 09.50 WIB" in page and f"Halaman {i}/{len(pages)}" in page
        assert "Bahan Rapat Pimpinan" in page and "Periode November 2026 (berjalan)" in page
    summary = pages[0]
    assert "OPD terendah" in summary and worst.short in summary and CAUSE in summary
    assert re.search(r"Anggaran belum terserap: Rp [\d.,]+ [MT] dari pagu Rp [\d.,]+ T", summary)
    assert "OPD terbaik" in summary and "KPI kota di bawah target" in summary
    assert "Status Sumber Data" in " ".join(pages) and "20 Nov 2026 09.50 WIB" in " ".join(pages[1:])


def test_handout_pages_are_light_and_printable(qapp, city, tmp_path):
    from PySide6.QtGui import QImage

    from commandcenter.ui.export import export_scenes

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm missing (poppler-utils: scripts/bootstrap.sh TEST_DEBS)")
    cfg, cache, _worst = city
    pdf = tmp_path / "handout.pdf"
    export_scenes(cfg, cache, ["ringkasan"], pdf=str(pdf), now=NOW)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    img = QImage(str(next(tmp_path.glob("p-*.png"))))
    assert img.width() < img.height()  # portrait A4
    w, h = img.width(), img.height()
    corners = [img.pixelColor(x, y) for x, y in ((2, 2), (w - 3, 2), (2, h - 3), (w - 3, h - 3))]
    assert all(c.lightness() > 245 for c in corners)  # white paper, not a dark screenshot
    dark = sum(img.pixelColor(x, y).lightness() < 80 for x in range(0, w, 3) for y in range(0, h, 3))
    assert 0.005 < dark / ((w // 3 + 1) * (h // 3 + 1)) < 0.15  # ink for text and rules, no dark fill
    reds = [(x, y) for x in range(w // 2, w) for y in range(0, h // 8)
            if (c := img.pixelColor(x, y)).red() > 150 and c.green() < 90 and c.blue() < 90]
    assert reds  # the DATA SIMULASI box in the header's right half


def test_english_handout_leaves_nothing_in_indonesian(qapp, city, tmp_path):
    from babel.messages.pofile import read_po

    from commandcenter.i18n import po_path
    from commandcenter.ui.export import export_scenes

    cfg, cache, _worst = city
    pdf = tmp_path / "handout-en.pdf"
    export_scenes(cfg, cache, SCENES, pdf=str(pdf), now=NOW, lang="en")
    text = " ".join(text_of(pdf))
    # the city's own names stay as the city wrote them (OPDs, source applications, causes, districts)
    names = [o.name for o in cfg.opds] + [o.short for o in cfg.opds if o.short] + [s.name for s in cfg.sources]
    names += [n.text for n in cache.notes()] + [cfg.city.name]
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "#")
    assert "SIMULATED DATA" in text and "Data as of 20 Nov 2026 09:50 WIB" in text and "Period November 2026 (running)" in text
    with po_path("en").open("rb") as f:
        catalog = read_po(f, locale="en")
    left = sorted({m.id for m in catalog if m.id and m.string and m.string != m.id and len(m.id) > 3
                   and re.search(rf"(?<![\w]){re.escape(m.id)}(?![\w])", text)})
    assert left == [], f"untranslated in the English handout: {left}"
    for word in ("Sumber", "Sukses terakhir", "Data per", "Capaian", "Periode", "Dicetak", "Halaman", "Realisasi"):
        assert word not in text, word


def test_a_handout_rewritten_on_a_worker_is_never_seen_half_written(qapp, city, tmp_path):
    """The console and the report scheduler write handouts on a worker thread while anyone may
    open the file (the mailer, a shared folder): whoever reads it during the write gets the old
    handout or the new one whole, and no temporary file is left behind."""
    import threading

    from commandcenter.ui.export import export_handout

    cfg, cache, _worst = city
    pdf = tmp_path / "laporan.pdf"
    export_handout(cfg, cache, ["ringkasan"], str(pdf), now=NOW)
    old = pdf.read_bytes()
    writer = threading.Thread(target=export_handout, args=(cfg, cache, SCENES, str(pdf)),
                              kwargs={"now": NOW, "lang": "en"})
    reads = []
    writer.start()
    while writer.is_alive():  # read as fast as we can while the pages are drawn
        reads.append(pdf.read_bytes())
    writer.join()
    new = pdf.read_bytes()
    assert new != old and new.rstrip().endswith(b"%%EOF") and len(reads) > 1
    torn = [len(r) for r in reads if r not in (old, new)]
    assert torn == [], f"{len(torn)} of {len(reads)} reads saw a half-written PDF (sizes {sorted(set(torn))[:5]})"
    assert "SIMULATED DATA" in " ".join(text_of(pdf))
    assert sorted(p.name for p in tmp_path.iterdir() if "laporan" in p.name) == ["laporan.pdf"]


def test_opd_detail_and_spotlight_show_rank_change_behind_unspent_and_cause(qapp, city):
    from commandcenter.ui.export import make_page, read_scene
    from commandcenter.wall.behind import kpi_line
    from commandcenter.wall.briefing import Briefing

    cfg, cache, _worst = city
    cache.set_note("putr", "2026-11", "Kontrak baru ditandatangani 18 Nov", "andi", now=NOW - 60)
    spot = Briefing().spotlight_opd(cfg, "putr")  # the OPD's spotlight shows its detail scene
    page = make_page(cfg, spot.key, read_scene(cfg, cache, spot.key, None, "id", NOW), "id")
    card = page.canvas.panels["posisi"]
    st = card.model.standing
    assert st.rank is not None and st.of == 26 and st.period == "2026-11"
    assert card.shown["rank"] == f"Peringkat {st.rank} dari 26"
    assert card.shown["change"].startswith(("▲", "▼", "tetap"))
    assert card.shown["note"] == "Catatan: Kontrak baru ditandatangani 18 Nov"
    assert card.shown["note_by"] == "andi, 20 Nov 2026 09.59 WIB"
    assert st.unspent == st.pagu - st.spent and card.shown["unspent"].startswith("Belum terserap Rp ")
    board = evaluate(cfg, cache, period="2026-11")
    expected = [k for k in board.get("putr").breakdown if k.status in ("warning", "critical")]
    assert [k.metric for k in st.behind] == [k.metric for k in expected]
    assert [card.shown[f"behind{i}"] for i in range(len(expected))] == [kpi_line(k, "id") for k in st.behind]
    # drawn: the note line in the warning colour inside the card
    from PySide6.QtGui import QImage

    img = QImage(card.size(), QImage.Format.Format_ARGB32)
    card.render(img)
    from commandcenter.ui import theme

    warn = theme.STATUS["warning"]
    hits = sum(1 for x in range(0, img.width(), 2) for y in range(0, img.height() // 2, 2)
               if abs(img.pixelColor(x, y).red() - warn.red()) < 20 and abs(img.pixelColor(x, y).green() - warn.green()) < 20
               and abs(img.pixelColor(x, y).blue() - warn.blue()) < 20)
    assert hits > 50


def test_english_png_export_speaks_english_and_the_wall_keeps_its_language(qapp, city, tmp_path):
    from commandcenter.ui import i18n as wall_i18n
    from commandcenter.ui.export import export_scenes

    cfg, cache, _worst = city
    (page,) = export_scenes(cfg, cache, ["ringkasan"], png=str(tmp_path / "en.png"), now=NOW, lang="en")
    kpi = page.canvas.panels["serapan"].shown
    assert kpi["as_of"].startswith("Data as of") and kpi["target"].startswith("Target") and "achievement" in kpi
    assert kpi["achievement"].startswith("Achievement")
    assert page.canvas.panels["skor-opd"].shown["title"] == "OPD performance score · November 2026 (running)"
    assert wall_i18n.language() == "id" and wall_i18n.tr("Capaian") == "Capaian"


def test_wall_ranking_panel_draws_the_top_a_separator_and_the_bottom(qapp, city):
    from PySide6.QtGui import QImage

    from commandcenter.ui import theme
    from commandcenter.ui.export import make_page, read_scene

    cfg, cache, worst = city
    page = make_page(cfg, "ringkasan", read_scene(cfg, cache, "ringkasan", None, "id", NOW), "id")
    panel = page.canvas.panels["skor-opd"]
    shown = panel.shown
    total = panel.model.total
    assert shown["title"] == "Skor Kinerja OPD · November 2026 (berjalan)"
    assert shown["row0"].startswith("1 ") and shown["row6"].startswith(f"{total - 5} ")
    assert shown["row11"].startswith(f"{total} {worst.short} ") and shown["gap"] == "⋯"
    img = QImage(panel.size(), QImage.Format.Format_ARGB32)
    panel.render(img)
    body = panel.body_rect()
    row_h = min(body.height() / 12.6, panel.px(72))  # as the panel lays its rows out
    gap_y = int(body.top() + 6 * row_h + 0.3 * row_h)  # the separator's middle
    muted = theme.MUTED.name()
    dashes = [x for x in range(int(body.left()), int(body.left() + body.width() * 0.3)) if img.pixelColor(x, gap_y).name() == muted]
    assert len(dashes) > 10  # a dashed rule between the top six and the bottom six
