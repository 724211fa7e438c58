"""A live wall's series memo (cache SeriesMemo): reads only what was written since, and answers
exactly what a whole read answers, through new points, corrections, values corrected back, a
moving window and pruning. Real SQLite file; the oracle is a whole read without a memo."""

from __future__ import annotations

import random

from sqlalchemy import text

from commandcenter.cache import Sample
from commandcenter.cache.history import SeriesMemo

BASE = 1_735_664_400  # 2025-01-01 00:00 WIB
MIN, DAY = 60, 86400
SERIES = [("m", "a"), ("m", "b"), ("n", "a")]


def _window(now: int) -> list[tuple]:
    return [(metric, opd, "", now - 2 * 3600, now) for metric, opd in SERIES]


def _same(got, want) -> None:
    for g, w in zip(got, want, strict=True):
        assert (g.metric, g.opd) == (w.metric, w.opd)
        assert g.ts == w.ts
        assert g.values == w.values
        assert g.as_of == w.as_of


def test_memo_reads_match_whole_reads_through_writes_corrections_and_a_moving_window(cache):
    rng = random.Random(7)
    memo = SeriesMemo()
    now, known = BASE, 1.0
    cache.write_samples("s", [Sample(mt, o, BASE - i * MIN, float(i)) for mt, o in SERIES for i in range(200)],
                        known_at=known)
    for step in range(40):
        now += MIN
        known += 1
        batch = [Sample(mt, o, now, rng.choice([1.0, 2.0, 3.0])) for mt, o in SERIES]
        if step % 3 == 0:  # a correction of an older point inside the window
            batch.append(Sample("m", "a", now - 30 * MIN, 100.0 + step))
        if step % 7 == 0:  # corrected back to a value an older version had: `current` holds it
            batch.append(Sample("m", "b", now - MIN, 5.0 + step % 2))
        cache.write_samples("s", batch, known_at=known)
        got = cache.series_many(_window(now), memo=memo)
        _same(got, cache.series_many(_window(now)))
    assert memo.known, "the memo kept the series it read"
    # the window moved on by 40 minutes: points older than its start are gone from the answer
    assert min(cache.series_many(_window(now), memo=memo)[0].ts) >= now - 2 * 3600


def test_a_memo_read_fetches_only_rows_written_since(cache, db_url):
    memo = SeriesMemo()
    cache.write_samples("s", [Sample("m", "a", BASE + i * MIN, 1.0) for i in range(10)], known_at=1.0)
    req = [("m", "a", "", BASE, BASE + 3600)]
    assert cache.series_many(req, memo=memo)[0].values == [1.0] * 10
    # a row changed behind the cache's back (no new id): a memo read does not look at it again,
    # which shows it fetched only ids above its last read; a whole read does see it
    with cache.engine.begin() as conn:
        conn.execute(text("UPDATE samples SET value = 9 WHERE ts = :ts"), {"ts": BASE})
    cache.write_samples("s", [Sample("m", "a", BASE + 10 * MIN, 2.0)], known_at=2.0)
    assert cache.series_many(req, memo=memo)[0].values == [1.0] * 10 + [2.0]
    assert cache.series_many(req)[0].values == [9.0] + [1.0] * 9 + [2.0]


def test_pruning_makes_the_memo_read_whole_again(cache):
    memo = SeriesMemo()
    cache.write_samples("s", [Sample("m", "a", BASE + i * MIN, float(i)) for i in range(60)], known_at=1.0)
    req = [("m", "a", "", BASE + 30 * MIN, BASE + 2 * 3600)]
    cache.series_many(req, memo=memo)
    cache.prune_raw(older_than=DAY, now=BASE + DAY + 20 * MIN)  # the first 20 minutes go
    cache.write_samples("s", [Sample("m", "a", BASE + 61 * MIN, 7.0)], known_at=2.0)
    with cache.engine.begin() as conn:  # a change no new id announces: a whole read sees it
        conn.execute(text("UPDATE samples SET value = 99 WHERE ts = :ts"), {"ts": BASE + 40 * MIN})
    got = cache.series_many(req, memo=memo)[0]
    assert got.values == cache.series_many(req)[0].values
    assert 99.0 in got.values and got.values[-1] == 7.0


def test_frozen_reads_never_use_the_memo(cache):
    memo = SeriesMemo()
    cache.write_samples("s", [Sample("m", "a", BASE, 1.0)], known_at=10.0)
    cache.write_samples("s", [Sample("m", "a", BASE, 2.0)], known_at=20.0)
    req = [("m", "a", "", BASE - 60, BASE + 60)]
    assert cache.series_many(req, as_of=15.0, memo=memo)[0].values == [1.0]
    assert memo.known == {}


def test_a_rollup_keeps_the_memo_and_a_second_prune_at_the_same_cutoff_clears_it(cache):
    memo = SeriesMemo()
    cache.write_samples("s", [Sample("m", "a", BASE + i * MIN, 1.0) for i in range(30)], known_at=1.0)
    req = [("m", "a", "", BASE, BASE + 3600)]
    cache.prune_raw(older_than=DAY, now=BASE + DAY)  # nothing old yet: the cutoff is BASE
    cache.series_many(req, memo=memo)

    def behind_the_back(value: float) -> None:  # a change no new id announces: only a whole read sees it
        with cache.engine.begin() as conn:
            conn.execute(text("UPDATE samples SET value = :v WHERE ts = :ts"), {"v": value, "ts": BASE + 5 * MIN})

    behind_the_back(50.0)
    cache.rollup()  # moves the rollup watermark: raw reads never use it, the memo stands
    assert 50.0 not in cache.series_many(req, memo=memo)[0].values
    # a row older than the cutoff that a writer racing the prune got in (the cache itself no
    # longer stores such rows), deleted by a prune at the same cutoff: rows went, read whole
    with cache.engine.begin() as conn:
        conn.execute(text("INSERT INTO samples (city, metric, opd, dim, ts, value, period, source, known_at)"
                          " VALUES (:c, 'm', 'a', '', :ts, 3, '', 's', 2)"), {"c": cache.city, "ts": BASE - 10 * MIN})
    cache.rollup()
    assert cache.prune_raw(older_than=DAY, now=BASE + DAY) == 1
    assert 50.0 in cache.series_many(req, memo=memo)[0].values
