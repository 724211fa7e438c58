"""Scene rotation: which scene the wall shows now, and until when. Pure: no Qt, an injected clock.

The schedule (playlists.yaml) picks a playlist by day and time in the city's zone; holidays are the
day "holiday" (not their weekday). A playlist cycles its scenes, each for its dwell time. An alert
may interrupt the rotation for `interrupt.duration`; the rotation then resumes on the same scene
with the dwell it had left. The operator can pause, step, pin a scene or a playlist (an override,
until released or until a given instant). A Qt adapter calls `tick()` whenever `next_change_at`
comes; everything here is plain arithmetic on epoch seconds, so tests drive it with a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Reasons a scene is on the wall, most specific first.
OVERRIDE, INTERRUPT, PAUSED, MANUAL, ROTATION = "override", "interrupt", "paused", "manual", "rotation"


@dataclass(frozen=True, slots=True)
class Decision:
    """What the wall should show now: `scene_id`, why, and when to ask again (None: not by itself)."""

    scene_id: str
    reason: str
    next_change_at: float | None
    playlist_id: str
    index: int
    alert_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Override:
    scene_id: str | None  # a pinned scene, or None when a playlist is pinned
    playlist_id: str | None
    until: float | None


@dataclass(frozen=True, slots=True)
class _Interrupt:
    scene_id: str
    until: float
    alert_id: int | None
    remaining: float  # dwell the interrupted item still had: resume exactly there


class Rotation:
    """The rotation state machine. `cfg` is a CityConfig (uses .playlists, .scenes, .city.timezone)."""

    def __init__(self, cfg: Any, clock: Callable[[], float] = time.time):
        self.cfg = cfg
        self.clock = clock
        self.pl = cfg.playlists
        self.tz = ZoneInfo(cfg.city.timezone)
        self._by_id = {p.id: p for p in self.pl.playlists}
        self._holidays = set(self.pl.holidays)
        now = clock()
        self.dwells: dict[str, float] = {}  # "playlist/index" -> seconds, set by the operator
        self.playlist_id = self.scheduled_playlist(now)
        self.index = 0
        self.item_end = now + self._dwell()
        self.paused = False
        self.paused_remaining = 0.0
        self.override_: _Override | None = None
        self.interrupt_: _Interrupt | None = None
        self.manual = False  # the last step was the operator's (next/previous), shown as reason

    # -- schedule -----------------------------------------------------------------------------
    def day_name(self, d: date) -> str:
        return "holiday" if d in self._holidays else DAYS[d.weekday()]

    def scheduled_playlist(self, now: float) -> str:
        """The playlist the schedule wants at `now` (first matching rule, else `default`)."""
        local = datetime.fromtimestamp(now, self.tz)
        day, minute = self.day_name(local.date()), local.hour * 60 + local.minute
        prev_day = self.day_name(local.date() - timedelta(days=1))
        for rule in self.pl.schedule:
            start, end = _minutes(rule.start), _minutes(rule.end)
            if start <= end:
                if day in rule.days and start <= minute < end:
                    return rule.playlist
            # an overnight rule (22:00-06:00) belongs to the day it starts on
            elif (day in rule.days and minute >= start) or (prev_day in rule.days and minute < end):
                return rule.playlist
        return self.pl.default

    def next_schedule_change(self, now: float) -> float | None:
        """The first instant after `now` at which the scheduled playlist differs (within 8 days)."""
        current = self.scheduled_playlist(now)
        local = datetime.fromtimestamp(now, self.tz)
        midnight = datetime(local.year, local.month, local.day, tzinfo=self.tz)
        marks = {0} | {_minutes(r.start) for r in self.pl.schedule} | {_minutes(r.end) % 1440 for r in self.pl.schedule}
        candidates = sorted(
            (midnight + timedelta(days=d, minutes=m)).timestamp() for d in range(9) for m in marks
        )
        for t in candidates:
            if t > now and self.scheduled_playlist(t) != current:
                return t
        return None

    # -- the decision ---------------------------------------------------------------------------
    def tick(self, now: float | None = None) -> Decision:
        """Advance the state to `now` and say what to show."""
        now = self.clock() if now is None else now
        self._expire(now)
        if self.override_ and self.override_.scene_id:
            return self._decision(self.override_.scene_id, OVERRIDE, self.override_.until, now)
        if self.interrupt_:
            it = self.interrupt_
            until = min(it.until, self.override_.until or it.until) if self.override_ else it.until
            return self._decision(it.scene_id, INTERRUPT, until, now, alert_id=it.alert_id)
        if self.paused:
            return self._decision(self._item_scene(), PAUSED, self._bound(None, now), now)
        self._follow_schedule(now)
        self._advance(now)
        reason = MANUAL if self.manual else ROTATION
        return self._decision(self._item_scene(), reason, self._bound(self.item_end, now), now)

    def _decision(self, scene: str, reason: str, until: float | None, now: float,
                  alert_id: int | None = None) -> Decision:
        return Decision(scene, reason, until, self.playlist_id, self.index, alert_id)

    def _bound(self, t: float | None, now: float) -> float | None:
        """Wake up at the earliest of `t`, an override's end and the next schedule switch."""
        marks = [x for x in (t, self.override_.until if self.override_ else None) if x is not None]
        if not self._pinned_playlist():
            change = self.next_schedule_change(now)
            if change is not None and not self.paused:
                marks.append(change)
        return min(marks) if marks else None

    def _expire(self, now: float) -> None:
        if self.override_ and self.override_.until is not None and now >= self.override_.until:
            self.override_ = None
        if self.interrupt_ and now >= self.interrupt_.until:
            self._end_interrupt(self.interrupt_.until)

    def _pinned_playlist(self) -> str | None:
        return self.override_.playlist_id if self.override_ else None

    def _follow_schedule(self, now: float) -> None:
        wanted = self._pinned_playlist() or self.scheduled_playlist(now)
        if wanted != self.playlist_id:
            self._switch(wanted, now)

    def _switch(self, playlist_id: str, now: float) -> None:
        self.playlist_id, self.index, self.manual = playlist_id, 0, False
        self.item_end = now + self._dwell()

    def _advance(self, now: float) -> None:
        items = self._items()
        cycle = sum(self._dwell(k) for k in range(len(items)))
        if now - self.item_end > cycle:  # a long sleep: skip whole cycles at once
            self.item_end += (now - self.item_end) // cycle * cycle
        while now >= self.item_end:
            self.index = (self.index + 1) % len(items)
            self.item_end += self._dwell()
            self.manual = False

    # -- operator commands ------------------------------------------------------------------------
    def next(self, now: float | None = None) -> Decision:
        return self._step(+1, now)

    def previous(self, now: float | None = None) -> Decision:
        return self._step(-1, now)

    def _step(self, delta: int, now: float | None) -> Decision:
        """Step through the playlist; a stepped-to scene gets its full dwell. Ends an interrupt
        or a pinned scene (the operator is now driving), keeps a pinned playlist."""
        now = self.clock() if now is None else now
        self._expire(now)
        self.interrupt_ = None
        if self.override_ and self.override_.scene_id:
            self.override_ = None
        if not self.paused:
            self._follow_schedule(now)
        self.index = (self.index + delta) % len(self._items())
        self.item_end = now + self._dwell()
        self.paused_remaining = self._dwell()
        self.manual = True
        return self.tick(now)

    def pause(self, now: float | None = None) -> Decision:
        now = self.clock() if now is None else now
        self.tick(now)
        if not self.paused:
            self.paused, self.paused_remaining = True, max(0.0, self.item_end - now)
        return self.tick(now)

    def play(self, now: float | None = None) -> Decision:
        now = self.clock() if now is None else now
        if self.paused:
            self.paused = False
            self.item_end = now + (self.paused_remaining or self._dwell())
        return self.tick(now)

    def show(self, scene_id: str, now: float | None = None) -> Decision:
        """Jump to a scene: its place in the current playlist if it has one, else pin it."""
        now = self.clock() if now is None else now
        self.tick(now)
        ids = [i.scene for i in self._items()]
        if scene_id in ids and not (self.override_ and self.override_.scene_id):
            self.interrupt_ = None
            self.index, self.manual = ids.index(scene_id), True
            self.item_end = now + self._dwell()
            self.paused_remaining = self._dwell()
            return self.tick(now)
        return self.override(scene_id, None, now)

    def override(self, scene_id: str | None = None, until: float | None = None, now: float | None = None,
                 playlist_id: str | None = None) -> Decision:
        """Pin a scene (or, with `playlist_id`, a playlist) until `until` or `release()`."""
        now = self.clock() if now is None else now
        if scene_id is None and playlist_id is None:
            raise ValueError("override needs a scene or a playlist")
        if scene_id is not None and scene_id not in self.cfg.scene_by_id:
            raise KeyError(f"unknown scene {scene_id!r}")
        if playlist_id is not None and playlist_id not in self._by_id:
            raise KeyError(f"unknown playlist {playlist_id!r}")
        self.tick(now)
        self.interrupt_ = None
        self.override_ = _Override(scene_id, playlist_id, until)
        if playlist_id:
            self._switch(playlist_id, now)
        return self.tick(now)

    def release(self, now: float | None = None) -> Decision:
        """End an override; the schedule's playlist takes over again."""
        self.override_ = None
        return self.tick(now)

    def interrupt(self, alert: Any, now: float | None = None) -> Decision | None:
        """Show the alert's OPD (its detail scene, or interrupt.scene) for interrupt.duration.
        Returns None when the alert does not qualify or the operator holds the wall."""
        now = self.clock() if now is None else now
        scene = self.interrupt_scene(alert)
        if scene is None or self.paused or (self.override_ and self.override_.scene_id):
            return None
        self.tick(now)
        remaining = self.interrupt_.remaining if self.interrupt_ else max(0.0, self.item_end - now)
        self.interrupt_ = _Interrupt(scene, now + self.pl.interrupt.duration, getattr(alert, "id", None), remaining)
        return self.tick(now)

    def interrupt_scene(self, alert: Any) -> str | None:
        rule = self.pl.interrupt
        if not rule.enabled or getattr(alert, "severity", "") not in rule.severities:
            return None
        if not self._may_interrupt(getattr(alert, "rule", "")):
            return None
        if rule.scene:
            return rule.scene
        opd = getattr(alert, "opd", "")
        return next((s.id for s in self.cfg.scenes if opd and s.opd == opd), None)

    def _may_interrupt(self, rule_id: str) -> bool:
        """A source rule's alert interrupts only when alerts.yaml says `interrupt: true`."""
        alerts = self.cfg.extra.get("alerts") if isinstance(getattr(self.cfg, "extra", None), dict) else None
        rule = next((r for r in getattr(alerts, "rules", None) or [] if r.id == rule_id), None)
        return rule is None or getattr(rule, "kind", "") != "source" or bool(getattr(rule, "interrupt", False))

    def _end_interrupt(self, at: float) -> None:
        self.item_end = at + self.interrupt_.remaining
        self.interrupt_ = None

    # -- helpers -----------------------------------------------------------------------------------
    def _items(self) -> list[Any]:
        return list(self._by_id[self.playlist_id].items)

    def _item_scene(self) -> str:
        return self._items()[self.index].scene

    def _dwell(self, index: int | None = None) -> float:
        index = self.index if index is None else index
        default = self._items()[index].dwell
        return float(self.dwells.get(f"{self.playlist_id}/{index}", default))

    def set_dwell(self, index: int, seconds: float, now: float | None = None) -> Decision:
        """The operator's dwell for one item of the playing playlist (kept until restart of config)."""
        now = self.clock() if now is None else now
        if seconds <= 0:
            raise ValueError("dwell must be positive")
        old = self._dwell(index)
        self.dwells[f"{self.playlist_id}/{index}"] = float(seconds)
        if index == self.index:  # the running item keeps the time it already had on the wall
            self.item_end += seconds - old
            self.paused_remaining = max(0.0, self.paused_remaining + seconds - old)
        return self.tick(now)

    def playlist_items(self) -> list[tuple[str, float]]:
        """(scene, dwell) of the playing playlist, for the console's list."""
        return [(item.scene, self._dwell(k)) for k, item in enumerate(self._items())]

    # -- persistence: a restarted wall comes back where it was --------------------------------------
    def snapshot(self, now: float | None = None) -> dict[str, Any]:
        now = self.clock() if now is None else now
        o, it = self.override_, self.interrupt_
        return {
            "playlist": self.playlist_id, "index": self.index, "remaining": max(0.0, self.item_end - now),
            "paused": self.paused, "paused_remaining": self.paused_remaining, "dwells": dict(self.dwells),
            "override": None if o is None else {"scene": o.scene_id, "playlist": o.playlist_id, "until": o.until},
            "interrupt": None if it is None else {"scene": it.scene_id, "until": it.until, "alert": it.alert_id,
                                                  "remaining": it.remaining},
        }

    def restore(self, state: dict[str, Any] | None, now: float | None = None) -> Decision:
        """Take a `snapshot()` back; anything stale or unknown (config changed) is dropped."""
        now = self.clock() if now is None else now
        if not state or state.get("playlist") not in self._by_id:
            return self.tick(now)
        self.playlist_id = state["playlist"]
        self.dwells = {k: float(v) for k, v in (state.get("dwells") or {}).items()}
        self.index = int(state.get("index", 0)) % len(self._items())
        self.item_end = now + float(state.get("remaining", self._dwell()))
        self.paused = bool(state.get("paused"))
        self.paused_remaining = float(state.get("paused_remaining", 0.0))
        o = state.get("override")
        if o and (o.get("scene") in self.cfg.scene_by_id or o.get("playlist") in self._by_id):
            self.override_ = _Override(o.get("scene"), o.get("playlist"), o.get("until"))
        it = state.get("interrupt")
        if it and it.get("scene") in self.cfg.scene_by_id:
            self.interrupt_ = _Interrupt(it["scene"], float(it["until"]), it.get("alert"), float(it["remaining"]))
        return self.tick(now)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.replace(".", ":").split(":")
    return int(h) * 60 + int(m)


def until_time_of_day(now: float, hhmm: str, tz: str) -> float:
    """The next instant at `hhmm` in the city's zone (today, or tomorrow if already past)."""
    zone = ZoneInfo(tz)
    local = datetime.fromtimestamp(now, zone)
    minutes = _minutes(hhmm)
    target = datetime(local.year, local.month, local.day, tzinfo=zone) + timedelta(minutes=minutes)
    if target.timestamp() <= now:
        target += timedelta(days=1)
    return target.timestamp()

