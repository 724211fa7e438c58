"""The applications scene on the 2x2 offscreen wall: status tiles (state by colour and shape),
90-day uptime bars and the availability ranking, from a real cache filled by check results."""

from __future__ import annotations

import time

import pytest
from PySide6.QtGui import QColor

from commandcenter.cache import Cache
from commandcenter.checks import base, metrics as M
from commandcenter.checks.base import CheckResult
from commandcenter.checks.upkeep import write_availability
from commandcenter.collector.apps import samples_for
from tests.ui.demo_fill import fill_apps


@pytest.fixture
def apps_cache(wall_config, db_url):
    cache = Cache.open(db_url, city="1275")
    now = time.time()
    fill_apps(cache, wall_config, now, days=30, every=3600)
    apps = {a.id: a for a in wall_config.extra["apps"].apps}
    last = [("ppdb", CheckResult.fail(base.KEYWORD, "keyword 'Masuk' not found in the page", 90.0)),
            ("ekinerja", CheckResult(True, 2600.0)), ("lpse", CheckResult(True, 120.0, cert_days=9.6)),
            ("simrs", CheckResult(True, 80.0))]
    cache.write_samples(M.SOURCE, [s for app_id, r in last for s in samples_for(apps[app_id], r, int(now) - 5, False)])
    cache.rollup()
    write_availability(wall_config, cache, now, force=True)
    yield cache
    cache.close()


@pytest.fixture
def shown_scene(qtbot, wall_config, four_screens, apps_cache):
    from commandcenter.ui.controller import WallController

    wall = WallController(wall_config, apps_cache, poll_ms=100, refresh_ms=0)
    with qtbot.waitSignal(wall.sceneShown, timeout=15_000):
        wall.show_scene("aplikasi")
    yield wall
    wall.close()


def near(c: QColor, hex_: str, tol: int = 40) -> bool:
    want = QColor(hex_)
    return all(abs(a - b) <= tol for a, b in zip(c.getRgb()[:3], want.getRgb()[:3]))


def icon_pixel(panel, img, app_id: str, dx: float, dy: float) -> QColor:
    center, size = panel.icons[app_id]
    r = size / 2
    return img.pixelColor(round(center.x() + dx * r), round(center.y() + dy * r))


def test_status_tiles_say_state_in_colour_shape_and_words(shown_scene):
    panel = shown_scene.panel_widgets("status-aplikasi")[0]
    assert panel.shown["app:ppdb"].startswith("down|kata kunci tidak ditemukan")
    assert panel.shown["app:ekinerja"] == "degraded|lambat (2,6 s)"
    assert panel.shown["app:lpse"] == "degraded|sertifikat habis 9 hari lagi"
    assert panel.shown["app:simrs"] == "up|80 ms"
    assert "1 Mati" in panel.shown["counts"] and "2 Terganggu" in panel.shown["counts"]
    img = panel.grab().toImage()
    # inside each shape, off its mark: red square, amber triangle, green circle
    assert near(icon_pixel(panel, img, "ppdb", 0.3, 0.6), "#ef4444")
    assert near(icon_pixel(panel, img, "ekinerja", 0.3, 0.6), "#fbbf24")
    assert near(icon_pixel(panel, img, "simrs", 0.3, 0.6), "#22c55e")
    # shapes differ where colour is not needed: the square fills its corner, the circle does not
    assert near(icon_pixel(panel, img, "ppdb", 0.9, -0.9), "#ef4444")
    assert not near(icon_pixel(panel, img, "simrs", 0.9, -0.9), "#22c55e")
    assert not near(icon_pixel(panel, img, "ekinerja", 0.9, -0.9), "#fbbf24")  # the triangle's top is narrow


def test_no_tile_icon_sits_on_a_seam(shown_scene):
    for panel in shown_scene.panel_widgets("status-aplikasi"):
        for center, size in panel.icons.values():
            for frag in panel.frags():
                if frag.contains(center):
                    assert frag.adjusted(size / 2, size / 2, -size / 2, -size / 2).contains(center)
                    break
            else:
                pytest.fail(f"icon at {center} lies in no monitor fragment")


def test_uptime_bars_show_the_bad_day(shown_scene):
    panel = shown_scene.panel_widgets("uptime-90")[0]
    assert set(panel.shown) >= {"uptime:ppdb", "uptime:simrs"}
    bars = panel.bars["ppdb"]
    img = panel.grab().toImage()
    step = bars.width() / 90
    today = img.pixelColor(round(bars.left() + 89.5 * step), round(bars.bottom() - 2))
    early = img.pixelColor(round(bars.left() + 10.5 * step), round(bars.bottom() - 2))  # before the 30 days filled
    assert near(today, "#ef4444") and near(early, "#5b6b82")


def test_availability_kpi_ranks_the_opd_with_the_down_app_first(shown_scene):
    panel = shown_scene.panel_widgets("ketersediaan-opd")[0]
    rows = panel.model.rows
    assert rows[0].key == "disdik" and rows[0].value < 100
