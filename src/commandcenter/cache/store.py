"""The cache: the only place that writes SQL. Writes are batched and idempotent; every read takes
an `as_of` instant and returns plain records (never ORM objects or sessions)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from typing import Any

from sqlalchemy import Engine, func, insert, select, text, update

from commandcenter import timeframe
from commandcenter.cache import engine as engines
from commandcenter.cache.commands import Commands
from commandcenter.cache.history import ROLLUP_SIZES
from commandcenter.cache.models import (
    AlertRow, AuditRow, ChangeRow, CheckpointRow, CurrentRow, RunRow, SampleRow, StateRow,
)
from commandcenter.cache.notes import Notes
from commandcenter.cache.notify import channel_for
from commandcenter.cache.reads import Reads, alert_record
from commandcenter.cache.records import AlertRecord, RunRecord, Sample

BATCH = 10_000
RUNS_SLACK_S = 3600  # prune_runs: an hour's runs at a time, not a few at every maintenance
CHANGES_KEPT = 20_000  # change-log rows kept per city (a wall further behind re-reads everything)
MAX_REASONS = 2000  # rejection reasons kept per source (a broken 50,000-row export stays small)
_REJECTED = "rejected:"
_SERIES, _TS = itemgetter(1, 2, 3), itemgetter(4)  # fields of a sample row tuple
_SAMPLE_COLS = ("city", "metric", "opd", "dim", "ts", "value", "period", "source", "known_at",
                "period_kind", "period_start", "as_of")


class Cache(Reads, Commands, Notes):
    """One city's view of the cache database (SQLite file or PostgreSQL)."""

    def __init__(self, engine: Engine, city: str, tz: str | None = None):
        self.engine = engine
        self.city = city
        self.tz = tz  # the city's zone: which local day ends a period (commandcenter.timeframe)
        self.dialect = engine.dialect.name

    @classmethod
    def open(cls, url: str | None = None, city: str = "", migrate: bool = True, tz: str | None = None) -> "Cache":
        eng = engines.make_engine(url)
        if migrate:
            engines.migrate(eng)
        return cls(eng, city, tz)

    def close(self) -> None:
        self.engine.dispose()

    def _insert(self, model: Any) -> Any:
        return engines.dialect_insert(self.dialect, model)

    # -- samples ---------------------------------------------------------------------------
    def write_samples(self, source: str, samples: Iterable[Sample], known_at: float | None = None) -> int:
        """Insert new values (and new versions of changed values); return how many rows were new.

        The same sample written twice is one row. Each batch is its own short transaction (bulk
        loads, the simulator); the collector writes a run with commit_run, all or nothing.
        """
        inserted = 0
        for batch in self._batches(source, samples, known_at):
            with self.engine.begin() as conn:
                inserted += self._write_batch(conn, batch)
        return inserted

    def commit_run(self, run: RunRecord, samples: Iterable[Sample] = (), known_at: float | None = None,
                   checkpoints: dict[str, str] | None = None) -> tuple[int, int]:
        """A run's values, its checkpoints and its run record in ONE transaction: a reader sees a
        run's rows only together with its record, and a crash at any point leaves the whole run
        or nothing of it (issue 18). Returns (run id, new rows)."""
        inserted = 0
        with self.engine.begin() as conn:
            for batch in self._batches(run.source, samples, known_at):
                inserted += self._write_batch(conn, batch)
            now = time.time()
            for key, value in (checkpoints or {}).items():
                self._upsert(CheckpointRow, {"city": self.city, "source": run.source, "key": key},
                             {"value": value, "updated_at": now}, conn=conn)
            return self._insert_run(conn, run), inserted

    def _batches(self, source: str, samples: Iterable[Sample], known_at: float | None) -> Iterator[list[tuple[Any, ...]]]:
        known = time.time() if known_at is None else known_at
        known_s = int(known)
        city, tz, it = self.city, self.tz, iter(samples)
        while True:
            # one comprehension per batch keeps the Python side of a row (~0.2 us) small next to
            # SQLite's (~3-4 us); see benchmarks/ingest.py
            # an instant reading (no period label, no reported time: the collector's minute data)
            # takes the short way: its period is its own instant, its as-of its ts
            batch = [(city, s.metric, s.opd, s.dim, ts, float(s.value), s.period, source, known,
                      *(_period_of(s.period, ts, tz) if s.period else ("instant", ts)),
                      (ts if ts <= known_s else known_s) if s.as_of is None else timeframe.as_of(ts, s.as_of, known))
                     for s in islice(it, BATCH) for ts in (int(s.ts),)]
            if not batch:
                return
            yield batch

    def _write_batch(self, conn: Any, rows: list[tuple[Any, ...]]) -> int:
        newest = _newest_per_series(rows)
        rows = self._past_retention_dropped(conn, rows)
        if not rows:
            inserted = 0
        elif self.dialect == "sqlite":
            # driver-level executemany of tuples: SQLAlchemy's dict path is 2-3x slower here
            raw = conn.connection.driver_connection
            before = raw.total_changes
            try:
                raw.executemany(
                    "INSERT OR IGNORE INTO samples (city, metric, opd, dim, ts, value, period, source, known_at,"
                    " period_kind, period_start, as_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    rows,
                )
            except sqlite3.DatabaseError as exc:  # the driver's call bypasses the engine's hook
                engines.raise_if_damaged(self.engine, exc)
                raise
            inserted = raw.total_changes - before
        else:
            stmt = self._insert(SampleRow).on_conflict_do_nothing(constraint="uq_samples_version")
            result = conn.execute(stmt.returning(SampleRow.id), [dict(zip(_SAMPLE_COLS, r)) for r in rows])
            inserted = len(result.all())
        # also when nothing was new: a value corrected back to an earlier one (10 -> 20 -> 10)
        # is not a new row, but it is the current value again
        changed = self._upsert_current(conn, newest)
        if inserted or changed:
            # the change log names what the batch touched; a batch of old news adds nothing,
            # so a wall polling data_version() sees no change and re-reads nothing
            self._log_changes(conn, "samples", newest[0][7], sorted({(r[1], r[2]) for r in newest}))
            self._notify(conn, "samples")
        return inserted

    def _past_retention_dropped(self, conn: Any, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Rows older than the retention cutoff (instant readings pruned after their rollup) are
        not stored again: a source that re-sends its history would otherwise fold the same
        reading into the rollups a second time (their period is read from the rollups)."""
        if self.dialect == "sqlite":  # the driver's own call: one look-up per batch of 10k rows
            raw = conn.connection.driver_connection
            try:
                marks = dict(raw.execute(_RETENTION_MARKS, (self.city,)).fetchall())
            except sqlite3.DatabaseError as exc:
                engines.raise_if_damaged(self.engine, exc)
                raise
        else:
            marks = dict(conn.execute(select(StateRow.key, StateRow.value).where(
                StateRow.city == self.city, StateRow.key.in_(("raw_pruned_before", "raw_kept_metrics")))).all())
        if "raw_pruned_before" not in marks:
            return rows
        cutoff = int(json.loads(marks["raw_pruned_before"]))
        kept = frozenset(json.loads(marks.get("raw_kept_metrics", "[]")))
        return [r for r in rows if r[4] >= cutoff or r[1] in kept]

    def _log_changes(self, conn: Any, kind: str, source: str = "", pairs: Sequence[tuple[str, str]] = (("", ""),)) -> None:
        now = time.time()
        conn.execute(insert(ChangeRow), [{"city": self.city, "kind": kind, "source": source, "metric": m, "opd": o,
                                          "at": now} for m, o in pairs])

    def _upsert_current(self, conn: Any, rows: Sequence[tuple[Any, ...]]) -> int:
        """Returns how many series got a new current value."""
        ins = self._insert(CurrentRow)
        ex = ins.excluded
        newer = (ex.ts > CurrentRow.ts) | ((ex.ts == CurrentRow.ts) & (ex.value != CurrentRow.value)
                                           & (ex.known_at >= CurrentRow.known_at))
        # the same value of a running period reported again describes a later instant: it is
        # "per today" now, though no new version was written
        confirmed = (ex.ts == CurrentRow.ts) & (ex.value == CurrentRow.value) & (ex.as_of > CurrentRow.as_of)
        stmt = ins.on_conflict_do_update(
            index_elements=["city", "metric", "opd", "dim"],
            set_={"ts": ex.ts, "value": ex.value, "period": ex.period, "source": ex.source, "known_at": ex.known_at,
                  "period_kind": ex.period_kind, "period_start": ex.period_start, "as_of": ex.as_of},
            where=newer,
        )
        if self.dialect == "sqlite":
            # the driver's executemany of tuples: SQLAlchemy's dict path costs ~5 ms for a
            # poll of 144 series, every run, even when nothing is new
            raw = conn.connection.driver_connection
            before = raw.total_changes
            try:
                raw.executemany(_CURRENT_NEWER, rows)
                changed = raw.total_changes - before
                raw.executemany(_CURRENT_CONFIRMED, rows)
            except sqlite3.DatabaseError as exc:
                engines.raise_if_damaged(self.engine, exc)
                raise
            return changed
        params = [dict(zip(_SAMPLE_COLS, r)) for r in rows]
        changed = max(0, conn.execute(stmt, params).rowcount or 0)
        # a confirmation moves only the as-of instant, in its own statement: it is not a change
        # (no change-log entry; a wall shows the later "per" at its next periodic refresh)
        conn.execute(ins.on_conflict_do_update(index_elements=["city", "metric", "opd", "dim"],
                                               set_={"as_of": ex.as_of}, where=confirmed), params)
        return changed

    # -- runs, checkpoints ---------------------------------------------------------------------
    def record_run(self, run: RunRecord) -> int:
        with self.engine.begin() as conn:
            return self._insert_run(conn, run)

    def record_repeat(self, run: RunRecord, after: int) -> int | None:
        """A run whose answer was byte for byte that of the source's run `after` (same status):
        its record only. No samples (they are all stored), no checkpoints, no rejections, no
        change-log entry and no notification: nothing a wall shows changed but the age of the
        source's last answer, which walls read with the clock. Written only while `after` is
        still the source's newest run; otherwise (a run in between, by this process or another;
        a cache restored from a copy) nothing is written and None is returned: the caller then
        writes the run in full. Returns the new run's id."""
        try:
            with self.engine.begin() as conn:
                run_id = self._insert_run(conn, run, quiet=True)
                # checked after the insert, which holds the write lock: no run can slip in between
                if self.dialect == "sqlite":
                    try:
                        between = conn.connection.driver_connection.execute(
                            _RUNS_BETWEEN, (self.city, after, run_id, run.source)).fetchall()
                    except sqlite3.DatabaseError as exc:
                        engines.raise_if_damaged(self.engine, exc)
                        raise
                else:
                    between = conn.execute(select(RunRow.id, RunRow.status).where(
                        RunRow.city == self.city, RunRow.id >= after, RunRow.id < run_id,
                        RunRow.source == run.source).order_by(RunRow.id).limit(2)).all()
                if [tuple(r) for r in between] != [(after, run.status)]:
                    raise _NotARepeat()
                return run_id
        except _NotARepeat:  # rolled back
            return None

    def _insert_run(self, conn: Any, run: RunRecord, quiet: bool = False) -> int:
        """`quiet`: no change-log entry and no notification (record_repeat checks the status)."""
        values = (run.source, run.started_at, run.finished_at, run.status, run.message, run.rows, run.rejected,
                  run.latency_ms, run.attempts)
        if self.dialect == "sqlite":
            # the driver's own statements: SQLAlchemy builds and compiles a select and an insert
            # for every run (~0.5 ms of CPU), and most runs of a polling collector are repeats
            raw = conn.connection.driver_connection
            try:
                before = None if quiet else raw.execute(_LAST_STATUS, (self.city, run.source)).fetchone()
                run_id = raw.execute(_RUN_INSERT, (self.city, *values)).lastrowid
            except sqlite3.DatabaseError as exc:
                engines.raise_if_damaged(self.engine, exc)
                raise
            before = before[0] if before else None
        else:
            before = None if quiet else conn.execute(
                select(RunRow.status).where(RunRow.city == self.city, RunRow.source == run.source)
                .order_by(RunRow.finished_at.desc(), RunRow.id.desc()).limit(1)).scalar()
            run_id = conn.execute(insert(RunRow).values(city=self.city, **dict(zip(_RUN_COLS, values)))
                                  .returning(RunRow.id)).scalar_one()
        if quiet:
            return run_id
        if before != run.status:  # a source's health changed: walls re-read its panels
            self._log_changes(conn, "run", run.source)
        self._notify(conn, f"run:{run.source}")
        return run_id

    def get_checkpoint(self, source: str, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(CheckpointRow.value).where(
                CheckpointRow.city == self.city, CheckpointRow.source == source, CheckpointRow.key == key)).scalar()

    def set_checkpoint(self, source: str, key: str, value: str) -> None:
        self._upsert(CheckpointRow, {"city": self.city, "source": source, "key": key},
                     {"value": value, "updated_at": time.time()})

    def forget_checkpoints(self, source: str) -> int:
        """Forget a source's watermarks and file fingerprints (re-import); its samples stay."""
        with self.engine.begin() as conn:
            return conn.execute(CheckpointRow.__table__.delete().where(
                CheckpointRow.city == self.city, CheckpointRow.source == source)).rowcount

    def set_rejections(self, source: str, reasons: Sequence[str], run_id: int | None = None) -> None:
        """Every rejection reason of a source's last run (the run message holds only the first few)."""
        value = json.dumps({"run": run_id, "reasons": list(reasons[:MAX_REASONS]),
                            "more": max(0, len(reasons) - MAX_REASONS)}, ensure_ascii=False)
        self._upsert(StateRow, {"city": self.city, "key": _REJECTED + source},
                     {"value": value, "updated_at": time.time()})

    def rejections(self) -> dict[str, list[str]]:
        """source id -> every rejection reason of its last run (sources without any are absent)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(StateRow.key, StateRow.value).where(
                StateRow.city == self.city, StateRow.key.startswith(_REJECTED))).all()
        out = {}
        for key, raw in rows:
            doc = json.loads(raw)
            reasons = doc.get("reasons") or []
            if doc.get("more"):
                reasons = reasons + [f"... and {doc['more']} more (the first {MAX_REASONS} are kept)"]
            if reasons:
                out[key[len(_REJECTED):]] = reasons
        return out

    # -- small persisted state -------------------------------------------------------------------
    def set_state(self, key: str, value: Any) -> None:
        self._upsert(StateRow, {"city": self.city, "key": key}, {"value": json.dumps(value), "updated_at": time.time()},
                     notify=f"state:{key}")

    def get_state(self, key: str, default: Any = None) -> Any:
        with self.engine.connect() as conn:
            raw = conn.execute(select(StateRow.value).where(StateRow.city == self.city, StateRow.key == key)).scalar()
        return default if raw is None else json.loads(raw)

    def _upsert(self, model: Any, keys: dict[str, Any], values: dict[str, Any], notify: str = "",
                conn: Any = None) -> None:
        ins = self._insert(model)
        stmt = ins.values(**keys, **values).on_conflict_do_update(index_elements=list(keys), set_=values)
        if conn is None:
            with self.engine.begin() as conn:
                self._upsert(model, keys, values, notify, conn)
            return
        conn.execute(stmt)
        if notify:
            self._notify(conn, notify)

    # -- audit ----------------------------------------------------------------------------------
    def audit(self, action: str, detail: dict[str, Any] | None = None, actor: str = "operator",
              ts: float | None = None) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(AuditRow).values(
                city=self.city, ts=time.time() if ts is None else ts, actor=actor, action=action,
                detail=json.dumps(detail or {}, ensure_ascii=False, default=str)).returning(AuditRow.id)).scalar_one()

    # -- alerts ---------------------------------------------------------------------------------
    def fire_alert(self, key: str, rule: str, severity: str, message: str, metric: str = "", opd: str = "",
                   source: str = "", value: float | None = None, now: float | None = None) -> AlertRecord:
        """Open an alert for a condition; while one is open for `key`, return it instead of a
        duplicate, with its message and value brought up to date: the ticker states the number as
        it is now (78,3% yesterday, 79,1% today), in the wall's language, not as it was when the
        alert fired. Its state, fire time and acknowledgement stay."""
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            open_row = conn.execute(select(AlertRow).where(
                AlertRow.city == self.city, AlertRow.key == key,
                AlertRow.state.in_(("firing", "acknowledged")))).first()
            if open_row is not None:
                if (open_row.message, open_row.value) == (message, value):
                    return alert_record(open_row)
                conn.execute(update(AlertRow).where(AlertRow.id == open_row.id).values(message=message, value=value))
                if open_row.message != message:  # what the ticker says changed
                    self._log_changes(conn, "alert", source, [(metric, opd)])
                    self._notify(conn, "alert")
                return alert_record(conn.execute(select(AlertRow).where(AlertRow.id == open_row.id)).one())
            ins = self._insert(AlertRow)
            # the partial unique index uq_alerts_open (migration 0003) settles a race between two
            # evaluators: the loser inserts nothing and returns the winner's alert
            new_id = conn.execute(ins.values(
                city=self.city, key=key, rule=rule, severity=severity, state="firing", message=message,
                metric=metric, opd=opd, source=source, value=value, fired_at=now, acked_by="",
            ).on_conflict_do_nothing(index_elements=["city", "key"], index_where=_OPEN_ALERT)
             .returning(AlertRow.id)).scalar()
            if new_id is None:
                return alert_record(conn.execute(select(AlertRow).where(
                    AlertRow.city == self.city, AlertRow.key == key, _OPEN_ALERT)).one())
            self._log_changes(conn, "alert", source, [(metric, opd)])
            self._notify(conn, "alert")
            return alert_record(conn.execute(select(AlertRow).where(AlertRow.id == new_id)).one())

    def ack_alert(self, alert_id: int, by: str = "operator", now: float | None = None) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(AlertRow).where(
                AlertRow.city == self.city, AlertRow.id == alert_id, AlertRow.state == "firing",
            ).values(state="acknowledged", acked_at=time.time() if now is None else now, acked_by=by))
            if result.rowcount:
                self._log_changes(conn, "alert")
                self._notify(conn, "alert")
            return result.rowcount > 0

    def resolve_alert(self, key: str, now: float | None = None) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(update(AlertRow).where(
                AlertRow.city == self.city, AlertRow.key == key, AlertRow.state.in_(("firing", "acknowledged")),
            ).values(state="resolved", resolved_at=time.time() if now is None else now))
            if result.rowcount:
                self._log_changes(conn, "alert")
                self._notify(conn, "alert")
            return result.rowcount

    # -- change notification (deploy) -------------------------------------------------------------
    def _notify(self, conn: Any, what: str) -> None:
        """PostgreSQL: NOTIFY commandcenter_<city> inside the write's transaction, so listeners
        (cache/notify.py ChangeListener: the wall, maybe on another machine) hear it only once
        the data are committed. SQLite readers poll data_version() instead."""
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_notify(:channel, :what)"), {"channel": channel_for(self.city), "what": what})

    # -- rollups and retention -------------------------------------------------------------------
    def rollup(self, buckets: Sequence[int] = ROLLUP_SIZES) -> int:
        """Fold raw samples added since the last call into per-bucket aggregates (incremental),
        newest versions only: a correction 10 -> 20 leaves 20 in the bucket, not 10 + 20. The
        aggregates and the watermark commit together: a crash never counts rows twice."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                # concurrent writers may commit a lower id after a higher one; SHARE mode waits
                # for the inserts in flight, so every id up to max(id) is committed when read
                conn.exec_driver_sql("LOCK TABLE samples IN SHARE MODE")
            top = conn.execute(select(func.max(SampleRow.id))).scalar() or 0
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":  # one rollup per city at a time
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key("rollup", self.city)})
            mark = int(self._state_in(conn, "rollup_watermark", 0))
            if top <= mark:
                return 0
            args = {"city": self.city, "lo": mark, "hi": top}
            # (series, ts) among the new rows that have another version: folded one by one below
            versioned = conn.execute(text(_VERSIONED_NEW_SQL), args).all()
            if mark:  # versions of values folded before (none on a first fold: skip the look-ups)
                versioned = sorted(set(versioned) | set(conn.execute(text(_VERSIONED_SQL), args).all()))
            for size in buckets:
                conn.execute(text(_ROLLUP_SQL.format(only=_UNVERSIONED if versioned else "")), {**args, "size": size})
            if versioned:
                raw_from = int(self._state_in(conn, "raw_pruned_before", -(2**62)))
                _fold_versions(conn, self.city, versioned, buckets, mark, top, raw_from)
            self._set_state_in(conn, "rollup_watermark", top)
            # the change log only has to outlive a wall's poll interval: keep its newest rows
            newest = conn.execute(select(func.max(ChangeRow.id)).where(ChangeRow.city == self.city)).scalar() or 0
            conn.execute(ChangeRow.__table__.delete().where(ChangeRow.city == self.city,
                                                            ChangeRow.id <= newest - CHANGES_KEPT))
        return top - mark

    def prune_runs(self, older_than: float, sources: Collection[str], now: float | None = None) -> int:
        """Delete the run records of these sources older than the age given, keeping each one's
        newest run and newest good run (what health reads: its state and its last success), in
        small transactions. A source polling every 5 s writes 17,280 runs a day: health reads and
        the cache file must not grow with the months. Runs go an hour's worth at a time; until a
        run is an hour past the age this is one look-up on (city, source, finished_at)."""
        cutoff = (time.time() if now is None else now) - older_than
        names = sorted(sources)
        if not names or older_than <= 0:
            return 0
        where = [RunRow.city == self.city, RunRow.source.in_(names)]
        with self.engine.connect() as conn:
            if conn.execute(select(RunRow.id).where(*where, RunRow.finished_at < cutoff - RUNS_SLACK_S)
                            .limit(1)).first() is None:
                return 0
        # what health reads (Reads.source_runs): each source's newest run and newest good run
        keep = {r.id for sr in self.source_runs(sources=names).values() for r in (sr.last, sr.last_success) if r}
        deleted = 0
        while True:
            with self.engine.begin() as conn:
                ids = conn.execute(select(RunRow.id).where(
                    *where, RunRow.finished_at < cutoff, RunRow.id.not_in(sorted(keep) or [0])).limit(BATCH)
                ).scalars().all()
                if not ids:
                    return deleted
                conn.execute(RunRow.__table__.delete().where(RunRow.id.in_(ids)))
                deleted += len(ids)

    def prune_raw(self, older_than: float, now: float | None = None, keep_metrics: Collection[str] = ()) -> int:
        """Delete raw samples whose `ts` is older than the age given, once rolled up; keeps each
        series' newest value (the `current` table) so the wall never goes blank, and every sample
        of `keep_metrics` (periodic KPIs, whose whole history the wall's charts draw). Reads of the
        pruned range come from the rollups from then on (state `raw_pruned_before`, and
        `raw_kept_metrics` for the metrics read raw whatever their age)."""
        self.rollup()
        cutoff = int((time.time() if now is None else now) - older_than)
        with self.engine.begin() as conn:
            mark = int(self._state_in(conn, "rollup_watermark", 0))
            if cutoff > int(self._state_in(conn, "raw_pruned_before", -(2**62))):
                self._set_state_in(conn, "raw_pruned_before", cutoff)
            self._set_state_in(conn, "raw_kept_metrics", sorted(keep_metrics))
        # ix_samples_city_ts: only the rows past the cutoff are visited; rows written after the
        # last rollup stay until they are folded in
        where = [SampleRow.city == self.city, SampleRow.ts < cutoff, SampleRow.id <= mark]
        if keep_metrics:
            where.append(SampleRow.metric.not_in(sorted(keep_metrics)))
        deleted = 0
        while True:  # small transactions so readers and the collector are never blocked for long
            with self.engine.begin() as conn:
                ids = conn.execute(select(SampleRow.id).where(*where).limit(BATCH)).scalars().all()
                if not ids:
                    return deleted
                conn.execute(SampleRow.__table__.delete().where(SampleRow.id.in_(ids)))
                deleted += len(ids)
                self._set_state_in(conn, "raw_deleted_at", time.time())  # a wall's series memo reads whole
                # SQLite hands a deleted top rowid out again: were the newest rows deleted, the next
                # ones would get ids at or below the watermark and never be rolled up. The
                # watermark follows the table's top id down (every row up to it is folded in).
                top = conn.execute(select(func.max(SampleRow.id))).scalar() or 0
                if top < mark:
                    mark = top
                    self._set_state_in(conn, "rollup_watermark", top)

    def _state_in(self, conn: Any, key: str, default: Any) -> Any:
        raw = conn.execute(select(StateRow.value).where(StateRow.city == self.city, StateRow.key == key)).scalar()
        return default if raw is None else json.loads(raw)

    def _set_state_in(self, conn: Any, key: str, value: Any) -> None:
        ins = self._insert(StateRow)
        values = {"value": json.dumps(value), "updated_at": time.time()}
        conn.execute(ins.values(city=self.city, key=key, **values).on_conflict_do_update(
            index_elements=["city", "key"], set_=values))


_RETENTION_MARKS = "SELECT key, value FROM state WHERE city = ? AND key IN ('raw_pruned_before', 'raw_kept_metrics')"
_RUN_COLS = ("source", "started_at", "finished_at", "status", "message", "rows", "rejected", "latency_ms", "attempts")
_RUN_INSERT = f"INSERT INTO source_runs (city, {', '.join(_RUN_COLS)}) VALUES (?{', ?' * len(_RUN_COLS)})"
# the status a source's newest run had (the order _insert_run always used: finished, then id)
_LAST_STATUS = ("SELECT status FROM source_runs WHERE city = ? AND source = ?"
                " ORDER BY finished_at DESC, id DESC LIMIT 1")
# a source's runs from one id up to (not including) another: ix_runs_city_id walks only the
# city's runs since then, where the (city, source, finished_at) index would walk all of the
# source's runs ever recorded
_RUNS_BETWEEN = ("SELECT id, status FROM source_runs INDEXED BY ix_runs_city_id"
                 " WHERE city = ? AND id >= ? AND id < ? AND source = ? ORDER BY id LIMIT 2")


class _NotARepeat(Exception):
    """Rolls record_repeat's transaction back."""


_CURRENT_INSERT = ("INSERT INTO current (city, metric, opd, dim, ts, value, period, source, known_at, period_kind,"
                   " period_start, as_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (city, metric, opd, dim) DO UPDATE SET ")
# the same rules as Cache._upsert_current's SQLAlchemy statements (PostgreSQL), for the SQLite fast path
_CURRENT_NEWER = _CURRENT_INSERT + (
    "ts = excluded.ts, value = excluded.value, period = excluded.period, source = excluded.source,"
    " known_at = excluded.known_at, period_kind = excluded.period_kind, period_start = excluded.period_start,"
    " as_of = excluded.as_of WHERE excluded.ts > current.ts OR (excluded.ts = current.ts"
    " AND excluded.value != current.value AND excluded.known_at >= current.known_at)")
_CURRENT_CONFIRMED = _CURRENT_INSERT + (
    "as_of = excluded.as_of WHERE excluded.ts = current.ts AND excluded.value = current.value"
    " AND excluded.as_of > current.as_of")

_OPEN_ALERT = AlertRow.state.in_(("firing", "acknowledged"))

_OTHER_VERSION = """EXISTS (SELECT 1 FROM samples o WHERE o.city = s.city AND o.metric = s.metric
  AND o.opd = s.opd AND o.dim = s.dim AND o.ts = s.ts AND o.id <> s.id AND o.id <= :hi)"""
_VERSIONED_SQL = """
SELECT DISTINCT s.metric, s.opd, s.dim, s.ts FROM samples s
WHERE s.city = :city AND s.id > :lo AND s.id <= :hi AND EXISTS (SELECT 1 FROM samples o WHERE o.city = s.city
  AND o.metric = s.metric AND o.opd = s.opd AND o.dim = s.dim AND o.ts = s.ts AND o.id <= :lo)"""
# several versions among the new rows: one pass in index order, no look-up per row
_VERSIONED_NEW_SQL = """
SELECT metric, opd, dim, ts FROM samples WHERE city = :city AND id > :lo AND id <= :hi
GROUP BY metric, opd, dim, ts HAVING COUNT(*) > 1"""
_UNVERSIONED = f" AND NOT {_OTHER_VERSION}"
_ROLLUP_SQL = """
INSERT INTO rollups (city, metric, opd, dim, bucket, ts, n, total, vmin, vmax)
SELECT city, metric, opd, dim, :size, (ts / :size) * :size, COUNT(*), SUM(value), MIN(value), MAX(value)
FROM samples s WHERE city = :city AND id > :lo AND id <= :hi{only}
GROUP BY city, metric, opd, dim, (ts / :size) * :size
ON CONFLICT (city, metric, opd, dim, bucket, ts) DO UPDATE SET
  n = rollups.n + excluded.n, total = rollups.total + excluded.total,
  vmin = CASE WHEN excluded.vmin < rollups.vmin THEN excluded.vmin ELSE rollups.vmin END,
  vmax = CASE WHEN excluded.vmax > rollups.vmax THEN excluded.vmax ELSE rollups.vmax END
"""


def _fold_versions(conn: Any, city: str, versioned: Sequence[Any], buckets: Sequence[int], lo: int, hi: int,
                   raw_from: int) -> None:
    """Buckets holding a ts with several versions: recomputed from the newest versions where the
    raw rows are all there; below the retention cutoff (raw partly gone), corrected by the
    difference between the newest version and the one folded before (min/max only widen)."""
    for size in buckets:
        groups: dict[tuple[str, str, str, int], list[int]] = {}
        for metric, opd, dim, ts in versioned:
            groups.setdefault((metric, opd, dim, int(ts) // size * size), []).append(int(ts))
        for (metric, opd, dim, b), stamps in groups.items():
            key = {"city": city, "metric": metric, "opd": opd, "dim": dim, "size": size, "b": b}
            if b >= raw_from:
                rows = conn.execute(text(
                    "SELECT ts, value, known_at, id FROM samples WHERE city = :city AND metric = :metric AND opd = :opd"
                    " AND dim = :dim AND ts >= :b AND ts < :b + :size AND id <= :hi"), {**key, "hi": hi}).all()
                vals = list(_newest(rows, hi).values())
                conn.execute(text(_BUCKET_SET), {**key, "n": len(vals), "total": sum(vals), "vmin": min(vals),
                                                 "vmax": max(vals)})
                continue
            for ts in stamps:
                rows = conn.execute(text(
                    "SELECT ts, value, known_at, id FROM samples WHERE city = :city AND metric = :metric AND opd = :opd"
                    " AND dim = :dim AND ts = :ts AND id <= :hi"), {**key, "ts": ts, "hi": hi}).all()
                new, old = _newest(rows, hi).get(ts), _newest(rows, lo).get(ts)
                conn.execute(text(_BUCKET_ADD), {**key, "n": int(old is None), "total": new - (old or 0.0),
                                                 "vmin": new, "vmax": new})


def _newest(rows: Sequence[Any], upto: int) -> dict[int, float]:
    best: dict[int, tuple[float, int, float]] = {}
    for ts, value, known, rid in rows:
        if rid <= upto and (ts not in best or (known, rid) > best[ts][:2]):
            best[ts] = (known, rid, value)
    return {ts: v[2] for ts, v in best.items()}


_BUCKET_SET = """
INSERT INTO rollups (city, metric, opd, dim, bucket, ts, n, total, vmin, vmax)
VALUES (:city, :metric, :opd, :dim, :size, :b, :n, :total, :vmin, :vmax)
ON CONFLICT (city, metric, opd, dim, bucket, ts) DO UPDATE SET
  n = excluded.n, total = excluded.total, vmin = excluded.vmin, vmax = excluded.vmax
"""
_BUCKET_ADD = """
INSERT INTO rollups (city, metric, opd, dim, bucket, ts, n, total, vmin, vmax)
VALUES (:city, :metric, :opd, :dim, :size, :b, :n, :total, :vmin, :vmax)
ON CONFLICT (city, metric, opd, dim, bucket, ts) DO UPDATE SET
  n = rollups.n + excluded.n, total = rollups.total + excluded.total,
  vmin = CASE WHEN excluded.vmin < rollups.vmin THEN excluded.vmin ELSE rollups.vmin END,
  vmax = CASE WHEN excluded.vmax > rollups.vmax THEN excluded.vmax ELSE rollups.vmax END
"""


@lru_cache(maxsize=4096)
def _period_of(label: str, ts: int, tz: str | None) -> tuple[str, int]:
    # a city's values share a handful of (label, period end) pairs
    return timeframe.describe(label, ts, tz)


def _newest_per_series(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The row with the greatest ts per (metric, opd, dim); among equal ts the later row wins.
    sorted() is stable and dict() keeps the last row per key, so the loop runs in C."""
    by_ts = sorted(rows, key=_TS)
    return list(dict(zip(map(_SERIES, by_ts), by_ts)).values())


def _lock_key(*parts: str) -> int:
    """A stable signed 63-bit key for PostgreSQL advisory locks."""
    import hashlib

    return int.from_bytes(hashlib.sha1("|".join(parts).encode()).digest()[:8], "big", signed=True) >> 1
