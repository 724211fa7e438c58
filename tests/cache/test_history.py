"""series() over rollups, retention, versions and the rollup watermark, on a real SQLite file."""

from __future__ import annotations

from commandcenter.cache import Sample

BASE = 1_735_664_400  # 2025-01-01 00:00 WIB
HOUR, DAY = 3600, 86400


def test_a_correction_then_rollups_reads_the_newest_value(cache):
    ts = BASE + 600
    cache.write_samples("s", [Sample("m", "x", ts, 10.0), Sample("m", "x", ts + 300, 30.0)], known_at=1000.0)
    cache.rollup()
    cache.write_samples("s", [Sample("m", "x", ts, 20.0)], known_at=2000.0)  # the correction
    # before the next rollup: the bucket holding a row written after the watermark is read raw
    assert cache.series("m", "x", bucket=HOUR).values == [25.0]
    cache.rollup()
    for size in (300, HOUR, DAY):
        assert cache.series("m", "x", bucket=size).values[0] in (20.0, 25.0)
    assert cache.series("m", "x", bucket=HOUR).values == [25.0]  # (20 + 30) / 2, not (10 + 20 + 30) / 3
    assert cache.series("m", "x", bucket=300).values == [20.0, 30.0]
    # and once the raw rows are gone, the rollups still hold the newest value
    cache.prune_raw(older_than=0, now=ts + 10 * DAY)
    assert cache.count_samples() == 0
    assert cache.series("m", "x", bucket=HOUR).values == [25.0]
    assert cache.series("m", "x").values == [20.0, 30.0]


def test_corrections_in_one_fold(cache):
    ts = BASE
    cache.write_samples("s", [Sample("m", "x", ts, 10.0)], known_at=1.0)
    cache.write_samples("s", [Sample("m", "x", ts, 12.0)], known_at=2.0)  # both versions in one fold
    cache.rollup()
    assert cache.series("m", "x", bucket=DAY).values == [12.0]


def test_pruning_the_newest_rows_never_hides_later_ones_from_the_rollups(cache):
    cache.write_samples("s", [Sample("m", "x", BASE + 60 * i, 1.0) for i in range(3)], known_at=1.0)
    cache.prune_raw(older_than=DAY, now=BASE + 10 * DAY)  # every row goes, the top rowid with them
    cache.write_samples("s", [Sample("m", "x", BASE + 9 * DAY, 7.0)], known_at=2.0)  # SQLite reuses the ids
    cache.rollup()
    assert cache.series("m", "x", start=BASE + 9 * DAY - 1, bucket=DAY).values == [7.0]
    with cache.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT n FROM rollups WHERE bucket = 86400 AND ts = :t"),
                            {"t": (BASE + 9 * DAY) // DAY * DAY}).scalar() == 1


def test_raw_rows_after_the_watermark_are_read(cache):
    cache.write_samples("s", [Sample("m", "x", BASE + 60 * i, 1.0) for i in range(60)], known_at=1.0)
    cache.rollup()
    cache.write_samples("s", [Sample("m", "x", BASE + HOUR + 60 * i, 3.0) for i in range(60)], known_at=2.0)
    s = cache.series("m", "x", bucket=HOUR)  # the second hour exists only as raw rows
    assert (s.ts, s.values) == ([BASE, BASE + HOUR], [1.0, 3.0])
    assert cache.series("m", "x", start=BASE, end=BASE + 2 * HOUR, bucket=DAY).values == [2.0]


def test_retention_then_a_yearly_chart_has_every_point(cache):
    months = [BASE + (30 * k + 29) * DAY for k in range(5)]  # five month-end values
    cache.write_samples("s", [Sample("serapan", "bpkad", t, 10.0 * (k + 1), period=f"2025-0{k + 1}")
                              for k, t in enumerate(months)], known_at=months[-1])
    now = months[-1] + 10 * DAY
    cache.prune_raw(older_than=60 * DAY, now=now)  # the first three months lose their raw rows
    assert cache.count_samples() <= 3
    raw = cache.series("serapan", "bpkad", start=BASE, end=now)
    assert raw.values == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert [abs(a - b) < 300 for a, b in zip(raw.ts, months)] == [True] * 5
    daily = cache.series("serapan", "bpkad", start=BASE, end=now, bucket=DAY)
    assert daily.values == [10.0, 20.0, 30.0, 40.0, 50.0]


def test_many_series_in_one_call_match_single_reads(cache):
    rows = [Sample(f"m{k}", f"o{j}", BASE + 60 * i, float(i * k + j)) for k in range(3) for j in range(4)
            for i in range(90)]
    cache.write_samples("s", rows)
    cache.rollup()
    reqs = [(f"m{k}", f"o{j}", "", BASE + 600, BASE + 4000) for k in range(3) for j in range(4)]
    for bucket in (None, 300, HOUR):
        many = cache.series_many(reqs, bucket=bucket)
        singles = [cache.series(m, o, d, start=s, end=e, bucket=bucket) for m, o, d, s, e in reqs]
        assert [(x.ts, x.values) for x in many] == [(x.ts, x.values) for x in singles]
        assert all(x.ts for x in many)


def test_the_change_log_moves_only_when_something_changed(cache):
    from commandcenter.cache import RunRecord

    v0 = cache.data_version()
    rows = [Sample("m", "x", BASE, 1.0), Sample("m", "y", BASE, 2.0)]
    cache.write_samples("s", rows)
    cache.record_run(RunRecord("s", 1.0, 2.0, "ok", rows=2))
    v1 = cache.data_version()
    ch = cache.changes_since(v0)
    assert v1 > v0 and ch.metrics == {"m"} and ch.pairs == {("m", "x"), ("m", "y")} and ch.sources == {"s"}
    # the same data again, another ok run: nothing changed, nothing logged
    cache.write_samples("s", rows)
    cache.record_run(RunRecord("s", 3.0, 4.0, "ok", rows=2))
    assert cache.data_version() == v1 and not cache.changes_since(v1)
    cache.record_run(RunRecord("s", 5.0, 6.0, "failed"))  # health changed
    assert cache.changes_since(v1).sources == {"s"} and not cache.changes_since(v1).metrics
    v2 = cache.data_version()
    cache.write_samples("s", [Sample("m", "y", BASE + 60, 3.0)])
    assert cache.changes_since(v2).pairs == {("m", "y")}
    v3 = cache.data_version()
    cache.fire_alert("k", "r", "warning", "msg", metric="m", opd="y")
    assert cache.changes_since(v3).alerts


def test_latest_many_matches_latest(cache):
    cache.write_samples("s", [Sample("a", "x", BASE, 1.0), Sample("b", "x", BASE, 2.0, dim="d")], known_at=10.0)
    cache.write_samples("s", [Sample("a", "x", BASE + 60, 5.0)], known_at=20.0)
    for as_of in (None, 15.0, 5.0):
        snap = cache.latest_many(["a", "b", "c"], as_of=as_of)
        assert snap == {m: cache.latest(m, as_of=as_of) for m in ("a", "b", "c")}


def test_a_reading_sent_again_after_pruning_is_not_folded_twice(cache):
    """A source that re-sends its history (a CSV of every reading, an API's last 30 days) after
    retention pruned those readings: the rollups hold them already and must not count them again."""
    cache.write_samples("s", [Sample("m", "x", BASE, 10.0), Sample("m", "x", BASE + 60, 20.0)], known_at=1.0)
    cache.rollup()
    cache.prune_raw(older_than=DAY, now=BASE + 10 * DAY)
    assert cache.series("m", "x", bucket=DAY).values == [15.0]
    assert cache.write_samples("s", [Sample("m", "x", BASE + 60, 20.0)], known_at=2.0) == 0
    cache.rollup()
    assert cache.series("m", "x", bucket=DAY).values == [15.0]  # not (10 + 20 + 20) / 3
    assert cache.series("m", "x", bucket=HOUR).values == [15.0]
    assert cache.count_samples() == 0
    # a reading after the cutoff is stored as ever
    assert cache.write_samples("s", [Sample("m", "x", BASE + 10 * DAY, 5.0)], known_at=3.0) == 1
