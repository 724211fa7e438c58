"""The wall on monitors as they are, each arrangement in its own process with its own offscreen
screens (the session's QApplication has the 2x2 set): one 3840x2160 output is the wall, a 3x1 row
carries a 2x2 wall spread over all three, a 2x2 set gets one window per monitor. Asserts where the
windows and panels go."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from commandcenter.wall.geometry import WallGeometry
from tests.conftest import DEMO_CONFIG, ROOT
from tests.ui.demo_fill import fill



def screens_file(tmp_path: Path, rects: list[tuple[str, int, int, int, int]]) -> Path:
    path = tmp_path / "screens.json"
    path.write_text(json.dumps({"screens": [
        {"name": n, "x": x, "y": y, "width": w, "height": h, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        for n, x, y, w, h in rects]}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory, wall_config) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('monitors') / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    fill(cache, wall_config, time.time())
    cache.close()
    return db


def probe(tmp_path: Path, db: str, rects: list[tuple[str, int, int, int, int]]) -> tuple[dict, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screens_file(tmp_path, rects)}")
    run = subprocess.run([sys.executable, "-m", "tests.ui.wall_probe", str(DEMO_CONFIG), db, "3"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    first = json.loads(run.stdout.splitlines()[0])
    return first, run.stderr


def where(report: dict, panel: str) -> list[tuple[str, list[int]]]:
    return [(w["screen"], w["panels"][panel]) for w in report["windows"] if panel in w["panels"]]


def inside(rect: list[int], x0: int, y0: int, x1: int, y1: int) -> bool:
    x, y, w, h = rect
    return x >= x0 and y >= y0 and x + w <= x1 and y + h <= y1


def all_panels(wall_config) -> set[str]:
    return {p.id for p in wall_config.scene_by_id["ringkasan"].panels}


def test_one_3840x2160_output_is_the_wall(tmp_path, filled_db, wall_config):
    report, log = probe(tmp_path, filled_db, [("HDMI-1", 0, 0, 3840, 2160)])
    assert report["mode"] == "cover" and report["missing"] == []
    (win,) = report["windows"]
    assert win["geometry"] == [0, 0, 3840, 2160] and win["scale"] == 1.0
    assert win["missing"] == ""  # no "3 monitor tidak terdeteksi": the output covers the grid
    assert set(win["panels"]) == all_panels(wall_config)
    g = WallGeometry.from_config(wall_config.wall).uncompensated()
    r = g.panel_rect(0, 0, 4, 3)  # serapan: the wall's own pixels, one output pixel each
    assert win["panels"]["serapan"] == [round(r.x), round(r.y), round(r.w), round(r.h)]
    assert inside(win["panels"]["sumber"], 1920, 1080, 3840, 2160)  # [18, 9, 6, 3]: bottom-right monitor
    assert "expected 2x2 monitors of 1920x1080; found 1 screen(s): HDMI-1 3840x2160+0+0" in log
    assert "one output covers the whole wall" in log


def test_a_2x2_wall_on_a_3x1_row_spreads_over_all_three(tmp_path, filled_db, wall_config):
    row = [(f"DP-{i}", i * 1920, 0, 1920, 1080) for i in range(3)]
    report, log = probe(tmp_path, filled_db, row)
    assert report["mode"] == "spread" and report["missing"] == [3]
    assert {w["screen"] for w in report["windows"]} == {"DP-0", "DP-1", "DP-2"}
    assert all(w["scale"] == 0.75 for w in report["windows"])
    # the strip: top row of monitors, then the bottom row, 810 px high, centred on the row
    assert [w["geometry"] for w in report["windows"]] == [
        [0, 135, 1920, 810], [1920, 135, 960, 810], [2880, 135, 960, 810], [3840, 135, 1920, 810]]
    shown = {pid for w in report["windows"] for pid in w["panels"]}
    assert shown == all_panels(wall_config)  # nothing lost
    assert [s for s, _ in where(report, "serapan")] == ["DP-0"]  # top-left monitor -> left screen
    (screen, rect), = where(report, "sumber")  # bottom-right monitor -> right screen
    assert screen == "DP-2" and inside(rect, 3840, 135, 5760, 945)
    assert report["windows"][0]["missing"] == "1 monitor tidak terdeteksi"
    assert "found 3 screen(s)" in log and "laid side by side over 3 screen(s) at 75%" in log


def test_a_2x2_wall_on_four_monitors_has_one_window_each(tmp_path, filled_db, wall_config):
    quad = [(f"m{i}", (i % 2) * 1920, (i // 2) * 1080, 1920, 1080) for i in range(4)]
    report, log = probe(tmp_path, filled_db, quad)
    assert report["mode"] == "configured" and report["missing"] == []
    assert [w["geometry"] for w in report["windows"]] == [[x, y, 1920, 1080] for _, x, y, _, _ in quad]
    assert [s for s, _ in where(report, "serapan")] == ["m0"]
    (screen, rect), = where(report, "sumber")
    assert screen == "m3" and inside(rect, 1920, 1080, 3840, 2160)
    assert report["backdrops"] == []
    assert "one window per monitor" in log
