"""apps.yaml (optional): the city's applications the collector checks for availability.

    version: 1
    availability_metric: ketersediaan_aplikasi   # optional: a metrics.yaml KPI fed per OPD
    defaults: {interval: 1m, timeout: 10s}
    alerts: {down_after: 3, latency_ms: 3000, cert_days: 14}
    apps:
      - id: srikandi
        opd: setda
        name: SRIKANDI (e-Office)
        check: {kind: http, url: "https://srikandi.binjaikota.go.id/", status: 200, keyword: Masuk}
        maintenance:
          - {weekdays: [sun], from: "01:00", to: "03:00"}
          - {dates: [2026-12-24]}
      - {id: simpeg-db, opd: bkd, name: SIMPEG DB, check: {kind: tcp, host: 10.0.0.5, port: 5432}}
      - {id: jdih-dns, opd: setda, name: JDIH DNS, check: {kind: dns, name: jdih.binjaikota.go.id}}

Each check kind's fields are validated by its module in `commandcenter.checks` (one per kind).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator, model_validator

from commandcenter.config.schema.common import Duration, Ident, Strict, Versioned

if TYPE_CHECKING:
    from commandcenter.config.errors import ConfigIssue

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = Weekday.__args__  # type: ignore[attr-defined]
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _clock(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):  # YAML 1.1 reads 01:00 as 60 (sexagesimal)
        return time(value // 60 % 24, value % 60)
    if isinstance(value, str):
        m = _HHMM.match(value.strip())
        if not m:
            raise ValueError(f"{value!r} is not a time of day (use HH:MM, e.g. 01:30)")
        return time(int(m.group(1)), int(m.group(2)))
    return value


class Window(Strict):
    """A maintenance window: weekdays and/or dates, with an optional time range (city time).
    `to` before `from` runs past midnight; without times the whole day."""

    weekdays: list[Weekday] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)
    from_: time | None = Field(None, alias="from", description="HH:MM in the city's zone")
    to: time | None = Field(None, description="HH:MM in the city's zone")
    note: str | None = None

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _clocks(cls, value: Any) -> Any:
        return _clock(value)

    @model_validator(mode="after")
    def _some(self) -> "Window":
        if not self.weekdays and not self.dates:
            raise ValueError("give weekdays or dates")
        if (self.from_ is None) != (self.to is None):
            raise ValueError("give both from and to, or neither (the whole day)")
        return self


class Check(Strict):
    """What to check. `kind` picks the module; the other keys are validated by it."""

    model_config = {**Strict.model_config, "extra": "allow"}
    kind: str = Field(description="http, tcp or dns")


class AppAlerts(Strict):
    down_after: int = Field(3, ge=1, le=100, description="failed checks in a row before an alert")
    latency_ms: float | None = Field(None, gt=0, description="alert when the latency is above this")
    cert_days: int | None = Field(14, ge=0, description="alert when the certificate expires within this many days")
    severity: Literal["info", "warning", "critical"] = "critical"


class App(Strict):
    id: Ident
    opd: Ident
    name: str = Field(min_length=1, max_length=80)
    url: str | None = Field(None, description="a link shown to operators (default: the check's target)")
    check: Check
    interval: Duration | None = Field(None, description="how often (default: defaults.interval)")
    timeout: Duration | None = Field(None, description="total deadline of one check (default: defaults.timeout)")
    maintenance: list[Window] = Field(default_factory=list)
    alerts: AppAlerts | None = Field(None, description="overrides the file's alerts")
    enabled: bool = True


class AppDefaults(Strict):
    interval: Duration = 60.0
    timeout: Duration = 10.0


class AppsFile(Versioned):
    availability_metric: Ident | None = Field(None, description="metrics.yaml KPI the collector feeds per OPD")
    concurrency: int = Field(16, ge=1, le=256, description="checks running at the same time")
    defaults: AppDefaults = Field(default_factory=AppDefaults)
    alerts: AppAlerts = Field(default_factory=AppAlerts)
    apps: list[App] = Field(default_factory=list)

    def interval_of(self, app: App) -> float:
        return app.interval or self.defaults.interval

    def timeout_of(self, app: App) -> float:
        return min(app.timeout or self.defaults.timeout, self.interval_of(app))

    def alerts_of(self, app: App) -> AppAlerts:
        return app.alerts or self.alerts


def apps_of(cfg: Any) -> AppsFile | None:
    return cfg.extra.get("apps") if isinstance(getattr(cfg, "extra", None), dict) else None


def cross_check_apps(cfg: Any, models: dict[str, Any]) -> list["ConfigIssue"]:
    """Unique ids, known OPDs and metric. Each check's own keys are validated by its kind's module
    (commandcenter.checks.config_check, above this layer, handed in by commandcenter.runtime)."""
    from commandcenter.config.errors import did_you_mean

    if "apps" not in models:
        return []
    doc, parsed = models["apps"][0]
    issues, seen = [], set()
    if parsed.availability_metric and parsed.availability_metric not in cfg.metric_by_id:
        name = parsed.availability_metric
        issues.append(doc.issue(("availability_metric",),
                                f"unknown metric {name!r}{did_you_mean(name, set(cfg.metric_by_id))}"))
    for i, app in enumerate(parsed.apps):
        loc = ("apps", i)
        if app.id in seen:
            issues.append(doc.issue(loc + ("id",), f"duplicate application id {app.id!r}"))
        seen.add(app.id)
        if app.opd not in cfg.opd_by_code:
            issues.append(doc.issue(loc + ("opd",),
                                    f"unknown OPD {app.opd!r}{did_you_mean(app.opd, set(cfg.opd_by_code))}"))
    return issues


# the values a check writes (commandcenter.checks.metrics says what each means)
APP_METRICS = ("app_up", "app_maint", "app_latency_ms", "app_cert_days", "app_fail")


def apps_fed(cfg: Any) -> set[str]:
    """Metrics the application checks feed (for 'is this metric fed by anything?' checks)."""
    apps = apps_of(cfg)
    if apps is None or not apps.apps:
        return set()
    return set(APP_METRICS) | ({apps.availability_metric} if apps.availability_metric else set())
