"""The wall's look: a dark, high-contrast palette, colour-blind-safe status marks, pixel fonts.

Sizes are in virtual wall pixels of a 1080-line monitor; multiply by the window's scale. The
smallest text (24 px at 1080p) stays legible from 5 m on a 55" monitor.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen

FAMILY = "DejaVu Sans"
CONDENSED = "DejaVu Sans Condensed"

BG = QColor("#070b12")
CARD = QColor("#111827")
CARD_EDGE = QColor("#1f2a3c")
TEXT = QColor("#f4f7fb")
MUTED = QColor("#a3b1c6")
FAINT = QColor("#5b6b82")
GRID = QColor(255, 255, 255, 34)
ACCENT = QColor("#38bdf8")
SERIES = [QColor("#38bdf8"), QColor("#f59e0b"), QColor("#a78bfa"), QColor("#34d399"), QColor("#f472b6"), QColor("#e2e8f0")]
PLAN = QColor("#cbd5e1")

# Okabe-Ito-like hues, told apart by shape as well: ✓ circle, ! triangle, ✕ square.
STATUS = {
    "ok": QColor("#22c55e"),
    "near": QColor("#38bdf8"),
    "warning": QColor("#fbbf24"),
    "critical": QColor("#ef4444"),
    "stale": QColor("#94a3b8"),
    "no-data": QColor("#64748b"),
    "": ACCENT,
}
FRESHNESS = {"ok": QColor("#22c55e"), "late": QColor("#fbbf24"), "stale": QColor("#f97316"),
             "failing": QColor("#ef4444"), "never-run": QColor("#94a3b8"), "": MUTED}
DEMO = QColor("#f97316")

SMALL, BODY, TITLE = 24, 28, 32  # px at 1080p


def status_color(status: str | None) -> QColor:
    return STATUS.get(status or "", ACCENT)


def font(px: float, bold: bool = False, condensed: bool = False) -> QFont:
    f = QFont(CONDENSED if condensed else FAMILY)
    f.setPixelSize(max(6, round(px)))
    f.setBold(bold)
    return f


def fit_font(text: str, width: float, height: float, max_px: float, min_px: float = 8,
             bold: bool = False, condensed: bool = False) -> QFont:
    """The largest font (<= max_px) at which `text` fits in width x height (shrink to fit)."""
    px = min(max_px, height / 1.2)
    while px > min_px:
        f = font(px, bold, condensed)
        if QFontMetricsF(f).horizontalAdvance(text) <= width:
            return f
        px *= 0.92
    return font(min_px, bold, condensed)


def elide(text: str, f: QFont, width: float) -> str:
    return QFontMetricsF(f).elidedText(text, Qt.TextElideMode.ElideRight, max(0.0, width))


def wrap(text: str, f: QFont, widths: list[float], max_lines: int) -> list[str] | None:
    """`text` broken at spaces into at most `max_lines` lines, line i at most widths[i] wide (the
    last width for the lines after), or None if no break fits. Of the breaks that fit, one after a
    " · " separator is preferred ("Panggilan 112 ·" / "Inspektorat" keeps the metric and the OPD
    whole), then the longest first line. Titles are a few words: trying every break is cheap."""
    fm = QFontMetricsF(f)
    return _wrap(text.split(" "), fm, widths or [0.0], max_lines)


def _wrap(words: list[str], fm: QFontMetricsF, widths: list[float], max_lines: int) -> list[str] | None:
    whole = " ".join(words)
    if fm.horizontalAdvance(whole) <= widths[0]:
        return [whole]
    if max_lines <= 1:
        return None
    rest_widths = widths[1:] or widths[-1:]
    best: tuple[tuple[bool, int], list[str]] | None = None
    for i in range(1, len(words)):
        head = " ".join(words[:i])
        if fm.horizontalAdvance(head) > widths[0]:
            break  # longer heads are wider still
        tail = _wrap(words[i:], fm, rest_widths, max_lines - 1)
        if tail is not None:
            rank = (words[i - 1] == "·", i)
            if best is None or rank > best[0]:
                best = (rank, [head, *tail])
    return best[1] if best else None


def first_fitting(forms: list[str], f: QFont, width: float) -> str | None:
    """The first (the fullest) of a text's forms that fits `width` at font f, else None."""
    fm = QFontMetricsF(f)
    return next((t for t in forms if fm.horizontalAdvance(t) <= width), None)


def text_width(text: str, f: QFont) -> float:
    return QFontMetricsF(f).horizontalAdvance(text)


def draw_status_icon(p: QPainter, center: QPointF, size: float, status: str) -> None:
    """A shape per status so colour is never the only cue: ✓ circle, ! triangle, ✕ square, ? ring."""
    color = status_color(status)
    r = size / 2
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    mark = QPen(BG, max(1.5, size * 0.14), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    cx, cy = center.x(), center.y()
    if status == "ok":
        p.drawEllipse(center, r, r)
        p.setPen(mark)
        path = QPainterPath(QPointF(cx - r * 0.45, cy + r * 0.02))
        path.lineTo(cx - r * 0.1, cy + r * 0.38)
        path.lineTo(cx + r * 0.5, cy - r * 0.35)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif status == "near":  # below target within tolerance: a diamond with a down arrow
        dia = QPainterPath(QPointF(cx, cy - r))
        dia.lineTo(cx + r, cy)
        dia.lineTo(cx, cy + r)
        dia.lineTo(cx - r, cy)
        dia.closeSubpath()
        p.drawPath(dia)
        p.setPen(mark)
        p.drawLine(QPointF(cx, cy - r * 0.45), QPointF(cx, cy + r * 0.35))
        p.drawLine(QPointF(cx - r * 0.3, cy + r * 0.05), QPointF(cx, cy + r * 0.38))
        p.drawLine(QPointF(cx + r * 0.3, cy + r * 0.05), QPointF(cx, cy + r * 0.38))
    elif status == "warning":
        tri = QPainterPath(QPointF(cx, cy - r))
        tri.lineTo(cx + r * 1.05, cy + r * 0.85)
        tri.lineTo(cx - r * 1.05, cy + r * 0.85)
        tri.closeSubpath()
        p.drawPath(tri)
        p.setPen(mark)
        p.drawLine(QPointF(cx, cy - r * 0.35), QPointF(cx, cy + r * 0.25))
        p.drawPoint(QPointF(cx, cy + r * 0.58))
    elif status == "critical":
        p.drawRoundedRect(QRectF(cx - r, cy - r, size, size), r * 0.2, r * 0.2)
        p.setPen(mark)
        d = r * 0.45
        p.drawLine(QPointF(cx - d, cy - d), QPointF(cx + d, cy + d))
        p.drawLine(QPointF(cx - d, cy + d), QPointF(cx + d, cy - d))
    else:  # stale / no data / unknown: a hollow ring
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(color, max(1.5, size * 0.14)))
        p.drawEllipse(center, r * 0.85, r * 0.85)
    p.restore()


def status_glyph(status: str | None) -> str:
    """Text form of the status shape (for labels and tests)."""
    return {"ok": "✓", "near": "◆", "warning": "!", "critical": "✕", "stale": "○", "no-data": "–"}.get(status or "", "")


def ramp(t: float) -> QColor:
    """Sequential colour ramp for the choropleth: dark teal -> bright cyan -> pale yellow."""
    t = 0.0 if math.isnan(t) else min(max(t, 0.0), 1.0)
    stops = [(0.0, (19, 52, 79)), (0.5, (14, 150, 190)), (1.0, (186, 230, 253))]
    for (t0, c0), (t1, c1) in zip(stops, stops[1:]):
        if t <= t1:
            k = (t - t0) / (t1 - t0)
            return QColor(*(round(a + (b - a) * k) for a, b in zip(c0, c1)))
    return QColor(*stops[-1][1])
