"""Retention (city.yaml retention_raw): raw samples older than the configured age are pruned after
they are rolled up; the wall's newest values and long-range rollups stay; a wall process reading
meanwhile is never blocked for long. On a real SQLite file and on a real PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from commandcenter.cache import Cache, Sample
from commandcenter.cache.models import RollupRow
from commandcenter.config.schema.common import parse_duration
from tests.deploy.pgdb import pg_db  # noqa: F401 (fixture)
from tests.pg_server import pg_url  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
NOW = 1_767_225_600  # 2026-01-01 00:00 UTC
HOUR, DAY = 3600, 86400
RETENTION = "90d"


def fill(cache: Cache) -> tuple[int, int]:
    """Hourly BOR for 200 days for 5 OPDs (+ a series whose only value is old); (old, recent)."""
    cutoff = NOW - parse_duration(RETENTION)
    rows = [Sample("beban", f"opd0{o}", NOW - 200 * DAY + h * HOUR, float((h + o) % 97), dim="run1")
            for o in range(5) for h in range(200 * 24)]
    rows.append(Sample("sakip", "inspektorat", NOW - 150 * DAY, 71.5, period="2025"))
    cache.write_samples("simrs", rows, known_at=NOW - 1)
    old = sum(1 for r in rows if r.ts < cutoff)
    return old, len(rows) - old


def check_pruned(cache: Cache, old: int, recent: int) -> None:
    before_old_series = cache.series("beban", "opd01", "run1", start=NOW - 200 * DAY, end=NOW - 100 * DAY - 1, bucket=DAY)
    deleted = cache.prune_raw(parse_duration(RETENTION), now=NOW)
    assert deleted == old
    assert cache.count_samples() == recent
    assert cache.prune_raw(parse_duration(RETENTION), now=NOW) == 0  # idempotent
    # the long-range view of the pruned period still draws, from the rollups, unchanged
    after = cache.series("beban", "opd01", "run1", start=NOW - 200 * DAY, end=NOW - 100 * DAY - 1, bucket=DAY)
    assert after.ts == before_old_series.ts and after.values == pytest.approx(before_old_series.values)
    assert len(after.ts) == 100
    # a series whose only value is older than the cutoff keeps showing on the wall
    (sakip,) = cache.latest("sakip")
    assert sakip.value == 71.5
    assert {v.opd for v in cache.latest("beban")} == {f"opd0{o}" for o in range(5)}
    with cache.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(RollupRow).where(
            RollupRow.city == cache.city, RollupRow.bucket == DAY)).scalar() > 0


def prune_with_reader(cache: Cache, db: str) -> dict:
    """Prune while a wall process reads the same database; return the reader's report."""
    reader = subprocess.Popen([sys.executable, "-m", "tests.deploy.reader", "--db", db, "--city", cache.city,
                               "--seconds", "4"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    old, recent = fill(cache)
    check_pruned(cache, old, recent)
    out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err[-2000:]
    return json.loads(out.strip().splitlines()[-1])


def test_prune_raw_sqlite_while_a_wall_reads(tmp_path):
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    try:
        report = prune_with_reader(cache, db)
    finally:
        cache.close()
    assert report["errors"] == []
    assert report["reads"] > 10
    assert report["max_ms"] < 2000  # pruning works in small transactions: readers never wait long


@pytest.mark.postgres
def test_prune_raw_postgres_while_a_wall_reads(pg_db):  # noqa: F811
    cache = Cache.open(pg_db, city="1275")
    other = Cache.open(pg_db, city="7310")
    try:
        other.write_samples("simrs", [Sample("beban", "opd01", NOW - 300 * DAY, 1.0)])
        report = prune_with_reader(cache, pg_db)
        assert other.count_samples() == 1  # pruning one city never touches another's rows
    finally:
        cache.close()
        other.close()
    assert report["errors"] == []
    assert report["max_ms"] < 2000


def test_city_yaml_retention_is_a_duration(demo_config):
    assert demo_config.city.retention_raw >= 0
    assert parse_duration(RETENTION) == 90 * DAY
