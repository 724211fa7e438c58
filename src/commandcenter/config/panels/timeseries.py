"""timeseries: one or more KPIs over time."""

from typing import Literal

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions

WINDOWS = {"24h": 86400.0, "7d": 7 * 86400.0, "30d": 30 * 86400.0, "90d": 90 * 86400.0}
BUCKETS = {"15m": 900, "hour": 3600, "day": 86400, "week": 7 * 86400}


class TimeseriesOptions(PanelOptions):
    window: Literal["auto", "24h", "7d", "30d", "90d", "year"] = Field(
        "auto", description="the time axis: the last 24 hours, 7/30/90 days, this calendar year, or "
                            "auto (from the metric's period; cumulative metrics show their year)",
        examples=["24h"])
    bucket: Literal["auto", "raw", "15m", "hour", "day", "week"] = Field(
        "auto", description="one point per 15 minutes/hour/day/week (the mean of its values); "
                            "raw or auto = every value", examples=["hour"])


KIND = PanelKind(
    name="timeseries", options=TimeseriesOptions, needs_metric=True,
    description="One or more KPIs over time (`metrics:`), or one KPI for several OPDs (`opds:`), with the "
                "target line or S-curve plan.",
    example={"id": "antrian", "type": "timeseries", "cell": [0, 3, 12, 6], "metric": "antrian_rsud",
             "options": {"window": "24h", "bucket": "hour"}},
)
