"""Reads: every one takes `as_of` (default now) and answers with what was known at that instant."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, or_, select

from commandcenter.cache.models import AlertRow, AuditRow, CurrentRow, RollupRow, RunRow, SampleRow
from commandcenter.cache.records import AlertRecord, AuditEntry, LatestValue, RunRecord, Series, SourceRuns


class Reads:
    engine: Engine
    city: str

    # -- values ---------------------------------------------------------------------------------
    def latest(self, metric: str, opds: Sequence[str] | None = None, dim: str | None = None,
               as_of: float | None = None) -> list[LatestValue]:
        """The newest value of each (opd, dim) series of `metric`, as known at `as_of`."""
        q = select(CurrentRow).where(CurrentRow.city == self.city, CurrentRow.metric == metric)
        if opds is not None:
            q = q.where(CurrentRow.opd.in_(list(opds)))
        if dim is not None:
            q = q.where(CurrentRow.dim == dim)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(CurrentRow.opd, CurrentRow.dim)).all()
            if as_of is None:
                return [_latest(r) for r in rows]
            out = [_latest(r) for r in rows if r.known_at <= as_of]
            # series that changed after as_of: find the version known then (few, usually none)
            for r in rows:
                if r.known_at > as_of:
                    older = self._version_at(conn, metric, r.opd, r.dim, as_of)
                    if older is not None:
                        out.append(older)
        return sorted(out, key=lambda v: (v.opd, v.dim))

    def _version_at(self, conn: Any, metric: str, opd: str, dim: str, as_of: float) -> LatestValue | None:
        row = conn.execute(select(SampleRow).where(
            SampleRow.city == self.city, SampleRow.metric == metric, SampleRow.opd == opd, SampleRow.dim == dim,
            SampleRow.known_at <= as_of,
        ).order_by(SampleRow.ts.desc(), SampleRow.known_at.desc()).limit(1)).first()
        return _latest(row) if row is not None else None

    def series(self, metric: str, opd: str = "", dim: str = "", start: float | None = None,
               end: float | None = None, as_of: float | None = None, bucket: int | None = None) -> Series:
        """Points of one series between start and end. With `bucket` (seconds) the mean per bucket,
        from the rollup table when it covers the range (a year of minute data in milliseconds)."""
        if bucket and as_of is None:
            rolled = self._series_rollup(metric, opd, dim, start, end, bucket)
            if rolled is not None:
                return rolled
        cond = [SampleRow.city == self.city, SampleRow.metric == metric, SampleRow.opd == opd, SampleRow.dim == dim]
        if start is not None:
            cond.append(SampleRow.ts >= int(start))
        if end is not None:
            cond.append(SampleRow.ts <= int(end))
        if as_of is not None:
            cond.append(SampleRow.known_at <= as_of)
        if bucket:
            b = (SampleRow.ts // bucket) * bucket
            q = select(b.label("b"), func.avg(SampleRow.value)).where(*cond).group_by("b").order_by("b")
            with self.engine.connect() as conn:
                pts = conn.execute(q).all()
            return Series(metric, opd, dim, [int(p[0]) for p in pts], [float(p[1]) for p in pts])
        q = (select(SampleRow.ts, SampleRow.value, SampleRow.as_of, SampleRow.period_kind, SampleRow.period_start)
             .where(*cond).order_by(SampleRow.ts, SampleRow.known_at))
        with self.engine.connect() as conn:
            newest: dict[int, tuple[float, int, str, int]] = {}
            for ts, value, at, kind, first in conn.execute(q):
                # later versions of the same ts overwrite earlier ones
                newest[ts] = (value, int(at or ts), kind or "instant", int(first or ts))
            if as_of is None:  # a value corrected back (10 -> 20 -> 10) is no new row: `current` knows
                cur = conn.execute(select(CurrentRow.ts, CurrentRow.value, CurrentRow.as_of).where(
                    CurrentRow.city == self.city, CurrentRow.metric == metric, CurrentRow.opd == opd,
                    CurrentRow.dim == dim)).first()
                if cur is not None and cur.ts in newest:
                    _, _, kind, first = newest[cur.ts]
                    newest[cur.ts] = (cur.value, int(cur.as_of or cur.ts), kind, first)
        pts = list(newest.values())
        kinds = {p[2] for p in pts}
        return Series(metric, opd, dim, list(newest), [p[0] for p in pts], [p[1] for p in pts],
                      kinds.pop() if len(kinds) == 1 else "", [p[3] for p in pts])

    def _series_rollup(self, metric: str, opd: str, dim: str, start: float | None, end: float | None,
                       bucket: int) -> Series | None:
        cond = [RollupRow.city == self.city, RollupRow.metric == metric, RollupRow.opd == opd,
                RollupRow.dim == dim, RollupRow.bucket == bucket]
        if start is not None:
            cond.append(RollupRow.ts >= int(start) // bucket * bucket)
        if end is not None:
            cond.append(RollupRow.ts <= int(end))
        with self.engine.connect() as conn:
            pts = conn.execute(select(RollupRow.ts, RollupRow.total / RollupRow.n).where(*cond)
                               .order_by(RollupRow.ts)).all()
        if not pts:
            return None
        return Series(metric, opd, dim, [int(p[0]) for p in pts], [float(p[1]) for p in pts])

    def rollup_totals(self, metric: str, start: float, end: float, *, bucket: int = 3600, group: int = 86400,
                      offset: int = 0, opds: Sequence[str] | None = None) -> list[tuple[str, str, int, int, float]]:
        """(opd, dim, group start, count, sum) of every series of `metric`, the rollup buckets
        regrouped in SQL into `group`-second spans shifted by `offset` (a local day: the zone's
        UTC offset). Application uptime per day is count and sum of `app_up` (one query for all)."""
        g = ((RollupRow.ts + offset) // group) * group - offset
        cond = [RollupRow.city == self.city, RollupRow.metric == metric, RollupRow.bucket == bucket,
                RollupRow.ts >= int(start), RollupRow.ts <= int(end)]
        if opds is not None:
            cond.append(RollupRow.opd.in_(list(opds)))
        q = (select(RollupRow.opd, RollupRow.dim, g.label("g"), func.sum(RollupRow.n), func.sum(RollupRow.total))
             .where(*cond).group_by(RollupRow.opd, RollupRow.dim, "g").order_by(RollupRow.dim, "g"))
        with self.engine.connect() as conn:
            return [(r[0], r[1], int(r[2]), int(r[3]), float(r[4])) for r in conn.execute(q)]

    def samples_of(self, metric: str, start: float, end: float | None = None,
                   as_of: float | None = None) -> list[tuple[str, str, int, float]]:
        """(opd, dim, ts, value) of every series of `metric` between start and end, oldest first
        (newest version per ts). For sparse metrics such as application failure reasons."""
        cond = [SampleRow.city == self.city, SampleRow.metric == metric, SampleRow.ts >= int(start)]
        if end is not None:
            cond.append(SampleRow.ts <= int(end))
        if as_of is not None:
            cond.append(SampleRow.known_at <= as_of)
        q = select(SampleRow.opd, SampleRow.dim, SampleRow.ts, SampleRow.value).where(*cond).order_by(
            SampleRow.dim, SampleRow.ts, SampleRow.known_at)
        with self.engine.connect() as conn:
            newest = {(r[0], r[1], int(r[2])): float(r[3]) for r in conn.execute(q)}
        return [(o, d, t, v) for (o, d, t), v in newest.items()]

    def metrics_written(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.execute(select(CurrentRow.metric).where(CurrentRow.city == self.city).distinct()).scalars())

    def count_samples(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(SampleRow).where(SampleRow.city == self.city)).scalar_one()

    # -- source runs ----------------------------------------------------------------------------
    def runs(self, source: str | None = None, limit: int = 50, as_of: float | None = None) -> list[RunRecord]:
        q = select(RunRow).where(RunRow.city == self.city)
        if source:
            q = q.where(RunRow.source == source)
        if as_of is not None:
            q = q.where(RunRow.finished_at <= as_of)
        with self.engine.connect() as conn:
            return [_run(r) for r in conn.execute(q.order_by(RunRow.id.desc()).limit(limit))]

    def last_run(self, source: str, statuses: Sequence[str], as_of: float | None = None) -> RunRecord | None:
        """The newest run of `source` with one of `statuses` (however many other runs came since)."""
        q = select(RunRow).where(RunRow.city == self.city, RunRow.source == source, RunRow.status.in_(list(statuses)))
        if as_of is not None:
            q = q.where(RunRow.finished_at <= as_of)
        with self.engine.connect() as conn:
            row = conn.execute(q.order_by(RunRow.id.desc()).limit(1)).first()
        return _run(row) if row is not None else None

    def source_runs(self, as_of: float | None = None) -> dict[str, SourceRuns]:
        """Per source: last run, last successful run, failures since that success."""
        cond = [RunRow.city == self.city] + ([RunRow.finished_at <= as_of] if as_of is not None else [])
        ok = RunRow.status.in_(("ok", "partial", "nodata"))
        with self.engine.connect() as conn:
            last_ids = conn.execute(select(func.max(RunRow.id)).where(*cond).group_by(RunRow.source)).scalars().all()
            ok_ids = conn.execute(select(func.max(RunRow.id)).where(*cond, ok).group_by(RunRow.source)).scalars().all()
            rows = {r.id: r for r in conn.execute(select(RunRow).where(RunRow.id.in_(list(last_ids) + list(ok_ids))))}
            last = {rows[i].source: rows[i] for i in last_ids}
            good = {rows[i].source: rows[i] for i in ok_ids}
            fails = dict(conn.execute(
                select(RunRow.source, func.count()).outerjoin(
                    good_sub := select(RunRow.source.label("s"), func.max(RunRow.id).label("mid"))
                    .where(*cond, ok).group_by(RunRow.source).subquery(),
                    good_sub.c.s == RunRow.source,
                ).where(*cond, RunRow.status == "failed",
                        or_(good_sub.c.mid.is_(None), RunRow.id > good_sub.c.mid)).group_by(RunRow.source)
            ).all())
        return {s: SourceRuns(s, _run(r), _run(good[s]) if s in good else None, int(fails.get(s, 0)))
                for s, r in last.items()}

    # -- alerts and audit -----------------------------------------------------------------------
    def alerts(self, states: Sequence[str] = ("firing", "acknowledged"), as_of: float | None = None,
               limit: int = 200) -> list[AlertRecord]:
        """Alerts in the given states; with `as_of`, the state each alert had at that instant."""
        from commandcenter.cache.store import _alert

        q = select(AlertRow).where(AlertRow.city == self.city)
        if as_of is not None:
            q = q.where(AlertRow.fired_at <= as_of)
        else:
            q = q.where(AlertRow.state.in_(list(states)))
        with self.engine.connect() as conn:
            rows = [_alert(r) for r in conn.execute(q.order_by(AlertRow.fired_at.desc()).limit(limit * 4))]
        if as_of is not None:
            rows = [_state_at(a, as_of) for a in rows]
            rows = [a for a in rows if a.state in states]
        return rows[:limit]

    def audit_log(self, limit: int = 200, as_of: float | None = None, action: str | None = None) -> list[AuditEntry]:
        q = select(AuditRow).where(AuditRow.city == self.city)
        if as_of is not None:
            q = q.where(AuditRow.ts <= as_of)
        if action:
            q = q.where(AuditRow.action == action)
        with self.engine.connect() as conn:
            rows = conn.execute(q.order_by(AuditRow.ts.desc(), AuditRow.id.desc()).limit(limit)).all()
        return [AuditEntry(r.id, r.ts, r.actor, r.action, json.loads(r.detail or "{}")) for r in rows]

    def data_version(self) -> tuple[int, int, float]:
        """Cheap change check for a wall in another process: changes whenever a run is recorded
        or an alert changes state. All three are index or tiny-table look-ups."""
        with self.engine.connect() as conn:
            # per city: on a shared PostgreSQL another city's collector must not wake this wall
            run = conn.execute(select(func.max(RunRow.id)).where(RunRow.city == self.city)).scalar() or 0
            alert = conn.execute(select(func.max(AlertRow.id)).where(AlertRow.city == self.city)).scalar() or 0
            touched = conn.execute(select(func.max(func.coalesce(AlertRow.resolved_at, AlertRow.acked_at, 0.0)))
                                   .where(AlertRow.city == self.city)).scalar() or 0.0
        return (int(run), int(alert), float(touched))


def _latest(r: Any) -> LatestValue:
    return LatestValue(r.metric, r.opd, r.dim, int(r.ts), float(r.value), r.period, r.source, float(r.known_at),
                       int(r.as_of or r.ts), r.period_kind or "instant", int(r.period_start or r.ts))


def _run(r: Any) -> RunRecord:
    return RunRecord(source=r.source, started_at=r.started_at, finished_at=r.finished_at, status=r.status,
                     message=r.message, rows=r.rows, rejected=r.rejected, latency_ms=r.latency_ms,
                     attempts=r.attempts, id=r.id)


def _state_at(a: AlertRecord, as_of: float) -> AlertRecord:
    from dataclasses import replace

    if a.resolved_at is not None and a.resolved_at <= as_of:
        return replace(a, state="resolved")
    if a.acked_at is not None and a.acked_at <= as_of:
        return replace(a, state="acknowledged", resolved_at=None)
    return replace(a, state="firing", acked_at=None, resolved_at=None)

