"""Ranking: an OPD leaderboard of sorted bars with value labels, coloured and marked by status."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register


@register("ranking")
class RankingPanel(Panel):
    title_max_lines = 2  # "Permohonan Izin ·" / "2 Des 2026" beside a badge on a 4-cell-wide card
    _decimals: int | None = None
    def fmt_bar(self, value: float | None) -> str:
        if self.model.unit == "score":
            return fmt.number(value, 1, self.ctx.lang) if value is not None else "–"
        return self.fmt_value(value, self.model.unit, self._decimals)

    def _column_decimals(self) -> int | None:
        """A count without set decimals shows a whole value whole ("557") and others with one
        ("517,9"); in a column of values that reads as ragged: one decimal for all when any has it
        (values from 100.000 up are compact, "1,2 jt", and stay so)."""
        m = self.model
        decimals = getattr(m, "decimals", None)
        if decimals is not None or fmt.decimals_for(m.unit) is not None or m.unit in ("rp", "score"):
            return decimals
        values = [r.value for r in m.rows if r.value is not None]
        if values and all(abs(v) < 100_000 for v in values) and any(not float(v).is_integer() for v in values):
            return 1
        return None

    def update_texts(self) -> None:
        self._decimals = self._column_decimals()
        self.shown = {"title": self.title()}
        for i, row in enumerate(self.model.rows):
            self.shown[f"row{i}"] = f"{self._rank(row, i)} {row.label} {self.fmt_bar(row.value)}"
            if self.model.gap_after == i:
                self.shown["gap"] = "⋯"

    def title(self) -> str:
        t = super().title()
        sub = getattr(self.model, "subtitle", "")
        return f"{t} · {sub}" if sub else t  # "Skor Kinerja OPD · Desember 2026 (berjalan)"

    def title_forms(self) -> list[str]:
        short = getattr(self.model, "subtitle_short", "")
        forms = [self.title()]
        if short and short != getattr(self.model, "subtitle", ""):
            forms.append(f"{super().title()} · {short}")  # "Pemakaian Air PDAM · 2 Des 2026"
        return forms

    def title_elided(self, f, width: float) -> str:
        """Short of room even on two lines, the title gives way before the period it ranks."""
        sub = getattr(self.model, "subtitle_short", "") or getattr(self.model, "subtitle", "")
        if not sub:
            return super().title_elided(f, width)
        tail = f" · {sub}"
        head = super().title()
        room = width - theme.text_width(tail, f)
        return theme.elide(head, f, room) + tail if room > theme.text_width("Skor…", f) else theme.elide(head + tail, f, width)

    @staticmethod
    def _rank(row, i: int) -> str:
        return str(row.rank if row.rank is not None else i + 1)

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        rows = self.model.rows
        self.drawn = {k: v for k, v in self.drawn.items() if not k.startswith(("label", "value"))}
        if not rows:
            self.paint_message(p, tr("Tidak ada data"))
            return
        gap = self.model.gap_after
        slots = len(rows) + (0.6 if gap is not None else 0.0)  # the separator takes a short row
        row_h = min(r.height() / slots, self.px(72))
        fs = max(theme.SMALL, min(theme.BODY + 4, row_h / self.ctx.scale * 0.5))
        f = self.font(fs)
        fb = self.font(fs, bold=True)
        rank_w = theme.text_width("000", fb) + self.px(10)
        label_w = min(r.width() * 0.34, max(theme.text_width(x.label, f) for x in rows) + self.px(16))
        value_w = max(theme.text_width(self.fmt_bar(x.value) + " ▲00", fb) for x in rows) + self.px(12)
        icon = row_h * 0.42
        bar_x = r.left() + rank_w + label_w + icon + self.px(16)
        bar_w = max(self.px(40), r.right() - bar_x - value_w)
        y = r.top()
        for i, row in enumerate(rows):
            self._row(p, row, i, QRectF(r.left(), y, r.width(), row_h), rank_w, label_w, icon, bar_x, bar_w, f, fb)
            y += row_h
            if gap == i:
                self._separator(p, QRectF(r.left(), y, r.width(), row_h * 0.6), fb)
                y += row_h * 0.6

    def _separator(self, p: QPainter, band: QRectF, f) -> None:
        """Between the top and the bottom of a ranking: a dashed rule and the count skipped."""
        skipped = max(0, (self.model.total or 0) - len(self.model.rows))
        p.setPen(QPen(theme.MUTED, self.px(2), Qt.PenStyle.DashLine))
        cy = band.center().y()
        text = f"⋯ {skipped} OPD ⋯" if skipped else "⋯"
        p.setFont(f)
        tw = theme.text_width(text, f) + self.px(24)
        p.drawLine(QPointF(band.left(), cy), QPointF(band.center().x() - tw / 2, cy))
        p.drawLine(QPointF(band.center().x() + tw / 2, cy), QPointF(band.right(), cy))
        p.drawText(self.avoid_seams(band), Qt.AlignmentFlag.AlignCenter, text)

    def _row(self, p, row, i, band, rank_w, label_w, icon, bar_x, bar_w, f, fb) -> None:
        cy = band.center().y()
        p.setFont(fb)
        p.setPen(theme.MUTED)
        p.drawText(QRectF(band.left(), band.top(), rank_w, band.height()), Qt.AlignmentFlag.AlignVCenter, self._rank(row, i))
        p.setFont(f)
        p.setPen(theme.TEXT)
        lr = self.avoid_seams(QRectF(band.left() + rank_w, band.top(), label_w, band.height()))
        self.draw_text(p, f"label{i}", lr.adjusted(0, 0, -self.px(8), 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                       theme.elide(row.label, f, label_w - self.px(8)))
        status = "stale" if self.is_stale else row.status
        theme.draw_status_icon(p, QPointF(bar_x - icon / 2 - self.px(8), cy), icon, status)
        frac = 0.0 if row.value is None else max(0.0, min(1.0, row.value / (self.model.max_value or 1.0)))
        bh = band.height() * 0.58
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(theme.status_color(status))
        p.drawRoundedRect(QRectF(bar_x, cy - bh / 2, max(self.px(4), bar_w * frac), bh), self.px(4), self.px(4))
        text = self.fmt_bar(row.value)
        tw = theme.text_width(text, fb) + self.px(8)
        vr = self.avoid_seams(QRectF(bar_x + bar_w * frac + self.px(10), band.top(), tw, band.height()))
        if vr.right() > band.right():  # no room after the bar: write inside its end
            vr = self.avoid_seams(QRectF(bar_x + bar_w * frac - tw - self.px(6), band.top(), tw, band.height()))
            p.setPen(theme.BG)
        else:
            p.setPen(theme.TEXT)
        p.setFont(fb)
        self.draw_text(p, f"value{i}", vr, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        self._rank_change(p, row, vr, band, fb)

    def _rank_change(self, p, row, vr, band, f) -> None:
        if not row.rank_change:
            return
        up = row.rank_change > 0
        text = f"{'▲' if up else '▼'}{abs(row.rank_change)}"
        tw = theme.text_width(text, f) + self.px(6)
        cr = self.avoid_seams(QRectF(band.right() - tw, band.top(), tw, band.height()))
        p.setPen(theme.STATUS["ok"] if up else theme.STATUS["critical"])
        p.drawText(cr, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)
