"""Console and wall as separate processes on one cache (SQLite file, then a real PostgreSQL):
commands reach the wall within 2 s, a killed console leaves the wall running, a killed wall shows
as silent, and two consoles see each other's actions. The walls run as `commandcenter wall`
subprocesses; the consoles under test are real Console windows in this process (offscreen)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.deploy.pgdb import pg_db
from tests.pg_server import pg_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, db_url):
    return db_url if request.param == "sqlite" else request.getfixturevalue("pg_db")


def spawn(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "commandcenter", *args], cwd=ROOT, env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for(pred, timeout: float, step: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = pred()
        if got:
            return got
        time.sleep(step)
    return None


@pytest.fixture
def wall_process(config_copy, url):
    procs = []

    def start(name: str = "utama") -> subprocess.Popen:
        proc = spawn("wall", "--windowed", "--config", str(config_copy), "--db", url, "--name", name,
                     "--heartbeat", "0.5")
        procs.append(proc)
        cache = Cache.open(url, city="1275")
        try:
            seen = wait_for(lambda: any(w.wall == name and w.state.get("scene") for w in cache.wall_states()), 90)
        finally:
            cache.close()
        assert seen, proc.stderr.read()[-2000:] if proc.poll() is not None else "the wall never reported"
        return proc

    yield start
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(10)


@pytest.fixture
def consoles(qtbot, url, demo_config):
    made = []

    def open_console(actor: str):
        from commandcenter.ui.console import Console

        cache = Cache.open(url, city="1275")
        console = Console(demo_config, cache, actor=actor, silent_after=3.0, poll_ms=300)
        qtbot.addWidget(console)
        console.start()
        made.append((console, cache))
        return console

    yield open_console
    for console, cache in made:
        console.shutdown()
        cache.close()


def test_two_processes_command_kill_console_kill_wall_two_consoles(qtbot, url, wall_process, consoles):
    wall = wall_process("utama")
    a, b = consoles("sari@meja-1"), consoles("budi@meja-2")
    qtbot.waitUntil(lambda: a.walls.view() is not None and b.walls.view() is not None, timeout=10_000)
    start_scene = a.walls.state["scene"]
    # the wall's monitors as thumbnails it reported (one per monitor of the 2x2 wall)
    qtbot.waitUntil(lambda: len(a.walls.thumbs) == 4, timeout=15_000)
    qtbot.waitUntil(lambda: not a.thumbs.labels[3].pixmap().isNull(), timeout=5_000)
    assert a.walls.state["monitors"] == 4 and len(a.walls.state["screens"]) == 4
    target = next(s.id for s in a.cfg.scenes if s.id != start_scene)

    # a command from console A changes the wall (the other process) within 2 s
    item = next(a.scenes.list.item(i) for i in range(a.scenes.list.count())
                if a.scenes.list.item(i).data(0x0100) == target)
    sent_at = time.time()
    a.scenes.list.itemClicked.emit(item)
    qtbot.waitUntil(lambda: a.walls.state.get("scene") == target, timeout=2_000)
    assert time.time() - sent_at < 2.0
    bus_cache = Cache.open(url, city="1275")
    try:
        cmd = bus_cache.commands(limit=1)[0]
        assert (cmd.verb, cmd.args, cmd.actor, cmd.done_by, cmd.result) == (
            "show_scene", {"scene": target}, "sari@meja-1", "utama", "ok")
        assert cmd.done_at - cmd.created_at < 2.0
        # the wall audited the change under the console's user@host
        assert bus_cache.audit_log(action="choose_scene")[0].actor == "sari@meja-1"
    finally:
        bus_cache.close()

    # console B sees A's action: the wall's scene highlighted, and A named in its log
    qtbot.waitUntil(lambda: b.scenes.current == target, timeout=5_000)
    b.load_data()
    qtbot.waitUntil(lambda: "sari@meja-1" in b.log_view.toPlainText(), timeout=10_000)
    # and A sees B's: B pauses the rotation, A's play button turns to "Putar"
    b.playlist.play_button.click()
    qtbot.waitUntil(lambda: a.walls.state.get("paused") is True, timeout=3_000)
    qtbot.waitUntil(lambda: "Putar" in a.playlist.play_button.text(), timeout=3_000)

    # killing a console process leaves the wall running and obeying the other consoles
    other = spawn("console", "--config", str(a.cfg.root), "--db", url, "--operator", "x@y")
    try:
        lines = iter(other.stderr.readline, "")
        assert any("controlling the walls" in line for line in lines)  # it is up and running
        other.send_signal(signal.SIGKILL)
        other.wait(10)
    finally:
        if other.poll() is None:
            other.kill()
    b.walls.play()
    qtbot.waitUntil(lambda: a.walls.state.get("paused") is False, timeout=3_000)
    assert wall.poll() is None

    # a killed wall shows as silent in the console (threshold 3 s here, 30 s by default)
    wall.send_signal(signal.SIGKILL)
    wall.wait(10)
    killed = time.monotonic()
    qtbot.waitUntil(lambda: bool(a.walls.silent()), timeout=30_000)
    assert time.monotonic() - killed < 30
    qtbot.waitUntil(lambda: "diam" in a.walls_box.table.item(0, 1).text(), timeout=5_000)
    assert "■" in a.walls_box.table.item(0, 1).text()
    assert "Dinding diam" in a.banner.text()
