"""The measured wall of benchmarks/workload.py.

Default: the real `commandcenter wall` entry (cli.main) with a probe that, from CC_PROBE_AFTER
seconds on, counts the panels that took a new model and the scene data applied, and writes them
to CC_PROBE_OUT at exit. The probe only looks (a 1 s timer comparing model objects).

--stall N: the wall and (with --console) the operator console in this process, with a 10 ms
heartbeat for N seconds while `commandcenter collect` (started here) brings new values every 5 s;
prints the heartbeat lateness as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time


_CONTROLLERS: list = []


def _watch_controllers() -> None:
    """Note each WallController as it is made: the wall freezes its start-up objects out of the
    garbage collector, where gc.get_objects() no longer finds them."""
    from commandcenter.ui.controller import WallController

    init = WallController.__init__

    def noted(self, *a, **kw):
        init(self, *a, **kw)
        _CONTROLLERS.append(self)

    WallController.__init__ = noted


def _controller():
    from commandcenter.ui.controller import WallController

    if _CONTROLLERS:
        return _CONTROLLERS[-1]
    return next((o for o in gc.get_objects() if isinstance(o, WallController)), None)


class Probe:
    def __init__(self, app, after: float, out: str | None) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.out = app, out
        self.base: dict[int, object] = {}
        self.changed: set[int] = set()
        self.builds = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self.sample)
        QTimer.singleShot(int(after * 1000), self.start)
        app.aboutToQuit.connect(self.write)

    def panels(self):
        from PySide6.QtWidgets import QApplication

        return [p for w in QApplication.topLevelWidgets() if w.objectName().startswith("wall-window-")
                for p in getattr(w, "panels", {}).values()]

    def start(self) -> None:
        self.base = {id(p): p.model for p in self.panels()}
        wall = _controller()
        if wall is not None:
            wall.dataApplied.connect(self._built)
        self.timer.start(1000)

    def _built(self, *_a) -> None:
        self.builds += 1

    def sample(self) -> None:
        for p in self.panels():
            if id(p) in self.base and p.model is not self.base[id(p)]:
                self.changed.add(id(p))

    def write(self) -> None:
        self.sample()
        if self.out:
            with open(self.out, "w") as f:
                json.dump({"panels": len(self.base), "changed": len(self.changed), "builds": self.builds}, f)


def wall_main(argv: list[str]) -> int:
    from commandcenter import cli
    from commandcenter.ui.app import ensure_app

    app = ensure_app()
    _watch_controllers()
    probe = Probe(app, float(os.environ.get("CC_PROBE_AFTER", "8")), os.environ.get("CC_PROBE_OUT"))
    prof = None
    if os.environ.get("CC_PROFILE"):  # the GUI thread's profile, for looking into a figure
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    try:
        return cli.main(["wall", *argv])
    finally:
        probe.write()  # also when the loop ended without aboutToQuit
        if prof is not None:
            prof.disable()
            prof.dump_stats(os.environ["CC_PROFILE"])


def stall_main(a: argparse.Namespace) -> int:
    from benchmarks.wallchild import Heartbeat, pump, wait_for
    from commandcenter.cache import Cache
    from commandcenter.config import load_config
    from commandcenter.ui.app import ensure_app
    from commandcenter.ui.controller import WallController

    app = ensure_app()
    cfg = load_config(a.config)
    cache = Cache.open(a.db, city=cfg.city_key)
    wall = WallController(cfg, cache)
    builds = [0]
    wall.dataApplied.connect(lambda *_: builds.__setitem__(0, builds[0] + 1))
    from commandcenter.ui.app import start_rotation, stop_rotation

    # the wall as `commandcenter wall` runs it (rotation pinned to the scene, the command bus and
    # its thumbnails); with --console, the console program in the same process, over the cache
    from commandcenter.ui.wall_link import WallLink

    thumbs = [0]
    take = WallLink.thumbnails

    def counted(link):  # the wall's own pictures for the console, counted (the probe only looks)
        thumbs[0] += 1
        return take(link)

    WallLink.thumbnails = counted
    driver = start_rotation(cfg, cache, wall, a.scene, kiosk=False, name="bench", heartbeat=2.0)
    console = None
    if a.console:
        from commandcenter.ui.console import start_console

        console = start_console(cfg, cache, lang=wall.lang)
    wall.show_scene(a.scene)
    wait_for(lambda: wall._built_scene == a.scene and not wall.applying, 60)
    coll = subprocess.Popen([sys.executable, "-m", "commandcenter", "collect", "--config", a.config, "--db", a.db],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        pump(float(os.environ.get("CC_PROBE_AFTER", "6")))
        b0, t0 = builds[0], thumbs[0]
        hb = Heartbeat()
        pump(a.stall)
        hb.stop()
    finally:
        coll.terminate()
        coll.wait(20)
    out = {"lateness": hb.lateness_ms(), "builds": builds[0] - b0, "thumbs": thumbs[0] - t0}
    if console is not None:
        console.shutdown()
    stop_rotation(driver)
    wall.close()
    cache.close()
    print(json.dumps(out), flush=True)
    app.processEvents()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stall", type=float, default=0)
    ap.add_argument("--console", action="store_true")
    ap.add_argument("--config")
    ap.add_argument("--db")
    ap.add_argument("--scene")
    a, rest = ap.parse_known_args()
    if a.stall:
        return stall_main(a)
    return wall_main(["--config", a.config, "--db", a.db, "--scene", a.scene, *rest])


if __name__ == "__main__":
    sys.exit(main())
