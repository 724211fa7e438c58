"""A collector process's commit reaches the wall's Qt bridge as a signal in the GUI thread:
PostgreSQL by LISTEN/NOTIFY (pushed), SQLite by data_version polling."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from commandcenter.cache import Cache
from tests.deploy.pgdb import pg_db  # noqa: F401 (fixture)
from tests.pg_server import pg_url  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]


def collector_writes(db: str, city: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.deploy.writer", "--db", db, "--city", city,
                             "--runs", "1", "--rows", "2000"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def watch(qtbot, cache: Cache, db: str, city: str) -> list[tuple[str, bool]]:
    from PySide6.QtCore import QCoreApplication, QThread

    from commandcenter.ui.bridge import CacheChangeBridge

    bridge = CacheChangeBridge()
    got: list[tuple[str, bool]] = []
    bridge.changed.connect(lambda p: got.append((p, QThread.currentThread() is QCoreApplication.instance().thread())))
    bridge.start(cache, interval=0.2)
    try:
        assert bridge._watcher.wait_connected(10)
        proc = collector_writes(db, city)
        with qtbot.waitSignal(bridge.changed, timeout=20_000):
            pass
        proc.communicate(timeout=60)
        assert proc.returncode == 0
        qtbot.waitUntil(lambda: any(p.startswith(("run:", "data_version")) for p, _ in got), timeout=10_000)
        return got
    finally:
        bridge.stop()


@pytest.mark.postgres
def test_bridge_hears_a_collector_on_postgres(qtbot, pg_db):  # noqa: F811
    cache = Cache.open(pg_db, city="1275")
    try:
        got = watch(qtbot, cache, pg_db, "1275")
    finally:
        cache.close()
    assert [p for p, _ in got][:2] == ["samples", "run:stress"]
    assert all(in_gui for _, in_gui in got)


def test_bridge_notices_a_collector_on_sqlite(qtbot, tmp_path):
    db = f"sqlite:///{tmp_path / 'cache.sqlite'}"
    cache = Cache.open(db, city="1275")
    try:
        got = watch(qtbot, cache, db, "1275")
    finally:
        cache.close()
    assert got[0] == ("data_version", True)
