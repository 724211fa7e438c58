"""The operator console driving a real WallController on a real SQLite cache (offscreen Qt)."""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget

from commandcenter import fmt
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
    """A wall (controller + rotation + command bus) and a console on one cache file, in this
    process; the console reaches the wall only through the bus, as from another desk."""
    from commandcenter.ui.app import start_rotation, stop_rotation
    from commandcenter.ui.console import Console
    from commandcenter.ui.controller import WallController

    made = []

    def open_room(clock=time.time, lang=None):
        cache = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
        wall = WallController(cfg, cache, windowed=True, refresh_ms=0)
        with qtbot.waitSignal(wall.sceneShown, timeout=5000):
            driver = start_rotation(cfg, cache, wall, name="utama", heartbeat=0.3, clock=clock, poll_s=0.1)
        console = Console(cfg, cache, lang=lang, clock=clock, actor="sari@meja-1", poll_ms=200)
        qtbot.addWidget(console)
        console.start()
        made.append([console, wall, cache, driver])
        qtbot.waitUntil(lambda: console.walls.view() is not None, timeout=5000)
        return console, wall, cache, driver

    def close(entry):
        console, wall, cache, driver = entry
        if not console.closed:
            console.shutdown()
        if driver is not None:
            stop_rotation(driver)
            wall.close()
            entry[3] = None

    open_room.close = close
    open_room.made = made
    yield open_room
    for entry in made:
        close(entry)
        entry[2].close()


def shown_scene(qtbot, wall, scene, action):
    with qtbot.waitSignal(wall.sceneShown, timeout=5000, check_params_cb=lambda s: s == scene):
        action()


def test_rotation_order_and_dwell_on_a_controllable_clock(room, qtbot):
    clock = Clock(at("2025-07-01 09:00"))  # Tuesday, office hours
    console, wall, cache, driver = room(clock)
    assert wall.scene_id == "ringkasan"
    assert driver.decision.next_change_at == clock.t + 60
    seen = []
    for expected, dwell in [("anggaran", 60), ("layanan", 45), ("sumber-data", 45), ("ringkasan", 20)]:
        clock.t += dwell
        shown_scene(qtbot, wall, expected, driver.tick)
        seen.append(wall.scene_id)
    assert seen == ["anggaran", "layanan", "sumber-data", "ringkasan"]
    # the console's own controls step too, and every change is audited
    shown_scene(qtbot, wall, "anggaran", console.playlist.next_button.click)
    shown_scene(qtbot, wall, "ringkasan", console.playlist.prev_button.click)
    console.worker.flush()
    scenes = [e.detail["scene"] for e in reversed(cache.audit_log(action="show_scene"))]
    assert scenes == ["ringkasan", "anggaran", "layanan", "sumber-data", "ringkasan", "anggaran", "ringkasan"]
    qtbot.waitUntil(lambda: "Berikutnya dalam" in console.status.text(), timeout=5000)
    assert cache.audit_log(action="next_scene")[0].actor == "sari@meja-1"  # the console's user@host


def test_schedule_switches_office_evening_holiday(room, qtbot):
    clock = Clock(at("2025-07-01 16:29:30"))
    console, wall, _, driver = room(clock)
    assert driver.decision.playlist_id == "jam-kerja"
    qtbot.waitUntil(lambda: console.playlist.items.rowCount() == 4, timeout=5000)
    clock.t = at("2025-07-01 16:30")
    driver.tick()
    assert driver.decision.playlist_id == "malam"
    qtbot.waitUntil(lambda: console.playlist.items.rowCount() == 2, timeout=5000)  # as the wall reports it
    assert console.playlist.items.cellWidget(0, 1).value() == 120
    clock.t = at("2025-06-27 10:00")  # a Friday that is a public holiday
    driver.tick()
    assert driver.decision.playlist_id == "malam"
    clock.t = at("2025-06-30 08:30")  # Monday: the weekly meeting
    driver.tick()
    assert driver.decision.playlist_id == "rapat-mingguan"


def test_alert_interrupts_then_the_rotation_resumes(room, qtbot):
    clock = Clock(at("2025-07-01 09:00"))
    console, wall, cache, driver = room(clock)
    clock.t += 20
    cache.fire_alert("bor-rsud", "bor", "critical", "BOR RSUD di atas 85%", metric="bor", opd="rsud", now=clock.t)
    with qtbot.waitSignal(wall.sceneShown, timeout=5000, check_params_cb=lambda s: s == "detail-rsud"):
        driver.alert_interrupts.poll()
    assert driver.decision.reason == "interrupt"
    console.load_data()
    qtbot.waitUntil(lambda: console.alerts.table.rowCount() == 1, timeout=5000)
    assert "Kritis 1" in console.counts.text()
    clock.t += 60
    shown_scene(qtbot, wall, "ringkasan", driver.tick)
    assert driver.decision.next_change_at == clock.t + 40  # the 40 s ringkasan still had
    # acknowledge from the alert list
    alert_id = cache.alerts()[0].id
    console.alerts.select(alert_id)
    console.alerts.note.setText("RSUD sudah ditelepon")
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        console.alerts.ack_button.click()
    assert cache.alerts()[0].state == "acknowledged"
    entry = cache.audit_log(action="acknowledge")[0]
    assert entry.detail == {"alerts": [alert_id], "count": 1, "note": "RSUD sudah ditelepon"}
    assert entry.actor == "sari@meja-1"
    # the log: the city's time and a plain sentence, no raw field=value text
    console.load_data()
    qtbot.waitUntil(lambda: "sari@meja-1: peringatan diakui — “RSUD sudah ditelepon”" in console.log_view.toPlainText(),
                    timeout=5000)
    line = next(x for x in console.log_view.toPlainText().splitlines() if "diakui" in x)
    assert line.split(" · ")[0].endswith(" WIB") and "=" not in line


def test_freeze_holds_values_while_new_samples_arrive(room, qtbot, db_url):
    writer = Cache.open(db_url, city="1275", tz="Asia/Jakarta")
    june = int(at("2025-06-30 23:59"))
    writer.write_samples("sipd", [Sample("serapan_keuangan", "", june, 47.5)], known_at=time.time() - 60)
    console, wall, _, driver = room()
    if wall.scene_id != "ringkasan":
        shown_scene(qtbot, wall, "ringkasan", lambda: driver.show("ringkasan"))
    driver.pause()  # the real clock runs: keep the scene still for this test
    (panel,) = wall.panel_widgets("serapan")
    qtbot.waitUntil(lambda: panel.shown.get("value") == "47,5%", timeout=5000)
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        qtbot.mouseClick(console.briefing_box.freeze_button, Qt.MouseButton.LeftButton)
    assert wall.as_of == driver.briefing.as_of
    qtbot.waitUntil(lambda: "DIBEKUKAN" in console.briefing_box.mode.text(), timeout=5000)
    writer.write_samples("sipd", [Sample("serapan_keuangan", "", june + 86400, 49.0)], known_at=time.time() + 1)
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        wall.refresh()
    assert panel.shown["value"] == "47,5%"  # frozen: the new sample is in the cache, not on the wall
    with qtbot.waitSignal(wall.dataApplied, timeout=5000):
        qtbot.mouseClick(console.briefing_box.freeze_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.shown.get("value") == "49,0%", timeout=5000)
    assert wall.as_of is None
    qtbot.waitUntil(lambda: "LIVE" in console.briefing_box.mode.text(), timeout=5000)
    writer.close()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen, showing a main window
def test_spotlight_presenter_keys_and_kiosk(room, qtbot, cfg):
    clock = Clock(at("2025-07-01 09:00"))
    console, wall, _, driver = room(clock)
    win = wall.windows[0]
    console.briefing_box.opds.setCurrentIndex(console.briefing_box.opds.findData("rsud"))
    shown_scene(qtbot, wall, "detail-rsud", console.briefing_box.spot_opd_button.click)
    shown_scene(qtbot, wall, "ringkasan", lambda: qtbot.keyClick(win, Qt.Key.Key_Escape))
    shown_scene(qtbot, wall, "spotlight:ringkasan/bor", lambda: driver.spotlight_panel("ringkasan", "bor"))
    # the KPI big on one monitor, its trend and the OPDs' ranking on the others: every monitor used
    assert all(w.panels for w in wall.windows)
    (kpi,) = wall.panel_widgets("bor")
    value = kpi.value_rect()
    assert kpi.vgaps() == [] and kpi.hgaps() == []  # on one monitor: no seam to cross
    assert kpi.rect().contains(value.toRect()) and value.height() > 200  # big enough to read from the back
    # a spotlighted table: whole rows in large type on each monitor, none across a seam
    shown_scene(qtbot, wall, "spotlight:ringkasan/pengaduan", lambda: driver.spotlight_panel("ringkasan", "pengaduan"))
    pieces = [p for w in wall.windows for p in w.panels.values()]
    assert len(pieces) == 4 and all(p.vgaps() == [] and p.hgaps() == [] for p in pieces)
    shown_scene(qtbot, wall, "spotlight:ringkasan/bor", lambda: driver.spotlight_panel("ringkasan", "bor"))
    shown_scene(qtbot, wall, "anggaran", lambda: qtbot.keyClick(win, Qt.Key.Key_PageDown))
    console.show()
    console.activateWindow()
    qtbot.waitUntil(console.isActiveWindow, timeout=3000)
    shown_scene(qtbot, wall, "ringkasan", lambda: qtbot.keyClick(console.scenes.list, Qt.Key.Key_PageUp))
    qtbot.keyClick(win, Qt.Key.Key_B)
    # the console is the active window here, so its presenter shortcut may take the key: either way
    # (directly on the wall, or as a command through the bus) the wall goes black
    qtbot.waitUntil(lambda: driver.blank_cover.active and driver.briefing.blank, timeout=5000)
    qtbot.waitUntil(lambda: "LAYAR HITAM" in console.briefing_box.mode.text(), timeout=5000)  # the console says so
    cover = win.findChild(QWidget, "blankCover")
    assert cover is not None and cover.isVisible()
    img = win.grab().toImage()
    assert img.pixelColor(img.width() // 2, img.height() // 2).name() == "#000000"
    qtbot.keyClick(win, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: not driver.blank_cover.active, timeout=5000)
    # stray input does nothing; the wall will not close without the console
    before = driver.guard.ignored
    qtbot.mouseClick(win, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    qtbot.keyClick(win, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert driver.guard.ignored >= before + 2 and wall.scene_id == "ringkasan"
    assert win.close() is False and win.isVisible()


def test_restart_comes_back_in_the_same_scene_and_mode(room, qtbot):
    console, wall, cache, driver = room()
    shown_scene(qtbot, wall, "layanan", lambda: console.scenes.chosen.emit("layanan"))
    driver.start_briefing()
    frozen_at = driver.briefing.as_of
    driver.worker.flush()
    room.close(room.made[0])  # the wall process ends (a crash, a restart)
    console2, wall2, _, driver2 = room()  # a new wall and console on the same cache file
    assert wall2.scene_id == "layanan"
    assert driver2.briefing.active and driver2.briefing.as_of == frozen_at
    assert wall2.as_of == frozen_at
    driver2.worker.flush()
    assert cache.audit_log(action="show_scene")[0].actor == "restore"


def test_health_table_refresh_and_english(room, qtbot, cfg):
    clock = Clock(time.time())
    console, wall, cache, driver = room(clock, lang="en")
    src = cfg.sources[0]
    cache.record_run(RunRecord(src.id, clock.t - 5, clock.t - 4, "failed", message="HTTP 500 dari server"))
    console.load_data()
    t = console.health.table

    def row() -> int | None:
        return next((i for i in range(t.rowCount()) if t.item(i, 0).data(Qt.ItemDataRole.UserRole) == src.id), None)

    qtbot.waitUntil(lambda: row() is not None and t.item(row(), 1).text() == "✕ failing", timeout=5000)
    row = row()
    assert (t.item(row, 1).text(), t.item(row, 3).text()) == ("✕ failing", "HTTP 500 dari server")
    assert console.health.refresh_button.text() == "Refresh now"
    console.health.select(src.id)
    console.health.refresh_button.click()
    console.worker.flush()
    assert cache.audit_log(action="refresh")[0].detail == {"source": src.id}
    assert "Sources in trouble" in console.banner.text() and src.name in console.banner.text()


def test_health_table_never_goes_back_to_an_older_read(room, qtbot, cfg):
    """Reads run on two threads, so an older read could finish after a newer one: the table must
    keep the newer data (an older "never run" arriving last hid a failing source until the next
    poll, 5 s later). Thirty changes, each followed by a refresh: what the table shows only moves
    forward, and ends on the last."""
    from PySide6.QtCore import QCoreApplication

    clock = Clock(time.time())
    console, wall, cache, driver = room(clock)
    src = cfg.sources[0]
    shown: list[str] = []
    t = console.health.table

    def error_shown() -> None:
        row = next(i for i in range(t.rowCount()) if t.item(i, 0).data(Qt.ItemDataRole.UserRole) == src.id)
        shown.append(t.item(row, 3).text())

    console.data_loaded.connect(error_shown)
    for i in range(1, 31):
        cache.record_run(RunRecord(src.id, clock.t - 5, clock.t - 4, "failed", message=f"galat {i:02d}"))
        console.load_data()
        QCoreApplication.processEvents()  # results arrive between the requests, as they would
    qtbot.waitUntil(lambda: not console.worker.reading("health"), timeout=10000)  # the last asked, delivered
    numbered = [int(m.split()[1]) if m else 0 for m in shown]  # "" before the first failed run
    assert numbered and numbered == sorted(numbered), f"an older read replaced a newer one: {shown}"
    assert shown[-1] == "galat 30"


def test_a_failed_read_does_not_hold_up_the_next_of_its_kind(qtbot):
    from commandcenter.ui.worker import Worker

    worker = Worker()
    got: list[str] = []

    def broken() -> str:
        raise OSError("database is locked")

    with qtbot.waitSignal(worker.failed, timeout=5000):
        worker.read(broken, done=got.append, newest="health")
    worker.read(lambda: "second", done=got.append, newest="health")
    worker.read(lambda: "third", done=got.append, newest="health")  # replaces "second" if that waits
    qtbot.waitUntil(lambda: not worker.reading("health"), timeout=5000)
    assert got[-1] == "third" and None not in got  # no result for the failed read
    worker.shutdown()


def test_console_export_png_and_pdf(room, qtbot, cfg):
    console, wall, cache, driver = room()
    for kind in ("png", "pdf"):
        with qtbot.waitSignal(console.exported, timeout=10000) as sig:
            console.export(kind)
        path = sig.args[0]
        assert path.endswith(kind)
        day = fmt.to_zone(time.time(), cfg.city.timezone).strftime("%Y-%m-%d")  # the city's date, not UTC's
        assert os.path.basename(path).startswith(f"dinding-{day}_")
        assert not console.toast.isHidden() and path in console.toast.text()  # confirmed on screen
        with open(path, "rb") as fh:
            assert fh.read(4) in (b"\x89PNG", b"%PDF")
    console.worker.flush()
    assert len(cache.audit_log(action="export")) == 2


def test_operator_types_an_opd_note_kept_with_time_and_author(room, qtbot):
    console, wall, cache, driver = room(clock=lambda: 1_796_000_000.0)
    box = console.notes
    box.opd.setCurrentIndex(box.opd.findData("putr"))
    box.period.setText("2026-11")
    box.text.setText("Lelang ulang paket jalan")
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        box.save.click()
        console.worker.flush()
    (note,) = cache.notes(opd="putr")
    assert (note.period, note.text, note.author, note.ts) == ("2026-11", "Lelang ulang paket jalan", "sari@meja-1",
                                                              1_796_000_000.0)
    assert cache.audit_log(action="note")[0].actor == "sari@meja-1"
    assert box.text.text() == ""  # ready for the next note


def test_briefing_steps_its_own_playlist_and_ending_it_resumes_what_ran(room, qtbot):
    """At night (playlist "malam") a briefing starts from the console: the presenter keys walk the
    briefing playlist (playlists.yaml `briefing: rapat-mingguan`), not the night one; ending it
    brings back the night rotation where it was. A replay ends the same way."""
    clock = Clock(at("2025-07-01 21:00"))
    console, wall, cache, driver = room(clock)
    assert driver.decision.playlist_id == "malam" and wall.scene_id == "ringkasan"
    clock.t += 30  # 90 s of ringkasan's 120 s left
    console.briefing_box.freeze_button.click()  # the briefing starts on the scene the room sees
    qtbot.waitUntil(lambda: driver.briefing.active, timeout=5000)
    assert driver.decision.playlist_id == "rapat-mingguan"
    win = wall.windows[0]
    shown_scene(qtbot, wall, "anggaran", lambda: driver.presenter_key("PageDown"))  # malam would be sumber-data
    shown_scene(qtbot, wall, "detail-bpkad", lambda: driver.presenter_key("PageDown"))
    qtbot.waitUntil(lambda: "DIBEKUKAN" in console.briefing_box.mode.text(), timeout=5000)
    shown_scene(qtbot, wall, "ringkasan", console.briefing_box.freeze_button.click)  # end the briefing
    qtbot.waitUntil(lambda: not driver.briefing.active, timeout=5000)
    d = driver.decision
    assert (d.playlist_id, d.scene_id, d.reason, d.next_change_at) == ("malam", "ringkasan", "rotation", clock.t + 90)
    assert wall.as_of is None and not driver.rotation.paused and driver.rotation.override_ is None
    # a replay of an earlier moment, then back to the same rotation
    cache.audit("show_scene", {"scene": "layanan"}, "rotation", ts=clock.t - 3600)
    shown_scene(qtbot, wall, "layanan", lambda: console.replay(clock.t - 1800))
    assert wall.as_of == clock.t - 1800
    shown_scene(qtbot, wall, "ringkasan", lambda: console.walls.stop_briefing())
    d = driver.decision
    assert (d.playlist_id, d.scene_id, d.reason) == ("malam", "ringkasan", "rotation") and wall.as_of is None
    assert win is wall.windows[0]


def test_acknowledge_several_or_all_in_one_action(room, qtbot):
    console, wall, cache, driver = room()
    ids = [cache.fire_alert(f"k{i}", "r", "warning" if i % 2 else "critical", f"Peringatan {i}", now=100.0 + i).id
           for i in range(5)]
    console.load_data()
    qtbot.waitUntil(lambda: console.alerts.table.rowCount() == 5, timeout=5000)
    assert "Kritis 3" in console.counts.text() and "Peringatan 2" in console.counts.text()
    console.alerts.select(ids[0])
    console.alerts.select(ids[3])
    assert sorted(console.alerts.selected_ids()) == sorted([ids[0], ids[3]])
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        console.alerts.ack_button.click()
    qtbot.waitUntil(lambda: "Kritis 2" in console.counts.text(), timeout=5000)
    assert {a.id for a in cache.alerts() if a.state == "acknowledged"} == {ids[0], ids[3]}
    with qtbot.waitSignal(console.data_loaded, timeout=5000):
        console.alerts.ack_all_button.click()
    assert all(a.state == "acknowledged" for a in cache.alerts())
    last = cache.audit_log(action="acknowledge")[0].detail
    assert sorted(last["alerts"]) == sorted([ids[1], ids[2], ids[4]]) and last["count"] == 3


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_closing_the_console_asks_first_and_closes_only_the_console(room, qtbot):
    """`demo` keeps wall and console in one process: closing the console asks, then leaves the
    wall running (it still takes commands from other consoles)."""
    console, wall, cache, driver = room()
    console.show()
    asked = []
    console.ask_before_close = lambda: asked.append("?") is None and False  # the operator says no
    assert console.close() is False and not console.closed and asked == ["?"]
    console.ask_before_close = lambda: True
    assert console.close() is True and console.closed
    assert wall.windows and all(w.isVisible() for w in wall.windows)
    from commandcenter.control import CommandBus

    cid = CommandBus(cache, actor="budi@meja-2").send("show_scene", scene="layanan")
    qtbot.waitUntil(lambda: cache.command(cid).done_at is not None and wall.scene_id == "layanan", timeout=5000)


def test_a_replay_of_a_future_moment_is_clamped_to_now_and_said_so(room, qtbot):
    clock = Clock(at("2025-07-01 21:00"))
    console, wall, cache, driver = room(clock)
    cache.audit("show_scene", {"scene": "layanan"}, "rotation", ts=clock.t - 60)
    shown_scene(qtbot, wall, "layanan", lambda: console.replay(clock.t + 86400))
    assert wall.as_of == clock.t  # never a moment that has not come
    assert "masa depan" in console.toast.text()
