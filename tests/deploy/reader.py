"""A stand-in wall for concurrency tests: a real process reading what the wall reads (latest,
series, source runs, data_version, counts) in a loop, collecting every exception.

    python -m tests.deploy.reader --db URL --city 1275 --seconds 5
    python -m tests.deploy.reader --db URL --city 1275 --until-grows --min-reads 10 --seconds 120

With --until-grows it reads until it has seen the sample count grow (a writer's commit landed
while it was reading) and made --min-reads reads; --seconds is then only the deadline after which
it gives up, so a slow machine makes it read longer instead of missing the commit.

Prints one JSON line at the end: {"reads": N, "errors": [...], "max_ms": M, "counts": [...]}."""

from __future__ import annotations

import argparse
import json
import sys
import time

from commandcenter.cache import Cache


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--city", required=True)
    p.add_argument("--metric", default="beban")
    p.add_argument("--seconds", type=float, default=5.0)
    p.add_argument("--until-grows", action="store_true", help="stop once the count grew (--seconds: deadline)")
    p.add_argument("--min-reads", type=int, default=0, help="with --until-grows: at least this many reads")
    a = p.parse_args(argv)
    cache = Cache.open(a.db, city=a.city, migrate=False)
    print("ready", flush=True)
    reads, errors, counts, max_ms = 0, [], [], 0.0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        if a.until_grows and reads >= a.min_reads and counts and counts[-1] > counts[0]:
            break
        t0 = time.perf_counter()
        try:
            cache.data_version()
            cache.latest(a.metric)
            cache.series(a.metric, "opd01", "run1")
            cache.source_runs()
            counts.append(cache.count_samples())
            reads += 1
        except Exception as exc:  # the point of the test: there must be none
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        max_ms = max(max_ms, (time.perf_counter() - t0) * 1000)
    cache.close()
    print(json.dumps({"reads": reads, "errors": errors, "max_ms": round(max_ms, 1),
                      "counts": [counts[0], counts[-1]] if counts else []}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
