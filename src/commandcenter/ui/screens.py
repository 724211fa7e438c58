"""What screens Qt sees (for `commandcenter screens` and for mapping the wall onto monitors)."""

from __future__ import annotations

from typing import Any


def list_screens() -> list[dict[str, Any]]:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    primary = app.primaryScreen()
    out = []
    for i, screen in enumerate(app.screens()):
        g = screen.geometry()
        out.append({
            "index": i, "name": screen.name(), "primary": screen is primary,
            "geometry": {"x": g.x(), "y": g.y(), "width": g.width(), "height": g.height()},
            "logical_dpi": screen.logicalDotsPerInch(), "physical_dpi": screen.physicalDotsPerInch(),
            "device_pixel_ratio": screen.devicePixelRatio(), "refresh_hz": screen.refreshRate(),
        })
    return out
