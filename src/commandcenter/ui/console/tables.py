"""Console tables: source health (with "refresh now"), alerts (with acknowledge), the log view."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from commandcenter import fmt
from commandcenter.ui.console.i18n import marked, tr
from commandcenter.ui.console.sentences import sentence


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
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # long names elide; the state stays in view
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
            word, color = marked(h.state, self.lang)
            cells = [_item(h.name, h.source), _item(word, color=color), _item(when), error_item, _item(nxt)]
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
    """Open alerts, worst first; acknowledge the selected ones (several at once) or all, with an
    optional note. The selection stays on the same alerts when the list refreshes."""

    ack_requested = Signal(list, str)  # alert ids, note

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang = cfg, lang
        self.table = _table([tr(h, lang) for h in ("Tingkat", "Status", "Pesan", "Sejak")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the message is what matters
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("Catatan (opsional)", lang))
        self.ack_button = QPushButton("✓ " + tr("Akui terpilih", lang))
        self.ack_all_button = QPushButton("✓✓ " + tr("Akui semua", lang))
        self.ack_button.clicked.connect(lambda: self._ack(self.selected_ids()))
        self.ack_all_button.clicked.connect(lambda: self._ack(self.firing_ids()))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addWidget(self.note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.ack_button)
        row.addWidget(self.ack_all_button)
        lay.addLayout(row)

    def set_rows(self, alerts: list[Any]) -> None:
        order = {"critical": 0, "warning": 1, "info": 2}
        alerts = sorted(alerts, key=lambda a: (a.state != "firing", order.get(a.severity, 3), -a.fired_at))
        keep = set(self.selected_ids())
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        self.table.setRowCount(len(alerts))
        self.table.clearSelection()
        for i, a in enumerate(alerts):
            sev, sev_color = marked(a.severity, self.lang)
            st, st_color = marked(a.state, self.lang)
            cells = [_item(sev, a.id, sev_color), _item(st, a.state, st_color),
                     _item(a.message), _item(fmt.datetime_short(a.fired_at, tz, zone, self.lang))]
            for j, cell in enumerate(cells):
                self.table.setItem(i, j, cell)
            if a.id in keep:
                self._select_row(i)

    def _select_row(self, row: int) -> None:
        from PySide6.QtCore import QItemSelectionModel

        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(self.table.model().index(row, 0), flags)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()}) if self.table.selectionModel() else []
        return [int(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows if self.table.item(r, 0)]

    def firing_ids(self) -> list[int]:
        return [int(self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)) for r in range(self.table.rowCount())
                if self.table.item(r, 1).data(Qt.ItemDataRole.UserRole) == "firing"]

    def selected(self) -> int | None:
        ids = self.selected_ids()
        return ids[0] if ids else None

    def select(self, alert_id: int) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == alert_id:
                self._select_row(i)

    def _ack(self, ids: list[int]) -> None:
        if ids:
            self.ack_requested.emit(ids, self.note.text().strip())
            self.note.clear()


class _LogBridge(QObject):
    line = Signal(str)


class LogHandler(logging.Handler):
    """Warnings of this process into the console's log view, in the city's time, from any thread
    (by a queued signal)."""

    def __init__(self, cfg: Any = None, lang: str = "id") -> None:
        super().__init__(logging.WARNING)
        self.cfg, self.lang = cfg, lang
        self.bridge = _LogBridge()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            when = fmt.clock(record.created, self.cfg.city.timezone, self.cfg.city.zone_label, self.lang) \
                if self.cfg is not None else ""
            self.bridge.line.emit(f"{when} · ! {record.getMessage()}")
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
        for e in sorted(entries, key=lambda e: e.id):
            if e.id > self._seen_audit:
                self._seen_audit = e.id
                self.appendPlainText(sentence(e, self.cfg, self.lang))

    def add_line(self, text: str) -> None:
        self.appendPlainText(text)


_ = Callable
