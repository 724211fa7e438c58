"""Reads: every one takes `as_of` (default now) and answers with what was known at that instant."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, or_, select, text

from commandcenter.cache.engine import driver_scalar
from commandcenter.cache.history import History
from commandcenter.cache.models import AlertRow, AuditRow, ChangeRow, CurrentRow, RollupRow, RunRow, SampleRow
from commandcenter.cache.records import AlertRecord, AuditEntry, Changes, LatestValue, RunRecord, SourceRuns


class Reads(History):
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
            # series that changed after as_of: the version known then, all in one statement
            later = [r for r in rows if r.known_at > as_of]
            out += list(self._versions_at(conn, later, as_of).values()) if later else []
        return sorted(out, key=lambda v: (v.opd, v.dim))

    def _version_at(self, conn: Any, metric: str, opd: str, dim: str, as_of: float) -> LatestValue | None:
        row = conn.execute(select(SampleRow).where(
            SampleRow.city == self.city, SampleRow.metric == metric, SampleRow.opd == opd, SampleRow.dim == dim,
            SampleRow.known_at <= as_of,
        ).order_by(SampleRow.ts.desc(), SampleRow.known_at.desc()).limit(1)).first()
        return _latest(row) if row is not None else None

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
        """The newest run of `source` with one of `statuses` (however many other runs came since),
        newest finished first: the (city, source, finished_at) index walked back."""
        q = select(RunRow).where(RunRow.city == self.city, RunRow.source == source, RunRow.status.in_(list(statuses)))
        if as_of is not None:
            q = q.where(RunRow.finished_at <= as_of)
        with self.engine.connect() as conn:
            row = conn.execute(q.order_by(RunRow.finished_at.desc(), RunRow.id.desc()).limit(1)).first()
        return _run(row) if row is not None else None

    def source_runs(self, as_of: float | None = None, sources: Sequence[str] | None = None) -> dict[str, SourceRuns]:
        """Per source (these, else every source with runs): last run, last successful run, failures
        since that success. Three statements of index look-ups on (city, source, finished_at),
        one branch per source: the cost does not grow with the runs kept (a source polled every
        5 s writes 17,280 a day). "Last" is the newest finished (then the newest id)."""
        with self.engine.connect() as conn:
            names = list(sources) if sources is not None else self._run_sources(conn)
            if not names:
                return {}
            params: dict[str, Any] = {"city": self.city, "asof": as_of if as_of is not None else 1e18}
            newest = ("SELECT id FROM source_runs WHERE city = :city AND source = :s{i} AND finished_at <= :asof{extra}"
                      " ORDER BY finished_at DESC, id DESC LIMIT 1")
            branches = []
            for i, name in enumerate(names):
                params[f"s{i}"] = name
                branches.append(f"SELECT :s{i}, ({newest.format(i=i, extra='')}), "
                                f"({newest.format(i=i, extra=_GOOD)})")
            ids = [tuple(r) for r in conn.execute(text(" UNION ALL ".join(branches)), params)]
            wanted = [x for _s, last, good in ids for x in (last, good) if x is not None]
            rows = {r.id: r for r in conn.execute(select(RunRow).where(RunRow.id.in_(wanted)))} if wanted else {}
            counts, cparams = [], {"city": self.city, "asof": params["asof"]}
            for i, (name, _last, good) in enumerate(ids):
                g = rows.get(good)
                cparams.update({f"s{i}": name, f"f{i}": g.finished_at if g else -1e18, f"g{i}": g.id if g else -1})
                counts.append(f"SELECT :s{i}, COUNT(*) FROM source_runs WHERE city = :city AND source = :s{i}"
                              f" AND status = 'failed' AND finished_at >= :f{i} AND finished_at <= :asof"
                              f" AND NOT (finished_at = :f{i} AND id <= :g{i})")  # a range, not an OR
            fails = dict(tuple(r) for r in conn.execute(text(" UNION ALL ".join(counts)), cparams))
        return {name: SourceRuns(name, _run(rows[last]), _run(rows[good]) if good in rows else None,
                                 int(fails.get(name, 0)))
                for name, last, good in ids if last in rows}

    def _run_sources(self, conn: Any) -> list[str]:
        """The sources with runs, one index step each (a skip scan: not a pass over every run)."""
        out: list[str] = []
        while True:
            nxt = conn.execute(select(func.min(RunRow.source)).where(
                RunRow.city == self.city, RunRow.source > (out[-1] if out else ""))).scalar()
            if nxt is None:
                return out
            out.append(nxt)

    # -- alerts and audit -----------------------------------------------------------------------
    def alerts(self, states: Sequence[str] = ("firing", "acknowledged"), as_of: float | None = None,
               limit: int = 200) -> list[AlertRecord]:
        """Alerts in the given states; with `as_of`, the state each alert had at that instant."""
        q = select(AlertRow).where(AlertRow.city == self.city)
        if as_of is not None:
            q = q.where(AlertRow.fired_at <= as_of)
        else:
            q = q.where(AlertRow.state.in_(list(states)))
        with self.engine.connect() as conn:
            rows = [alert_record(r) for r in conn.execute(q.order_by(AlertRow.fired_at.desc()).limit(limit * 4))]
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

    def data_version(self) -> tuple[int]:
        """Cheap change check for a wall in another process: the newest entry of the change log,
        one index look-up (ix_changes_city_id). It moves only when a write changed something a
        wall shows (new values, an alert's state, a source's run status), never for a run that
        brought nothing new."""
        # per city: on a shared PostgreSQL another city's collector must not wake this wall
        if self.engine.dialect.name == "sqlite":  # polled every second by every wall
            top = driver_scalar(self.engine, "SELECT max(id) FROM data_changes WHERE city = ?", (self.city,))
        else:
            with self.engine.connect() as conn:
                top = conn.execute(select(func.max(ChangeRow.id)).where(ChangeRow.city == self.city)).scalar()
        return (int(top or 0),)

    def changes_since(self, version: Sequence[int] | int | None, limit: int = 5000) -> Changes:
        """What the change log names after `version` (a data_version()): the metrics, (metric,
        OPD) pairs and sources touched, whether alerts changed. `everything` when the log was
        trimmed past `version` or holds more than `limit` rows (a wall then re-reads it all)."""
        since = (version[0] if isinstance(version, (tuple, list)) else version) or 0
        with self.engine.connect() as conn:
            rows = conn.execute(select(ChangeRow.id, ChangeRow.kind, ChangeRow.source, ChangeRow.metric, ChangeRow.opd)
                                .where(ChangeRow.city == self.city, ChangeRow.id > since)
                                .order_by(ChangeRow.id).limit(limit + 1)).all()
            oldest = conn.execute(select(func.min(ChangeRow.id)).where(ChangeRow.city == self.city)).scalar()
        trimmed = since > 0 and oldest is not None and oldest > since + 1
        return Changes.of(rows, everything=len(rows) > limit or trimmed)

    def latest_many(self, metrics: Sequence[str], as_of: float | None = None) -> dict[str, list[LatestValue]]:
        """`latest(m, dim=None)` for many metrics in one statement (two with `as_of`): a scene
        build's one snapshot, shared by its panels, scoring and rankings."""
        metrics = sorted(set(metrics))
        out: dict[str, list[LatestValue]] = {m: [] for m in metrics}
        if not metrics:
            return out
        with self.engine.connect() as conn:
            rows = conn.execute(select(CurrentRow).where(CurrentRow.city == self.city, CurrentRow.metric.in_(metrics))
                                .order_by(CurrentRow.metric, CurrentRow.opd, CurrentRow.dim)).all()
            later = [r for r in rows if as_of is not None and r.known_at > as_of]
            older = self._versions_at(conn, later, as_of) if later else {}
        for r in rows:
            if as_of is None or r.known_at <= as_of:
                out[r.metric].append(_latest(r))
            elif (r.metric, r.opd, r.dim) in older:
                out[r.metric].append(older[(r.metric, r.opd, r.dim)])
        for m in out:
            out[m].sort(key=lambda v: (v.opd, v.dim))
        return out

    def _versions_at(self, conn: Any, rows: Sequence[Any], as_of: float) -> dict[tuple[str, str, str], LatestValue]:
        """The version each series had at `as_of`, for series changed since: one UNION ALL."""
        out: dict[tuple[str, str, str], LatestValue] = {}
        for i in range(0, len(rows), 200):
            parts, params = [], {"city": self.city, "asof": as_of}
            for j, r in enumerate(rows[i:i + 200]):
                params.update({f"m{j}": r.metric, f"o{j}": r.opd, f"d{j}": r.dim})
                parts.append(f"SELECT * FROM (SELECT * FROM samples WHERE city = :city AND metric = :m{j} AND opd = :o{j}"
                             f" AND dim = :d{j} AND known_at <= :asof ORDER BY ts DESC, known_at DESC LIMIT 1) AS q{j}")
            for r in conn.execute(text(" UNION ALL ".join(parts)), params):
                out[(r.metric, r.opd, r.dim)] = _latest(r)
        return out


def _latest(r: Any) -> LatestValue:
    return LatestValue(r.metric, r.opd, r.dim, int(r.ts), float(r.value), r.period, r.source, float(r.known_at),
                       int(r.as_of or r.ts), r.period_kind or "instant", int(r.period_start or r.ts))


GOOD_RUNS = ("ok", "partial", "nodata")  # a run that counts as a success (data or a clean "nothing new")
_GOOD = f" AND status IN ({', '.join(repr(s) for s in GOOD_RUNS)})"


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


def alert_record(row: Any) -> AlertRecord:
    return AlertRecord(
        id=row.id, key=row.key, rule=row.rule, severity=row.severity, state=row.state, message=row.message,
        metric=row.metric, opd=row.opd, source=row.source, value=row.value, fired_at=row.fired_at,
        acked_at=row.acked_at, resolved_at=row.resolved_at, acked_by=row.acked_by,
    )
