"""The cache's side of the command bus (consoles -> walls) and of the walls' reports back.

Plain SQL on three small tables (migration 0006); `commandcenter.control` builds the bus on top.
A command row is written once by a console and finished once by the wall that carried it out; a
wall's state row is overwritten at every report (its heartbeat). On PostgreSQL each write also
NOTIFYs the city's channel ("command:<id>", "wall:<name>") so listeners wake at once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from commandcenter.cache import engine as engines
from commandcenter.cache.models import CommandRow, WallStateRow, WallThumbRow

EVERY_WALL = "*"


@dataclass(frozen=True)
class CommandRecord:
    id: int
    wall: str
    verb: str
    args: dict[str, Any]
    actor: str
    created_at: float
    done_at: float | None = None
    done_by: str = ""
    result: str = ""


@dataclass(frozen=True)
class WallStateRecord:
    wall: str
    heartbeat: float
    state: dict[str, Any] = field(default_factory=dict)


class Commands:
    """Mixed into Cache: needs `engine`, `city`, `dialect` and `_notify`."""

    engine: Any
    city: str
    dialect: str

    def send_command(self, wall: str, verb: str, args: dict[str, Any] | None = None, actor: str = "operator",
                     now: float | None = None) -> int:
        with self.engine.begin() as conn:
            cid = conn.execute(insert(CommandRow).values(
                city=self.city, wall=wall, verb=verb, args=json.dumps(args or {}, ensure_ascii=False, default=str),
                actor=actor[:64], created_at=time.time() if now is None else now, done_by="", result="",
            ).returning(CommandRow.id)).scalar_one()
            self._notify(conn, f"command:{cid}")  # type: ignore[attr-defined]
        return int(cid)

    def pending_commands(self, names: tuple[str, ...] | list[str], after_id: int) -> list[CommandRecord]:
        """Commands addressed to any of `names` (a wall's name, "*", "collector") newer than the
        last one its reader saw, oldest first."""
        q = select(CommandRow).where(CommandRow.city == self.city, CommandRow.id > after_id,
                                     CommandRow.wall.in_(list(names)))
        with self.engine.connect() as conn:
            return [_command(r) for r in conn.execute(q.order_by(CommandRow.id)).all()]

    def last_command_id(self) -> int:
        if self.engine.dialect.name == "sqlite":  # the bus's change check: polled every second
            top = engines.driver_scalar(self.engine, "SELECT max(id) FROM commands WHERE city = ?", (self.city,))
            return int(top or 0)
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(CommandRow.id)).where(CommandRow.city == self.city)).scalar() or 0)

    def finish_command(self, command_id: int, by: str, result: str = "ok", now: float | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(CommandRow).where(CommandRow.city == self.city, CommandRow.id == command_id).values(
                done_at=time.time() if now is None else now, done_by=by[:64], result=result))
            self._notify(conn, f"done:{command_id}")  # type: ignore[attr-defined]

    def commands(self, limit: int = 100) -> list[CommandRecord]:
        """The newest commands first (what the consoles of the room asked for)."""
        q = select(CommandRow).where(CommandRow.city == self.city).order_by(CommandRow.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_command(r) for r in conn.execute(q).all()]

    def command(self, command_id: int) -> CommandRecord | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(CommandRow).where(CommandRow.city == self.city,
                                                        CommandRow.id == command_id)).first()
        return None if row is None else _command(row)

    # -- walls report back ------------------------------------------------------------------------
    def report_wall(self, wall: str, state: dict[str, Any], now: float | None = None) -> None:
        beat = time.time() if now is None else now
        ins = engines.dialect_insert(self.dialect, WallStateRow)
        values = {"heartbeat": beat, "state": json.dumps(state, ensure_ascii=False, default=str)}
        with self.engine.begin() as conn:
            conn.execute(ins.values(city=self.city, wall=wall, **values)
                         .on_conflict_do_update(index_elements=["city", "wall"], set_=values))
            self._notify(conn, f"wall:{wall}")  # type: ignore[attr-defined]

    def wall_states(self) -> list[WallStateRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(WallStateRow).where(WallStateRow.city == self.city)
                                .order_by(WallStateRow.wall)).all()
        return [WallStateRecord(r.wall, float(r.heartbeat), json.loads(r.state or "{}")) for r in rows]

    def forget_wall(self, wall: str) -> None:
        """A wall taken out of the room: its state and thumbnails go (its commands stay, audited)."""
        with self.engine.begin() as conn:
            conn.execute(delete(WallStateRow).where(WallStateRow.city == self.city, WallStateRow.wall == wall))
            conn.execute(delete(WallThumbRow).where(WallThumbRow.city == self.city, WallThumbRow.wall == wall))

    def put_thumbs(self, wall: str, images: dict[int, bytes], now: float | None = None) -> None:
        stamp = time.time() if now is None else now
        ins = engines.dialect_insert(self.dialect, WallThumbRow)
        with self.engine.begin() as conn:
            for monitor, image in images.items():
                values = {"image": image, "updated_at": stamp}
                conn.execute(ins.values(city=self.city, wall=wall, monitor=int(monitor), **values)
                             .on_conflict_do_update(index_elements=["city", "wall", "monitor"], set_=values))

    def wall_thumbs(self, wall: str) -> dict[int, tuple[bytes, float]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(WallThumbRow).where(WallThumbRow.city == self.city,
                                                           WallThumbRow.wall == wall)).all()
        return {int(r.monitor): (bytes(r.image), float(r.updated_at)) for r in rows}


def _command(r: Any) -> CommandRecord:
    return CommandRecord(int(r.id), r.wall, r.verb, json.loads(r.args or "{}"), r.actor, float(r.created_at),
                         None if r.done_at is None else float(r.done_at), r.done_by or "", r.result or "")
