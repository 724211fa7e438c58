"""The panel base: a card with a title row, a freshness badge and a body a subclass paints.

A panel knows its fragments (the pieces of it each screen shows, in widget pixels) so it can keep
text off the seams between monitors: the title sits in the top-left fragment, the badge in the
top-right one, and `avoid_seams` slides a text rectangle to one side of a seam.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QWidget

from commandcenter import fmt
from commandcenter.ui import paint_cache, theme
from commandcenter.ui.paint_cache import PaintCache
from commandcenter.ui.i18n import STATE_LABELS, tr
from commandcenter.wall.models import BAD_FRESHNESS, TROUBLED, split_freshness


@dataclass
class TitleFit:
    """How a title and the freshness badge share the title row(s) at this panel's size."""
    font: QFont
    lines: list[tuple[str, QRectF]]  # each line and its rectangle
    height: float  # of the title block: the body starts below it
    badge: str  # the badge's text (maybe a shorter form), "" for none
    badge_w: float  # its pill's width


@dataclass
class PanelContext:
    cfg: Any
    lang: str = "id"
    scale: float = 1.0  # window px per virtual wall px

    @property
    def tz(self) -> str:
        return self.cfg.city.timezone

    @property
    def zone(self) -> str:
        return self.cfg.city.zone_label


# a scene's first read normally lands within this: until then an empty panel shows only the
# wall's background, so the wall never flashes "Memuat data…" and never paints each card twice
LOADING_GRACE_S = 1.0


class Panel(QWidget):
    kind = ""
    # a narrow card's title may wrap to this many lines before it is elided (a KPI tile of 2 x 3
    # cells holds "Panggilan 112 · Inspektorat" only on two)
    title_max_lines = 1
    needs_data = True
    time_dependent = False  # what it paints changes with the clock, not only with the model
    now: float | None = None  # the wall's frozen instant in a briefing (None: live); set by the controller
    cache_paint = True  # keep the painted card in a pixmap until the model or the size changes

    def __init__(self, spec: Any, ctx: PanelContext, fragments: list[QRectF] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.ctx = spec, ctx
        self.model: Any = None
        self.fragments: list[QRectF] = fragments or []
        self.shown: dict[str, str] = {}  # key -> what the panel says, in full (read by tests and exports)
        # key -> (text as painted, its rectangle, its width at the font painted): a narrow card may
        # paint a shorter form of a shown text or wrap it ("\n" between lines); tests read this to
        # check that nothing painted is cut or wider than its place
        self.drawn: dict[str, tuple[str, QRectF, float]] = {}
        self._title_fit: tuple[tuple, TitleFit] | None = None
        # a cached card is painted onto the wall's background colour, so it covers its whole
        # rectangle: Qt need not paint the window beneath it first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, self.cache_paint)
        self._painted = PaintCache()  # the card as last painted, see paintEvent
        self._frame: tuple | None = None  # (key, pixmap) of the card's frame, see _frame_layer
        self._born = time.monotonic()
        self._grace_timer = False

    # -- sizes ----------------------------------------------------------------------------------
    def px(self, v: float) -> float:
        return v * self.ctx.scale

    def font(self, size: float, bold: bool = False, condensed: bool = False):  # type: ignore[override]
        return theme.font(self.px(size), bold, condensed)

    @property
    def pad(self) -> float:
        return self.px(18)

    def frags(self) -> list[QRectF]:
        return self.fragments or [QRectF(0, 0, self.width(), self.height())]

    def vgaps(self) -> list[tuple[float, float]]:
        """Hidden vertical strips (x ranges) between horizontally neighbouring fragments."""
        out = []
        for a in self.frags():
            for b in self.frags():
                if b.left() >= a.right() - 0.5 and abs(a.top() - b.top()) < 1 and b.left() - a.right() < self.px(400):
                    out.append((a.right(), b.left()))
        return sorted(set(out))

    def hgaps(self) -> list[tuple[float, float]]:
        out = []
        for a in self.frags():
            for b in self.frags():
                if b.top() >= a.bottom() - 0.5 and abs(a.left() - b.left()) < 1 and b.top() - a.bottom() < self.px(400):
                    out.append((a.bottom(), b.top()))
        return sorted(set(out))

    def avoid_seams(self, r: QRectF, margin: float | None = None) -> QRectF:
        """Slide a text rect sideways (then up/down) off any seam, the shorter way."""
        m = self.px(8) if margin is None else margin
        r = QRectF(r)
        for g0, g1 in self.vgaps():
            if r.right() > g0 - m and r.left() < g1 + m:
                left, right = g0 - m - r.right(), g1 + m - r.left()
                r.translate(left if -left <= right else right, 0)
        for g0, g1 in self.hgaps():
            if r.bottom() > g0 - m and r.top() < g1 + m:
                up, down = g0 - m - r.bottom(), g1 + m - r.top()
                r.translate(0, up if -up <= down else down)
        return r

    def fragment_at(self, x: float, y: float) -> QRectF:
        for f in self.frags():
            if f.contains(QPointF(x, y)):
                return f
        return self.frags()[0]

    # -- model ----------------------------------------------------------------------------------
    def set_model(self, model: Any) -> None:
        """A None model (query failed) keeps the last one: the wall never blanks a known number."""
        if model is None:
            return
        self.model = model
        self.update_texts()
        self.model_changed()
        self.invalidate()

    def invalidate(self) -> None:
        """What the card shows changed: paint it afresh (into the same pixmap: a wall running for
        months must not churn through a new megabyte-sized buffer at every update)."""
        self._painted.invalidate()
        self.update()

    def update_texts(self) -> None:
        self.shown = {"title": self.title()}

    def model_changed(self) -> None:
        """Hook for panels holding child widgets (plots)."""

    def title(self) -> str:
        if self.model is not None and getattr(self.model, "title", ""):
            return self.model.title
        return self.spec.title or ""

    @property
    def freshness(self) -> str:
        return split_freshness(getattr(self.model, "freshness", "") or "")[0]

    @property
    def ages(self) -> bool:
        """Its badge names the data's age ("data 12 menit lalu"): repaint as the clock moves."""
        return self.delivered_at is not None and self.freshness in (TROUBLED, "stale")

    @property
    def delivered_at(self) -> float | None:
        """When the sources behind this panel last delivered (for "data 12 menit lalu")."""
        return split_freshness(getattr(self.model, "freshness", "") or "")[1]

    @property
    def is_stale(self) -> bool:
        return self.freshness in BAD_FRESHNESS or getattr(self.model, "status", "") == "stale"

    # -- painting -------------------------------------------------------------------------------
    def title_row(self) -> float:
        """The height of one title line's row (the badge sits in the first)."""
        return self.px(theme.TITLE * 1.6)

    def title_height(self) -> float:
        return self.title_fit().height

    # title sizes tried, in order: (px at 1080p, lines); the title steps down a little on one line,
    # then wraps, then steps down to the smallest wall text before anything is elided
    TITLE_STEPS = ((theme.TITLE, 1), (theme.TITLE - 2, 1), (theme.TITLE - 4, 1), (theme.TITLE - 6, 1),
                   (theme.TITLE - 4, 2), (theme.TITLE - 6, 2), (theme.SMALL, 2), (theme.SMALL, 1))
    # below a badge that leaves no word room beside it: one line if it can, the title's last rows
    BELOW_BADGE = ((theme.TITLE - 4, 1), (theme.TITLE - 6, 1), (theme.SMALL, 1), (theme.SMALL, 2))

    def title_steps(self) -> list[tuple[int, int]]:
        return [(px, n) for px, n in self.TITLE_STEPS if n <= self.title_max_lines]

    def title_fit(self) -> TitleFit:
        """The title's font and lines and the badge's form, measured once per size and text (it is
        read at every body paint through body_rect)."""
        texts = tuple(self.badge_texts())
        key = (self.width(), self.height(), self.ctx.scale, tuple(self.title_forms()), texts,
               tuple((f.x(), f.y(), f.width(), f.height()) for f in self.fragments))
        if self._title_fit is None or self._title_fit[0] != key:
            self._title_fit = (key, self._measure_title(list(texts)))
        return self._title_fit[1]

    def _measure_title(self, badge_texts: list[str]) -> TitleFit:
        """The title whole if any way holds it: beside the badge (the badge giving up its longer
        forms first: the title says what the card is), then, on a card that may wrap its title,
        below the badge; cut only when nothing holds it."""
        frag = self.fragment_at(1, 1)
        bfrag = self.fragment_at(self.width() - 2, 1)
        fb = self.font(theme.SMALL, bold=True)
        left = frag.left() + self.pad
        full = frag.right() - self.pad - left
        badges = [(t, theme.text_width("⚠ " + t, fb) + self.px(24) if t else 0.0) for t in badge_texts or [""]]

        def beside(badge_w: float) -> float:
            if badge_w and bfrag.right() - self.pad - badge_w > frag.left():  # the badge is in this fragment
                return min(full, bfrag.right() - self.pad - badge_w - self.pad - left)
            return full

        def fitting(room: float) -> list[tuple[str, float]]:
            return [b for b in badges if b[1] <= room] or badges[-1:]

        titles = self.title_forms()
        for badge, badge_w in fitting(bfrag.width() * 0.62):
            for px, n in self.title_steps():
                f = self.font(px, bold=True)
                for title in titles:  # a shorter form at this size before a smaller size
                    lines = theme.wrap(title, f, [beside(badge_w), full], n)
                    if lines is not None:
                        return self._title_lines(f, lines, False, badge, badge_w, beside(badge_w))
        below = badges[0][0] != "" and self.title_max_lines > 1
        if below:  # no word fits beside the badge: the title starts below it
            for badge, badge_w in fitting(full):
                for px, n in self.BELOW_BADGE:
                    f = self.font(px, bold=True)
                    for title in titles:
                        lines = theme.wrap(title, f, [full], min(n, self.title_max_lines))
                        if lines is not None:
                            return self._title_lines(f, lines, True, badge, badge_w, full)
        badge, badge_w = badges[-1]
        f = self.font(theme.SMALL, bold=True)
        width = full if below else beside(badge_w)
        return self._title_lines(f, [self.title_elided(f, width)], below, badge, badge_w, width)

    def _title_lines(self, f: QFont, lines: list[str], below: bool, badge: str, badge_w: float,
                     first_w: float) -> TitleFit:
        left = self.fragment_at(1, 1).left() + self.pad
        full = self.fragment_at(1, 1).right() - self.pad - left
        row, top = self.title_row(), self.px(7)
        if len(lines) == 1 and not below:  # one line, centred in the row as ever
            return TitleFit(f, [(lines[0], QRectF(left, 0, first_w, row))], row, badge, badge_w)
        ls = QFontMetricsF(f).lineSpacing()
        y = row if below else top
        rects = []
        for i, text in enumerate(lines):
            rects.append((text, QRectF(left, y, first_w if i == 0 else full, ls)))
            y += ls
        return TitleFit(f, rects, max(row, y + top), badge, badge_w)

    def title_forms(self) -> list[str]:
        """The title, then shorter forms saying the same (a ranking's period abbreviated)."""
        return [self.title()]

    def title_elided(self, f: QFont, width: float) -> str:
        """The title cut to `width` when no size and no wrap holds it whole."""
        return theme.elide(self.title(), f, width)

    def draw_text(self, p: QPainter, key: str, r: QRectF, flags, text: str) -> None:
        """Paint a text and note what was painted where (self.drawn)."""
        p.drawText(r, flags, text)
        self.drawn[key] = (text, QRectF(r), theme.text_width(text, p.font()))

    def body_rect(self) -> QRectF:
        top = self.title_height()
        return QRectF(self.pad, top, self.width() - 2 * self.pad, self.height() - top - self.pad * 0.8)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Panels repaint far more often than their model changes (a neighbour's update, a
        window repaint, a seam-spanning twin): paint the card once into a pixmap and blit it."""
        if self._awaiting_first_data():
            p = QPainter(self)
            p.fillRect(self.rect(), theme.BG)
            p.end()
            return
        if not self.cache_paint:
            paint_cache.renders += 1  # painted afresh every time: the picture may have moved
            self.paint_card_now(self)
            return
        self._painted.blit(self, self.paint_card_now)

    def _awaiting_first_data(self) -> bool:
        if self.model is not None or not self.needs_data:
            return False
        left = LOADING_GRACE_S - (time.monotonic() - self._born)
        if left <= 0:
            return False
        if not self._grace_timer:  # past the grace, say that the data are still coming
            self._grace_timer = True
            QTimer.singleShot(int(left * 1000) + 1, self, self._grace_over)
        return True

    def _grace_over(self) -> None:
        self._grace_timer = False  # a coarse timer may fire a little early: the paint re-arms it
        self.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._painted.drop()

    def paint_card_now(self, device) -> None:
        p = QPainter(device)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if self.cache_paint:
            p.drawPixmap(0, 0, self._frame_layer(device))
        else:
            self.paint_card(p)
            badge = self.paint_badge(p)
            self.paint_title(p, badge)
        if self.model is None and self.needs_data:
            self.paint_message(p, tr("Memuat data…"))
        else:
            if self.freshness == "stale":
                p.setOpacity(0.45)  # past the source's rhythm: still readable, visibly old
            self.paint_body(p, self.body_rect())
        p.end()

    def _frame_layer(self, device) -> QPixmap:
        """Card, badge and title: they change far less often than the body (a new value keeps
        its title and, mostly, its freshness), so they are kept in a pixmap of their own."""
        dpr = device.devicePixelRatioF() if hasattr(device, "devicePixelRatioF") else 1.0
        badge = self.badge_text()
        key = (self.width(), self.height(), dpr, self.title(), badge, self.freshness, self.is_stale)
        if self._frame is None or self._frame[0] != key:
            pm = QPixmap(self.size() * dpr)
            pm.setDevicePixelRatio(dpr)
            pm.fill(theme.BG)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.paint_card(p)
            self.paint_title(p, self.paint_badge(p))
            p.end()
            self._frame = (key, pm, self.shown.get("badge", badge))
        self.shown["badge"] = self._frame[2]  # as paint_badge chose it (maybe a shorter form)
        return self._frame[1]

    def paint_card(self, p: QPainter) -> None:
        # no alarm frame for old data: the dimmed body and the badge say it calmly
        edge = theme.FAINT if self.is_stale else theme.CARD_EDGE
        p.setPen(edge)
        p.setBrush(theme.CARD)
        w = self.px(1.5)
        from PySide6.QtGui import QPen

        p.setPen(QPen(edge, w))
        p.drawRoundedRect(QRectF(w / 2, w / 2, self.width() - w, self.height() - w), self.px(10), self.px(10))

    def paint_title(self, p: QPainter, badge: QRectF | None) -> None:
        fit = self.title_fit()
        p.setFont(fit.font)
        p.setPen(theme.TEXT)
        for text, r in fit.lines:
            p.drawText(r, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        fm = QFontMetricsF(fit.font)
        self.drawn["title"] = ("\n".join(t for t, _ in fit.lines), fit.lines[0][1].united(fit.lines[-1][1]),
                               max(fm.horizontalAdvance(t) for t, _ in fit.lines))

    def badge_text(self) -> str:
        state = self.freshness
        age = self.data_age()
        if state == TROUBLED:
            return f"{age} · {tr('sumber terganggu')}" if age else tr("sumber terganggu")
        if state == "stale" and age:
            return f"{tr('Kedaluwarsa')} · {age}"
        if state in BAD_FRESHNESS or state == "late":
            return tr(STATE_LABELS.get(state, state))
        if getattr(self.model, "status", "") == "stale":
            return tr("Data kedaluwarsa")
        return ""

    def data_age(self) -> str:
        at = self.delivered_at
        if at is None:
            return ""
        now = getattr(self, "now", None) or time.time()
        return fmt.data_age(at, now, self.ctx.lang)

    def badge_texts(self) -> list[str]:
        """The badge, then shorter forms of it for a narrow card (the title keeps some room)."""
        full = self.badge_text()
        age = self.data_age().removeprefix("data ")
        if self.freshness == TROUBLED and age:
            return [full, f"{age} · {tr('terganggu')}", tr("terganggu")]
        if self.freshness == "stale" and age:
            return [full, f"{tr('Kedaluwarsa')} · {age}", tr("Kedaluwarsa")]
        return [full]

    def paint_badge(self, p: QPainter) -> QRectF | None:
        """A pill at the top-right saying the data are late/stale/failing (never colour only)."""
        frag = self.fragment_at(self.width() - 2, 1)
        f = self.font(theme.SMALL, bold=True)
        fit = self.title_fit()
        text = fit.badge
        self.shown["badge"] = text
        if not text:
            return None
        w = fit.badge_w
        h = self.px(theme.SMALL * 1.5)
        r = QRectF(frag.right() - self.pad - w, (self.title_row() - h) / 2, w, h)
        if self.freshness == TROUBLED:  # a quiet tag, not an alarm: the values are still good
            p.setPen(theme.CARD_EDGE)
            p.setBrush(theme.CARD_EDGE)
            p.drawRoundedRect(r, h / 2, h / 2)
            p.setPen(theme.MUTED)
            p.setFont(f)
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "⚠ " + text)
            return r
        color = theme.FRESHNESS.get(self.freshness) if self.freshness in theme.FRESHNESS and self.freshness else theme.STATUS["stale"]
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawRoundedRect(r, h / 2, h / 2)
        p.setPen(theme.BG)
        p.setFont(f)
        p.drawText(r, Qt.AlignmentFlag.AlignCenter, "⚠ " + text)
        return r

    def paint_message(self, p: QPainter, text: str) -> None:
        p.setPen(theme.MUTED)
        p.setFont(self.font(theme.BODY))
        p.drawText(self.avoid_seams(self.body_rect()), Qt.AlignmentFlag.AlignCenter, text)

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        """Subclasses draw their content inside r."""

    # -- shared formatting ----------------------------------------------------------------------
    def fmt_value(self, value: float | None, unit: str, decimals: int | None = None) -> str:
        return fmt.value_with_unit(value, unit, self.ctx.lang, decimals)

    def fmt_when(self, ts: float | None) -> str:
        if ts is None:
            return "–"
        return fmt.datetime_short(ts, self.ctx.tz, self.ctx.zone, self.ctx.lang)

    def fmt_date(self, ts: float | None) -> str:
        return "–" if ts is None else fmt.date_short(ts, self.ctx.tz, self.ctx.lang)

    def fmt_relative(self, ts: float | None, frozen_at: float | None = None) -> str:
        """An age on a live wall; on a frozen or replayed wall the absolute time (an age counted
        from the real clock would keep growing on a picture of the past)."""
        if ts is None:
            return tr("belum ada")
        if frozen_at is not None:
            return self.fmt_when(ts)
        return fmt.relative(ts, time.time(), self.ctx.lang)
