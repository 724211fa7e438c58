"""Run records are pruned past the city's age, keeping what health reads (each source's newest run
and newest good run); real SQLite file."""

from __future__ import annotations

from sqlalchemy import text

from commandcenter.cache import RunRecord

DAY = 86400.0
T0 = 1_780_000_000.0


def _runs(cache, source: str, statuses: list[str], start: float, step: float) -> None:
    for i, st in enumerate(statuses):
        t = start + i * step
        cache.record_run(RunRecord(source, t - 1, t, st))


def _count(cache, source: str) -> int:
    with cache.engine.connect() as conn:
        return conn.execute(text("SELECT COUNT(*) FROM source_runs WHERE source = :s"), {"s": source}).scalar()


def test_old_runs_go_and_each_sources_newest_and_newest_good_run_stay(cache):
    # "a": a good hour long ago, then failing ever since; "b": good every 5 minutes for 40 days
    _runs(cache, "a", ["ok"] * 12 + ["failed"] * 20, T0, 300)
    _runs(cache, "a", ["failed"] * 10, T0 + 35 * DAY, 300)
    _runs(cache, "b", ["ok"] * (40 * 288), T0, 300)
    now = T0 + 40 * DAY
    before = cache.source_runs(as_of=now)

    deleted = cache.prune_runs(30 * DAY, ["a", "b"], now=now)

    after = cache.source_runs(as_of=now)
    for src in ("a", "b"):  # what the wall's health shows did not move
        assert after[src].last == before[src].last
        assert after[src].last_success == before[src].last_success
    assert after["a"].last_success.finished_at == T0 + 11 * 300  # kept though 40 days old
    assert _count(cache, "a") == 1 + 10  # its last good run and the ten recent failures
    assert _count(cache, "b") == 30 * 288  # the last 30 days (one every 5 minutes)
    assert deleted == (32 - 1) + 10 * 288


def test_sources_not_named_and_young_runs_are_left_and_a_second_pass_is_a_no_op(cache):
    _runs(cache, "a", ["ok"] * 50, T0, 300)
    _runs(cache, "gone", ["ok"] * 50, T0, 300)  # a source taken out of the config
    now = T0 + 31 * DAY
    assert cache.prune_runs(30 * DAY, ["a"], now=now) == 49
    assert _count(cache, "gone") == 50
    # less than an hour past the age: nothing is looked at again until an hour's worth is due
    _runs(cache, "c", ["ok"] * 5, T0 + 20 * DAY, 60)
    _runs(cache, "c", ["ok"], T0 + 50 * DAY, 60)
    assert cache.prune_runs(30 * DAY, ["c"], now=T0 + 50 * DAY + 1800) == 0
    assert cache.prune_runs(30 * DAY, ["c"], now=T0 + 50 * DAY + 7200) == 5
    assert cache.prune_runs(0, ["a"], now=now) == 0  # 0: keep everything
