"""GUI tests run on Qt's offscreen platform with four virtual 1920x1080 screens in a 2x2 wall.

The platform string must be set before the QApplication exists (pytest-qt creates it lazily at
the first `qtbot`), so it is set when this conftest is imported, during collection.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

SCREENS = [{"name": f"wall-{i}", "x": (i % 2) * 1920, "y": (i // 2) * 1080, "width": 1920, "height": 1080,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1} for i in range(4)]


def _use_four_screens() -> None:
    current = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if current != "offscreen":
        return  # a real display (xvfb tests) or an explicit choice: leave it
    path = Path(tempfile.mkdtemp(prefix="cc-screens-")) / "screens.json"
    path.write_text(json.dumps({"screens": SCREENS}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"


_use_four_screens()


@pytest.fixture(scope="session")
def wall_config():
    from commandcenter.config import load_config

    return load_config(Path(__file__).resolve().parents[2] / "config")


@pytest.fixture
def four_screens(qapp):
    screens = qapp.screens()
    if len(screens) != 4:
        pytest.skip(f"needs the 4-screen offscreen platform, got {len(screens)} screen(s)")
    return screens


@pytest.fixture
def make_wall(qtbot, wall_config, four_screens):
    from commandcenter.ui.controller import WallController

    made = []

    def make(cache, scene="ringkasan", cfg=None, **kw):
        kw.setdefault("poll_ms", 100)
        kw.setdefault("refresh_ms", 0)
        wall = WallController(cfg or wall_config, cache, **kw)
        made.append(wall)
        with qtbot.waitSignal(wall.sceneShown, timeout=10_000):
            wall.show_scene(scene)
        return wall

    yield make
    for wall in made:
        wall.close()
