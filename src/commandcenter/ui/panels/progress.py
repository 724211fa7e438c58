"""Progress: physical vs financial realisation per OPD side by side, the target due now, and the
deviation between them (the OPDs furthest behind first)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

PHYS, FIN = theme.SERIES[1], theme.SERIES[0]


@register("progress")
class ProgressPanel(Panel):
    def update_texts(self) -> None:
        lang = self.ctx.lang
        self.shown = {"title": self.title()}
        for i, row in enumerate(self.model.rows):
            # a deviation of two percentages is in points, signed: "+12,3 poin"
            dev = "–" if row.deviation is None else fmt.value_with_unit(row.deviation, "points", lang)
            if row.deviation is not None and row.deviation > 0:
                dev = "+" + dev
            self.shown[f"row{i}"] = (f"{row.label} {fmt.percent(row.physical, 1, lang)} "
                                     f"{fmt.percent(row.financial, 1, lang)} {dev}")

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        rows = self.model.rows
        if not rows:
            self.paint_message(p, tr("Tidak ada data"))
            return
        head = self.px(theme.SMALL * 1.8)
        self._legend(p, QRectF(r.left(), r.top(), r.width(), head))
        body = r.adjusted(0, head, 0, 0)
        row_h = body.height() / len(rows)
        fs = max(theme.SMALL, min(theme.BODY, row_h / self.ctx.scale * 0.62))
        f, fb = self.font(fs, condensed=True), self.font(fs, bold=True)
        label_w = min(body.width() * 0.26, max(theme.text_width(x.label, f) for x in rows) + self.px(14))
        num_w = theme.text_width("100,0%", fb) + self.px(14)
        dev_w = theme.text_width("+00,0 " + ("poin" if self.ctx.lang == "id" else "pts"), fb) + self.px(18)
        bars = QRectF(body.left() + label_w, body.top(), body.width() - label_w - 2 * num_w - dev_w, body.height())
        for i, row in enumerate(rows):
            band = QRectF(body.left(), body.top() + i * row_h, body.width(), row_h)
            self._row(p, row, band, label_w, bars, num_w, dev_w, f, fb)

    def _legend(self, p: QPainter, r: QRectF) -> None:
        f = self.font(theme.SMALL)
        p.setFont(f)
        x = r.left()
        items = [(tr("Realisasi fisik"), PHYS), (tr("Realisasi keuangan"), FIN), (tr("Target"), theme.TEXT),
                 (tr("Deviasi") + " = " + tr("Fisik") + " − " + tr("Keuangan"), None), (tr("OPD terendah di atas"), None)]
        for text, color in items:
            w = theme.text_width(text, f) + (self.px(34) if color is not None else 0)
            box = self.avoid_seams(QRectF(x, r.top(), w, r.height()))
            if box.right() > r.right():
                break
            if color is not None:
                p.fillRect(QRectF(box.left(), box.center().y() - self.px(7), self.px(24), self.px(14)), color)
            p.setPen(theme.MUTED)
            p.drawText(box.adjusted(self.px(34) if color is not None else 0, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)
            x = box.right() + self.px(30)

    def _row(self, p: QPainter, row, band: QRectF, label_w, bars: QRectF, num_w, dev_w, f, fb) -> None:
        lang = self.ctx.lang
        p.setFont(f)
        p.setPen(theme.TEXT)
        p.drawText(QRectF(band.left(), band.top(), label_w, band.height()), Qt.AlignmentFlag.AlignVCenter,
                   theme.elide(row.label, f, label_w - self.px(10)))
        bh = band.height() * 0.3
        gap = band.height() * 0.06
        for k, (value, color) in enumerate(((row.physical, PHYS), (row.financial, FIN))):
            y = band.center().y() - gap / 2 - bh + k * (bh + gap)
            p.fillRect(QRectF(bars.left(), y, bars.width(), bh), theme.CARD_EDGE)
            if value is not None:
                p.fillRect(QRectF(bars.left(), y, bars.width() * max(0.0, min(value, 100.0)) / 100.0, bh), color)
        if row.target is not None:
            x = bars.left() + bars.width() * min(row.target, 100.0) / 100.0
            p.setPen(QPen(theme.TEXT, self.px(3)))
            p.drawLine(x, band.top() + band.height() * 0.12, x, band.bottom() - band.height() * 0.12)
        p.setFont(fb)
        x = bars.right() + self.px(8)
        for value, color in ((row.physical, PHYS), (row.financial, FIN)):
            p.setPen(color)
            p.drawText(QRectF(x, band.top(), num_w, band.height()), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       fmt.percent(value, 1, lang))
            x += num_w
        dev = row.deviation
        status = "" if dev is None else "ok" if abs(dev) <= 5 else "warning" if abs(dev) <= 10 else "critical"
        p.setPen(theme.status_color(status) if status else theme.MUTED)
        text = "–" if dev is None else ("+" if dev > 0 else "") + fmt.value_with_unit(dev, "points", lang)
        p.drawText(QRectF(x, band.top(), dev_w, band.height()), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
