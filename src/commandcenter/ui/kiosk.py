"""Kiosk safety for the wall windows: stray clicks and keys are ignored, presenter keys are
passed to the rotation, windows close only when the console says so, and B blanks the wall.

One event filter on the application (wall windows rebuild their panels on every scene change, so
per-widget filters would go stale); it returns early for every event type it does not handle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

KEY_NAMES = {
    Qt.Key.Key_PageDown: "PageDown", Qt.Key.Key_PageUp: "PageUp", Qt.Key.Key_Right: "Right",
    Qt.Key.Key_Left: "Left", Qt.Key.Key_B: "B", Qt.Key.Key_Escape: "Escape",
}
_INPUT = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
    QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride,
}
_KEY, _CLOSE = QEvent.Type.KeyPress, QEvent.Type.Close


def key_name(event: QKeyEvent) -> str | None:
    return KEY_NAMES.get(Qt.Key(event.key()))


class KioskGuard(QObject):
    """Install once; `windows()` returns the wall's current top-level windows."""

    def __init__(self, windows: Callable[[], list[QWidget]], on_key: Callable[[str], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows, self.on_key = windows, on_key
        self.allow_close = False
        self.ignored = 0  # stray events swallowed (the console shows it; tests check it)
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        QApplication.instance().removeEventFilter(self)

    def _on_wall(self, obj: QObject) -> bool:
        if not isinstance(obj, QWidget):
            return False
        top = obj.window()
        return any(top is w for w in self.windows())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind != _KEY and kind != _CLOSE and kind not in _INPUT:
            return False
        if not self._on_wall(obj):
            return False
        if kind == _CLOSE:
            if self.allow_close:
                return False
            event.ignore()
            return True
        if kind == _KEY:
            name = key_name(event)
            if name is not None and not event.isAutoRepeat():
                self.on_key(name)  # consumed here, so it never reaches a second widget
            elif name is None:
                self.ignored += 1
            return True
        self.ignored += 1
        return True


class BlankOverlay:
    """A black cover over every wall window (presenter key B): the room looks at the speaker."""

    def __init__(self) -> None:
        self._covers: list[QWidget] = []

    def set(self, windows: list[QWidget], blank: bool) -> None:
        for cover in self._covers:
            cover.deleteLater()
        self._covers = []
        if not blank:
            return
        for win in windows:
            cover = QWidget(win)
            cover.setObjectName("blankCover")
            cover.setStyleSheet("background: black;")
            cover.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            cover.setGeometry(win.rect())
            cover.show()
            cover.raise_()
            self._covers.append(cover)

    @property
    def active(self) -> bool:
        return bool(self._covers)
