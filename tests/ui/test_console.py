"""The operator console driving a real WallController on a real SQLite cache (offscreen Qt)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from commandcenter.cache import Cache, RunRecord, Sample
from tests.wall.test_rotation import at, load_demo


class Clock:
    def __init__(self, t: float):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    return load_demo(tmp_path_factory.mktemp("cfg"))


@pytest.fixture
def room(qtbot, cfg, db_url):
    """Open wall + console pairs; everything is shut down at the end of the test."""
    from commandcenter.ui.console import Console
    from commandcenter.ui.controller import WallController

    made = []

    def open_room(clock=time.time, lang=None, restore=True):
        cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
        wall = WallController(cfg, cache, windowed=True, refresh_ms=0)
        console = Console(cfg, cache, wall, lang=lang, clock=clock)
        qtbot.addWidget(console)
        made.append((console, wall, cache))
        with qtbot.waitSignal(wall.sceneShown, timeout=5000):
            console.start(restore=restore)
        return console, wall, cache

    yield open_room
    for console, wall, cache in made:
        if not console.closed:
            console.worker.flush()
            console.shutdown()
        cache.close()


def shown_scene(qtbot, wall, scene, action):
    with qtbot.waitSignal(wall.sceneShown, timeout=5000, check_params_cb=lambda s: s == scene):
        action()


def test_rotation_order_and_dwell_on_a_controllable_clock(room, qtbot):
    clock = Clock(at("2025-07-01 09:00"))  # Tuesday, office hours
    console, wall, cache = room(clock)
    assert wall.scene_id == "ringkasan"
    assert console.driver.decision.next_change_at == clock.t + 60
    seen = []
    for expected, dwell in [("anggaran", 60), ("layanan", 45), ("sumber-data", 45), ("ringkasan", 20)]:
        clock.t += dwell
        shown_scene(qtbot, wall, expected, console.driver.tick)
        seen.append(wall.scene_id)
    assert seen == ["anggaran", "layanan", "sumber-data", "ringkasan"]
    # the console's own controls step too, and every change is audited
    shown_scene(qtbot, wall, "anggaran", console.playlist.next_button.click)
    shown_scene(qtbot, wall, "ringkasan", console.playlist.prev_button.click)
    console.worker.flush()
    scenes = [e.detail["scene"] for e in reversed(cache.audit_log(action="show_scene"))]
    assert scenes == ["ringkasan", "anggaran", "layanan", "sumber-data", "ringkasan", "anggaran", "ringkasan"]
    assert "Berikutnya dalam" in console.status.text()


def test_schedule_switches_office_evening_holiday(room, qtbot):
    clock = Clock(at("2025-07-01 16:29:30"))
    console, wall, _ = room(clock)
    assert console.driver.decision.playlist_id == "jam-kerja"
    assert console.playlist.items.rowCount() == 4
    clock.t = at("2025-07-01 16:30")
    console.driver.tick()
    assert console.driver.decision.playlist_id == "malam"
    assert console.playlist.items.rowCount() == 2
    assert console.playlist.items.cellWidget(0, 1).value() == 120
    clock.t = at("2025-06-27 10:00")  # a Friday that is a public holiday
    console.driver.tick()
    assert console.driver.decision.playlist_id == "malam"
    clock.t = at("2025-06-30 08:30")  # Monday: the weekly meeting
    console.driver.tick()
    assert console.driver.decision.playlist_id == "rapat-mingguan"


def test_alert_interrupts_then_the_rotation_resumes(room, qtbot):
    clock = Clock(at("2025-07-01 09:00"))
    console, wall, cache = room(clock)
    clock.t += 20
    cache.fire_alert("bor-rsud", "bor", "critical", "BOR RSUD di atas 85%", metric="bor", opd="rsud", now=clock.t)
    with qtbot.waitSignal(wall.sceneShown, timeout=5000, check_params_cb=lambda s: s == "detail-rsud"):
        console.load_data()
    assert console.driver.decision.reason == "interrupt"
    assert console.alerts.table.rowCount() == 1
    clock.t += 60
    shown_scene(qtbot, wall, "ringkasan", console.driver.tick)
    assert console.driver.decision.next_change_at == clock.t + 40  # the 40 s ringkasan still had
    # acknowledge from the alert list
    alert_id = cache.alerts()[0].id
    console.alerts.select(alert_id)
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        console.alerts.ack_button.click()
    assert cache.alerts()[0].state == "acknowledged"
    assert cache.audit_log(action="acknowledge")[0].detail == {"alert": alert_id}


def test_freeze_holds_values_while_new_samples_arrive(room, qtbot, db_url):
    writer = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    june = int(at("2025-06-30 23:59"))
    writer.write_samples("sipd", [Sample("serapan_keuangan", "", june, 47.5)], known_at=time.time() - 60)
    console, wall, _ = room()
    if wall.scene_id != "ringkasan":
        shown_scene(qtbot, wall, "ringkasan", lambda: console.driver.show("ringkasan"))
    console.driver.pause()  # the real clock runs: keep the scene still for this test
    (panel,) = wall.panel_widgets("serapan")
    qtbot.waitUntil(lambda: panel.shown.get("value") == "47,5%", timeout=5000)
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        qtbot.mouseClick(console.briefing_box.freeze_button, Qt.MouseButton.LeftButton)
    assert wall.as_of == console.driver.briefing.as_of
    assert "DIBEKUKAN" in console.status.text()
    writer.write_samples("sipd", [Sample("serapan_keuangan", "", june + 86400, 49.0)], known_at=time.time() + 1)
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        wall.refresh()
    assert panel.shown["value"] == "47,5%"  # frozen: the new sample is in the cache, not on the wall
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        qtbot.mouseClick(console.briefing_box.freeze_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.shown.get("value") == "49,0%", timeout=5000)
    assert wall.as_of is None and "LIVE" in console.status.text()
    writer.close()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, showing a main window
def test_spotlight_presenter_keys_and_kiosk(room, qtbot, cfg):
    clock = Clock(at("2025-07-01 09:00"))
    console, wall, _ = room(clock)
    win = wall.windows[0]
    console.briefing_box.opds.setCurrentIndex(console.briefing_box.opds.findData("rsud"))
    shown_scene(qtbot, wall, "detail-rsud", console.briefing_box.spot_opd_button.click)
    shown_scene(qtbot, wall, "ringkasan", lambda: qtbot.keyClick(win, Qt.Key.Key_Escape))
    shown_scene(qtbot, wall, "spotlight:ringkasan/bor", lambda: console.driver.spotlight_panel("ringkasan", "bor"))
    panels = [p for w in wall.windows for p in w.panels.values()]
    assert {p.spec.id for p in panels} == {"bor"}  # one panel across the whole wall
    # all of the wall between header and footer bands
    assert sum(p.width() * p.height() for p in panels) > 0.45 * sum(w.width() * w.height() for w in wall.windows)
    shown_scene(qtbot, wall, "anggaran", lambda: qtbot.keyClick(win, Qt.Key.Key_PageDown))
    console.show()
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow, timeout=3000)
    shown_scene(qtbot, wall, "ringkasan", lambda: qtbot.keyClick(console.scenes.list, Qt.Key.Key_PageUp))
    qtbot.keyClick(win, Qt.Key.Key_B)
    assert console.blank.active and console.driver.briefing.blank
    cover = win.findChild(QWidget, "blankCover")
    assert cover is not None and cover.isVisible()
    img = win.grab().toImage()
    assert img.pixelColor(img.width() // 2, img.height() // 2).name() == "#000000"
    qtbot.keyClick(win, Qt.Key.Key_B)
    assert not console.blank.active
    # stray input does nothing; the wall will not close without the console
    before = console.guard.ignored
    qtbot.mouseClick(win, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    qtbot.keyClick(win, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert console.guard.ignored >= before + 2 and wall.scene_id == "ringkasan"
    assert win.close() is False and win.isVisible()


def test_restart_comes_back_in_the_same_scene_and_mode(room, qtbot):
    console, wall, cache = room()
    shown_scene(qtbot, wall, "layanan", lambda: console.scenes.chosen.emit("layanan"))
    console.driver.start_briefing()
    frozen_at = console.driver.briefing.as_of
    console.worker.flush()
    console.shutdown()
    console2, wall2, _ = room()  # a new controller and console on the same cache file
    assert wall2.scene_id == "layanan"
    assert console2.driver.briefing.active and console2.driver.briefing.as_of == frozen_at
    assert wall2.as_of == frozen_at
    console2.worker.flush()
    assert cache.audit_log(action="show_scene")[0].actor == "restore"


def test_health_table_refresh_and_english(room, qtbot, cfg):
    clock = Clock(time.time())
    console, wall, cache = room(clock, lang="en")
    src = cfg.sources[0]
    cache.record_run(RunRecord(src.id, clock.t - 5, clock.t - 4, "failed", message="HTTP 500 dari server"))
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        console.load_data()
    t = console.health.table
    row = next(i for i in range(t.rowCount()) if t.item(i, 0).data(Qt.ItemDataRole.UserRole) == src.id)
    assert (t.item(row, 1).text(), t.item(row, 3).text()) == ("failing", "HTTP 500 dari server")
    assert console.health.refresh_button.text() == "Refresh now"
    console.health.select(src.id)
    console.health.refresh_button.click()
    console.worker.flush()
    assert cache.audit_log(action="refresh")[0].detail == {"source": src.id}


def test_console_export_png_and_pdf(room, qtbot):
    console, wall, cache = room()
    for kind in ("png", "pdf"):
        with qtbot.waitSignal(console.exported, timeout=10000) as sig:
            console.export(kind)
        path = sig.args[0]
        assert path.endswith(kind)
        with open(path, "rb") as fh:
            assert fh.read(4) in (b"\x89PNG", b"%PDF")
    console.worker.flush()
    assert len(cache.audit_log(action="export")) == 2


def test_operator_types_an_opd_note_kept_with_time_and_author(room, qtbot, monkeypatch):
    monkeypatch.setattr("commandcenter.ui.console_notes.operator_name", lambda: "andi")
    console, wall, cache = room(clock=lambda: 1_796_000_000.0)
    box = console.notes
    box.opd.setCurrentIndex(box.opd.findData("putr"))
    box.period.setText("2026-11")
    box.text.setText("Lelang ulang paket jalan")
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        box.save.click()
        console.worker.flush()
    (note,) = cache.notes(opd="putr")
    assert (note.period, note.text, note.author, note.ts) == ("2026-11", "Lelang ulang paket jalan", "andi", 1_796_000_000.0)
    assert cache.audit_log(action="note")[0].actor == "andi"
    assert box.text.text() == ""  # ready for the next note
