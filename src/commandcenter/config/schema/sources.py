"""sources.yaml: each department application the collector polls.

Fields common to every source live here; `options` is validated by the connector registered for
`type` (one module per connector in commandcenter.sources), so a new kind is one new file.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from commandcenter.config.schedule import check_cron, check_interval
from commandcenter.config.schema.common import Duration, DurationOrZero, Ident, Strict, Versioned


class Schedule(Strict):
    every: Duration | None = Field(None, description="poll interval, e.g. 5m")
    cron: str | None = Field(None, description="crontab rule in the city's zone (weekday 0/7 = Sunday), e.g. '0 7 * * 1-5'")
    jitter: DurationOrZero = 0

    @model_validator(mode="after")
    def _one(self) -> "Schedule":
        if (self.every is None) == (self.cron is None):
            raise ValueError("give exactly one of every or cron")
        if self.cron is not None:
            check_cron(self.cron)  # the very function the collector schedules with
        if self.every is not None:
            check_interval(self.every)
        return self


class Source(Strict):
    id: Ident
    type: str = Field(description="connector kind: http_json, ckan, bps, files, sql")
    name: str | None = None
    opd: Ident | None = Field(None, description="the OPD that owns this application")
    schedule: Schedule
    expect_every: Duration | None = Field(None, description="how often new data should arrive (default: schedule)")
    timeout: Duration = 15.0
    retries: int = Field(2, ge=0, le=10)
    enabled: bool = True
    metrics: list[Ident] = Field(min_length=1, description="metrics this source feeds")
    options: dict[str, Any] = Field(default_factory=dict, description="the connector's options, checked by "
                                    "the connector `type` names (see the source types in the reference)")


class SourcesFile(Versioned):
    sources: list[Source] = Field(default_factory=list)
