"""End to end on a real X server: Xvfb split into 2x2 RandR monitors, `commandcenter wall` as a
subprocess on a pre-filled cache, the composited screenshot checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.ui.demo_fill import fill

pytestmark = pytest.mark.xvfb
ROOT = Path(__file__).resolve().parents[2]
MONITORS = [("m0", "+0+0", "screen"), ("m1", "+1920+0", "none"), ("m2", "+0+1080", "none"), ("m3", "+1920+1080", "none")]


def _free_display() -> int:
    for n in range(91, 140):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb_2x2():
    missing = [tool for tool in ("Xvfb", "xrandr") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (apt-get install xvfb x11-xserver-utils; the test setup script does)")
    n = _free_display()
    display = f":{n}"
    # -noreset: without it the server resets when xrandr disconnects and the monitors vanish
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "3840x2160x24", "-nolisten", "tcp", "-noreset"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=display)
    env.pop("QT_QPA_PLATFORM", None)
    try:
        _wait_for_server(env, proc)
        for name, pos, output in MONITORS:
            subprocess.run(["xrandr", "--setmonitor", name, f"1920/508x1080/286{pos}", output], env=env, check=True,
                           capture_output=True, timeout=20)
        listing = subprocess.run(["xrandr", "--listmonitors"], env=env, capture_output=True, text=True, timeout=20).stdout
        assert "Monitors: 4" in listing, listing
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_for_server(env: dict, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.skip("Xvfb did not start")
        if subprocess.run(["xrandr", "--query"], env=env, capture_output=True, timeout=10).returncode == 0:
            return
        time.sleep(0.2)
    pytest.skip("Xvfb did not answer within 15 s")


def test_wall_on_four_xvfb_monitors_writes_the_whole_wall(xvfb_2x2, tmp_path, wall_config):
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    fill(cache, wall_config, time.time())
    cache.close()
    out = tmp_path / "wall.png"
    env = dict(xvfb_2x2, QT_QPA_PLATFORM="xcb")
    run = subprocess.run([sys.executable, "-m", "commandcenter", "wall", "--config", str(ROOT / "config"), "--db", db,
                          "--screenshot", str(out), "--quit-after", "8"],
                         env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert (img.width(), img.height()) == (3840, 2160)
    for x0, y0 in ((0, 0), (1920, 0), (0, 1080), (1920, 1080)):  # every monitor drew panels
        colors = {img.pixel(x0 + x, y0 + y) for x in range(0, 1920, 37) for y in range(0, 1080, 29)}
        assert len(colors) > 20, (x0, y0)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_on_four_xvfb_monitors(xvfb_2x2, tmp_path, config_copy):
    """`commandcenter demo` end to end: its own simulator, the collector and the wall on a real X
    server; the screenshot is taken once every source has run, so it shows collected data."""
    port = _free_port()
    sources = config_copy / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("127.0.0.1:8765", f"127.0.0.1:{port}"), encoding="utf-8")
    city = config_copy / "city.yaml"
    city.write_text(city.read_text(encoding="utf-8") + f"  data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    out = tmp_path / "demo.png"
    env = dict(xvfb_2x2, QT_QPA_PLATFORM="xcb")
    run = subprocess.run([sys.executable, "-m", "commandcenter", "demo", "--config", str(config_copy), "--db", db,
                          "--no-console", "--screenshot", str(out), "--quit-after", "40"],
                         env=env, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"127.0.0.1:{port}" in run.stderr
    from PySide6.QtGui import QImage

    img = QImage(str(out))
    assert (img.width(), img.height()) == (3840, 2160)
    for x0, y0 in [(0, 0), (1920, 0), (0, 1080), (1920, 1080)]:  # every monitor has content
        colours = {img.pixel(x0 + dx, y0 + dy) for dx in range(40, 1900, 37) for dy in range(120, 1000, 41)}
        assert len(colours) > 20, (x0, y0)
    cache = Cache.open(db, city="1275")
    runs = {k: v for k, v in cache.source_runs().items() if k != "apps"}  # "apps": application check batches
    assert len(runs) == 10 and all(r.last.status in ("ok", "partial", "nodata") for r in runs.values()), runs
    (serapan,) = cache.latest("serapan_keuangan", opds=[""])
    assert 0 < serapan.value <= 100
    cache.close()


def _next_report(proc: subprocess.Popen, timeout: float) -> dict:
    """The probe's next JSON line (one per layout), within `timeout` seconds."""
    import json
    import select

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("{"):
            return json.loads(line)
    proc.kill()
    raise AssertionError(f"no layout report within {timeout} s: {proc.stderr.read()[-3000:]}")


# the monitor unplugged, where it sits, and the panels of the first scene that live on it
UNPLUG = {"m3": ("+1920+1080", {"pengaduan", "tepat-waktu", "sumber"}),  # cells [12..24) x [6..12)
          "m0": ("+0+0", {"serapan", "fisik", "pad", "kurva-s"})}  # the primary monitor


@pytest.mark.parametrize("gone", ["m3", "m0"])
def test_unplugged_monitor_keeps_its_panels_and_comes_back(xvfb_2x2, tmp_path, wall_config, gone):
    """xrandr --delmonitor: the wall re-lays over the three left (scaled, with the badge) and every
    panel stays visible; --setmonitor again: back to one window per monitor, no badge."""
    pos, on_gone = UNPLUG[gone]
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    fill(cache, wall_config, time.time())
    cache.close()
    env = dict(xvfb_2x2, QT_QPA_PLATFORM="xcb")
    proc = subprocess.Popen([sys.executable, "-m", "tests.ui.wall_probe", str(ROOT / "config"), db, "60"], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    panels = {p.id for p in wall_config.scene_by_id["ringkasan"].panels}
    try:
        full = _next_report(proc, 60)
        assert full["mode"] == "configured" and len(full["windows"]) == 4
        assert {w["screen"] for w in full["windows"] if on_gone & set(w["panels"])} == {gone}

        subprocess.run(["xrandr", "--delmonitor", gone], env=xvfb_2x2, check=True, capture_output=True, timeout=20)
        less = _next_report(proc, 30)
        left = {"m0", "m1", "m2", "m3"} - {gone}
        assert less["mode"] == "spread" and len(less["missing"]) == 1
        assert {w["screen"] for w in less["windows"]} == left
        assert {pid for w in less["windows"] for pid in w["panels"]} == panels  # none went with it
        assert any(w["missing"] == "1 monitor tidak terdeteksi" for w in less["windows"])
        x0, y0 = int(pos.split("+")[1]), int(pos.split("+")[2])
        for w in less["windows"]:  # no window on the place of the monitor that went away
            x, y, ww, hh = w["geometry"]
            assert not (x < x0 + 1920 and x + ww > x0 and y < y0 + 1080 and y + hh > y0), w["geometry"]
        assert all(w["scale"] == 0.75 for w in less["windows"])  # one scale: no window stretched

        subprocess.run(["xrandr", "--setmonitor", gone, f"1920/508x1080/286{pos}", "none"], env=xvfb_2x2,
                       check=True, capture_output=True, timeout=20)
        back = _next_report(proc, 30)
        assert back["mode"] == "configured" and back["missing"] == [] and len(back["windows"]) == 4
        assert all(w["missing"] == "" for w in back["windows"])
        assert {w["screen"] for w in back["windows"] if on_gone & set(w["panels"])} == {gone}
    finally:
        proc.kill()
        proc.wait(timeout=10)
