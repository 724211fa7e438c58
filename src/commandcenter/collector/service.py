"""`commandcenter collect`: the headless collector (a separate machine, a service, a cron job)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, TextIO

from commandcenter.collector.core import Collector
from commandcenter.collector.events import RunFinished

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def run_collect(args: Any, out: TextIO | None = None) -> int:
    """--once: poll every source once, print a summary, exit 0 (even if sources failed).
    Otherwise run the schedule until SIGINT/SIGTERM. Exit 2 on a bad config, 1 if the cache cannot open."""
    from commandcenter.runtime import load_or_report, open_cache

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
    try:
        if getattr(args, "once", False):
            with _stop_on_signals(collector.request_stop):
                results = collector.run_all()
            print_summary(results, out)
            if collector.stopping:
                print("stopped by a signal: runs in flight were recorded as cancelled", file=out)
            else:
                collector.maintain()
                print(f"{len(cache.alerts())} open alert(s)", file=out)
            code = EXIT_OK
        else:
            _configure_logging()
            code = _serve(collector, out)
    finally:
        cache.close()
    if collector.stopping:
        _leave_stuck_threads(code, out)
    return code


def print_summary(results: list[RunFinished], out: TextIO) -> None:
    print(f"{'SOURCE':26} {'STATUS':8} {'ROWS':>6} {'NEW':>6} {'REJ':>4} {'MS':>7}  MESSAGE", file=out)
    for r in results:
        run = r.run
        print(f"{run.source[:26]:26} {run.status:8} {run.rows:6d} {r.written:6d} {run.rejected:4d} "
              f"{run.latency_ms:7.0f}  {run.message[:90]}", file=out)
    failed = sum(1 for r in results if r.run.status == "failed")
    print(f"{len(results)} sources polled, {failed} failed", file=out)


def _serve(collector: Collector, out: TextIO) -> int:
    stop = threading.Event()

    def request() -> None:
        collector.request_stop()
        stop.set()

    collector.subscribe(lambda e: isinstance(e, RunFinished) and print(
        f"{e.run.source}: {e.run.status} ({e.run.rows} values) {e.run.message[:100]}", file=out, flush=True))
    with _stop_on_signals(request):
        collector.start()
        print(f"collecting {len(collector.sources)} sources; Ctrl+C to stop", file=out, flush=True)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            cancelled = collector.stop()
    note = f"; {len(cancelled)} blocked run(s) recorded as cancelled: {', '.join(cancelled)}" if cancelled else ""
    print(f"stopped{note}", file=out, flush=True)
    return EXIT_OK


@contextmanager
def _stop_on_signals(request: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM ask for a stop (a second one too: the stop is already bounded)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach the main thread only
        return
    previous = {s: signal.signal(s, lambda *_: request()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _leave_stuck_threads(code: int, out: TextIO) -> None:
    """A worker blocked in a driver call (a database that does not answer) would keep the process
    alive at exit, since Python joins worker threads; its run is already recorded as cancelled."""
    # daemon or not: Python's exit joins every thread-pool worker (concurrent.futures' atexit hook)
    stuck = [t for t in threading.enumerate() if t.is_alive() and t is not threading.main_thread()]
    if stuck:
        print(f"leaving {len(stuck)} blocked worker thread(s) behind", file=out, flush=True)
        sys.stderr.flush()
        os._exit(code)


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
