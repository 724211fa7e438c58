"""Consoles send commands and read what the walls report; walls take their commands and report.

    bus = CommandBus(cache)                     # a console
    bus.send("show_scene", wall="*", scene="ringkasan")
    for w in bus.walls(): print(w.name, w.silent, w.state["scene"])

    end = WallEndpoint(cache, "ruang-utama")    # a wall
    watcher = end.watch(on_command)             # LISTEN on PostgreSQL, polling on SQLite
    for cmd in end.take(): ...; end.done(cmd)   # on a worker thread
    end.report({...})                           # on a change, and every HEARTBEAT s

Nothing here opens a port: it all travels through the cache database.
"""

from __future__ import annotations

import getpass
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from commandcenter.cache.commands import EVERY_WALL, CommandRecord
from commandcenter.cache.notify import watch_changes
from commandcenter.control.verbs import check

SILENT_AFTER = 30.0  # seconds without a heartbeat before a console calls a wall silent
HEARTBEAT = 10.0  # at most this many seconds between a wall's reports (one when its state changes)


def operator_name() -> str:
    """`user@host`: who is behind an action, for the audit log."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container, a service account)
        user = os.environ.get("USER") or "operator"
    return f"{user}@{socket.gethostname()}"[:64]


def default_wall_name() -> str:
    return socket.gethostname()[:64] or "wall"


@dataclass(frozen=True)
class WallView:
    """One wall as a console sees it."""

    name: str
    heartbeat: float
    state: dict[str, Any] = field(default_factory=dict)
    silent: bool = False

    def age(self, now: float) -> float:
        return max(0.0, now - self.heartbeat)


class CommandBus:
    def __init__(self, cache: Any, actor: str | None = None, silent_after: float = SILENT_AFTER) -> None:
        self.cache = cache
        self.actor = actor or operator_name()
        self.silent_after = silent_after

    def send(self, verb: str, wall: str = EVERY_WALL, **args: Any) -> int:
        """Queue a command (audited at once, with who sent it); returns its id."""
        args = {k: v for k, v in args.items() if v is not None}
        check(verb, args)
        cid = self.cache.send_command(wall, verb, args, self.actor)
        self.cache.audit("command", {"id": cid, "wall": wall, "verb": verb, **args}, self.actor)
        return cid

    def walls(self, now: float | None = None) -> list[WallView]:
        now = time.time() if now is None else now
        return [WallView(r.wall, r.heartbeat, r.state, now - r.heartbeat > self.silent_after)
                for r in self.cache.wall_states()]

    def wait_done(self, command_id: int, timeout: float = 5.0, step: float = 0.05) -> CommandRecord | None:
        """For scripts and tests: poll until a wall finished the command (None on timeout)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            cmd = self.cache.command(command_id)
            if cmd is not None and cmd.done_at is not None:
                return cmd
            time.sleep(step)
        return None

    def watch(self, on_change: Callable[[str], None], interval: float = 1.0) -> Any:
        """Wake a console when a wall reported or finished a command (NOTIFY on PostgreSQL;
        on SQLite a poll of the walls' heartbeats and the newest command)."""
        def version() -> Any:
            states = self.cache.wall_states()
            return (self.cache.last_command_id(), tuple((s.wall, s.heartbeat) for s in states))

        return _filtered(self.cache, on_change, ("wall:", "done:", "command:", "alert"), interval, version)


class WallEndpoint:
    """A wall's end of the bus. Commands sent before the wall started are not replayed: a wall
    restarted at night must not redo the afternoon's briefing (its own persisted state does that)."""

    def __init__(self, cache: Any, name: str | None = None, extra: tuple[str, ...] = (),
                 every_wall: bool = True) -> None:
        self.cache = cache
        self.name = (name or default_wall_name())[:64]
        # "collector": the process that runs the collector also takes "refresh" commands
        self.names = (self.name, *((EVERY_WALL,) if every_wall else ()), *extra)
        self.cursor = cache.last_command_id()
        self.started_at = time.time()

    def take(self) -> list[CommandRecord]:
        """The new commands for this wall, oldest first; each is returned once."""
        cmds = self.cache.pending_commands(self.names, self.cursor)
        if cmds:
            self.cursor = cmds[-1].id
        return cmds

    def done(self, cmd: CommandRecord, result: str = "ok") -> None:
        self.cache.finish_command(cmd.id, self.name, result)

    def report(self, state: dict[str, Any], thumbs: dict[int, bytes] | None = None) -> None:
        state = {"host": socket.gethostname(), "pid": os.getpid(), "started_at": self.started_at, **state}
        self.cache.report_wall(self.name, state)
        if thumbs:
            self.cache.put_thumbs(self.name, thumbs)

    def watch(self, on_command: Callable[[str], None], interval: float = 0.5) -> Any:
        """Wake on a new command: NOTIFY on PostgreSQL, a poll of the newest command id on SQLite."""
        return _filtered(self.cache, on_command, ("command:", "reconnected"), interval, self.cache.last_command_id)


def _filtered(cache: Any, on_change: Callable[[str], None], prefixes: tuple[str, ...], interval: float,
              version: Callable[[], Any]) -> Any:
    """watch_changes, passing on only the payloads that matter here (PostgreSQL also carries the
    collector's data notifications on the same channel)."""
    def relay(payload: str) -> None:
        if payload == "data_version" or payload.startswith(prefixes):
            on_change(payload)

    return watch_changes(cache, relay, interval, version=version)
