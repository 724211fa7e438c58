"""Housekeeping after runs: alerts judged on fresh data, rollups for long views, raw retention."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from commandcenter.collector.health import source_health

log = logging.getLogger("commandcenter.collector")


@dataclass(frozen=True)
class MaintenanceResult:
    fired: int
    resolved: int
    rolled_up: int
    pruned: int


def maintain(cfg: Any, cache: Any, now: float | None = None, next_runs: dict[str, float] | None = None) -> MaintenanceResult:
    """One pass: fire/resolve alerts from KPI values and source health, fold new samples into
    rollups, and prune raw samples past the city's retention age (after they are rolled up)."""
    from commandcenter.scoring import evaluate_alerts

    now = time.time() if now is None else now
    outcome = evaluate_alerts(cfg, cache, source_health(cfg, cache, now=now, next_runs=next_runs), now=now)
    rolled = cache.rollup()
    # periodic KPIs (monthly reports, yearly figures) are few rows and the wall's yearly charts and
    # "vs last year" read all of them: retention_raw thins only instant readings
    periodic = {m.id for m in cfg.metrics if m.period != "instant"}
    pruned = cache.prune_raw(cfg.city.retention_raw, now=now, keep_metrics=periodic) if cfg.city.retention_raw else 0
    if cfg.city.retention_runs:
        cache.prune_runs(cfg.city.retention_runs, [s.id for s in cfg.sources], now=now)
    if outcome.fired or outcome.resolved:
        log.info("alerts: %d fired, %d resolved, %d open", len(outcome.fired), len(outcome.resolved), len(outcome.open))
    return MaintenanceResult(len(outcome.fired), len(outcome.resolved), rolled, pruned)
