"""`commandcenter wall` entry: bad config exits 2 with the issues listed, no traceback."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from commandcenter.ui.app import first_scene, run_wall


def args(**kw):
    base = dict(config=None, db=None, scene=None, screenshot=None, quit_after=None, lang=None, windowed=False)
    base.update(kw)
    return argparse.Namespace(**base)


def test_bad_config_prints_issues_and_exits_2(config_copy, capsys):
    text = (config_copy / "wall.yaml").read_text(encoding="utf-8")
    (config_copy / "wall.yaml").write_text(text.replace("columns: 2", "columns: two"), encoding="utf-8")
    assert run_wall(args(config=str(config_copy))) == 2
    err = capsys.readouterr().err
    assert "wall.yaml" in err and "Traceback" not in err


def test_unknown_scene_exits_2(config_copy, capsys, tmp_path):
    assert run_wall(args(config=str(config_copy), scene="tidak-ada", db=f"sqlite:///{tmp_path / 'c.sqlite'}")) == 2
    assert "ringkasan" in capsys.readouterr().err


def test_first_scene_is_the_default_playlists(wall_config):
    assert first_scene(wall_config) == "ringkasan"


def test_screenshot_and_quit_in_its_own_process(config_copy, tmp_path):
    """The CLI as operators run it (a process of its own: app.exec() and quit are not for the test's app)."""
    out = tmp_path / "wall.png"
    env = dict(os.environ)  # the 4-screen offscreen platform set by conftest
    run = subprocess.run([sys.executable, "-m", "commandcenter", "wall", "--config", str(config_copy),
                          "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "--scene", "sumber-data",
                          "--screenshot", str(out), "--quit-after", "4"], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert (img.width(), img.height()) == (3840, 2160)


def test_a_wall_without_console_is_interrupted_by_a_new_critical_alert(qtbot, four_screens, wall_config, tmp_path):
    """`commandcenter wall` alone still rotates, and a new critical alert shows its OPD's scene."""
    from commandcenter.cache import Cache
    from commandcenter.ui.app import start_rotation, stop_rotation
    from commandcenter.ui.controller import WallController

    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city="1275")
    wall = WallController(wall_config, cache, poll_ms=0, refresh_ms=0)
    with qtbot.waitSignal(wall.sceneShown, timeout=10_000):
        driver = start_rotation(wall_config, cache, wall, kiosk=False)
    try:
        assert wall.scene_id in {"ringkasan", "anggaran", "layanan", "sumber-data"}
        qtbot.waitUntil(lambda: driver.alert_interrupts.tracker.known is not None)  # alerts open at start seen
        cache.fire_alert("threshold|bor|rsud", "bor-kritis", "critical", "BOR RSUD 97%", metric="bor", opd="rsud")
        with qtbot.waitSignal(wall.sceneShown, timeout=10_000, check_params_cb=lambda s: s == "detail-rsud"):
            driver.alert_interrupts.poll()
        assert wall.scene_id == "detail-rsud"
    finally:
        stop_rotation(driver)
        wall.close()
        cache.close()
