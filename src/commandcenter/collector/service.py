"""`commandcenter collect`: the headless collector (a separate machine, a service, a cron job)."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any, TextIO

from commandcenter.collector.core import Collector
from commandcenter.collector.events import RunFinished

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def run_collect(args: Any, out: TextIO | None = None) -> int:
    """--once: poll every source once, print a summary, exit 0 (even if sources failed).
    Otherwise run the schedule until SIGINT/SIGTERM. Exit 2 on a bad config, 1 if the cache cannot open."""
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
    try:
        if getattr(args, "once", False):
            with stop_signals(collector.request_stop):
                results = collector.run_all()
            print_summary(results, out)
            if not collector.stopping:
                collector.maintain()
            if collector.damaged is not None:
                print(f"commandcenter: {collector.damaged}", file=sys.stderr)
                return EXIT_FAIL
            if collector.stopping:
                print("stopped by a signal: runs in flight were recorded as cancelled", file=out)
            else:
                print(f"{len(cache.alerts())} open alert(s)", file=out)
            code = EXIT_OK
        else:
            _configure_logging()
            code = _serve(collector, out)
            if collector.damaged is not None:
                print(f"commandcenter: {collector.damaged}", file=sys.stderr)
                code = EXIT_FAIL
    finally:
        cache.close()
    if collector.stopping:
        leave_blocked_threads(code, out)
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
    from commandcenter.runtime import stop_signals

    stop = threading.Event()

    def request() -> None:
        collector.request_stop()
        stop.set()

    collector.subscribe(lambda e: isinstance(e, RunFinished) and print(
        f"{e.run.source}: {e.run.status} ({e.run.rows} values) {e.run.message[:100]}", file=out, flush=True))
    with stop_signals(request):
        collector.start()
        print(f"collecting {len(collector.sources)} sources; Ctrl+C to stop", file=out, flush=True)
        try:
            while not stop.wait(1.0) and not collector.stopping:
                pass
        finally:
            cancelled = collector.stop()
    note = f"; {len(cancelled)} blocked run(s) recorded as cancelled: {', '.join(cancelled)}" if cancelled else ""
    print(f"stopped{note}", file=out, flush=True)
    return EXIT_OK


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
