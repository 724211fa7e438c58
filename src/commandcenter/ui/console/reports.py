"""Scheduled reports (reports.yaml) while the console runs: a QTimer wakes at the next cron
instant (city time); the handout is read, drawn, written (and mailed) on a worker thread, so the
wall never waits for it; `written` arrives on the GUI thread. The next run is scheduled at once."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from commandcenter.config.schema.reports import parse_cron

log = logging.getLogger(__name__)
MAX_WAIT_MS = 3_600_000  # wake at least hourly: the machine may have slept past a run


class ReportScheduler(QObject):
    written = Signal(str)  # path of a report PDF (emitted from the worker: queued to the GUI thread)
    failed = Signal(str, str)  # report id, reason

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
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report")
        self.jobs: list[Future] = []

    def next_time(self, report: Any, after: float) -> float | None:
        trigger = parse_cron(report.cron, self.cfg.city.timezone)
        nxt = trigger.get_next_fire_time(None, datetime.fromtimestamp(after, timezone.utc))
        return nxt.timestamp() if nxt else None

    def start(self) -> None:
        now = self.clock()
        self.due = {r.id: t for r in self.reports if (t := self.next_time(r, now)) is not None}
        self._arm()

    def stop(self, wait: bool = True) -> None:
        self._timer.stop()
        self._pool.shutdown(wait=wait)

    def _arm(self) -> None:
        if not self.due:
            return
        wait = (min(self.due.values()) - self.clock()) * 1000
        self._timer.start(int(max(0, min(MAX_WAIT_MS, wait))))

    def run_due(self) -> list[str]:
        """Start every report whose time has come on the worker; returns their paths."""
        from commandcenter.ui.export import report_path

        now, started = self.clock(), []
        for report in self.reports:
            if self.due.get(report.id, float("inf")) <= now:
                started.append(str(report_path(self.cfg, report, now)))
                self.jobs.append(self._pool.submit(self._write, report, now))
                nxt = self.next_time(report, now + 1)  # the cron match is inclusive
                if nxt is not None:
                    self.due[report.id] = nxt
        self._arm()
        return started

    def _write(self, report: Any, now: float) -> str | None:
        from commandcenter.ui.export import run_report

        try:
            path = str(run_report(self.cfg, self.cache, report, now))
        except Exception as exc:  # one failing report must not stop the others
            log.exception("report %s failed", report.id)
            self.failed.emit(report.id, type(exc).__name__)
            return None
        self.written.emit(path)
        return path
