"""KPI: one big number with its status (colour AND shape), target, achievement, change, sparkline
and the date of the data. The number sits wholly inside the panel's biggest fragment."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPainterPath, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel, TitleFit
from commandcenter.ui.panels.registry import register


@dataclass
class KpiLayout:
    rects: dict[str, QRectF]
    texts: dict[str, str]  # each line's form that fits its rectangle (maybe shorter than shown)
    value_font: QFont
    line_font: QFont  # target, achievement, change
    small_font: QFont  # period, as-of


@register("kpi")
class KpiPanel(Panel):
    title_max_lines = 2

    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.forms: dict[str, list[str]] = {}  # key -> shown text, then shorter forms saying the same
        self._lay: tuple[tuple, KpiLayout] | None = None

    # a tile narrower than this (px at 1080p, inside its pads) is one of a row of small tiles: its
    # title is set at one size in two reserved lines, so the values of a row line up at one size
    NARROW = 400
    NARROW_STEPS = ((theme.TITLE - 4, 1), (theme.TITLE - 4, 2), (theme.TITLE - 6, 2), (theme.SMALL, 2))

    def narrow(self) -> bool:
        return self.fragment_at(1, 1).width() - 2 * self.pad < self.px(self.NARROW)

    def title_steps(self) -> list[tuple[int, int]]:
        return list(self.NARROW_STEPS) if self.narrow() else super().title_steps()

    def _measure_title(self, badge_texts: list[str]) -> TitleFit:
        fit = super()._measure_title(badge_texts)
        if self.narrow():
            ls = QFontMetricsF(self.font(theme.TITLE - 4, bold=True)).lineSpacing()
            fit.height = max(fit.height, 2 * ls + 2 * self.px(7))
            (text, r), = fit.lines if len(fit.lines) == 1 else ((None, None),)
            if text is not None and r.top() == 0:  # one line where its neighbours' first lines are
                fit.lines = [(text, QRectF(r.left(), self.px(7), r.width(), ls))]
        return fit

    def update_texts(self) -> None:
        m = self.model
        lang = self.ctx.lang
        value = self.fmt_value(m.value, m.unit, m.decimals)
        self.shown = {"title": self.title(), "value": value, "status": theme.status_glyph(m.status)}
        self.forms = {}
        if m.band is not None:
            lo, hi = (fmt.number(b, 0 if float(b).is_integer() else 1, lang) for b in m.band)
            self.shown["target"] = f"{tr('Rentang sehat')} {lo}–{hi}{'%' if m.unit == 'percent' else ''}"
        elif m.target is not None:
            self.shown["target"] = f"{tr('Target')} {self.fmt_value(m.target, m.unit, m.decimals)}"
        if m.achievement is not None:
            self.shown["achievement"] = f"{tr('Capaian')} {fmt.percent(m.achievement, 1, lang)}"
        if m.change is not None:
            arrow = "▲" if m.change > 0 else "▼" if m.change < 0 else "▶"
            size = fmt.change(m.change, m.unit, lang, m.decimals)
            self.shown["change"] = f"{arrow} {size} {fmt.compared_with(m.compare, lang)}"
            self.forms["change"] = [self.shown["change"], f"{arrow} {size} {fmt.compared_with(m.compare, lang, short=True)}"]
        if m.as_of is None:
            self.shown["as_of"] = tr("Tidak ada data")
            return
        closed = m.period_kind != "instant" and not m.running
        now = self.now if self.now is not None else time.time()
        whens = fmt.as_of_forms(m.as_of, self.ctx.tz, self.ctx.zone, lang, period_end=closed, now=now)
        # the shortest: "Per 2 Des 06.45" ("As of 2 Dec 06:45"), then the instant alone
        self.forms["as_of"] = [f"{tr('Data per')} {w}" for w in whens] + [f"{tr('Per')} {whens[-1]}", whens[-1]]
        self.shown["as_of"] = self.forms["as_of"][0]
        if self.ages:  # a narrow card's badge may be too short to hold the data's age: say it here
            age = self.data_age()
            self.shown["as_of"] += f" · {age}"
            self.forms["as_of"] = [f"{t} · {age}" for t in self.forms["as_of"]] + [
                f"{whens[-1]} · {age.removeprefix('data ')}"] + self.forms["as_of"]
        words = fmt.period_text(m.period, m.period_kind, lang, m.cumulative, m.running)
        if words:  # "Desember 2026 (berjalan)", "s.d. Juni 2025"
            self.shown["period"] = words
            self.forms["period"] = [words, fmt.period_text(m.period, m.period_kind, lang, m.cumulative, m.running,
                                                           short=True)]

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
        return self.fitted().rects

    def fitted(self) -> KpiLayout:
        """Rectangles, fonts and the text forms that fit, measured once per size and texts (a
        wall paints 16 of these at start-up; fitting tries several fonts and forms)."""
        fit = self.title_fit()
        key = (self.width(), self.height(), self.ctx.scale, fit.height, fit.badge, self.is_stale,
               self.model.status, tuple((k, v) for k, v in self.shown.items() if k != "badge"))
        if self._lay is None or self._lay[0] != key:
            self._lay = (key, self._measure(fit.badge))
        return self._lay[1]

    def _forms(self, key: str) -> list[str]:
        return self.forms.get(key) or [self.shown[key]]

    def _measure(self, badge: str) -> KpiLayout:
        a = self.value_area()
        texts: dict[str, str] = {}
        # target, achievement and change share one size: the largest at which each fits in full,
        # else the smallest wall text with each line's shorter form (then cut, the last resort)
        keys = [k for k in ("target", "achievement", "change") if k in self.shown]
        # a row of narrow tiles: one size for all (a short change would be bigger than its neighbours')
        for px in (theme.SMALL,) if self.narrow() else (theme.BODY, theme.BODY - 2, theme.SMALL):
            f = self.font(px)
            if all(theme.text_width(self.shown[k], f) <= a.width() for k in keys):
                texts.update({k: self.shown[k] for k in keys})
                break
        else:
            for k in keys:
                forms = self._forms(k)
                texts[k] = theme.first_fitting(forms, f, a.width()) or theme.elide(forms[-1], f, a.width())
        line_font = f
        fs = self.font(theme.SMALL)
        foot: list[tuple[str, str]] = []  # the as-of (maybe its age on a line of its own), the period
        if "as_of" in self.shown:
            forms = self._forms("as_of")
            age = self.data_age() if self.ages else ""
            if age and badge and age.removeprefix("data ") in badge:
                age = ""  # the badge says it
            with_age = [t for t in forms if not age or age.removeprefix("data ") in t]
            text = theme.first_fitting(with_age, fs, a.width())
            if text is None and age:  # the age on a line of its own under the as-of
                foot.append(("age", theme.first_fitting([age], fs, a.width()) or theme.elide(age, fs, a.width())))
                with_age = [t for t in forms if age.removeprefix("data ") not in t]
                text = theme.first_fitting(with_age, fs, a.width())
            foot.insert(0, ("as_of", text or theme.elide(with_age[-1], fs, a.width())))
        if "period" in self.shown:
            forms = self._forms("period")
            foot.append(("period", theme.first_fitting(forms, fs, a.width()) or theme.elide(forms[-1], fs, a.width())))
        line = QFontMetricsF(line_font).lineSpacing() * 1.15
        small = self.px(theme.SMALL * 1.4)

        def value_height() -> float:
            rest = a.height() - len(keys) * line - len(foot) * small - self.px(6)
            return min(a.height() * 0.46, rest)

        # too little room for the value at a readable size: lines give way, the least needed first
        # (a change, then achievement and target; the age last: the as-of and the badge remain)
        while value_height() < self.px(44) and (keys or any(k == "age" for k, _t in foot)):
            if keys:
                texts.pop(keys.pop(), None)
            else:
                foot = [(k, t) for k, t in foot if k != "age"]
        # the value first: the sparkline takes what is left (drawn if it gets 20 px)
        value_h = max(value_height(), self.px(40))
        icon = value_h * 0.5 if (self.model.status or self.is_stale) else 0.0  # no target: no verdict
        y = a.top()
        out = {"icon": QRectF(a.left(), y + (value_h - icon) / 2, icon, icon)}
        text_left = a.left() + (icon + self.px(14) if icon else 0.0)
        vf = self.value_font(a.right() - text_left, value_h)
        w = theme.text_width(self.shown.get("value", ""), vf)
        out["value"] = QRectF(text_left, y, min(w + self.px(4), a.right() - text_left), value_h)
        y += value_h + self.px(6)
        for key in keys:
            out[key] = QRectF(a.left(), y, a.width(), line)
            y += line
        # bottom-up: the age under the as-of, the period above it
        for i, (key, text) in enumerate(sorted(foot, key=lambda kt: ("age", "as_of", "period").index(kt[0]))):
            out[key] = QRectF(a.left(), a.bottom() - (i + 1) * small, a.width(), small)
            texts[key] = text
        out["spark"] = QRectF(a.left(), y + self.px(8),
                              a.width(), max(0.0, a.bottom() - len(foot) * small - y - self.px(16)))
        return KpiLayout(out, texts, vf, line_font, fs)

    def value_font(self, width: float, height: float):
        return theme.fit_font(self.shown.get("value", "–"), width, height, height * 0.95, self.px(theme.BODY), bold=True)

    def value_rect(self) -> QRectF:
        return self.layout()["value"]

    # -- painting -------------------------------------------------------------------------------
    def paint_body(self, p: QPainter, r: QRectF) -> None:
        m = self.model
        lay = self.fitted()
        status = m.status if not self.is_stale else "stale"
        ic = lay.rects["icon"]
        if ic.width() > 0:
            theme.draw_status_icon(p, ic.center(), ic.width(), status or "")
        p.setFont(lay.value_font)
        p.setPen(theme.MUTED if self.is_stale else theme.TEXT)
        self.draw_text(p, "value", lay.rects["value"], Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       self.shown["value"])
        self._paint_lines(p, lay)
        self._paint_spark(p, lay.rects["spark"])

    def _paint_lines(self, p: QPainter, lay: KpiLayout) -> None:
        left = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        p.setFont(lay.line_font)
        for key in ("target", "achievement", "change"):
            if key in lay.texts:
                p.setPen(self._change_color() if key == "change" else theme.MUTED)
                self.draw_text(p, key, lay.rects[key], left, lay.texts[key])
        p.setFont(lay.small_font)
        p.setPen(theme.FRESHNESS["stale"] if self.is_stale else theme.MUTED)
        for key in ("period", "as_of", "age"):
            if key in lay.texts:
                self.draw_text(p, key, lay.rects[key], left, lay.texts[key])

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
