"""WallController: the wall's windows on the screens present, the current scene, its data.

Reusable by `wall`, `demo` and the operator console: build it with a config and a cache, call
`show_scene`, connect to `sceneShown`. Screens coming and going re-lay out the wall.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

from commandcenter.ui import i18n, theme
from commandcenter.ui.bridge import CollectorBridge
from commandcenter.ui.data import DataService
from commandcenter.ui.window import WallWindow
from commandcenter.wall.geometry import ScreenInfo, WallGeometry, plan
from commandcenter.wall.models import SceneData

log = logging.getLogger(__name__)


class WallController(QObject):
    sceneShown = Signal(str)  # a scene's panels are built and filled with data
    dataApplied = Signal(object)  # every SceneData applied (also on refreshes)
    relaidOut = Signal()

    def __init__(self, cfg: Any, cache: Any, screens: list[Any] | None = None, lang: str | None = None,
                 windowed: bool = False, poll_ms: int = 1000, refresh_ms: int = 30_000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache = cfg, cache
        self.lang = lang or cfg.city.language
        i18n.install(self.lang)
        self.windowed = windowed
        self._fixed_screens = screens
        self.geometry = WallGeometry.from_config(cfg.wall)
        self.windows: list[WallWindow] = []
        self.plan = None
        self.scene_id: str | None = None
        self._built_scene: str | None = None
        self._last: SceneData | None = None
        self.as_of: float | None = None
        self.data = DataService(cfg, cache, self.lang, poll_ms, self)
        self.data.ready.connect(self._apply)
        self.data.versionChanged.connect(self.refresh)
        self.bridge = CollectorBridge(self)
        self.bridge.runFinished.connect(self.refresh)
        self.changes = self._push_changes(cache)
        self._relayout = QTimer(self, singleShot=True, interval=250)
        self._relayout.timeout.connect(self.relayout)
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screens_changed)
        self._ticker = QTimer(self)  # ages move on: "late" becomes "stale" without new data
        self._ticker.timeout.connect(self.refresh)
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
        for w in self.windows:
            w.close()
            w.deleteLater()
        self.windows = [WallWindow(self.plan, i, self.cfg, self.lang, qscreens[vp.screen])
                        for i, vp in enumerate(self.plan.viewports)]
        for w in self.windows:
            self._show(w)
        self._built_scene = None
        if self._last is not None:
            self._apply(self._last)
        self.refresh()
        self.relaidOut.emit()

    def _show(self, w: WallWindow) -> None:
        if self.windowed:
            w.show()
        else:
            w.showFullScreen()

    @property
    def missing_monitors(self) -> int:
        return len(self.plan.missing) if self.plan is not None else 0

    # -- scenes and data ------------------------------------------------------------------------
    def show_scene(self, scene_id: str) -> None:
        if scene_id not in self.cfg.scene_by_id:
            raise KeyError(f"unknown scene {scene_id!r}")
        self.scene_id = scene_id
        self.data.request(scene_id, self.as_of, self.missing_monitors)

    def refresh(self, *_: Any) -> None:
        if self.scene_id is not None:
            self.data.request(self.scene_id, self.as_of, self.missing_monitors)

    def freeze(self, as_of: float) -> None:
        """Show what was known at `as_of` (a briefing): every read takes it, the clocks stop there."""
        self.as_of = as_of
        self._set_clocks(as_of)
        self.refresh()

    def unfreeze(self) -> None:
        self.as_of = None
        self._set_clocks(None)
        self.refresh()

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
            scene = self.cfg.scene_by_id[data.scene]
            for w in self.windows:
                w.build(scene)
            self._built_scene = data.scene
            self._set_clocks(self.as_of)
        self._last = data
        for w in self.windows:
            if w.header is not None:
                w.header.set_model(data.header)
            if w.footer is not None:
                w.footer.set_model(data.footer)
            for pid, panel in w.panels.items():
                panel.set_model(data.panels.get(pid))
        self.dataApplied.emit(data)
        if new_scene:
            self.sceneShown.emit(data.scene)

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
        for w in self.windows:
            w.close()
            w.deleteLater()
        self.windows = []
