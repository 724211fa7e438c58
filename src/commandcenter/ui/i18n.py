"""UI language: Bahasa Indonesia is the source text; English comes from a small dict translator.

Widgets call `tr("Terakhir diperbarui")`, which goes through QCoreApplication.translate, so a
compiled .qm translator installed later would work the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

CONTEXT = "wall"

EN = {
    "Data per": "Data as of",
    "sumber OK": "sources OK",
    "DATA SIMULASI": "SIMULATED DATA",
    "Data kedaluwarsa": "Stale data",
    "Sumber tidak tersedia": "Source down",
    "Sumber terlambat": "Source late",
    "Belum pernah berjalan": "Never run",
    "Tidak ada data": "No data",
    "Target": "Target",
    "Capaian": "Achievement",
    "Realisasi": "Realisation",
    "Realisasi fisik": "Physical",
    "Realisasi keuangan": "Financial",
    "Fisik": "Physical",
    "Keuangan": "Financial",
    "Deviasi": "Deviation",
    "vs periode lalu": "vs previous period",
    "Sumber": "Source",
    "Status": "Status",
    "Sukses terakhir": "Last success",
    "Galat terakhir": "Last error",
    "Kegagalan": "Failures",
    "monitor tidak terdeteksi": "monitor(s) missing",
    "DIBEKUKAN": "FROZEN",
    "Memuat data…": "Loading data…",
    "OPD terendah di atas": "Lowest OPDs first",
    "Periode": "Period",
    "terbawah di atas": "worst first",
    "Peringkat": "Rank",
    "dari": "of",
    "Skor": "Score",
    "Catatan": "Note",
    "sumber": "source",
    "Semua KPI sesuai target": "All KPIs on target",
    "Belum terserap": "Unspent",
    "dari pagu": "of a budget of",
    "Rentang sehat": "Healthy range",
    "Skor": "Score",
    "Peringatan": "Warning",
    "Kritis": "Critical",
    "Baik": "Good",
    "Pengumuman": "Announcement",
    "belum ada": "never",
    "Rencana": "Plan",
    "Terlambat": "Late",
    "Kedaluwarsa": "Stale",
    "Gagal": "Failing",
    "OK": "OK",
}
STATE_LABELS = {"ok": "OK", "late": "Terlambat", "stale": "Kedaluwarsa", "failing": "Gagal",
                "never-run": "Belum pernah berjalan"}


class DictTranslator(QTranslator):
    def __init__(self, table: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self._table = table

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return self._table.get(source, "")

    def isEmpty(self) -> bool:
        return False


_installed: DictTranslator | None = None
_lang = "id"


def install(lang: str) -> None:
    """Switch the UI language (id: the source text; en: the dict translator)."""
    global _installed, _lang
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    _lang = lang
    if lang == "en" and app is not None:
        _installed = DictTranslator(EN, app)
        app.installTranslator(_installed)


def language() -> str:
    return _lang


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
