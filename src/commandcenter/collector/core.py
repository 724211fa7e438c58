"""The collector: every enabled source on its own schedule, in worker threads, one run at a time.

Qt-free. Subscribers get RunStarted / RunFinished on worker threads; the UI turns them into Qt
signals (ui/bridge.py) and never touches widgets from here.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor as Pool
from concurrent.futures import wait
from datetime import datetime
from typing import Any, Callable, Mapping
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from commandcenter.cache.records import RunRecord
from commandcenter.collector.events import Event, RunFinished, RunStarted
from commandcenter.collector.maintenance import maintain
from commandcenter.collector.runner import CANCELLED, RunSettings, run_source
from commandcenter.collector.timing import trigger_for
from commandcenter.errors import CacheDamaged
from commandcenter.sources.base import default_data_dir as data_dir_for

log = logging.getLogger("commandcenter.collector")
Callback = Callable[[Event], None]
MAINTENANCE_JOB = "_maintenance"
MAINTENANCE_EVERY = 60.0  # seconds; also run soon after every finished run
APPS_JOB, APPS_TICK = "_apps", 1.0
STOP_GRACE = 5.0  # seconds stop() gives runs in flight before recording them as cancelled


class Collector:
    def __init__(self, cfg: Any, cache: Any, *, max_workers: int = 4, backoff: float = 1.0,
                 environ: Mapping[str, str] | None = None, clock: Callable[[], float] = time.time):
        self.cfg = cfg
        self.cache = cache
        self.tz = ZoneInfo(cfg.city.timezone)
        self.max_workers = max_workers
        self._stop = threading.Event()
        self._settled: set[str] = set()  # runs whose outcome is recorded (by the run or by stop())
        self._settle_lock = threading.Lock()
        self._inflight: dict[str, float] = {}
        self.damaged: CacheDamaged | None = None  # set when the cache turned out to be corrupt
        self.settings = RunSettings(data_dir=data_dir_for(cfg), environ=environ, backoff=backoff, clock=clock,
                                    stop=self._stop, claim=self._claim)
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
        if self._stop.is_set() or not lock.acquire(blocking=False):
            log.info("source %s: a run is already in progress (or the collector is stopping)", source_id)
            return None
        try:
            with self._settle_lock:
                self._settled.discard(source_id)
                self._inflight[source_id] = self.settings.clock()
            self._emit(RunStarted(source_id, self.settings.clock()))
            event = self._guarded(src)
        finally:
            with self._settle_lock:
                self._inflight.pop(source_id, None)
            lock.release()
        self._emit(event)
        if self._stop.is_set():
            return event
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
        except CacheDamaged as exc:
            log.error("%s", exc)
            self.damaged = exc
            self.request_stop()
        except Exception:
            log.exception("maintenance failed")

    def _claim(self, source_id: str) -> bool:
        """The right to record this run's outcome: taken once, by the run or by stop()."""
        with self._settle_lock:
            if source_id in self._settled:
                return False
            self._settled.add(source_id)
            return True

    def _maintenance_soon(self) -> None:
        sched = self._scheduler
        if self._stop.is_set():
            # never touch the scheduler while it shuts down: shutdown(wait=True) holds its job
            # store lock while it waits for this very thread (issue 18: collect never exited)
            return
        if sched is not None and sched.get_job(MAINTENANCE_JOB) is not None:
            # coalesced: a burst of finished runs gives one maintenance pass a second later
            soon = datetime.fromtimestamp(time.time() + 1.0, self.tz)
            job = sched.get_job(MAINTENANCE_JOB)
            if job.next_run_time is None or job.next_run_time > soon:
                sched.modify_job(MAINTENANCE_JOB, next_run_time=soon)

    def _guarded(self, src: Any) -> RunFinished:
        try:
            return run_source(self.cfg, self.cache, src, self.settings)
        except CacheDamaged as exc:
            # nothing can be written or trusted: stop collecting and say so (the service exits 1)
            log.error("%s", exc)
            self.damaged = exc
            self.request_stop()
            now = self.settings.clock()
            return RunFinished(run=RunRecord(source=src.id, started_at=now, finished_at=now, status="failed",
                                             message=str(exc)[:600]))
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
        """Every enabled source (or the given ones) once, in parallel; results in config order.
        After request_stop() it returns within about STOP_GRACE seconds, runs in flight cancelled."""
        ids = source_ids or [s.id for s in self.sources]
        pool = Pool(max_workers=self.max_workers, thread_name_prefix="collect")
        futures = [pool.submit(self.run_source, i) for i in ids]
        try:
            while not self._stop.is_set():
                if not wait(futures, timeout=0.2).not_done:
                    break
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        if self._stop.is_set():
            self.stop()
        done = [f.result() for f in futures if f.done() and not f.cancelled() and f.exception() is None]
        return [r for r in done if r is not None]

    def request_stop(self) -> None:
        """Ask for a stop (safe in a signal handler); stop() or run_all() carries it out."""
        self._stop.set()

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
        """Stop scheduling; `wait` gives runs in flight STOP_GRACE seconds, then records them as
        cancelled (see stop())."""
        if wait:
            self.stop()
            return
        self._stop.set()
        sched, self._scheduler = self._scheduler, None
        if sched is not None:
            sched.shutdown(wait=False)
        if self.apps is not None:
            self.apps.shutdown()

    def stop(self, grace: float = STOP_GRACE) -> list[str]:
        """Stop now, whatever is running: no new runs; fetches in flight end within a fraction of
        a second (their network waits watch the stop flag); runs still busy after `grace` seconds
        are recorded as cancelled and their results, if they come, are dropped. Returns their ids."""
        self.shutdown(wait=False)
        deadline = time.monotonic() + grace
        while self._inflight and time.monotonic() < deadline:
            time.sleep(0.05)
        with self._settle_lock:
            busy = dict(self._inflight)
        cancelled = [sid for sid in busy if self._claim(sid)]
        for sid in cancelled:
            now = self.settings.clock()
            run = RunRecord(source=sid, started_at=busy[sid], finished_at=now, status="cancelled",
                            message=CANCELLED, latency_ms=round((now - busy[sid]) * 1000, 1))
            try:
                self.cache.record_run(run)
            except Exception:
                log.exception("source %s: cannot record the cancelled run", sid)
        return cancelled

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

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
