"""kpi: one KPI's latest value, its target, status colour and a sparkline."""

from commandcenter.config.panels.base import PanelKind

KIND = PanelKind(
    name="kpi", needs_metric=True,
    description="One KPI's latest value with its target, status colour, change and a sparkline; "
                "`opd` picks one OPD, none = city-wide.",
    example={"id": "serapan", "type": "kpi", "cell": [0, 0, 4, 3], "metric": "serapan_keuangan"},
)
