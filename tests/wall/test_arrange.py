"""Where the wall goes on screens that differ from wall.yaml (pure geometry, no Qt)."""

from __future__ import annotations

import pytest

from commandcenter.wall.arrange import describe, plan
from commandcenter.wall.geometry import Rect, ScreenInfo, place
from tests.wall.test_geometry import demo_geometry, screens_2x2, wall_cfg  # noqa: F401  (fixture)


def _visible_area(p, rect: Rect) -> float:
    return sum(f.local.area for f in place(p, rect).fragments)


def test_one_output_of_the_walls_size_is_the_wall(wall_cfg):
    g = demo_geometry(wall_cfg)
    p = plan(g, [ScreenInfo("HDMI-1", 0, 0, 3840, 2160)])
    assert p.mode == "cover" and p.missing == [] and not p.scaled
    (vp,) = p.viewports
    assert vp.scale == 1.0 and vp.source == Rect(0, 0, 3840, 2160)


def test_a_laptop_is_not_the_wall_it_shows_it_scaled(wall_cfg):
    p = plan(demo_geometry(wall_cfg), [ScreenInfo("eDP-1", 0, 0, 1920, 1080)])
    assert p.mode == "scaled" and p.missing == [1, 2, 3] and p.viewports[0].scale == 0.5


def test_a_3x1_row_carries_a_2x2_wall_at_three_quarters(wall_cfg):
    g = demo_geometry(wall_cfg)
    row = [ScreenInfo(f"DP-{i}", i * 1920, 0, 1920, 1080) for i in range(3)]
    p = plan(g, row)
    assert p.mode == "spread" and p.missing == [3]
    assert {vp.screen for vp in p.viewports} == {0, 1, 2}
    assert all(vp.scale == 0.75 for vp in p.viewports)
    assert [vp.target for vp in p.viewports] == [Rect(0, 135, 1920, 810), Rect(0, 135, 960, 810),
                                                 Rect(960, 135, 960, 810), Rect(0, 135, 1920, 810)]
    # the whole wall is shown exactly once
    assert _visible_area(p, p.geometry.rect) == pytest.approx(p.geometry.rect.area)
    assert p.backdrops == (0, 1, 2)


@pytest.mark.parametrize("gone", [0, 1, 2, 3])
def test_a_monitor_gone_loses_no_panel(wall_cfg, gone):
    g = demo_geometry(wall_cfg)
    screens = [s for i, s in enumerate(screens_2x2()) if i != gone]
    p = plan(g, screens)
    assert p.mode == "spread" and len(p.missing) == 1
    for col, row in [(0, 0), (18, 0), (0, 9), (18, 9)]:  # a panel in each monitor's corner
        rect = p.geometry.panel_rect(col, row, 6, 3)
        assert _visible_area(p, rect) == pytest.approx(rect.area), (col, row)


def test_an_output_spanning_the_others_is_not_a_monitor(wall_cfg):
    """X re-creates an output's automatic monitor (the whole framebuffer) when the RandR monitor
    that held the output is deleted: it lies under the three left and must not become m0."""
    g = demo_geometry(wall_cfg)
    screens = screens_2x2()[1:] + [ScreenInfo("screen", 0, 0, 3840, 2160)]
    p = plan(g, screens)
    assert p.mode == "spread" and 3 not in {vp.screen for vp in p.viewports}


def test_the_log_line_says_expected_and_found(wall_cfg):
    g = demo_geometry(wall_cfg)
    row = [ScreenInfo(f"DP-{i}", i * 1920, 0, 1920, 1080) for i in range(3)]
    text = describe(g, plan(g, row))
    assert text == ("wall: expected 2x2 monitors of 1920x1080; found 3 screen(s): DP-0 1920x1080+0+0, "
                    "DP-1 1920x1080+1920+0, DP-2 1920x1080+3840+0; the wall's monitors laid side by side over "
                    "3 screen(s) at 75%; 1 monitor(s) missing")
