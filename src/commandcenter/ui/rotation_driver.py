"""The thin Qt adapter around the pure rotation and briefing state machines.

A single-shot QTimer wakes at the rotation's `next_change_at`; every decision that changes what
the wall shows goes to the WallController, is audited ("show_scene") and persisted (so a
restarted wall comes back in the same scene and mode). Operator commands come from the console
and from presenter keys on the wall.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from commandcenter.wall.briefing import Briefing
from commandcenter.wall.rotation import Decision, Rotation

log = logging.getLogger(__name__)
STATE_KEY = "wall.session"
MAX_WAIT_MS = 60_000  # re-check at least every minute: the machine may have slept


class RotationDriver(QObject):
    decided = Signal(object)  # Decision, after every tick/command
    scene_changed = Signal(str)  # the scene key now on the wall (spotlight keys included)
    mode_changed = Signal()  # briefing, freeze, spotlight or blank changed

    def __init__(self, cfg: Any, cache: Any, controller: Any, worker: Any,
                 clock: Callable[[], float] = time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache, self.controller, self.worker, self.clock = cfg, cache, controller, worker, clock
        self.rotation = Rotation(cfg, clock)
        self.briefing = Briefing()
        self.shown: str | None = None
        self.decision: Decision | None = None
        self.briefing_playlist: str | None = None
        self.before_briefing: dict[str, Any] | None = None  # the rotation to resume when it ends
        self.actor = "operator"  # who is behind the command being carried out (a console's user@host)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.tick)

    # -- start / restore ---------------------------------------------------------------------------
    def start(self, state: dict[str, Any] | None = None) -> Decision:
        """Begin rotating; with a persisted `state`, come back in that scene and mode."""
        state = state or {}
        self.rotation.restore(state.get("rotation"))
        self.briefing.restore(state.get("briefing"), self.cfg)
        self.briefing_playlist = state.get("briefing_playlist")
        self.before_briefing = state.get("before_briefing")
        self._apply_freeze()
        return self.tick(actor="restore" if state else "rotation")

    def stop(self) -> None:
        self._timer.stop()

    # -- the loop -------------------------------------------------------------------------------------
    def tick(self, actor: str = "rotation") -> Decision:
        return self._apply(self.rotation.tick(self.clock()), actor)

    def _apply(self, decision: Decision, actor: str) -> Decision:
        self.decision = decision
        key = self.briefing.scene_to_show(decision.scene_id)
        if key != self.shown:
            self.shown = key
            self._show(key)
            self.worker.write(self.cache.audit, "show_scene", {"scene": key, "reason": decision.reason,
                                                             "playlist": decision.playlist_id}, actor)
            self.scene_changed.emit(key)
        self._persist()
        self._arm(decision.next_change_at)
        self.decided.emit(decision)
        return decision

    def _arm(self, at: float | None) -> None:
        wait = MAX_WAIT_MS if at is None else max(0, min(MAX_WAIT_MS, int((at - self.clock()) * 1000) + 1))
        self._timer.start(wait)

    def _show(self, key: str) -> None:
        try:
            self.controller.show_scene(key)
        except Exception:  # a broken scene must not stop the rotation: log it, keep going
            log.exception("the wall could not show %s", key)

    def _persist(self) -> None:
        state = {"rotation": self.rotation.snapshot(), "briefing": self.briefing.snapshot(),
                 "briefing_playlist": self.briefing_playlist, "shown": self.shown,
                 "before_briefing": self.before_briefing}
        self.worker.write(self.cache.set_state, STATE_KEY, state)

    def _command(self, decision: Decision, action: str, detail: dict[str, Any] | None = None) -> Decision:
        self.worker.write(self.cache.audit, action, detail or {}, self.actor)
        return self._apply(decision, self.actor)

    # -- rotation commands ---------------------------------------------------------------------------
    def next(self) -> Decision:
        return self._command(self.rotation.next(self.clock()), "next_scene")

    def previous(self) -> Decision:
        return self._command(self.rotation.previous(self.clock()), "previous_scene")

    def pause(self) -> Decision:
        return self._command(self.rotation.pause(self.clock()), "pause")

    def play(self) -> Decision:
        return self._command(self.rotation.play(self.clock()), "play")

    def show(self, scene_id: str) -> Decision:
        self.briefing.spotlight = None
        return self._command(self.rotation.show(scene_id, self.clock()), "choose_scene", {"scene": scene_id})

    def set_dwell(self, index: int, seconds: float) -> Decision:
        d = self.rotation.set_dwell(index, seconds, self.clock())
        return self._command(d, "set_dwell", {"playlist": d.playlist_id, "index": index, "seconds": seconds})

    def override(self, scene_id: str | None = None, until: float | None = None,
                 playlist_id: str | None = None) -> Decision:
        d = self.rotation.override(scene_id, until, self.clock(), playlist_id=playlist_id)
        return self._command(d, "override", {"scene": scene_id, "playlist": playlist_id, "until": until})

    def release(self) -> Decision:
        return self._command(self.rotation.release(self.clock()), "release_override")

    def interrupt(self, alert: Any) -> Decision | None:
        if self.briefing.active:
            return None  # never in the middle of a briefing
        d = self.rotation.interrupt(alert, self.clock())
        if d is None:
            return None
        self.worker.write(self.cache.audit, "interrupt", {"alert": getattr(alert, "id", None),
                                                          "opd": getattr(alert, "opd", ""), "scene": d.scene_id},
                          "rotation")
        return self._apply(d, "rotation")

    # -- briefing -------------------------------------------------------------------------------------
    def start_briefing(self, playlist_id: str | None = None, as_of: float | None = None) -> Decision:
        """Freeze the wall at one instant and hold the rotation: the presenter steps by hand through
        the briefing playlist (playlists.yaml `briefing`, else the one playing). What ran before is
        kept, and comes back when the briefing ends."""
        now = self.clock()
        if not self.briefing.active:
            self.before_briefing = self.rotation.snapshot(now)
            playlist_id = playlist_id or getattr(self.cfg.playlists, "briefing", None)
        self.briefing.start(now if as_of is None else as_of)
        if playlist_id:
            current = self.decision.scene_id if self.decision else None
            self.rotation.override(None, None, now, playlist_id=playlist_id)
            if current in {scene for scene, _ in self.rotation.playlist_items()}:
                self.rotation.show(current, now)  # the briefing starts on what the room is looking at
            self.briefing_playlist = playlist_id
        self.rotation.pause(now)
        self._apply_freeze()
        self.worker.write(self.cache.audit, "freeze", {"as_of": self.briefing.as_of, "playlist": playlist_id},
                          self.actor)
        return self._apply(self.rotation.tick(now), self.actor)

    def refreeze(self) -> Decision:
        self.briefing.refreeze(self.clock())
        self._apply_freeze()
        self.worker.write(self.cache.audit, "freeze", {"as_of": self.briefing.as_of}, self.actor)
        return self._apply(self.rotation.tick(self.clock()), self.actor)

    def stop_briefing(self) -> Decision:
        """Back to live data and to what ran before the briefing (or the replay): the same
        playlist, scene, remaining dwell, pause and pin."""
        now = self.clock()
        self.briefing.stop()
        self.briefing_playlist = None
        before, self.before_briefing = self.before_briefing, None
        if before is not None:
            self.rotation.override_ = self.rotation.interrupt_ = None
            self.rotation.manual = False
            self.rotation.restore(before, now)
        else:
            self.rotation.release(now)
            self.rotation.play(now)
        self._apply_freeze()
        self.worker.write(self.cache.audit, "unfreeze", {}, self.actor)
        return self._apply(self.rotation.tick(now), self.actor)

    def replay(self, as_of: float, scene_id: str | None = None) -> Decision:
        """The wall as it was at `as_of`: that scene, with the data known then (a frozen briefing;
        ending it resumes what ran before)."""
        if not self.briefing.active:
            self.before_briefing = self.rotation.snapshot(self.clock())
        self.briefing.start(as_of)
        self.rotation.pause(self.clock())
        self._apply_freeze()
        if scene_id not in self.cfg.scene_by_id:  # a spotlight's key: replay the scene the rotation had
            scene_id = self.decision.scene_id if self.decision else self.cfg.scenes[0].id
        return self._command(self.rotation.override(scene_id, None, self.clock()), "replay",
                             {"as_of": as_of, "scene": scene_id})

    def spotlight_opd(self, opd: str) -> Decision:
        self.briefing.spotlight_opd(self.cfg, opd)
        return self._mode_command("spotlight", {"opd": opd})

    def spotlight_panel(self, scene_id: str, panel_id: str) -> Decision:
        self.briefing.spotlight_panel(self.cfg, scene_id, panel_id)
        return self._mode_command("spotlight", {"scene": scene_id, "panel": panel_id})

    def leave_spotlight(self) -> Decision:
        self.briefing.leave_spotlight()
        return self._mode_command("leave_spotlight", {})

    def toggle_blank(self) -> Decision:
        self.briefing.toggle_blank()
        return self._mode_command("blank", {"blank": self.briefing.blank})

    def presenter_key(self, name: str) -> str | None:
        """A presenter key from the wall or the console: next/previous/blank/leave spotlight."""
        command = self.briefing.key(name)
        if command == "next":
            self.next()
        elif command == "previous":
            self.previous()
        elif command is not None:
            self._mode_command("blank" if command == "blank" else "leave_spotlight",
                               {"blank": self.briefing.blank, "key": name})
        return command

    def _mode_command(self, action: str, detail: dict[str, Any]) -> Decision:
        d = self._command(self.rotation.tick(self.clock()), action, detail)
        self.mode_changed.emit()
        return d

    def _apply_freeze(self) -> None:
        as_of = self.briefing.read_as_of()
        try:
            if as_of is None:
                self.controller.unfreeze()
            else:
                self.controller.freeze(as_of)
        except Exception:
            log.exception("the wall could not change its freeze")
        self.mode_changed.emit()
