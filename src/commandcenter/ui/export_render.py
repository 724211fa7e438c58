"""PNG exports: an offscreen canvas of one scene as the wall draws it, under a header band.
(PDFs are the printable handout: ui/handout_pdf.py.)"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QWidget

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.i18n import tr
from commandcenter.ui.panels import registry
from commandcenter.ui.panels.base import PanelContext
from commandcenter.wall.geometry import WallGeometry

PNG_WIDTH = 1920  # px of an exported PNG (the canvas is drawn at the wall's size, then scaled)


class SceneCanvas(QWidget):
    """One scene's panels on a canvas of the virtual wall's size (no bezels, no header/footer:
    the page adds its own title), filled with the read models the wall would show."""

    def __init__(self, cfg: Any, scene: Any, data: Any, lang: str = "id") -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        geo = dataclasses.replace(WallGeometry.from_config(cfg.wall, compensate=False), header_h=0.0, footer_h=0.0)
        self.resize(round(geo.width), round(geo.height))
        self.setStyleSheet(f"background: {theme.BG.name()};")
        self.setAutoFillBackground(True)
        ctx = PanelContext(cfg, lang, 1.0)
        self.panels: dict[str, Any] = {}
        for spec in scene.panels:
            c = spec.cell
            x, y, w, h = geo.panel_rect(c.col, c.row, c.width, c.height).rounded()
            panel = registry.create(spec, ctx, None, self)
            panel.setGeometry(x, y, w, h)
            panel.set_model((data.panels or {}).get(spec.id))
            self.panels[spec.id] = panel
        self.show()  # not on screen (WA_DontShowOnScreen) but laid out and polished like the wall

    def image(self, width: int = PNG_WIDTH) -> QImage:
        img = QImage(self.size(), QImage.Format.Format_ARGB32)
        img.fill(theme.BG)
        self.render(img)
        return img.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)


HEADER_PX = 88  # the PNG's header band at PNG_WIDTH


def write_png(page: Any, path: str, cfg: Any = None, as_of: float | None = None, lang: str = "id",
              now: float | None = None) -> None:
    """The scene as the wall draws it, under a header: logo, city, scene title, the data time
    (absolute, city zone) and "DATA SIMULASI" when the city's data are simulated."""
    scene_img = page.canvas.image()
    if cfg is None:
        img = scene_img
    else:
        img = QImage(scene_img.width(), scene_img.height() + HEADER_PX, QImage.Format.Format_ARGB32)
        img.fill(theme.BG)
        p = QPainter(img)
        try:
            _png_header(p, cfg, page, QRectF(0, 0, img.width(), HEADER_PX), as_of, lang, now)
            p.drawImage(0, HEADER_PX, scene_img)
        finally:
            p.end()
    from commandcenter.ui.handout_pdf import replaced_whole

    kind = Path(path).suffix.lstrip(".").upper() or "PNG"  # the temporary name says nothing of it
    with replaced_whole(path) as part:  # never a half-written picture under the real name
        if not img.save(part, kind):
            raise OSError(f"cannot write {path}")


def _png_header(p: QPainter, cfg: Any, page: Any, r: QRectF, as_of: float | None, lang: str, now: float | None) -> None:
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    from commandcenter.ui.resources import logo_bytes

    tz, zone = cfg.city.timezone, cfg.city.zone_label
    p.fillRect(r, theme.CARD)
    x = r.left() + 16
    data = logo_bytes(cfg)
    if data and data.lstrip().startswith(b"<"):
        svg = QSvgRenderer(QByteArray(data))
        if svg.isValid():
            h = r.height() - 20
            w = h * svg.defaultSize().width() / max(1, svg.defaultSize().height())
            svg.render(p, QRectF(x, r.top() + 10, w, h))
            x += w + 16
    scene = page.scene
    title = scene.title_en if lang == "en" and getattr(scene, "title_en", None) else scene.title
    newest = getattr(page.data.header, "newest_data", None)
    when = as_of if as_of is not None else (newest or now or time.time())
    mark = tr("DATA SIMULASI", lang) if cfg.city.demo else ""
    big, small = _px_font(34, True), _px_font(22)
    mark_w = theme.text_width(mark, _px_font(26, True)) + 36 if mark else 0
    p.setPen(theme.MUTED)
    p.setFont(small)
    p.drawText(QRectF(x, r.top() + 6, r.width() - x - mark_w - 24, 30), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
               f"{cfg.city.name} · {tr('Data per', lang)} {fmt.datetime_short(when, tz, zone, lang)}"
               + (f" · {tr('DIBEKUKAN', lang)}" if as_of is not None else ""))
    p.setPen(theme.TEXT)
    p.setFont(big)
    p.drawText(QRectF(x, r.top() + 36, r.width() - x - mark_w - 24, 46), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
    if mark:
        box = QRectF(r.right() - mark_w - 16, r.top() + 20, mark_w, r.height() - 40)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#b91c1c"))
        p.drawRoundedRect(box, 8, 8)
        p.setPen(QColor("#ffffff"))
        p.setFont(_px_font(26, True))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, mark)


def _px_font(px: float, bold: bool = False) -> QFont:
    f = QFont(theme.FAMILY)
    f.setPixelSize(int(px))
    f.setBold(bold)
    return f
