"""OPD standing: rank of N with its change, score, the KPIs behind target, the rupiah still unspent
and the OPD's cause/note for the period, for a detail scene or a spotlight."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register
from commandcenter.wall import behind


@register("opd")
class OpdPanel(Panel):
    def update_texts(self) -> None:
        st = self.model.standing
        lang = self.ctx.lang
        self.shown = {"title": self.title()}
        if st is None:
            return
        if st.rank is not None:
            self.shown["rank"] = f"{tr('Peringkat')} {st.rank} {tr('dari')} {st.of}"
            self.shown["value"] = self.shown["rank"]
        if st.score is not None:
            self.shown["score"] = f"{tr('Skor')} {fmt.number(st.score, 1, lang)}"
        if st.rank_change is not None:
            self.shown["change"] = behind.change_words(st.rank_change, lang)
        self.shown["period"] = f"{tr('Periode')} {behind.period_words(st.period, lang)}"
        if st.note is not None:
            who = st.note.author if st.note.source == "operator" else tr("sumber") + " " + st.note.source
            self.shown["note"] = f"{tr('Catatan')}: {st.note.text}"
            self.shown["note_by"] = f"{who}, {fmt.datetime_short(st.note.ts, self.ctx.tz, self.ctx.zone, lang)}"
        for i, k in enumerate(st.behind):
            self.shown[f"behind{i}"] = behind.kpi_line(k, lang)
        if not st.behind:
            self.shown["behind"] = tr("Semua KPI sesuai target")
        if st.unspent is not None:
            self.shown["unspent"] = (f"{tr('Belum terserap')} {fmt.money(st.unspent, lang)} "
                                     f"{tr('dari pagu')} {fmt.money(st.pagu, lang)}")

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        st = self.model.standing
        if st is None:
            self.paint_message(p, tr("Tidak ada data"))
            return
        r = self.avoid_seams(r)
        big = self.font(theme.BODY * 2.6, bold=True)
        body, bold = self.font(theme.BODY * 1.4), self.font(theme.BODY * 1.4, bold=True)
        small = self.font(theme.BODY)
        y = r.top()
        rank, change = self.shown.get("rank", ""), self.shown.get("change", "")
        change_color = theme.STATUS["ok"] if (st.rank_change or 0) > 0 else theme.STATUS["critical"]
        if change and theme.text_width(rank, big) + theme.text_width(change, big) + self.px(12) > r.width():
            # the rank and its change do not share a line at this width: each gets its own, the
            # rank at the largest size that holds it ("Peringkat 19 dari 26" whole, never "Pering…")
            big = theme.fit_font(rank, r.width(), big.pixelSize() * 1.3, big.pixelSize(), bold.pixelSize(), bold=True)
            y = self._line(p, r, y, rank, big, theme.TEXT, key="rank")
            y = self._line(p, r, y, change, bold, change_color, key="change")
        else:
            y = self._line(p, r, y, rank, big, theme.TEXT, right=change, right_color=change_color, key="rank")
        y = self._line(p, r, y, " · ".join(x for x in (self.shown.get("score"), self.shown["period"]) if x), body, theme.MUTED)
        if "note" in self.shown:
            y = self._line(p, r, y + self.px(8), self.shown["note"], bold, theme.STATUS["warning"])
            y = self._line(p, r, y, self.shown["note_by"], small, theme.MUTED)
        if "unspent" in self.shown:
            y = self._line(p, r, y + self.px(8), self.shown["unspent"], bold, theme.TEXT)
        y += self.px(8)
        line_h = QFontMetricsF(body).height() * 1.35
        icon = line_h * 0.6
        for i, k in enumerate(st.behind):
            if y + line_h > r.bottom():
                break
            theme.draw_status_icon(p, QPointF(r.left() + icon / 2, y + line_h / 2), icon, k.status)
            self._line(p, QRectF(r.left() + icon + self.px(10), r.top(), r.width() - icon - self.px(10), r.height()),
                       y, self.shown[f"behind{i}"], body, theme.TEXT)
            y += line_h
        if "behind" in self.shown:
            self._line(p, r, y, self.shown["behind"], body, theme.STATUS["ok"])

    def _line(self, p: QPainter, r: QRectF, y: float, text: str, f, color, right: str = "", right_color=None,
              key: str = "") -> float:
        h = QFontMetricsF(f).height() * 1.3
        rw = theme.text_width(right, f) + self.px(12) if right else 0.0
        p.setFont(f)
        p.setPen(color)
        rect = QRectF(r.left(), y, r.width() - rw, h)
        text = theme.elide(text, f, r.width() - rw)
        if key:
            self.draw_text(p, key, rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        else:
            p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        if right:
            p.setPen(right_color or color)
            rect = QRectF(r.right() - rw, y, rw, h)
            self.draw_text(p, "change", rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, right)
        return y + h
