"""`python -m benchmarks [--quick] [--only ingest,history,...]`: run every benchmark, write
benchmarks/RESULTS.md (or RESULTS-quick.md with --quick, so a quick look never overwrites the
real figures)."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from benchmarks import report
from benchmarks.common import Row, machine_info, not_measured

# module name -> (figures it produces, their targets) for a "not measured" row if it cannot run
BENCHMARKS = {
    "ingest": [("cache ingest (samples/s, Cache.write_samples, batches of 10k)", ">= 0.8x baseline and >= 250,000/s")],
    "history": [("panel history queries", "<= 10 ms each; 1 y >= 50x faster")],
    "stall": [("GUI event-loop stall while 100 sources poll", "p99 <= 16 ms, max <= 50 ms")],
    "refresh": [("wall refresh, 4 screens x 12 panels", "<= 1.3x baseline, <= 100 ms")],
    "startup": [("start-up to every screen painted (warm cache)", "<= 1.5 s")],
    "idle": [("idle CPU over 60 s", "<= 2% of one core")],
    "memory": [("memory: RSS after 1 h-equivalent of polling", "<= 400 MB; growth <= 3%")],
    "workload": [("workload (issue #15): Xvfb 2x2, 48 panels, new values every 5 s", "see benchmarks/workload.py")],
    "apps": [("application checks: 500 apps every 60 s (collector CPU/RSS, wall stall)", "see benchmarks/apps.py")],
    "web": [("web panels: memory and idle CPU with 0, 1 and 4 pages", "the cost of each page known")],
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small data sets and few runs (a look, not figures)")
    ap.add_argument("--only", default="", help="comma-separated: " + ",".join(BENCHMARKS))
    ap.add_argument("--out", default=None, help="where to write the report")
    args = ap.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    here = Path(__file__).resolve().parent
    out = Path(args.out) if args.out else here / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    info = machine_info()
    t0 = time.perf_counter()
    rows: list[Row] = []
    for name in names:
        print(f"[benchmarks] {name} ...", flush=True)
        t1 = time.perf_counter()
        try:
            got = importlib.import_module(f"benchmarks.{name}").run(quick=args.quick)
        except Exception as exc:  # one broken benchmark must not cost the others' figures
            traceback.print_exc()
            got = [not_measured(f, t, f"{type(exc).__name__}: {exc}") for f, t in BENCHMARKS[name]]
        for r in got:
            print(f"    {r.figure}: {r.value} (baseline {r.baseline}, {r.ratio}) {r.status}", flush=True)
        print(f"    ({time.perf_counter() - t1:.0f} s)", flush=True)
        rows += got
    command = "python -m benchmarks" + (" --quick" if args.quick else "") + (f" --only {args.only}" if args.only else "")
    report.write(out, rows, info, time.perf_counter() - t0, command)
    print(f"[benchmarks] wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
