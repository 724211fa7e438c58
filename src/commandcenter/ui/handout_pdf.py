"""The handout on paper: light A4 portrait pages from a wall.handout.Handout.

Every page: logo, city, title, period and data time (header), "DATA SIMULASI" in the header, the
footer and across the page when the city's data are simulated, printed time and page number
(footer). Page 1 is the summary, then a section of tables per scene. Only QPainter on a
QPdfWriter (no widgets, no QPixmap), so a scheduled report can be drawn off the GUI thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen
from PySide6.QtSvg import QSvgRenderer

from commandcenter.i18n import tr
from commandcenter.ui import theme
from commandcenter.wall.handout import Handout, Table

DPI = 300
INK, MUTED, RULE, HEAD_BG, ZEBRA = QColor("#0f172a"), QColor("#475569"), QColor("#cbd5e1"), QColor("#e2e8f0"), QColor("#f8fafc")
MARK = QColor("#b91c1c")
STATUS = {"ok": QColor("#15803d"), "warning": QColor("#b45309"), "critical": QColor("#b91c1c"),
          "stale": QColor("#64748b"), "late": QColor("#b45309"), "failing": QColor("#b91c1c"),
          "never-run": QColor("#64748b"), "no-data": QColor("#94a3b8")}


def pt(size: float, bold: bool = False) -> QFont:
    f = QFont(theme.FAMILY)
    f.setPointSizeF(size)
    f.setBold(bold)
    return f


@dataclass
class _Item:
    kind: str  # "heading" | "para" | "table"
    payload: Any
    rows: tuple[int, int] = (0, 0)  # a table's slice on this page
    height: float = 0.0


class HandoutPainter:
    """Lays the handout out in pages (measure), then draws them (paint)."""

    def __init__(self, handout: Handout, writer: QPdfWriter) -> None:
        self.h, self.w = handout, writer
        area = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        self.page_w, self.page_h = area.width(), area.height()
        self.mm = writer.resolution() / 25.4
        self.header_h, self.footer_h = 24 * self.mm, 10 * self.mm
        self.body = QRectF(0, self.header_h, self.page_w, self.page_h - self.header_h - self.footer_h)

    # -- measure ------------------------------------------------------------------------------------
    def fm(self, f: QFont) -> QFontMetricsF:
        return QFontMetricsF(f, self.w)

    def text_h(self, text: str, f: QFont, width: float) -> float:
        r = self.fm(f).boundingRect(QRectF(0, 0, width, 1e6), int(Qt.TextFlag.TextWordWrap), text)
        return r.height()

    def col_widths(self, t: Table) -> list[float]:
        n = len(t.columns)
        rel = list(t.widths) if len(t.widths) == n else [2.0 if i == 1 else 1.0 for i in range(n)]
        total = sum(rel)
        return [self.page_w * x / total for x in rel]

    def row_h(self, cells: tuple[str, ...], widths: list[float], f: QFont) -> float:
        pad = 1.2 * self.mm
        return max(self.text_h(c or " ", f, w - 2 * pad) for c, w in zip(cells, widths)) + 2 * pad

    def paginate(self) -> list[list[_Item]]:
        pages: list[list[_Item]] = [[]]
        y = 0.0
        avail = self.body.height()

        def room(h: float) -> None:
            nonlocal y
            if y + h > avail and pages[-1]:
                pages.append([])
                y = 0.0

        sections = ([self.h.summary] if self.h.summary else []) + list(self.h.sections)
        for n, sec in enumerate(sections):
            if n == 1 and self.h.summary is not None and pages[-1]:
                pages.append([])  # the summary stands on its own page
                y = 0.0
            hh = self.text_h(sec.title, pt(13, True), self.page_w) + 3 * self.mm
            room(hh + 20 * self.mm)  # never a heading alone at the bottom
            pages[-1].append(_Item("heading", sec.title, height=hh))
            y += hh
            for block in sec.blocks:
                if isinstance(block, str):
                    ph = self.text_h(block, pt(10), self.page_w) + 2.5 * self.mm
                    room(ph)
                    pages[-1].append(_Item("para", block, height=ph))
                    y += ph
                    continue
                y = self._place_table(block, pages, y, avail)
        return pages

    def _place_table(self, t: Table, pages: list[list[_Item]], y: float, avail: float) -> float:
        widths = self.col_widths(t)
        title_h = self.text_h(t.title, pt(10, True), self.page_w) + 1.5 * self.mm
        head_h = self.row_h(t.columns, widths, pt(8, True))
        note_h = (self.text_h(t.note, pt(7.5), self.page_w) + 1 * self.mm) if t.note else 0.0
        heights = [self.row_h(r, widths, pt(8.5)) for r in t.rows]
        start = 0
        while True:
            first = heights[start] if start < len(heights) else 0.0
            if y + title_h + head_h + first > avail and pages[-1]:
                pages.append([])
                y = 0.0
            h, end = title_h + head_h, start
            while end < len(heights) and y + h + heights[end] <= avail:
                h += heights[end]
                end += 1
            end = max(end, min(start + 1, len(heights)))  # at least one row per page
            done = end >= len(heights)
            if done:
                h += note_h + 4 * self.mm
            pages[-1].append(_Item("table", t, (start, end), h))
            y += h
            if done:
                return y
            pages.append([])
            y, start = 0.0, end

    # -- paint --------------------------------------------------------------------------------------
    def paint(self, p: QPainter) -> None:
        pages = self.paginate()
        for i, items in enumerate(pages):
            if i:
                self.w.newPage()
            if self.h.mark:
                self._watermark(p)
            self._header(p)
            self._footer(p, i + 1, len(pages))
            y = self.body.top()
            for it in items:
                if it.kind == "heading":
                    self._text(p, QRectF(0, y, self.page_w, it.height), it.payload, pt(13, True), INK)
                elif it.kind == "para":
                    self._text(p, QRectF(0, y, self.page_w, it.height), it.payload, pt(10), INK)
                else:
                    self._table(p, it.payload, it.rows, y)
                y += it.height

    def _text(self, p: QPainter, r: QRectF, text: str, f: QFont, color: QColor,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        p.setFont(f)
        p.setPen(color)
        p.drawText(r, int(align | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap), text)

    def _header(self, p: QPainter) -> None:
        h, mm = self.h, self.mm
        x = 0.0
        if h.logo and h.logo.lstrip().startswith(b"<"):
            svg = QSvgRenderer(QByteArray(h.logo))
            if svg.isValid():
                size = svg.defaultSize()
                lh = 16 * mm
                lw = lh * size.width() / max(1, size.height())
                svg.render(p, QRectF(0, 1 * mm, lw, lh))
                x = lw + 4 * mm
        w = self.page_w - x
        mark_w = 0.0
        if h.mark:
            f = pt(11, True)
            mark_w = self.fm(f).horizontalAdvance(h.mark) + 6 * mm
            box = QRectF(self.page_w - mark_w, 1 * mm, mark_w, 8 * mm)
            p.setPen(QPen(MARK, 0.5 * mm))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(box)
            self._text(p, box.adjusted(0, 1.2 * mm, 0, 0), h.mark, f, MARK, Qt.AlignmentFlag.AlignHCenter)
        self._text(p, QRectF(x, 0, w - mark_w, 7 * mm), h.city, pt(10, True), MUTED)
        self._text(p, QRectF(x, 5.5 * mm, w - mark_w, 9 * mm), h.title, pt(15, True), INK)
        self._text(p, QRectF(x, 13.5 * mm, w, 6 * mm), f"{h.period} · {h.as_of}", pt(9.5), INK)
        p.setPen(QPen(RULE, 0.4 * mm))
        p.drawLine(QPointF(0, 20.5 * mm), QPointF(self.page_w, 20.5 * mm))

    def _footer(self, p: QPainter, number: int, total: int) -> None:
        y = self.page_h - self.footer_h + 3 * self.mm
        p.setPen(QPen(RULE, 0.3 * self.mm))
        p.drawLine(QPointF(0, y - 1.5 * self.mm), QPointF(self.page_w, y - 1.5 * self.mm))
        r = QRectF(0, y, self.page_w, self.footer_h - 3 * self.mm)
        self._text(p, r, f"{self.h.city} · {self.h.printed}", pt(8), MUTED)
        if self.h.mark:
            self._text(p, r, self.h.mark, pt(8, True), MARK, Qt.AlignmentFlag.AlignHCenter)
        page = tr("Halaman", self.h.lang)
        self._text(p, r, f"{page} {number}/{total}", pt(8), MUTED, Qt.AlignmentFlag.AlignRight)

    def _watermark(self, p: QPainter) -> None:
        p.save()
        p.translate(self.page_w / 2, self.page_h / 2)
        p.rotate(-35)
        f = pt(64, True)
        p.setFont(f)
        p.setPen(QColor(185, 28, 28, 28))
        w = self.fm(f).horizontalAdvance(self.h.mark)
        p.drawText(QPointF(-w / 2, 0), self.h.mark)
        p.restore()

    def _table(self, p: QPainter, t: Table, rows: tuple[int, int], y: float) -> None:
        mm, widths = self.mm, self.col_widths(t)
        title = t.title + ("" if rows[0] == 0 else f" ({tr('lanjutan', self.h.lang)})")
        th = self.text_h(title, pt(10, True), self.page_w) + 1.5 * mm
        self._text(p, QRectF(0, y, self.page_w, th), title, pt(10, True), INK)
        y += th
        y = self._row(p, t.columns, widths, y, pt(8, True), INK, HEAD_BG, t.align, "")
        for i in range(*rows):
            bg = ZEBRA if i % 2 else None
            status = t.statuses[i] if i < len(t.statuses) else ""
            y = self._row(p, t.rows[i], widths, y, pt(8.5), INK, bg, t.align, status)
        if rows[1] >= len(t.rows) and t.note:
            self._text(p, QRectF(0, y + 0.5 * mm, self.page_w, 5 * mm), t.note, pt(7.5), MUTED)

    def _row(self, p: QPainter, cells: tuple[str, ...], widths: list[float], y: float, f: QFont, color: QColor,
             bg: QColor | None, align: str, status: str) -> float:
        pad = 1.2 * self.mm
        h = self.row_h(cells, widths, f)
        if bg is not None:
            p.fillRect(QRectF(0, y, self.page_w, h), bg)
        if status in STATUS:
            p.fillRect(QRectF(0, y, 0.9 * self.mm, h), STATUS[status])
        x = 0.0
        for c, (text, w) in enumerate(zip(cells, widths)):
            right = (align[c] if c < len(align) else ("l" if c < 2 else "r")) == "r"
            a = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            self._text(p, QRectF(x + pad, y + pad, w - 2 * pad, h - 2 * pad), text, f, color, a)
            x += w
        p.setPen(QPen(RULE, 0.2 * self.mm))
        p.drawLine(QPointF(0, y + h), QPointF(self.page_w, y + h))
        return y + h


def write_handout(handout: Handout, path: str) -> int:
    """Write the PDF; returns the page count. Safe on a worker thread (no widgets, no pixmaps).

    QPdfWriter writes as it draws, so the pages go to a temporary file beside `path`, renamed
    over it once complete: a reader (the mailer, a shared folder, an operator opening the report
    while the scheduler rewrites it) sees the previous file or the whole new one, never half."""
    with replaced_whole(path) as part:
        return _write_pdf(handout, part, path)


@contextmanager
def replaced_whole(path: str) -> Iterator[str]:
    """A temporary name beside `path` to write to; renamed over `path` when the block ends
    without an error, removed when it fails. One name per process and thread, so two writers of
    the same file never write into each other's."""
    target = Path(path)
    part = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        yield str(part)
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _write_pdf(handout: Handout, part: str, path: str) -> int:
    writer = QPdfWriter(part)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(14, 12, 14, 12), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"{handout.title} — {handout.city}")
    writer.setCreator("commandcenter")
    hp = HandoutPainter(handout, writer)
    pages = len(hp.paginate())
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"cannot write {path}")
    try:
        hp.paint(painter)
    finally:
        painter.end()
    return pages

