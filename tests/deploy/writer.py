"""A stand-in collector for crash and concurrency tests: a real process writing through the real
Cache as the collector does (commit_run: values, checkpoint and run record in one transaction),
run after run, printing `run K ID` after each recorded run.

    python -m tests.deploy.writer --db URL --city 1275 --start 0 --runs 0 --rows 20000

Run K writes `rows` samples with dim "runK" (so a test can count each run's rows) and then one
run record whose message is "runK" and rows = rows. --runs 0 writes until killed."""

from __future__ import annotations

import argparse
import itertools
import sys
import time

from commandcenter.cache import Cache, RunRecord, Sample

OPDS = [f"opd{i:02d}" for i in range(10)]


def samples(k: int, rows: int, metric: str) -> list[Sample]:
    base = 1_750_000_000 + k * rows
    return [Sample(metric, OPDS[j % len(OPDS)], base + j, float(j % 997), dim=f"run{k}") for j in range(rows)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--city", required=True)
    p.add_argument("--source", default="stress")
    p.add_argument("--metric", default="beban")
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--runs", type=int, default=0, help="0: until killed")
    p.add_argument("--rows", type=int, default=20_000)
    a = p.parse_args(argv)
    cache = Cache.open(a.db, city=a.city)
    print("ready", flush=True)
    stop = a.start + a.runs if a.runs else None
    for k in itertools.count(a.start):
        if stop is not None and k >= stop:
            break
        started = time.time()
        print(f"writing {k}", flush=True)
        run = RunRecord(source=a.source, started_at=started, finished_at=time.time(), status="ok",
                        message=f"run{k}", rows=a.rows)
        run_id, _ = cache.commit_run(run, samples(k, a.rows, a.metric), checkpoints={"next": str(k + 1)})
        print(f"run {k} {run_id}", flush=True)
    cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
