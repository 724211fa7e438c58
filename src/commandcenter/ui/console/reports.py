"""Scheduled reports (reports.yaml) while the console runs: a QTimer wakes at the next cron
instant (city time) and writes the PDF; the next one is scheduled after each run."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from commandcenter.config.schema.reports import parse_cron

log = logging.getLogger(__name__)
MAX_WAIT_MS = 3_600_000  # wake at least hourly: the machine may have slept past a run


class ReportScheduler(QObject):
    written = Signal(str)  # path of a report PDF

    def __init__(self, cfg: Any, cache: Any, clock: Callable[[], float] = time.time,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.cache, self.clock = cfg, cache, clock
        spec = cfg.extra.get("reports") if isinstance(cfg.extra, dict) else None
        self.reports = [r for r in getattr(spec, "reports", []) if r.enabled]
        self.due: dict[str, float] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.run_due)

    def next_time(self, report: Any, after: float) -> float | None:
        trigger = parse_cron(report.cron, self.cfg.city.timezone)
        nxt = trigger.get_next_fire_time(None, datetime.fromtimestamp(after, timezone.utc))
        return nxt.timestamp() if nxt else None

    def start(self) -> None:
        now = self.clock()
        self.due = {r.id: t for r in self.reports if (t := self.next_time(r, now)) is not None}
        self._arm()

    def stop(self) -> None:
        self._timer.stop()

    def _arm(self) -> None:
        if not self.due:
            return
        wait = (min(self.due.values()) - self.clock()) * 1000
        self._timer.start(int(max(0, min(MAX_WAIT_MS, wait))))

    def run_due(self) -> list[str]:
        """Write every report whose time has come (drawing needs the GUI thread: a few pages)."""
        from commandcenter.ui.export import run_report

        now, done = self.clock(), []
        for report in self.reports:
            if self.due.get(report.id, float("inf")) <= now:
                try:
                    path = str(run_report(self.cfg, self.cache, report, now))
                    done.append(path)
                    self.written.emit(path)
                except Exception:  # one failing report must not stop the others
                    log.exception("report %s failed", report.id)
                nxt = self.next_time(report, now + 1)  # the cron match is inclusive
                if nxt is not None:
                    self.due[report.id] = nxt
        self._arm()
        return done
