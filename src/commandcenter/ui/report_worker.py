"""A scheduled report in a process of its own: the console starts it (QProcess) and hears the
path when it is written, so reading the scenes and drawing the pages never run on the console's
GUI thread (a report took ~155 ms there).

    python -m commandcenter.ui.report_worker --config DIR --db URL --report ID --now EPOCH
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="report_worker")
    ap.add_argument("--config", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--now", type=float, required=True)
    a = ap.parse_args(argv)
    from commandcenter.cache import Cache
    from commandcenter.config import load_config
    from commandcenter.ui.app import ensure_app
    from commandcenter.ui.export import run_report

    cfg = load_config(a.config)
    spec = cfg.extra.get("reports") if isinstance(cfg.extra, dict) else None
    report = next((r for r in getattr(spec, "reports", []) if r.id == a.report), None)
    if report is None:
        print(f"unknown report {a.report!r}", file=sys.stderr)
        return 2
    cache = Cache.open(a.db, city=cfg.city_key, migrate=False)
    try:
        ensure_app()
        print(run_report(cfg, cache, report, a.now), flush=True)
    finally:
        cache.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
