"""Panel history queries: p95 of Cache.series(bucket=...) for the wall's three history views on
10 series x 1 year of minute data, against a naive GROUP BY over the raw samples. The rollups
are built by the product's own Cache.rollup(), timed and reported too."""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import Row, Timer, fmt_ms, percentile

CITY = "1275"
SERIES = [(f"metric_{i}", f"opd_{i % 5}", "") for i in range(10)]
END = 1_767_200_400  # 2025-12-31 24:00 WIB, the last minute of the data set
VIEWS = [  # (label, span seconds, bucket seconds, speed-up target vs the raw GROUP BY or None)
    ("24 h at 1 min", 86_400, 60, None),
    ("7 d at 5 min", 7 * 86_400, 300, None),
    ("1 y at 1 day", 365 * 86_400, 86_400, 50.0),
]
NAIVE = ("SELECT (ts / ?) * ?, AVG(value) FROM samples WHERE city = ? AND metric = ? AND opd = ? AND dim = ?"
         " AND ts >= ? AND ts <= ? GROUP BY 1 ORDER BY 1")
INSERT = ("INSERT INTO samples (city, metric, opd, dim, ts, value, period, source, known_at)"
          " VALUES (?,?,?,?,?,?,?,?,?)")


def generate(path: Path, days: int) -> tuple[int, float]:
    """Minute data for SERIES over `days` days through the fast path (raw executemany of tuples
    from a generator, one transaction), into a table the product's migrations created."""
    from commandcenter.cache import Cache
    from commandcenter.cache.engine import _sqlite_pragmas

    Cache.open(f"sqlite:///{path}", city=CITY).close()
    start = END - days * 86_400 + 60
    minutes = days * 1440

    def rows():
        for k, (m, o, d) in enumerate(SERIES):
            base = 50.0 + 10 * k
            for i in range(minutes):
                # a daily wave plus a little deterministic noise: realistic enough for AVG/MIN/MAX
                yield (CITY, m, o, d, start + 60 * i, base + (i % 1440) / 60.0 + (i * 7919 % 101) / 100.0,
                       "", "bench", float(start + 60 * i + 30))

    conn = sqlite3.connect(path)
    _sqlite_pragmas(conn, None)
    with Timer() as t:
        conn.executemany(INSERT, rows())
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return len(SERIES) * minutes, t.seconds


def _time_product(cache, view, queries: int, rng: random.Random) -> list[float]:
    _label, span, bucket, _ = view
    out = []
    for q in range(queries):
        m, o, d = SERIES[q % len(SERIES)]
        end = END - rng.randrange(0, 3 * 86_400, 60) if span < 365 * 86_400 else END
        t0 = time.perf_counter()
        s = cache.series(m, o, d, start=end - span, end=end, bucket=bucket)
        out.append((time.perf_counter() - t0) * 1000)
        assert s.ts, "empty series"
    return out


def _time_naive(conn, view, queries: int, rng: random.Random) -> list[float]:
    _label, span, bucket, _ = view
    out = []
    for q in range(queries):
        m, o, d = SERIES[q % len(SERIES)]
        end = END - rng.randrange(0, 3 * 86_400, 60) if span < 365 * 86_400 else END
        t0 = time.perf_counter()
        pts = conn.execute(NAIVE, (bucket, bucket, CITY, m, o, d, end - span, end)).fetchall()
        out.append((time.perf_counter() - t0) * 1000)
        assert pts
    return out


def run(quick: bool = False, days: int | None = None, queries: int | None = None,
        naive_queries: int | None = None) -> list[Row]:
    from commandcenter.cache import Cache
    from commandcenter.cache.engine import _sqlite_pragmas

    days = days or (30 if quick else 365)
    queries = queries or (40 if quick else 100)
    naive_queries = naive_queries or (10 if quick else 20)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="cc-bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite"
        n, gen_s = generate(path, days)
        cache = Cache.open(f"sqlite:///{path}", city=CITY)
        with Timer() as t:
            folded = cache.rollup()
        assert folded == n, (folded, n)
        rows.append(Row("rollup build (Cache.rollup(), 5 min / 1 h / 1 day)", f"{t.seconds:.1f} s", "- (reported)",
                        note=f"{n:,} rows of minute data ({n / t.seconds:,.0f} rows/s); data generated in "
                             f"{gen_s:.1f} s by raw executemany",
                        extra={"seconds": t.seconds, "rows": n}))
        naive = sqlite3.connect(path)
        _sqlite_pragmas(naive, None)
        rng = random.Random(7)
        for view in VIEWS:
            label, span, bucket, speedup = view
            if span > days * 86_400:
                span = days * 86_400  # --quick: the long view covers the whole (smaller) data set
                view = (label, span, bucket, speedup)
            _time_product(cache, view, 5, rng)  # warm the page cache and SQLAlchemy's statement cache
            _time_naive(naive, view, 2, rng)
            prod, base = [], []
            for _ in range(2):  # alternate in halves so drift on a shared machine hits both alike
                prod += _time_product(cache, view, queries // 2, rng)
                base += _time_naive(naive, view, max(1, naive_queries // 2), rng)
            p95, b95 = percentile(prod, 95), percentile(base, 95)
            ratio = b95 / p95
            met = p95 <= 10.0 and (speedup is None or ratio >= speedup)
            target = "<= 10 ms" + (f" and >= {speedup:.0f}x faster" if speedup else "")
            rows.append(Row(f"panel history p95, {label}", fmt_ms(p95), target, f"{fmt_ms(b95)} (raw GROUP BY)",
                            f"{ratio:.1f}x speed-up", met=met,
                            note=f"{len(prod)} queries (median {fmt_ms(percentile(prod, 50))}), "
                                 f"{len(base)} baseline, {n:,} rows",
                            extra={"product": prod, "baseline": base}))
        naive.close()
        cache.close()
    return rows
