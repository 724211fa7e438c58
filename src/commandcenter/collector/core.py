"""The collector: every enabled source on its own schedule, in worker threads, one run at a time.

Qt-free. Subscribers get RunStarted / RunFinished on worker threads; the UI turns them into Qt
signals (ui/bridge.py) and never touches widgets from here.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor as Pool
from datetime import datetime
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from commandcenter.cache.records import RunRecord
from commandcenter.collector.events import Event, RunFinished, RunStarted
from commandcenter.collector.maintenance import maintain
from commandcenter.collector.runner import RunSettings, run_source
from commandcenter.collector.timing import trigger_for
from commandcenter.sources.base import default_data_dir as data_dir_for

log = logging.getLogger("commandcenter.collector")
Callback = Callable[[Event], None]
MAINTENANCE_JOB = "_maintenance"
MAINTENANCE_EVERY = 60.0  # seconds; also run soon after every finished run
APPS_JOB, APPS_TICK = "_apps", 1.0


class Collector:
    def __init__(self, cfg: Any, cache: Any, *, max_workers: int = 4, backoff: float = 1.0,
                 environ: Mapping[str, str] | None = None, clock: Callable[[], float] = time.time):
        self.cfg = cfg
        self.cache = cache
        self.tz = ZoneInfo(cfg.city.timezone)
        self.max_workers = max_workers
        self.settings = RunSettings(data_dir=data_dir_for(cfg), environ=environ, backoff=backoff, clock=clock)
        self._subscribers: list[Callback] = []
        self._locks = {s.id: threading.Lock() for s in cfg.sources}
        self._scheduler: BackgroundScheduler | None = None
        self._rerun: set[str] = set()
        self.apps = _app_checker(self)

    @property
    def sources(self) -> list[Any]:
        return [s for s in self.cfg.sources if s.enabled]

    # -- events -------------------------------------------------------------------------------------
    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call `callback(event)` for every RunStarted / RunFinished (on a worker thread); returns unsubscribe."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback) if callback in self._subscribers else None

    def _emit(self, event: Event) -> None:
        for cb in list(self._subscribers):
            try:
                cb(event)
            except Exception:  # a broken subscriber must not break collection
                log.exception("collector subscriber failed on %s", type(event).__name__)

    # -- running --------------------------------------------------------------------------------------
    def run_source(self, source_id: str) -> RunFinished | None:
        """Run one source now, in this thread; None when a run of it is already in progress."""
        src = self.cfg.source_by_id[source_id]
        lock = self._locks.setdefault(source_id, threading.Lock())
        if not lock.acquire(blocking=False):
            log.info("source %s: a run is already in progress", source_id)
            return None
        try:
            self._emit(RunStarted(source_id, self.settings.clock()))
            event = self._guarded(src)
        finally:
            lock.release()
        self._emit(event)
        self._maintenance_soon()
        if source_id in self._rerun:  # "refresh now" came while this run was busy: one more run
            self._rerun.discard(source_id)
            self.refresh_now(source_id)
        return event

    def maintain(self) -> None:
        """Alerts, rollups and retention (see maintenance.py); never lets an error stop collection."""
        try:
            maintain(self.cfg, self.cache, now=self.settings.clock(), next_runs=self.next_runs())
            if self.apps is not None:
                from commandcenter.checks.upkeep import maintain_apps

                maintain_apps(self.cfg, self.cache, now=self.settings.clock())
        except Exception:
            log.exception("maintenance failed")

    def _maintenance_soon(self) -> None:
        sched = self._scheduler
        if sched is not None and sched.get_job(MAINTENANCE_JOB) is not None:
            # coalesced: a burst of finished runs gives one maintenance pass a second later
            soon = datetime.fromtimestamp(time.time() + 1.0, self.tz)
            job = sched.get_job(MAINTENANCE_JOB)
            if job.next_run_time is None or job.next_run_time > soon:
                sched.modify_job(MAINTENANCE_JOB, next_run_time=soon)

    def _guarded(self, src: Any) -> RunFinished:
        try:
            return run_source(self.cfg, self.cache, src, self.settings)
        except Exception as exc:  # cache down, bad options...: record what we can, keep going
            log.exception("source %s: run failed outside the connector", src.id)
            now = self.settings.clock()
            run = RunRecord(source=src.id, started_at=now, finished_at=now, status="failed",
                            message=f"internal error: {type(exc).__name__}")
            try:
                run = RunRecord(**{**_fields(run), "id": self.cache.record_run(run)})
            except Exception:
                log.exception("source %s: cannot record the run", src.id)
            return RunFinished(run=run)

    def run_all(self, source_ids: list[str] | None = None) -> list[RunFinished]:
        """Every enabled source (or the given ones) once, in parallel; results in config order."""
        ids = source_ids or [s.id for s in self.sources]
        with Pool(max_workers=self.max_workers, thread_name_prefix="collect") as pool:
            results = list(pool.map(self.run_source, ids))
        return [r for r in results if r is not None]

    # -- scheduling ---------------------------------------------------------------------------------
    def start(self, run_now: bool = True) -> None:
        """Schedule every enabled source (interval or cron in the city's zone); first runs now."""
        if self._scheduler is not None:
            return
        sched = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(self.max_workers)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
            timezone=self.tz,
        )
        now = datetime.now(self.tz)
        for src in self.sources:
            extra = {"next_run_time": now} if run_now else {}
            sched.add_job(self.run_source, trigger_for(src, self.tz), args=[src.id], id=src.id,
                          name=src.name or src.id, **extra)
        sched.add_job(self.maintain, "interval", seconds=MAINTENANCE_EVERY, id=MAINTENANCE_JOB, name="maintenance")
        if self.apps is not None:  # application checks: a tick on the same scheduler (collector/apps.py)
            sched.add_job(self.apps.tick, "interval", seconds=APPS_TICK, id=APPS_JOB, name="application checks",
                          **({"next_run_time": now} if run_now else {}))
        sched.start()
        self._scheduler = sched

    def refresh_now(self, source_id: str) -> None:
        """Ask for a run of one source as soon as a worker is free (operator's 'refresh' button)."""
        if source_id not in self.cfg.source_by_id:
            raise KeyError(f"unknown source {source_id!r}")
        if self._locks.setdefault(source_id, threading.Lock()).locked():
            self._rerun.add(source_id)  # the operator wants data newer than the run in progress
            return
        if self._scheduler is not None and self._scheduler.get_job(source_id) is not None:
            self._scheduler.modify_job(source_id, next_run_time=datetime.now(self.tz))
            self._scheduler.wakeup()
        else:
            threading.Thread(target=self.run_source, args=(source_id,), daemon=True,
                             name=f"refresh-{source_id}").start()

    def next_runs(self) -> dict[str, float]:
        """Epoch seconds of each scheduled source's next run (empty when not started)."""
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time.timestamp() for job in self._scheduler.get_jobs()
                if job.next_run_time and job.id not in (MAINTENANCE_JOB, APPS_JOB)}

    def shutdown(self, wait: bool = True) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=wait)
            self._scheduler = None
        if self.apps is not None:
            self.apps.shutdown()

    @property
    def running(self) -> bool:
        return self._scheduler is not None


def _app_checker(collector: "Collector") -> Any:
    from commandcenter.collector.apps import AppChecker
    from commandcenter.config.schema.apps import apps_of

    file = apps_of(collector.cfg)
    if file is None or not any(a.enabled for a in file.apps):
        return None
    return AppChecker(collector.cfg, collector.cache, data_dir=collector.settings.data_dir,
                      environ=collector.settings.environ, clock=collector.settings.clock,
                      on_flush=lambda n: collector._maintenance_soon())


def _fields(run: RunRecord) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(run)
