"""OPD notes: a short cause per OPD and period, with its time, author and origin (operator or a
source field). Append-only, so a briefing frozen at an instant reads the note known then."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select

from commandcenter.cache.models import NoteRow
from commandcenter.cache.records import NoteRecord

MAX_NOTE = 280  # a cause is a line on a wall and a handout, not a report


class Notes:
    """Mixed into Cache, which provides these."""

    engine: Any
    city: str

    def audit(self, action: str, detail: dict[str, Any] | None = None, actor: str = "operator",
              ts: float | None = None) -> int:
        raise NotImplementedError  # Cache.audit

    def set_note(self, opd: str, period: str, text: str, author: str, source: str = "operator",
                 now: float | None = None) -> NoteRecord:
        """Record the note (an empty text clears it). An operator's note is audited."""
        text = " ".join((text or "").split())[:MAX_NOTE]
        ts = time.time() if now is None else now
        with self.engine.begin() as conn:
            conn.execute(insert(NoteRow).values(city=self.city, opd=opd, period=period, text=text,
                                                author=author, source=source, ts=ts))
        if source == "operator":
            self.audit("note", {"opd": opd, "period": period, "text": text}, author, ts=ts)
        return NoteRecord(opd, period, text, author, source, ts)

    def write_notes(self, source: str, notes: Iterable[tuple[str, str, str]], now: float | None = None) -> int:
        """Notes from a source field: (opd, period, text); a text equal to the current note is skipped."""
        current = {(n.opd, n.period): n.text for n in self.notes()}
        rows = [dict(city=self.city, opd=o, period=p, text=" ".join(t.split())[:MAX_NOTE], author=source,
                     source=source, ts=time.time() if now is None else now)
                for o, p, t in notes if current.get((o, p)) != " ".join(t.split())[:MAX_NOTE]]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(NoteRow), rows)
        return len(rows)

    def notes(self, opd: str | None = None, period: str | None = None, as_of: float | None = None) -> list[NoteRecord]:
        """The current note per (opd, period), as known at `as_of`; cleared notes left out."""
        q = select(NoteRow).where(NoteRow.city == self.city)
        if opd is not None:
            q = q.where(NoteRow.opd == opd)
        if period is not None:
            q = q.where(NoteRow.period == period)
        if as_of is not None:
            q = q.where(NoteRow.ts <= as_of)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(NoteRow.ts, NoteRow.id)).all()
        newest: dict[tuple[str, str], Any] = {}
        for r in rows:
            newest[(r.opd, r.period)] = r
        return [NoteRecord(r.opd, r.period, r.text, r.author, r.source, r.ts) for r in newest.values() if r.text]

    def note(self, opd: str, period: str, as_of: float | None = None) -> NoteRecord | None:
        found = self.notes(opd, period, as_of)
        return found[0] if found else None
