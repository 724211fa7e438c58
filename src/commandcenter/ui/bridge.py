"""Qt bridge for the collector: its callbacks arrive on worker threads; these signals deliver them
in the GUI thread (a queued connection, since the bridge lives there). Never touch widgets in a
collector callback."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal


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


# -- cache changes from other processes (deploy, issue #8) -------------------------------------------
class CacheChangeBridge(QObject):
    """`changed(payload)` in the GUI thread whenever another process (a collector, maybe on another
    machine) commits to this city's cache: PostgreSQL LISTEN/NOTIFY, or data_version polling on
    SQLite (commandcenter.cache.notify.watch_changes). Hook: `bridge.changed.connect(data.poll)`;
    on PostgreSQL the DataService's own poll timer can then slow down to a safety net (30 s)."""

    changed = Signal(str)
    _poke = Signal()  # no arguments cross threads: payloads wait in a deque

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher: Any = None
        self._pending: deque[str] = deque()
        self._poke.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def start(self, cache: Any, interval: float = 1.0, watch: Any = None) -> None:
        """`watch(on_change, interval)` makes another watcher (the command bus's) than the data's."""
        from commandcenter.cache.notify import watch_changes

        self.stop()
        # on_change runs on the watcher's thread: park the payload, poke the GUI thread, and let
        # `changed` be emitted there only
        if watch is not None:
            self._watcher = watch(self._from_watcher, interval)
        else:
            self._watcher = watch_changes(cache, on_change=self._from_watcher, interval=interval)

    def _from_watcher(self, payload: str) -> None:
        self._pending.append(payload)
        self._poke.emit()

    def _drain(self) -> None:
        while self._pending:
            self.changed.emit(self._pending.popleft())

    @property
    def push(self) -> bool:
        """True when changes are pushed by the database (PostgreSQL), not polled."""
        return type(self._watcher).__name__ == "ChangeListener"

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
