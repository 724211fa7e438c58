"""A widget's last painting kept in a pixmap: repaints caused by neighbours, window exposes or a
seam-spanning twin only blit it; the pixmap is repainted (into the same buffer) when invalidated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QWidget

from commandcenter.ui import theme

# how many times any cached widget was painted afresh in this process: the wall's pictures for
# the consoles are taken again only when it moved (a blit shows what was already painted)
renders = 0


class PaintCache:
    def __init__(self) -> None:
        self._pixmap: QPixmap | None = None
        self._dirty = True

    def invalidate(self) -> None:
        """What the widget shows changed: paint again before the next blit (same buffer: a wall
        running for months must not churn through a new large pixmap at every update)."""
        self._dirty = True

    def drop(self) -> None:
        """The size changed: the next blit allocates a pixmap of the new size."""
        self._pixmap = None

    def blit(self, widget: QWidget, paint: Callable[[QPixmap], None]) -> None:
        dpr = widget.devicePixelRatioF()
        size = widget.size() * dpr
        pm = self._pixmap
        if pm is None or pm.size() != size or pm.devicePixelRatio() != dpr:
            pm = QPixmap(size)
            pm.setDevicePixelRatio(dpr)
            self._pixmap, self._dirty = pm, True
        if self._dirty:
            global renders
            renders += 1
            pm.fill(theme.BG)  # what the window shows around a rounded card or band
            paint(pm)
            self._dirty = False
        p = QPainter(widget)
        p.drawPixmap(0, 0, pm)
        p.end()
