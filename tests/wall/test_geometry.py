"""Pure wall geometry: monitors, bezels, cells, seams and viewports (no Qt)."""

from __future__ import annotations

import pytest

from pathlib import Path

from commandcenter.wall.arrange import plan, wall_screens
from commandcenter.wall.geometry import Rect, ScreenInfo, WallGeometry, place, place_cell


@pytest.fixture
def wall_cfg():
    """The demo wall.yaml (read alone: the geometry needs no other file)."""
    from commandcenter.config.schema.wall import WallFile
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load((DEMO / "wall.yaml").read_text(encoding="utf-8"))
    return WallFile.model_validate(doc).wall


def demo_geometry(wall, compensate=None) -> WallGeometry:
    return WallGeometry.from_config(wall, compensate)

DEMO = Path(__file__).resolve().parents[2] / "config"


def screens_2x2() -> list[ScreenInfo]:
    return [ScreenInfo(f"s{i}", (i % 2) * 1920, (i // 2) * 1080, 1920, 1080) for i in range(4)]


def test_bezel_compensation_adds_hidden_pixels(wall_cfg):
    g = demo_geometry(wall_cfg)
    # 1.8 mm per edge at 1920 px / 1209.6 mm = 5.714 px hidden between two monitors: 6 whole pixels
    assert g.gap_x == round(3.6 * 1920 / 1209.6) == 6
    assert g.width == pytest.approx(3840 + g.gap_x)
    assert g.monitors[1].rect.x == pytest.approx(1920 + g.gap_x)
    assert g.monitors[3].rect == Rect(1920 + g.gap_x, 1080 + g.gap_y, 1920, 1080)
    plain = demo_geometry(wall_cfg, compensate=False)
    assert plain.width == 3840 and plain.height == 2160


def test_seams_are_the_hidden_strips(wall_cfg):
    g = demo_geometry(wall_cfg)
    v, h = g.seams
    assert (v.orientation, v.start, v.end) == ("v", 1920, pytest.approx(1920 + g.gap_x))
    assert h.orientation == "h" and h.start == 1080


def test_cells_stay_inside_their_monitor(wall_cfg):
    g = demo_geometry(wall_cfg)
    header, footer = g.header_h, g.footer_h
    assert header == 81 and footer == 54
    top_left = g.cell_rect(0, 0, 12, 6)
    assert top_left == Rect(0, header, 1920, 1080 - header)
    bottom_right = g.cell_rect(12, 6, 12, 6)
    assert bottom_right.x == pytest.approx(1920 + g.gap_x)
    assert bottom_right.bottom == pytest.approx(g.height - footer)
    assert not g.seams_crossing(g.panel_rect(0, 0, 12, 6))
    # a half-wall panel spans the vertical seam, including the hidden bezel pixels
    wide = g.cell_rect(12, 0, 12, 6)
    assert wide.w == 1920
    span = g.cell_rect(0, 3, 24, 3)
    assert span.w == pytest.approx(g.width)
    assert [s.orientation for s in g.seams_crossing(span)] == ["v"]


def test_full_plan_maps_each_monitor_to_its_screen(wall_cfg):
    g = demo_geometry(wall_cfg)
    p = plan(g, screens_2x2())
    assert not p.missing and not p.scaled
    assert [vp.screen for vp in p.viewports] == [0, 1, 2, 3]
    assert p.viewports[3].source == g.monitors[3].rect
    assert all(vp.scale == 1 for vp in p.viewports)


def test_screen_order_and_names():
    s = [ScreenInfo("b", 1920, 0, 1920, 1080), ScreenInfo("a", 0, 0, 1920, 1080), ScreenInfo("c", 0, 1080, 1920, 1080)]
    assert wall_screens(s, "order", 4) == [1, 0, 2, None]
    assert wall_screens(s, ["c", "a"], 2) == [2, 1]
    assert wall_screens(s, "order", 2, console="a") == [0, 2]


def test_panel_across_a_seam_has_two_fragments_that_line_up(wall_cfg):
    g = demo_geometry(wall_cfg)
    p = plan(g, screens_2x2())
    pl = place_cell(p, _cell(0, 3, 24, 3))
    assert [f.viewport for f in pl.fragments] == [0, 1]
    left, right = pl.locals()
    # the right fragment starts after the hidden bezel: a line keeps its slope across the seam
    assert right.x - left.right == pytest.approx(g.gap_x)
    # the biggest fragment is where a KPI puts its value; no seam crosses it
    big = pl.largest().moved(pl.rect.x, pl.rect.y)
    assert not g.seams_crossing(big)


def test_kpi_spanning_a_seam_gets_a_whole_fragment(wall_cfg):
    g = demo_geometry(wall_cfg)
    p = plan(g, screens_2x2())
    pl = place_cell(p, _cell(10, 0, 4, 3))  # 2 cells left of the seam, 2 right
    assert len(pl.fragments) == 2
    value_area = pl.largest().moved(pl.rect.x, pl.rect.y)
    assert not g.seams_crossing(value_area)
    assert value_area.w < pl.rect.w


def test_fewer_screens_scale_the_whole_wall(wall_cfg):
    g = demo_geometry(wall_cfg)
    laptop = [ScreenInfo("eDP-1", 0, 0, 1920, 1080)]
    p = plan(g, laptop)
    assert p.scaled and p.missing == [1, 2, 3]
    (vp,) = p.viewports
    assert vp.scale == pytest.approx(0.5)
    assert vp.source.contains(p.geometry.rect)
    # every panel of the wall is visible in the one window
    for cell in [_cell(0, 0, 4, 3), _cell(18, 9, 6, 3), _cell(0, 3, 24, 3)]:
        pl = place_cell(p, cell)
        assert len(pl.fragments) == 1 and pl.fragments[0].local.w == pytest.approx(pl.rect.w)


def test_two_of_four_screens(wall_cfg):
    g = demo_geometry(wall_cfg)
    p = plan(g, screens_2x2()[:2])
    assert p.missing == [2, 3] and len(p.viewports) == 2
    assert p.viewports[0].scale == pytest.approx(0.5)
    union = sum(place(p, p.geometry.rect).locals()[i].area for i in range(2))
    assert union == pytest.approx(p.geometry.rect.area)


def test_cell_clamped_to_grid(wall_cfg):
    g = demo_geometry(wall_cfg)
    assert g.cell_rect(20, 10, 10, 10).right == pytest.approx(g.width)


def _cell(col, row, width, height):
    from commandcenter.config.schema.scenes import Cell

    return Cell(col=col, row=row, width=width, height=height)
