"""Application checks in the collector: apps.yaml on the collector's scheduler.

A one-second tick job starts the checks that are due (each app on its interval's grid, so apps
with the same interval form one cycle) on a pool of `concurrency` threads, and writes the
results that came in as one batch of samples plus one run record (the record is what wakes
walls in other processes). A check past its hard deadline (timeout + grace) is written off as a
timeout: the collector never waits on it, whatever it is stuck in.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable

from commandcenter.cache.records import RunRecord, Sample
from commandcenter.checks import base, metrics as M, registry
from commandcenter.checks.windows import in_maintenance
from commandcenter.config.schema.apps import apps_of

log = logging.getLogger("commandcenter.collector.apps")
GRACE = 2.0  # seconds past a check's deadline before it is written off
FLUSH_EVERY = 1.0  # while a cycle runs, write what came in at most this often (walls refresh per write)
STATE_KEY = "apps.last"
REQUESTS_KEY = "apps.check_requests"  # {app id: requested at}: "check now" from a console anywhere
REQUESTS_EVERY = 2.0  # seconds between two looks at the requests


@dataclass
class _Running:
    app: Any
    future: Future
    due_at: float
    started: float | None = None  # monotonic, set by the worker when it really starts


class AppChecker:
    def __init__(self, cfg: Any, cache: Any, *, data_dir: Any = None, environ: Any = None,
                 clock: Callable[[], float] = time.time, on_flush: Callable[[int], None] | None = None):
        self.cfg, self.cache, self.clock = cfg, cache, clock
        self.file = apps_of(cfg)
        self.apps = [a for a in (self.file.apps if self.file else []) if a.enabled]
        self.by_id = {a.id: a for a in self.apps}
        self.ctx = base.CheckContext(config_root=cfg.root, data_dir=data_dir, environ=environ)
        self.on_flush = on_flush
        self._pool = ThreadPoolExecutor(self.file.concurrency if self.file else 1, thread_name_prefix="check")
        self._lock = threading.Lock()
        self._running: dict[str, _Running] = {}
        self._done: list[tuple[Any, base.CheckResult, float]] = []
        self._last_slot: dict[str, int] = {}
        self._forced: set[str] = set()
        self._last_flush = 0.0
        self._requests_seen = time.monotonic() - REQUESTS_EVERY
        self._handled: dict[str, float] = dict(cache.get_state(REQUESTS_KEY, {}) or {})  # old ones are done
        self._last = dict(cache.get_state(STATE_KEY, {}) or {})  # app id -> last result summary

    # -- scheduling ---------------------------------------------------------------------------------
    def tick(self) -> int:
        """Reap finished (or overdue) checks, start the due ones, write results; returns started."""
        self._reap()
        self._take_requests()
        started = 0
        now = self.clock()
        for app in self.apps:
            if app.id not in self._running and self._due(app, now):
                self._start(app, now)
                started += 1
        if self._done and (not self._running or time.monotonic() - self._last_flush >= FLUSH_EVERY):
            self.flush()
        return started

    def _due(self, app: Any, now: float) -> bool:
        slot = int(now // self.file.interval_of(app))
        if app.id in self._forced or self._last_slot.get(app.id) != slot:
            self._last_slot[app.id] = slot
            self._forced.discard(app.id)
            return True
        return False

    def check_now(self, app_id: str) -> None:
        """The operator's 'check now': at the next tick, even if checked in this interval."""
        if app_id not in self.by_id:
            raise KeyError(f"unknown application {app_id!r}")
        self._forced.add(app_id)

    def _take_requests(self) -> None:
        if time.monotonic() - self._requests_seen < REQUESTS_EVERY:
            return
        self._requests_seen = time.monotonic()
        try:
            pending = self.cache.get_state(REQUESTS_KEY, {}) or {}
        except Exception:
            log.warning("cannot read check requests", exc_info=True)
            return
        for app_id, at in pending.items():
            if app_id in self.by_id and at != self._handled.get(app_id):
                self._handled[app_id] = at
                self._forced.add(app_id)

    def _start(self, app: Any, now: float) -> None:
        run = _Running(app, Future(), now)
        run.future = self._pool.submit(self._one, app, run)
        self._running[app.id] = run

    def _one(self, app: Any, run: _Running) -> tuple[base.CheckResult, float]:
        run.started = time.monotonic()
        at = self.clock()
        return check_app(self.file, app, self.ctx), at

    def _reap(self) -> None:
        mono = time.monotonic()
        for app_id, run in list(self._running.items()):
            if run.future.done():
                try:
                    result, at = run.future.result()
                except Exception as exc:  # a check bug is that app's failure, never the collector's
                    log.exception("check %s crashed", app_id)
                    result, at = base.CheckResult.fail(base.INTERNAL, f"internal error: {type(exc).__name__}"), run.due_at
                self._done.append((run.app, result, at))
                del self._running[app_id]
            elif run.started is not None and mono - run.started > self.file.timeout_of(run.app) + GRACE:
                limit = self.file.timeout_of(run.app)
                self._done.append((run.app, base.CheckResult.fail(
                    base.TIMEOUT, f"no answer within {limit:g} s (check abandoned)", limit * 1000), run.due_at))
                del self._running[app_id]  # its thread ends on its own; its late result is dropped

    # -- writing ------------------------------------------------------------------------------------
    def flush(self) -> int:
        with self._lock:
            done, self._done = self._done, []
        if not done:
            return 0
        tz = self.cfg.city.timezone
        samples: list[Sample] = []
        for app, result, at in done:
            maint = in_maintenance(app, at, tz) is not None
            samples += samples_for(app, result, int(at), maint)
            self._last[app.id] = _summary(self._last.get(app.id), result, at, maint)
        down = sum(1 for _, r, _ in done if not r.up)
        now = self.clock()
        run = RunRecord(source=M.SOURCE, started_at=min(at for *_, at in done), finished_at=now, status="ok",
                        message=f"{len(done)} application checks: {len(done) - down} up, {down} down",
                        rows=len(samples))
        _, written = self.cache.commit_run(run, samples, known_at=now)  # values visible with their record
        self.cache.set_state(STATE_KEY, self._last)
        self._last_flush = time.monotonic()
        if self.on_flush is not None:
            self.on_flush(len(done))
        return written

    def run_once(self, app_ids: list[str] | None = None) -> dict[str, base.CheckResult]:
        """Every app (or the given ones) checked now, waited for, written; for `collect --once`."""
        now = self.clock()
        for app in self.apps:
            if app_ids is None or app.id in app_ids:
                if app.id not in self._running:
                    self._start(app, now)
        while self._running:
            time.sleep(0.05)
            self._reap()
        results = {app.id: r for app, r, _ in self._done}
        self.flush()
        return results

    def shutdown(self) -> None:
        """Stop waiting for checks in flight; a later start gets a fresh pool (threads come lazily)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ThreadPoolExecutor(self.file.concurrency if self.file else 1, thread_name_prefix="check")
        self._running.clear()


def check_app(file: Any, app: Any, ctx: base.CheckContext) -> base.CheckResult:
    """One check of one app under its deadline (never raises)."""
    kind = registry.get(app.check.kind)
    try:
        opts = kind.Options.model_validate(app.check.model_extra or {})
    except Exception as exc:
        return base.CheckResult.fail(base.INTERNAL, f"bad check options: {exc}"[:200])
    with base.Deadline(file.timeout_of(app)) as deadline:
        try:
            return kind().run(opts, deadline, ctx)
        except Exception as exc:  # noqa: BLE001
            log.exception("check %s (%s) crashed", app.id, app.check.kind)
            return base.CheckResult.fail(base.INTERNAL, f"internal error: {type(exc).__name__}", deadline.elapsed_ms())


def samples_for(app: Any, r: base.CheckResult, ts: int, maint: bool) -> list[Sample]:
    s = [Sample(M.MAINT if maint else M.UP, app.opd, ts, 1.0 if (maint or r.up) else 0.0, dim=app.id)]
    if r.latency_ms is not None and math.isfinite(r.latency_ms):
        s.append(Sample(M.LATENCY, app.opd, ts, float(r.latency_ms), dim=app.id))
    if r.cert_days is not None:
        s.append(Sample(M.CERT, app.opd, ts, float(r.cert_days), dim=app.id))
    if not r.up and not maint:
        s.append(Sample(M.FAIL, app.opd, ts, float(r.reason), dim=app.id))
    return s


def _summary(prev: dict | None, r: base.CheckResult, at: float, maint: bool) -> dict:
    """What the console and the alerts need of the last check: kept in one state value."""
    fails = 0 if (r.up or maint) else int((prev or {}).get("fails", 0)) + 1
    since = (prev or {}).get("down_since") if fails > 1 else (at if fails == 1 else None)
    return {"at": at, "up": r.up, "maint": maint, "ms": r.latency_ms, "reason": r.reason,
            "message": r.message, "cert_days": r.cert_days, "fails": fails, "down_since": since}
