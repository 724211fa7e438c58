"""Uptime bars: one row per application with a bar per day (90 by default), like a public status
page, and the share of successful checks over the span. A bad day is shorter as well as redder,
so the bar reads without colour; days without checks are faint stubs."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap

from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.apps import draw_state_icon, fragment_areas, grid_slots
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

GOOD, FAIR, POOR, BAD = QColor("#22c55e"), QColor("#a3e635"), QColor("#fbbf24"), QColor("#ef4444")


def day_style(ratio: float | None) -> tuple[QColor, float]:
    """Colour and height share of one day's bar."""
    if ratio is None:
        return theme.FAINT, 0.3
    if ratio >= 0.999:
        return GOOD, 1.0
    if ratio >= 0.99:
        return FAIR, 0.85
    if ratio >= 0.95:
        return POOR, 0.65
    return BAD, 0.45


@register("uptime")
class UptimePanel(Panel):
    def update_texts(self) -> None:
        self.bars: dict[str, QRectF] = {}  # app id -> its bar strip, as painted
        self.shown = {"title": self.title()}
        for row in self.model.rows:
            self.shown[f"uptime:{row.id}"] = self._pct(row.ratio)

    def _pct(self, ratio: float | None) -> str:
        if ratio is None:
            return "–"
        return self.fmt_value(100 * ratio, "percent")

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        rows = self.model.rows
        if not rows:
            self.paint_message(p, tr("Tidak ada data"))
            return
        slots = grid_slots(fragment_areas(self), len(rows), 10_000, self.px(64), self.px(30))
        h = slots[0].height() if slots else self.px(30)
        self._fonts = (theme.font(min(self.px(theme.SMALL), h * 0.5), condensed=True),
                       theme.font(min(self.px(theme.SMALL), h * 0.5), bold=True, condensed=True))
        shown = rows if len(rows) <= len(slots) else rows[: len(slots) - 1]
        for row, slot in zip(shown, slots):
            self._row(p, slot, row)
        self.shown["hidden"] = str(len(rows) - len(shown))
        if len(shown) < len(rows):
            p.setFont(self._fonts[1])
            p.setPen(theme.MUTED)
            more = f"+{len(rows) - len(shown)} {'aplikasi lainnya' if self.ctx.lang != 'en' else 'more applications'}"
            p.drawText(slots[len(shown)], Qt.AlignmentFlag.AlignVCenter, more)

    def _row(self, p: QPainter, slot: QRectF, row) -> None:
        h = slot.height()
        icon = min(h * 0.45, self.px(26))
        draw_state_icon(p, QPointF(slot.left() + icon / 2 + self.px(2), slot.center().y()), icon, row.state or "unknown")
        name_w = slot.width() * 0.3
        pct_w = self.px(130)
        f = self._fonts[0]
        p.setFont(f)
        p.setPen(theme.TEXT)
        name_r = QRectF(slot.left() + icon + self.px(12), slot.top(), name_w - icon - self.px(14), h)
        p.drawText(name_r, Qt.AlignmentFlag.AlignVCenter, theme.elide(row.name, f, name_r.width()))
        bars = QRectF(slot.left() + name_w, slot.top() + h * 0.18, slot.width() - name_w - pct_w, h * 0.64)
        self._bars(p, bars, row.days)
        self.bars[row.id] = bars
        p.setFont(self._fonts[1])
        p.setPen(day_style(row.ratio)[0] if row.ratio is not None else theme.MUTED)
        p.drawText(QRectF(slot.right() - pct_w, slot.top(), pct_w, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   self._pct(row.ratio))

    def _bars(self, p: QPainter, r: QRectF, days: tuple) -> None:
        """Runs of days with the same look are one blit each from a strip of that look: a row is
        a couple of draw calls (all perfect, or a new app's empty days then today)."""
        if not days:
            return
        n = len(days)
        step = r.width() / n
        styles = [day_style(d) for d in days]
        i = 0
        while i < n:
            j = i + 1
            while j < n and styles[j] == styles[i]:
                j += 1
            strip = self._strip(r, n, step, styles[i])
            p.drawPixmap(QRectF(r.left() + i * step, r.top(), (j - i) * step, r.height()), strip,
                         QRectF(i * step, 0, (j - i) * step, r.height()))
            i = j

    def _strip(self, r: QRectF, n: int, step: float, style: tuple[QColor, float]) -> QPixmap:
        key = (round(r.width(), 2), round(r.height(), 2), n, style[0].rgba(), style[1])
        cache = self.__dict__.setdefault("_strips", {})
        if key not in cache:
            if len(cache) > 16:  # sizes changed: the old ones are of no use
                cache.clear()
            pm = QPixmap(max(1, int(r.width() + 1)), max(1, int(r.height() + 1)))
            pm.fill(theme.CARD)
            sp = QPainter(pm)
            sp.setPen(Qt.PenStyle.NoPen)
            sp.setBrush(style[0])
            gap = min(self.px(2), step * 0.25)
            bh = r.height() * style[1]
            sp.drawRects([QRectF(i * step, r.height() - bh, max(1.0, step - gap), bh) for i in range(n)])
            sp.end()
            cache[key] = pm
        return cache[key]
