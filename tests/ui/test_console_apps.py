"""The console's applications tab: state, last check and reason per app, and 'check now'
travelling through the cache to the collector's application checker."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from commandcenter.cache import Cache
from commandcenter.checks import base, metrics as M
from commandcenter.checks.base import CheckResult
from commandcenter.collector.apps import REQUESTS_KEY, AppChecker, samples_for


@pytest.fixture
def console_room(qtbot, wall_config, db_url):
    """A console on a cache file (it reaches walls and the collector only through the cache)."""
    from commandcenter.ui.console import Console

    cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    console = Console(wall_config, cache, actor="sari@meja-1", poll_ms=200)
    qtbot.addWidget(console)
    console.start()
    yield console, cache
    console.worker.flush()
    console.shutdown()
    cache.close()


def test_apps_tab_lists_state_reason_and_checks_now(console_room, qtbot, wall_config):
    console, cache = console_room
    apps = {a.id: a for a in wall_config.extra["apps"].apps}
    now = time.time()
    cache.write_samples(M.SOURCE, samples_for(apps["ppdb"], CheckResult.fail(
        base.KEYWORD, "keyword 'Masuk' not found in the page", 95.0), int(now) - 3, False)
        + samples_for(apps["simrs"], CheckResult(True, 81.0), int(now) - 3, False))
    checker = AppChecker(wall_config, cache)  # a collector: old requests count as handled
    console.load_data()
    t = console.apps.table

    def ppdb_down() -> bool:
        return any(t.item(i, 0).data(Qt.ItemDataRole.UserRole) == "ppdb" and t.item(i, 2).text() == "Mati"
                   for i in range(t.rowCount()))

    qtbot.waitUntil(ppdb_down, timeout=5000)
    rows = {t.item(i, 0).data(Qt.ItemDataRole.UserRole): i for i in range(t.rowCount())}
    assert len(rows) == len([a for a in apps.values() if a.enabled])
    ppdb = rows["ppdb"]
    assert (t.item(ppdb, 2).text(), t.item(ppdb, 5).text()) == ("Mati", "kata kunci tidak ditemukan")
    assert t.item(rows["simrs"], 4).text() == "81 ms" and t.item(rows["simrs"], 2).text() == "Normal"
    console.apps.select("ppdb")
    console.apps.check_button.click()
    console.worker.flush()
    assert "ppdb" in cache.get_state(REQUESTS_KEY)
    assert cache.audit_log(action="check_app")[0].detail == {"app": "ppdb"}
    assert cache.audit_log(action="check_app")[0].actor == "sari@meja-1"
    checker._take_requests()
    assert checker._forced == {"ppdb"}
    checker.shutdown()
