"""The cache on a real PostgreSQL server (tests/pg_server.py starts one per session): the same
Alembic migrations, the same write/read contract, several cities in one database kept apart, a
wall reading while a collector writes, and LISTEN/NOTIFY reaching a listener."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from commandcenter.cache import Cache, RunRecord, Sample
from commandcenter.cache.engine import current_revision, head_revision
from commandcenter.cache.models import SampleRow
from commandcenter.cache.notify import ChangeListener, VersionPoller, channel_for, watch_changes
from tests.deploy.pgdb import libpq, pg_db  # noqa: F401 (fixture)
from tests.pg_server import pg_url  # noqa: F401 (fixture)

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]
TABLES = {"samples", "current", "rollups", "source_runs", "checkpoints", "alerts", "audit", "state"}


@pytest.fixture
def pg_cache(pg_db):  # noqa: F811
    cache = Cache.open(pg_db, city="1275")
    yield cache
    cache.close()


def test_migrates_from_empty_with_the_same_chain_as_sqlite(pg_db, tmp_path):  # noqa: F811
    cache = Cache.open(pg_db, city="1275")
    try:
        assert cache.dialect == "postgresql"
        assert TABLES <= set(inspect(cache.engine).get_table_names())
        assert current_revision(cache.engine) == head_revision()
        Cache.open(pg_db, city="1275").close()  # a second start migrates nothing
        assert current_revision(cache.engine) == head_revision()
        lite = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city="1275")
        pg_cols = {t: {c["name"] for c in inspect(cache.engine).get_columns(t)} for t in TABLES}
        lite_cols = {t: {c["name"] for c in inspect(lite.engine).get_columns(t)} for t in TABLES}
        lite.close()
        assert pg_cols == lite_cols
    finally:
        cache.close()


def test_write_read_contract_on_postgres(pg_cache):
    june = 1751302800
    s = Sample("serapan_keuangan", "bpkad", june, 47.5, period="2025-06")
    assert pg_cache.write_samples("sipd", [s, s], known_at=1000.0) == 1
    assert pg_cache.write_samples("sipd", [s], known_at=1100.0) == 0
    assert pg_cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", june, 48.25)], known_at=2000.0) == 1
    assert pg_cache.count_samples() == 2
    (now,) = pg_cache.latest("serapan_keuangan")
    assert (now.value, now.known_at) == (48.25, 2000.0)
    (then,) = pg_cache.latest("serapan_keuangan", as_of=1500.0)
    assert then.value == 47.5
    run_id = pg_cache.record_run(RunRecord("sipd", 10.0, 11.0, "ok", rows=2))
    assert pg_cache.source_runs()["sipd"].last.id == run_id
    pg_cache.set_checkpoint("sipd", "etag", "abc")
    assert pg_cache.get_checkpoint("sipd", "etag") == "abc"
    alert = pg_cache.fire_alert("k", "rule", "warning", "msg")
    assert pg_cache.ack_alert(alert.id) and pg_cache.resolve_alert("k") == 1
    big = [Sample("bor", "rsud", 1_700_000_000 + i * 60, float(i % 90)) for i in range(25_000)]
    assert pg_cache.write_samples("simrs", big) == 25_000  # three batches
    assert pg_cache.rollup() > 0
    assert len(pg_cache.series("bor", "rsud", bucket=3600).values) == 25_000 * 60 // 3600 + 1


def test_two_cities_in_one_database_stay_apart(pg_db):  # noqa: F811
    """Two collector processes (Binjai 1275, Barru 7310) write the same metric, OPD and source
    names into one database at the same time; each city reads only its own rows."""
    procs = [subprocess.Popen([sys.executable, "-m", "tests.deploy.writer", "--db", pg_db, "--city", city,
                               "--runs", "3", "--rows", str(rows)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for city, rows in (("1275", 12_000), ("7310", 7_000))]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
    binjai, barru = Cache.open(pg_db, city="1275"), Cache.open(pg_db, city="7310")
    try:
        assert binjai.count_samples() == 36_000
        assert barru.count_samples() == 21_000
        assert [r.rows for r in binjai.runs()] == [12_000] * 3
        assert [r.rows for r in barru.runs()] == [7_000] * 3
        assert {v.dim for v in binjai.latest("beban")} == {"run0", "run1", "run2"}
        # same series key in both cities, different values: no mixing
        b_pts = binjai.series("beban", "opd01", "run1")
        r_pts = barru.series("beban", "opd01", "run1")
        assert len(b_pts.values) == 1_200 and len(r_pts.values) == 700
        assert b_pts.ts[0] != r_pts.ts[0]
        with binjai.engine.connect() as conn:
            per_city = dict(conn.execute(select(SampleRow.city, func.count()).group_by(SampleRow.city)).all())
        assert per_city == {"1275": 36_000, "7310": 21_000}
        binjai.set_state("scene", "ringkasan")
        assert barru.get_state("scene") is None
    finally:
        binjai.close()
        barru.close()


def test_wall_reads_while_collector_writes_on_postgres(pg_db):  # noqa: F811
    Cache.open(pg_db, city="1275").close()
    writer = subprocess.Popen([sys.executable, "-m", "tests.deploy.writer", "--db", pg_db, "--city", "1275",
                               "--rows", "10000"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while not writer.stdout.readline().startswith("run "):
            assert writer.poll() is None, writer.stderr.read()
        # the reader reads until a writer's commit lands while it reads (a loaded machine takes
        # seconds per 10,000-row run); 90 s is only the deadline after which the test fails
        reader = subprocess.run([sys.executable, "-m", "tests.deploy.reader", "--db", pg_db, "--city", "1275",
                                 "--until-grows", "--min-reads", "10", "--seconds", "90"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        writer.send_signal(signal.SIGTERM)
        writer.wait(10)
        writer.stdout.close()
        writer.stderr.close()
    assert reader.returncode == 0, reader.stderr[-2000:]
    report = json.loads(reader.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["reads"] >= 10
    assert report["counts"][1] > report["counts"][0]


# -- LISTEN/NOTIFY -------------------------------------------------------------------------------
def test_channel_names():
    assert channel_for("1275") == "commandcenter_1275"
    assert channel_for("Kab-Barru") == "commandcenter_kab_barru"


def test_notify_reaches_the_listener_after_commit_only_for_its_city(pg_db, pg_cache):  # noqa: F811
    heard: list[str] = []
    with ChangeListener(pg_db, "1275", on_change=heard.append) as listener, \
            ChangeListener(pg_db, "7310") as other:
        assert listener.wait_connected(10) and other.wait_connected(10)
        assert listener.wait(0.3) is False  # nothing yet
        t0 = time.monotonic()
        pg_cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", 1751302800, 47.5)])
        assert listener.wait(5.0) is True
        latency = time.monotonic() - t0
        pg_cache.record_run(RunRecord("sipd", 1.0, 2.0, "ok", rows=1))
        assert listener.wait(5.0) is True
        pg_cache.fire_alert("k", "r", "warning", "m")
        assert listener.wait(5.0) is True
        pg_cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", 1751302800, 47.5)])  # nothing new
        assert listener.wait(0.5) is False
        assert other.wait(0.5) is False  # Barru's wall is not woken by Binjai's writes
        assert heard == ["samples", "run:sipd", "alert"]
        assert latency < 2.0
        # another city's collector wakes only its own wall
        barru = Cache.open(pg_db, city="7310")
        barru.record_run(RunRecord("bkad", 1.0, 2.0, "ok"))
        barru.close()
        assert other.wait(5.0) is True
        assert listener.wait(0.5) is False


def test_notify_from_another_process_and_the_data_are_visible(pg_db, pg_cache):  # noqa: F811
    """The wall hears a collector process's run and, on waking, already reads its rows and its run
    record (one transaction, one wake-up)."""
    with ChangeListener(pg_db, "1275") as listener:
        assert listener.wait_connected(10)
        proc = subprocess.Popen([sys.executable, "-m", "tests.deploy.writer", "--db", pg_db, "--city", "1275",
                                 "--runs", "1", "--rows", "5000"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert listener.wait(30.0) is True
        assert pg_cache.count_samples() == 5000  # visible at the moment of the notification
        assert pg_cache.runs()[0].rows == 5000  # and so is the run they belong to
        proc.communicate(timeout=60)


def test_listener_reconnects_and_reports_a_change(pg_db, pg_cache, pg_url):  # noqa: F811
    import psycopg

    heard: list[str] = []
    with ChangeListener(pg_db, "1275", on_change=heard.append, reconnect_delay=0.2) as listener:
        assert listener.wait_connected(10)
        with psycopg.connect(libpq(pg_url), autocommit=True) as admin:  # the server drops the listener
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE query LIKE 'LISTEN%%' AND datname = %s", (pg_cache.engine.url.database,))
        assert listener.wait(10.0) is True
        assert heard == ["reconnected"]
        assert listener.wait_connected(10)
        pg_cache.record_run(RunRecord("x", 1.0, 2.0, "ok"))
        assert listener.wait(5.0) is True


def test_watch_changes_picks_the_backend(pg_cache, tmp_path):
    w = watch_changes(pg_cache)
    try:
        assert isinstance(w, ChangeListener)
        assert w.wait_connected(10)
        pg_cache.record_run(RunRecord("x", 1.0, 2.0, "ok"))
        assert w.wait(5.0)
    finally:
        w.close()
    lite = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city="1275")
    w = watch_changes(lite, interval=0.1)
    try:
        assert isinstance(w, VersionPoller)
        assert w.wait(0.3) is False
        lite.record_run(RunRecord("x", 1.0, 2.0, "ok"))
        assert w.wait(3.0) is True
    finally:
        w.close()
        lite.close()
