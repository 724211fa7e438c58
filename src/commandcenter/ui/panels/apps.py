"""Application status board: every application as a tile, grouped by OPD, worst groups first.

Each state has its own colour and shape (up ✓ circle, degraded ! triangle, down ✕ square,
maintenance ◆ diamond, unknown ○ ring) and a word; the second line says the latency, the reason
or the certificate's days left. Tiles are laid out per monitor fragment, so none sits on a seam.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

COLORS = {"up": QColor("#22c55e"), "degraded": QColor("#fbbf24"), "down": QColor("#ef4444"),
          "maintenance": QColor("#60a5fa"), "unknown": QColor("#94a3b8")}
ICON = {"up": "ok", "degraded": "warning", "down": "critical", "unknown": "stale"}
WORDS = {"up": "Normal", "degraded": "Terganggu", "down": "Mati", "maintenance": "Pemeliharaan",
         "unknown": "Belum diketahui"}
def state_word(state: str, lang: str) -> str:
    from commandcenter.i18n import tr

    return tr(WORDS.get(state, state), lang)  # the one catalog (resources/locale)


def draw_state_icon(p: QPainter, center: QPointF, size: float, state: str) -> None:
    """theme's status shapes, plus a blue diamond for maintenance."""
    if state != "maintenance":
        theme.draw_status_icon(p, center, size, ICON.get(state, "stale"))
        return
    r = size / 2
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(COLORS["maintenance"])
    path = QPainterPath(QPointF(center.x(), center.y() - r))
    for dx, dy in ((r, 0), (0, r), (-r, 0)):
        path.lineTo(center.x() + dx, center.y() + dy)
    path.closeSubpath()
    p.drawPath(path)
    p.setPen(QPen(theme.BG, max(1.5, size * 0.12)))
    p.drawLine(QPointF(center.x() - r * 0.35, center.y()), QPointF(center.x() + r * 0.35, center.y()))
    p.restore()


def fragment_areas(panel: Panel) -> list[QRectF]:
    """The content area of each monitor fragment of a panel, in reading order."""
    out = []
    title_h = panel.title_height()
    for f in sorted(panel.frags(), key=lambda r: (round(r.top()), round(r.left()))):
        top = f.top() + (title_h if f.top() < 1 else panel.pad * 0.5)
        out.append(QRectF(f.left() + panel.pad, top, f.width() - 2 * panel.pad, f.bottom() - panel.pad * 0.6 - top))
    return out


def grid_slots(areas: list[QRectF], n: int, min_w: float, max_h: float, min_h: float,
               by_column: bool = False) -> list[QRectF]:
    """At least n cells of equal height spread over the areas (the largest height that fits),
    row-major, or column by column (`by_column`: lists read top to bottom, then the next column)."""
    cols = [max(1, int(a.width() // min_w)) for a in areas]
    h = max_h
    while h > min_h and sum(c * int(a.height() // h) for a, c in zip(areas, cols)) < n:
        h *= 0.94
    h = max(h, min_h)
    slots = []
    for a, c in zip(areas, cols):
        rows, w = int(a.height() // h), a.width() / c
        order = [(r, k) for k in range(c) for r in range(rows)] if by_column else \
            [(r, k) for r in range(rows) for k in range(c)]
        slots += [QRectF(a.left() + k * w, a.top() + r * h, w, h) for r, k in order]
    return slots


def place_groups(slots: list[QRectF], groups: list[tuple[object, list[object]]],
                 cont: str = " (lanj.)") -> list[tuple[QRectF, str, object]]:
    """Each group's label then its tiles, down the columns; a label never ends a column (it
    moves to the next one with its first tile), and a group going on in the next column says so
    at its top."""
    out, i = [], 0
    for label, tiles in groups:
        if i + 1 < len(slots) and _column_ends_at(slots, i):
            i += 1
        items = [("label", label)] + [("tile", t) for t in tiles]
        for k, (kind, item) in enumerate(items):
            if kind == "tile" and k > 1 and out and i < len(slots) and _new_column(slots, i):
                if i + 1 >= len(slots):
                    return out
                out.append((slots[i], "label", f"{label}{cont}"))
                i += 1
            if i >= len(slots):
                return out
            out.append((slots[i], kind, item))
            i += 1
    return out


def _new_column(slots: list[QRectF], i: int) -> bool:
    return i > 0 and (slots[i].top() < slots[i - 1].top() or abs(slots[i].left() - slots[i - 1].left()) > 1)


def _column_ends_at(slots: list[QRectF], i: int) -> bool:
    nxt = slots[i + 1]
    return nxt.top() < slots[i].top() or abs(nxt.left() - slots[i].left()) > 1


@register("apps")
class AppsPanel(Panel):
    time_dependent = False

    def update_texts(self) -> None:
        self.icons: dict[str, tuple[QPointF, float]] = {}  # app id -> icon centre and size, as painted
        self.shown = {"title": self.title(), "counts": self._counts_text()}
        self._details: dict[str, str] = {}  # formatted once per model, not once per paint
        for g in self.model.groups:
            self.shown[f"opd:{g.opd}"] = g.label
            for t in g.tiles:
                self._details[t.id] = self._detail(t)
                self.shown[f"app:{t.id}"] = f"{t.state}|{self._details[t.id]}"

    def _counts_text(self) -> str:
        lang = self.ctx.lang
        return "  ".join(f"{n} {state_word(s, lang)}" for s, n in self.model.counts if n)

    def _detail(self, t) -> str:
        lang = self.ctx.lang
        if t.state == "up":
            parts = [f"{self.fmt_value(t.latency_ms, 'count')} ms"] if t.latency_ms is not None else []
            if t.cert_days is not None:
                parts.append(f"TLS {max(0, int(t.cert_days))} {'days' if lang == 'en' else 'hr'}")
            return " · ".join(parts)
        return t.reason or state_word(t.state, lang)

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        if not self.model.groups:
            self.paint_message(p, tr("Tidak ada data"))
            return
        n = sum(len(g.tiles) + 3 for g in self.model.groups)  # + a label, room to move it, a continuation
        areas = fragment_areas(self)
        legend_h = self.px(40)
        areas[0] = QRectF(areas[0].left(), areas[0].top() + legend_h, areas[0].width(), areas[0].height() - legend_h)
        self._legend(p, QRectF(areas[0].left(), areas[0].top() - legend_h, areas[0].width(), legend_h * 0.85))
        slots = grid_slots(areas, n, self.px(360), self.px(120), self.px(58), by_column=True)
        placed = place_groups(slots, [(g.label, list(g.tiles)) for g in self.model.groups],
                              " (lanj.)" if self.ctx.lang != "en" else " (cont.)")
        hidden = sum(len(g.tiles) for g in self.model.groups) - sum(1 for _, kind, _ in placed if kind == "tile")
        if hidden > 0:  # the worst groups come first: what does not fit is the healthiest
            hidden += sum(1 for _, kind, _ in placed[-1:] if kind == "tile")
            placed[-1] = (placed[-1][0], "more", hidden)
        self.shown["hidden"] = str(max(0, hidden))
        h = slots[0].height() if slots else self.px(60)
        # one set of fonts per paint: fitting text per tile costs ~0.5 ms each, 500 tiles a frame
        big, small = _step(min(self.px(theme.BODY), h * 0.36)), _step(max(self.px(16), min(self.px(theme.SMALL), h * 0.3)))
        self._fonts = (theme.font(big, bold=True, condensed=True), theme.font(small, condensed=True),
                       theme.font(big, bold=True))
        self._metrics = tuple(QFontMetricsF(f) for f in self._fonts)
        px = self.px
        self._k = {"pen": px(1.5), "down_pen": px(3), "radius": px(8), "icon": px(34), "p2": px(2), "p8": px(8),
                   "p12": px(12), "p20": px(20), "p22": px(22), "plain": theme.CARD_EDGE.darker(115)}
        for slot, kind, item in placed:
            box = slot.adjusted(self.px(4), self.px(4), -self.px(4), -self.px(4))
            if kind == "label":
                self._label(p, box, item)
            elif kind == "more":
                self._label(p, box, f"+{item} {'lainnya' if self.ctx.lang != 'en' else 'more'}")
            else:
                self._tile(p, box, item)

    def _legend(self, p: QPainter, r: QRectF) -> None:
        x, size = r.left(), r.height() * 0.62
        f = self.font(theme.SMALL, bold=True)
        p.setFont(f)
        for state, n in self.model.counts:
            text = f"{n} {state_word(state, self.ctx.lang)}"
            w = size + self.px(10) + theme.text_width(text, f) + self.px(28)
            if x + w > r.right():
                break
            draw_state_icon(p, QPointF(x + size / 2, r.center().y()), size, state)
            p.setPen(COLORS[state] if n else theme.FAINT)
            p.drawText(QRectF(x + size + self.px(10), r.top(), w, r.height()), Qt.AlignmentFlag.AlignVCenter, text)
            x += w

    def _label(self, p: QPainter, box: QRectF, text: str) -> None:
        f = self._fonts[2]
        p.setFont(f)
        p.setPen(theme.MUTED)
        p.drawLine(QPointF(box.left(), box.bottom() - self.px(6)), QPointF(box.right(), box.bottom() - self.px(6)))
        p.drawText(box.adjusted(self.px(4), 0, 0, -self.px(10)), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                   _elide(self._metrics[2], text, box.width() - self.px(8)))

    def _tile(self, p: QPainter, box: QRectF, t) -> None:
        """One tile; hot (500 applications: up to ~170 tiles a paint), so look-ups are hoisted."""
        k = self._k
        color = COLORS.get(t.state, COLORS["unknown"])
        if t.state in ("down", "degraded"):
            p.setBrush(_tint(color, 0.27 if t.state == "down" else 0.13))
            p.setPen(QPen(color, k["down_pen"] if t.state == "down" else k["pen"]))
            p.drawRoundedRect(box, k["radius"], k["radius"])
        else:  # the healthy majority: a plain card, no antialiased corners to compute
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.fillRect(box, k["plain"])
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        icon = min(box.height() * 0.42, k["icon"])
        center = QPointF(box.left() + k["p12"] + icon / 2, box.top() + box.height() * 0.34)
        draw_state_icon(p, center, icon, t.state)
        self.icons[t.id] = (center, icon)
        text_l = box.left() + icon + k["p22"]
        w = box.right() - text_l - k["p8"]
        line = box.height() / 2
        p.setFont(self._fonts[0])
        p.setPen(theme.TEXT)
        p.drawText(QRectF(text_l, box.top() + k["p2"], w, line), _VCENTER, _elide(self._metrics[0], t.name, w))
        p.setFont(self._fonts[1])
        p.setPen(color if t.state != "up" else theme.MUTED)
        dw = box.width() - k["p20"]
        p.drawText(QRectF(box.left() + k["p12"], box.top() + line, dw, line - k["p2"]), _VCENTER,
                   _elide(self._metrics[1], self._details.get(t.id, ""), dw))


_VCENTER = Qt.AlignmentFlag.AlignVCenter


def _step(px: float) -> float:
    """Font sizes in whole steps of 2 px: a new size costs a new glyph cache on the first paint."""
    return max(8.0, 2 * int(px / 2))


def _elide(fm: QFontMetricsF, text: str, width: float) -> str:
    if fm.horizontalAdvance(text) <= width:
        return text
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


_TINTS: dict[tuple[int, float], QColor] = {}


def _tint(color: QColor, share: float) -> QColor:
    key = (color.rgba(), share)
    if key not in _TINTS:
        base = theme.CARD_EDGE.darker(115)
        _TINTS[key] = QColor(*(round(a + (b - a) * share) for a, b in zip(base.getRgb()[:3], color.getRgb()[:3])))
    return _TINTS[key]
