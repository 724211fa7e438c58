"""Time series: lines on a date axis with the plan (S-curve) or target line, painted with QPainter
into the panel's card.

No chart library and no child widget: the chart is part of the card the panel keeps as a pixmap
(panels/base.py), so it is drawn once per new model and blitted otherwise. A day of minute data is
reduced to each pixel column's first, lowest, highest and last point before drawing, so a line
costs the same whatever its number of points. (pyqtgraph did this job before issue #15: its
import and each plot's menus cost ~2 s of start-up on a 24-chart wall, and every refresh
repainted the plots through a second widget layer.)
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

DAY = 86400.0
DOTS_UP_TO = 60  # a line with at most this many points shows each as a dot too (monthly values)
GRID = QColor(theme.MUTED.red(), theme.MUTED.green(), theme.MUTED.blue(), 31)
BAND = QColor(34, 197, 94, 40)


# -- axes ------------------------------------------------------------------------------------------
def time_ticks(lo: float, hi: float, tz: ZoneInfo, lang: str) -> list[tuple[float, str]]:
    """Ticks and labels for a time axis in the city's zone.

    Over months: month ends, each named by the month that ends there (a closed month's value sits
    at its end: June's on "Jun"). Over a day or so: whole hours (06.00, 12.00, 18.00; midnight
    names the day that begins). Between: days ("2 Des")."""
    span = hi - lo
    if span > 70 * DAY:
        return [(t, fmt.date_short(t - 1, tz.key, lang).split()[1]) for t in _month_ends(lo, hi, tz)]
    if span <= 3 * DAY:
        step = next((h for h in (1, 2, 3, 6, 12) if span / 3600 / h <= 6), 24)
        return [(t, fmt.date_short(t, tz.key, lang).rsplit(" ", 1)[0] if datetime.fromtimestamp(t, tz).hour == 0
                 else fmt.clock(t, tz.key, "", lang)) for t in _hour_marks(lo, hi, step, tz)]
    step = max(1, round(span / DAY / 6))
    t = datetime.fromtimestamp(lo, tz).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    out = []
    while t <= hi:
        if t >= lo:
            parts = fmt.date_short(t + 1, tz.key, lang).split()
            out.append((t, f"{parts[0]} {parts[1]}"))
        t += step * DAY
    return out


def _month_ends(lo: float, hi: float, tz: ZoneInfo) -> list[float]:
    d = datetime.fromtimestamp(lo, tz).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = []
    while d.timestamp() <= hi + 1:
        if d.timestamp() > lo + DAY:
            out.append(d.timestamp())
        d = d.replace(year=d.year + (d.month == 12), month=d.month % 12 + 1)
    return out


def _hour_marks(lo: float, hi: float, step: int, tz: ZoneInfo) -> list[float]:
    d = datetime.fromtimestamp(lo, tz).replace(minute=0, second=0, microsecond=0)
    out, t = [], d.timestamp()
    while t <= hi:
        if t >= lo and datetime.fromtimestamp(t, tz).hour % step == 0:  # Indonesia's offsets are whole hours
            out.append(t)
        t += 3600.0
    return out


def value_ticks(lo: float, hi: float, unit: str, most: int = 5) -> list[float]:
    """Ticks for a value axis, at most `most` (what the chart's height holds).

    A percentage from 0 to about 100: the plan's milestones, quarter steps (else halves) up to
    `hi`. Otherwise steps of 1, 2, 2.5 or 5 x 10^k, the finest that gives at most `most` ticks
    from a tick at or below `lo` to one at or above `hi`: the chart draws its axis from the first
    tick to the last, so both ends are labelled. Where those ends would stretch the axis to well
    over the data's range (a very short chart), the ticks stay inside the range instead."""
    most = max(2, most)
    if unit == "percent" and -10 < lo < 25 and 95 <= hi <= 130:
        for step in (25, 50, 100):
            ticks = [float(v) for v in range(0, 126, step) if lo - 1e-9 <= v <= hi + 1e-9]
            if len(ticks) <= most:
                return ticks
    span = hi - lo
    if not (span > 0) or not math.isfinite(span):
        return [lo]
    for outside in (True, False):
        for step in _steps(span / (most - 1)):
            if outside:
                first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
                if last - first + 1 <= most and (last - first) * step <= 2 * span:
                    return [float(f"{i * step:.12g}") for i in range(first, last + 1)]
                if last - first + 1 <= most:
                    break  # coarser steps stretch the axis further
            else:
                first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
                if last - first + 1 <= most:
                    return [float(f"{i * step:.12g}") for i in range(first, last + 1)]
    return [lo, hi]


def _steps(raw: float):
    """1, 2, 2.5, 5 x 10^k from the one at or below `raw` upwards."""
    k = math.floor(math.log10(raw))
    while True:
        for m in (1, 2, 2.5, 5):
            yield m * 10 ** k
        k += 1


def value_label(v: float, unit: str, spacing: float, lang: str) -> str:
    # as many decimals as the step has: steps of 2,5 label 2,5 and 7,5, not 2 and 8
    decimals = next((d for d in range(3) if abs(round(spacing, d) - spacing) < 1e-9 * max(1.0, abs(spacing))), 2)
    if unit == "percent":
        return fmt.percent(v, decimals, lang)
    if unit == "rp":
        return fmt.money(v, lang)
    return fmt.compact(v, 1, lang) if abs(v) >= 10000 else fmt.number(v, decimals, lang)


def peaks(xs: list[float], ys: list[float], columns: int, width: float = 2.0) -> list[tuple[float, float]]:
    """Per column of `width` pixels the lowest and highest point, in order: what a line of
    thousands of points looks like at this size, drawn with two a column. `xs` ascend (a series'
    timestamps mapped to pixels); each column is found by bisection and scanned by min/max in C."""
    n = len(xs)
    if n <= columns / width * 2 or columns <= 0:
        return list(zip(xs, ys))
    out: list[tuple[float, float]] = []
    i = 0
    while i < n:
        j = max(bisect_left(xs, (math.floor(xs[i] / width) + 1) * width, i), i + 1)
        if j - i <= 2:
            out += zip(xs[i:j], ys[i:j])
        else:
            seg = ys[i:j]
            lo, hi = i + seg.index(min(seg)), i + seg.index(max(seg))
            for k in ((lo, hi) if lo < hi else (hi, lo) if hi < lo else (lo,)):
                out.append((xs[k], ys[k]))
        i = j
    return out


class _Axis:
    """Data to pixels along one axis: `at + (v - origin) * k`."""

    __slots__ = ("at", "origin", "k")

    def __init__(self, at: float, origin: float, k: float) -> None:
        self.at, self.origin, self.k = at, origin, k

    def __call__(self, v: float) -> float:
        return self.at + (v - self.origin) * self.k

    def many(self, vs) -> list[float]:
        """A line's thousands of points in one comprehension, not a call per point."""
        at, origin, k = self.at, self.origin, self.k
        return [at + (v - origin) * k for v in vs]


@dataclass
class Legend:
    """Where the legend goes: beside the title when the title row holds it (the chart keeps the
    legend row's height), else in a row of its own."""
    in_title: bool
    entries: list[tuple[str, QColor, bool]]  # text, colour, dashed
    boxes: list[QRectF]  # in the title row: each entry's place


@register("timeseries")
class TimeseriesPanel(Panel):
    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.tz = ZoneInfo(self.ctx.tz)
        self._legend: tuple[tuple, Legend] | None = None
        self._compact: list[str] = []  # the one line's latest value, for a legend beside the title
        self.plot_rect = QRectF()

    def legend_height(self) -> float:
        """A legend row: its text's height and a little (every pixel of a short chart is a tick)."""
        return self.px((theme.SMALL + 2) * 1.35)

    def update_texts(self) -> None:
        m = self.model
        self.shown = {"title": self.title()}
        self._compact = []
        for i, ln in enumerate(m.lines):
            last = self.fmt_value(ln.values[-1], m.unit, m.decimals) if ln.values else "–"
            running = f" ({tr('berjalan')})" if ln.running else ""
            self.shown[f"line{i}"] = f"{ln.label} {last}{running}"
            self._compact.append(f"{last}{running}")
        for i, ln in enumerate(m.targets):
            self.shown[f"target{i}"] = ln.label

    def legend(self) -> Legend:
        fit = self.title_fit()
        key = (fit.height, fit.badge, fit.lines[0][0], self.width(), self.ctx.scale,
               tuple(self.shown.get(f"line{i}") for i in range(len(self.model.lines))),
               tuple(self.shown.get(f"target{i}") for i in range(len(self.model.targets))))
        if self._legend is None or self._legend[0] != key:
            self._legend = (key, self._measure_legend(fit))
        return self._legend[1]

    def _measure_legend(self, fit) -> Legend:
        m = self.model
        entries = [(self.shown[f"line{i}"], theme.SERIES[i % len(theme.SERIES)], False) for i in range(len(m.lines))]
        entries += [(self.shown[f"target{i}"], theme.PLAN, True) for i in range(len(m.targets))]
        f = self.font(theme.SMALL + 2)
        forms = [entries]
        if len(m.lines) == 1 and not m.targets:  # one line, which the title names: its value says enough
            forms.append([(self._compact[0], entries[0][1], False)])
        if len(fit.lines) == 1 and not fit.badge and entries:
            text, r = fit.lines[0]
            free_left = r.left() + theme.text_width(text, fit.font) + self.px(36)
            for form in forms:
                widths = [self.px(44) + theme.text_width(t, f) for t, _c, _d in form]
                x = r.right() - sum(widths) - self.px(36) * (len(form) - 1)
                if x >= free_left:
                    boxes = []
                    for w in widths:
                        boxes.append(QRectF(x, r.top(), w, r.height()))
                        x += w + self.px(36)
                    return Legend(True, form, boxes)
        return Legend(False, entries, [])

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        lg = self.legend()
        if lg.in_title:  # painted with the body, not the title's layer: the values change, the title not
            self._paint_entries(p, lg.entries, lg.boxes)
            self._paint_chart(p, r)
            return
        self._paint_legend(p, r)
        self._paint_chart(p, r.adjusted(0, self.legend_height() + self.px(4), 0, 0))

    def _paint_legend(self, p: QPainter, r: QRectF) -> None:
        """The legend row: a swatch, the series name and its latest value, kept off seams."""
        f = self.font(theme.SMALL + 2)
        p.setFont(f)
        x = r.left() + self.px(130)
        h = self.legend_height()
        boxes, shown = [], []
        for entry in self.legend().entries:
            w = self.px(44) + theme.text_width(entry[0], f)
            box = self.avoid_seams(QRectF(x, r.top(), w, h))
            if box.right() > r.right():
                break
            boxes.append(box)
            shown.append(entry)
            x = box.right() + self.px(36)
        self._paint_entries(p, shown, boxes)

    def _paint_entries(self, p: QPainter, entries, boxes: list[QRectF]) -> None:
        p.setFont(self.font(theme.SMALL + 2))
        for i, ((text, color, dashed), box) in enumerate(zip(entries, boxes)):
            pen = QPen(color, self.px(5 if not dashed else 3), Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            p.setPen(pen)
            p.drawLine(box.left(), box.center().y(), box.left() + self.px(32), box.center().y())
            p.setPen(theme.TEXT)
            self.draw_text(p, f"legend{i}", box.adjusted(self.px(42), 0, 0, 0),
                           Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

    # -- the chart ----------------------------------------------------------------------------------
    def _paint_chart(self, p: QPainter, area: QRectF) -> None:
        m = self.model
        (x0, x1), (y0, y1) = m.x_range, m.y_range
        f = self.font(theme.SMALL)
        p.setFont(f)
        # the plot's height first: it says how many value labels fit, a label's height and a tenth
        # apart; the top label sits half above the plot, so the plot starts half a label down
        label_h = self.px(theme.SMALL * 1.3)
        top, height = area.top() + label_h / 2, area.height() - label_h / 2 - self.px(8) - label_h
        yt = value_ticks(y0, y1, m.unit, max(2, min(6, int(height / (label_h * 1.1)) + 1)))
        vy0, vy1 = min(y0, yt[0]), max(y1, yt[-1])  # the axis ends on labelled ticks
        pad_x, pad_y = (x1 - x0) * 0.02 or 1.0, (vy1 - vy0) * 0.03 or 1.0
        vx0, vx1, vy0, vy1 = x0 - pad_x, x1 + pad_x, vy0 - pad_y, vy1 + pad_y
        spacing = (yt[1] - yt[0]) if len(yt) > 1 else 1.0
        ylabels = [(v, value_label(v, m.unit, spacing, self.ctx.lang)) for v in yt]
        left = max((theme.text_width(s, f) for _v, s in ylabels), default=0) + self.px(16)
        plot = QRectF(area.left() + left, top, area.width() - left - self.px(12), height)
        self.plot_rect = plot  # read by tests: the line must span it
        if plot.width() < 10 or plot.height() < 10:
            return

        X = _Axis(plot.left(), vx0, plot.width() / (vx1 - vx0))  # noqa: N806
        Y = _Axis(plot.bottom(), vy0, -plot.height() / (vy1 - vy0))  # noqa: N806

        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if m.band is not None:
            top, bottom = Y(max(m.band)), Y(min(m.band))
            p.fillRect(QRectF(plot.left(), top, plot.width(), bottom - top).intersected(plot), BAND)
        self._paint_axes(p, plot, ylabels, X, Y, vx0, vx1, x0, x1)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.save()
        p.setClipRect(plot.adjusted(-self.px(8), -self.px(8), self.px(8), self.px(8)))
        for ln in m.targets:
            pen = QPen(theme.PLAN, self.px(3), Qt.PenStyle.DashLine)
            self._paint_line(p, ln, pen, X, Y, plot, dots=None)
        for i, ln in enumerate(m.lines):
            color = theme.SERIES[i % len(theme.SERIES)]
            dense = len(ln.ts) > DOTS_UP_TO
            pen = QPen(color, self.px(3 if dense else 5))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            # a dense line's joins are a pen's width apart: bevel and round look alike there, and
            # bevel strokes in half the time (24 such lines repaint at every update)
            pen.setJoinStyle(Qt.PenJoinStyle.BevelJoin if dense else Qt.PenJoinStyle.RoundJoin)
            self._paint_line(p, ln, pen, X, Y, plot, dots=None if dense else color)
        p.restore()

    def _paint_axes(self, p: QPainter, plot: QRectF, ylabels, X, Y, vx0: float, vx1: float,  # noqa: N803
                    x0: float, x1: float) -> None:
        h = self.px(theme.SMALL * 1.3)
        p.setPen(QPen(GRID, 1))
        for v, _s in ylabels:
            p.drawLine(QPointF(plot.left(), Y(v)), QPointF(plot.right(), Y(v)))
        xticks = [(t, s) for t, s in time_ticks(x0, x1, self.tz, self.ctx.lang) if vx0 <= t <= vx1]
        for t, _s in xticks:
            p.drawLine(QPointF(X(t), plot.top()), QPointF(X(t), plot.bottom()))
        p.setPen(QPen(theme.FAINT, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        p.setPen(theme.MUTED)
        for key in [k for k in self.drawn if k.startswith(("ytick", "xtick"))]:
            del self.drawn[key]  # a new model may have fewer ticks
        f = p.font()
        for i, (v, s) in enumerate(ylabels):
            y = Y(v)
            if plot.top() - h / 2 <= y <= plot.bottom() + h / 2:
                w = theme.text_width(s, f)
                self.draw_text(p, f"ytick{i}", QRectF(plot.left() - self.px(10) - w, y - h / 2, w, h),
                               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, s)
        right_edge = -1e9
        for i, (t, s) in enumerate(xticks):  # never two labels on top of each other, never past the chart's ends
            w = theme.text_width(s, f)
            x = X(t) - w / 2
            if x < plot.left() - w * 0.6 or x + w > plot.right() + w * 0.6 or x < right_edge + self.px(16):
                continue
            self.draw_text(p, f"xtick{i}", QRectF(x, plot.bottom() + self.px(6), w, h), Qt.AlignmentFlag.AlignCenter, s)
            right_edge = x + w

    def _paint_line(self, p: QPainter, ln, pen: QPen, X, Y, plot: QRectF, dots: QColor | None) -> None:  # noqa: N803
        if not ln.ts:
            return
        xs, ys = X.many(ln.ts), Y.many(ln.values)
        # a column as wide as the pen: narrower ones add points no one can see
        pts = peaks(xs, ys, int(plot.width()))
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPolyline([QPointF(x, y) for x, y in pts])
        if dots is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(dots)
            rad = self.px(6)
            for x, y in pts:
                p.drawEllipse(QPointF(x, y), rad, rad)
            p.setBrush(Qt.BrushStyle.NoBrush)
