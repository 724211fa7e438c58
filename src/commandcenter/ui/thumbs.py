"""Console thumbnails from what the wall already painted: each window's backing store (the image
Qt composed its last paint into) is scaled down, never re-rendered (`QWidget.grab()` repaints the
whole window, 50-160 ms on the GUI thread for a 1920x1080 screen of plots)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QPixmap


def painted(window: Any) -> QImage | None:
    """The window's last painted image, without painting (None where the platform keeps none)."""
    store = window.backingStore() if window.isVisible() else None
    device = store.paintDevice() if store is not None else None
    return device if isinstance(device, QImage) and not device.isNull() else None


def thumbnail(window: Any, size: QSize) -> QPixmap:
    """A small picture of a window: nearest-pixel to twice the size (cheap on a full-HD image),
    then smooth to the size (cheap on a small one): ~1-2 ms instead of a grab and a smooth scale."""
    img = painted(window)
    if img is None:
        img = window.grab().toImage()  # platforms without a raster backing store
    keep = Qt.AspectRatioMode.KeepAspectRatio
    half = img.scaled(size * 2, keep, Qt.TransformationMode.FastTransformation)
    return QPixmap.fromImage(half.scaled(size, keep, Qt.TransformationMode.SmoothTransformation))
