"""Clock: the time in the city's zone ("10.05 WIB") and the full Indonesian date."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QPainter

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register


@register("clock")
class ClockPanel(Panel):
    needs_data = False
    cache_paint = False  # repaints itself every minute without a new model

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.now: float | None = None  # fixed instant (frozen wall, tests); None = live
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()

    def _tick(self) -> None:
        ts = self.now if self.now is not None else time.time()
        c = self.ctx
        text = fmt.clock(ts, c.tz, c.zone, c.lang)
        if text != self.shown.get("time"):
            self.shown = {"title": self.title(), "time": text, "date": fmt.date_full(ts, c.tz, c.lang)}
            self.update()

    def update_texts(self) -> None:
        self._tick()

    def title(self) -> str:
        return self.spec.title or ""

    def title_height(self) -> float:
        return self.px(theme.TITLE * 1.6) if self.spec.title else self.pad

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        frag = self.fragment_at(r.center().x(), r.center().y())
        area = r.intersected(frag.adjusted(self.pad, 0, -self.pad, 0))
        time_h = area.height() * 0.62
        top = QRectF(area.left(), area.top(), area.width(), time_h)
        p.setFont(theme.fit_font(self.shown["time"], area.width(), time_h, time_h, self.px(theme.BODY), bold=True))
        p.setPen(theme.TEXT)
        p.drawText(top, Qt.AlignmentFlag.AlignCenter, self.shown["time"])
        bottom = QRectF(area.left(), top.bottom(), area.width(), area.bottom() - top.bottom())
        p.setFont(theme.fit_font(self.shown["date"], area.width(), bottom.height() * 0.7, self.px(theme.TITLE + 4), self.px(theme.SMALL)))
        p.setPen(theme.MUTED)
        p.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.shown["date"])
