"""The console's view of the room through the command bus: the walls' reports, and the commands
it sends. Method names follow the RotationDriver's, so the controls read the same either way."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from commandcenter.cache.commands import EVERY_WALL
from commandcenter.control import CommandBus, WallView


class RemoteWalls(QObject):
    updated = Signal()  # new wall reports arrived (or a wall went silent)
    sent = Signal(int, str)  # command id, verb

    def __init__(self, cache: Any, worker: Any, actor: str | None = None, silent_after: float | None = None,
                 clock: Callable[[], float] = time.time, poll_ms: int = 2000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        kw = {} if silent_after is None else {"silent_after": silent_after}
        self.bus = CommandBus(cache, actor, **kw)
        self.cache, self.worker, self.clock = cache, worker, clock
        self.views: list[WallView] = []
        self.target = EVERY_WALL  # which wall the buttons act on
        self.thumbs: dict[int, bytes] = {}
        self._reading = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.poll_ms = poll_ms
        from commandcenter.ui.bridge import CacheChangeBridge

        self.bridge = CacheChangeBridge(self)
        self.bridge.changed.connect(lambda _p: self.poll())

    @property
    def actor(self) -> str:
        return self.bus.actor

    def start(self) -> None:
        self.timer.start(self.poll_ms)
        self.bridge.start(self.cache, interval=min(1.0, self.poll_ms / 1000), watch=self.bus.watch)
        self.poll()

    def stop(self) -> None:
        self.timer.stop()
        self.bridge.stop()

    # -- reading the walls' reports ----------------------------------------------------------------
    def poll(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.worker.read(self._read, self.target, self.clock(), done=self._arrived)

    def _read(self, target: str, now: float) -> tuple[list[WallView], dict[int, bytes]]:
        views = self.bus.walls(now)
        name = target if target != EVERY_WALL else (views[0].name if views else None)
        thumbs = {k: v[0] for k, v in self.cache.wall_thumbs(name).items()} if name else {}
        return views, thumbs

    def _arrived(self, result: Any) -> None:
        self._reading = False
        if result is None:
            return
        self.views, self.thumbs = result
        self.updated.emit()

    def view(self) -> WallView | None:
        """The wall the console shows in detail: the chosen one, else the first that reports."""
        if self.target != EVERY_WALL:
            return next((v for v in self.views if v.name == self.target), None)
        live = [v for v in self.views if not v.silent]
        return (live or self.views or [None])[0]

    @property
    def state(self) -> dict[str, Any]:
        v = self.view()
        return v.state if v is not None else {}

    def silent(self) -> list[WallView]:
        return [v for v in self.views if v.silent]

    # -- commands --------------------------------------------------------------------------------
    def send(self, verb: str, wall: str | None = None, **args: Any) -> None:
        target = wall or self.target
        self.worker.write(self.bus.send, verb, target, done=lambda cid: self._sent(cid, verb), **args)

    def _sent(self, cid: Any, verb: str) -> None:
        if cid is not None:
            self.sent.emit(int(cid), verb)
        QTimer.singleShot(300, self.poll)

    def show(self, scene_id: str) -> None:
        self.send("show_scene", scene=scene_id)

    def next(self) -> None:
        self.send("next")

    def previous(self) -> None:
        self.send("previous")

    def play(self) -> None:
        self.send("play")

    def pause(self) -> None:
        self.send("pause")

    def override(self, scene_id: str | None = None, until: float | None = None,
                 playlist_id: str | None = None) -> None:
        self.send("pin", scene=scene_id, playlist=playlist_id, until=until)

    def release(self) -> None:
        self.send("release")

    def set_dwell(self, index: int, seconds: float) -> None:
        self.send("set_dwell", index=index, seconds=seconds)

    def start_briefing(self, playlist_id: str | None = None) -> None:
        self.send("freeze", playlist=playlist_id)

    def stop_briefing(self) -> None:
        self.send("end_briefing")

    def refreeze(self) -> None:
        self.send("refreeze")

    def replay(self, as_of: float, scene_id: str | None = None) -> None:
        self.send("replay", as_of=as_of, scene=scene_id)

    def spotlight_opd(self, opd: str) -> None:
        self.send("spotlight_opd", opd=opd)

    def spotlight_panel(self, scene_id: str, panel_id: str) -> None:
        self.send("spotlight_panel", scene=scene_id, panel=panel_id)

    def leave_spotlight(self) -> None:
        self.send("leave_spotlight")

    def toggle_blank(self) -> None:
        self.send("blank", on=not bool(self.state.get("blank")))

    def presenter_key(self, name: str) -> None:
        self.send("key", name=name)

    def refresh_source(self, source: str) -> None:
        self.send("refresh", wall="collector", source=source)
