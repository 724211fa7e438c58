"""A real room on Xvfb: a 2x2 wall and a console monitor (five RandR monitors), `commandcenter
wall` and `commandcenter console` as two processes on one cache, with one source failing for five
minutes (the wall stays calm, values in full colour with a small tag) and then past its rhythm
(dimmed, "kedaluwarsa"). Screenshots go to $CC_SCREENSHOTS (docs/screenshots/ when refreshed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache, RunRecord
from tests.ui.demo_fill import fill
from tests.ui.test_wall_xvfb import _free_display, _wait_for_server

pytestmark = pytest.mark.xvfb
ROOT = Path(__file__).resolve().parents[2]
MONITORS = [("m0", "+0+0", "screen"), ("m1", "+1920+0", "none"), ("m2", "+0+1080", "none"),
            ("m3", "+1920+1080", "none"), ("m4", "+3840+0", "none")]
FAILING = "sipd-realisasi"  # feeds the overview's budget KPIs; runs every 15 min (stale past 45)


@pytest.fixture
def room_display():
    missing = [t for t in ("Xvfb", "xrandr", "import") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (xvfb x11-xserver-utils imagemagick)")
    display = f":{_free_display()}"
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "5760x2160x24", "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    try:
        _wait_for_server(env, proc)
        for name, pos, output in MONITORS:
            subprocess.run(["xrandr", "--setmonitor", name, f"1920/508x1080/286{pos}", output], env=env, check=True,
                           capture_output=True, timeout=20)
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _config(config_copy: Path) -> Path:
    wall = config_copy / "wall.yaml"  # the fifth monitor is the operator's desk
    text = wall.read_text(encoding="utf-8").replace("console_screen: null", "console_screen: m4")
    assert "console_screen: m4" in text
    wall.write_text(text, encoding="utf-8")
    return config_copy


def _failing_for_five_minutes(cache, cfg, now: float) -> None:
    fill(cache, cfg, now)  # every source delivered 10 minutes ago
    for k in range(5):
        t = now - 300 + k * 70
        cache.record_run(RunRecord(FAILING, t, t + 2, "failed", "HTTP 500: <html>Internal Server Error", 0))


def _past_its_rhythm(cache, cfg, now: float) -> None:
    fill(cache, cfg, now - 3000)  # delivered an hour ago...
    for src in cfg.sources:  # ...but every other source has answered since
        if src.id != FAILING:
            cache.record_run(RunRecord(src.id, now - 8, now - 5, "ok", "", 10))
    for k in range(10):
        t = now - 1800 + k * 180
        cache.record_run(RunRecord(FAILING, t, t + 2, "failed", "not JSON: got an HTML page", 0))


def _shoot(env: dict, cfg_dir: Path, db: str, out: Path) -> tuple[Path, Path]:
    common = ["--config", str(cfg_dir), "--db", db]
    wall = subprocess.Popen([sys.executable, "-m", "commandcenter", "wall", *common, "--name", "ruang-utama",
                             "--heartbeat", "1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    console = subprocess.Popen([sys.executable, "-m", "commandcenter", "console", *common, "--operator",
                                "operator@meja-1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        cache = Cache.open(db, city="1275")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not cache.wall_thumbs("ruang-utama"):
            time.sleep(0.5)
        cache.close()
        time.sleep(6)  # the console's next poll shows the thumbnails; the wall's panels settle
        assert wall.poll() is None and console.poll() is None
        whole = out.with_suffix(".root.png")
        subprocess.run(["import", "-window", "root", str(whole)], env=env, check=True, timeout=60)
        wall_png, console_png = out.with_name(out.stem + "-wall.png"), out.with_name(out.stem + "-console.png")
        subprocess.run(["/usr/bin/convert", str(whole), "-crop", "3840x2160+0+0", "+repage", str(wall_png)], check=True)
        subprocess.run(["/usr/bin/convert", str(whole), "-crop", "1920x1080+3840+0", "+repage", str(console_png)],
                       check=True)
        whole.unlink()
        return wall_png, console_png
    finally:
        for p in (console, wall):
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.parametrize("case", ["failing-5min", "past-rhythm"])
def test_a_failing_source_on_a_real_wall_and_console(room_display, config_copy, tmp_path, wall_config, case):
    from PySide6.QtGui import QImage

    cfg_dir = _config(config_copy)
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    (_failing_for_five_minutes if case == "failing-5min" else _past_its_rhythm)(cache, wall_config, time.time())
    cache.close()
    folder = Path(os.environ.get("CC_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    wall_png, console_png = _shoot(room_display, cfg_dir, db, folder / f"room-{case}")
    wall, console = QImage(str(wall_png)), QImage(str(console_png))
    assert (wall.width(), wall.height(), console.width(), console.height()) == (3840, 2160, 1920, 1080)
    for x0, y0 in ((0, 0), (1920, 0), (0, 1080), (1920, 1080)):  # every wall monitor drew panels
        colours = {wall.pixel(x0 + x, y0 + y) for x in range(0, 1920, 37) for y in range(0, 1080, 29)}
        assert len(colours) > 20, (x0, y0)
    # the console is dark like the wall, with a red banner (a source fails) across its top
    assert console.pixelColor(5, console.height() - 5).lightness() < 40
    banner = [console.pixelColor(x, y) for x in range(40, 1800, 50) for y in range(10, 60, 5)]
    assert any(c.red() > 100 and c.green() < 60 for c in banner)
