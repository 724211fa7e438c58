"""KPI: one big number with its status (colour AND shape), target, achievement, change, sparkline
and the date of the data. The number sits wholly inside the panel's biggest fragment."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register


@register("kpi")
class KpiPanel(Panel):
    def update_texts(self) -> None:
        m = self.model
        lang = self.ctx.lang
        value = self.fmt_value(m.value, m.unit, m.decimals)
        self.shown = {"title": self.title(), "value": value, "status": theme.status_glyph(m.status)}
        if m.band is not None:
            lo, hi = (fmt.number(b, 0 if float(b).is_integer() else 1, lang) for b in m.band)
            self.shown["target"] = f"{tr('Rentang sehat')} {lo}–{hi}{'%' if m.unit == 'percent' else ''}"
        elif m.target is not None:
            self.shown["target"] = f"{tr('Target')} {self.fmt_value(m.target, m.unit, m.decimals)}"
        if m.achievement is not None:
            self.shown["achievement"] = f"{tr('Capaian')} {fmt.percent(m.achievement, 1, lang)}"
        if m.change is not None:
            arrow = "▲" if m.change > 0 else "▼" if m.change < 0 else "▶"
            self.shown["change"] = (f"{arrow} {fmt.change(m.change, m.unit, lang, m.decimals)} "
                                    f"{fmt.compared_with(m.compare, lang)}")
        if m.as_of is None:
            self.shown["as_of"] = tr("Tidak ada data")
            return
        closed = m.period_kind != "instant" and not m.running
        when = fmt.as_of_text(m.as_of, self.ctx.tz, self.ctx.zone, lang, period_end=closed)
        self.shown["as_of"] = f"{tr('Data per')} {when}"
        if self.ages:  # a narrow card's badge may be too short to hold the data's age: say it here
            self.shown["as_of"] += f" · {self.data_age()}"
        words = fmt.period_text(m.period, m.period_kind, lang, m.cumulative, m.running)
        if words:  # "Desember 2026 (berjalan)", "s.d. Juni 2025"
            self.shown["period"] = words

    # -- layout (also read by tests: the value must not cross a seam) ----------------------------
    def value_area(self) -> QRectF:
        """The body's part in the biggest fragment, kept a pad away from any seam side."""
        body = self.body_rect()
        frag = max(self.frags(), key=lambda f: f.intersected(body).width() * f.intersected(body).height())
        area = frag.intersected(body)
        w, h, pad = self.width(), self.height(), self.pad
        return area.adjusted(pad if frag.left() > 1 else 0, pad if frag.top() > 1 else 0,
                             -pad if frag.right() < w - 1 else 0, -pad if frag.bottom() < h - 1 else 0)

    def layout(self) -> dict[str, QRectF]:
        a = self.value_area()
        line = self.px(theme.BODY * 1.35)
        small = self.px(theme.SMALL * 1.4)
        lines = sum(1 for k in ("target", "change") if k in self.shown) + (1 if "achievement" in self.shown else 0)
        value_h = min(a.height() * 0.46, max(a.height() - lines * line - small - self.px(40), self.px(40)))
        icon = value_h * 0.5 if (self.model.status or self.is_stale) else 0.0  # no target: no verdict
        y = a.top()
        out = {"icon": QRectF(a.left(), y + (value_h - icon) / 2, icon, icon)}
        text_left = a.left() + (icon + self.px(14) if icon else 0.0)
        f = self.value_font(a.right() - text_left, value_h)
        self._value_font = f
        w = theme.text_width(self.shown.get("value", ""), f)
        out["value"] = QRectF(text_left, y, min(w + self.px(4), a.right() - text_left), value_h)
        y += value_h + self.px(6)
        for key in ("target", "achievement", "change"):
            if key in self.shown:
                out[key] = QRectF(a.left(), y, a.width(), line)
                y += line
        out["as_of"] = QRectF(a.left(), a.bottom() - small, a.width(), small)
        foot = small
        if "period" in self.shown:
            out["period"] = QRectF(a.left(), a.bottom() - 2 * small, a.width(), small)
            foot = 2 * small
        out["spark"] = QRectF(a.left(), y + self.px(8), a.width(), max(0.0, a.bottom() - foot - y - self.px(16)))
        return out

    def value_font(self, width: float, height: float):
        return theme.fit_font(self.shown.get("value", "–"), width, height, height * 0.95, self.px(theme.BODY), bold=True)

    def value_rect(self) -> QRectF:
        return self.layout()["value"]

    # -- painting -------------------------------------------------------------------------------
    def paint_body(self, p: QPainter, r: QRectF) -> None:
        m = self.model
        lay = self.layout()
        status = m.status if not self.is_stale else "stale"
        ic = lay["icon"]
        if ic.width() > 0:
            theme.draw_status_icon(p, ic.center(), ic.width(), status or "")
        vr = lay["value"]
        p.setFont(self._value_font)
        p.setPen(theme.MUTED if self.is_stale else theme.TEXT)
        p.drawText(vr, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, self.shown["value"])
        self._paint_lines(p, lay)
        self._paint_spark(p, lay["spark"])

    def _paint_lines(self, p: QPainter, lay: dict[str, QRectF]) -> None:
        f = self.font(theme.BODY)
        for key in ("target", "achievement", "change"):
            if key not in lay:
                continue
            p.setFont(f)
            p.setPen(self._change_color() if key == "change" else theme.MUTED)
            p.drawText(lay[key], Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       theme.elide(self.shown[key], f, lay[key].width()))
        fs = self.font(theme.SMALL)
        p.setFont(fs)
        p.setPen(theme.FRESHNESS["stale"] if self.is_stale else theme.MUTED)
        for key in ("period", "as_of"):
            if key in lay:
                p.drawText(lay[key], Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           theme.elide(self.shown[key], fs, lay[key].width()))

    def _change_color(self):
        m = self.model
        if not m.change or m.direction not in ("higher", "lower"):
            return theme.MUTED
        good = (m.change > 0) == (m.direction == "higher")
        return theme.STATUS["ok"] if good else theme.STATUS["critical"]

    def _paint_spark(self, p: QPainter, r: QRectF) -> None:
        vals = list(self.model.spark)
        if len(vals) < 2 or r.height() < self.px(20):
            return
        lo, hi = min(vals), max(vals)
        span = (hi - lo) or 1.0
        path = QPainterPath()
        for i, v in enumerate(vals):
            pt = QPointF(r.left() + r.width() * i / (len(vals) - 1), r.bottom() - r.height() * (v - lo) / span)
            path.moveTo(pt) if i == 0 else path.lineTo(pt)
        color = theme.FAINT if self.is_stale else theme.status_color(self.model.status or "")
        p.setPen(QPen(color, self.px(3)))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setBrush(color)
        p.drawEllipse(path.currentPosition(), self.px(6), self.px(6))
