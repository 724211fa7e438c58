"""An idle wall's reports to the consoles (issue #15, "sources polling, nothing new"): nothing
changed, nothing is sent but a keep-alive once per heartbeat; a change goes out at once; the
monitors' pictures are taken again only after something was painted afresh."""

from __future__ import annotations

import time

import pytest

from commandcenter.cache import Cache
from commandcenter.ui import paint_cache, wall_link
from commandcenter.ui.app import start_rotation, stop_rotation
from commandcenter.ui.controller import WallController

HEARTBEAT = 1.0


@pytest.fixture
def linked(qtbot, four_screens, wall_config, tmp_path):
    cache = Cache.open(f"sqlite:///{tmp_path / 'c.sqlite'}", city="1275")
    wall = WallController(wall_config, cache, poll_ms=0, refresh_ms=0)
    with qtbot.waitSignal(wall.sceneShown, timeout=10_000):
        driver = start_rotation(wall_config, cache, wall, "ringkasan", kiosk=False, name="utama", heartbeat=HEARTBEAT)
    yield cache, driver, driver.link
    stop_rotation(driver)
    wall.close()
    cache.close()


def reports(qtbot, link, n: int) -> list[float]:
    """When each of the next n reports reached the cache."""
    at = []
    for _ in range(n):
        with qtbot.waitSignal(link.reported, timeout=int(HEARTBEAT * 3000)):
            pass
        at.append(time.monotonic())
    return at


def test_an_unchanged_wall_reports_once_per_heartbeat_and_a_change_at_once(qtbot, linked):
    cache, driver, link = linked
    qtbot.waitUntil(lambda: any(w.wall == "utama" for w in cache.wall_states()), timeout=5_000)
    at = reports(qtbot, link, 4)
    gaps = [b - a for a, b in zip(at, at[1:])]
    # the state is checked every half heartbeat, but an unchanged one is sent only as a keep-alive
    assert all(0.8 * HEARTBEAT <= g <= 1.7 * HEARTBEAT for g in gaps), gaps
    beat = cache.wall_states()[0].heartbeat
    assert time.time() - beat < 1.7 * HEARTBEAT  # a console sees the wall alive
    with qtbot.waitSignal(link.reported, timeout=1_000):  # a change: reported at once, not at the next beat
        driver.pause()
    assert cache.wall_states()[0].state["paused"] is True


def test_pictures_are_taken_again_only_after_a_fresh_paint(qtbot, linked, monkeypatch):
    cache, _driver, link = linked
    monkeypatch.setattr(wall_link, "THUMBS_EVERY", 0.0)  # no minimum interval between pictures
    qtbot.waitUntil(lambda: len(cache.wall_thumbs("utama")) == 4, timeout=15_000)  # after the first data
    for w in link.controller.windows:  # nothing moves by itself: the clock stopped, the ticker paused
        if w.header is not None:
            w.header.now = time.time()
        if w.footer is not None:
            w.footer._timer.stop()
    def pictures() -> dict[int, float]:
        return {m: t for m, (_img, t) in cache.wall_thumbs("utama").items()}

    for _ in range(10):  # until a report goes without pictures (the start-up's last paints and data are out)
        taken, painted = pictures(), paint_cache.renders
        reports(qtbot, link, 2)  # two: the first signal may be an earlier report's, still queued
        if pictures() == taken and paint_cache.renders == painted:
            break
    reports(qtbot, link, 3)  # keep-alives, nothing painted afresh: the same pictures
    assert pictures() == taken and paint_cache.renders == painted
    panel = next(p for w in link.controller.windows for p in w.panels.values())
    before = paint_cache.renders
    panel.invalidate()  # what the panel shows changed: painted afresh
    qtbot.waitUntil(lambda: paint_cache.renders > before, timeout=5_000)
    qtbot.waitUntil(lambda: pictures() != taken, timeout=5_000)


def test_alert_interrupts_read_the_alerts_only_when_the_change_log_moved(qtbot, linked):
    from sqlalchemy import event

    cache, driver, _link = linked
    alerts = driver.alert_interrupts
    qtbot.waitUntil(lambda: alerts.tracker.known is not None, timeout=5_000)  # the first read
    seen: list[str] = []
    note = lambda *a: seen.append(a[2])  # noqa: E731 (before_cursor_execute: conn, cursor, statement, ...)
    event.listen(cache.engine, "before_cursor_execute", note)
    try:
        with qtbot.waitCallback() as done:
            driver.worker.read(alerts._read, done=done)
        assert done.args == [None] and not any("FROM alerts" in s for s in seen)  # nothing changed: not read
        cache.fire_alert("threshold|bor|rsud", "bor-kritis", "critical", "BOR RSUD 97%", metric="bor", opd="rsud")
        with qtbot.waitCallback() as done:
            driver.worker.read(alerts._read, done=done)
        assert [a.message for a in done.args[0]] == ["BOR RSUD 97%"]
    finally:
        event.remove(cache.engine, "before_cursor_execute", note)


def test_an_idle_header_wakes_at_the_minute_and_a_one_page_footer_does_not_repaint(qtbot, linked):
    _cache, _driver, link = linked
    header = next(w.header for w in link.controller.windows if w.header is not None)
    left = header._timer.remainingTime()
    assert 0 <= left <= (60 - time.time() % 60) * 1000 + 100  # at the next turn of the minute, not in a second
    footer = next(w.footer for w in link.controller.windows if w.footer is not None)
    if sum(len(p) for p in footer.pages) < len(footer.model.items):
        pytest.skip("the demo's ticker has more than one page here")
    start, painted = footer.start, paint_cache.renders
    footer.next_page()  # every item fits: the same page, nothing painted afresh
    qtbot.wait(50)  # let a repaint, if one were asked for, happen
    assert footer.start == start and paint_cache.renders == painted
