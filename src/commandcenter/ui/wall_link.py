"""The wall's end of the command bus (commandcenter.control): it carries out the consoles'
commands on its RotationDriver and reports back what it shows, with a heartbeat and a small
picture of each monitor. A wall runs the same with no console at all.

An idle wall costs the database next to nothing: a report goes out when the state or the painted
picture changed (checked twice per heartbeat), else once per heartbeat as a keep-alive; the
pictures are taken only after something was painted afresh.

Reads and writes of the bus run on the driver's worker threads; commands are carried out in the
GUI thread (they move widgets). The watcher (LISTEN on PostgreSQL, polling on SQLite) only pokes.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, QTimer, Signal

from commandcenter.control import WallEndpoint
from commandcenter.control.bus import HEARTBEAT
from commandcenter.ui import paint_cache
from commandcenter.ui.thumbs import thumbnail

log = logging.getLogger(__name__)
THUMB_WIDTH = 320  # px: enough to recognise a scene, small enough for a database row
THUMBS_EVERY = 30.0  # s: the clocks' minute shows in the pictures within this (new data, scenes: at once)
FETCH_EVERY = 30.0  # s: the bus read without a wake-up, a safety net under lost notifications


class WallLink(QObject):
    executed = Signal(object)  # a CommandRecord the wall carried out
    reported = Signal()  # a report reached the cache

    def __init__(self, cache: Any, driver: Any, controller: Any, name: str | None = None,
                 heartbeat_s: float = HEARTBEAT, collector: Any = None, poll_s: float = 0.5,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache, self.driver, self.controller, self.collector = cache, driver, controller, collector
        self.endpoint = WallEndpoint(cache, name, extra=("collector",) if collector is not None else ())
        self.name = self.endpoint.name
        self._fetching = self._again = False
        self.heartbeat_s = heartbeat_s
        self._thumbs_due = False  # nothing painted yet: the first pictures follow the first data
        self._renders = paint_cache.renders  # what was painted when the last pictures were taken
        self._thumbs_at = self._fetched_at = time.monotonic()
        self._sent: tuple[dict[str, Any], float] | None = None  # the last state reported, when
        self.stopped = False
        self.last_command: dict[str, Any] | None = None
        from commandcenter.ui.bridge import CacheChangeBridge

        self.bridge = CacheChangeBridge(self)
        self.bridge.changed.connect(lambda _p: self.fetch())
        self.bridge.start(cache, interval=poll_s, watch=self.endpoint.watch)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._beat)
        self.timer.start(int(heartbeat_s * 500))  # a changed state waits at most half a heartbeat
        driver.scene_changed.connect(self._scene_changed)
        applied = getattr(controller, "dataApplied", None)
        if applied is not None:  # the wall's pictures change when its data do: with the next report
            applied.connect(self._data_applied)
        driver.mode_changed.connect(self.report_soon)
        self._soon = QTimer(self, singleShot=True, interval=100)
        self._soon.timeout.connect(self.report)
        self.report()

    # -- commands ---------------------------------------------------------------------------------
    def fetch(self) -> None:
        if self.stopped:
            return
        if self._fetching:
            self._again = True
            return
        self._fetching = True
        self._fetched_at = time.monotonic()
        self.driver.worker.read(self.endpoint.take, done=self._carry_out)

    def _carry_out(self, cmds: list[Any] | None) -> None:
        self._fetching = False
        if self.stopped:
            return
        for cmd in cmds or []:
            result = self.execute(cmd)
            self.driver.worker.write(self.endpoint.done, cmd, result)
            self.last_command = {"id": cmd.id, "verb": cmd.verb, "actor": cmd.actor, "result": result}
            self.executed.emit(cmd)
        if cmds:
            self.report_soon()
        if self._again:
            self._again = False
            self.fetch()

    def execute(self, cmd: Any) -> str:
        """Carry out one command as its sender (the audit names the console's user@host)."""
        d, a = self.driver, cmd.args
        d.actor = cmd.actor
        try:
            return _run(self, d, cmd.verb, a) or "ok"
        except Exception as exc:  # a bad scene id or panel: refused, the wall carries on
            log.warning("command %s %s refused: %s", cmd.verb, a, exc)
            return f"refused: {exc}"
        finally:
            d.actor = "operator"

    def refresh_source(self, source: str) -> str | None:
        if self.collector is None:
            return "no collector here"
        self.driver.worker.write(self.collector.refresh_now, source)
        return None

    # -- reports ------------------------------------------------------------------------------------
    def _beat(self) -> None:
        now = time.monotonic()
        if paint_cache.renders != self._renders and now - self._thumbs_at >= THUMBS_EVERY:
            self._thumbs_due = True  # the clocks moved on (or anything else was painted afresh)
        sent = self._sent
        if self._thumbs_due or sent is None or now - sent[1] >= self.heartbeat_s * 0.9 or self.state() != sent[0]:
            self.report()  # the 0.9: a keep-alive never slips a whole beat late
        if now - self._fetched_at >= FETCH_EVERY:
            self.fetch()

    def _scene_changed(self, _key: str) -> None:
        self._thumbs_due = True
        QTimer.singleShot(1500, self.report)  # once the new scene is painted

    def _data_applied(self, *_: Any) -> None:
        self._thumbs_due = True

    def report_soon(self, *_: Any) -> None:
        self._soon.start()

    def report(self) -> None:
        if self.stopped:
            return
        state = self.state()
        thumbs = None
        if self._thumbs_due:
            self._renders, self._thumbs_at = paint_cache.renders, time.monotonic()
            thumbs = self.thumbnails()
        self._thumbs_due = False
        self._sent = (state, time.monotonic())
        self.driver.worker.write(self.endpoint.report, state, thumbs, done=lambda _r: self.reported.emit())

    def state(self) -> dict[str, Any]:
        d, b, c = self.driver, self.driver.briefing, self.controller
        dec = d.decision
        rot = d.rotation
        plan = getattr(c, "plan", None)
        return {
            "scene": d.shown, "reason": dec.reason if dec else "", "playlist": dec.playlist_id if dec else "",
            "index": dec.index if dec else 0, "next_change_at": dec.next_change_at if dec else None,
            "paused": rot.paused, "pinned": rot.override_ is not None,
            "items": [[s, dw] for s, dw in rot.playlist_items()],
            "briefing": b.active, "frozen_at": b.as_of if b.active else None, "blank": b.blank,
            "spotlight": b.spotlight.key if b.spotlight else None,
            "screens": [s.name() for s in c.screens()] if hasattr(c, "screens") else [],
            "monitors": len(plan.viewports) if plan is not None else 0,
            "missing_monitors": getattr(c, "missing_monitors", 0),
            "collector": self.collector is not None, "last_command": self.last_command,
        }

    def thumbnails(self) -> dict[int, bytes]:
        out = {}
        for i, win in enumerate(getattr(self.controller, "windows", [])):
            if not win.isVisible():
                continue
            # what the window already painted, scaled down (thumbs.py): no re-render of the wall
            img = thumbnail(win, QSize(THUMB_WIDTH, THUMB_WIDTH * 9 // 16)).toImage()
            data = QByteArray()
            buf = QBuffer(data)
            buf.open(QIODevice.OpenModeFlag.WriteOnly)
            img.save(buf, "PNG")
            out[i] = bytes(data.data())
        return out

    def stop(self) -> None:
        self.stopped = True
        self.timer.stop()
        self._soon.stop()
        self.bridge.stop()


def _run(link: WallLink, d: Any, verb: str, a: dict[str, Any]) -> str | None:
    """One verb of commandcenter.control.verbs on the driver; a string result is a refusal."""
    match verb:
        case "show_scene":
            if a["scene"] not in d.cfg.scene_by_id:
                return f"unknown scene {a['scene']}"
            d.show(a["scene"])
        case "next" | "previous" | "play" | "pause" | "release" | "refreeze" | "leave_spotlight":
            getattr(d, verb)()
        case "pin":
            d.override(a.get("scene"), a.get("until"), playlist_id=a.get("playlist"))
        case "set_dwell":
            d.set_dwell(int(a["index"]), float(a["seconds"]))
        case "freeze":
            if not d.briefing.active:
                d.start_briefing(a.get("playlist"), a.get("as_of"))
        case "end_briefing":
            d.stop_briefing()
        case "replay":
            d.replay(float(a["as_of"]), a.get("scene"))
        case "spotlight_opd":
            d.spotlight_opd(a["opd"])
        case "spotlight_panel":
            d.spotlight_panel(a["scene"], a["panel"])
        case "blank":
            if a.get("on") is None or bool(a["on"]) != d.briefing.blank:
                d.toggle_blank()
        case "key":
            d.presenter_key(a["name"])
        case "refresh":
            return link.refresh_source(a["source"])
        case "report":
            link.report()
        case _:
            return f"unknown command {verb}"
    return None
