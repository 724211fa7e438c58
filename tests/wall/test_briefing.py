"""Briefing mode logic without Qt: freeze instant, spotlight, blank, presenter keys, persistence."""

from __future__ import annotations

import pytest

from commandcenter.wall.briefing import Briefing, detail_scene, spotlight_scene
from tests.wall.test_rotation import at, load_demo


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    return load_demo(tmp_path_factory.mktemp("cfg"))


def test_freeze_holds_one_instant_until_stopped():
    b = Briefing()
    assert b.read_as_of() is None and b.banner("Asia/Jakarta") == ""
    b.start(at("2025-06-30 09:00"))
    assert b.read_as_of() == at("2025-06-30 09:00")
    assert b.banner("Asia/Jakarta", "WIB") == "DIBEKUKAN · data per 30 Jun 2025 09.00 WIB"
    assert b.banner("Asia/Jakarta", "WIB", "en") == "FROZEN · data as of 30 Jun 2025 09:00 WIB"
    b.refreeze(at("2025-06-30 09:30"))
    assert b.read_as_of() == at("2025-06-30 09:30")
    b.stop()
    assert (b.active, b.read_as_of()) == (False, None)


def cells(scene):
    return {p.id: (p.type, p.cell.col, p.cell.row, p.cell.width, p.cell.height) for p in scene.panels}


def test_a_spotlighted_kpi_fills_the_wall_one_monitor_each(cfg):
    """2x2 wall, 24x12 grid: the KPI big on the top-left monitor, its trend on the top-right one,
    the OPDs' ranking across the bottom row: every monitor used, the KPI's text on one monitor."""
    b = Briefing()
    spot = b.spotlight_panel(cfg, "ringkasan", "bor")
    assert b.scene_to_show("anggaran") == spot.key == "spotlight:ringkasan/bor"
    scene = spotlight_scene(cfg, spot.key)
    assert cells(scene) == {"bor": ("kpi", 0, 0, 12, 6), "bor-tren": ("timeseries", 12, 0, 12, 6),
                            "bor-0": ("kpi", 0, 6, 12, 6), "bor-1": ("kpi", 12, 6, 12, 6)}  # RSUD's ALOS, TOI
    kpi = scene.panels[0]
    assert (kpi.metric, kpi.opd, scene.title) == ("bor", "rsud", "BOR RSUD Djoelham")
    assert (scene.panels[1].metric, scene.panels[1].opd) == ("bor", "rsud")
    assert [(p.metric, p.opd) for p in scene.panels[2:]] == [("alos", "rsud"), ("toi", "rsud")]
    city = spotlight_scene(cfg, "spotlight:ringkasan/serapan")  # a city-wide KPI: the OPDs ranked below
    assert cells(city)["serapan-opd"] == ("ranking", 0, 6, 24, 6)
    assert spotlight_scene(cfg, "layanan") is cfg.scene_by_id["layanan"]
    with pytest.raises(KeyError):
        b.spotlight_panel(cfg, "ringkasan", "nope")


def test_a_spotlighted_table_continues_in_the_next_monitor_column(cfg):
    scene = spotlight_scene(cfg, "spotlight:ringkasan/pengaduan")
    # one piece per monitor, reading down the left monitor column first
    assert cells(scene) == {"pengaduan-0": ("table", 0, 0, 12, 6), "pengaduan-1": ("table", 0, 6, 12, 6),
                            "pengaduan-2": ("table", 12, 0, 12, 6), "pengaduan-3": ("table", 12, 6, 12, 6)}
    assert [(p.options["top"], p.options["skip"]) for p in scene.panels] == [(2, 0), (2, 2), (2, 4), (2, 6)]


def test_any_opd_can_be_spotlighted(cfg):
    b = Briefing()
    assert b.spotlight_opd(cfg, "rsud").scene_id == "detail-rsud"  # a hand-made scene first
    assert b.scene_to_show("ringkasan") == "detail-rsud"
    assert detail_scene(cfg, "dinsos") is None
    spot = b.spotlight_opd(cfg, "dinsos")  # none for dinsos: one made from its KPIs in config
    assert spot.key == "opd:dinsos" and b.scene_to_show("ringkasan") == "opd:dinsos"
    scene = spotlight_scene(cfg, spot.key)
    kpis = [p for p in scene.panels if p.type == "kpi"]
    assert kpis and all(p.opd == "dinsos" for p in scene.panels if p.type != "text")
    assert scene.opd is None or scene.opd == "dinsos"
    assert scene.title.startswith("Detail OPD: ")
    for a in scene.panels:  # inside the grid, no overlaps
        assert a.cell.right <= 24 and a.cell.bottom <= 12
        assert not any(a is not o and a.cell.overlaps(o.cell) for o in scene.panels)
    with pytest.raises(KeyError):
        b.spotlight_opd(cfg, "no-such-opd")


def test_presenter_keys(cfg):
    b = Briefing()
    b.start(0)
    b.spotlight_opd(cfg, "bpkad")
    assert b.key("B") == "blank" and b.blank
    assert b.key("Escape") == "leave_spotlight" and (b.spotlight, b.blank) == (None, False)
    b.spotlight_opd(cfg, "bpkad")
    assert b.key("PageDown") == "next" and b.spotlight is None
    assert [b.key(k) for k in ("Right", "PageUp", "Left")] == ["next", "previous", "previous"]
    assert b.key("Q") is None and b.key("Return") is None
    assert b.active  # keys never leave the briefing itself


def test_snapshot_restore(cfg):
    b = Briefing()
    b.start(123.0)
    b.spotlight_panel(cfg, "anggaran", "pagu")
    b.toggle_blank()
    again = Briefing()
    again.restore(b.snapshot(), cfg)
    assert again.snapshot() == b.snapshot()
    again.restore({"active": False, "spotlight": {"scene": "gone"}}, cfg)
    assert (again.active, again.spotlight, again.blank) == (False, None, False)


def test_scene_at_reads_the_audit_log(cache):
    from commandcenter.wall.briefing import scene_at

    assert scene_at(cache, at("2025-06-30 09:00")) is None
    cache.audit("show_scene", {"scene": "ringkasan"}, "rotation", ts=at("2025-06-30 08:59"))
    cache.audit("show_scene", {"scene": "anggaran"}, "rotation", ts=at("2025-06-30 09:01"))
    cache.audit("freeze", {}, "operator", ts=at("2025-06-30 09:00:30"))
    assert scene_at(cache, at("2025-06-30 09:00")) == "ringkasan"
    assert scene_at(cache, at("2025-06-30 09:05")) == "anggaran"
