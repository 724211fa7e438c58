"""Children of benchmarks/apps.py, each a process of its own (prints one JSON line at the end):

    python -m benchmarks.appschild server --port-file F          500 applications on 127.0.0.1
    python -m benchmarks.appschild collector --config D --db U --seconds N
    python -m benchmarks.appschild wall --config D --db U --seconds N
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        n = int(self.path.strip("/").split("/")[-1] or 0)
        if n % 100 == 7:  # 1%: no answer within the 5 s deadline
            time.sleep(8)
        status, body = (503, b"down") if n % 100 == 3 else (200, b"<html><body>Masuk</body></html>")
        time.sleep(0.02)  # a realistic small server delay
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address) -> None:
        pass


def server(a: argparse.Namespace) -> dict:
    srv = _Server(("127.0.0.1", 0), _Handler)
    Path(a.port_file).write_text(str(srv.server_address[1]))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    time.sleep(a.seconds)
    return {"ok": True}


def collector(a: argparse.Namespace) -> dict:
    """The real Collector (sources off: only application checks) for `seconds`; CPU and RSS."""
    import resource

    from benchmarks.wallchild import cpu_seconds, rss_mb
    from commandcenter.cache import Cache
    from commandcenter.collector import Collector
    from commandcenter.config import load_config

    cfg = load_config(a.config)
    cfg.sources = [s.model_copy(update={"enabled": False}) for s in cfg.sources]
    cache = Cache.open(a.db, city=cfg.city_key)
    col = Collector(cfg, cache)
    c0, t0, rss0 = cpu_seconds(), time.perf_counter(), rss_mb()
    col.start()
    time.sleep(a.seconds)
    cpu = cpu_seconds() - c0
    wall = time.perf_counter() - t0
    rss = rss_mb()
    checks = len(cache.runs("apps", limit=100_000))
    col.shutdown(wait=False)
    up = cache.latest("app_up")
    cache.close()
    return {"cpu_percent": 100 * cpu / wall, "rss_mb": rss, "rss_start_mb": rss0, "flushes": checks,
            "apps_written": len(up), "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def wall(a: argparse.Namespace) -> dict:
    from benchmarks.wallchild import Heartbeat, Wall, pump

    import gc

    w = Wall(a.config, a.db, scene="aplikasi")
    pump(a.warmup)
    pauses: list[tuple[int, float]] = []  # (generation, ms) of every collection: a gen-2 pass blocks the GUI too
    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        elif "t" in started:
            pauses.append((info["generation"], (time.perf_counter() - started.pop("t")) * 1000))

    gc.callbacks.append(on_gc)
    hb, applied0 = Heartbeat(), w.applied
    pump(a.seconds)
    hb.stop()
    gc.callbacks.remove(on_gc)
    late = hb.lateness_ms()
    refreshes = w.applied - applied0
    w.close()
    gen2 = [ms for g, ms in pauses if g == 2]
    return {"lateness": late, "refreshes": refreshes, "gc_max_ms": max((ms for _, ms in pauses), default=0.0),
            "gen2": len(gen2), "gen2_max_ms": max(gen2, default=0.0)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.appschild")
    ap.add_argument("mode", choices=["server", "collector", "wall"])
    ap.add_argument("--config")
    ap.add_argument("--db")
    ap.add_argument("--port-file")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--warmup", type=float, default=5)
    a = ap.parse_args(argv)
    out = {"server": server, "collector": collector, "wall": wall}[a.mode](a)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
