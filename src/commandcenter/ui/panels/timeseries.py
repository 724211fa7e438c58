"""Time series: pyqtgraph curves on a date axis with the plan (S-curve) or target line.

Plot items are created once and fed with setData; ranges are set explicitly from the model, never
auto-ranged (auto-ranging recomputes ticks on every update and costs frames on a big wall).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

pg.setConfigOptions(antialias=True, background=None, foreground=theme.MUTED)
DAY = 86400.0


class DateAxis(pg.AxisItem):
    """Month ticks over a fiscal year, days for short spans, in the city zone.

    A month's value describes the month's end (a closed month) or its report time (the running
    month), so month ticks stand at month ends and carry the name of the month that ends there:
    June's value sits on "Jun", the running December between "Nov" and "Des".
    """

    def __init__(self, tz: str, lang: str, **kw) -> None:
        super().__init__("bottom", **kw)
        self.tz, self.lang = ZoneInfo(tz), lang
        self.first_tick_after: float | None = None  # the data's start: no month end named before it

    def tickValues(self, minVal: float, maxVal: float, size: float):
        if maxVal - minVal > 70 * DAY:
            lo = max(minVal, self.first_tick_after or minVal)
            return [(30 * DAY, self._month_ends(lo, maxVal))]
        step = max(1, round((maxVal - minVal) / DAY / 6))
        start = datetime.fromtimestamp(minVal, self.tz).replace(hour=0, minute=0, second=0, microsecond=0)
        ticks, t = [], start.timestamp()
        while t <= maxVal:
            if t >= minVal:
                ticks.append(t)
            t += step * DAY
        return [(step * DAY, ticks)]

    def _month_ends(self, lo: float, hi: float) -> list[float]:
        """Month boundaries after `lo` (the first midnight of the next month = the end of one)."""
        d = datetime.fromtimestamp(lo, self.tz).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        out = []
        while d.timestamp() <= hi + 1:
            if d.timestamp() > lo + DAY:
                out.append(d.timestamp())
            d = d.replace(year=d.year + (d.month == 12), month=d.month % 12 + 1)
        return out

    def tickStrings(self, values, scale, spacing):
        if spacing >= 28 * DAY:  # a month end is named by the month that ends there
            return [fmt.date_short(v - 1, self.tz.key, self.lang).split()[1] for v in values]
        parts = [fmt.date_short(v + 1, self.tz.key, self.lang).split() for v in values]
        return [f"{p[0]} {p[1]}" for p in parts]


class ValueAxis(pg.AxisItem):
    def __init__(self, unit: str, lang: str, **kw) -> None:
        super().__init__("left", **kw)
        self.unit, self.lang = unit, lang

    def tickValues(self, minVal: float, maxVal: float, size: float):
        # a percentage over 0-100: quarter steps, the plan's own milestones (25/50/75/100), 0% included
        if self.unit == "percent" and minVal > -10 and 95 <= maxVal <= 130:
            top = 100 if maxVal < 125 else 125
            return [(25.0, [float(v) for v in range(0, top + 1, 25)])]
        return super().tickValues(minVal, maxVal, size)

    def tickStrings(self, values, scale, spacing):
        decimals = 0 if spacing >= 1 else 1
        if self.unit == "percent":
            return [fmt.percent(v, decimals, self.lang) for v in values]
        if self.unit == "rp":
            return [fmt.money(v, self.lang) for v in values]
        return [fmt.compact(v, 1, self.lang) if abs(v) >= 10000 else fmt.number(v, decimals, self.lang) for v in values]


def _opacity(widget, on: bool) -> None:
    from PySide6.QtWidgets import QGraphicsOpacityEffect

    if on and widget.graphicsEffect() is None:
        effect = QGraphicsOpacityEffect(widget)
        effect.setOpacity(0.45)
        widget.setGraphicsEffect(effect)
    elif not on and widget.graphicsEffect() is not None:
        widget.setGraphicsEffect(None)


@register("timeseries")
class TimeseriesPanel(Panel):
    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.plot: pg.PlotWidget | None = None
        self.curves: list[pg.PlotDataItem] = []
        self.target_curves: list[pg.PlotDataItem] = []
        self.band: pg.LinearRegionItem | None = None
        self._ranges: tuple | None = None  # the (x, y) ranges last set on the plot
        self._curve_data: dict[int, tuple] = {}  # id(curve) -> the (ts, values) it shows
        self._ensure_plot("")  # built with the panel (at start-up, while the first data are read)

    def _ensure_plot(self, unit: str) -> pg.PlotWidget:
        if self.plot is None:
            tick_font = self.font(theme.SMALL)
            axes = {"bottom": DateAxis(self.ctx.tz, self.ctx.lang), "left": ValueAxis(unit, self.ctx.lang)}
            self.plot = pg.PlotWidget(parent=self, axisItems=axes, background=None)
            self.plot.setFrameShape(pg.QtWidgets.QFrame.Shape.NoFrame)
            item = self.plot.getPlotItem()
            item.hideButtons()
            item.setMenuEnabled(False)
            item.setMouseEnabled(False, False)
            item.showGrid(x=True, y=True, alpha=0.12)
            for name in ("left", "bottom"):
                ax = item.getAxis(name)
                ax.setTickFont(tick_font)
                ax.setPen(pg.mkPen(theme.FAINT))
                ax.setTextPen(pg.mkPen(theme.MUTED))
                # keep the painted axis (ticks, labels, grid) as a pixmap: a repaint of the plot
                # blits it instead of replaying every tick and grid line; a range change redraws it
                ax.setCacheMode(pg.QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item.getAxis("left").setWidth(self.px(130))
            # the 0 at the axis foot is a label like any other ("0%"), not one to hide
            item.getAxis("left").setStyle(hideOverlappingLabels=False)
            item.getAxis("bottom").setHeight(self.px(44))
            self.plot.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.plot.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self._place_plot()
            self.plot.show()
        return self.plot

    def legend_height(self) -> float:
        return self.px(theme.BODY * 1.5)

    def _place_plot(self) -> None:
        if self.plot is not None:
            b = self.body_rect()
            self.plot.setGeometry(b.adjusted(0, self.legend_height(), 0, 0).toRect())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_plot()

    def update_texts(self) -> None:
        m = self.model
        self.shown = {"title": self.title()}
        for i, ln in enumerate(m.lines):
            last = self.fmt_value(ln.values[-1], m.unit, m.decimals) if ln.values else "–"
            running = f" ({tr('berjalan')})" if ln.running else ""
            self.shown[f"line{i}"] = f"{ln.label} {last}{running}"
        for i, ln in enumerate(m.targets):
            self.shown[f"target{i}"] = ln.label

    def _dim(self, plot, stale: bool) -> None:
        """The plot is a child widget: the card's painter opacity does not reach it."""
        _opacity(plot, stale)

    def model_changed(self) -> None:
        m = self.model
        plot = self._ensure_plot(m.unit)
        self._dim(plot, self.freshness == "stale")
        item = plot.getPlotItem()
        axis = item.getAxis("left")
        if axis.unit != m.unit:
            axis.unit = m.unit
            axis.picture = None  # its tick labels are formatted by unit
            axis.update()
        while len(self.curves) < len(m.lines):
            color = theme.SERIES[len(self.curves) % len(theme.SERIES)]
            self.curves.append(item.plot(pen=pg.mkPen(color, width=self.px(5)), symbol="o", symbolSize=self.px(12),
                                         symbolBrush=color, symbolPen=None))
        while len(self.target_curves) < len(m.targets):
            pen = pg.mkPen(theme.PLAN, width=self.px(3), style=Qt.PenStyle.DashLine)
            self.target_curves.append(item.plot(pen=pen))
        # only what changed: setData re-samples a curve, a range call recomputes the axis ticks
        for curve, ln in zip(self.curves, m.lines):
            self._set_curve(curve, ln.ts, ln.values)
        for curve in self.curves[len(m.lines):]:
            self._set_curve(curve, (), ())
        for curve, ln in zip(self.target_curves, m.targets):
            self._set_curve(curve, ln.ts, ln.values)
        self._set_band(m.band)
        if self._ranges != (m.x_range, m.y_range):
            self._ranges = (m.x_range, m.y_range)
            item.setXRange(*m.x_range, padding=0.02)
            # a little room below the foot so its label ("0%") is drawn, not clipped away
            item.setYRange(*m.y_range, padding=0.03)
            item.getAxis("bottom").first_tick_after = m.x_range[0]

    def _set_curve(self, curve: pg.PlotDataItem, ts: tuple, values: tuple) -> None:
        key = (tuple(ts), tuple(values))
        if self._curve_data.get(id(curve)) != key:
            self._curve_data[id(curve)] = key
            curve.setData(list(ts), list(values))

    def _set_band(self, band) -> None:
        if band is None:
            if self.band is not None:
                self.band.hide()
            return
        if self.band is None:
            self.band = pg.LinearRegionItem(values=band, orientation="horizontal", movable=False,
                                            brush=pg.mkBrush(34, 197, 94, 40), pen=pg.mkPen(None))
            self.plot.getPlotItem().addItem(self.band)
        if tuple(self.band.getRegion()) != tuple(band):
            self.band.setRegion(band)
        self.band.show()

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        """The legend row: a swatch, the series name and its latest value, kept off seams."""
        m = self.model
        f = self.font(theme.SMALL + 2)
        p.setFont(f)
        x = r.left() + self.px(130)
        h = self.legend_height()
        entries = [(self.shown[f"line{i}"], theme.SERIES[i % len(theme.SERIES)], False) for i in range(len(m.lines))]
        entries += [(self.shown[f"target{i}"], theme.PLAN, True) for i in range(len(m.targets))]
        for text, color, dashed in entries:
            w = self.px(44) + theme.text_width(text, f)
            box = self.avoid_seams(QRectF(x, r.top(), w, h))
            if box.right() > r.right():
                break
            pen = QPen(color, self.px(5 if not dashed else 3), Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            p.setPen(pen)
            p.drawLine(box.left(), box.center().y(), box.left() + self.px(32), box.center().y())
            p.setPen(theme.TEXT)
            p.drawText(box.adjusted(self.px(42), 0, 0, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
            x = box.right() + self.px(36)
