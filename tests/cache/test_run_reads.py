"""Health's run reads are index look-ups whatever the number of runs kept: every statement they
run is a SEARCH on (city, source, finished_at) or by id, never a SCAN of source_runs; and they
answer last run, last success and failures since it (a search narrowed to one source or to ids). Real SQLite file."""

from __future__ import annotations

from sqlalchemy import event

from commandcenter.cache import RunRecord

T0 = 1_780_000_000.0


def _record(cache, source: str, statuses: list[str], start: float = T0) -> None:
    for i, st in enumerate(statuses):
        cache.record_run(RunRecord(source, start + i - 0.5, start + i, st, message=f"{st} {i}"))


def _plans(cache, read) -> list[str]:
    seen: list[tuple[str, object]] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "source_runs" in statement:
            seen.append((statement, parameters))

    event.listen(cache.engine, "before_cursor_execute", note)
    try:
        read()
    finally:
        event.remove(cache.engine, "before_cursor_execute", note)
    plans = []
    with cache.engine.connect() as conn:
        raw = conn.connection.driver_connection
        for statement, parameters in seen:
            plans += [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()]
    assert seen
    return plans


def test_health_reads_search_indexes_and_never_scan_the_runs(cache):
    _record(cache, "a", ["ok"] * 30 + ["failed"] * 5)
    _record(cache, "b", ["failed"] * 8)
    _record(cache, "c", ["ok", "nodata", "ok"])
    for read in (lambda: cache.source_runs(as_of=T0 + 100, sources=["a", "b", "c"]),
                 lambda: cache.source_runs(),
                 lambda: cache.last_run("a", statuses=("ok", "partial"), as_of=T0 + 100)):
        plans = [p for p in _plans(cache, read) if "source_runs" in p]
        # a search by city alone would still visit every run of the city
        narrow = [p for p in plans if p.startswith("SEARCH") and ("source=?" in p or "source>?" in p or "rowid=?" in p)]
        assert plans and narrow == plans, plans


def test_last_run_last_success_and_failures_since(cache):
    _record(cache, "a", ["ok"] * 3 + ["failed"] * 4)
    _record(cache, "b", ["failed"] * 2)
    # two runs finishing at the same instant: the newer id is the later one
    cache.record_run(RunRecord("c", T0 - 1, T0, "ok"))
    cache.record_run(RunRecord("c", T0 - 1, T0, "failed", message="tie"))
    runs = cache.source_runs(sources=["a", "b", "c", "never"])
    assert set(runs) == {"a", "b", "c"}
    assert (runs["a"].last.status, runs["a"].last.message) == ("failed", "failed 6")
    assert runs["a"].last_success.message == "ok 2" and runs["a"].failures_since_success == 4
    assert runs["b"].last_success is None and runs["b"].failures_since_success == 2
    assert runs["c"].last.message == "tie" and runs["c"].failures_since_success == 1
    # as of an earlier instant: what the wall showed then
    then = cache.source_runs(as_of=T0 + 4, sources=["a"])["a"]
    assert then.last.message == "failed 4" and then.failures_since_success == 2
    assert cache.source_runs() == runs  # every source with runs, found by a skip scan
