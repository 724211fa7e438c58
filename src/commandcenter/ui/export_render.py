"""Drawing exports: an offscreen canvas of one scene, PNG files and landscape PDF pages."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from commandcenter import fmt
from commandcenter.ui import theme
from commandcenter.ui.console.i18n import tr
from commandcenter.ui.panels import registry
from commandcenter.ui.panels.base import PanelContext
from commandcenter.wall.geometry import WallGeometry

PNG_WIDTH = 1920  # px of an exported PNG (the canvas is drawn at the wall's size, then scaled)
PDF_DPI = 150


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


def write_png(page: Any, path: str) -> None:
    if not page.canvas.image().save(path):
        raise OSError(f"cannot write {path}")


def panel_lines(page: Any, lang: str) -> list[str]:
    """'Title: value · Data per …' for every panel, as the wall's panels display them."""
    out = []
    for spec in page.scene.panels:
        panel = page.canvas.panels.get(spec.id)
        shown = dict(getattr(panel, "shown", {}) or {})
        title = shown.get("title") or spec.title or spec.id
        value = shown.get("value", "")
        when = shown.get("as_of") or _model_as_of(getattr(panel, "model", None), page, lang)
        out.append(" · ".join(x for x in (f"{title}: {value}" if value else title, when) if x))
    return out


def _model_as_of(model: Any, page: Any, lang: str) -> str:
    ts = getattr(model, "as_of", None) or getattr(model, "known_at", None)
    if not ts:
        return ""
    cfg_tz = page.data.header and page.canvas.panels and next(iter(page.canvas.panels.values())).ctx
    return f"{tr('Waktu data', lang)} {fmt.datetime_short(ts, cfg_tz.tz, cfg_tz.zone, lang)}"


def write_pdf(cfg: Any, pages: list[Any], path: str, as_of: float | None = None, lang: str = "id",
              now: float | None = None, title: str | None = None) -> None:
    """Landscape A4, one page per scene: title line, the scene, each panel's value and data time."""
    now = time.time() if now is None else now
    writer = QPdfWriter(path)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                     QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    writer.setTitle(title or pages[0].scene.title)
    writer.setCreator(f"commandcenter — {cfg.city.name}")
    painter = QPainter(writer)
    if not painter.isActive():
        raise OSError(f"cannot write {path}")
    try:
        for i, page in enumerate(pages):
            if i:
                writer.newPage()
            _draw_page(painter, writer, cfg, page, i + 1, len(pages), as_of, lang, now, title)
    finally:
        painter.end()


def _draw_page(p: QPainter, writer: QPdfWriter, cfg: Any, page: Any, number: int, total: int,
               as_of: float | None, lang: str, now: float, title: str | None) -> None:
    area = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    area.moveTo(0, 0)
    tz, zone = cfg.city.timezone, cfg.city.zone_label
    scene_title = page.scene.title_en if lang == "en" and page.scene.title_en else page.scene.title
    head = _font(14, bold=True)
    small = _font(8)
    p.setPen(QColor("#0f172a"))
    p.setFont(head)
    line_h = p.fontMetrics().height()
    p.drawText(QRectF(0, 0, area.width(), line_h), Qt.AlignmentFlag.AlignLeft, f"{title + ' — ' if title else ''}{scene_title}")
    p.setFont(_font(9))
    when = fmt.date_full(now, tz, lang) + ", " + fmt.clock(now, tz, zone, lang)
    frozen = f" · {tr('DIBEKUKAN', lang)} · {tr('data per', lang)} {fmt.datetime_short(as_of, tz, zone, lang)}" if as_of else ""
    sub_h = p.fontMetrics().height()
    p.drawText(QRectF(0, line_h, area.width(), sub_h), Qt.AlignmentFlag.AlignLeft,
               f"{cfg.city.name} · {tr('Dicetak', lang)} {when}{frozen}")
    p.drawText(QRectF(0, line_h, area.width(), sub_h), Qt.AlignmentFlag.AlignRight,
               f"{tr('Halaman', lang)} {number}/{total}")
    lines = panel_lines(page, lang)
    p.setFont(small)
    small_h = p.fontMetrics().height()
    cols = 2
    strip_h = small_h * ((len(lines) + cols - 1) // cols + 1)
    top = line_h + sub_h + small_h * 0.5
    box = QRectF(0, top, area.width(), area.height() - top - strip_h)
    _draw_canvas(p, page.canvas, box)
    y0 = box.bottom() + small_h * 0.5
    col_w = area.width() / cols
    p.setPen(QColor("#1e293b"))
    for k, text in enumerate(lines):
        r = QRectF((k % cols) * col_w, y0 + (k // cols) * small_h, col_w - 8, small_h)
        p.drawText(r, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(r.width())))


def _draw_canvas(p: QPainter, canvas: QWidget, box: QRectF) -> None:
    """The scene scaled into `box`, as vectors (panel text stays searchable text in the PDF)."""
    size = QSize(canvas.width(), canvas.height())
    s = min(box.width() / size.width(), box.height() / size.height())
    p.save()
    p.translate(box.left() + (box.width() - size.width() * s) / 2, box.top())
    p.scale(s, s)
    p.fillRect(QRectF(0, 0, size.width(), size.height()), theme.BG)
    canvas.render(p, QPoint(0, 0))
    p.restore()


def _font(pt: float, bold: bool = False) -> QFont:
    f = QFont(theme.FAMILY)
    f.setPointSizeF(pt)
    f.setBold(bold)
    return f
