"""Qt bridge for the collector: its callbacks arrive on worker threads; these signals deliver them
in the GUI thread (a queued connection, since the bridge lives there). Never touch widgets in a
collector callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class CollectorBridge(QObject):
    event = Signal(object)  # any collector event
    runStarted = Signal(object)  # RunStarted
    runFinished = Signal(object)  # RunFinished

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, collector: Any) -> None:
        self.detach()
        self._unsubscribe = collector.subscribe(self._on_event)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _on_event(self, ev: Any) -> None:
        # runs on a collector thread: only emit (Qt copies the call into the GUI thread)
        self.event.emit(ev)
        if type(ev).__name__ == "RunFinished":
            self.runFinished.emit(ev)
        elif type(ev).__name__ == "RunStarted":
            self.runStarted.emit(ev)
