"""Alerts that interrupt the rotation: a new firing alert shows its OPD's scene for a while, then
the rotation resumes. Shared by the console and a wall running without one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

POLL_MS = 5000


class InterruptTracker:
    """Remembers which alerts were already seen; alerts open at start never interrupt."""

    def __init__(self) -> None:
        self.known: set[int] | None = None

    def feed(self, driver: Any, alerts: list[Any]) -> None:
        firing = [a for a in alerts if a.state == "firing"]
        if self.known is not None:
            for a in sorted(firing, key=lambda a: a.fired_at):
                if a.id not in self.known:
                    driver.interrupt(a)
        self.known = (self.known or set()) | {a.id for a in alerts}


class AlertInterrupts(QObject):
    """For a wall without a console: read open alerts on the driver's worker every few seconds."""

    def __init__(self, cache: Any, driver: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache, self.driver = cache, driver
        self.tracker = InterruptTracker()
        self._version: Any = None  # the change log's newest entry when the alerts were read last
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.poll)
        self._timer.start(POLL_MS)
        self.poll()

    def poll(self) -> None:
        self.driver.worker.read(self._read, done=self._feed)

    def _read(self) -> list[Any] | None:
        """On the worker: the open alerts, or None when the change log has not moved since they
        were read (an alert firing, acknowledged or resolved always adds an entry): one index
        look-up instead of reading every open alert every few seconds."""
        version = self.cache.data_version()  # first: a change after it is seen by the next poll
        if version == self._version:
            return None
        alerts = self.cache.alerts()
        self._version = version
        return alerts

    def _feed(self, alerts: list[Any] | None) -> None:
        if alerts is not None:
            self.tracker.feed(self.driver, alerts)

    def stop(self) -> None:
        self._timer.stop()
