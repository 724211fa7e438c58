"""Console tables: source health (with "refresh now"), alerts (with acknowledge), the log view."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from commandcenter import fmt
from commandcenter.ui.console_i18n import state_word, tr

STATE_COLORS = {"ok": "#15803d", "late": "#b45309", "stale": "#c2410c", "failing": "#b91c1c",
                "never-run": "#475569", "critical": "#b91c1c", "warning": "#b45309", "info": "#1d4ed8"}


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _item(text: str, key: Any = None, color: str | None = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    if key is not None:
        it.setData(Qt.ItemDataRole.UserRole, key)
    if color:
        it.setForeground(QBrush(QColor(color)))
    return it


class HealthTable(QWidget):
    """Per source: state, last success, last error, next run; "refresh now" on the selected one."""

    refresh_requested = Signal(str)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang = cfg, lang
        self.table = _table([tr(h, lang) for h in ("Sumber", "Status", "Sukses terakhir", "Galat terakhir",
                                                   "Jalan berikutnya")])
        self.refresh_button = QPushButton(tr("Segarkan sekarang", lang))
        self.refresh_button.clicked.connect(self._refresh)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addWidget(self.refresh_button, alignment=Qt.AlignmentFlag.AlignRight)

    def set_rows(self, rows: list[Any]) -> None:
        selected = self.selected()
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        self.table.setRowCount(len(rows))
        for i, h in enumerate(rows):
            when = fmt.datetime_short(h.last_success, tz, zone, self.lang) if h.last_success else "—"
            nxt = fmt.clock(h.next_run, tz, zone, self.lang) if h.next_run else "—"
            rejected = getattr(h, "rejected", ())
            error = h.last_error or (f"{len(rejected)} {tr('ditolak', self.lang)}: {rejected[0]}" if rejected else "")
            error_item = _item(error)
            if rejected:  # every reason, one per line, on hover (not "(+6 more)")
                error_item.setToolTip("\n".join(rejected))
            cells = [_item(h.name, h.source), _item(state_word(h.state, self.lang), color=STATE_COLORS.get(h.state)),
                     _item(when), error_item, _item(nxt)]
            for j, cell in enumerate(cells):
                self.table.setItem(i, j, cell)
            if h.source == selected:
                self.table.selectRow(i)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, source_id: str) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == source_id:
                self.table.selectRow(i)

    def _refresh(self) -> None:
        source = self.selected()
        if source:
            self.refresh_requested.emit(source)


class AlertTable(QWidget):
    """Open alerts, worst first; "acknowledge" on the selected one."""

    ack_requested = Signal(int)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang = cfg, lang
        self.table = _table([tr(h, lang) for h in ("Tingkat", "Status", "Pesan", "Sejak")])
        self.ack_button = QPushButton(tr("Akui", lang))
        self.ack_button.clicked.connect(self._ack)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ack_button)
        lay.addLayout(row)

    def set_rows(self, alerts: list[Any]) -> None:
        order = {"critical": 0, "warning": 1, "info": 2}
        alerts = sorted(alerts, key=lambda a: (a.state != "firing", order.get(a.severity, 3), -a.fired_at))
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        self.table.setRowCount(len(alerts))
        for i, a in enumerate(alerts):
            cells = [_item(a.severity, a.id, STATE_COLORS.get(a.severity)), _item(state_word(a.state, self.lang)),
                     _item(a.message), _item(fmt.datetime_short(a.fired_at, tz, zone, self.lang))]
            for j, cell in enumerate(cells):
                self.table.setItem(i, j, cell)

    def selected(self) -> int | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, alert_id: int) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == alert_id:
                self.table.selectRow(i)

    def _ack(self) -> None:
        alert = self.selected()
        if alert is not None:
            self.ack_requested.emit(int(alert))


class _LogBridge(QObject):
    line = Signal(str)


class LogHandler(logging.Handler):
    """Python log records into the console's log view, from any thread (by a queued signal)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.bridge = _LogBridge()
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.bridge.line.emit(self.format(record))
        except RuntimeError:  # the view is gone (shutdown)
            pass


class LogView(QPlainTextEdit):
    """The audit log (operator actions, newest last) and the app's log lines."""

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang = cfg, lang
        self.setReadOnly(True)
        self.setMaximumBlockCount(2000)
        self._seen_audit = 0

    def add_audit(self, entries: list[Any]) -> None:
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        for e in sorted(entries, key=lambda e: e.id):
            if e.id > self._seen_audit:
                self._seen_audit = e.id
                detail = ", ".join(f"{k}={v}" for k, v in e.detail.items() if v not in (None, ""))
                self.appendPlainText(f"{fmt.clock(e.ts, tz, zone, self.lang)} [{e.actor}] {e.action} {detail}".rstrip())

    def add_line(self, text: str) -> None:
        self.appendPlainText(text)


_ = Callable
