"""The measured side of the GUI benchmarks: the real WallController (and, where asked, the real
Collector) in a process of its own on Qt's offscreen platform with 4 screens. Prints one JSON
object on the last line of stdout. Run by benchmarks/{stall,refresh,idle,memory}.py:

    python -m benchmarks.wallchild MODE --config DIR --db URL [--seconds N] [...]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.rig import SCENE


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def heap_figures() -> dict[str, float]:
    """Where the RSS is (Linux; each figure only where available): anonymous vs file-backed
    pages, glibc's heap in use and free, SQLite's own heap. For reading a growth, not judged."""
    import ctypes

    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
            key, val = line.split(":", 1)
            if key in ("Anonymous", "Rss"):
                out[key.lower() + "_mb"] = int(val.split()[0]) / 1024
        out["file_mb"] = out.get("rss_mb", 0.0) - out.get("anonymous_mb", 0.0)
        out.pop("rss_mb", None)
    except (OSError, ValueError):
        pass
    try:
        class MallInfo2(ctypes.Structure):
            _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = MallInfo2
        mi = libc.mallinfo2()
        out.update(malloc_used_mb=(mi.uordblks + mi.hblkhd) / 2**20, malloc_free_mb=mi.fordblks / 2**20)
    except (OSError, AttributeError):
        pass
    try:
        lib = ctypes.CDLL("libsqlite3.so.0")  # the one Python's sqlite3 module loaded
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        out["sqlite_mb"] = lib.sqlite3_memory_used() / 2**20
    except (OSError, AttributeError):
        pass
    return {k: round(v, 1) for k, v in out.items()}


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def pump(seconds: float) -> None:
    """Run the real event loop for `seconds`, so timers and queued signals run as in production."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(max(0, int(seconds * 1000)), loop.quit)
    loop.exec()


def wait_for(cond, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        pump(0.05)
    return bool(cond())


def live_qobjects() -> int:
    """QObjects alive: every top-level widget's tree plus the application's own children, after
    deferred deletes have run."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    app = QApplication.instance()
    tops = QApplication.topLevelWidgets()
    return len(tops) + sum(len(w.findChildren(QObject)) for w in tops) + len(app.findChildren(QObject))


class Wall:
    """The app, config, cache and WallController showing the benchmark scene on 4 screens."""

    def __init__(self, config: str, db: str, scene: str = SCENE):
        from commandcenter.cache import Cache
        from commandcenter.config import load_config
        from commandcenter.ui.app import ensure_app
        from commandcenter.ui.controller import WallController

        self.app = ensure_app()
        self.cfg = load_config(config)
        self.cache = Cache.open(db, city=self.cfg.city_key)
        self.wall = WallController(self.cfg, self.cache)
        self.applied = 0
        self.wall.dataApplied.connect(self._count)
        self.shown: list[str] = []
        self.wall.sceneShown.connect(self.shown.append)
        self.show(scene)

    def _count(self, _data: Any) -> None:
        self.applied += 1

    def show(self, scene: str) -> None:
        n = len(self.shown)
        self.wall.show_scene(scene)
        if not wait_for(lambda: len(self.shown) > n or (self.wall._built_scene == scene and self.wall._last), 60):
            raise RuntimeError(f"scene {scene} not shown within 60 s")
        pump(0.3)

    def close(self) -> None:
        self.wall.close()
        self.cache.close()


class Heartbeat:
    """A 10 ms precise QTimer; lateness of each tick = gap since the previous tick - 10 ms."""

    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start(interval_ms)

    def lateness_ms(self) -> list[float]:
        t = self.ticks
        return [max(0.0, (b - a - self.interval) * 1000) for a, b in zip(t, t[1:])]

    def stop(self) -> None:
        self.timer.stop()


def mode_stall(a: argparse.Namespace) -> dict:
    from commandcenter.collector import Collector

    w = Wall(a.config, a.db)
    collector = None
    if a.collector:
        collector = Collector(w.cfg, w.cache, max_workers=a.workers, backoff=0.5)
        w.wall.attach_collector(collector)
        collector.start()
    pump(a.warmup)  # first runs of every source, first refreshes
    hb, applied0, gc0 = Heartbeat(), w.applied, gc.get_stats()[2]["collections"]
    pump(a.seconds)
    hb.stop()
    late = hb.lateness_ms()
    runs = len(w.cache.runs(limit=100000))
    if collector is not None:
        collector.shutdown(wait=False)
    w.close()
    return {"lateness": late, "refreshes": w.applied - applied0, "runs": runs,
            "gen2": gc.get_stats()[2]["collections"] - gc0}


def mode_idle(a: argparse.Namespace) -> dict:
    w = Wall(a.config, a.db)
    pump(a.warmup)
    c0, t0 = cpu_seconds(), time.perf_counter()
    windows = []
    for _ in range(3):  # three equal windows: their median, and the whole span
        ci, ti = cpu_seconds(), time.perf_counter()
        pump(a.seconds / 3)
        windows.append((cpu_seconds() - ci) / (time.perf_counter() - ti) * 100)
    total = (cpu_seconds() - c0) / (time.perf_counter() - t0) * 100
    w.close()
    return {"percent": total, "windows": windows, "refreshes": w.applied}


def mode_refresh(a: argparse.Namespace) -> dict:
    """GUI-thread time from new SceneData to every window repainted, for the product; the same
    number of bare pyqtgraph plots with setData and a repaint, for the baseline."""
    if a.bare:
        return _bare_refresh(a)
    from commandcenter.cache import Sample
    from commandcenter.wall.queries import build_scene

    w = Wall(a.config, a.db)
    w.wall.data.poll_timer.stop()  # only our bursts drive refreshes while we time them
    scene = w.cfg.scene_by_id[SCENE]
    targets = {(p.metric, p.opd or "") for p in scene.panels}
    times, panels = [], sum(len(win.panels) for win in w.wall.windows)
    latest = {(v.metric, v.opd): v for m in {t[0] for t in targets} for v in w.cache.latest(m)}
    for k in range(a.repeats):
        # a burst: every panel's newest value changes (a new version known now)
        burst = [Sample(m, o, v.ts, v.value + 0.5 * (k + 1), period=v.period)
                 for (m, o), v in latest.items() if (m, o) in targets or m in {t[0] for t in targets}]
        w.cache.write_samples("bench-burst", burst)
        data = build_scene(w.cfg, w.cache, SCENE, lang=w.wall.lang)  # off the timed path: a worker does this
        pump(0.05)
        t0 = time.perf_counter()
        w.wall.data.ready.emit(data)  # the signal the worker's result arrives by
        drain(w.wall)
        settle(w.wall.windows)
        times.append((time.perf_counter() - t0) * 1000)
    n_windows = len(w.wall.windows)
    w.close()
    return {"ms": times, "panels": panels, "windows": n_windows}


def drain(wall: Any) -> None:
    """A wall that applies a SceneData over several event-loop turns: run those turns (and the
    repaints they post) until every panel has its new model, so the time counts all of it."""
    from PySide6.QtCore import QCoreApplication

    while getattr(wall, "applying", False):
        QCoreApplication.processEvents()


def settle(windows: list[Any]) -> None:
    """Until the new data are on screen: queued scene-change handling (pyqtgraph's views repaint
    on a queued signal), a synchronous repaint of every window, then what that posted."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    for win in windows:
        win.repaint()
    QCoreApplication.processEvents()


def _bare_refresh(a: argparse.Namespace) -> dict:
    import pyqtgraph as pg
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QGridLayout, QWidget

    from commandcenter.ui.app import ensure_app

    ensure_app()
    pg.setConfigOptions(antialias=True)
    windows, curves = [], []
    for screen in QGuiApplication.screens():
        win = QWidget()
        win.setScreen(screen)
        win.setGeometry(screen.geometry())
        grid = QGridLayout(win)
        for k in range(12):
            plot = pg.PlotWidget()
            item = plot.getPlotItem()
            item.setXRange(0, 12, padding=0)  # fixed ranges: the cheapest, strongest baseline
            item.setYRange(0, 120, padding=0)
            curves.append((item.plot(pen=pg.mkPen("c", width=3)), item.plot(pen=pg.mkPen("w", width=2))))
            grid.addWidget(plot, k // 4, k % 4)
        win.showFullScreen()
        windows.append(win)
    pump(0.5)
    times = []
    xs = list(range(12))
    for k in range(a.repeats):
        pump(0.05)
        t0 = time.perf_counter()
        for i, (c1, c2) in enumerate(curves):
            c1.setData(xs, [40 + j * 5 + (i + k) % 7 for j in xs])
            c2.setData(xs, [j * 8.0 for j in xs])
        settle(windows)
        times.append((time.perf_counter() - t0) * 1000)
    return {"ms": times, "panels": len(curves), "windows": len(windows)}


def mode_memory(a: argparse.Namespace) -> dict:
    """Accelerated polling: worker threads run the real Collector's sources back to back (no
    schedule waits) while the wall refreshes on every finished run and rotates scenes.

    Warm-up is `--warmup-rotations` full rotations (every scene of the config shown once, the
    web scene's Chromium started, every panel kind's caches filled): growth is measured from
    there over `--cycles` further runs. Marks are taken at the same scene (the benchmark's),
    after a rebuild of it, deferred deletes and a full garbage collection."""
    import threading

    from commandcenter.collector import Collector

    w = Wall(a.config, a.db)
    collector = Collector(w.cfg, w.cache, max_workers=a.workers, backoff=0.01)
    w.wall.attach_collector(collector)
    ids = [s.id for s in w.cfg.sources]
    scenes = [SCENE] + [s.id for s in w.cfg.scenes if s.id != SCENE]
    lock, stop = threading.Lock(), threading.Event()
    issued, done, target = [0], [0], [0]
    shown: set[str] = {w.wall.scene_id}
    first_shown: dict[str, float] = {}  # scene -> RSS change (MB) across its first showing

    def claim() -> str | None:
        with lock:
            if issued[0] >= target[0]:
                return None
            issued[0] += 1
            return ids[issued[0] % len(ids)]

    def worker() -> None:
        while not stop.is_set():
            sid = claim()
            if sid is None:
                time.sleep(0.01)
                continue
            collector.run_source(sid)
            with lock:
                done[0] += 1

    rot = {"i": 0, "since": 0, "wraps": 0}  # scene index, runs done when it was shown, full rotations
    timeline: list[dict] = []  # RSS each time the rotation comes back to the benchmark scene

    def show(scene: str) -> None:
        before = rss_mb()
        w.show(scene)
        if scene not in shown:  # what each scene's first showing cost (Chromium for a web scene)
            shown.add(scene)
            first_shown[scene] = round(rss_mb() - before, 1)

    def quiet() -> None:
        """No new runs: let those in flight finish (marks and scene changes are taken with the
        collector idle, so each scene gets its `rotate` runs however long its build takes: at
        the real pace, 100 sources every 5 min, a build is a third of a run, not dozens)."""
        with lock:
            target[0] = issued[0]
        while done[0] < issued[0]:
            pump(0.05)

    def resume() -> None:
        """Runs again: up to the end of this scene's share when rotating (exactly `rotate` runs
        per scene), else without a limit."""
        with lock:
            target[0] = rot["since"] + a.rotate if a.rotate else 10**9

    def rotate_if_due() -> None:
        """The next scene once this one had its `rotate` runs, in order, none skipped."""
        if a.rotate and done[0] - rot["since"] >= a.rotate:
            quiet()
            rot["i"] = (rot["i"] + 1) % len(scenes)
            rot["wraps"] += rot["i"] == 0
            show(scenes[rot["i"]])
            rot["since"] = done[0]
            if rot["i"] == 0:  # back at the benchmark scene: a point of the timeline
                pump(1.0)
                timeline.append({"cycles": done[0], "rss_mb": round(rss_mb(), 1), **heap_figures()})
            resume()

    warm_at: list[int] = []  # the run count at the warm-up mark
    if a.warmup_rotations and not a.rotate:
        raise SystemExit("--warmup-rotations needs --rotate")
    if a.warmup_rotations:
        conds = {"warmup": lambda: rot["wraps"] >= a.warmup_rotations,
                 "end": lambda: bool(warm_at) and done[0] >= warm_at[0] + a.cycles}
    else:
        conds = {"warmup": lambda: done[0] >= a.warmup_cycles, "end": lambda: done[0] >= a.cycles}
    conds["hour"] = lambda: done[0] >= a.hour_cycles
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.workers)]
    resume()
    for t in threads:
        t.start()
    marks = {}
    t0 = time.perf_counter()
    while len(marks) < len(conds):
        due = [label for label, cond in conds.items() if label not in marks and cond()]
        if not due:
            pump(0.1)
            rotate_if_due()
            continue
        quiet()
        if w.wall.scene_id != SCENE:
            w.show(SCENE)  # compare like with like: the same scene at every mark
        pump(1.0)  # let the last refresh land
        # counted before RSS is read: the first count makes a Python wrapper for every QObject
        # and touches code pages (~5 MB), which must not be read as the wall's growth by the
        # marks after the first
        qobjects = live_qobjects()
        gc.collect()
        m = {"cycles": done[0], "rss_mb": rss_mb(), "qobjects": qobjects,
             "seconds": time.perf_counter() - t0, "refreshes": w.applied,
             "scenes_shown": len(shown), "scenes": len(scenes), **heap_figures()}
        for label in due:
            marks[label] = m
        if "warmup" in due:
            warm_at.append(done[0])
        if len(marks) < len(conds) and w.wall.scene_id != scenes[rot["i"]]:
            w.show(scenes[rot["i"]])  # back to where the rotation was
        resume()
    stop.set()
    for t in threads:
        t.join(10)
    w.close()
    return {"marks": marks, "rotate": a.rotate, "first_shown": first_shown, "timeline": timeline}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["stall", "idle", "refresh", "memory"])
    ap.add_argument("--config", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=5)
    ap.add_argument("--collector", action="store_true")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--bare", action="store_true")
    ap.add_argument("--cycles", type=int, default=10_000)
    ap.add_argument("--warmup-cycles", type=int, default=500)
    ap.add_argument("--hour-cycles", type=int, default=1_200)
    ap.add_argument("--rotate", type=int, default=0, help="switch scene every N cycles (0: never)")
    ap.add_argument("--warmup-rotations", type=int, default=0,
                    help="memory: warm-up = N full scene rotations (overrides --warmup-cycles); "
                         "--cycles then counts the runs after it")
    a = ap.parse_args(argv)
    out = globals()[f"mode_{a.mode}"](a)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
