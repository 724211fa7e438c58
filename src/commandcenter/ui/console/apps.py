"""Console tab "Aplikasi": every application with its state, last check, latency and reason, and
"check now" for the selected one (through the cache, so a collector in another process hears it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from commandcenter import fmt
from commandcenter import i18n as catalog
from commandcenter.checks.status import reason_with_detail
from commandcenter.ui.console.tables import _item, _table

COLORS = {"up": "#15803d", "degraded": "#b45309", "down": "#b91c1c", "maintenance": "#1d4ed8", "unknown": "#475569"}
WORDS = {"up": "Normal", "degraded": "Terganggu", "down": "Mati", "maintenance": "Pemeliharaan", "unknown": "Belum diketahui"}
def tr(text: str, lang: str) -> str:
    return catalog.tr(text, lang)  # the one catalog (resources/locale)


class AppsTable(QWidget):
    check_requested = Signal(str)

    def __init__(self, cfg: Any, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang = cfg, lang
        self.table = _table([tr(h, lang) for h in ("Aplikasi", "OPD", "Status", "Pemeriksaan terakhir", "Latensi",
                                                   "Alasan", "Alamat")])
        self.check_button = QPushButton(tr("Periksa sekarang", lang))
        self.check_button.clicked.connect(self._check)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addWidget(self.check_button, alignment=Qt.AlignmentFlag.AlignRight)

    def set_rows(self, rows: list[Any]) -> None:
        selected = self.selected()
        tz, zone = self.cfg.city.timezone, self.cfg.city.zone_label
        self.table.setRowCount(len(rows))
        for i, s in enumerate(rows):
            opd = self.cfg.opd_by_code.get(s.opd)
            when = fmt.datetime_short(s.last_check, tz, zone, self.lang) if s.last_check else "—"
            ms = f"{fmt.number(s.latency_ms, 0, self.lang)} ms" if s.latency_ms is not None else "—"
            cells = [_item(s.name, s.id), _item(opd.short if opd else s.opd),
                     _item(tr(WORDS.get(s.state, s.state), self.lang), color=COLORS.get(s.state)),
                     _item(when), _item(ms), _item(reason_with_detail(s.reason, s.detail)), _item(s.target)]
            for j, cell in enumerate(cells):
                self.table.setItem(i, j, cell)
            if s.id == selected:
                self.table.selectRow(i)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, app_id: str) -> None:
        for i in range(self.table.rowCount()):
            if self.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == app_id:
                self.table.selectRow(i)

    def _check(self) -> None:
        app_id = self.selected()
        if app_id:
            self.check_requested.emit(app_id)


def request_check(cache: Any, app_id: str, now: float) -> None:
    """Ask the collector (any process) to check an application at its next tick (collector/apps.py)."""
    from commandcenter.collector.apps import REQUESTS_KEY

    pending = dict(cache.get_state(REQUESTS_KEY, {}) or {})
    pending[app_id] = now
    cache.set_state(REQUESTS_KEY, pending)
