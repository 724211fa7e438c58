"""One frameless window per screen, showing its viewport of the wall.

Each window holds its own widgets for the panels it shows; a panel spanning a seam is one widget
in each window, both of the panel's full size, offset so that each window shows its part (the
bezel's hidden pixels fall between the windows). Both are fed the same read model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from commandcenter.ui import theme
from commandcenter.ui.bands import FooterBand, HeaderBand
from commandcenter.ui.panels import registry
from commandcenter.ui.panels.base import Panel, PanelContext
from commandcenter.wall.geometry import Placement, Plan, Rect, place


def qrect(r: Rect) -> QRectF:
    return QRectF(r.x, r.y, r.w, r.h)


def window_rect(screen: QRect, target: Rect | None) -> QRect:
    """The whole screen, or the part of it a spread wall gives this window."""
    if target is None:
        return QRect(screen)
    return QRect(screen.x() + int(target.x), screen.y() + int(target.y), int(target.w), int(target.h))


class Backdrop(QWidget):
    """The wall's background over a whole screen, under windows that cover only part of it."""

    def __init__(self, screen: Any) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.setObjectName("wall-backdrop")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(theme.BG))
        self.setPalette(pal)
        self.setScreen(screen)
        self.setGeometry(screen.geometry())


class WallWindow(QWidget):
    def __init__(self, plan: Plan, index: int, cfg: Any, lang: str, screen: Any = None) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint | Qt.WindowType.Window)
        self.plan, self.index, self.cfg, self.lang = plan, index, cfg, lang
        self.viewport = plan.viewports[index]
        self.setObjectName(f"wall-window-{index}")
        self.setWindowTitle(f"{cfg.city.name} — wall {index + 1}")
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(theme.BG))
        self.setPalette(pal)
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(window_rect(screen.geometry(), self.viewport.target))
        self.panels: dict[str, Panel] = {}
        g = plan.geometry
        self.header = self._band(HeaderBand, place(plan, g.header_rect)) if g.header_h else None
        self.footer = self._band(FooterBand, place(plan, g.footer_rect)) if g.footer_h else None

    @property
    def scale(self) -> float:
        return self.viewport.scale

    def _local_fragments(self, pl: Placement) -> list[QRectF]:
        return [qrect(f.local.scaled(self.scale)) for f in pl.fragments]

    def _band(self, cls: type, pl: Placement) -> Any:
        if not any(f.viewport == self.index for f in pl.fragments):
            return None
        band = cls(self.cfg, self.lang, self.scale, self._local_fragments(pl), self)
        band.setGeometry(qrect(self.viewport.to_window(pl.rect)).toAlignedRect())
        band.show()
        return band

    def build(self, scene: Any) -> None:
        """Create this window's widgets for the scene's panels that it shows."""
        self.clear()
        ctx = PanelContext(self.cfg, self.lang, self.scale)
        for spec in scene.panels:
            pl = place(self.plan, self.plan.geometry.panel_rect(spec.cell.col, spec.cell.row, spec.cell.width, spec.cell.height))
            if not any(f.viewport == self.index for f in pl.fragments):
                continue
            w = registry.create(spec, ctx, self._local_fragments(pl), self)
            w.placement = pl
            w.setGeometry(qrect(self.viewport.to_window(pl.rect)).toAlignedRect())
            w.show()
            self.panels[spec.id] = w

    def clear(self) -> None:
        for w in self.panels.values():
            w.hide()
            w.deleteLater()
        self.panels = {}
