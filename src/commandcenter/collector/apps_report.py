"""`commandcenter apps`: the city's applications (apps.yaml) with their state, uptime and the
incidents of the last days; `--check` checks them all now first (and writes the results)."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from typing import Any, TextIO

from commandcenter.checks.status import board, reason_with_detail
from commandcenter.checks.uptime import incidents, periods, recovery_by_opd, uptime
from commandcenter.config.schema.apps import apps_of

EXIT_OK, EXIT_FAIL, EXIT_INVALID = 0, 1, 2


def run_apps(args: Any, out: TextIO | None = None) -> int:
    from commandcenter.runtime import load_or_report, open_cache

    out = out or sys.stdout
    cfg = load_or_report(getattr(args, "config", None))
    if cfg is None:
        return EXIT_INVALID
    if apps_of(cfg) is None:
        print(f"{cfg.city.name}: no apps.yaml in the config folder", file=out)
        return EXIT_OK
    cache = open_cache(args, cfg)
    try:
        if getattr(args, "check", False):
            from commandcenter.collector.apps import AppChecker
            from commandcenter.sources.base import default_data_dir

            checker = AppChecker(cfg, cache, data_dir=default_data_dir(cfg))
            checker.run_once()
            checker.shutdown()
        report = apps_report(cfg, cache, lang=getattr(args, "lang", None) or cfg.city.language)
    finally:
        cache.close()
    if getattr(args, "json", False):
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str), file=out)
    else:
        print_apps(report, out)
    return EXIT_OK


def apps_report(cfg: Any, cache: Any, now: float | None = None, lang: str = "id", days: int = 7) -> dict[str, Any]:
    now = time.time() if now is None else now
    spans = periods(cfg, now)
    up = {k: uptime(cfg, cache, a, b) for k, (a, b) in spans.items()}
    recent = incidents(cfg, cache, start=now - days * 86400, now=now, lang=lang)
    apps = []
    for s in board(cfg, cache, now=now, lang=lang):
        row = asdict(s)
        row["uptime"] = {k: up[k].get(s.id) for k in spans}
        apps.append(row)
    return {"city": cfg.city.name, "generated_at": now, "apps": apps,
            "incidents": [{**asdict(i), "duration_s": i.duration(now)} for i in recent],
            "recovery_s_by_opd": recovery_by_opd(recent)}


def print_apps(report: dict[str, Any], out: TextIO) -> None:
    print(f"{'APPLICATION':26} {'OPD':14} {'KIND':4} {'STATE':11} {'MS':>7} {'DAY%':>7} {'MONTH%':>7}  REASON", file=out)
    for a in report["apps"]:
        ms = f"{a['latency_ms']:.0f}" if a["latency_ms"] is not None else "-"
        print(f"{a['id'][:26]:26} {a['opd'][:14]:14} {a['kind'][:4]:4} {a['state']:11} {ms:>7} "
              f"{_pct(a['uptime']['day']):>7} {_pct(a['uptime']['month']):>7}  {reason_with_detail(a['reason'], a.get('detail') or '')[:70]}", file=out)
    states: dict[str, int] = {}
    for a in report["apps"]:
        states[a["state"]] = states.get(a["state"], 0) + 1
    print(f"{len(report['apps'])} applications: " + ", ".join(f"{n} {s}" for s, n in sorted(states.items())), file=out)
    for i in report["incidents"][:10]:
        end = "ongoing" if i["end"] is None else f"{i['duration_s'] / 60:.0f} min"
        print(f"  incident {i['app']} ({i['opd']}): {i['reason']}, {i['checks']} failed checks, {end}", file=out)


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{100 * v:.2f}"
