"""The operator console: runs the room from the desk monitor.

Shows what every wall screen shows (thumbnails), the scene list and the playlist, source health
with "refresh now", alerts with acknowledge, the log; drives briefing mode (freeze, spotlight,
blank, replay) and exports. Every operator action goes to the audit log. The wall windows are
kiosk-guarded: only presenter keys act on them, and only the console closes them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from commandcenter import fmt
from commandcenter.ui.console_controls import BriefingBox, PlaylistBox, ScenesBox, Thumbnails
from commandcenter.ui.console_i18n import reason_word, tr
from commandcenter.ui.console_kiosk import KEY_NAMES, BlankOverlay, KioskGuard
from commandcenter.ui.console_tables import AlertTable, HealthTable, LogHandler, LogView
from commandcenter.ui.alert_interrupts import InterruptTracker
from commandcenter.ui.console_worker import Worker
from commandcenter.ui.rotation_driver import STATE_KEY, RotationDriver
from commandcenter.wall.briefing import scene_at, scene_of

log = logging.getLogger(__name__)
POLL_MS = 5000  # health, alerts and the audit log


class Console(QMainWindow):
    data_loaded = Signal()  # after each health/alerts/audit refresh reached the widgets
    exported = Signal(str)  # path of a file written by an export

    def __init__(self, cfg: Any, cache: Any, wall_controller: Any, collector: Any = None,
                 lang: str | None = None, clock: Callable[[], float] = time.time,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache, self.wall, self.collector, self.clock = cfg, cache, wall_controller, collector, clock
        self.lang = lang or cfg.city.language
        self.quit_on_close = False
        self.closed = False
        self._interrupts = InterruptTracker()  # alerts already open at start never interrupt
        self.worker = Worker(self)
        self.worker.failed.connect(lambda msg: self.log_view.add_line(f"! {msg}"))
        self.driver = RotationDriver(cfg, cache, wall_controller, self.worker, clock, self)
        self.guard = KioskGuard(self.wall_windows, self.driver.presenter_key, self)
        self.blank = BlankOverlay()
        self.setWindowTitle(f"{tr('Konsol Operator', self.lang)} — {cfg.city.name}")
        self._build()
        self._connect()
        self._presenter_shortcuts()

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        lang = self.lang
        self.status = QLabel()
        self.status.setObjectName("consoleStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.thumbs = Thumbnails(self.cfg, self.wall_windows, lang)
        self.scenes = ScenesBox(self.cfg, lang)
        self.playlist = PlaylistBox(self.cfg, self.driver, lang)
        self.briefing_box = BriefingBox(self.cfg, self.driver, lang)
        self.health = HealthTable(self.cfg, lang)
        self.alerts = AlertTable(self.cfg, lang)
        self.log_view = LogView(self.cfg, lang)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.thumbs)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.scenes)
        middle.addWidget(self.playlist)
        lv.addWidget(middle, 1)
        lv.addWidget(self.briefing_box)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.alerts, tr("Peringatan", lang))
        self.tabs.addTab(self.log_view, tr("Log", lang))
        from commandcenter.scoring.periods import containing
        from commandcenter.ui.console_notes import NotesBox

        self.notes = NotesBox(self.cfg, containing(self.clock(), self.cfg.city.timezone).label, lang)
        self.tabs.addTab(self.notes, tr("Catatan OPD", lang))
        from commandcenter.ui.console_apps import AppsTable

        self.apps = AppsTable(self.cfg, lang)  # application checks (apps.yaml)
        if self.cfg.extra.get("apps") is not None:
            self.tabs.addTab(self.apps, tr("Aplikasi OPD", lang))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.health)
        right.addWidget(self.tabs)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        root = QWidget()
        rv = QVBoxLayout(root)
        rv.addWidget(self.status)
        from commandcenter.ui.web_console import web_button

        web_button(self, rv)  # "Halaman web OPD…" when the city has web panels (ui/web_console.py)
        rv.addWidget(body, 1)
        self.setCentralWidget(root)
        self.resize(1600, 1000)

    def _connect(self) -> None:
        d = self.driver
        d.decided.connect(lambda _d: self._update_status())
        d.scene_changed.connect(self.scenes.mark)
        d.scene_changed.connect(lambda _k: self.thumbs.refresh_soon())
        d.scene_changed.connect(lambda _k: self._apply_blank())
        d.mode_changed.connect(self._apply_blank)
        d.mode_changed.connect(self._update_status)
        self.scenes.chosen.connect(d.show)
        relaid = getattr(self.wall, "relaidOut", None)
        if relaid is not None:  # screens came or went: new windows need the blank cover again
            relaid.connect(self._apply_blank)
        self.health.refresh_requested.connect(self.refresh_source)
        self.alerts.ack_requested.connect(self.acknowledge)
        self.apps.check_requested.connect(self.check_app)
        self.briefing_box.replay_button.clicked.connect(
            lambda: self.replay(self.briefing_box.replay_at.dateTime().toSecsSinceEpoch()))
        self.briefing_box.export_requested.connect(self.export)
        self.notes.note_entered.connect(self.set_note)
        self.log_handler = LogHandler()
        self.log_handler.bridge.line.connect(self.log_view.add_line)
        logging.getLogger("commandcenter").addHandler(self.log_handler)
        from commandcenter.ui.console_reports import ReportScheduler

        self.reports = ReportScheduler(self.cfg, self.cache, self.clock, self)
        self.reports.written.connect(lambda path: self.log_view.add_line(f"{tr('Tersimpan', self.lang)}: {path}"))
        self.reports.failed.connect(lambda rid, why: self.log_view.add_line(f"! {rid}: {why}"))
        self.poll = QTimer(self)
        self.poll.timeout.connect(self.load_data)
        self.clock_timer = QTimer(self)
        self.clock_timer.timeout.connect(self._update_status)

    def _presenter_shortcuts(self) -> None:
        for key, name in KEY_NAMES.items():
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda n=name: self.driver.presenter_key(n))

    # -- start and stop ---------------------------------------------------------------------------------
    def start(self, restore: bool = True) -> None:
        """Come back in the persisted scene and mode (after a crash or restart), then run."""
        state = self.cache.get_state(STATE_KEY) if restore else None  # one tiny read, once at start
        self.driver.start(state)
        self.load_data()
        self.poll.start(POLL_MS)
        self.clock_timer.start(1000)
        self.reports.start()
        self.thumbs.refresh_soon()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Only the console closes the wall."""
        self.shutdown()
        super().closeEvent(event)
        if self.quit_on_close:
            QApplication.instance().quit()

    def shutdown(self) -> None:
        """Stop timers and threads, let the wall windows close, close the wall (once)."""
        if self.closed:
            return
        self.closed = True
        self.poll.stop()
        self.clock_timer.stop()
        self.reports.stop()
        self.thumbs.timer.stop()
        self.driver.stop()
        self.guard.allow_close = True
        logging.getLogger("commandcenter").removeHandler(self.log_handler)
        self.worker.shutdown()
        self.guard.remove()
        close = getattr(self.wall, "close", None)
        if callable(close):
            close()

    # -- the wall ---------------------------------------------------------------------------------------
    def wall_windows(self) -> list[QWidget]:
        wins = getattr(self.wall, "windows", [])
        return list(wins() if callable(wins) else wins)

    def _apply_blank(self, *_: Any) -> None:
        self.blank.set(self.wall_windows(), self.driver.briefing.blank)

    def _update_status(self) -> None:
        d, b = self.driver.decision, self.driver.briefing
        if d is None:
            return
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        shown = self.driver.shown or d.scene_id
        scene = scene_of(self.cfg, shown) if shown else None
        title = (scene.title_en if self.lang == "en" and scene and scene.title_en else scene.title) if scene else shown
        parts = [f"<b>{tr('Sekarang', self.lang)}:</b> {title} ({reason_word(d.reason, self.lang)})"]
        if d.next_change_at and not b.active:
            left = max(0, round(d.next_change_at - self.clock()))
            parts.append(f"{tr('Berikutnya dalam', self.lang)} {left} {tr('detik', self.lang)}")
        if b.active:
            when = fmt.datetime_short(b.as_of, tz, zone, self.lang)
            mode = f"<span style='color:#c2410c'><b>{tr('DIBEKUKAN', self.lang)}</b> · {tr('data per', self.lang)} {when}</span>"
        else:
            mode = f"<span style='color:#15803d'><b>{tr('LIVE', self.lang)}</b></span>"
        self.status.setText(" · ".join(parts + [mode]))

    # -- data (off the GUI thread) -----------------------------------------------------------------------
    def load_data(self) -> None:
        self.worker.read(self._read_all, done=self._show_data)

    def _read_all(self) -> dict[str, Any]:
        from commandcenter.collector.health import source_health

        next_runs = self.collector.next_runs() if self.collector is not None else None
        from commandcenter.checks.status import board

        return {"health": source_health(self.cfg, self.cache, now=self.clock(), next_runs=next_runs),
                "alerts": self.cache.alerts(), "audit": self.cache.audit_log(limit=200),
                "apps": board(self.cfg, self.cache, now=self.clock(), lang=self.lang)}

    def _show_data(self, data: dict[str, Any]) -> None:
        self.health.set_rows(data["health"])
        self.alerts.set_rows(data["alerts"])
        self.apps.set_rows(data.get("apps", []))
        self.log_view.add_audit(data["audit"])
        self._interrupts.feed(self.driver, data["alerts"])
        self.data_loaded.emit()

    # -- operator actions ---------------------------------------------------------------------------------
    def refresh_source(self, source_id: str) -> None:
        self.worker.write(self.cache.audit, "refresh", {"source": source_id}, "operator")
        if self.collector is None:
            self.log_view.add_line(f"! refresh {source_id}: no collector in this process")
            return
        self.worker.write(self.collector.refresh_now, source_id)

    def check_app(self, app_id: str) -> None:
        """'Check now': a request through the cache, heard by the collector wherever it runs."""
        from commandcenter.ui.console_apps import request_check

        self.worker.write(self.cache.audit, "check_app", {"app": app_id}, "operator")
        self.worker.write(request_check, self.cache, app_id, self.clock(), done=lambda _r: self.log_view.add_line(
            f"{'periksa sekarang' if self.lang != 'en' else 'check now'}: {app_id}"))

    def acknowledge(self, alert_id: int) -> None:
        self.worker.write(self.cache.ack_alert, alert_id, "operator")
        self.worker.write(self.cache.audit, "acknowledge", {"alert": alert_id}, "operator",
                          done=lambda _r: self.load_data())

    def set_note(self, opd: str, period: str, text: str, author: str | None = None) -> None:
        """An OPD's cause for the period, kept with time and author (audited by the cache)."""
        from commandcenter.ui.console_notes import operator_name

        self.worker.write(self.cache.set_note, opd, period, text, author or operator_name(), now=self.clock(),
                          done=lambda _r: (self.log_view.add_line(f"{tr('Catatan', self.lang)} {opd} {period}: {text}"),
                                           self.notes.text.clear(), self.load_data()))

    def replay(self, as_of: float) -> None:
        """Show what the wall showed at `as_of`, with the data known then."""
        def found(scene: str | None) -> None:
            if scene is None or (scene not in self.cfg.scene_by_id and not scene.startswith("spotlight:")):
                self.log_view.add_line(tr("Tidak ada adegan pada saat itu", self.lang))
                return
            self.driver.replay(as_of, scene)

        self.worker.read(scene_at, self.cache, as_of, done=found)

    def export(self, kind: str) -> str:
        """The wall as it is now (live or frozen) to PNG or PDF in the reports folder. A PDF (the
        handout) is read and drawn on a worker thread; a PNG's data are read there and drawn here.
        `exported` says when it is done."""
        from commandcenter.ui.export import export_handout, export_wall, output_folder, read_scene

        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.clock()))
        path = str(output_folder(self.cfg) / f"dinding-{stamp}.{kind}")
        key, as_of, now = self.driver.shown, self.driver.briefing.read_as_of(), self.clock()

        def saved(_result: Any = None) -> None:
            self.worker.write(self.cache.audit, "export", {"file": path, "scene": key, "as_of": as_of}, "operator")
            self.log_view.add_line(f"{tr('Tersimpan', self.lang)}: {path}")
            self.exported.emit(path)

        def draw(data: Any) -> None:
            export_wall(self.cfg, self.cache, self.wall, path, key, data, as_of, self.lang, now)
            saved()

        if kind == "pdf":
            self.worker.read(export_handout, self.cfg, self.cache, [key], path, as_of, self.lang, now, done=saved)
        else:
            self.worker.read(read_scene, self.cfg, self.cache, key, as_of, self.lang, now, done=draw)
        return path


def start_console(cfg: Any, cache: Any, controller: Any, collector: Any = None, screen: Any = None,
                  lang: str | None = None) -> Console:
    """Open the console on `screen` (a QScreen, a screen name or index; default wall.yaml's
    console_screen, else its own window) and start the rotation."""
    console = Console(cfg, cache, controller, collector, lang=lang)
    console.quit_on_close = True
    target = _screen(screen if screen is not None else cfg.wall.console_screen)
    if target is not None:
        console.setScreen(target)
        console.setGeometry(target.availableGeometry())
        console.showMaximized()
    else:
        console.show()
    console.start()
    return console


def _screen(which: Any) -> Any:
    if which is None:
        return None
    screens = QApplication.screens()
    if isinstance(which, int):
        return screens[which] if 0 <= which < len(screens) else None
    if isinstance(which, str):
        return next((s for s in screens if s.name() == which), None)
    return which
