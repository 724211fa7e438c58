"""Console controls: live thumbnails of the wall screens, the scene list, the playlist box and
the briefing box. They only call the RotationDriver; the driver talks to the wall."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox, QDateTimeEdit, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from commandcenter.ui.console_i18n import tr

THUMB_W = 288  # px; 16:9 thumbnails of each wall screen


class Thumbnails(QGroupBox):
    """What every wall screen shows now, refreshed every few seconds and after a scene change."""

    def __init__(self, cfg: Any, windows: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Layar dinding", lang), parent)
        self.windows = windows  # callable -> list of wall windows
        self.labels: list[QLabel] = []
        grid = QGridLayout(self)
        cols = max(1, cfg.wall.columns)
        ratio = cfg.wall.monitor.height_px / cfg.wall.monitor.width_px
        for i in range(cfg.wall.columns * cfg.wall.rows):
            label = QLabel()
            label.setFixedSize(THUMB_W, round(THUMB_W * ratio))
            label.setStyleSheet("background: #0b1220; border: 1px solid #334155;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(label, i // cols, i % cols)
            self.labels.append(label)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(3000)

    def refresh(self) -> None:
        wins = list(self.windows())
        for i, label in enumerate(self.labels):
            if i < len(wins) and wins[i].isVisible():
                pix = wins[i].grab().scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)
                label.setPixmap(pix)
            else:
                label.setPixmap(QPixmap())
                label.setText("—")

    def refresh_soon(self) -> None:
        QTimer.singleShot(250, self.refresh)  # let the wall paint the new scene first


class ScenesBox(QGroupBox):
    """Every scene; a click shows it on the wall."""

    chosen = Signal(str)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Adegan", lang), parent)
        self.list = QListWidget()
        for s in cfg.scenes:
            title = s.title_en if lang == "en" and s.title_en else s.title
            item = QListWidgetItem(f"{title}  ({s.id})")
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.list.addItem(item)
        self.list.itemClicked.connect(lambda it: self.chosen.emit(it.data(Qt.ItemDataRole.UserRole)))
        QVBoxLayout(self).addWidget(self.list)

    def mark(self, scene_id: str) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            bold = item.data(Qt.ItemDataRole.UserRole) == scene_id
            f = item.font()
            f.setBold(bold)
            item.setFont(f)


class PlaylistBox(QGroupBox):
    """Play/pause, previous/next, pin a playlist, and each item's dwell time."""

    def __init__(self, cfg: Any, driver: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Daftar putar", lang), parent)
        self.cfg, self.driver, self.lang = cfg, driver, lang
        self.prev_button = QPushButton("◀ " + tr("Sebelumnya", lang))
        self.play_button = QPushButton()
        self.next_button = QPushButton(tr("Berikutnya", lang) + " ▶")
        self.prev_button.clicked.connect(driver.previous)
        self.next_button.clicked.connect(driver.next)
        self.play_button.clicked.connect(self._play_pause)
        self.playlists = QComboBox()
        for p in cfg.playlists.playlists:
            self.playlists.addItem(p.title or p.id, p.id)
        self.pin_button = QPushButton(tr("Sematkan", lang))
        self.release_button = QPushButton(tr("Lepas sematan", lang))
        self.pin_button.clicked.connect(lambda: driver.override(playlist_id=self.playlists.currentData()))
        self.release_button.clicked.connect(driver.release)
        self.items = QTableWidget(0, 2)
        self.items.setHorizontalHeaderLabels([tr("Adegan", lang), tr("Durasi", lang) + " (s)"])
        self.items.verticalHeader().setVisible(False)
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.setColumnWidth(0, 220)
        self._build_layout()
        driver.decided.connect(self.update_from)

    def _build_layout(self) -> None:
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
        if self.driver.rotation.paused:
            self.driver.play()
        else:
            self.driver.pause()

    def update_from(self, decision: Any) -> None:
        rot = self.driver.rotation
        self.play_button.setText(("▶ " + tr("Putar", self.lang)) if rot.paused else ("■ " + tr("Jeda", self.lang)))
        items = rot.playlist_items()
        rebuild = self.items.rowCount() != len(items) or getattr(self, "_for", None) != decision.playlist_id
        self._for = decision.playlist_id
        if rebuild:
            self.items.setRowCount(len(items))
            for i, (scene, dwell) in enumerate(items):
                self.items.setItem(i, 0, QTableWidgetItem(scene))
                spin = QSpinBox()
                spin.setRange(5, 3600)
                spin.setValue(int(dwell))
                spin.valueChanged.connect(lambda v, k=i: self.driver.set_dwell(k, v))
                self.items.setCellWidget(i, 1, spin)
        self.items.selectRow(decision.index)
        idx = self.playlists.findData(decision.playlist_id)
        if idx >= 0 and not self.playlists.view().isVisible():
            self.playlists.setCurrentIndex(idx)


class BriefingBox(QGroupBox):
    """Freeze, spotlight an OPD or a panel, blank, replay a past moment, export."""

    export_requested = Signal(str)  # "png" | "pdf"

    def __init__(self, cfg: Any, driver: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(tr("Mode briefing", lang), parent)
        self.cfg, self.driver, self.lang = cfg, driver, lang
        self.freeze_button = QPushButton()
        self.freeze_button.clicked.connect(self._toggle)
        self.refreeze_button = QPushButton(tr("Bekukan ulang", lang))
        self.refreeze_button.clicked.connect(driver.refreeze)
        self.opds = QComboBox()
        for s in cfg.scenes:
            if s.opd:
                opd = cfg.opd_by_code.get(s.opd)
                self.opds.addItem((opd.short or opd.name) if opd else s.opd, s.opd)
        self.spot_opd_button = QPushButton(tr("Sorot OPD", lang))
        self.spot_opd_button.clicked.connect(lambda: driver.spotlight_opd(self.opds.currentData()))
        self.panels = QComboBox()
        self.spot_panel_button = QPushButton(tr("Sorot panel", lang))
        self.spot_panel_button.clicked.connect(self._spot_panel)
        self.leave_button = QPushButton(tr("Tutup sorotan", lang))
        self.leave_button.clicked.connect(driver.leave_spotlight)
        self.blank_button = QPushButton(tr("Layar hitam", lang) + " (B)")
        self.blank_button.clicked.connect(driver.toggle_blank)
        self.replay_at = QDateTimeEdit()
        self.replay_at.setTimeZone(QTimeZone(cfg.city.timezone.encode()))
        self.replay_at.setDisplayFormat("dd/MM/yyyy HH.mm")
        self.replay_at.setDateTime(QDateTime.currentDateTime())
        self.replay_button = QPushButton(tr("Putar ulang", lang))
        self.png_button = QPushButton(tr("Ekspor PNG", lang))
        self.pdf_button = QPushButton(tr("Ekspor PDF", lang))
        self.png_button.clicked.connect(lambda: self.export_requested.emit("png"))
        self.pdf_button.clicked.connect(lambda: self.export_requested.emit("pdf"))
        self._build_layout()
        driver.mode_changed.connect(self.update_mode)
        driver.scene_changed.connect(self._fill_panels)
        self.update_mode()

    def _build_layout(self) -> None:
        lay = QGridLayout(self)
        lay.addWidget(self.freeze_button, 0, 0, 1, 2)
        lay.addWidget(self.refreeze_button, 0, 2)
        lay.addWidget(self.opds, 1, 0, 1, 2)
        lay.addWidget(self.spot_opd_button, 1, 2)
        lay.addWidget(self.panels, 2, 0, 1, 2)
        lay.addWidget(self.spot_panel_button, 2, 2)
        lay.addWidget(self.leave_button, 3, 0)
        lay.addWidget(self.blank_button, 3, 1, 1, 2)
        lay.addWidget(self.replay_at, 4, 0, 1, 2)
        lay.addWidget(self.replay_button, 4, 2)
        lay.addWidget(self.png_button, 5, 0)
        lay.addWidget(self.pdf_button, 5, 1, 1, 2)

    def _toggle(self) -> None:
        if self.driver.briefing.active:
            self.driver.stop_briefing()
        else:
            self.driver.start_briefing()

    def _fill_panels(self, key: str) -> None:
        scene = self.cfg.scene_by_id.get(key)
        if scene is None or key.startswith("spotlight:"):
            return
        self.panels.clear()
        for p in scene.panels:
            self.panels.addItem(f"{p.title or p.metric or p.id}", (scene.id, p.id))

    def _spot_panel(self) -> None:
        data = self.panels.currentData()
        if data:
            self.driver.spotlight_panel(*data)

    def update_mode(self) -> None:
        b = self.driver.briefing
        self.freeze_button.setText(tr("Akhiri briefing (live)", self.lang) if b.active else tr("Mulai briefing (bekukan)", self.lang))
        self.refreeze_button.setEnabled(b.active)
        self.leave_button.setEnabled(b.spotlight is not None or b.blank)
