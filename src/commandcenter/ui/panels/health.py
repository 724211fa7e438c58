"""Source health: one row per source with its state (colour + shape + word), last success and
last error, so an operator sees at a glance which department application is down."""

from __future__ import annotations

import re

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from commandcenter.ui import theme
from commandcenter.ui.i18n import STATE_LABELS, tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

ICON = {"ok": "ok", "late": "warning", "stale": "warning", "failing": "critical", "never-run": "no-data"}


@register("health")
class HealthPanel(Panel):
    time_dependent = True  # "last success" is relative to now: repaint on every refresh
    cache_paint = False

    def update_texts(self) -> None:
        self.shown = {"title": self.title()}
        for row in self.model.rows:
            self.shown[row.source] = tr(STATE_LABELS.get(row.state, row.state))

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        rows = self.model.rows
        if not rows:
            self.paint_message(p, tr("Tidak ada data"))
            return
        n = len(rows) + 1
        row_h = min(r.height() / n, self.px(76))
        wide = r.width() > self.px(1500)
        fs = max(theme.SMALL, min(theme.BODY, row_h / self.ctx.scale * 0.55))
        f, fb, fh = self.font(fs, condensed=True), self.font(fs, bold=True), self.font(theme.SMALL, bold=True)
        heads = [tr("Sumber"), tr("Status"), tr("Sukses terakhir")] + ([tr("Galat terakhir")] if wide else [])
        lines = []
        for row in rows:
            cells = [row.name + (f" · {row.opd}" if row.opd and wide else ""),
                     tr(STATE_LABELS.get(row.state, row.state)),
                     self.fmt_relative(row.last_success, getattr(self.model, "frozen_at", None))]
            lines.append(cells + ([row.last_error or ""] if wide else []))
        cols = self._columns(r.width(), wide, heads, lines, f, fb, fh, row_h)
        self._line(p, "head", QRectF(r.left(), r.top(), r.width(), row_h), cols, heads, fh, theme.MUTED)
        for i, (row, cells) in enumerate(zip(rows, lines)):
            band = QRectF(r.left(), r.top() + (i + 1) * row_h, r.width(), row_h)
            if i % 2 == 0:
                p.fillRect(band, theme.CARD_EDGE.darker(130))
            icon = band.height() * 0.42
            theme.draw_status_icon(p, QPointF(band.left() + cols[1][0] + icon / 2 + self.px(8), band.center().y()),
                                   icon, ICON.get(row.state, "no-data"))
            self._line(p, row.source, band, cols, cells, f, theme.TEXT, bold=fb, state=row.state)

    def _columns(self, width: float, wide: bool, heads, lines, f, fb, fh, row_h) -> list[tuple[float, float]]:
        """Status and "last success" as wide as their longest text; the source's name the rest
        (names are the long texts: "Realisasi anggaran (ekspor SIPD, ...)"), on a wide card as wide
        as its longest name and the last error the rest."""
        pad = self.px(16)
        status = max(theme.text_width(c[1], fb) for c in lines) + row_h * 0.42 + self.px(28)
        last = max(theme.text_width(c[2], f) for c in lines) + pad
        status = max(status, theme.text_width(heads[1], fh) + row_h * 0.42 + self.px(28))
        last = max(last, theme.text_width(heads[2], fh) + pad)
        name = max(width * 0.3, width - status - last)
        widths = [name, status, last]
        if wide:
            name = min(width - status - last - width * 0.24, max(theme.text_width(c[0], f) for c in lines) + pad * 2)
            widths = [name, status, last, width - name - status - last]
        out, x = [], 0.0
        for w in widths:
            out.append((x, w))
            x += w
        return out

    def _line(self, p, key: str, band, cols, cells, f, color, bold=None, state="") -> None:
        for c, text in enumerate(cells):
            x, w = cols[c]
            left = band.left() + x + (band.height() * 0.42 + self.px(20) if c == 1 else self.px(8))
            font = bold if bold is not None and c == 1 else f
            text, font = _fit(text, font, band.left() + x + w - left - self.px(8))
            # the rect of the text itself, slid off a monitor seam: a column's whole width would
            # cross a seam on a card spanning monitors and slide the text out of its place
            r = self.avoid_seams(QRectF(left, band.top(), theme.text_width(text, font) + 1, band.height()))
            p.setFont(font)
            p.setPen(theme.FRESHNESS.get(state, color) if c == 1 and state else (theme.MUTED if c == 3 else color))
            self.draw_text(p, f"{key}/{c}", r, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)


def _fit(text: str, f: QFont, width: float) -> tuple[str, QFont]:
    """Whole if it fits; else without its parenthetical ("Realisasi anggaran (ekspor SIPD)" ->
    "Realisasi anggaran"), which is a detail; then a little smaller; cut only when even that is
    too long."""
    forms = [text] + [short for short in [re.sub(r"\s*\([^)]*\)", "", text).strip()] if short and short != text]
    for scale in (1.0, 0.92, 0.85):
        font = f
        if scale < 1.0:
            font = QFont(f)
            if f.pixelSize() > 0:  # the wall's fonts are sized in pixels
                font.setPixelSize(max(1, round(f.pixelSize() * scale)))
            else:
                font.setPointSizeF(f.pointSizeF() * scale)
        for form in forms:
            if theme.text_width(form, font) <= width:
                return form, font
    return theme.elide(forms[-1], f, width), f
