"""table: a KPI's values per OPD as a table."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class TableOptions(PanelOptions):
    top: int = Field(8, ge=1, le=200, description="at most this many rows (largest value first)", examples=[8])


KIND = PanelKind(
    name="table", options=TableOptions, needs_metric=True,
    description="A KPI per OPD as rows (rank, OPD, value, as-of date), largest first.",
    example={"id": "pengaduan", "type": "table", "cell": [12, 6, 6, 6], "metric": "pengaduan_terlambat",
             "options": {"top": 8}},
)
