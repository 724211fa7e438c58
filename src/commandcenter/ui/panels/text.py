"""Text: an announcement in large type, word-wrapped and shrunk to fit (never scrolled)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter

from commandcenter.ui import theme
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register

FLAGS = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap


@register("text")
class TextPanel(Panel):
    def update_texts(self) -> None:
        self.shown = {"title": self.title(), "text": self.model.text}

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        frag = self.fragment_at(r.left() + 1, r.top() + 1)
        # the text stays in the first fragment: a sentence across a seam is hard to read
        area = r.intersected(frag.adjusted(0, 0, -self.pad, 0))
        size = theme.TITLE + 8
        while size > theme.SMALL:
            f = self.font(size)
            box = QFontMetricsF(f).boundingRect(area, FLAGS, self.model.text)
            if box.height() <= area.height() and box.width() <= area.width():
                break
            size -= 2
        p.setFont(self.font(size))
        p.setPen(theme.TEXT)
        p.drawText(area, FLAGS, self.model.text)
