"""Change-driven refresh on a real wall (4 offscreen screens) and a real SQLite cache written by a
second connection, as a collector process would: a run that brought nothing new reads nothing and
repaints nothing; a run that did rebuilds and repaints only the panels it touched."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEvent, QObject
from sqlalchemy import event

from commandcenter.cache import Cache, RunRecord, Sample
from tests.ui.test_wall import filled  # noqa: F401 (fixture; make_wall is in conftest)


class Paints(QObject):
    def __init__(self, panels):
        super().__init__()
        self.by_panel: dict[str, int] = {}
        self._ids = {id(w): pid for pid, w in panels}
        for _pid, w in panels:
            w.installEventFilter(self)

    def eventFilter(self, obj, ev):  # noqa: N802 (Qt's name)
        if ev.type() == QEvent.Type.Paint and id(obj) in self._ids:
            pid = self._ids[id(obj)]
            self.by_panel[pid] = self.by_panel.get(pid, 0) + 1
        return False


@pytest.fixture
def watched(make_wall, filled, qtbot):  # noqa: F811
    cache, _, _now = filled
    wall = make_wall(cache, min_refresh_ms=0)
    qtbot.waitUntil(lambda: not wall.applying, timeout=5000)
    qtbot.wait(300)  # the first paints land (nothing is asserted about them)
    paints = Paints([(pid, w) for win in wall.windows for pid, w in win.panels.items()])
    reads: list[str] = []
    event.listen(cache.engine, "before_cursor_execute", lambda *a: reads.append(a[2]))
    polls: list[object] = []
    wall.data._carrier.version.connect(polls.append)
    builds: list[object] = []
    wall.data.ready.connect(builds.append)
    writer = Cache.open(cache.engine.url.render_as_string(hide_password=False), city="1275")
    yield wall, cache, writer, paints, reads, polls, builds
    writer.close()


def test_a_run_with_nothing_new_builds_reads_and_repaints_nothing(watched, qtbot):
    wall, cache, writer, paints, reads, polls, builds = watched
    same = [Sample(v.metric, v.opd, v.ts, v.value, v.dim, v.period) for m in cache.metrics_written()
            for v in cache.latest(m, dim=None)]
    reads.clear()  # our own reads above
    writer.write_samples("sipd-realisasi", same, known_at=time.time())
    for src in wall.cfg.sources:
        writer.record_run(RunRecord(src.id, time.time() - 1, time.time(), "ok", "", len(same)))
    n = len(polls)
    qtbot.waitUntil(lambda: len(polls) >= n + 5, timeout=5000)  # five change checks after the runs
    assert builds == []
    assert all("data_changes" in sql for sql in reads), [sql for sql in reads if "data_changes" not in sql]
    assert paints.by_panel == {}


def test_new_values_rebuild_and_repaint_only_their_panels(watched, qtbot):
    wall, cache, writer, paints, reads, polls, builds = watched
    (bor,) = wall.panel_widgets("bor")
    writer.write_samples("rsud-indikator", [Sample("bor", "rsud", int(time.time()), 93.25)], known_at=time.time())
    writer.record_run(RunRecord("rsud-indikator", time.time() - 1, time.time(), "ok", "", 1))
    qtbot.waitUntil(lambda: bor.shown.get("value", "").startswith("93,2"), timeout=5000)
    qtbot.waitUntil(lambda: not wall.applying, timeout=5000)
    qtbot.wait(200)
    assert len(builds) == 1 and builds[0].rebuilt == {"bor", "skor-opd"}
    assert set(paints.by_panel) <= {"bor", "skor-opd"} and "bor" in paints.by_panel


def test_thumbnails_are_the_walls_own_paint(watched, qtbot):
    """A monitor's thumbnail is the window's last painted image scaled down (no re-render): its
    colours at the header, a panel and the background are the window's."""
    from PySide6.QtCore import QSize

    from commandcenter.ui.thumbs import painted, thumbnail

    wall = watched[0]
    win = wall.windows[0]
    img = painted(win)
    assert img is not None and img.width() == win.width()
    thumb = thumbnail(win, QSize(320, 180)).toImage()
    assert (thumb.width(), thumb.height()) == (320, 180)
    sx, sy = img.width() / thumb.width(), img.height() / thumb.height()
    close = 0
    for tx, ty in ((3, 3), (100, 60), (160, 120), (316, 176)):
        a, b = thumb.pixelColor(tx, ty), img.pixelColor(int(tx * sx), int(ty * sy))
        close += abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < 60
    assert close >= 3
