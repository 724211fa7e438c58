"""The cache on a real SQLite file: migrations, idempotent versioned writes, as_of reads, WAL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

from sqlalchemy import inspect

from commandcenter.cache import Cache, RunRecord, Sample
from commandcenter.cache.engine import HEAD, current_revision, head_revision


def test_migrates_up_from_empty(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    cache = Cache.open(url, city="1275")
    tables = set(inspect(cache.engine).get_table_names())
    assert {"samples", "current", "rollups", "source_runs", "checkpoints", "alerts", "audit", "state",
            "commands", "wall_states", "wall_thumbs"} <= tables
    assert current_revision(cache.engine) == head_revision() == HEAD
    Cache.open(url, city="1275")  # a second start migrates nothing and fails nothing
    assert current_revision(cache.engine) == head_revision()


def test_wal_mode_is_on(cache, tmp_path):
    with sqlite3.connect(tmp_path / "cache.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_sample_twice_is_one_row(cache):
    s = Sample("serapan_keuangan", "bpkad", 1751302800, 47.5, period="2025-06")
    assert cache.write_samples("sipd", [s, s]) == 1
    assert cache.write_samples("sipd", [s]) == 0
    assert cache.count_samples() == 1


def test_correction_is_a_new_version_and_as_of_sees_the_old_one(cache):
    june = 1751302800
    cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", june, 47.5)], known_at=1000.0)
    cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", june, 48.25)], known_at=2000.0)
    assert cache.count_samples() == 2
    (now,) = cache.latest("serapan_keuangan")
    assert (now.value, now.known_at) == (48.25, 2000.0)
    (then,) = cache.latest("serapan_keuangan", as_of=1500.0)
    assert (then.value, then.known_at) == (47.5, 1000.0)
    assert cache.latest("serapan_keuangan", as_of=500.0) == []
    assert cache.series("serapan_keuangan", "bpkad").values == [48.25]
    assert cache.series("serapan_keuangan", "bpkad", as_of=1500.0).values == [47.5]


def test_latest_takes_the_newest_period_and_filters(cache):
    rows = [Sample("bor", "rsud", 100, 70.0), Sample("bor", "rsud", 200, 82.5), Sample("bor", "", 200, 75.0),
            Sample("pad_realisasi", "bpkad", 200, 1.2e9, dim="Pajak Hotel"),
            Sample("pad_realisasi", "bpkad", 200, 3.4e9, dim="PBB-P2")]
    cache.write_samples("s", rows, known_at=10.0)
    assert [(v.opd, v.value) for v in cache.latest("bor")] == [("", 75.0), ("rsud", 82.5)]
    assert [v.value for v in cache.latest("bor", opds=["rsud"])] == [82.5]
    assert [(v.dim, v.value) for v in cache.latest("pad_realisasi")] == [("PBB-P2", 3.4e9), ("Pajak Hotel", 1.2e9)]
    # an older period arriving later does not replace the newest period
    cache.write_samples("s", [Sample("bor", "rsud", 150, 10.0)], known_at=20.0)
    assert [v.value for v in cache.latest("bor", opds=["rsud"])] == [82.5]


def test_cities_do_not_mix(db_url):
    binjai, barru = Cache.open(db_url, city="1275"), Cache.open(db_url, city="7310")
    binjai.write_samples("s", [Sample("bor", "rsud", 1, 70.0)])
    barru.write_samples("s", [Sample("bor", "rsud", 1, 55.0)])
    assert [v.value for v in binjai.latest("bor")] == [70.0]
    assert [v.value for v in barru.latest("bor")] == [55.0]


def test_source_runs_last_success_and_failures(cache):
    cache.record_run(RunRecord("lapor", 1, 2, "ok", rows=10))
    cache.record_run(RunRecord("lapor", 3, 4, "failed", "HTTP 500"))
    cache.record_run(RunRecord("lapor", 5, 6, "failed", "timeout"))
    cache.record_run(RunRecord("rsud", 5, 6, "ok", rows=3))
    runs = cache.source_runs()
    assert runs["lapor"].last.message == "timeout"
    assert runs["lapor"].last_success.rows == 10
    assert runs["lapor"].failures_since_success == 2
    assert runs["rsud"].failures_since_success == 0
    assert cache.source_runs(as_of=3.5)["lapor"].last.status == "ok"


def test_alert_lifecycle_without_duplicates(cache):
    a = cache.fire_alert("stale:lapor", "source_stale", "critical", "LAPOR! tidak tersedia", source="lapor", now=100)
    assert cache.fire_alert("stale:lapor", "source_stale", "critical", "again", now=110).id == a.id
    assert cache.ack_alert(a.id, by="operator-1", now=120)
    assert [x.state for x in cache.alerts()] == ["acknowledged"]
    assert cache.resolve_alert("stale:lapor", now=130) == 1
    assert cache.alerts() == []
    assert [x.state for x in cache.alerts(as_of=115)] == ["firing"]
    assert [x.state for x in cache.alerts(as_of=125)] == ["acknowledged"]
    assert cache.fire_alert("stale:lapor", "source_stale", "critical", "back", now=200).id != a.id


def test_state_checkpoints_and_audit(cache):
    cache.set_state("wall", {"scene": "anggaran", "frozen_at": None})
    cache.set_state("wall", {"scene": "layanan", "frozen_at": 5.0})
    assert cache.get_state("wall") == {"scene": "layanan", "frozen_at": 5.0}
    cache.set_checkpoint("dpmptsp", "izin-2025-06.csv", "sha256:abc")
    assert cache.get_checkpoint("dpmptsp", "izin-2025-06.csv") == "sha256:abc"
    cache.audit("show_scene", {"scene": "anggaran"}, ts=10.0)
    cache.audit("freeze", {"as_of": 11.0}, ts=11.0)
    assert [e.action for e in cache.audit_log()] == ["freeze", "show_scene"]
    assert [e.action for e in cache.audit_log(as_of=10.5)] == ["show_scene"]


def test_rollup_buckets_match_raw_means(cache):
    base = 1_735_664_400  # 2025-01-01 00:00 WIB
    cache.write_samples("s", [Sample("m", "x", base + 60 * i, float(i)) for i in range(600)])
    cache.rollup()
    rolled = cache.series("m", "x", bucket=3600)
    raw = cache.series("m", "x", bucket=3600, as_of=9e12)  # as_of forces the raw GROUP BY path
    assert rolled.ts == raw.ts
    assert rolled.values == raw.values
    assert rolled.values[0] == sum(range(60)) / 60


def test_a_second_process_reads_while_one_writes(db_url, tmp_path):
    Cache.open(db_url, city="1275")
    writer = textwrap.dedent(f"""
        from commandcenter.cache import Cache, Sample
        c = Cache.open({db_url!r}, city="1275")
        for batch in range(40):
            c.write_samples("w", [Sample("m", "x", batch * 1000 + i, float(i)) for i in range(500)])
    """)
    reader = textwrap.dedent(f"""
        from commandcenter.cache import Cache
        c = Cache.open({db_url!r}, city="1275", migrate=False)
        seen = []
        for _ in range(300):
            seen.append(c.count_samples())
            c.latest("m")
        assert seen == sorted(seen), "counts went backwards"
        print(seen[-1])
    """)
    w = subprocess.Popen([sys.executable, "-c", writer], stderr=subprocess.PIPE, text=True)
    r = subprocess.run([sys.executable, "-c", reader], capture_output=True, text=True, timeout=120)
    w.wait(timeout=120)
    assert w.returncode == 0, w.stderr.read()
    assert r.returncode == 0, r.stderr
    assert Cache.open(db_url, city="1275").count_samples() == 20_000


def test_a_value_corrected_back_is_current_again(cache):
    june = 1751302800
    for value, known in [(10.0, 1000.0), (20.0, 2000.0), (10.0, 3000.0)]:
        cache.write_samples("sipd", [Sample("serapan_keuangan", "bpkad", june, value)], known_at=known)
    assert [v.value for v in cache.latest("serapan_keuangan")] == [10.0]
    assert [v.value for v in cache.latest("serapan_keuangan", as_of=2500.0)] == [20.0]
    assert [v.value for v in cache.latest("serapan_keuangan", as_of=1500.0)] == [10.0]
    assert cache.series("serapan_keuangan", "bpkad").values == [10.0]


def test_racing_evaluators_open_one_alert(db_url):
    from concurrent.futures import ThreadPoolExecutor

    caches = [Cache.open(db_url, city="1275") for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda i: caches[i % 4].fire_alert("source|lapor", "source", "critical", "LAPOR! gagal").id,
                           range(32)))
    assert len(ids) == 1
    assert len(caches[0].alerts()) == 1
