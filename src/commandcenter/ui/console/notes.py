"""The console's "Catatan OPD" box: an operator types why an OPD is behind this period
("lelang ulang paket jalan"); the note is kept in the cache with its time and author (audited) and
shows in the OPD's spotlight, its detail scene and the handout."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPushButton, QWidget

from commandcenter.cache.notes import MAX_NOTE
from commandcenter.ui.console.i18n import tr


class NotesBox(QWidget):
    note_entered = Signal(str, str, str)  # opd, period, text

    def __init__(self, cfg: Any, period: str, lang: str = "id", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opd = QComboBox()
        for o in cfg.opds:
            if o.valid_to is None:
                self.opd.addItem(f"{o.short or o.name}", o.code)
        self.period = QLineEdit(period)
        self.period.setPlaceholderText("2026-11")
        self.text = QLineEdit()
        self.text.setMaxLength(MAX_NOTE)
        self.text.setPlaceholderText(tr("mis. lelang ulang paket jalan", lang))
        self.save = QPushButton(tr("Simpan catatan", lang))
        form = QFormLayout(self)
        form.addRow(tr("OPD", lang), self.opd)
        form.addRow(tr("Periode", lang), self.period)
        form.addRow(tr("Catatan", lang), self.text)
        form.addRow("", self.save)
        self.save.clicked.connect(self._entered)
        self.text.returnPressed.connect(self._entered)

    def _entered(self) -> None:
        self.note_entered.emit(self.opd.currentData(), self.period.text().strip(), self.text.text())
