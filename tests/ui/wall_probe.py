"""Run the wall on whatever screens this process's Qt platform gives and report, as JSON lines on
stdout, where its windows and panels went (for tests with other screen sets than the 2x2 the
test session uses, and on a real X server where monitors come and go).

    python -m tests.ui.wall_probe CONFIG_DIR DB_URL [SECONDS]

One line after the first scene is shown, and one after every re-layout (a monitor unplugged or
plugged back), each once the scene's data is applied. Ends after SECONDS (default 5)."""

from __future__ import annotations

import json
import sys


def snapshot(wall) -> dict:
    windows = []
    for w in wall.windows:
        g = w.geometry()
        panels = {}
        for pid, p in w.panels.items():
            top_left = p.mapToGlobal(p.rect().topLeft())
            panels[pid] = [top_left.x(), top_left.y(), p.width(), p.height()]
        header = w.header.shown if w.header is not None else {}
        windows.append({"screen": w.screen().name(), "geometry": [g.x(), g.y(), g.width(), g.height()],
                        "scale": w.viewport.scale, "panels": panels, "missing": header.get("missing", "")})
    return {"mode": wall.plan.mode, "missing": list(wall.plan.missing), "windows": windows,
            "backdrops": [b.geometry().getRect() for b in wall.backdrops],
            "screens": [s.name for s in wall.plan.screens]}


def _emit(wall, n: int) -> None:
    import os

    print(json.dumps({"layout": n, **snapshot(wall)}), flush=True)
    if os.environ.get("CC_PROBE_PNG"):  # look at it: the composited wall of this layout
        wall.grab_wall().save(os.environ["CC_PROBE_PNG"].replace(".png", f"-{n}.png"))


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from commandcenter.cache import Cache
    from commandcenter.config import load_config
    from commandcenter.ui.controller import WallController

    import logging

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    config_dir, db = argv[0], argv[1]
    seconds = float(argv[2]) if len(argv) > 2 else 5.0
    app = QApplication([sys.argv[0]])
    cfg = load_config(config_dir)
    cache = Cache.open(db, city=cfg.city_key)
    wall = WallController(cfg, cache, windowed=False, poll_ms=200, refresh_ms=0)

    state = {"layouts": 0, "reported": -1}

    def relaid() -> None:
        state["layouts"] += 1

    def report(*_args) -> None:
        if state["reported"] != state["layouts"]:  # once per layout, after its data is applied
            state["reported"] = n = state["layouts"]
            QTimer.singleShot(300, lambda: _emit(wall, n))

    wall.relaidOut.connect(relaid)
    wall.sceneShown.connect(report)
    wall.dataApplied.connect(report)
    wall.show_scene("ringkasan")
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    wall.close()
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
