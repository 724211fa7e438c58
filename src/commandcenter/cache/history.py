"""Series reads: one path for panels and scoring, correct over rollups, retention and versions.

Where each point comes from:
- raw samples (the newest version of each `ts`, as known at `as_of`) where they exist, i.e. at and
  after `raw_pruned_before` (the oldest `ts` retention kept, state key written by prune_raw);
- before that, the rollups (retention pruned the raw rows; the rollups were built first);
- with a `bucket` coarser than raw: the rollup of that size for every bucket wholly folded in
  (rows up to the rollup watermark), raw rows from the first bucket that holds a row written
  after the watermark. Rollups fold only the newest version of each ts (Cache.rollup), so a
  correction 10 -> 20 reads 20 whichever part answers.

Many series are read together: every (metric, opd, dim, start, end) request of a call becomes one
branch of a single UNION ALL statement (chunked below SQLite's compound-select limit).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select, text

from commandcenter.cache.models import CurrentRow, SampleRow, StateRow
from commandcenter.cache.records import Series

ROLLUP_SIZES = (300, 3600, 86400)
FINEST = ROLLUP_SIZES[0]
CHUNK = 200  # branches per statement: SQLite allows 500 compound terms
# columns the time model (migration 0004) adds to samples; read when the model has them
_TIME_COLS = tuple(c for c in ("as_of", "period_kind", "period_start") if hasattr(SampleRow, c))
_SERIES_FIELDS = {f.name for f in fields(Series)}

Request = tuple[str, str, str, float | None, float | None]  # metric, opd, dim, start, end
BIG = 2**62
V, K, R, N, T0 = 2, 3, 4, 5, 6  # a fetched row: value (or total), known_at, id, n (rollups), time columns


@dataclass(slots=True)
class _Known:
    lo: int
    hi: int
    top: int  # every row with an id up to this was in the read
    pts: dict[int, tuple]


class SeriesMemo:
    """The raw points a live wall read last time, per series, so its next read of the same
    series fetches only the rows written since (ids above the last read's top id) and the
    points past its last end. Exact, not approximate: a correction is a new row with a higher
    id and wins by the same (known_at, id) rule as a full read. SQLite only: there one writer
    commits at a time, so a row committed after a read has a higher id than every row the read
    could see (PostgreSQL's sequences hand ids out before commit, out of commit order).
    Kept by the caller for as long as it reads the same series (a wall: one scene)."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str, str], _Known] = {}
        self.marks: tuple[Any, ...] | None = None
        self.lock = threading.Lock()


class History:
    engine: Any
    city: str

    def series(self, metric: str, opd: str = "", dim: str = "", start: float | None = None,
               end: float | None = None, as_of: float | None = None, bucket: int | None = None) -> Series:
        """Points of one series between start and end (inclusive), as known at `as_of`. With
        `bucket` (seconds) the mean per bucket (points at the bucket's start)."""
        return self.series_many([(metric, opd, dim, start, end)], as_of=as_of, bucket=bucket)[0]

    def series_many(self, requests: Sequence[Request], as_of: float | None = None,
                    bucket: int | None = None, memo: SeriesMemo | None = None) -> list[Series]:
        """Several series in a few statements (state marks, the points, and for raw reads the
        `current` rows that settle a value corrected back), answered in request order. A live raw
        read with a `memo` fetches only what was written since the memo's last read."""
        if not requests:
            return []
        with self.engine.connect() as conn:
            mark, raw_from, kept, deleted_at = _marks(conn, self.city)
            # metrics retention keeps whole (periodic KPIs): raw all the way back
            froms = [-BIG if r[0] in kept else raw_from for r in requests]
            if bucket and bucket > 1:
                return self._bucketed(conn, requests, as_of, int(bucket), mark, froms)
            if memo is not None and as_of is None and conn.dialect.name == "sqlite":
                with memo.lock:
                    # not the rollup watermark: rollups move it often, and raw reads never use it
                    return self._raw_since(conn, requests, froms, memo, (raw_from, kept, deleted_at))
            return self._raw(conn, requests, as_of, froms)

    # -- raw resolution -----------------------------------------------------------------------------
    def _raw(self, conn: Any, requests: Sequence[Request], as_of: float | None, froms: list[int]) -> list[Series]:
        branches: list[tuple] = []
        for k, (metric, opd, dim, start, end) in enumerate(requests):
            branches.extend(_raw_branches(k, metric, opd, dim, _lo(start), _hi(end), froms[k]))
        pts = _fetch(conn, self.city, branches, as_of, FINEST)
        if as_of is not None:
            return [_series(req, pts.get(k)) for k, req in enumerate(requests)]
        return [_series(req, p) for req, p in zip(requests, _settled(conn, self.city, requests, pts))]

    def _raw_since(self, conn: Any, requests: Sequence[Request], froms: list[int], memo: SeriesMemo,
                   marks: tuple[Any, ...]) -> list[Series]:
        # the top id first: a row committed between this and the points is read twice, never missed
        top = int(conn.exec_driver_sql("SELECT MAX(id) FROM samples").scalar() or 0)
        if memo.marks != marks or any(kn.top > top for kn in memo.known.values()):
            memo.known.clear()  # pruned, rolled back or another file: read whole again
        memo.marks = marks
        branches: list[tuple] = []
        carried: dict[int, tuple[_Known, int, int]] = {}
        for k, (metric, opd, dim, start, end) in enumerate(requests):
            lo, hi = _lo(start), _hi(end)
            kn = memo.known.get((metric, opd, dim))
            if kn is not None and kn.lo <= lo <= kn.hi <= hi and lo >= froms[k]:
                carried[k] = (kn, lo, hi)
                branches.append(("s", k, metric, opd, dim, lo, kn.hi, kn.top))
                if hi > kn.hi:
                    branches.append(("s", k, metric, opd, dim, kn.hi + 1, hi))
            else:
                branches.extend(_raw_branches(k, metric, opd, dim, lo, hi, froms[k]))
        pts = _fetch(conn, self.city, branches, None, FINEST)
        for k, (kn, lo, hi) in carried.items():
            pts[k] = _merged({t: p for t, p in kn.pts.items() if t >= lo}, pts.get(k, {}))
        for k, (metric, opd, dim, start, end) in enumerate(requests):
            if _lo(start) >= froms[k]:  # rollup points stand in for pruned ones: never carried
                memo.known[(metric, opd, dim)] = _Known(_lo(start), _hi(end), top, pts.setdefault(k, {}))
        return [_series(req, p) for req, p in zip(requests, _settled(conn, self.city, requests, pts))]

    # -- bucketed -------------------------------------------------------------------------------------
    def _bucketed(self, conn: Any, requests: Sequence[Request], as_of: float | None, bucket: int, mark: int,
                  froms: list[int]) -> list[Series]:
        size = max((s for s in ROLLUP_SIZES if s <= bucket and bucket % s == 0), default=None)
        dirty = {} if as_of is not None or size is None else _dirty_from(conn, self.city, requests, mark)
        branches = []
        for k, (metric, opd, dim, start, end) in enumerate(requests):
            lo, hi, raw_from = _lo(start), _hi(end), froms[k]
            lo = lo // bucket * bucket if lo > -BIG else lo
            if size is None:  # no rollup of a size that divides the bucket: raw only
                split = raw_from
            elif as_of is not None:  # rollups know no versions by time: raw wherever it exists
                split = raw_from
            else:  # rollups up to the first bucket with rows written after the watermark
                first_dirty = dirty.get((metric, opd, dim))
                split = max(raw_from, first_dirty // bucket * bucket) if first_dirty is not None else hi + 1
            if lo < split and size is not None:
                branches.append(("r", k, metric, opd, dim, lo, min(hi, split - 1)))
            if hi >= split:
                branches.append(("s", k, metric, opd, dim, max(lo, split), hi))
        pts = _fetch(conn, self.city, branches, as_of, size or FINEST, buckets=True)
        return [_series(req, _rebucket(pts.get(k, {}), bucket)) for k, req in enumerate(requests)]


# -- helpers ---------------------------------------------------------------------------------------
def _lo(start: float | None) -> int:
    return -BIG if start is None else int(start)


def _hi(end: float | None) -> int:
    return BIG if end is None else int(end)


def _raw_branches(k: int, metric: str, opd: str, dim: str, lo: int, hi: int, raw_from: int) -> list[tuple]:
    out = []
    if lo < raw_from:  # pruned: the finest rollup stands in
        out.append(("r", k, metric, opd, dim, lo, min(hi, raw_from - 1)))
    if hi >= raw_from:
        out.append(("s", k, metric, opd, dim, max(lo, raw_from), hi))
    return out


def _newer(row: tuple, old: tuple | None) -> bool:
    """The newest version of a ts wins (known_at, then id); rollup rows never share a ts with raw ones."""
    return old is None or (row[K], row[R]) > (old[K], old[R])


def _merged(known: dict[int, tuple], fresh: dict[int, tuple]) -> dict[int, tuple]:
    for t, row in fresh.items():
        if _newer(row, known.get(t)):
            known[t] = row
    return known


def _marks(conn: Any, city: str) -> tuple[int, int, frozenset[str], Any]:
    """The rollup watermark, where raw rows start, the metrics kept raw, and when raw rows were
    last deleted (a series memo reads whole after any delete: SQLite may hand a deleted top id
    out again)."""
    rows = dict(conn.execute(select(StateRow.key, StateRow.value).where(
        StateRow.city == city, StateRow.key.in_(("rollup_watermark", "raw_pruned_before", "raw_kept_metrics",
                                                 "raw_deleted_at")))).all())
    mark = int(json.loads(rows["rollup_watermark"])) if "rollup_watermark" in rows else 0
    raw_from = int(json.loads(rows["raw_pruned_before"])) if "raw_pruned_before" in rows else -BIG
    kept = frozenset(json.loads(rows["raw_kept_metrics"])) if "raw_kept_metrics" in rows else frozenset()
    return mark, raw_from, kept, rows.get("raw_deleted_at")


def _dirty_from(conn: Any, city: str, requests: Sequence[Request], mark: int) -> dict[tuple[str, str, str], int]:
    """Per series, the oldest ts among rows written after the rollup watermark (an id range: the
    rows since the last rollup, a handful when the collector's maintenance keeps up)."""
    metrics = sorted({r[0] for r in requests})
    # SQLite: `+column` keeps the planner on the id range (the rows since the watermark) instead
    # of the (city, metric, ...) index, which would visit every row of those metrics
    plus = "+" if conn.dialect.name == "sqlite" else ""
    rows = _rows(conn, f"SELECT metric, opd, dim, MIN(ts) FROM samples WHERE id > :mark AND {plus}city = :city"
                 f" AND {plus}metric IN ({', '.join(f':m{i}' for i in range(len(metrics)))}) GROUP BY metric, opd, dim",
                 {"mark": mark, "city": city, **{f"m{i}": m for i, m in enumerate(metrics)}})
    return {(m, o, d): int(ts) for m, o, d, ts in rows}


def _fetch(conn: Any, city: str, branches: list[tuple], as_of: float | None, size: int,
           buckets: bool = False) -> dict[int, dict[int, tuple]]:
    """Run the branches as UNION ALL statements. Returns per request: ts -> the row, which is
    (k, ts, value, known_at, id, 0, time columns...) for raw samples (the newest version per ts)
    and (k, ts, total, 0, 0, n, NULLs...) for rollup buckets (n > 0: a sum to divide). Rows stay
    the driver's tuples: no per-point list (tens of thousands of GC-tracked objects per build)."""
    out: dict[int, dict[int, tuple]] = {}
    extra = ", ".join(_TIME_COLS)
    for i in range(0, len(branches), CHUNK):
        parts, params = [], {"city": city}
        for j, (src, k, metric, opd, dim, lo, hi, *after) in enumerate(branches[i:i + CHUNK]):
            params.update({f"m{j}": metric, f"o{j}": opd, f"d{j}": dim, f"lo{j}": lo, f"hi{j}": hi})
            where = f"city = :city AND metric = :m{j} AND opd = :o{j} AND dim = :d{j} AND ts >= :lo{j} AND ts <= :hi{j}"
            if after:  # only the rows written since a memo's read (the index holds the rowid)
                params[f"a{j}"] = after[0]
                where += f" AND id > :a{j}"
            if src == "s":
                cols = f"{k}, ts, value, known_at, id, 0" + (f", {extra}" if extra else "")
                known = " AND known_at <= :asof" if as_of is not None else ""
                if as_of is not None:
                    params["asof"] = as_of
                parts.append(f"SELECT {cols} FROM samples WHERE {where}{known}")
            else:
                nulls = ", NULL" * len(_TIME_COLS)
                params["size"] = size
                parts.append(f"SELECT {k}, ts, total, 0.0, 0, n{nulls} FROM rollups WHERE {where} AND bucket = :size")
        for row in _rows(conn, " UNION ALL ".join(parts), params):
            pts = out.get(row[0])
            if pts is None:
                pts = out[row[0]] = {}
            if _newer(row, pts.get(row[1])):
                pts[row[1]] = row
    return out


def _rows(conn: Any, sql: str, params: dict[str, Any]) -> list[tuple]:
    """All rows of a statement. SQLite: the driver's cursor with its own `:name` parameters and
    one fetchall, several times faster than iterating a Result for tens of thousands of points."""
    if conn.dialect.name == "sqlite":
        try:  # exec_driver_sql: the driver's own cursor, still seen by engine events (counted)
            return conn.exec_driver_sql(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            from commandcenter.cache.engine import raise_if_damaged

            raise_if_damaged(conn.engine, exc)
            raise
    return [tuple(r) for r in conn.execute(text(sql), params)]


def _settled(conn: Any, city: str, requests: Sequence[Request],
             pts: dict[int, dict[int, tuple]]) -> list[dict[int, tuple]]:
    """A value corrected back (10 -> 20 -> 10) is no new row; `current` holds it. The points as
    read stay as they are (a memo keeps them); a settled series is a copy."""
    metrics = sorted({r[0] for r in requests})
    rows = conn.execute(select(CurrentRow.metric, CurrentRow.opd, CurrentRow.dim, CurrentRow.ts, CurrentRow.value)
                        .where(CurrentRow.city == city, CurrentRow.metric.in_(metrics))).all()
    cur = {(m, o, d): (int(ts), float(v)) for m, o, d, ts, v in rows}
    out = []
    for k, (metric, opd, dim, _s, _e) in enumerate(requests):
        got = pts.get(k, {})
        c = cur.get((metric, opd, dim))
        p = got.get(c[0]) if c else None
        if p is not None and not p[N] and p[V] != c[1]:
            got = {**got, c[0]: p[:V] + (c[1],) + p[V + 1:]}
        out.append(got)
    return out


def _rebucket(pts: dict[int, tuple], bucket: int) -> dict[int, tuple]:
    """Rollup sums and raw values into means per `bucket` (raw rows are single values)."""
    acc: dict[int, list] = {}
    for ts, p in pts.items():
        b = ts // bucket * bucket
        a = acc.get(b)
        if a is None:
            a = acc[b] = [0.0, 0]
        a[0] += p[V]
        a[1] += p[N] or 1
    return {b: (0, b, a[0] / a[1], 0.0, 0, 0) for b, a in acc.items()}


def _series(req: Request, pts: dict[int, tuple] | None) -> Series:
    metric, opd, dim = req[:3]
    pts = pts or {}
    order = sorted(pts)
    rows = [pts[t] for t in order]
    vals = [p[V] / p[N] if p[N] else p[V] for p in rows]
    kw: dict[str, Any] = {}
    if "as_of" in _SERIES_FIELDS and _TIME_COLS:
        at, kind, first = (_TIME_COLS.index(c) + T0 if c in _TIME_COLS else None
                           for c in ("as_of", "period_kind", "period_start"))
        timed = [len(p) > T0 and p[T0] is not None for p in rows]  # raw points know their period
        if at is not None:
            kw["as_of"] = [int(p[at] or t) if ok else t for p, t, ok in zip(rows, order, timed)]
        if kind is not None:
            kinds = {p[kind] for p, ok in zip(rows, timed) if ok} - {""}
            kw["period_kind"] = kinds.pop() if len(kinds) == 1 else ""
        if first is not None:
            kw["starts"] = [int(p[first] or t) if ok else t for p, t, ok in zip(rows, order, timed)]
    return Series(metric, opd, dim, order, vals, **kw)
