"""`commandcenter collect`: the headless collector (a separate machine, a service, a cron job)."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Any, TextIO

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
            print_summary(collector.run_all(), out)
            collector.maintain()
            print(f"{len(cache.alerts())} open alert(s)", file=out)
            return EXIT_OK
        _configure_logging()
        return _serve(collector, out)
    finally:
        cache.close()


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

    def handle(signum: int, _frame: Any) -> None:
        stop.set()

    previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
    collector.subscribe(lambda e: isinstance(e, RunFinished) and print(
        f"{e.run.source}: {e.run.status} ({e.run.rows} values) {e.run.message[:100]}", file=out, flush=True))
    collector.start()
    refresher = threading.Thread(target=_take_refreshes, args=(collector, stop), name="console-refresh", daemon=True)
    refresher.start()
    print(f"collecting {len(collector.sources)} sources; Ctrl+C to stop", file=out, flush=True)
    try:
        while not stop.wait(1.0):
            pass
    finally:
        collector.shutdown(wait=True)
        for s, h in previous.items():
            signal.signal(s, h)
    return EXIT_OK


def _take_refreshes(collector: Collector, stop: threading.Event) -> None:
    """"Refresh now" from a console reaches this process through the command bus (the cache)."""
    from commandcenter.control import WallEndpoint

    try:
        end = WallEndpoint(collector.cache, "collector", every_wall=False)
        watcher = end.watch(lambda _p: None, interval=1.0)
    except Exception:  # the bus is an extra: collecting goes on without it
        logging.getLogger(__name__).warning("console refresh commands unavailable", exc_info=True)
        return
    try:
        while not stop.is_set():
            watcher.wait(2.0)
            for cmd in end.take():
                if cmd.verb == "refresh" and cmd.args.get("source") in {s.id for s in collector.sources}:
                    collector.refresh_now(cmd.args["source"])
                    end.done(cmd)
                else:
                    end.done(cmd, f"refused: {cmd.verb} {cmd.args}")
    finally:
        watcher.close()


def _configure_logging() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
