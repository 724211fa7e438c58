"""WallController: the wall's windows on the screens present, the current scene, its data.

Reusable by `wall`, `demo` and the operator console: build it with a config and a cache, call
`show_scene`, connect to `sceneShown`. Screens coming and going re-lay out the wall.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from commandcenter.ui import heap, i18n, theme
from commandcenter.ui.bridge import CollectorBridge
from commandcenter.ui.data import DataService
from commandcenter.ui.window import Backdrop, WallWindow
from commandcenter.wall.arrange import describe, plan
from commandcenter.wall.briefing import scene_of
from commandcenter.wall.geometry import ScreenInfo, WallGeometry
from commandcenter.wall.models import SceneData

log = logging.getLogger(__name__)


class WallController(QObject):
    """Refreshes are coalesced: however many runs finish, at most one scene build starts per
    `min_refresh_ms` (a change while a build is in flight just marks the wall dirty). A new
    SceneData is applied only to the panels whose read model changed, a few panels per
    event-loop turn (each turn's set_model work is kept under APPLY_SLICE_S), so the GUI thread
    never blocks for a whole 48-panel scene. `dataApplied`/`sceneShown` fire once every panel
    shows the data."""

    sceneShown = Signal(str)  # a scene's panels are built and filled with data
    dataApplied = Signal(object)  # every SceneData applied (also on refreshes)
    relaidOut = Signal()

    APPLY_SLICE_S = 0.004  # set_model work per event-loop turn; the panels' repaints follow it
    SLICE_WEIGHT = 2  # panels per event-loop turn (a plot counts 2), so each turn's repaint is short

    def __init__(self, cfg: Any, cache: Any, screens: list[Any] | None = None, lang: str | None = None,
                 windowed: bool = False, poll_ms: int = 1000, refresh_ms: int = 30_000,
                 min_refresh_ms: int = 1000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        heap.tune()  # card pixmaps freed at a scene change go back to the system (ui/heap.py)
        heap.bound_sqlite(cache)  # SQLite's page caches bounded as a whole, not per connection
        self.cfg, self.cache = cfg, cache
        self.lang = lang or cfg.city.language
        i18n.install(self.lang)
        self.windowed = windowed
        self._fixed_screens = screens
        self.geometry = WallGeometry.from_config(cfg.wall)
        self.windows: list[WallWindow] = []
        self.backdrops: list[Backdrop] = []  # screens a spread wall covers only partly
        self.plan = None
        self.scene_id: str | None = None
        self._built_scene: str | None = None  # the scene whose data the windows were filled with
        self._widgets_scene: str | None = None  # the scene whose widgets the windows hold
        self._last: SceneData | None = None
        self.as_of: float | None = None
        self.min_refresh_s = max(0, min_refresh_ms) / 1000
        self._dirty = False
        self._full = True  # the next build re-reads every panel (else only what changed)
        self._ages = False  # the next build also follows the clock (source states, ages)
        self._last_request = float("-inf")
        # after the first paint, not before it: the collection costs ~0.1 s of start-up
        self.sceneShown.connect(lambda _s: QTimer.singleShot(FREEZE_AFTER_MS, _freeze_startup_objects))
        # the old scene's widgets and pixmaps are deleted by then: hand their pages back
        self.sceneShown.connect(lambda _s: QTimer.singleShot(RELEASE_AFTER_MS, heap.release))
        self._throttle = QTimer(self, singleShot=True)
        self._throttle.timeout.connect(self._kick)
        self._queue: list[tuple[Any, Any]] = []  # (panel, model) still to apply
        self._queued: SceneData | None = None  # the SceneData being applied
        self._queued_new_scene = False
        self._slicer = QTimer(self, singleShot=True, interval=0)
        self._slicer.timeout.connect(self._apply_slice)
        self.data = DataService(cfg, cache, self.lang, poll_ms, self)
        self.data.ready.connect(self._apply)
        self.data.ready.connect(self._kick_later)
        self.data.failed.connect(self._kick_later)
        self.data.versionChanged.connect(self.changed)
        self.bridge = CollectorBridge(self)
        # a run in this process: check the change log (a run that brought nothing new moved
        # nothing, and then nothing is read or repainted)
        self.bridge.runFinished.connect(lambda *_: self.data.poll())
        self.changes = self._push_changes(cache)
        from commandcenter.ui import web_status

        web_status.attach(cache)  # web panels' ok/failing reach a console in another process
        self._relayout = QTimer(self, singleShot=True, interval=250)
        self._relayout.timeout.connect(self.relayout)
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        self._ticker = QTimer(self)  # ages move on: "late" becomes "stale" without new data
        self._ticker.timeout.connect(self.aged)
        if refresh_ms > 0:
            self._ticker.start(refresh_ms)
        self.relayout()

    def _push_changes(self, cache: Any) -> Any:
        """On PostgreSQL a collector elsewhere NOTIFYs each commit: listen, and keep the cheap
        data_version poll only as a slow safety net. SQLite keeps the 1 s poll."""
        if getattr(cache, "dialect", "sqlite") != "postgresql":
            return None
        from commandcenter.ui.bridge import CacheChangeBridge

        changes = CacheChangeBridge(self)
        changes.changed.connect(lambda _payload: self.data.poll())
        changes.start(cache)
        if changes.push:
            self.data.poll_timer.setInterval(30_000)
        return changes

    # -- screens --------------------------------------------------------------------------------
    def screens(self) -> list[Any]:
        if self._fixed_screens is not None:
            return [s for s in self._fixed_screens if s in QGuiApplication.screens()]
        return list(QGuiApplication.screens())

    def _screens_changed(self, *_: Any) -> None:
        if not getattr(self, "_closed", False):
            self._relayout.start()

    def relayout(self) -> None:
        """(Re)build one window per viewport for the screens present, and refill them."""
        qscreens = self.screens()
        infos = [ScreenInfo(s.name(), s.geometry().x(), s.geometry().y(), s.geometry().width(), s.geometry().height())
                 for s in qscreens]
        wall = self.cfg.wall
        self.plan = plan(self.geometry, infos, wall.screen_mapping, wall.console_screen)
        text = describe(self.geometry, self.plan)
        log.log(logging.INFO if self.plan.mode == "configured" else logging.WARNING, "%s", text)
        for w in self.windows + self.backdrops:
            w.close()
            w.deleteLater()
        self.backdrops = [Backdrop(qscreens[i]) for i in self.plan.backdrops]
        self.windows = [WallWindow(self.plan, i, self.cfg, self.lang, qscreens[vp.screen])
                        for i, vp in enumerate(self.plan.viewports)]
        for w in self.backdrops + self.windows:  # backdrops first: the wall's windows lie on top
            self._show(w)
        self._built_scene = self._widgets_scene = None
        if self._last is not None:
            self._apply(self._last)
        self._request()
        self.relaidOut.emit()

    def _show(self, w: Any) -> None:
        if self.windowed or getattr(getattr(w, "viewport", None), "target", None) is not None:
            w.show()
        else:
            w.showFullScreen()

    @property
    def missing_monitors(self) -> int:
        return len(self.plan.missing) if self.plan is not None else 0

    # -- scenes and data ------------------------------------------------------------------------
    def show_scene(self, scene_id: str) -> None:
        if scene_of(self.cfg, scene_id) is None:
            raise KeyError(f"unknown scene {scene_id!r}")
        self.scene_id = scene_id
        self._request()
        if self._built_scene is None and self._widgets_scene is None:
            # nothing on the wall yet (start-up): build the widgets (the panels, their
            # plots) while the worker reads the first scene, rather than after it
            self._build_widgets(scene_id)

    def refresh(self, *_: Any) -> None:
        """Ages moved on, or the caller wants everything re-read: rebuild the whole scene soon,
        at most once per `min_refresh_s`."""
        if self.scene_id is None:
            return
        self._dirty = True
        self._full = True
        self._kick()

    def aged(self, *_: Any) -> None:
        """Time passed: sources may have turned late or stale, "last success" ages moved. Only
        the panels of sources whose state changed and the health panels are rebuilt."""
        if self.scene_id is None:
            return
        self._dirty = True
        self._ages = True
        self._kick()

    def changed(self, *_: Any) -> None:
        """The cache's change log moved: rebuild soon, only the panels the changes touch."""
        if self.scene_id is None:
            return
        self._dirty = True
        self._kick()

    def _kick(self, *_: Any) -> None:
        if not self._dirty or self._throttle.isActive() or self.data.busy or getattr(self, "_closed", False):
            return  # a build in flight reads the newest data; its arrival kicks again
        wait = self._last_request + self.min_refresh_s - time.monotonic()
        if wait > 0:
            self._throttle.start(max(1, int(wait * 1000) + 1))
        else:
            self._request(full=None)

    def _kick_later(self, *_: Any) -> None:
        """A build landed: once the service is done with it, start the next if the wall is dirty."""
        if self._dirty and not self._throttle.isActive():
            self._throttle.start(0)

    def _request(self, full: bool | None = True) -> None:
        """Start a build now (operator actions and scene changes do not wait for the throttle and
        re-read everything; `full=None`: whatever the refreshes since the last build asked)."""
        if self.scene_id is None:
            return
        self._dirty = False
        full = self._full if full is None else full or self._full
        ages, self._full, self._ages = self._ages, False, False
        self._throttle.stop()
        self._last_request = time.monotonic()
        self.data.request(self.scene_id, self.as_of, self.missing_monitors, full=full, ages=ages)

    def freeze(self, as_of: float) -> None:
        """Show what was known at `as_of` (a briefing): every read takes it, the clocks stop there."""
        self.as_of = as_of
        self._set_clocks(as_of)
        self._request()

    def unfreeze(self) -> None:
        self.as_of = None
        self._set_clocks(None)
        self._request()

    def _set_clocks(self, ts: float | None) -> None:
        for w in self.windows:
            for band in (w.header,):
                if band is not None:
                    band.now = ts
            for panel in w.panels.values():
                if hasattr(panel, "now"):
                    panel.now = ts

    def _apply(self, data: SceneData) -> None:
        if data.scene != self.scene_id:
            return  # an answer for a scene we already left
        new_scene = data.scene != self._built_scene
        if new_scene:
            if self._widgets_scene != data.scene:
                self._build_widgets(data.scene)
            self._built_scene = data.scene
        self._last = data
        queue = []
        for k, w in enumerate(self.windows):  # the bands too take their turns
            if w.header is not None and (new_scene or w.header.model != data.header):
                queue.append((k, w.header, data.header))
            if w.footer is not None and (new_scene or w.footer.model != data.footer):
                queue.append((k, w.footer, data.footer))
        only = None if new_scene else data.rebuilt  # a partial build: the others are as they were
        for k, w in enumerate(self.windows):
            for pid, panel in w.panels.items():
                if only is not None and pid not in only and not getattr(panel, "ages", False):
                    continue  # carried over unchanged (a panel naming its data's age still repaints)
                model = data.panels.get(pid)
                if model is None:
                    continue  # a failed query keeps the panel's last model
                aging = getattr(panel, "time_dependent", False) or getattr(panel, "ages", False)
                if aging or (model is not panel.model and model != panel.model):
                    queue.append((k, panel, model))
        self._queue = queue
        self._queued = data
        self._queued_new_scene = self._queued_new_scene or new_scene  # a newer answer may supersede
        if new_scene:
            # a scene change builds every widget anyway: fill them all at once, so that when
            # the scene is built its panels hold their data (callers and tests rely on it)
            self._slicer.stop()
            while self._queue:
                self._apply_one_turn()
        self._apply_slice()

    def _build_widgets(self, scene_id: str) -> None:
        scene = scene_of(self.cfg, scene_id)
        for w in self.windows:
            w.build(scene)
        self._widgets_scene = scene_id
        self._set_clocks(self.as_of)

    @property
    def applying(self) -> bool:
        """True while panels of the newest SceneData still wait for their turn."""
        return self._queued is not None

    def _apply_slice(self) -> None:
        self._apply_one_turn()
        if self._queue:
            self._slicer.start()
            return
        data, self._queued = self._queued, None
        new_scene, self._queued_new_scene = self._queued_new_scene, False
        if data is None:
            return
        self.dataApplied.emit(data)
        if new_scene:
            self.sceneShown.emit(data.scene)

    def _apply_one_turn(self) -> None:
        """Apply the next few models. set_model is cheap; the repaint it causes (in the next
        event-loop turn, one window at a time) is not: a turn takes at most SLICE_WEIGHT worth
        of panels (a plot counts double), all in one window, then lets the loop paint them."""
        t0 = time.perf_counter()
        queue = self._queue
        weight, window = 0, None
        while queue:
            k, panel, model = queue[0]
            w = 2 if getattr(panel, "kind", "") == "timeseries" or hasattr(panel, "plot") else 1
            if window is not None and (k != window or weight + w > self.SLICE_WEIGHT):
                break
            queue.pop(0)
            window, weight = k, weight + w
            try:
                panel.set_model(model)
            except Exception:  # one broken panel must not stop the others
                log.exception("applying %s failed", getattr(getattr(panel, "spec", None), "id", panel))
            if time.perf_counter() - t0 >= self.APPLY_SLICE_S:
                break

    def panel_widgets(self, panel_id: str) -> list[Any]:
        return [w.panels[panel_id] for w in self.windows if panel_id in w.panels]

    # -- output ---------------------------------------------------------------------------------
    def grab_wall(self) -> QImage:
        """The whole wall as one image: each window grabbed and placed at its screen position."""
        if not self.windows:
            return QImage()
        rects = [w.geometry() for w in self.windows]
        x0, y0 = min(r.x() for r in rects), min(r.y() for r in rects)
        x1, y1 = max(r.right() + 1 for r in rects), max(r.bottom() + 1 for r in rects)
        img = QImage(x1 - x0, y1 - y0, QImage.Format.Format_RGB32)
        img.fill(QColor(theme.BG))
        p = QPainter(img)
        for w, r in zip(self.windows, rects):
            p.drawPixmap(QPoint(r.x() - x0, r.y() - y0), w.grab())
        p.end()
        return img

    def attach_collector(self, collector: Any) -> None:
        self.bridge.attach(collector)

    def close(self) -> None:
        self.bridge.detach()
        if self.changes is not None:
            self.changes.stop()
        self._ticker.stop()
        self.data.close()
        # Qt drops the screenAdded/screenRemoved connections when this QObject is destroyed;
        # until then a closed wall just ignores screen changes
        self._closed = True
        self._relayout.stop()
        self._throttle.stop()
        self._slicer.stop()
        self._queue, self._queued = [], None
        for w in self.windows + self.backdrops:
            w.close()
            w.deleteLater()
        self.windows, self.backdrops = [], []


FREEZE_AFTER_MS = 3000
RELEASE_AFTER_MS = 1000


def _freeze_startup_objects(_scene: str = "") -> None:
    """After the first scene is up: collect once, then move every object alive (Qt bindings,
    pyqtgraph, babel data, config: millions) out of the collector's reach. A full collection then
    scans only what came since, instead of pausing the GUI thread half a second when refreshes
    (500 applications' read models, say) churn enough objects to trigger one; see
    benchmarks/apps.py. A wall started with the collector paused gets it back here."""
    from commandcenter.ui import startup_gc

    startup_gc.settle()
