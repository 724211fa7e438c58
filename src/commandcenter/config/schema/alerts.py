"""alerts.yaml (optional): when the wall tells the operator something needs attention.

Four kinds of rule:
- threshold: a KPI's status (see metrics.yaml thresholds) at `level` or worse for `consecutive` values;
- source: a data source is late, stale, failing or never ran;
- deviation: physical realisation and financial realisation differ by more than `max_points`;
- below_target: a KPI's latest value is behind its target curve by more than `margin`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from commandcenter.config.schema.common import Ident, Strict, Versioned

if TYPE_CHECKING:
    from commandcenter.config.errors import ConfigIssue

Severity = Literal["info", "warning", "critical"]
SourceState = Literal["late", "stale", "failing", "never-run"]


class _Rule(Strict):
    id: Ident
    title: str | None = Field(None, description="shown to the operator; default: generated from the rule")
    enabled: bool = True
    opds: Literal["all"] | list[str] = Field("all", description="OPD codes or kinds; 'city' means the city-wide value")


class ThresholdRule(_Rule):
    kind: Literal["threshold"]
    metric: Ident
    level: Literal["warning", "critical"] = Field("warning", description="the status that counts as a breach")
    consecutive: int = Field(1, ge=1, le=100, description="breach held for this many successive values")


class SourceRule(_Rule):
    kind: Literal["source"]
    states: list[SourceState] = Field(default_factory=lambda: ["stale", "failing"], min_length=1)
    sources: Literal["all"] | list[Ident] = "all"
    severity: Severity = "warning"
    interrupt: bool = Field(False, description="may its alert interrupt the wall's rotation (playlists.yaml "
                            "interrupt)? Off by default: a department's server failing is the console's "
                            "business, not a reason to switch the room's scene")


class DeviationRule(_Rule):
    kind: Literal["deviation"]
    physical: Ident = "realisasi_fisik"
    financial: Ident = "serapan_keuangan"
    max_points: float = Field(gt=0, description="percentage points between physical and financial realisation")
    hysteresis: float = Field(1.0, ge=0, description="points back under max_points before the alert resolves")
    severity: Severity = "warning"


class BelowTargetRule(_Rule):
    kind: Literal["below_target"]
    metric: Ident
    margin: float = Field(0.0, ge=0, description="how far behind the target (in the KPI's units) before firing")
    hysteresis: float = Field(1.0, ge=0, description="how far back toward the target before the alert resolves")
    severity: Severity = "warning"


Rule = Annotated[ThresholdRule | SourceRule | DeviationRule | BelowTargetRule, Field(discriminator="kind")]


class AlertsFile(Versioned):
    rules: list[Rule] = Field(default_factory=list)


def cross_check_alerts(cfg: Any, models: dict[str, Any]) -> list["ConfigIssue"]:
    """Rule -> metric / OPD / source references exist; rule ids are unique. Call from config.checks."""
    from commandcenter.config.errors import did_you_mean
    from commandcenter.config.schema.opds import OpdKind

    if "alerts" not in models:
        return []
    doc, parsed = models["alerts"][0]
    issues = []
    seen: set[str] = set()
    scopes = set(cfg.opd_by_code) | set(OpdKind.__args__) | {"city"}

    def unknown(loc: tuple[Any, ...], what: str, name: str, known: set[str]) -> None:
        issues.append(doc.issue(loc, f"unknown {what} {name!r}{did_you_mean(name, known)}"))

    for i, rule in enumerate(parsed.rules):
        loc = ("rules", i)
        if rule.id in seen:
            issues.append(doc.issue(loc + ("id",), f"duplicate rule id {rule.id!r}"))
        seen.add(rule.id)
        for key in ("metric", "physical", "financial"):
            name = getattr(rule, key, None)
            if name is not None and name not in cfg.metric_by_id:
                unknown(loc + (key,), "metric", name, set(cfg.metric_by_id))
        if rule.opds != "all":
            for j, code in enumerate(rule.opds):
                if code not in scopes:
                    unknown(loc + ("opds", j), "OPD or OPD kind", code, scopes)
        if isinstance(rule, SourceRule) and rule.sources != "all":
            for j, sid in enumerate(rule.sources):
                if sid not in cfg.source_by_id:
                    unknown(loc + ("sources", j), "source", sid, set(cfg.source_by_id))
    return issues
