"""Alert rules (config/alerts.yaml) evaluated against the cache and the sources' health.

`evaluate_alerts` fires an alert for every condition that holds and resolves the open alerts of
these rules whose condition cleared. The cache keeps the lifecycle (firing -> acknowledged ->
resolved) and never opens a second alert for a key that is still open. Clearing uses hysteresis,
so a value hovering on a line does not fire, resolve and fire again.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from commandcenter import fmt
from commandcenter.config.schema.alerts import (
    AlertsFile, BelowTargetRule, DeviationRule, SourceRule, ThresholdRule,
)
from commandcenter.i18n import tr
from commandcenter.scoring import core, periods, targets
from commandcenter.scoring.status import level

_SEVERITY = {"info": 0, "warning": 1, "critical": 2}
_STATE_WORDS = {"late": "terlambat", "stale": "data kedaluwarsa", "failing": "sumber tidak tersedia",
                "never-run": "belum pernah berjalan"}
# Without alerts.yaml the operator still hears about sources that stopped delivering.
DEFAULT_RULES = AlertsFile.model_validate({"version": 1, "rules": [
    {"id": "sumber-bermasalah", "kind": "source", "states": ["stale", "failing"], "severity": "warning"},
]})


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition that holds now; `key` names it so the cache keeps one open alert per key."""

    key: str
    rule: str
    severity: str
    message: str
    metric: str = ""
    opd: str = ""
    source: str = ""
    value: float | None = None


@dataclass
class AlertsOutcome:
    open: list[Any] = field(default_factory=list)  # AlertRecords open after this pass (new or kept)
    fired: list[Any] = field(default_factory=list)  # newly opened in this pass
    resolved: list[str] = field(default_factory=list)  # keys resolved in this pass


def rules_of(cfg: Any) -> list[Any]:
    alerts = cfg.extra.get("alerts") or DEFAULT_RULES
    return list(alerts.rules)


def evaluate_alerts(cfg: Any, cache: Any, health: Iterable[Any], now: float | None = None) -> AlertsOutcome:
    """Fire alerts for conditions that hold, resolve the ones that cleared. `health`: objects with
    `.source` and `.state` (ok, late, stale, failing, never-run), e.g. collector source_health()."""
    as_of = now
    now = time.time() if now is None else now
    rules = rules_of(cfg)
    open_alerts = {a.key: a for a in cache.alerts(("firing", "acknowledged"))}
    health = list(health)
    conditions: dict[str, Condition] = {}
    for rule in rules:
        if rule.enabled:
            for c in conditions_for(cfg, cache, rule, health, open_alerts, as_of):
                conditions[c.key] = c
    out = AlertsOutcome()
    for c in conditions.values():
        record, new = _fire(cache, c, open_alerts.get(c.key), now)
        out.open.append(record)
        if new:
            out.fired.append(record)
    ours = {r.id for r in rules}
    for key, alert in open_alerts.items():
        if alert.rule in ours and key not in conditions:
            cache.resolve_alert(key, now=now)
            out.resolved.append(key)
    return out


def _fire(cache: Any, c: Condition, already: Any, now: float) -> tuple[Any, bool]:
    if already is not None and _SEVERITY[c.severity] > _SEVERITY.get(already.severity, 0):
        cache.resolve_alert(c.key, now=now)  # escalation: a new alert so the operator hears it
        already = None
    record = cache.fire_alert(c.key, c.rule, c.severity, c.message, metric=c.metric, opd=c.opd,
                              source=c.source, value=c.value, now=now)
    return record, already is None


def conditions_for(cfg: Any, cache: Any, rule: Any, health: list[Any], open_alerts: dict[str, Any],
                   as_of: float | None) -> list[Condition]:
    if isinstance(rule, SourceRule):
        return source_conditions(cfg, rule, health)
    if isinstance(rule, ThresholdRule):
        return threshold_conditions(cfg, cache, rule, open_alerts, as_of)
    if isinstance(rule, DeviationRule):
        return deviation_conditions(cfg, cache, rule, open_alerts, as_of)
    if isinstance(rule, BelowTargetRule):
        return below_target_conditions(cfg, cache, rule, open_alerts, as_of)
    return []


# -- scope and wording ---------------------------------------------------------------------------
def in_scope(cfg: Any, scope: Any, opd: str) -> bool:
    """`all`, or OPD codes / kinds; `city` stands for the city-wide value (opd "")."""
    if scope == "all":
        return True
    if not opd:
        return "city" in scope
    o = cfg.opd_by_code.get(opd)
    return opd in scope or (o is not None and o.kind in scope)


def _who(cfg: Any, opd: str) -> str:
    if not opd:
        return cfg.city.short_name or cfg.city.name
    o = cfg.opd_by_code.get(opd)
    return o.short if o is not None else opd


def _label(metric: Any, lang: str = "id") -> str:
    if lang == "en" and getattr(metric, "name_en", None):
        return metric.name_en
    return metric.short or metric.name


def _val(metric: Any, value: float | None, lang: str = "id") -> str:
    return fmt.value_with_unit(value, metric.unit, lang, decimals=getattr(metric, "decimals", None))


# -- rule kinds ----------------------------------------------------------------------------------
def source_conditions(cfg: Any, rule: SourceRule, health: list[Any]) -> list[Condition]:
    out = []
    for h in health:
        if h.state in rule.states and (rule.sources == "all" or h.source in rule.sources):
            src = cfg.source_by_id.get(h.source)
            name = (src.name if src is not None and src.name else h.source)
            opd = (src.opd or "") if src is not None else ""
            lang = cfg.city.language
            msg = rule.title or tr("Sumber {name}: {state}", lang).format(
                name=name, state=tr(_STATE_WORDS.get(h.state, h.state), lang))
            out.append(Condition(f"{rule.id}|{h.source}", rule.id, rule.severity, msg, opd=opd, source=h.source))
    return out


def threshold_conditions(cfg: Any, cache: Any, rule: ThresholdRule, open_alerts: dict[str, Any],
                         as_of: float | None) -> list[Condition]:
    """The KPI's status (with hysteresis chained value to value) at `level` or worse for the last
    `consecutive` values; an open alert stays open while the newest value still breaches."""
    metric = cfg.metric_by_id[rule.metric]
    tz = cfg.city.timezone
    need = level(rule.level)
    out = []
    for lv in cache.latest(metric.id, dim="", as_of=as_of):
        if not in_scope(cfg, rule.opds, lv.opd) or (lv.opd and not _applies(cfg, metric, lv.opd)):
            continue
        statuses = chained_statuses(metric, lv.opd, _recent(cache, metric, lv, rule.consecutive, as_of), tz)
        key = f"{rule.id}|{metric.id}|{lv.opd}"
        held = len(statuses) >= rule.consecutive and all(level(s) >= need for s in statuses[-rule.consecutive:])
        still = key in open_alerts and statuses and level(statuses[-1]) >= need
        if held or still:
            last = statuses[-1]
            severity = last if last in ("warning", "critical") else rule.level
            lang = cfg.city.language
            word = tr("kritis", lang) if severity == "critical" else tr("perlu perhatian", lang)
            msg = rule.title or tr("{metric} {who} {word}: {value}", lang).format(
                metric=_label(metric, lang), who=_who(cfg, lv.opd), word=word, value=_val(metric, lv.value, lang))
            out.append(Condition(key, rule.id, severity, msg, metric.id, lv.opd, value=lv.value))
    return out


def _applies(cfg: Any, metric: Any, opd: str) -> bool:
    o = cfg.opd_by_code.get(opd)
    return o is not None and core.applies(metric, o)


def _recent(cache: Any, metric: Any, lv: Any, n: int, as_of: float | None) -> list[tuple[int, float]]:
    """The last n values plus a few before them, so hysteresis has a history to start from."""
    keep = n + 5
    s = cache.series(metric.id, lv.opd, "", start=lv.ts - keep * core.stale_after(metric), end=lv.ts, as_of=as_of)
    at = s.as_of or [0] * len(s.ts)
    return list(zip(s.ts, s.values, at))[-keep:]


def chained_statuses(metric: Any, opd: str, points: list[tuple[int, float, int]], tz: str) -> list[str]:
    """Status of each value in order, each judged with the previous one's status (pure).
    A point is (ts, value) or (ts, value, as_of)."""
    prev: str | None = None
    out = []
    for ts, value, *at in points:
        prev = core.assess(metric, opd, core.Point(ts, value, at[0] if at else 0), tz, previous=prev).status
        out.append(prev)
    return out


def deviation_conditions(cfg: Any, cache: Any, rule: DeviationRule, open_alerts: dict[str, Any],
                         as_of: float | None) -> list[Condition]:
    """|physical - financial| realisation over `max_points` for the same period of an OPD."""
    tz = cfg.city.timezone
    phys_metric = cfg.metric_by_id[rule.physical]
    fin = {v.opd: v for v in cache.latest(rule.financial, dim="", as_of=as_of)}
    out = []
    for phys in cache.latest(rule.physical, dim="", as_of=as_of):
        money = fin.get(phys.opd)
        if money is None or not in_scope(cfg, rule.opds, phys.opd):
            continue
        if _period_of(phys_metric, phys.ts, tz) != _period_of(phys_metric, money.ts, tz):
            continue  # different months: the gap says nothing
        gap = abs(phys.value - money.value)
        key = f"{rule.id}|{phys.opd}"
        line = rule.max_points - rule.hysteresis if key in open_alerts else rule.max_points
        if gap > line:
            lang, places = cfg.city.language, getattr(phys_metric, "decimals", None)
            msg = rule.title or tr("Deviasi fisik-keuangan {who}: {gap} (fisik {physical}, keuangan {financial})",
                                   lang).format(who=_who(cfg, phys.opd),
                                                gap=fmt.value_with_unit(gap, "points", lang, decimals=places),
                                                physical=fmt.value_with_unit(phys.value, "percent", lang, decimals=places),
                                                financial=fmt.value_with_unit(money.value, "percent", lang, decimals=places))
            out.append(Condition(key, rule.id, rule.severity, msg, rule.physical, phys.opd, value=gap))
    return out


def _period_of(metric: Any, ts: int, tz: str) -> str:
    kind = metric.period if metric.period in targets.PERIODIC else "month"
    return periods.value_period(ts, tz, kind).label


def below_target_conditions(cfg: Any, cache: Any, rule: BelowTargetRule, open_alerts: dict[str, Any],
                            as_of: float | None) -> list[Condition]:
    """The newest value behind the target due at its date (the cumulative curve) by over `margin`."""
    metric = cfg.metric_by_id[rule.metric]
    tz = cfg.city.timezone
    band = targets.band_of(metric)
    out = []
    for lv in cache.latest(metric.id, dim="", as_of=as_of):
        if not in_scope(cfg, rule.opds, lv.opd) or (lv.opd and not _applies(cfg, metric, lv.opd)):
            continue
        target = targets.due_at(metric, lv.opd, lv.ts, tz, lv.as_of)
        behind = _behind(metric.direction, lv.value, target, band)
        if behind is None:
            continue
        key = f"{rule.id}|{metric.id}|{lv.opd}"
        line = rule.margin - rule.hysteresis if key in open_alerts else rule.margin
        if behind > line and behind > 0:
            lang = cfg.city.language
            shown = _val(metric, target, lang) if target is not None else f"{band[0]:g}-{band[1]:g}"
            msg = rule.title or tr("{metric} {who} di bawah target: {value} (target {target})", lang).format(
                metric=_label(metric, lang), who=_who(cfg, lv.opd), value=_val(metric, lv.value, lang), target=shown)
            out.append(Condition(key, rule.id, rule.severity, msg, metric.id, lv.opd, value=lv.value))
    return out


def _behind(direction: str, value: float, target: float | None, band: tuple[float, float] | None) -> float | None:
    """How far the value is on the wrong side of its target, in the KPI's units (<= 0: on track)."""
    if band is not None:
        return max(band[0] - value, value - band[1])
    if target is None:
        return None
    return value - target if direction == "lower" else target - value

