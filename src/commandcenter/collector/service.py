"""`commandcenter collect`: the headless collector (a separate machine, a service, a cron job)."""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any, TextIO

from commandcenter import logs
from commandcenter.collector.core import Collector
from commandcenter.collector.events import RunFinished

EXIT_OK, EXIT_FAIL, EXIT_INVALID, EXIT_ALL_FAILED = 0, 1, 2, 3
BUS_LOOK_EVERY = 30.0  # seconds: the command bus is read at least this often, woken or not
FREEZE_AFTER = 120.0  # seconds: the start-up objects are frozen by then even if a source never answers


def run_collect(args: Any, out: TextIO | None = None) -> int:
    """--once: poll every source once, print a summary, then exit 0 if every source delivered,
    1 if some failed, 3 if all failed (a cron job or CI can tell). Otherwise run the schedule until
    SIGINT/SIGTERM, which end it within 10 s whatever runs (runs in flight recorded as cancelled).
    Exit 2 on a bad config, 1 if the cache cannot open or turns out to be damaged."""
    from commandcenter.runtime import leave_blocked_threads, load_or_report, open_cache, stop_signals

    out = out or sys.stdout
    cfg = load_or_report(getattr(args, "config", None), check_secrets=True)
    if cfg is None:
        return EXIT_INVALID
    try:
        cache = open_cache(args, cfg)
    except Exception as exc:
        print(f"commandcenter: cannot open the cache: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_FAIL
    collector = Collector(cfg, cache)
    log_file = logs.setup(cfg, "collect", getattr(args, "log_level", None), console=not getattr(args, "once", False))
    logging.getLogger(__name__).info("collect started (log file %s)", log_file)
    try:
        only = list(getattr(args, "source", None) or [])
        if getattr(args, "reimport", False) and not only:
            print("commandcenter: --reimport needs --source ID (the source to read again)", file=sys.stderr)
            return EXIT_INVALID
        unknown = [s for s in only if s not in cfg.source_by_id]
        if unknown:
            known = ", ".join(s.id for s in cfg.sources)
            print(f"commandcenter: unknown source {', '.join(unknown)} (sources: {known})", file=sys.stderr)
            return EXIT_INVALID
        if getattr(args, "reimport", False):
            for source in only:
                forgot = cache.forget_checkpoints(source)
                cache.audit("reimport", {"source": source, "checkpoints": forgot}, actor="cli")
                print(f"{source}: forgot {forgot} watermark(s)/file fingerprint(s); reading everything again", file=out)
        if getattr(args, "once", False) or only:
            with stop_signals(collector.request_stop):
                results = collector.run_all(only or None)
            print_summary(results, out)
            if collector.apps is not None and not only and not collector.stopping:  # application checks, once
                checked = collector.apps.run_once()
                down = sorted(k for k, r in checked.items() if not r.up)
                print(f"{len(checked)} applications checked, {len(down)} down"
                      + (f": {', '.join(down)}" if down else ""), file=out)
            if not collector.stopping:
                collector.maintain()
            if collector.damaged is not None:
                print(f"commandcenter: {collector.damaged}", file=sys.stderr)
                return EXIT_FAIL
            if collector.stopping:
                print("stopped by a signal: runs in flight were recorded as cancelled", file=out)
            else:
                print(f"{len(cache.alerts())} open alert(s)", file=out)
            code = once_exit_code(results)
        else:
            code = _serve(collector, out)
            if collector.damaged is not None:
                print(f"commandcenter: {collector.damaged}", file=sys.stderr)
                code = EXIT_FAIL
    finally:
        cache.close()
        logs.teardown()
    if collector.stopping:
        leave_blocked_threads(code, out)
    return code


def once_exit_code(results: list[RunFinished]) -> int:
    """0 every source delivered (ok, partial or no new data), 1 some failed, 3 all failed."""
    failed = sum(1 for r in results if r.run.status == "failed")
    if failed and failed == len(results):
        return EXIT_ALL_FAILED
    return EXIT_FAIL if failed else EXIT_OK


def print_summary(results: list[RunFinished], out: TextIO) -> None:
    print(f"{'SOURCE':26} {'STATUS':8} {'ROWS':>6} {'NEW':>6} {'REJ':>4} {'MS':>7}  MESSAGE", file=out)
    for r in results:
        run = r.run
        print(f"{run.source[:26]:26} {run.status:8} {run.rows:6d} {r.written:6d} {run.rejected:4d} "
              f"{run.latency_ms:7.0f}  {run.message[:90]}", file=out)
        for reason in r.rejected:  # every one: the message above shows only the first few
            print(f"    rejected: {reason}", file=out)
    failed = sum(1 for r in results if r.run.status == "failed")
    print(f"{len(results)} sources polled, {failed} failed", file=out)


def _serve(collector: Collector, out: TextIO) -> int:
    from commandcenter.runtime import stop_signals

    stop = threading.Event()

    def request() -> None:
        collector.request_stop()
        stop.set()

    collector.subscribe(lambda e: isinstance(e, RunFinished) and print(
        f"{e.run.source}: {e.run.status} ({e.run.rows} values) {e.run.message[:100]}", file=out, flush=True))
    settled = _StartupSettled(collector)
    with stop_signals(request):
        collector.start()
        refresher = threading.Thread(target=_take_refreshes, args=(collector, stop), name="console-refresh",
                                     daemon=True)
        refresher.start()
        print(f"collecting {len(collector.sources)} sources; Ctrl+C to stop", file=out, flush=True)
        try:
            while not stop.wait(1.0) and not collector.stopping:
                settled.check()
        finally:
            stop.set()  # the refresher ends too
            cancelled = collector.stop()
    note = f"; {len(cancelled)} blocked run(s) recorded as cancelled: {', '.join(cancelled)}" if cancelled else ""
    print(f"stopped{note}", file=out, flush=True)
    return EXIT_OK


class _StartupSettled:
    """Once every source has run once (or after FREEZE_AFTER seconds), the objects made so far
    (the config, the imported libraries, the first runs' statement caches) are moved out of the
    garbage collector's reach: they live as long as the process. Without this each full
    collection walked all of them, ~70 ms about every half minute for a collector polling
    unchanged data, a third of its CPU (issue #15)."""

    def __init__(self, collector: Collector) -> None:
        self._pending = {s.id for s in collector.sources}
        self._deadline = time.monotonic() + FREEZE_AFTER
        self._done = False
        collector.subscribe(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, RunFinished):
            self._pending.discard(event.run.source)

    def check(self) -> None:
        import gc

        if self._done or (self._pending and time.monotonic() < self._deadline):
            return
        self._done = True
        gc.collect()  # what is garbage now is not frozen with the rest
        gc.freeze()


def _take_refreshes(collector: Collector, stop: threading.Event) -> None:
    """"Refresh now" from a console reaches this process through the command bus (the cache)."""
    from commandcenter.control import WallEndpoint

    try:
        end = WallEndpoint(collector.cache, "collector", every_wall=False)
        watcher = end.watch(lambda _p: None, interval=1.0)
    except Exception:  # the bus is an extra: collecting goes on without it
        logging.getLogger(__name__).warning("console refresh commands unavailable", exc_info=True)
        return
    last_take = float("-inf")  # a first look at once: a command may predate the watcher
    try:
        while not stop.is_set():
            woke = watcher.wait(2.0)
            # the watcher wakes on a new command; reading the bus on every tick besides cost a
            # query every 2 s, forever. The slow look catches a command the watcher missed.
            if not woke and time.monotonic() - last_take < BUS_LOOK_EVERY:
                continue
            last_take = time.monotonic()
            for cmd in end.take():
                if cmd.verb == "refresh" and cmd.args.get("source") in {s.id for s in collector.sources}:
                    collector.refresh_now(cmd.args["source"])
                    end.done(cmd)
                else:
                    end.done(cmd, f"refused: {cmd.verb} {cmd.args}")
    finally:
        watcher.close()

