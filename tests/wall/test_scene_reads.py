"""Scene builds read what the scene shows, in a bounded number of statements, correctly over
retention, and re-read only what a write touched. Real SQLite cache, demo config, fixed clock."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import event

from commandcenter.cache import RunRecord, Sample
from commandcenter.wall.queries import build_scene
from tests.ui.demo_fill import fill, month_end

NOW = datetime(2026, 9, 20, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
MAX_STATEMENTS = 20


@contextmanager
def counted(cache):
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_a):
        seen.append(statement)

    event.listen(cache.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(cache.engine, "before_cursor_execute", note)


def test_statements_per_scene_build_are_few_cold_and_warm(demo_config, cache):
    fill(cache, demo_config, NOW)
    for scene in ("ringkasan", "anggaran", "layanan"):
        for label in ("cold", "warm"):
            with counted(cache) as seen:
                build_scene(demo_config, cache, scene, now=NOW)
            assert len(seen) <= MAX_STATEMENTS, (scene, label, len(seen), seen)


def test_retention_then_the_yearly_chart_keeps_every_month(demo_config, cache):
    fill(cache, demo_config, NOW)
    before = build_scene(demo_config, cache, "ringkasan", now=NOW).panels["kurva-s"]
    assert [len(ln.ts) for ln in before.lines] == [9, 9]  # January .. September
    n = cache.count_samples()
    cache.prune_raw(older_than=75 * 86400, now=NOW)  # raw rows of January .. June go
    assert cache.count_samples() < n - 300
    after = build_scene(demo_config, cache, "ringkasan", now=NOW).panels["kurva-s"]
    assert [ln.values for ln in after.lines] == [ln.values for ln in before.lines]
    june = month_end(2026, 6)
    assert all(min(abs(t - june) for t in ln.ts) <= 300 for ln in after.lines)  # each month at its month


def test_a_write_rebuilds_only_the_panels_it_touched(demo_config, cache):
    fill(cache, demo_config, NOW)
    v0 = cache.data_version()
    first = build_scene(demo_config, cache, "ringkasan", now=NOW)
    assert not cache.changes_since(v0)  # reading changes nothing
    cache.write_samples("rsud-indikator", [Sample("bor", "rsud", int(NOW), 91.5)], known_at=NOW)
    cache.record_run(RunRecord("rsud-indikator", NOW - 1, NOW, "ok", rows=1))  # same status as before: no entry
    changes = cache.changes_since(v0)
    assert changes.metrics == {"bor"} and not changes.sources
    with counted(cache) as seen:
        second = build_scene(demo_config, cache, "ringkasan", now=NOW, changes=changes, previous=first)
    assert second.rebuilt == {"bor", "skor-opd"}  # BOR is a scored KPI: the score ranking too
    assert second.panels["bor"].value == 91.5
    kept = set(first.panels) - second.rebuilt
    assert {k: second.panels[k] for k in kept} == {k: first.panels[k] for k in kept}
    assert len(seen) <= MAX_STATEMENTS, seen


def test_the_clock_moving_rebuilds_the_health_panel_and_the_panels_of_sources_that_changed_state(demo_config, cache):
    fill(cache, demo_config, NOW)
    first = build_scene(demo_config, cache, "ringkasan", now=NOW)
    same = build_scene(demo_config, cache, "ringkasan", now=NOW + 30, ages=True, previous=first)
    assert same.rebuilt == {"sumber"}  # only "last success" ages moved
    later = build_scene(demo_config, cache, "ringkasan", now=NOW + 40 * 86400, ages=True, previous=first)
    assert {"sumber", "bor", "serapan"} <= later.rebuilt  # every source went stale: their panels' badges
