"""Table: top-N rows in large type (e.g. overdue complaints per OPD), with a status mark per row."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter

from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register


@register("table")
class TablePanel(Panel):
    def update_texts(self) -> None:
        self.shown = {"title": self.title()}
        if not self.model.rows:
            self.shown["empty"] = getattr(self.model, "empty", "") or tr("Tidak ada data")
        for i, row in enumerate(self.model.rows):
            self.shown[f"row{i}"] = " ".join(row)

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        m = self.model
        if not m.rows:
            self.paint_message(p, getattr(m, "empty", "") or tr("Tidak ada data"))
            return
        n = len(m.rows) + 1
        if self.spec.options.get("fill"):  # a spotlighted piece: whole rows in large type fill the monitor
            row_h = r.height() / max(n, 4)
            fs = max(theme.SMALL, min(theme.BODY * 2.5, row_h / self.ctx.scale * 0.42))
        else:
            row_h = min(r.height() / n, self.px(80))
            fs = max(theme.SMALL, min(theme.BODY + 2, row_h / self.ctx.scale * 0.5))
        f, fb, fh = self.font(fs), self.font(fs, bold=True), self.font(theme.SMALL, bold=True)
        widths = self._widths(r.width(), m, f, fb, icon=max(self.px(44), row_h * 0.6))
        self._cells(p, QRectF(r.left(), r.top(), r.width(), row_h), widths, m.columns, fh, theme.MUTED, header=True)
        for i, row in enumerate(m.rows):
            band = QRectF(r.left(), r.top() + (i + 1) * row_h, r.width(), row_h)
            if i % 2 == 0:
                p.fillRect(band, theme.CARD_EDGE.darker(130))
            status = "stale" if self.is_stale else (m.statuses[i] if i < len(m.statuses) else "")
            self._cells(p, band, widths, row, f, theme.TEXT, status=status, bold=fb)

    def _widths(self, total: float, m, f, fb, icon: float | None = None) -> list[float]:
        icon = self.px(44) if icon is None else icon
        fh = self.font(theme.SMALL, bold=True)
        fixed = [max([theme.text_width(row[c], fb) for row in m.rows] + [theme.text_width(m.columns[c], fh)]) + self.px(24)
                 for c in range(len(m.columns))]
        fixed[1] = 0.0  # the OPD name takes what is left
        fixed[0] = max(fixed[0], self.px(48))
        rest = max(self.px(120), total - sum(fixed) - icon)
        fixed[1] = rest
        return fixed + [icon]

    def _cells(self, p: QPainter, band: QRectF, widths, cells, f, color, header=False, status="", bold=None) -> None:
        x = band.left()
        for c, text in enumerate(cells):
            w = widths[c]
            right_align = c >= 2
            p.setFont(bold if bold is not None and c == 2 else f)
            p.setPen(color if not (c == 0 and not header) else theme.MUTED)
            r = self.avoid_seams(QRectF(x + self.px(8), band.top(), w - self.px(16), band.height()))
            align = (Qt.AlignmentFlag.AlignRight if right_align else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter
            p.drawText(r, align, theme.elide(text, p.font(), r.width()))
            x += w
        if not header and status:
            theme.draw_status_icon(p, QPointF(x + widths[-1] / 2, band.center().y()), band.height() * 0.42, status)
