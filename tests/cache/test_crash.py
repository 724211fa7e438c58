"""Crash safety with real processes: a collector killed with SIGKILL in the middle of heavy ingest
loses no recorded run and leaves none half-written: a run's rows, its checkpoint and its record
commit together, so after a kill at any point the cache (samples, current values, checkpoints)
holds the whole run or nothing of it (issue 18); the database is intact and ingestion goes on.
A wall process reading the same SQLite file while the collector writes never sees an error."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.cache import Cache
from commandcenter.cache.models import CurrentRow, RunRow, SampleRow
from tests.deploy.pgdb import pg_db  # noqa: F401 (fixture)
from tests.pg_server import pg_url  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
CITY = "1275"
ROWS = 20_000  # two write batches per run: a kill often lands between or inside them


def spawn(module: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", f"tests.deploy.{module}", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen, prefix: str, count: int = 1, timeout: float = 60.0) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while len(seen) < count:
        assert time.monotonic() < deadline, f"no {prefix!r} line in time; stderr: {proc.stderr.read()[-2000:]}"
        line = proc.stdout.readline()
        assert line, f"process ended early (rc {proc.poll()}): {proc.stderr.read()[-2000:]}"
        if line.startswith(prefix):
            seen.append(line.strip())
    return seen


def kill_mid_ingest(db: str, start: int, rng: random.Random) -> list[int]:
    """Start a writer at run `start`, let it record two runs, SIGKILL it while it writes the
    third; return the ids of the runs it reported as recorded."""
    proc = spawn("writer", "--db", db, "--city", CITY, "--start", str(start), "--rows", str(ROWS))
    try:
        lines = wait_for_line(proc, "run ", count=2)
        wait_for_line(proc, "writing ", count=1)
        time.sleep(rng.uniform(0.0, 0.5))  # a run takes 0.1-0.4 s: before, inside or after its commit
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        # runs the writer printed after our last read were recorded too; the cache is the truth
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return [int(line.split()[2]) for line in lines]


def run_rows(cache: Cache) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """Every recorded run (message, rows) and the sample count per run (dim)."""
    with cache.engine.connect() as conn:
        runs = [(m, r) for m, r in conn.execute(
            select(RunRow.message, RunRow.rows).where(RunRow.city == CITY).order_by(RunRow.id))]
        per_dim = dict(conn.execute(select(SampleRow.dim, func.count()).where(SampleRow.city == CITY)
                                    .group_by(SampleRow.dim)).all())
    return runs, per_dim


def check_consistent(cache: Cache, reported: list[int] = ()) -> tuple[int, int]:
    """Every run the writer reported is there with all its rows; no recorded run misses a row;
    no row, current value or checkpoint belongs to a run without a record."""
    with cache.engine.connect() as conn:
        ids = set(conn.execute(select(RunRow.id).where(RunRow.city == CITY)).scalars())
    assert set(reported) <= ids, f"reported runs lost: {sorted(set(reported) - ids)}"
    runs, per_dim = run_rows(cache)
    for message, rows in runs:
        assert per_dim.get(message, 0) == rows, f"{message}: recorded {rows} rows, found {per_dim.get(message, 0)}"
    recorded = {m for m, _ in runs}
    assert set(per_dim) <= recorded, f"rows of unrecorded runs: {sorted(set(per_dim) - recorded)}"
    with cache.engine.connect() as conn:
        current = set(conn.execute(select(CurrentRow.dim).where(CurrentRow.city == CITY).distinct()).scalars())
    assert current <= recorded, f"current values of unrecorded runs: {sorted(current - recorded)}"
    newest = max((int(m.removeprefix("run")) for m in recorded), default=-1)
    assert cache.get_checkpoint("stress", "next") == (str(newest + 1) if recorded else None)
    return len(runs), sum(per_dim.values())


def crash_and_restart(db: str, integrity: Callable[[], None], kills: int = 3) -> list[tuple[int, int, int]]:
    """Kill the writer `kills` times mid-ingest; after each kill check integrity and every run;
    the restarted writer re-does the killed run (as the collector re-polls a source: the
    write is idempotent) and goes on. Returns (runs, samples, rows of the unrecorded run) per
    kill, then after a final clean restart."""
    rng = random.Random(8)
    history = []
    start = 0
    for _ in range(kills):
        reported = kill_mid_ingest(db, start, rng)
        integrity()
        cache = Cache.open(db, city=CITY)
        try:
            runs, samples = check_consistent(cache, reported)
            recorded = [m for m, _ in run_rows(cache)[0]]
        finally:
            cache.close()
        assert runs >= start + 2
        assert samples == runs * ROWS  # nothing of the killed run is visible
        history.append((runs, samples, samples - runs * ROWS))
        start = max(int(m.removeprefix("run")) for m in recorded) + 1
    # after the last kill ingestion continues: the killed run and one more complete
    proc = spawn("writer", "--db", db, "--city", CITY, "--start", str(start), "--runs", "2", "--rows", str(ROWS))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    integrity()
    cache = Cache.open(db, city=CITY)
    try:
        runs, samples = check_consistent(cache)
        assert cache.runs(limit=1)[0].message == f"run{start + 1}"
    finally:
        cache.close()
    assert runs == history[-1][0] + 2
    assert samples == runs * ROWS  # the killed run's rows were completed, none doubled
    history.append((runs, samples, 0))
    return history


def test_sigkill_mid_ingest_sqlite(tmp_path):
    path = tmp_path / "cache.sqlite"
    db = f"sqlite:///{path}"
    Cache.open(db, city=CITY).close()

    def integrity() -> None:
        with sqlite3.connect(path) as conn:  # opening replays the WAL of the killed writer
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    history = crash_and_restart(db, integrity, kills=8)
    print("\nsqlite (runs, samples, rows of the killed run) after each kill, then after restart:", history)


@pytest.mark.postgres
def test_sigkill_mid_ingest_postgres(pg_db):  # noqa: F811
    Cache.open(pg_db, city=CITY).close()

    def integrity() -> None:
        # the killed client's transaction is rolled back by the server: no locks or
        # half-open transactions are left in the way of the restarted collector
        cache = Cache.open(pg_db, city=CITY, migrate=False)
        try:
            with cache.engine.connect() as conn:
                assert conn.exec_driver_sql(
                    "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                    " WHERE a.datname = current_database() AND NOT l.granted").scalar() == 0
                dupes = conn.exec_driver_sql(
                    "SELECT count(*) FROM (SELECT city, metric, opd, dim, ts, value FROM samples"
                    " GROUP BY 1,2,3,4,5,6 HAVING count(*) > 1) d").scalar()
                assert dupes == 0
        finally:
            cache.close()

    history = crash_and_restart(pg_db, integrity)
    print("\npostgres (runs, samples, rows of the killed run) after each kill, then after restart:", history)


def test_wall_reads_sqlite_while_collector_writes(tmp_path):
    """Two real processes on one SQLite file: the reader never gets 'database is locked'."""
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    writer = spawn("writer", "--db", db, "--city", CITY, "--rows", "20000")
    try:
        wait_for_line(writer, "run ", count=1)
        # reads until it has seen a commit land (--seconds is the deadline), not for a fixed time
        # that a loaded machine may spend without the writer committing
        reader = spawn("reader", "--db", db, "--city", CITY, "--until-grows", "--min-reads", "20", "--seconds", "90")
        out, err = reader.communicate(timeout=120)
    finally:
        writer.send_signal(signal.SIGTERM)
        writer.wait(10)
        writer.stdout.close()
        writer.stderr.close()
    assert reader.returncode == 0, err[-2000:]
    report = json.loads(out.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["reads"] >= 20
    first, last = report["counts"]
    assert last > first  # the reader saw the writer's commits as they happened
    assert report["max_ms"] < 5000
