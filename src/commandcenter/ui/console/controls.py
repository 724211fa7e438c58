"""Console controls: the walls of the room, the chosen wall's monitors (thumbnails it reports),
the scene list, the playlist box and the briefing box. They read the walls' reported state and
send commands through RemoteWalls; nothing here touches a wall window."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import fmt
from commandcenter.cache.commands import EVERY_WALL
from commandcenter.ui.console.i18n import marked, tr
from commandcenter.ui.console.sentences import scene_title

THUMB_W = 220  # px; 16:9 thumbnails of each monitor of the chosen wall


def heard_ago(ts: float, now: float, lang: str = "id") -> str:
    """"12 detik lalu": a wall's silence is counted in seconds ("baru saja" would hide it)."""
    age = max(0, int(now - ts))
    if age < 120:
        return f"{age} detik lalu" if lang == "id" else f"{age} s ago"
    return fmt.relative(ts, now, lang)


def wall_word(view: Any, lang: str) -> tuple[str, str]:
    """The one state an operator reads first for a wall, with its shape and colour."""
    s = view.state
    if view.silent:
        return marked("silent", lang, tr("diam", lang))
    if s.get("blank"):
        return marked("blank", lang, tr("hitam", lang))
    if s.get("briefing"):
        return marked("frozen", lang, tr("beku", lang))
    if s.get("paused"):
        return marked("paused", lang, tr("dijeda", lang))
    return marked("live", lang, tr("hidup", lang))


class WallsBox(QGroupBox):
    """Every wall that reports: state, scene, screens and "last heard"; choose which one the
    buttons act on (or all of them)."""

    chosen = Signal(str)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Dinding", lang), parent)
        self.cfg, self.lang = cfg, lang
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr(h, lang) for h in ("Dinding", "Status", "Adegan", "Layar",
                                                                    "Terakhir terdengar")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(150)  # a room has a wall or three
        self.target = QComboBox()
        self.target.addItem(tr("Semua dinding", lang), EVERY_WALL)
        self.target.activated.connect(lambda _i: self.chosen.emit(self.target.currentData()))
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Kirim ke", lang) + ":"))
        row.addWidget(self.target, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(row)

    def set_walls(self, views: list[Any], now: float) -> None:
        self.table.setRowCount(len(views))
        for i, v in enumerate(views):
            word, color = wall_word(v, self.lang)
            s = v.state
            screens = f"{s.get('monitors', 0)}" + (f" (−{s['missing_monitors']})" if s.get("missing_monitors") else "")
            heard = heard_ago(v.heartbeat, now, self.lang) if v.heartbeat else tr("belum ada laporan", self.lang)
            cells = [QTableWidgetItem(v.name), QTableWidgetItem(word),
                     QTableWidgetItem(scene_title(self.cfg, s.get("scene"), self.lang)), QTableWidgetItem(screens),
                     QTableWidgetItem(heard)]
            cells[1].setForeground(QBrush(QColor(color)))
            if v.silent:
                cells[4].setForeground(QBrush(QColor("#ef4444")))
            for j, c in enumerate(cells):
                self.table.setItem(i, j, c)
        names = [v.name for v in views]
        have = [self.target.itemData(k) for k in range(1, self.target.count())]
        if names != have:
            current = self.target.currentData()
            while self.target.count() > 1:
                self.target.removeItem(1)
            for n in names:
                self.target.addItem(n, n)
            idx = self.target.findData(current)
            self.target.setCurrentIndex(max(0, idx))


class Thumbnails(QGroupBox):
    """What each monitor of the chosen wall shows, as the wall last reported it."""

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Layar dinding", lang), parent)
        self.labels: list[QLabel] = []
        grid = QGridLayout(self)
        cols = max(1, cfg.wall.columns)
        ratio = cfg.wall.monitor.height_px / cfg.wall.monitor.width_px
        for i in range(cfg.wall.columns * cfg.wall.rows):
            label = QLabel("—")
            label.setFixedSize(THUMB_W, round(THUMB_W * ratio))
            label.setStyleSheet("background: #0b1220; border: 1px solid #334155;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, i // cols, i % cols)
            self.labels.append(label)

    def set_images(self, images: dict[int, bytes]) -> None:
        for i, label in enumerate(self.labels):
            pix = QPixmap()
            if i in images and pix.loadFromData(images[i]):
                label.setPixmap(pix.scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
            else:
                label.setPixmap(QPixmap())
                label.setText("—")


class ScenesBox(QGroupBox):
    """Every scene; a click shows it on the wall; the wall's scene stays highlighted and in view."""

    chosen = Signal(str)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Adegan", lang), parent)
        self.list = QListWidget()
        self.list.setMinimumHeight(200)
        self.list.setMinimumWidth(300)
        self.list.setWordWrap(True)
        for s in cfg.scenes:
            item = QListWidgetItem(scene_title(cfg, s.id, lang))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setToolTip(s.id)
            self.list.addItem(item)
        self.list.itemClicked.connect(lambda it: self.chosen.emit(it.data(Qt.ItemDataRole.UserRole)))
        QVBoxLayout(self).addWidget(self.list)
        self.current: str | None = None

    def mark(self, scene_id: str | None) -> None:
        if scene_id == self.current:
            return
        self.current = scene_id
        for i in range(self.list.count()):
            item = self.list.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) == scene_id
            f = item.font()
            f.setBold(on)
            item.setFont(f)
            item.setText(("▶ " if on else "") + item.text().removeprefix("▶ "))
            if on:
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item)


class PlaylistBox(QGroupBox):
    """Play/pause, previous/next, pin a playlist, and each item's dwell time."""

    def __init__(self, cfg: Any, walls: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Daftar putar", lang), parent)
        self.cfg, self.walls, self.lang = cfg, walls, lang
        self.prev_button = QPushButton("◀ " + tr("Sebelumnya", lang))
        self.play_button = QPushButton("■ " + tr("Jeda", lang))
        self.next_button = QPushButton(tr("Berikutnya", lang) + " ▶")
        self.prev_button.clicked.connect(walls.previous)
        self.next_button.clicked.connect(walls.next)
        self.play_button.clicked.connect(self._play_pause)
        self.playlists = QComboBox()
        for p in cfg.playlists.playlists:
            self.playlists.addItem(p.title or p.id, p.id)
        self.pin_button = QPushButton(tr("Sematkan", lang))
        self.release_button = QPushButton(tr("Lepas sematan", lang))
        self.pin_button.clicked.connect(lambda: walls.override(playlist_id=self.playlists.currentData()))
        self.release_button.clicked.connect(walls.release)
        self.items = QTableWidget(0, 2)
        self.items.setHorizontalHeaderLabels([tr("Adegan", lang), tr("Durasi", lang) + " (s)"])
        self.items.verticalHeader().setVisible(False)
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.setColumnWidth(0, 240)
        self._for: tuple[Any, ...] | None = None
        lay = QVBoxLayout(self)
        steps = QHBoxLayout()
        for b in (self.prev_button, self.play_button, self.next_button):
            steps.addWidget(b)
        lay.addLayout(steps)
        pin = QHBoxLayout()
        pin.addWidget(self.playlists, 1)
        pin.addWidget(self.pin_button)
        pin.addWidget(self.release_button)
        lay.addLayout(pin)
        lay.addWidget(self.items)

    def _play_pause(self) -> None:
        if self.walls.state.get("paused"):
            self.walls.play()
        else:
            self.walls.pause()

    def update_from(self, state: dict[str, Any]) -> None:
        paused = bool(state.get("paused"))
        self.play_button.setText(("▶ " + tr("Putar", self.lang)) if paused else ("■ " + tr("Jeda", self.lang)))
        items = [tuple(i) for i in state.get("items") or []]
        key = (state.get("playlist"), tuple(items))
        if key != self._for:
            self._for = key
            self.items.setRowCount(len(items))
            for i, (scene, dwell) in enumerate(items):
                self.items.setItem(i, 0, QTableWidgetItem(scene_title(self.cfg, scene, self.lang)))
                spin = QSpinBox()
                spin.setRange(5, 3600)
                spin.setValue(int(dwell))
                spin.editingFinished.connect(lambda k=i, s=spin: self.walls.set_dwell(k, s.value()))
                self.items.setCellWidget(i, 1, spin)
        if items:
            self.items.selectRow(int(state.get("index", 0)))
        idx = self.playlists.findData(state.get("playlist"))
        if idx >= 0 and not self.playlists.view().isVisible():
            self.playlists.setCurrentIndex(idx)


class BriefingBox(QGroupBox):
    """Freeze, spotlight any OPD or a panel, blank, replay a past moment, export; it says when the
    wall is frozen or blank."""

    export_requested = Signal(str)  # "png" | "pdf"

    def __init__(self, cfg: Any, walls: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Mode briefing", lang), parent)
        self.cfg, self.walls, self.lang = cfg, walls, lang
        self.mode = QLabel()
        self.mode.setTextFormat(Qt.TextFormat.RichText)
        self.freeze_button = QPushButton()
        self.freeze_button.clicked.connect(self._toggle)
        self.refreeze_button = QPushButton(tr("Bekukan ulang", lang))
        self.refreeze_button.clicked.connect(walls.refreeze)
        self.opds = QComboBox()
        for o in cfg.opds:  # every OPD: one without a hand-made scene gets a generated one
            self.opds.addItem(o.short or o.name, o.code)
        self.spot_opd_button = QPushButton(tr("Sorot OPD", lang))
        self.spot_opd_button.clicked.connect(lambda: walls.spotlight_opd(self.opds.currentData()))
        self.panels = QComboBox()
        self.spot_panel_button = QPushButton(tr("Sorot panel", lang))
        self.spot_panel_button.clicked.connect(self._spot_panel)
        self.leave_button = QPushButton(tr("Tutup sorotan", lang))
        self.leave_button.clicked.connect(walls.leave_spotlight)
        self.blank_button = QPushButton(tr("Layar hitam", lang) + " (B)")
        self.blank_button.clicked.connect(walls.toggle_blank)
        self.replay_at = QDateTimeEdit()
        self.replay_at.setTimeZone(QTimeZone(cfg.city.timezone.encode()))
        self.replay_at.setDisplayFormat("dd/MM/yyyy HH.mm")
        self.replay_at.setDateTime(QDateTime.fromSecsSinceEpoch(int(time.time()), QTimeZone(cfg.city.timezone.encode())))
        self.replay_button = QPushButton(tr("Putar ulang", lang))
        self.png_button = QPushButton(tr("Ekspor PNG", lang))
        self.pdf_button = QPushButton(tr("Ekspor PDF", lang))
        self.png_button.clicked.connect(lambda: self.export_requested.emit("png"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        self._scene_for_panels: str | None = None
        lay = QGridLayout(self)
        lay.addWidget(self.mode, 0, 0, 1, 3)
        lay.addWidget(self.freeze_button, 1, 0, 1, 2)
        lay.addWidget(self.refreeze_button, 1, 2)
        lay.addWidget(self.opds, 2, 0, 1, 2)
        lay.addWidget(self.spot_opd_button, 2, 2)
        lay.addWidget(self.panels, 3, 0, 1, 2)
        lay.addWidget(self.spot_panel_button, 3, 2)
        lay.addWidget(self.leave_button, 4, 0)
        lay.addWidget(self.blank_button, 4, 1, 1, 2)
        lay.addWidget(self.replay_at, 5, 0, 1, 2)
        lay.addWidget(self.replay_button, 5, 2)
        lay.addWidget(self.png_button, 6, 0)
        lay.addWidget(self.pdf_button, 6, 1, 1, 2)
        lay.setRowStretch(7, 1)
        self.update_from({})

    def _toggle(self) -> None:
        if self.walls.state.get("briefing"):
            self.walls.stop_briefing()
        else:
            self.walls.start_briefing()

    def _fill_panels(self, key: str | None) -> None:
        scene = self.cfg.scene_by_id.get(key) if key else None
        if scene is None or key == self._scene_for_panels or ":" in key:
            return
        self._scene_for_panels = key
        self.panels.clear()
        for p in scene.panels:
            self.panels.addItem(f"{p.title or p.metric or p.id}", (scene.id, p.id))

    def _spot_panel(self) -> None:
        data = self.panels.currentData()
        if data:
            self.walls.spotlight_panel(*data)

    def update_from(self, state: dict[str, Any]) -> None:
        active, blank = bool(state.get("briefing")), bool(state.get("blank"))
        self._fill_panels(state.get("scene"))
        self.freeze_button.setText(tr("Akhiri briefing (live)", self.lang) if active else tr("Mulai briefing (bekukan)", self.lang))
        self.refreeze_button.setEnabled(active)
        self.leave_button.setEnabled(bool(state.get("spotlight")) or blank)
        parts = []
        if active and state.get("frozen_at"):
            when = fmt.datetime_short(state["frozen_at"], self.cfg.city.timezone, self.cfg.city.zone_label, self.lang)
            parts.append(f"<span style='color:#38bdf8'><b>❄ {tr('DIBEKUKAN', self.lang)}</b> · "
                         f"{tr('data per', self.lang)} {when}</span>")
        if blank:
            parts.append(f"<span style='color:#e2e8f0'><b>■ {tr('Layar hitam', self.lang).upper()}</b></span>")
        if state.get("spotlight"):
            parts.append(f"<span style='color:#fbbf24'>◎ {tr('Sorotan', self.lang)}</span>")
        if not parts:
            parts.append(f"<span style='color:#22c55e'><b>● {tr('LIVE', self.lang)}</b></span>")
        self.mode.setText(" · ".join(parts))
