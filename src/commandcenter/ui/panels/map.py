"""Map: the city's kecamatan as a choropleth (QPainterPath from a bundled GeoJSON), coloured by
a KPI, each labelled with its name and value."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QLinearGradient, QPainter, QPainterPath, QPen

from commandcenter import fmt
from commandcenter.config.panels import options as panel_options
from commandcenter.ui import theme
from commandcenter.ui.i18n import tr
from commandcenter.ui.panels.base import Panel
from commandcenter.ui.panels.registry import register
from commandcenter.ui.resources import geojson

DEFAULT_MAP = "maps/binjai-kecamatan.geojson"


def features(name: str) -> list[dict[str, Any]]:
    return [f for f in geojson(name)["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]


def rings(feature: dict[str, Any]) -> list[list[list[float]]]:
    g = feature["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return [ring for poly in polys for ring in poly]


@register("map")
class MapPanel(Panel):
    def __init__(self, *a, **kw) -> None:
        super().__init__(*a, **kw)
        self.features = features(panel_options(self.spec).geojson)

    def values(self) -> dict[str, float | None]:
        by = {r.name.lower(): r.value for r in self.model.regions}
        out = {}
        for f in self.features:
            props = f["properties"]
            keys = [str(props.get(k, "")).lower() for k in ("name", "kecamatan", "bps_code")]
            out[props["name"]] = next((by[k] for k in keys if k in by), None)
        return out

    def update_texts(self) -> None:
        self.shown = {"title": self.title()}
        for name, v in self.values().items():
            self.shown[name] = self.fmt_value(v, self.model.unit)

    def _projection(self, r: QRectF):
        pts = [pt for f in self.features for ring in rings(f) for pt in ring]
        lon0, lon1 = min(p[0] for p in pts), max(p[0] for p in pts)
        lat0, lat1 = min(p[1] for p in pts), max(p[1] for p in pts)
        kx = math.cos(math.radians((lat0 + lat1) / 2))  # metres per degree of longitude shrink
        w, h = (lon1 - lon0) * kx, lat1 - lat0
        s = min(r.width() / w, r.height() / h)
        ox = r.left() + (r.width() - w * s) / 2
        oy = r.top() + (r.height() - h * s) / 2
        return lambda lon, lat: QPointF(ox + (lon - lon0) * kx * s, oy + (lat1 - lat) * s)

    def paint_body(self, p: QPainter, r: QRectF) -> None:
        vals = self.values()
        known = [v for v in vals.values() if v is not None]
        lo, hi = (min(known), max(known)) if known else (0.0, 1.0)
        legend_w = self.px(70)
        area = r.adjusted(0, 0, -legend_w - self.px(20), 0)
        proj = self._projection(area)
        labels = []
        for f in self.features:
            name = f["properties"]["name"]
            path = QPainterPath()
            for ring in rings(f):
                path.addPolygon([proj(*pt) for pt in ring])
            v = vals.get(name)
            color = theme.CARD_EDGE if v is None else theme.ramp((v - lo) / ((hi - lo) or 1.0))
            if self.is_stale and v is not None:
                color = color.darker(170)
            p.setPen(QPen(theme.BG, self.px(4)))
            p.setBrush(color)
            p.drawPath(path)
            lp = f["properties"].get("label_point")
            labels.append((name, v, proj(*lp) if lp else path.boundingRect().center()))
        for name, v, at in labels:
            self._label(p, name, v, at, area)
        self._legend(p, QRectF(r.right() - legend_w, r.top() + self.px(10), legend_w, r.height() - self.px(20)), lo, hi)

    def _label(self, p: QPainter, name: str, v: float | None, at: QPointF, area: QRectF) -> None:
        short = name.replace("Binjai ", "")
        fn, fv = self.font(theme.SMALL, bold=True), self.font(theme.BODY + 4, bold=True)
        value = self.shown.get(name, "–")
        w = max(theme.text_width(short, fn), theme.text_width(value, fv)) + self.px(20)
        h = self.px(theme.SMALL * 1.3 + (theme.BODY + 4) * 1.3)
        box = QRectF(at.x() - w / 2, at.y() - h / 2, w, h)
        box.moveLeft(max(area.left(), min(box.left(), area.right() - w)))
        box = self.avoid_seams(box)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(theme.BG.lighter(110))
        p.setOpacity(0.82)
        p.drawRoundedRect(box, self.px(8), self.px(8))
        p.setOpacity(1.0)
        top = QRectF(box.left(), box.top() + self.px(4), w, self.px(theme.SMALL * 1.3))
        p.setFont(fn)
        p.setPen(theme.MUTED)
        p.drawText(top, Qt.AlignmentFlag.AlignCenter, short)
        p.setFont(fv)
        p.setPen(theme.TEXT)
        p.drawText(QRectF(box.left(), top.bottom(), w, box.bottom() - top.bottom() - self.px(4)), Qt.AlignmentFlag.AlignCenter, value)

    def _legend(self, p: QPainter, r: QRectF, lo: float, hi: float) -> None:
        r = self.avoid_seams(r)
        fs = self.font(theme.SMALL - 2, condensed=True)
        th = self.px(theme.SMALL * 1.4)
        bar = QRectF(r.left() + r.width() * 0.3, r.top() + th, r.width() * 0.4, r.height() - 2 * th)
        grad = QLinearGradient(bar.bottomLeft(), bar.topLeft())
        for t in (0.0, 0.5, 1.0):
            grad.setColorAt(t, theme.ramp(t))
        p.fillRect(bar, grad)
        p.setFont(fs)
        p.setPen(theme.MUTED)
        unit = self.model.unit
        p.drawText(QRectF(r.left() - self.px(30), r.top(), r.width() + self.px(30), th), Qt.AlignmentFlag.AlignCenter,
                   fmt.compact(hi, 0, self.ctx.lang) if unit != "percent" else fmt.percent(hi, 0, self.ctx.lang))
        p.drawText(QRectF(r.left() - self.px(30), r.bottom() - th, r.width() + self.px(30), th), Qt.AlignmentFlag.AlignCenter,
                   fmt.compact(lo, 0, self.ctx.lang) if unit != "percent" else fmt.percent(lo, 0, self.ctx.lang))
        if not any(v is not None for v in self.values().values()):
            p.setPen(theme.MUTED)
            p.drawText(self.avoid_seams(self.body_rect()), Qt.AlignmentFlag.AlignCenter, tr("Tidak ada data"))
