"""The wall starts with the cyclic garbage collector paused and gets it back with its first scene."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest

from commandcenter.ui import startup_gc
from commandcenter.ui.app import run_wall
from tests.ui.test_app import args


@pytest.fixture
def collector_on():
    """Each test starts with automatic collections on and leaves them so, whatever it does."""
    gc.enable()
    startup_gc.resume()
    yield
    startup_gc.resume()
    gc.enable()


def test_pause_turns_collections_off_and_resume_back_on(collector_on):
    assert startup_gc.pause() is True
    assert not gc.isenabled() and startup_gc.paused()
    assert startup_gc.pause() is False  # already off: nothing more to undo
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.paused()


def test_collections_someone_else_turned_off_stay_off(collector_on):
    gc.disable()
    assert startup_gc.pause() is False
    startup_gc.resume()
    startup_gc.settle()
    assert not gc.isenabled()


def test_settle_turns_collections_back_on(collector_on):
    startup_gc.pause()
    startup_gc.settle()
    assert gc.isenabled() and not startup_gc.paused()


def test_a_wall_that_ends_at_once_leaves_collections_on(config_copy, collector_on, capsys):
    text = (config_copy / "wall.yaml").read_text(encoding="utf-8")
    (config_copy / "wall.yaml").write_text(text.replace("columns: 2", "columns: two"), encoding="utf-8")
    assert run_wall(args(config=str(config_copy))) == 2
    assert gc.isenabled()


WATCH = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from commandcenter import cli
from commandcenter.ui.app import ensure_app

app = ensure_app()
seen = []

def panels():
    return [p for w in QApplication.topLevelWidgets() if w.objectName().startswith("wall-window-")
            for p in getattr(w, "panels", {}).values()]

def watch():
    seen.append(gc.isenabled())
    if seen[-1]:
        ps = panels()
        filled = bool(ps) and all(p.model is not None or not p.needs_data for p in ps)
        print("RESUMED", seen[0], filled, gc.get_freeze_count() > 0, flush=True)
        app.exit(0)
    else:
        QTimer.singleShot(20, watch)

QTimer.singleShot(0, watch)  # the event loop's first turn: the windows are up, the first read runs
sys.exit(cli.main(["wall", *sys.argv[1:], "--windowed", "--quit-after", "60"]))
"""


def test_the_wall_starts_with_collections_off_until_its_first_scene_is_up(config_copy, tmp_path):
    """In a process of its own, as operators start it: off from the start, on again only once
    every panel holds its data, the start-up's objects frozen by then."""
    run = subprocess.run([sys.executable, "-c", WATCH, "--config", str(config_copy),
                          "--db", f"sqlite:///{tmp_path / 'c.sqlite'}", "--scene", "ringkasan"],
                         env=dict(os.environ), capture_output=True, text=True, timeout=120)
    line = next((ln for ln in run.stdout.splitlines() if ln.startswith("RESUMED")), None)
    assert line is not None, run.stderr[-2000:]
    assert line.split()[1:] == ["False", "True", "True"]
