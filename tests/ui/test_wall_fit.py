"""Issue #15's wall at its own panel sizes (a 2x2 wall, 24x24 grid: KPI tiles of 2x3 cells, charts
of 4x3, rankings of 4x6): every text a card paints is whole and fits its place, the charts span
their 24 hours with axis labels that do not overlap. Checked on what the panels painted
(Panel.drawn) and on the painted pixels."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtGui import QColor, QFont

from commandcenter import fmt
from commandcenter.cache import Cache, RunRecord
from commandcenter.config import load_config
from commandcenter.ui import theme
from commandcenter.ui.panels.kpi import KpiPanel
from commandcenter.ui.panels.ranking import RankingPanel
from commandcenter.ui.panels.timeseries import TimeseriesPanel, value_ticks

WIB = ZoneInfo("Asia/Jakarta")
CLOCK = datetime(2026, 12, 2, 6, 45, tzinfo=WIB).timestamp()


@pytest.fixture
def workload(tmp_path, db_url):
    """The benchmark's own config and cache, the data `age` seconds old at the wall's clock."""
    from benchmarks.workload import fill_cache, make_config

    cfg_dir = make_config(tmp_path, 9, "update")  # no collector runs: the port is never asked
    opened = []

    def make(age: float = 0.0):
        cfg = load_config(cfg_dir)
        fill_cache(db_url, cfg_dir, CLOCK - age)
        cache = Cache.open(db_url, city=cfg.city_key)
        cache.record_run(RunRecord("feed-0", CLOCK - age - 1, CLOCK - age, "ok", rows=0))
        opened.append(cache)
        return cfg, cache

    yield make
    for c in opened:
        c.close()


def show(make_wall, qtbot, cfg, cache, lang: str = "id"):
    wall = make_wall(cache, scene="workload", cfg=cfg, lang=lang)
    wall.freeze(CLOCK)
    qtbot.waitUntil(lambda: wall._built_scene == "workload" and not wall.data.busy and not wall._queue,
                    timeout=10_000)
    panels = [p for w in wall.windows for p in w.panels.values()]
    images = {id(p): p.grab().toImage() for p in panels}  # paints each card now (and records its texts)
    return wall, panels, images


def of(panels, kind):
    return [p for p in panels if isinstance(p, kind)]


def assert_whole(panel) -> None:
    """Nothing the card painted was cut or is wider than the place it was painted in."""
    assert panel.drawn, panel.spec.id
    for key, (text, rect, width) in panel.drawn.items():
        assert "…" not in text, (panel.spec.id, key, text)
        assert width <= rect.width() + 0.5, (panel.spec.id, key, text, width, rect.width())
        assert rect.left() >= 0 and rect.right() <= panel.width() + 0.5, (panel.spec.id, key, rect)
    assert panel.drawn["title"][0].replace("\n", " ") in panel.title_forms(), panel.spec.id


def test_workload_kpi_tiles_paint_title_change_and_as_of_whole_and_keep_the_value_big(make_wall, qtbot, workload):
    wall, panels, _ = show(make_wall, qtbot, *workload())
    kpis = of(panels, KpiPanel)
    assert len(kpis) == 16 and all(p.narrow() for p in kpis)
    for p in kpis:
        assert_whole(p)
        text = {k: v[0] for k, v in p.drawn.items()}
        assert text["value"] == p.shown["value"]
        # the same instant as the header's "2 Des 2026 06.45 WIB": this year, the city's zone
        assert p.shown["as_of"] == "Data per 2 Des 2026 06.45 WIB" and text["as_of"] == "Data per 2 Des 06.45"
        assert text["change"] == p.shown["change"] and p.shown["change"].endswith(" vs sebelumnya")
        assert p.fitted().value_font.pixelSize() >= 48  # big: twice the title's size and more
    wrapped = [p.drawn["title"][0] for p in kpis if "\n" in p.drawn["title"][0]]
    assert "Panggilan 112 ·\nBPKAD" in wrapped  # broken after the separator, metric and OPD whole
    # a row of tiles shows its values at one height and one size
    rows: dict[tuple, set] = {}
    for p in kpis:
        v = p.value_rect()
        rows.setdefault((id(p.window()), p.y()), set()).add((round(v.top()), round(v.height())))
    assert len(rows) == 4 and all(len(r) == 1 for r in rows.values()), rows


def test_workload_charts_span_24_hours_with_six_hour_ticks_and_value_ticks_that_do_not_overlap(
        make_wall, qtbot, workload):
    wall, panels, images = show(make_wall, qtbot, *workload())
    charts = of(panels, TimeseriesPanel)
    assert len(charts) == 24
    for p in charts:
        assert_whole(p)
        x0, x1 = p.model.x_range
        assert x1 - x0 == 86400 and p.model.lines[0].ts[0] <= x0 + 60 and p.model.lines[0].ts[-1] >= x1 - 60
        xticks = [p.drawn[k] for k in sorted(p.drawn) if k.startswith("xtick")]
        assert [t for t, _r, _w in xticks] == ["12.00", "18.00", "2 Des", "06.00"]
        for (_a, ra, _wa), (_b, rb, _wb) in zip(xticks, xticks[1:]):
            assert ra.right() + 8 <= rb.left()
        yticks = sorted((p.drawn[k] for k in p.drawn if k.startswith("ytick")), key=lambda d: d[1].top())
        assert len(yticks) >= 3, (p.spec.id, [t for t, _r, _w in yticks])
        values = [int(t.replace(".", "")) for t, _r, _w in yticks]
        assert values == sorted(values, reverse=True)  # top to bottom, falling
        steps = {a - b for a, b in zip(values, values[1:])}
        assert len(steps) == 1 and str(steps.pop())[0] in "125"  # one nice step
        for (_a, ra, _wa), (_b, rb, _wb) in zip(yticks, yticks[1:]):
            assert ra.bottom() <= rb.top() + 0.5, (p.spec.id, ra, rb)
        # the line's pixels run from the plot's left end to its right end (24 h, 2% margins)
        img, plot = images[id(p)], p.plot_rect
        blue = theme.SERIES[0]
        cols = [x for x in range(int(plot.left()), int(plot.right()))
                if any(_near(img.pixelColor(x, y), blue) for y in range(int(plot.top()), int(plot.bottom()), 2))]
        assert cols and cols[0] - plot.left() <= plot.width() * 0.04 and plot.right() - cols[-1] <= plot.width() * 0.04
        assert len(cols) >= plot.width() * 0.9


def _near(c: QColor, ref: QColor) -> bool:
    return abs(c.red() - ref.red()) + abs(c.green() - ref.green()) + abs(c.blue() - ref.blue()) < 60


def test_workload_rankings_show_twelve_whole_rows(make_wall, qtbot, workload):
    wall, panels, _ = show(make_wall, qtbot, *workload())
    rankings = of(panels, RankingPanel)
    assert len(rankings) == 8
    for p in rankings:
        assert_whole(p)
        labels = [p.drawn[f"label{i}"][0] for i in range(12)]
        assert labels == [r.label for r in p.model.rows] and len(p.model.rows) == 12
        values = [p.drawn[f"value{i}"][0] for i in range(12)]
        assert all("," in v for v in values), values  # one decimal down the whole column


def test_stale_narrow_tiles_keep_title_value_and_as_of_whole(make_wall, qtbot, workload):
    wall, panels, _ = show(make_wall, qtbot, *workload(age=3600))
    for p in of(panels, KpiPanel):
        assert p.is_stale and p.shown["badge"].startswith("Kedaluwarsa")
        assert_whole(p)
        assert p.drawn["as_of"][0] == "Data per 2 Des 05.45"
        assert p.fitted().value_font.pixelSize() >= 36
        age = p.drawn.get("age", ("",))[0]
        assert age in ("", "data 1 jam lalu")  # said whole, or left to the badge when there is no room
    for p in of(panels, TimeseriesPanel) + of(panels, RankingPanel):
        assert p.shown["badge"].startswith("Kedaluwarsa")
        assert_whole(p)


def test_english_tiles_use_the_english_short_forms(make_wall, qtbot, workload):
    from commandcenter.ui import i18n

    try:
        wall, panels, _ = show(make_wall, qtbot, *workload(), lang="en")
        for p in of(panels, KpiPanel):
            assert_whole(p)
            assert p.drawn["as_of"][0] == "As of 2 Dec 06:45"  # "Data as of 2 Dec 06:45" is wider than the tile
            assert p.drawn["change"][0].endswith((" vs previous", " vs prev."))
    finally:
        i18n.install("id")


# -- the pieces -------------------------------------------------------------------------------------
def test_a_title_wraps_after_its_separator(qapp):
    f = QFont(theme.font(28, bold=True))
    w = theme.text_width("Panggilan Darurat 112 ·", f) + 1
    assert theme.wrap("Panggilan Darurat 112 · Inspektorat", f, [w], 2) == ["Panggilan Darurat 112 ·", "Inspektorat"]
    assert theme.wrap("Panggilan Darurat 112 · Inspektorat", f, [w], 1) is None
    assert theme.wrap("Inspektorat", f, [10], 2) is None  # a word wider than the line: no wrap holds it


@pytest.mark.parametrize("lo,hi,most", [(0, 350, 4), (0, 350, 3), (225, 500, 3), (130, 330, 4), (-3, 7, 5),
                                        (0.1, 0.9, 4), (150, 330, 2), (0, 1.2e12, 4)])
def test_value_ticks_are_nice_take_in_the_range_and_respect_the_room(lo, hi, most):
    ticks = value_ticks(lo, hi, "count", most)
    assert 2 <= len(ticks) <= most
    step = ticks[1] - ticks[0]
    assert all(abs((b - a) - step) < 1e-9 * max(1, step) for a, b in zip(ticks, ticks[1:]))
    mantissa = step / 10 ** int(f"{step:e}".split("e")[1])
    assert round(mantissa, 6) in (1, 2, 2.5, 5)
    if len(ticks) >= 3:  # ends on labelled ticks at or past the range
        assert ticks[0] <= lo and ticks[-1] >= hi and ticks[-1] - ticks[0] <= 2 * (hi - lo)


def test_percent_axis_keeps_its_quarters_up_to_the_range():
    assert value_ticks(0, 110, "percent", 6) == [0, 25, 50, 75, 100]
    assert value_ticks(0, 110, "percent", 3) == [0, 50, 100]


def test_short_forms_say_the_same_thing():
    at = datetime(2026, 12, 2, 6, 45, tzinfo=WIB).timestamp()
    assert fmt.as_of_forms(at, "Asia/Jakarta", "WIB", "id", now=at + 60) == [
        "2 Des 2026 06.45 WIB", "2 Des 06.45 WIB", "2 Des 06.45"]
    # another year keeps its year: the time gives way
    assert fmt.as_of_forms(at, "Asia/Jakarta", "WIB", "id", now=at + 40 * 86400) == [
        "2 Des 2026 06.45 WIB", "2 Des 2026 06.45", "2 Des 2026"]
    assert fmt.as_of_forms(at, "Asia/Jakarta", "WIB", "en", period_end=True, now=at) == ["2 Dec 2026", "2 Dec"]
    assert fmt.compared_with("", "id", short=True) == "vs sblm"
    assert fmt.compared_with("quarter", "id", short=True) == "vs TW lalu"
    assert fmt.period_text("2026-12", "month", "id", running=True, short=True) == "Des 2026 (berjalan)"
    assert fmt.period_text("2026-06", "month", "id", cumulative=True, short=True) == "s.d. Jun 2026"


def test_a_ranking_column_of_counts_shows_one_decimal_for_all(qtbot, wall_config):
    """Whole counts print whole ("557"); beside "517,9" in one column that reads as ragged."""
    from types import SimpleNamespace

    from commandcenter.ui.panels.base import PanelContext
    from commandcenter.wall.models import BarRow, RankingModel

    spec = SimpleNamespace(id="r", title="Pengaduan", type="ranking", options={})
    panel = RankingPanel(spec, PanelContext(wall_config, "id", 1.0))
    qtbot.addWidget(panel)
    panel.resize(628, 486)
    rows = (BarRow("a", "Satpol PP", 557.0), BarRow("b", "BPKAD", 517.9), BarRow("c", "BKD", 483.0))
    panel.set_model(RankingModel("Pengaduan", "count", rows, 600.0, subtitle="2 Desember 2026",
                                 subtitle_short="2 Des 2026"))
    panel.grab()
    assert [panel.drawn[f"value{i}"][0] for i in range(3)] == ["557,0", "517,9", "483,0"]
    assert_whole(panel)
    panel.set_model(RankingModel("Pengaduan", "count", tuple(BarRow(r.key, r.label, round(r.value)) for r in rows), 600.0))
    panel.grab()
    assert [panel.drawn[f"value{i}"][0] for i in range(3)] == ["557", "518", "483"]  # all whole: as they are
