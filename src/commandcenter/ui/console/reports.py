"""Scheduled reports (reports.yaml) while the console runs: a QTimer wakes at the next cron
instant (city time) and writes the PDF; the next one is scheduled after each run."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

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
        self._procs: list[QProcess] = []  # report workers running
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
        """Start every report whose time has come, each in a worker process (reading scenes and
        drawing pages stay off the GUI thread); `written` fires as each PDF lands. Returns the
        paths being written."""
        from commandcenter.ui.export import report_path

        now, done = self.clock(), []
        for report in self.reports:
            if self.due.get(report.id, float("inf")) <= now:
                try:
                    done.append(self._start_worker(report, now, str(report_path(self.cfg, report, now))))
                except Exception:  # one failing report must not stop the others
                    log.exception("report %s failed", report.id)
                nxt = self.next_time(report, now + 1)  # the cron match is inclusive
                if nxt is not None:
                    self.due[report.id] = nxt
        self._arm()
        return done

    def _start_worker(self, report: Any, now: float, path: str) -> str:
        if getattr(sys, "frozen", False):  # a packaged build has no `python -m`: draw here
            from commandcenter.ui.export import run_report

            self.written.emit(str(run_report(self.cfg, self.cache, report, now)))
            return path
        proc = QProcess(self)
        proc.setProgram(sys.executable)
        proc.setArguments(["-m", "commandcenter.ui.report_worker", "--config", str(self.cfg.root),
                           "--db", self.cache.engine.url.render_as_string(hide_password=False),
                           "--report", report.id, "--now", repr(now)])
        self._procs = [p for p in self._procs if p.state() != QProcess.ProcessState.NotRunning]
        self._procs.append(proc)
        proc.finished.connect(lambda code, _status: self._finished(report.id, path, code))
        proc.start()
        return path

    def _finished(self, report_id: str, path: str, code: int) -> None:
        proc = next((p for p in self._procs if p.state() == QProcess.ProcessState.NotRunning and p.exitCode() == code), None)
        if code == 0:
            self.written.emit(path)
        else:
            err = bytes(proc.readAllStandardError().data()).decode(errors="replace")[-500:] if proc else ""
            log.error("report %s failed (exit %s): %s", report_id, code, err)
