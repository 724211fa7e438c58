"""Header and footer bands across the top and bottom of the wall.

Header: logo, city and scene title in the first fragment; "data as of", source count and the
clock in the last one; badges (DATA SIMULASI, frozen, missing monitor). Footer: the ticker of
alerts and announcements, paged (not scrolled) so no message is ever cut by a seam.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QWidget

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.paint_cache import PaintCache
from commandcenter.ui.resources import logo_bytes
from commandcenter.wall.models import FooterModel, HeaderModel


MINUTE_SLACK_MS = 20  # after the minute's turn, so the clock read then shows the new minute


class Band(QWidget):
    def __init__(self, cfg, lang: str, scale: float, fragments: list[QRectF], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.lang, self.scale, self.fragments = cfg, lang, scale, fragments
        self.shown: dict[str, str] = {}
        self._painted = PaintCache()  # the band as last painted, see paintEvent

    def px(self, v: float) -> float:
        return v * self.scale

    def invalidate(self) -> None:
        """What the band shows changed: paint it afresh."""
        self._painted.invalidate()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The band changes once a minute (clock) or with new data; a window repaint (a panel
        beneath it updating, a seam twin) only blits the pixmap painted last time."""
        self._painted.blit(self, self._paint_into)

    def _paint_into(self, pm: QPixmap) -> None:
        p = QPainter(pm)
        self.paint_band(p)
        p.end()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._painted.drop()

    def paint_band(self, p: QPainter) -> None:
        """Subclasses paint the band with p."""

    def frags(self) -> list[QRectF]:
        return sorted(self.fragments or [QRectF(0, 0, self.width(), self.height())], key=lambda f: f.left())

    def _badge(self, p: QPainter, right: float, text: str, color, f) -> float:
        """Draw a pill ending at `right`; return its left edge."""
        w = theme.text_width(text, f) + self.px(28)
        h = self.height() * 0.62
        r = QRectF(right - w, (self.height() - h) / 2, w, h)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawRoundedRect(r, h / 2, h / 2)
        p.setPen(theme.BG)
        p.setFont(f)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, text)
        return r.left()


class HeaderBand(Band):
    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        data = logo_bytes(self.cfg)
        self.logo = QSvgRenderer(QByteArray(data), self) if data and data.lstrip().startswith((b"<", b"<?")) else None
        self.model: HeaderModel | None = None
        self.now: float | None = None
        # the clock shows minutes: wake at each minute's turn, not every second (precise: a
        # coarse timer may be 5% late, 3 s of a minute)
        self._timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._tick()

    def set_model(self, model: HeaderModel) -> None:
        self.model = model
        self._tick(force=True)

    def _tick(self, force: bool = False) -> None:
        if not self._timer.isActive():  # the timer's own tick (set_model's re-arms nothing)
            self._timer.start(int((60 - time.time() % 60) * 1000) + MINUTE_SLACK_MS)
        c = self.cfg.city
        ts = self.now if self.now is not None else time.time()
        clock = fmt.clock(ts, c.timezone, c.zone_label, self.lang)
        if force or clock != self.shown.get("clock"):
            shown = self._texts(clock)
            if shown != self.shown:  # new data with the same texts change nothing on screen
                self.shown = shown
                self.invalidate()

    def _texts(self, clock: str) -> dict[str, str]:
        m, c = self.model, self.cfg.city
        out = {"clock": clock, "city": c.name, "scene": m.scene_title if m else ""}
        if m is not None:
            when = fmt.datetime_short(m.newest_data, c.timezone, c.zone_label, self.lang) if m.newest_data else "–"
            out["as_of"] = f"{tr('Data per')} {when}"
            if m.sources_total:
                out["sources"] = f"{m.sources_ok}/{m.sources_total} {tr('sumber OK')}"
            if m.frozen_at is not None:
                out["frozen"] = f"{tr('DIBEKUKAN')} {fmt.datetime_short(m.frozen_at, c.timezone, c.zone_label, self.lang)}"
            if m.missing_monitors:
                out["missing"] = f"{m.missing_monitors} {tr('monitor tidak terdeteksi')}"
        if self.cfg.city.demo:
            out["demo"] = tr("DATA SIMULASI")
        return out

    def paint_band(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), theme.BG)
        frags = self.frags()
        right_end = self._right_group(p, frags[-1])
        self._left_group(p, frags[0], right_end if len(frags) == 1 else frags[0].right())
        p.setPen(theme.CARD_EDGE)
        p.drawLine(QPointF(0, self.height() - 1), QPointF(self.width(), self.height() - 1))

    def _left_group(self, p: QPainter, frag: QRectF, limit: float) -> None:
        h = self.height()
        x = frag.left() + self.px(20)
        if self.logo is not None:
            size = self.logo.defaultSize()
            lh = h * 0.8
            lw = lh * size.width() / max(1, size.height())
            self.logo.render(p, QRectF(x, (h - lh) / 2, lw, lh))
            x += lw + self.px(18)
        fc = self.font_px(40, bold=True)
        p.setFont(fc)
        p.setPen(theme.TEXT)
        city_w = min(theme.text_width(self.shown["city"], fc), limit - x)
        p.drawText(QRectF(x, 0, city_w, h), Qt.AlignmentFlag.AlignVCenter, theme.elide(self.shown["city"], fc, city_w))
        x += city_w + self.px(26)
        if x < limit - self.px(60):
            p.setPen(theme.CARD_EDGE)
            p.drawLine(QPointF(x - self.px(13), h * 0.25), QPointF(x - self.px(13), h * 0.75))
            fs = self.font_px(34)
            p.setFont(fs)
            p.setPen(theme.ACCENT)
            w = limit - x - self.px(20)
            p.drawText(QRectF(x, 0, w, h), Qt.AlignmentFlag.AlignVCenter, theme.elide(self.shown["scene"], fs, w))

    def _right_group(self, p: QPainter, frag: QRectF) -> float:
        h = self.height()
        right = frag.right() - self.px(20)
        fclock = self.font_px(44, bold=True)
        cw = theme.text_width(self.shown["clock"], fclock) + self.px(8)
        p.setFont(fclock)
        p.setPen(theme.TEXT)
        p.drawText(QRectF(right - cw, 0, cw, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.shown["clock"])
        right -= cw + self.px(28)
        fb = self.font_px(26, bold=True)
        for key, color in (("missing", theme.STATUS["critical"]), ("frozen", theme.ACCENT), ("demo", theme.DEMO)):
            if key in self.shown:
                right = self._badge(p, right, self.shown[key], color, fb) - self.px(16)
        fs = self.font_px(26)
        p.setFont(fs)
        for key in ("sources", "as_of"):
            if key in self.shown:
                w = theme.text_width(self.shown[key], fs) + self.px(10)
                if right - w < frag.left() + self.px(20):
                    break
                p.setPen(theme.MUTED)
                p.drawText(QRectF(right - w, 0, w, h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, self.shown[key])
                right -= w + self.px(24)
        return right

    def font_px(self, size: float, bold: bool = False):
        return theme.font(self.px(size), bold)


class FooterBand(Band):
    PAGE_MS = 8000

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.model = FooterModel()
        self.start = 0
        self.pages: list[list[int]] = []
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.next_page)
        self._timer.start(self.PAGE_MS)

    def set_model(self, model: FooterModel) -> None:
        self.model = model
        self.start = self.start if self.start < len(model.items) else 0
        self.invalidate()

    def next_page(self) -> None:
        n = len(self.model.items)
        shown = sum(len(x) for x in self.pages)
        start = (self.start + max(1, shown)) % n if n else 0
        if start != self.start:  # every item fits (or none): the same page, nothing to paint
            self.start = start
            self.invalidate()

    def item_text(self, item) -> str:
        if item.kind == "source-failing":
            return f"{tr('Sumber tidak tersedia')}: {item.text}"
        if item.kind == "source-late":
            return f"{tr('Sumber terlambat')}: {item.text}"
        if item.kind == "source-stale":
            return f"{tr('Data kedaluwarsa')}: {item.text}"
        return item.text

    def paint_band(self, p: QPainter) -> None:
        """Pages the items; `pages` and `shown` are what this paint fitted (kept with the pixmap)."""
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), theme.BG)
        p.setPen(theme.CARD_EDGE)
        p.drawLine(QPointF(0, 0), QPointF(self.width(), 0))
        f = theme.font(self.px(26))
        fb = theme.font(self.px(24), bold=True)
        items = list(self.model.items)
        order = items[self.start:] + items[: self.start]
        self.pages, self.shown = [], {}
        k = 0
        for i, frag in enumerate(self.frags()):
            x = frag.left() + self.px(20)
            if i == 0 and self.model.demo:
                text = "⚠ " + tr("DATA SIMULASI")
                self.shown["demo"] = tr("DATA SIMULASI")
                w = theme.text_width(text, fb) + self.px(28)
                x = self._badge(p, x + w, text, theme.DEMO, fb) + w + self.px(20)
            page: list[int] = []
            while k < len(order):
                text = self.item_text(order[k])
                icon = self.height() * 0.42
                w = icon + self.px(14) + theme.text_width(text, f)
                if x + w > frag.right() - self.px(20):
                    if not page:  # one long item: elide it rather than skip it
                        w = frag.right() - self.px(20) - x
                    else:
                        break
                self._item(p, order[k], text, QRectF(x, 0, w, self.height()), icon, f)
                self.shown[f"item{len(self.shown)}"] = text
                page.append(k)
                x += w + self.px(40)
                k += 1
            self.pages.append(page)

    def _item(self, p: QPainter, item, text: str, r: QRectF, icon: float, f) -> None:
        status = {"critical": "critical", "warning": "warning"}.get(item.severity, "ok")
        if item.kind == "announcement":
            status = ""
        theme.draw_status_icon(p, QPointF(r.left() + icon / 2, r.center().y()), icon, status)
        p.setFont(f)
        p.setPen(theme.TEXT)
        tr_ = r.adjusted(icon + self.px(14), 0, 0, 0)
        p.drawText(tr_, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, theme.elide(text, f, tr_.width()))
