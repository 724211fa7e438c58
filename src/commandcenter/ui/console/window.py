"""The operator console: runs the room from the desk, in its own process (`commandcenter console`).

It finds its walls through the cache they share: every wall reports its scene, mode, screens, a
heartbeat and monitor thumbnails; the console sends commands back (commandcenter.control). It
shows each wall with "last heard" and flags a silent one, source health with "refresh now",
alerts with acknowledge (several at once, with a note), the log in plain sentences, and drives
briefing mode and exports. Every action is audited under the operator's user@host. Closing the
console never closes a wall.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from commandcenter import fmt
from commandcenter.ui.console.controls import (
    BriefingBox,
    PlaylistBox,
    ScenesBox,
    Thumbnails,
    WallsBox,
    heard_ago,
)
from commandcenter.ui.console.i18n import marked, reason_word, tr
from commandcenter.ui.console.remote import RemoteWalls
from commandcenter.ui.console.sentences import scene_title
from commandcenter.ui.console.style import BANNER_BAD, BANNER_OK, BANNER_WARN, STYLE
from commandcenter.ui.console.tables import AlertTable, HealthTable, LogHandler, LogView
from commandcenter.ui.kiosk import KEY_NAMES
from commandcenter.ui.worker import Worker
from commandcenter.wall.briefing import scene_at

log = logging.getLogger(__name__)
POLL_MS = 5000  # health, alerts and the audit log
TOAST_MS = 15000


class Console(QMainWindow):
    data_loaded = Signal()  # after each health/alerts/audit refresh reached the widgets
    walls_shown = Signal()  # after each wall report reached the widgets
    exported = Signal(str)  # path of a file written by an export

    def __init__(self, cfg: Any, cache: Any, lang: str | None = None, clock: Callable[[], float] = time.time,
                 actor: str | None = None, silent_after: float | None = None, poll_ms: int = 2000,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache, self.clock = cfg, cache, clock
        self.lang = lang or cfg.city.language
        self.closed = False
        self.ask_before_close: Callable[[], bool] | None = None  # `demo`: the wall shares this process
        self.worker = Worker(self)
        self.worker.failed.connect(lambda msg: self.log_view.add_line(f"! {msg}"))
        self.walls = RemoteWalls(cache, self.worker, actor, silent_after, clock, poll_ms, self)
        self.health_rows: list[Any] = []
        self.alert_rows: list[Any] = []
        self.setWindowTitle(f"{tr('Konsol Operator', self.lang)} — {cfg.city.name}")
        self.setStyleSheet(STYLE)
        self._build()
        self._connect()
        self._presenter_shortcuts()

    @property
    def actor(self) -> str:
        return self.walls.actor

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        lang = self.lang
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("consoleStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.counts = QLabel()
        self.counts.setObjectName("counts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.toast = QLabel()
        self.toast.setObjectName("toast")
        self.toast.hide()
        self.walls_box = WallsBox(self.cfg, lang)
        self.thumbs = Thumbnails(self.cfg, lang)
        self.scenes = ScenesBox(self.cfg, lang)
        self.playlist = PlaylistBox(self.cfg, self.walls, lang)
        self.briefing_box = BriefingBox(self.cfg, self.walls, lang)
        self.health = HealthTable(self.cfg, lang)
        self.alerts = AlertTable(self.cfg, lang)
        self.log_view = LogView(self.cfg, lang)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.walls_box)
        lv.addWidget(self.thumbs)
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.scenes)
        middle.addWidget(self.playlist)
        middle.setSizes([360, 380])
        self.controls = QTabWidget()  # rotation and briefing share the lower left; the mode stays in the status line
        self.controls.addTab(middle, tr("Rotasi", lang))
        self.controls.addTab(self.briefing_box, tr("Mode briefing", lang))
        lv.addWidget(self.controls, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.alerts, tr("Peringatan", lang))
        self.tabs.addTab(self.log_view, tr("Log", lang))
        from commandcenter.ui.console.apps import AppsTable

        self.apps = AppsTable(self.cfg, lang)  # application checks (apps.yaml)
        if self.cfg.extra.get("apps") is not None:
            self.tabs.addTab(self.apps, tr("Aplikasi OPD", lang))
        from commandcenter.scoring.periods import containing
        from commandcenter.ui.console.notes import NotesBox

        self.notes = NotesBox(self.cfg, containing(self.clock(), self.cfg.city.timezone).label, lang)
        self.tabs.addTab(self.notes, tr("Catatan OPD", lang))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.health)
        right.addWidget(self.tabs)
        right.setSizes([430, 530])
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(left)
        body.addWidget(right)
        body.setSizes([700, 1220])
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.counts)
        root = QWidget()
        rv = QVBoxLayout(root)
        rv.addWidget(self.banner)
        rv.addLayout(top)
        rv.addWidget(self.toast)
        from commandcenter.ui.web_console import web_button

        web_button(self, rv)  # "Halaman web OPD…" when the city has web panels (ui/web_console.py)
        rv.addWidget(body, 1)
        self.setCentralWidget(root)
        self.resize(1600, 1000)

    def _connect(self) -> None:
        self.walls.updated.connect(self._show_walls)
        self.walls_box.chosen.connect(self._choose_wall)
        self.scenes.chosen.connect(self.walls.show)
        self.health.refresh_requested.connect(self.refresh_source)
        self.alerts.ack_requested.connect(self.acknowledge)
        self.apps.check_requested.connect(self.check_app)
        self.briefing_box.replay_button.clicked.connect(
            lambda: self.replay(self.briefing_box.replay_at.dateTime().toSecsSinceEpoch()))
        self.briefing_box.export_requested.connect(self.export)
        self.notes.note_entered.connect(self.set_note)
        self.log_handler = LogHandler(self.cfg, self.lang)
        self.log_handler.bridge.line.connect(self.log_view.add_line)
        logging.getLogger("commandcenter").addHandler(self.log_handler)
        from commandcenter.ui.console.reports import ReportScheduler

        self.reports = ReportScheduler(self.cfg, self.cache, self.clock, self)
        self.reports.written.connect(lambda path: self.confirm(f"{tr('Tersimpan', self.lang)}: {path}"))
        self.reports.failed.connect(lambda rid, why: self.confirm(f"{rid}: {why}", ok=False))
        self.poll = QTimer(self)
        self.poll.timeout.connect(self.load_data)
        self.clock_timer = QTimer(self)
        self.clock_timer.timeout.connect(self._update_status)
        self._toast_timer = QTimer(self, singleShot=True)
        self._toast_timer.timeout.connect(self.toast.hide)

    def _presenter_shortcuts(self) -> None:
        for key, name in KEY_NAMES.items():
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda n=name: self.walls.presenter_key(n))

    # -- start and stop ---------------------------------------------------------------------------------
    def start(self) -> None:
        self.walls.start()
        self.load_data()
        self.poll.start(POLL_MS)
        self.clock_timer.start(1000)
        self.reports.start()
        self._update_banner()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the console closes only the console (and asks first where a wall shares the process)."""
        if not self.closed and self.ask_before_close is not None and not self.ask_before_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.poll.stop()
        self.clock_timer.stop()
        self.reports.stop()
        self.walls.stop()
        logging.getLogger("commandcenter").removeHandler(self.log_handler)
        self.worker.flush()
        self.worker.shutdown()

    # -- the walls --------------------------------------------------------------------------------------
    def _choose_wall(self, name: str) -> None:
        self.walls.target = name
        self.walls.poll()

    def _show_walls(self) -> None:
        now = self.clock()
        self.walls_box.set_walls(self.walls.views, now)
        self.thumbs.set_images(self.walls.thumbs)
        state = self.walls.state
        self.scenes.mark(state.get("scene"))
        self.playlist.update_from(state)
        self.briefing_box.update_from(state)
        self._update_status()
        self._update_banner()
        self.walls_shown.emit()

    def _update_status(self) -> None:
        view = self.walls.view()
        if view is None:
            self.status.setText(f"<b>{tr('Tidak ada dinding yang melapor', self.lang)}</b>")
            return
        s = view.state
        if view.silent:  # its last report is history: say so instead of repeating it
            self.status.setText(f"<b>{view.name}</b> · <span style='color:#ef4444'><b>■ {tr('diam', self.lang)}</b></span>"
                                f" · {tr('Terakhir terdengar', self.lang)} {heard_ago(view.heartbeat, self.clock(), self.lang)}")
            return
        title = scene_title(self.cfg, s.get("scene"), self.lang) or "—"
        parts = [f"<b>{view.name}</b>", f"<b>{tr('Sekarang', self.lang)}:</b> {title} "
                 f"({reason_word(s.get('reason', ''), self.lang)})"]
        nxt = s.get("next_change_at")
        if nxt and not s.get("briefing") and not s.get("paused"):
            parts.append(f"{tr('Berikutnya dalam', self.lang)} {max(0, round(nxt - self.clock()))} {tr('detik', self.lang)}")
        parts.append(self.briefing_box.mode.text())  # ❄ frozen / ■ blank / ● live, always in sight
        self.status.setText(" · ".join(parts))

    def _update_banner(self) -> None:
        bad = [h for h in self.health_rows if h.state in ("failing", "stale", "never-run")]
        silent = self.walls.silent()
        if not self.walls.views:
            self.banner.setText("■ " + tr("Tidak ada dinding yang melapor", self.lang))
            self.banner.setStyleSheet(BANNER_WARN)
            return
        parts = []
        if silent:
            now = self.clock()
            names = ", ".join(f"{v.name} ({heard_ago(v.heartbeat, now, self.lang)})" for v in silent)
            parts.append(f"■ {tr('Dinding diam', self.lang)}: {names}")
        if bad:
            names = ", ".join(f"{h.name} — {self._trouble(h)}" for h in bad)
            parts.append(f"✕ {tr('Sumber bermasalah', self.lang)}: {names}")
        if parts:
            self.banner.setText("   ".join(parts))
            self.banner.setStyleSheet(BANNER_BAD if silent or any(h.state == "failing" for h in bad) else BANNER_WARN)
        else:
            self.banner.setText("● " + tr("Semua sumber dan dinding normal", self.lang))
            self.banner.setStyleSheet(BANNER_OK)

    def _trouble(self, h: Any) -> str:
        """"gagal, data 1 jam lalu": what fails, and how old the data on the wall are."""
        from commandcenter.ui.console.i18n import state_word

        words = state_word(h.state, self.lang)
        if h.last_success:
            words += f", {fmt.data_age(h.last_success, self.clock(), self.lang)}"
        return words

    def _update_counts(self) -> None:
        firing = [a for a in self.alert_rows if a.state == "firing"]
        parts = []
        for sev, label in (("critical", "Kritis"), ("warning", "Peringatan"), ("info", "Info")):
            n = sum(1 for a in firing if a.severity == sev)
            text, color = marked(sev, self.lang, f"{tr(label, self.lang)} {n}")
            parts.append(f"<span style='color:{color if n else '#5b6b82'}'><b>{text}</b></span>")
        self.counts.setText("  ".join(parts))
        self.tabs.setTabText(0, f"{tr('Peringatan', self.lang)} ({len(firing)})")

    # -- data (off the GUI thread) -----------------------------------------------------------------------
    def load_data(self) -> None:
        # one of each at a time: a poll, a change and an operator's action may ask together, and an
        # older result finishing last must not replace a newer one on screen
        self.worker.read(self._read_all, done=self._show_data, newest="health")
        if self.cfg.extra.get("apps") is not None:  # its own read: the health/alerts one stays as quick
            self.worker.read(self._read_apps, done=self.apps.set_rows, newest="apps")

    def _read_apps(self) -> list[Any]:
        from commandcenter.checks.status import board

        return board(self.cfg, self.cache, now=self.clock(), lang=self.lang)

    def _read_all(self) -> dict[str, Any]:
        from commandcenter.collector.health import source_health

        return {"health": source_health(self.cfg, self.cache, now=self.clock()),
                "alerts": self.cache.alerts(), "audit": self.cache.audit_log(limit=200)}

    def _show_data(self, data: dict[str, Any] | None) -> None:
        if data is None:
            return
        self.health_rows, self.alert_rows = data["health"], data["alerts"]
        self.health.set_rows(data["health"])
        self.alerts.set_rows(data["alerts"])
        self.log_view.add_audit([e for e in data["audit"] if e.action != "command"])
        self._update_counts()
        self._update_banner()
        self.data_loaded.emit()

    # -- operator actions ---------------------------------------------------------------------------------
    def refresh_source(self, source_id: str) -> None:
        self.worker.write(self.cache.audit, "refresh", {"source": source_id}, self.actor)
        self.walls.refresh_source(source_id)

    def check_app(self, app_id: str) -> None:
        """'Check now': a request through the cache, heard by the collector wherever it runs."""
        from commandcenter.ui.console.apps import request_check

        self.worker.write(self.cache.audit, "check_app", {"app": app_id}, self.actor)
        self.worker.write(request_check, self.cache, app_id, self.clock(), done=lambda _r: self.log_view.add_line(
            f"{'periksa sekarang' if self.lang != 'en' else 'check now'}: {app_id}"))

    def acknowledge(self, alert_ids: list[int] | int, note: str = "") -> None:
        ids = [alert_ids] if isinstance(alert_ids, int) else list(alert_ids)
        self.worker.write(self._ack_all, ids, note, done=lambda _r: self.load_data())

    def _ack_all(self, ids: list[int], note: str) -> int:
        done = [i for i in ids if self.cache.ack_alert(i, self.actor)]
        if done:
            detail = {"alerts": done, "count": len(done)} | ({"note": note} if note else {})
            self.cache.audit("acknowledge", detail, self.actor)
        return len(done)

    def set_note(self, opd: str, period: str, text: str) -> None:
        """An OPD's cause for the period, kept with time and author (audited by the cache)."""
        self.worker.write(self.cache.set_note, opd, period, text, self.actor, now=self.clock(),
                          done=lambda _r: (self.confirm(f"{tr('Catatan', self.lang)} {opd} {period}: {text}"),
                                           self.notes.text.clear(), self.load_data()))

    def replay(self, as_of: float) -> None:
        """Show what the wall showed at `as_of`, with the data known then. A moment that has not
        come is clamped to now, and the operator is told so."""
        now = self.clock()
        if as_of > now:
            as_of = now
            self.confirm(tr("Waktu di masa depan: diputar ulang per sekarang", self.lang), ok=False)

        def found(scene: str | None) -> None:
            if scene is None or (scene not in self.cfg.scene_by_id and ":" not in scene):
                self.confirm(tr("Tidak ada adegan pada saat itu", self.lang), ok=False)
                return
            self.walls.replay(as_of, scene)

        self.worker.read(scene_at, self.cache, as_of, done=found)

    def export(self, kind: str) -> str:
        """What the wall shows now (live or frozen) to PNG or PDF in the reports folder, named by
        the city's date and time; confirmed on screen. `exported` says when it is done."""
        from commandcenter.ui.export import export_handout, export_wall, output_folder, read_scene

        now = self.clock()
        stamp = fmt.to_zone(now, self.cfg.city.timezone).strftime("%Y-%m-%d_%H%M%S")
        path = str(output_folder(self.cfg) / f"dinding-{stamp}.{kind}")
        state = self.walls.state
        key = state.get("scene") or self.cfg.scenes[0].id
        as_of = state.get("frozen_at") if state.get("briefing") else None

        def saved(_result: Any = None) -> None:
            self.worker.write(self.cache.audit, "export", {"file": path, "scene": key, "as_of": as_of}, self.actor)
            self.confirm(f"{tr('Tersimpan', self.lang)}: {path}")
            self.exported.emit(path)

        def draw(data: Any) -> None:
            export_wall(self.cfg, self.cache, None, path, key, data, as_of, self.lang, now)
            saved()

        if kind == "pdf":  # the handout: read and drawn on the worker (no widgets)
            self.worker.read(export_handout, self.cfg, self.cache, [key], path, as_of, self.lang, now, done=saved)
        else:
            self.worker.read(read_scene, self.cfg, self.cache, key, as_of, self.lang, now, done=draw)
        return path

    def confirm(self, text: str, ok: bool = True) -> None:
        """A message the operator sees on screen (not only in the log)."""
        self.toast.setText(("✓ " if ok else "✕ ") + text)
        self.toast.setStyleSheet("" if ok else "background: #7f1d1d;")
        self.toast.show()
        self._toast_timer.start(TOAST_MS)
        self.log_view.add_line(f"{fmt.clock(self.clock(), self.cfg.city.timezone, self.cfg.city.zone_label, self.lang)} · {text}")
