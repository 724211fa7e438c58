"""Every value in the cache knows its period and the instant it describes (migration 0004)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import command

from commandcenter.cache import Cache, Sample
from commandcenter.cache import engine as engines

WIB = ZoneInfo("Asia/Jakarta")
DEC_END = int(datetime(2026, 12, 31, 23, 59, 59, tzinfo=WIB).timestamp())
DEC_START = int(datetime(2026, 12, 1, tzinfo=WIB).timestamp())
JUN_END = int(datetime(2025, 6, 30, 23, 59, 59, tzinfo=WIB).timestamp())
CLOCK = datetime(2026, 12, 2, 3, 40, tzinfo=WIB).timestamp()


def test_a_running_month_describes_its_report_time_not_its_end(cache):
    cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", DEC_END, 88.5, period="2026-12")],
                        known_at=CLOCK)
    (lv,) = cache.latest("serapan_keuangan")
    assert (lv.period_kind, lv.period_start, lv.ts) == ("month", DEC_START, DEC_END)
    assert lv.as_of == int(CLOCK) and lv.described_at == int(CLOCK) and lv.running
    s = cache.series("serapan_keuangan", "bpkad")
    assert s.as_of == [int(CLOCK)] and s.starts == [DEC_START] and s.period_kind == "month"


def test_a_closed_month_describes_its_end(cache):
    cache.write_samples("lra", [Sample("serapan_keuangan", "bpkad", JUN_END, 50.1, period="2025-06")], known_at=CLOCK)
    (lv,) = cache.latest("serapan_keuangan")
    assert lv.as_of == JUN_END and not lv.running


def test_the_departments_own_time_wins_over_the_fetch_time(cache):
    reported = datetime(2026, 12, 1, 17, 0, tzinfo=WIB).timestamp()
    cache.write_samples("sipd", [Sample("serapan_keuangan", "", DEC_END, 80.0, period="2026-12", as_of=reported)],
                        known_at=CLOCK)
    assert cache.latest("serapan_keuangan")[0].as_of == int(reported)


def test_the_same_value_reported_again_moves_its_as_of_but_adds_no_version(cache):
    cache.write_samples("sipd", [Sample("serapan_keuangan", "", DEC_END, 80.0, period="2026-12")], known_at=CLOCK)
    later = CLOCK + 3600
    cache.write_samples("sipd", [Sample("serapan_keuangan", "", DEC_END, 80.0, period="2026-12")], known_at=later)
    (lv,) = cache.latest("serapan_keuangan")
    assert lv.as_of == int(later) and lv.known_at == CLOCK  # when first learned stays
    assert cache.count_samples() == 1
    # what was known at the first report is still read as of then
    assert cache.latest("serapan_keuangan", as_of=CLOCK + 10)[0].value == 80.0


def test_migration_0004_carries_an_old_cache_over(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    eng = engines.make_engine(url)
    cfg = engines.alembic_config()
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
    rows = [("1275", "serapan_keuangan", "bpkad", "", DEC_END, 88.5, "2026-12", "sipd", CLOCK),
            ("1275", "serapan_keuangan", "bpkad", "", JUN_END, 50.0, "2025-06", "lra", CLOCK),
            ("1275", "bor", "rsud", "", int(CLOCK) - 60, 72.0, "", "simrs", CLOCK)]
    with eng.begin() as conn:
        for table in ("samples", "current"):
            for r in rows if table == "samples" else rows[:1] + rows[2:]:
                conn.execute(sa.text(f"INSERT INTO {table} (city, metric, opd, dim, ts, value, period, source, known_at)"
                                     " VALUES (:c,:m,:o,:d,:t,:v,:p,:s,:k)"),
                             dict(zip("cmodtvpsk", r)))
    eng.dispose()
    cache = Cache.open(url, city="1275")
    try:
        by = {(v.metric, v.opd): v for v in cache.latest("serapan_keuangan") + cache.latest("bor")}
        dec = by[("serapan_keuangan", "bpkad")]
        assert (dec.period_kind, dec.period_start, dec.as_of) == ("month", DEC_START, int(CLOCK))
        bor = by[("bor", "rsud")]
        assert (bor.period_kind, bor.as_of) == ("instant", int(CLOCK) - 60)
        s = cache.series("serapan_keuangan", "bpkad")
        assert s.ts == [JUN_END, DEC_END] and s.as_of == [JUN_END, int(CLOCK)]
    finally:
        cache.close()
