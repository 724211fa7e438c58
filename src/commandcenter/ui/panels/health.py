"""Source health: one row per source with its state (colour + shape + word), last success and
last error, so an operator sees at a glance which department application is down."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter

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
        cols = self._columns(r.width(), wide)
        heads = [tr("Sumber"), tr("Status"), tr("Sukses terakhir")] + ([tr("Galat terakhir")] if wide else [])
        self._line(p, QRectF(r.left(), r.top(), r.width(), row_h), cols, heads, fh, theme.MUTED)
        for i, row in enumerate(rows):
            band = QRectF(r.left(), r.top() + (i + 1) * row_h, r.width(), row_h)
            if i % 2 == 0:
                p.fillRect(band, theme.CARD_EDGE.darker(130))
            name = f"{row.name}" + (f" · {row.opd}" if row.opd and wide else "")
            cells = [name, tr(STATE_LABELS.get(row.state, row.state)), self.fmt_relative(row.last_success, getattr(self.model, "frozen_at", None))]
            if wide:
                cells.append(row.last_error or "")
            icon = band.height() * 0.42
            theme.draw_status_icon(p, QPointF(band.left() + cols[1][0] + icon / 2 + self.px(8), band.center().y()),
                                   icon, ICON.get(row.state, "no-data"))
            self._line(p, band, cols, cells, f, theme.TEXT, bold=fb, state=row.state)

    def _columns(self, width: float, wide: bool) -> list[tuple[float, float]]:
        shares = [0.36, 0.2, 0.2, 0.24] if wide else [0.46, 0.22, 0.32]
        out, x = [], 0.0
        for s in shares:
            out.append((x, width * s))
            x += width * s
        return out

    def _line(self, p, band, cols, cells, f, color, bold=None, state="") -> None:
        for c, text in enumerate(cells):
            x, w = cols[c]
            left = band.left() + x + (band.height() * 0.42 + self.px(20) if c == 1 else self.px(8))
            r = self.avoid_seams(QRectF(left, band.top(), band.left() + x + w - left - self.px(8), band.height()))
            p.setFont(bold if bold is not None and c == 1 else f)
            p.setPen(theme.FRESHNESS.get(state, color) if c == 1 and state else (theme.MUTED if c == 3 else color))
            p.drawText(r, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, theme.elide(text, p.font(), r.width()))
