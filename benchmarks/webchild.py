"""The measured side of benchmarks/web.py: the real WallController showing `bench-web` on 4
offscreen screens; after its web pages rendered (and a settle), the process tree's PSS and its
CPU time over `--seconds` of idling. Prints one JSON object on the last line of stdout.

    python -m benchmarks.webchild --config DIR --db URL [--seconds N] [--settle N]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from benchmarks.wallchild import pump, wait_for

TICKS = os.sysconf("SC_CLK_TCK")


def tree(root: int) -> list[int]:
    """The process and all its descendants (Chromium's helpers are children of the wall)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / TICKS


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--settle", type=float, default=10)
    args = ap.parse_args()
    from commandcenter.cache import Cache
    from commandcenter.config import load_config
    from commandcenter.ui.app import ensure_app
    from commandcenter.ui.controller import WallController

    app = ensure_app()
    cfg = load_config(args.config)
    cache = Cache.open(args.db, city=cfg.city_key)
    wall = WallController(cfg, cache)
    wall.show_scene("bench-web")

    def webs() -> list:
        return [p for w in wall.windows for p in w.panels.values() if getattr(p, "kind", "") == "web"]

    wait_for(lambda: wall._built_scene == "bench-web", 60)
    ok = wait_for(lambda: all(p.last_good is not None for p in webs()), 120)
    pump(args.settle)
    pids = tree(os.getpid())
    c0, t0 = cpu_seconds(pids), time.monotonic()
    pump(args.seconds)
    pids = tree(os.getpid())  # the same helpers, and any started meanwhile
    cpu = (cpu_seconds(pids) - c0) / (time.monotonic() - t0) * 100
    result = {"web_panels": len(webs()), "rendered": ok, "pss_mb": pss_mb(pids), "processes": len(pids),
              "cpu_percent": cpu}
    wall.close()
    cache.close()
    app.processEvents()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
