"""A source answering what it answered last time (issue #15, "sources polling, nothing new"): the
run is recorded and the source's last success moves on, but nothing else is written (no sample,
no current value, no change-log entry, so no wall wakes up). A changed answer, an answer after a
failed run, after a restart, after another collector's run or into a cache restored from a copy
is read and written in full."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from commandcenter.cache import Cache
from commandcenter.collector import Collector
from commandcenter.collector.health import source_health

SOURCE = "rsud-indikator"
DAYS = [(date.today() - timedelta(days=n)).isoformat() for n in (3, 2)]  # past days: settled values


class Feed:
    """A department endpoint whose answer the test sets."""

    def __init__(self) -> None:
        self.status, self.hits = 200, 0
        self.set()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                feed.hits += 1
                body = feed.body if feed.status == 200 else b"{}"
                self.send_response(feed.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/rsud"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def set(self, bor: float = 71.5, doc: Any = None) -> None:
        doc = doc if doc is not None else {"data": [{"tanggal": DAYS[0], "bor": 70.0, "alos": 4.1},
                                                    {"tanggal": DAYS[1], "bor": bor, "alos": 4.3}]}
        self.body = json.dumps(doc).encode()


@pytest.fixture
def feed():
    f = Feed()
    yield f
    f.httpd.shutdown()
    f.httpd.server_close()


def point_at(cfg: Any, url: str, samples: list[dict[str, Any]]) -> None:
    src = cfg.source_by_id[SOURCE]
    new = src.model_copy(update={"options": {**src.options, "url": url, "samples": samples}})
    cfg.sources = [new if s.id == SOURCE else s for s in cfg.sources]
    cfg.__dict__.pop("source_by_id", None)


@pytest.fixture
def setup(sim_env, feed, tmp_path):
    cfg = sim_env.cfg
    point_at(cfg, feed.url, [{"records": "data", "opd": "rsud", "ts_field": "tanggal",
                              "values": {"bor": "bor", "alos": "alos"}}])
    db = tmp_path / "cache.sqlite"
    cache = Cache.open(f"sqlite:///{db}", city=cfg.city_key)
    yield cfg, cache, db
    cache.close()


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the run records: what a repeated answer must leave alone."""
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                           " AND name NOT IN ('source_runs', 'alembic_version')")]
        return {n: sorted(con.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        con.close()


def latest(cache: Cache) -> dict[tuple[str, int], float]:
    """The current value of each of the source's series (the newest day's)."""
    return {(m, v.ts): v.value for m in ("bor", "alos") for v in cache.latest(m) if v.opd == "rsud"}


def health(cfg: Any, cache: Cache) -> Any:
    return {h.source: h for h in source_health(cfg, cache)}[SOURCE]


def test_an_unchanged_answer_records_its_run_and_nothing_else(setup, feed):
    cfg, cache, db = setup
    collector = Collector(cfg, cache)
    first = collector.run_source(SOURCE)
    assert (first.run.status, first.run.rows, first.written) == ("ok", 4, 4)
    before, version = tables(db), cache.data_version()
    assert before["samples"] and before["current"] and before["data_changes"]
    again = collector.run_source(SOURCE)
    assert (again.run.status, again.run.rows, again.written) == ("ok", 4, 0)
    assert again.run.message == first.run.message and again.metrics == first.metrics == ("alos", "bor")
    assert tables(db) == before  # no sample, current value, change-log entry or state written
    assert cache.data_version() == version and not cache.changes_since(version)
    assert [r.id for r in cache.runs(SOURCE)] == [again.run.id, first.run.id]
    h = health(cfg, cache)  # the wall shows when the source last answered
    assert h.state == "ok" and h.last_success == again.run.finished_at > first.run.finished_at
    assert h.last_run == again.run.finished_at and h.rows == 4
    assert feed.hits == 2


def test_a_changed_answer_after_repeats_is_written(setup, feed):
    cfg, cache, db = setup
    collector = Collector(cfg, cache)
    for _ in range(3):
        assert collector.run_source(SOURCE).run.status == "ok"
    version = cache.data_version()
    feed.set(bor=80.5)
    changed = collector.run_source(SOURCE)
    assert changed.run.status == "ok" and changed.written == 1
    assert latest(cache)[("bor", max(ts for _m, ts in latest(cache)))] == 80.5
    assert ("bor", "rsud") in cache.changes_since(version).pairs
    before = tables(db)  # the new answer is the one repeated from now on
    assert collector.run_source(SOURCE).written == 0 and tables(db) == before


def test_a_failed_run_between_keeps_the_data_and_the_source_recovers(setup, feed):
    cfg, cache, db = setup
    collector = Collector(cfg, cache)
    collector.run_source(SOURCE)
    collector.run_source(SOURCE)
    values = latest(cache)
    feed.status = 404
    failed = collector.run_source(SOURCE)
    assert failed.run.status == "failed" and "HTTP 404" in failed.run.message
    assert latest(cache) == values and health(cfg, cache).state == "failing"
    version = cache.data_version()
    feed.status = 200  # the same answer as before the failure
    back = collector.run_source(SOURCE)
    assert back.run.status == "ok" and back.written == 0 and latest(cache) == values
    changes = cache.changes_since(version)  # walls re-read the source's state, not its values
    assert changes.sources == {SOURCE} and not changes.pairs
    h = health(cfg, cache)
    assert h.state == "ok" and h.failures == 0 and h.last_success == back.run.finished_at
    before, version = tables(db), cache.data_version()
    again = collector.run_source(SOURCE)  # read in full after the failure: repeated from now on
    assert again.run.status == "ok" and tables(db) == before and cache.data_version() == version


def test_a_restarted_collector_reads_its_first_answer_in_full(setup, feed):
    cfg, cache, db = setup
    Collector(cfg, cache).run_source(SOURCE)
    feed.set(bor=75.0)  # changed while the collector was down
    restarted = Collector(cfg, cache)
    first = restarted.run_source(SOURCE)
    assert first.run.status == "ok" and first.written == 1 and 75.0 in latest(cache).values()
    before = tables(db)
    again = restarted.run_source(SOURCE)
    assert again.run.status == "ok" and again.written == 0 and tables(db) == before
    assert health(cfg, cache).last_success == again.run.finished_at


def test_a_run_by_another_collector_in_between_is_not_repeated_over(setup, feed):
    cfg, cache, _db = setup
    ours, other = Collector(cfg, cache), Collector(cfg, cache)  # other: `collect --once` from a console
    ours.run_source(SOURCE)
    feed.set(bor=99.0)
    other.run_source(SOURCE)
    feed.set(bor=71.5)  # back to the answer `ours` committed last
    assert 99.0 in latest(cache).values()
    version = cache.data_version()
    again = ours.run_source(SOURCE)
    # not taken for a repeat: the cache holds the other run's values, the source says 71.5 again
    assert again.run.status == "ok" and 71.5 in latest(cache).values() and 99.0 not in latest(cache).values()
    assert ("bor", "rsud") in cache.changes_since(version).pairs


def test_a_cache_restored_from_a_copy_gets_the_answer_again(setup, feed):
    cfg, cache, db = setup
    cache.engine.dispose()  # no connection open: the file alone is the whole cache
    copy = db.with_name("copy.sqlite")
    shutil.copy(db, copy)
    collector = Collector(cfg, cache)
    assert collector.run_source(SOURCE).written == 4
    ts = max(ts for _m, ts in latest(cache))
    cache.engine.dispose()
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    shutil.copy(copy, db)  # an admin restores yesterday's copy while the collector runs
    assert latest(cache) == {}
    again = collector.run_source(SOURCE)
    assert again.run.status == "ok" and again.written == 4 and latest(cache) == {("bor", ts): 71.5, ("alos", ts): 4.3}


def test_values_of_a_running_period_or_without_a_date_are_written_every_poll(setup, feed):
    cfg, cache, _db = setup
    point_at(cfg, feed.url, [{"records": "data", "opd": "rsud", "period": "current_month", "values": {"bor": "bor"}},
                             {"records": "data", "opd": "rsud", "values": {"alos": "alos"}}])
    feed.set(doc={"data": [{"bor": 71.5, "alos": 4.2}]})
    collector = Collector(cfg, cache)
    first = collector.run_source(SOURCE)
    per_today = cache.latest("bor")[0].as_of
    time.sleep(1.1)  # the next second: a new instant for the undated value, a later "per today"
    again = collector.run_source(SOURCE)
    assert first.written == 2 and again.written == 1  # the undated value is a new point each poll
    assert len(cache.series("alos", "rsud", "", start=time.time() - 60).ts) == 2
    assert cache.latest("bor")[0].as_of > per_today  # the month's value is confirmed "per today"


def test_unchanged_runs_are_logged_at_info_once_per_interval(setup, feed, caplog, monkeypatch):
    from commandcenter.collector import runner

    cfg, cache, _db = setup
    collector = Collector(cfg, cache)
    caplog.set_level(logging.DEBUG, logger="commandcenter.collector")

    def lines(level: int) -> list[str]:
        return [r.getMessage() for r in caplog.records if r.levelno == level and SOURCE in r.getMessage()]

    collector.run_source(SOURCE)
    assert len(lines(logging.INFO)) == 1  # the answer read in full
    for _ in range(3):
        collector.run_source(SOURCE)
    assert len(lines(logging.INFO)) == 1 and len(lines(logging.DEBUG)) == 3  # nothing new: DEBUG
    monkeypatch.setattr(runner, "REPEAT_LOG_EVERY", 0.0)  # the interval has passed
    collector.run_source(SOURCE)
    info = lines(logging.INFO)
    assert len(info) == 2 and "the same answer, 4 runs in the last" in info[-1]
