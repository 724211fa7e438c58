"""UI language for the wall: Bahasa Indonesia is the source text; other languages come from the
one gettext catalog (commandcenter.i18n), installed as a QTranslator so widgets keep calling
`tr("Terakhir diperbarui")` through QCoreApplication.translate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTranslator

from commandcenter import i18n as catalog

CONTEXT = "wall"

STATE_LABELS = {"ok": "OK", "late": "Terlambat", "stale": "Kedaluwarsa", "failing": "Gagal",
                "never-run": "Belum pernah berjalan"}


class CatalogTranslator(QTranslator):
    """Qt's translator interface over the gettext catalog ("" = not translated: Qt keeps the source)."""

    def __init__(self, lang: str, parent=None) -> None:
        super().__init__(parent)
        self._lang = lang

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        text = catalog.tr(source, self._lang)
        return "" if text is source else text

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
    if lang != "id" and app is not None:
        _installed = CatalogTranslator(lang, app)
        app.installTranslator(_installed)


def language() -> str:
    return _lang


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Draw in `lang` for a while (an export in another language than the wall's), then back."""
    before = _lang
    if lang != before:
        install(lang)
    try:
        yield
    finally:
        if lang != before:
            install(before)


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)
