"""Cache ingest: samples/s through Cache.write_samples (batches of 10k) against raw
`sqlite3.executemany` of the same tuples into the same table, on the same connection settings."""

from __future__ import annotations

import gc
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.common import Row, Timer, fmt_rate, median

FIGURE = "cache ingest (samples/s, Cache.write_samples, batches of 10k)"
TARGET = ">= 0.8x baseline and >= 250,000/s"
CITY = "1275"
INSERT = ("INSERT OR IGNORE INTO samples (city, metric, opd, dim, ts, value, period, source, known_at)"
          " VALUES (?,?,?,?,?,?,?,?,?)")


def make_samples(n: int, series: int = 100):
    """Collector-shaped data: `series` series (metric x opd x dim) advancing one minute at a time,
    interleaved as a poll cycle delivers them."""
    from commandcenter.cache import Sample

    t0 = 1_735_664_400  # 2025-01-01 00:00 WIB
    keys = [(f"metric_{i % 10}", f"opd_{i // 10 % 10}", f"dim_{i // 100}" if i >= 100 else "") for i in range(series)]
    out = []
    for i in range(n):
        m, o, d = keys[i % series]
        out.append(Sample(m, o, t0 + 60 * (i // series), float((i * 7919) % 100_003) / 7.0, dim=d))
    return out


def _fresh_db(folder: Path, name: str) -> str:
    from commandcenter.cache import Cache

    url = f"sqlite:///{folder / name}"
    Cache.open(url, city=CITY).close()  # same schema and indexes as the product's table
    return url


def _run_product(url: str, samples) -> float:
    from commandcenter.cache import Cache

    cache = Cache.open(url, city=CITY)
    try:
        with Timer() as t:
            n = cache.write_samples("bench", samples, known_at=1_735_700_000.0)
    finally:
        cache.close()
    assert n == len(samples), (n, len(samples))
    return len(samples) / t.seconds


def _run_baseline(url: str, tuples, batch: int) -> float:
    from commandcenter.cache.engine import _sqlite_pragmas

    conn = sqlite3.connect(url.split("///", 1)[1])
    _sqlite_pragmas(conn, None)  # identical pragmas to the product's connections: a fair, not weakened, baseline
    try:
        with Timer() as t:
            for i in range(0, len(tuples), batch):
                conn.executemany(INSERT, tuples[i:i + batch])
                conn.commit()
    finally:
        conn.close()
    return len(tuples) / t.seconds


def run(quick: bool = False, n: int | None = None, runs: int | None = None) -> list[Row]:
    from commandcenter.cache.store import BATCH

    n = n or (50_000 if quick else 1_000_000)
    runs = runs or (3 if quick else 5)
    samples = make_samples(n)
    tuples = [(CITY, s.metric, s.opd, s.dim, int(s.ts), float(s.value), s.period, "bench", 1_735_700_000.0)
              for s in samples]
    prod, base = [], []
    with tempfile.TemporaryDirectory(prefix="cc-bench-ingest-") as tmp:
        folder = Path(tmp)
        for r in range(runs):
            # alternate the order so drift on a shared machine hits both sides alike
            order = ("base", "prod") if r % 2 == 0 else ("prod", "base")
            for side in order:
                url = _fresh_db(folder, f"{side}{r}.sqlite")
                gc.collect()
                if side == "base":
                    base.append(_run_baseline(url, tuples, BATCH))
                else:
                    prod.append(_run_product(url, samples))
                for suffix in ("", "-wal", "-shm"):
                    Path(url.split("///", 1)[1] + suffix).unlink(missing_ok=True)
    p, b = median(prod), median(base)
    ratio = p / b
    return [Row(FIGURE, f"{fmt_rate(p)}/s", TARGET, f"{fmt_rate(b)}/s (raw executemany)", f"{ratio:.2f}x",
                met=ratio >= 0.8 and p >= 250_000,
                note=f"{n:,} samples into a fresh table, median of {runs}"
                     + ("; the raw baseline itself is below 250,000/s in this run, so the absolute target is "
                        "limited by SQLite on this machine at this load" if b < 250_000 else ""),
                extra={"product": prod, "baseline": base, "n": n})]
