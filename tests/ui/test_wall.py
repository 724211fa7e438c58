"""The wall on four offscreen screens: windows, panel pixels, seams, values, refresh, staleness."""

from __future__ import annotations

import dataclasses

import threading
import time

import pytest
from PySide6.QtCore import Qt

from commandcenter import fmt
from commandcenter.cache import Cache, RunRecord, Sample
from commandcenter.wall.geometry import Rect
from tests.ui.demo_fill import fill, month_end


@pytest.fixture
def filled(wall_config, db_url):
    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    now = time.time()
    values = fill(cache, wall_config, now)
    yield cache, values, now
    cache.close()


def wall_rect(window, panel) -> Rect:
    """A panel widget's rectangle in virtual wall pixels."""
    vp = window.viewport
    g = panel.geometry()
    return Rect(vp.source.x + g.x() / vp.scale, vp.source.y + g.y() / vp.scale, g.width() / vp.scale, g.height() / vp.scale)


def test_one_frameless_window_per_screen_at_its_geometry(make_wall, filled, four_screens):
    wall = make_wall(filled[0])
    assert len(wall.windows) == 4 and not wall.plan.missing
    for w, screen in zip(wall.windows, four_screens):
        assert w.screen() is screen
        assert w.geometry() == screen.geometry()
        assert w.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert w.isVisible()


def test_panels_sit_at_their_grid_pixels(make_wall, filled):
    wall = make_wall(filled[0])
    (kpi,) = wall.panel_widgets("serapan")  # cell [0, 0, 4, 3], top-left monitor
    header = round(0.075 * 1080)
    row = (1080 - header) / 6
    g = kpi.geometry()
    assert (g.x(), g.y(), g.width()) == (6, round(header + 6), 640 - 12)
    assert abs(g.height() - (3 * row - 12)) <= 1
    # the health panel [18, 9, 6, 3] is in the bottom-right window, ending above the footer
    (health,) = wall.panel_widgets("sumber")
    assert health.window() is wall.windows[3]
    assert health.geometry().bottom() < 1080 - round(0.05 * 1080)


def test_a_panel_spanning_the_seam_lines_up_and_its_value_stays_whole(make_wall, filled, wall_config):
    from commandcenter.config.schema.scenes import Scene

    scene = Scene.model_validate({"id": "seam-test", "title": "Seam", "panels": [
        {"id": "wide-kpi", "type": "kpi", "cell": [10, 0, 4, 3], "metric": "serapan_keuangan"},
        {"id": "tall-kpi", "type": "kpi", "cell": [0, 4, 4, 4], "metric": "realisasi_fisik"},
        {"id": "curve", "type": "timeseries", "cell": [0, 3, 24, 3], "metrics": ["serapan_keuangan"]},
    ]})
    cfg = dataclasses.replace(wall_config, scenes=[*wall_config.scenes, scene])  # the config is read-only
    wall = make_wall(filled[0], scene="seam-test", cfg=cfg)
    g = wall.geometry
    for pid in ("wide-kpi", "tall-kpi"):
        parts = wall.panel_widgets(pid)
        assert len(parts) == 2  # one widget per window it shows on
        for panel in parts:
            win = panel.window()
            r = wall_rect(win, panel)
            v = panel.value_rect()
            value = Rect(r.x + v.x(), r.y + v.y(), v.width(), v.height())
            assert not g.seams_crossing(value), (pid, value)
            assert panel.shown["value"] == fmt.percent(panel.model.value, 1)  # the unit's default decimals
    left, right = (wall_rect(p.window(), p) for p in wall.panel_widgets("curve"))
    assert left == right  # both halves are the same full panel: the chart continues across the bezel
    assert left.w == pytest.approx(g.width - g.panel_gap, abs=1)


def test_no_kpi_value_crosses_a_seam_in_any_scene(make_wall, filled, wall_config, qtbot):
    wall = make_wall(filled[0])
    for scene in wall_config.scenes:
        if scene.id != wall.scene_id:
            wall.show_scene(scene.id)
        qtbot.waitUntil(lambda: wall._built_scene == scene.id and not wall.data.busy, timeout=10_000)
        for spec in scene.panels:
            for panel in wall.panel_widgets(spec.id):
                if spec.type == "kpi":
                    r, v = wall_rect(panel.window(), panel), panel.value_rect()
                    assert not wall.geometry.seams_crossing(Rect(r.x + v.x(), r.y + v.y(), v.width(), v.height()))


def test_values_are_the_cached_ones_formatted_the_indonesian_way(make_wall, db_url, wall_config, qtbot):
    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    now = time.time()
    fill(cache, wall_config, now)
    # exact values to read back: a city KPI, a rupiah KPI, a band KPI
    cache.write_samples("t", [Sample("serapan_keuangan", "", month_end(2099, 1), 45.234),
                              Sample("ektp_perekaman", "disdukcapil", month_end(2099, 1), 98.5)], known_at=now)
    wall = make_wall(cache)
    (kpi,) = wall.panel_widgets("serapan")
    assert kpi.shown["value"] == "45,2%"
    # a value for a date that has not come is shown as of when it was learned, never "31 Jan 2099"
    assert kpi.shown["as_of"] == f"Data per {fmt.datetime_short(now, 'Asia/Jakarta', 'WIB')}"
    assert wall.panel_widgets("ektp")[0].shown["value"] == "98,50%"
    header = wall.windows[0].header
    assert header.shown["clock"].endswith(" WIB") and "." in header.shown["clock"]
    assert wall.windows[1].header.shown["demo"] == "DATA SIMULASI"
    img = kpi.grab().toImage()  # the value is really drawn: bright text pixels in the value box
    v = kpi.value_rect().toRect()
    bright = sum(1 for x in range(v.left(), v.right(), 4) for y in range(v.top(), v.bottom(), 4)
                 if img.pixelColor(x, y).lightness() > 200)
    assert bright > 20
    cache.close()


def test_rupiah_and_ranking_formatting(make_wall, filled):
    cache, values, _ = filled
    wall = make_wall(cache, scene="anggaran")
    (pagu,) = wall.panel_widgets("pagu")
    assert pagu.shown["value"] == fmt.money(values["pagu_city"])
    assert pagu.shown["value"].startswith("Rp ") and pagu.shown["value"].endswith(" T")
    ranking = wall.panel_widgets("deviasi-opd")[0]
    assert all("," in t for k, t in ranking.shown.items() if k.startswith("row"))


def test_new_data_reach_the_wall_within_a_second(make_wall, filled, qtbot):
    cache, _, now = filled
    wall = make_wall(cache)
    (kpi,) = wall.panel_widgets("serapan")
    writer = Cache.open(cache.engine.url.render_as_string(hide_password=False), city="1275")
    writer.write_samples("sipd-realisasi", [Sample("serapan_keuangan", "", month_end(2099, 2), 51.5)], known_at=time.time())
    writer.record_run(RunRecord("sipd-realisasi", time.time() - 1, time.time(), "ok", "", 1))  # bumps data_version
    t0 = time.monotonic()
    qtbot.waitUntil(lambda: kpi.shown.get("value") == "51,5%", timeout=3000)
    assert time.monotonic() - t0 < 1.5
    writer.close()


def test_collector_events_refresh_through_the_bridge(make_wall, filled, qtbot, wall_config):
    from commandcenter.collector import Collector, RunFinished

    cache = filled[0]
    wall = make_wall(cache, poll_ms=0)
    collector = Collector(wall_config, cache)
    wall.attach_collector(collector)
    cache.write_samples("sipd-realisasi", [Sample("serapan_keuangan", "", month_end(2099, 3), 60.3)], known_at=time.time())
    run = RunRecord("sipd-realisasi", time.time(), time.time(), "ok", "", 1)
    with qtbot.waitSignal(wall.bridge.runFinished, timeout=3000):
        # delivered on a collector-like worker thread, as APScheduler does
        threading.Thread(target=collector._emit, args=(RunFinished(run, 1, ("serapan_keuangan",)),)).start()
    (kpi,) = wall.panel_widgets("serapan")
    qtbot.waitUntil(lambda: kpi.shown.get("value") == "60,3%", timeout=3000)


def brightest(panel) -> int:
    """The lightest pixel of a panel's body (its value text)."""
    img = panel.grab().toImage()
    top = int(panel.title_height()) + 4
    return max(img.pixelColor(x, y).lightness() for x in range(4, img.width() - 4, 3)
               for y in range(top, img.height() - 4, 3))


def test_a_failing_source_keeps_its_panels_calm_while_the_data_are_fresh(make_wall, filled, qtbot):
    """An HTTP 500 for a few minutes: the last values stay in full colour with a small tag; no red
    frame, no "Gagal", no server text on the wall."""
    cache = filled[0]
    wall = make_wall(cache)
    (kpi,) = wall.panel_widgets("serapan")
    before = kpi.shown["value"]
    t = time.time() - 5  # runs finished in the past: health reads what was known by now
    for i in range(3):
        cache.record_run(RunRecord("sipd-realisasi", t + i, t + i + 0.5, "failed", "HTTP 500 dari server SIPD", 0))
    qtbot.waitUntil(lambda: kpi.freshness == "troubled", timeout=3000)
    assert not kpi.is_stale and kpi.shown["value"] == before
    assert brightest(kpi) > 220  # full colour: the value's text stays white
    assert kpi.badge_text().startswith("data ") and kpi.badge_text().endswith(" · sumber terganggu")
    texts = [i.text for w in wall.windows if w.footer for i in w.footer.model.items]
    assert not any("HTTP 500" in t for t in texts)


def test_data_past_their_rhythm_dim_and_say_their_age_even_while_failing(make_wall, wall_config, db_url, qtbot):
    cache = Cache.open(db_url, city="1275")
    try:
        now = time.time()
        old = now - 50 * 60  # sipd-realisasi runs every 15 min: stale past 45 min
        cache.write_samples("sipd-realisasi", [Sample("serapan_keuangan", "", month_end(2099, 3), 60.5)], known_at=old)
        cache.record_run(RunRecord("sipd-realisasi", old - 1, old, "ok", "", 1))
        cache.record_run(RunRecord("sipd-realisasi", now - 3, now - 2, "failed", "not JSON: got an HTML page", 0))
        wall = make_wall(cache)
        (kpi,) = wall.panel_widgets("serapan")
        qtbot.waitUntil(lambda: kpi.freshness == "stale", timeout=3000)
        assert kpi.is_stale and kpi.shown["value"] == "60,5%"
        assert kpi.badge_text() == "Kedaluwarsa · data 50 menit lalu"
        assert brightest(kpi) < 150  # dimmed: the value's white text is painted at 45 %
        assert kpi.shown["badge"].startswith("Kedaluwarsa")  # as much as the narrow card's title row holds
        assert kpi.shown["as_of"].endswith(" · data 50 menit lalu")
    finally:
        cache.close()


def test_one_screen_shows_the_whole_wall_scaled_and_says_monitors_are_missing(make_wall, filled, four_screens):
    wall = make_wall(filled[0], screens=four_screens[:1])
    assert len(wall.windows) == 1 and wall.plan.scaled
    (win,) = wall.windows
    assert win.viewport.scale == pytest.approx(0.5)
    assert set(win.panels) == {p.id for p in wall.cfg.scene_by_id["ringkasan"].panels}
    for panel in win.panels.values():
        assert win.rect().contains(panel.geometry())
    assert win.header.shown["missing"] == "3 monitor tidak terdeteksi"


def test_screens_changing_relays_out(make_wall, filled, four_screens, qtbot):
    wall = make_wall(filled[0], screens=four_screens[:2])
    assert len(wall.windows) == 2 and wall.plan.missing == [2, 3]
    wall._fixed_screens = four_screens
    with qtbot.waitSignal(wall.relaidOut, timeout=3000):
        wall._screens_changed()
    assert len(wall.windows) == 4 and not wall.plan.missing
    qtbot.waitUntil(lambda: len(wall.panel_widgets("serapan")) == 1, timeout=3000)


def test_grab_wall_composites_every_screen(make_wall, filled):
    wall = make_wall(filled[0])
    img = wall.grab_wall()
    assert (img.width(), img.height()) == (3840, 2160)
    # every monitor has drawn content (not the plain background)
    for x0, y0 in ((0, 0), (1920, 0), (0, 1080), (1920, 1080)):
        colors = {img.pixel(x0 + x, y0 + y) for x in range(0, 1920, 37) for y in range(0, 1080, 29)}
        assert len(colors) > 20


def test_english(make_wall, filled):
    wall = make_wall(filled[0], lang="en")
    header = wall.windows[1].header
    assert header.shown["demo"] == "SIMULATED DATA"
    assert header.shown["as_of"].startswith("Data as of")
    assert wall.panel_widgets("serapan")[0].shown["target"].startswith("Target")
    from commandcenter.ui import i18n

    i18n.install("id")
